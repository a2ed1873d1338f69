# Shared helpers of the console's integration tests: a password, an
# xdr-host console on a free loopback port of the script's home, and curl
# with a cookie jar, as a browser would send its requests.
#
# A script sources this file (which sources sandbox_lib.sh, so that a
# sandbox is at hand too), sets a password with set_password, starts the
# console with start_console, sends requests with api (or api_write, which
# adds the CSRF token), and ends with done_testing. The console and the
# sandbox are stopped when the script exits.
#
# Where the console is not built (Windows), sourcing this file checks that
# "xdr-host console" says so, and ends the script.

. "$top_srcdir/tests/integration/sandbox_lib.sh"

if ! grep -q '^#define HAVE_CONSOLE 1' "$top_builddir/config.h"; then
	run console
	is "$rc" 1 "without the console, xdr-host console fails with status 1"
	is "$err" "xdr-host: the console is not built into this xdr-host (it needs libmicrohttpd and OpenSSL; use the Linux build)" \
		"and says the console is not built and where it is"
	pass "# SKIP the console is not built for this platform"
	done_testing
	exit
fi

CONSOLE_PID=
CONSOLE_PORT=
CONSOLE=
CSRF=
COOKIES="$TMP/cookies"
console_runs=0
# The password of set_password when none is given: over 12 bytes.
PASSWORD='correct horse battery staple'

# Under $CONSOLE_WRAPPER a console that does not stop with status 0 (the
# memory checker found something) fails a test of its own.
stop_console() {
	console_rc=
	if [ -n "$CONSOLE_PID" ]; then
		kill -TERM "$CONSOLE_PID" 2>/dev/null
		wait "$CONSOLE_PID"
		console_rc=$?
		CONSOLE_PID=
		# A console that died (a signal, a sanitizer's report) says why.
		if [ "$console_rc" != 0 ] && [ -s "$TMP/console.err" ]; then
			diag "the console exited with status $console_rc; its stderr ends:" \
				"$(tail -40 "$TMP/console.err")"
		fi
		if [ -n "${CONSOLE_WRAPPER:-}" ] && [ "$console_rc" != 0 ]; then
			fail "the console stops with status 0 under $CONSOLE_WRAPPER"
			diag "status $console_rc"
		fi
	fi
}
trap 'stop_console
stop_sandbox
for p in $(cat "$TMP/other.pids" 2>/dev/null); do
	kill "$p" 2>/dev/null
done
rm -rf "$TMP"' EXIT

# set_password [PASSWORD] : xdr-host console passwd, from stdin.
set_password() {
	run_stdin "${1:-$PASSWORD}
" console passwd
	[ "$rc" = 0 ] || diag "console passwd failed: $err"
}

# start_console ARGS... : starts xdr-host console on 127.0.0.1, port 0
# (--port-file in $TMP), and waits for it, 10 s at most. Sets
# CONSOLE_PORT, CONSOLE (its base URL) and CONSOLE_PID; its stdout and
# stderr go to $TMP/console.out and .err. A new console has no session:
# the cookie jar is emptied. $CONSOLE_WRAPPER, when set, is a command the
# console runs under (a memory checker: "valgrind
# --error-exitcode=1 ..."), its words split; it must exec the console so
# that the signals of stop_console reach it.
start_console() {
	stop_console
	console_runs=$((console_runs + 1))
	port_file="$TMP/console.port.$console_runs"
	# shellcheck disable=SC2086 # the wrapper's words are split on purpose
	${CONSOLE_WRAPPER:-} "$XDR_HOST_BIN" --home "$HOME_DIR" --plugin-dir "$PLUGIN_DIR" \
		console --listen 127.0.0.1:0 --port-file "$port_file" "$@" \
		>"$TMP/console.out" 2>"$TMP/console.err" </dev/null &
	CONSOLE_PID=$!
	if ! wait_for_port "$port_file" "$CONSOLE_PID"; then
		diag "the console did not start:" "$(cat "$TMP/console.err")"
		stop_console
		return 1
	fi
	CONSOLE_PORT=$(cat "$port_file")
	CONSOLE="http://127.0.0.1:$CONSOLE_PORT"
	: >"$COOKIES"
	CSRF=
	return 0
}

