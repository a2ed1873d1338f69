#!/bin/sh
# xdr-host console, its HTTP API as a browser meets it. Part 1, the doors:
# no start without a password, loopback only unless asked, the login and
# its cookie, every route closed without a session, CSRF tokens, the Host
# and Origin checks, the security headers of pages and assets, logout, a
# changed password, the log, and the back-off after wrong passwords.
. "$top_srcdir/tests/integration/console_lib.sh"

CSP="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-src 'self'; frame-ancestors 'none'"

# ---- Starting ----
run console --listen 127.0.0.1:0
is "$rc" 1 "without a password file the console does not start (status 1)"
like "$err" 'xdr-host console passwd' "and says to run xdr-host console passwd"

run console --listen 0.0.0.0:0
is "$rc" 2 "a listen address that is not loopback is a usage error (status 2)"
like "$err" "not a loopback address.*--allow-remote" \
	"which says so and names --allow-remote"
run console --listen '[::]:0'
is "$rc" 2 "the IPv6 wildcard address is refused too"
run console --listen localhost:8443
is "$rc" 2 "a listen address that is not an IP address is a usage error"
run console --tick-seconds -1
is "$rc" 2 "a bad --tick-seconds is a usage error"
run help console
like "$out" "loopback or an SSH" "help console says what the console is for"
like "$out" "--allow-remote" "and lists --allow-remote"

set_password
# The probe plugin records each tick as an event 9002.
use_plugins probe
start_console --tick-seconds 0 || {
	fail "the console starts"
	done_testing
	exit
}
pass "with a password the console starts"
is "$(head -n 1 "$TMP/console.out")" "console: http://127.0.0.1:$CONSOLE_PORT/" \
	"it prints its address"

# ---- Login ----
login 'not the password'
is "$status" 401 "a wrong password is 401"
is "$(json .error.message)" "Wrong password" "saying Wrong password"
is "$(header Set-Cookie)" "" "and sets no cookie"

api POST /api/login -H 'Content-Type: text/plain' \
	--data-binary "{\"password\": \"$PASSWORD\"}"
is "$status" 415 "a login that is not JSON is 415 (a form cannot send one)"
api POST /api/login -H 'Content-Type: application/json' \
	-H 'Origin: http://evil.example' \
	--data-binary "{\"password\": \"$PASSWORD\"}"
is "$status" 403 "a login from another origin is 403"
api POST /api/login -H 'Content-Type: application/json' --data-binary '[]'
is "$status" 400 "a login body that is not an object is 400"
api POST /api/login -H 'Content-Type: application/json' \
	-H 'Content-Length: 9000' --data-binary '{}'
is "$status" 413 "a login body declared over 8 KiB is 413, before it is read"

login
is "$status" 200 "the right password is 200"
cookie=$(header Set-Cookie)
like "$cookie" '^xdr_console=[A-Za-z0-9_-]{43};' "the session cookie is xdr_console"
like "$cookie" '; HttpOnly' "the cookie is HttpOnly"
like "$cookie" '; SameSite=Strict' "the cookie is SameSite=Strict"
like "$cookie" '; Path=/;' "the cookie is for the whole console"
like "$cookie" '; Max-Age=28800' "the cookie lasts the session's 8 hours"
like "$CSRF" '^[A-Za-z0-9_-]{43}$' "the answer holds the CSRF token"
session_id=$(printf '%s' "$cookie" | sed 's/^xdr_console=\([^;]*\);.*/\1/')
is "$(printf '%s' "$out" | grep -c -- "$session_id")" 0 \
	"the answer does not hold the session id"
is "$(header Cache-Control)" no-store "API answers are not stored"

login_csrf=$CSRF
csrf
is "$status" 200 "GET /api/session with the cookie is 200"
is "$CSRF" "$login_csrf" "and gives the login's CSRF token"

# A login from a browser that holds a session: a new id, the old one ends.
cp "$COOKIES" "$TMP/cookies.first"
login
is "$status" 200 "a login with a live session's cookie is 200"
cookie=$(header Set-Cookie)
session_id=$(printf '%s' "$cookie" | sed 's/^xdr_console=\([^;]*\);.*/\1/')
api_jar "$TMP/cookies.first" GET /api/session
is "$status" 401 "and ends the session that cookie named"