# api METHOD PATH [CURL ARGS...] : a request to the console with the
# cookie jar (sent, and updated by Set-Cookie). Sets $status (000 when no
# answer), $out (the body), $hdrs (the headers, without carriage returns)
# and $curl_rc.
api() {
	api_jar "$COOKIES" "$@"
}

# api_bare METHOD PATH [CURL ARGS...] : api without the cookie jar (a
# Cookie header of its own, or none).
api_bare() {
	api_jar '' "$@"
}

api_jar() {
	jar=$1
	method=$2
	path=$3
	shift 3
	: >"$TMP/body"
	: >"$TMP/headers"
	if [ -n "$jar" ]; then
		set -- -b "$jar" -c "$jar" "$@"
	fi
	status=$(curl -sS -g --path-as-is --max-time 60 -o "$TMP/body" \
		-D "$TMP/headers" -w '%{http_code}' -X "$method" "$@" \
		"$CONSOLE$path" 2>"$TMP/curl.err")
	curl_rc=$?
	out=$(cat "$TMP/body")
	hdrs=$(tr -d '\r' <"$TMP/headers")
	err=$(cat "$TMP/curl.err")
}

# api_write METHOD PATH [JSON [CURL ARGS...]] : api with a JSON body
# (default {}) and the session's X-CSRF-Token, as the console's pages
# send every request that changes something.
api_write() {
	method=$1
	path=$2
	body=${3:-'{}'}
	shift 2
	[ "$#" -eq 0 ] || shift
	api "$method" "$path" -H 'Content-Type: application/json' \
		-H "X-CSRF-Token: $CSRF" --data-binary "$body" "$@"
}

# login [PASSWORD] : POST /api/login; on success CSRF is the session's
# token.
login() {
	api POST /api/login -H 'Content-Type: application/json' \
		--data-binary "$(jq -cn --arg p "${1:-$PASSWORD}" '{password: $p}')"
	[ "$status" != 200 ] || CSRF=$(json .csrf)
}

# csrf : the session's token again, from GET /api/session.
csrf() {
	api GET /api/session
	CSRF=$(json .csrf)
}

# header NAME : the value of the last answer's header NAME (the first one).
header() {
	printf '%s\n' "$hdrs" | grep -i "^$1:" | head -n 1 |
		sed 's/^[^:]*: *//'
}

# error_code : the code of the last answer's {"error": {"code"}}.
error_code() {
	json .error.code
}

# Every /api route of the console but login, as METHOD PATH with an
# example param: each one needs a session.
CONSOLE_API_ROUTES='POST /api/logout
GET /api/session
GET /api/settings/psa_rmm_integration
PUT /api/settings/psa_rmm_integration
GET /api/plugins
GET /api/groups
GET /api/systems
GET /api/report-configs
POST /api/report-configs
PUT /api/report-configs/1
GET /api/reports
POST /api/reports
GET /api/events
GET /api/dashboards
GET /dashboards/x
GET /api/itglue/status
GET /api/itglue/instances
POST /api/itglue/instances
PUT /api/itglue/instances/Demo
DELETE /api/itglue/instances/Demo
PUT /api/itglue/instances/Demo/groups
POST /api/itglue/instances/Demo/test
POST /api/itglue/instances/Demo/import-preview
POST /api/itglue/instances/Demo/import
GET /api/itglue/instances/Demo/imported
GET /api/itglue/instances/Demo/mappings
POST /api/itglue/automap
GET /api/itglue/jobs/1
POST /api/itglue/map
POST /api/itglue/unmap
GET /api/itglue/publish-check
POST /api/itglue/publish
GET /api/itglue/outbox
POST /api/itglue/outbox/retry
GET /api/itglue/config
PUT /api/itglue/config'