# ---- Every route but login needs a session ----
closed=0 total=0
while read -r m p; do
	total=$((total + 1))
	code=$(curl -s -g -o "$TMP/anon" -w '%{http_code}' -X "$m" "$CONSOLE$p")
	if [ "$code" = 401 ] && [ "$(jq -r .error.code "$TMP/anon")" = login_required ]; then
		closed=$((closed + 1))
	else
		diag "$m $p without a cookie: $code"
	fi
done <<EOF
$CONSOLE_API_ROUTES
EOF
is "$closed" "$total" "each of the $total routes but login is 401 login_required without a cookie"
api_bare GET /api/session -H 'Cookie: xdr_console=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
is "$status" 401 "a made-up session id is 401"
api_bare GET /api/session -H "Cookie: xdr_console=$session_id" \
	-H 'Cookie: xdr_console=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
is "$status" 401 "the session cookie named in two Cookie headers is 401, as twice in one"

# ---- CSRF ----
api POST /api/itglue/map -H 'Content-Type: application/json' --data-binary '{}'
is "$status" 403 "a POST without X-CSRF-Token is 403"
is "$(error_code)" csrf "with the code csrf"
api POST /api/itglue/map -H 'Content-Type: application/json' \
	-H 'X-CSRF-Token: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' --data-binary '{}'
is "$status" 403 "a POST with a wrong X-CSRF-Token is 403"
api_bare PUT /api/itglue/config -H 'Content-Type: application/json' \
	-H "X-CSRF-Token: $CSRF" --data-binary '{}'
is "$status" 401 "the right token without the cookie is 401"
api DELETE /api/itglue/instances/Demo
is "$status" 403 "a DELETE without the token is 403"
api_write POST /api/itglue/map '{}'
isnt "$status" 403 "a POST with the session's token passes the checks"
api POST /api/itglue/map -H 'Content-Type: text/plain' \
	-H "X-CSRF-Token: $CSRF" --data-binary '{}'
is "$status" 415 "a POST whose body is not JSON is 415"
api POST /api/itglue/map -H 'Content-Type:' -H "X-CSRF-Token: $CSRF" \
	--data-binary '{}'
is "$status" 415 "a POST with a body and no Content-Type is 415"

big=$(head -c 1100000 /dev/zero | tr '\0' ' ')
printf '{}%s' "$big" >"$TMP/big.json"
api POST /api/itglue/map -H 'Content-Type: application/json' \
	-H "X-CSRF-Token: $CSRF" -H 'Transfer-Encoding: chunked' \
	--data-binary @"$TMP/big.json"
is "$status" 413 "a JSON body over 1 MiB sent without a length is 413 once read"

# ---- Host and Origin ----
api GET / -H 'Host: evil.example'
is "$status" 421 "Host: evil.example is 421 (DNS rebinding)"
api GET /api/session -H "Host: evil.example:$CONSOLE_PORT"
is "$status" 421 "whatever the port, and on the API too"
api_bare GET /api/session -H "Host: localhost:$CONSOLE_PORT" \
	-H "Cookie: xdr_console=$session_id"
is "$status" 200 "localhost with the console's port is its own name"
api_write POST /api/itglue/map '{}' -H 'Origin: http://evil.example'
is "$status" 403 "Origin: http://evil.example is 403"
is "$(error_code)" bad_origin "with the code bad_origin"
api_write POST /api/itglue/map '{}' -H 'Sec-Fetch-Site: cross-site'
is "$status" 403 "Sec-Fetch-Site: cross-site is 403"
api_write POST /api/itglue/map '{}' -H "Origin: $CONSOLE" \
	-H 'Sec-Fetch-Site: same-origin'
isnt "$status" 403 "the console's own origin passes"

# ---- Pages, assets and their headers ----
api GET /
is "$status" 200 "GET / is 200"
like "$(header Content-Type)" '^text/html' "it is HTML"
is "$(header Content-Security-Policy)" "$CSP" "with the console's CSP"
is "$(header X-Content-Type-Options)" nosniff "and nosniff"
is "$(header X-Frame-Options)" DENY "and no framing"
is "$(header Referrer-Policy)" no-referrer "and no referrer"
is "$(header Cross-Origin-Opener-Policy)" same-origin "and its own browsing context"
like "$out" '<script type="module" src="/assets/js/app.js">' "the page loads its script from /assets"
unlike "$out" '<script>|<style|style=' "the page has no inline script or style"

api HEAD / -I
is "$status" 200 "HEAD / is 200"
# curl -I writes the headers where the body would go: no page there.
unlike "$out" '<html' "without a body"
is "$(header Content-Security-Policy)" "$CSP" "with the same headers"

api GET /assets/js/app.js
is "$status" 200 "an asset is 200"
like "$(header Content-Type)" '^text/javascript' "a script is text/javascript"
is "$(header Content-Security-Policy)" "$CSP" "an asset has the CSP"
is "$(header X-Content-Type-Options)" nosniff "and nosniff"
etag=$(header ETag)
like "$etag" '^"[0-9a-f]{64}"$' "an asset has an ETag"
api GET /assets/js/app.js -H "If-None-Match: $etag"
is "$status" 304 "an asset asked again with its ETag is 304"
is "$out" "" "with no body"
api GET /assets/console.css
like "$(header Content-Type)" '^text/css' "a stylesheet is text/css"
api GET /assets/nope.js
is "$status" 404 "an unknown asset is 404"
api GET /assets/../console.passwd
is "$status" 404 "a path out of the assets is 404"
api GET /nothing/here
is "$status" 404 "an unknown path is 404"
is "$(header Content-Security-Policy)" "$CSP" "a 404 has the CSP too"
api DELETE /api/itglue/config
is "$status" 405 "a route asked with another method is 405"
is "$(header Allow)" "GET, PUT" "with its methods in Allow"

# ---- Logout ----
cp "$COOKIES" "$TMP/cookies.before"
api_write POST /api/logout
is "$status" 200 "logout is 200"
like "$(header Set-Cookie)" '^xdr_console=;.*Max-Age=0' "and clears the cookie"
api GET /api/session
is "$status" 401 "after logout the session is gone"
api_jar "$TMP/cookies.before" GET /api/session
is "$status" 401 "and its old cookie is refused"

# ---- A new password ends every session ----
login
is "$status" 200 "a new login after logout"
set_password 'another password altogether'
api GET /api/session
is "$status" 401 "a changed password file ends the session"
login 'another password altogether'
is "$status" 200 "the new password logs in"

# ---- The log ----
log=$(cat "$HOME_DIR/xdr-host.log")
like "$log" 'console: POST /api/login 401 [0-9]+ ms' "each request is logged: method, route, status, ms"
like "$log" 'console: DELETE /api/itglue/instances/:inst 403' \
	"by its route's pattern, not its path with values"
unlike "$log" "$PASSWORD|another password|$CSRF|$session_id" \
	"no password, token or session id is logged"

# ---- The back-off after wrong passwords ----
# The waits double (1, 2, 4, 8 s...): wrong passwords are sent again after
# each wait until one of 8 s or more is asked, so that the right password
# below surely comes within it, however busy the machine.
throttled=no
retry_after=
for _ in $(seq 1 20); do
	login 'wrong again'
	if [ "$status" = 429 ]; then
		throttled=yes
		retry_after=$(header Retry-After)
		case $retry_after in
		'' | *[!0-9]*) break ;;
		esac
		[ "$retry_after" -ge 8 ] && break
		sleep "$retry_after"
	fi
done
is "$throttled" yes "wrong passwords in a row are answered 429"
like "$retry_after" '^[0-9]+$' "with Retry-After"
is "$([ "${retry_after:-0}" -ge 8 ] 2>/dev/null && echo yes)" yes \
	"the waits grow with each failure after a wait (8 s reached)"
login 'another password altogether'
is "$status" 429 "even the right password waits its turn"

# ---- Stopping, and ticks ----
stop_console
is "$console_rc" 0 "SIGTERM stops the console with status 0"
like "$(cat "$TMP/console.err")" "stopping" "saying it stops"
run events --id 9002 --json
is "$(json length)" 0 "with --tick-seconds 0 the plugins were never ticked"

start_console
ticked=0
for _ in $(seq 1 100); do
	run events --id 9002 --json
	ticked=$(json length)
	[ "$ticked" = 0 ] || break
	sleep 0.1
done
isnt "$ticked" 0 "by default the console ticks the plugins at once, as run does"
stop_console
is "$console_rc" 0 "and stops them with status 0"

done_testing
