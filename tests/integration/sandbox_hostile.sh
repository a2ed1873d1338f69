#!/bin/sh
# The hostile fault kinds: a redirect to another host, an answer that never
# ends, a huge one (with and without its length) and a deeply nested one;
# none reaches the application, and the sandbox stops cleanly during a hang.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

start_sandbox --data "$DEMO" --fault 1:redirect=http://127.0.0.1:9/base \
	--fault 2:redirect-307=https://other.example --fault 3:huge \
	--fault 4:huge-chunked=1000 --fault 5:deep=5 --fault 6:hang || exit 1

req GET '/organizations?page[size]=1'
is "$status" 302 "redirect: 302"
is "$(header Location)" "http://127.0.0.1:9/base/organizations?page[size]=1" \
	"to the URL given, the request's path and query after it"
like "$(header Content-Type)" "^text/html" "with an HTML page"

send POST /flexible_assets '{"data": {}}'
is "$status" 307 "redirect-307: 307"
is "$(header Location)" "https://other.example/flexible_assets" \
	"to the other host"

req GET /organizations
is "$(header Content-Length)" 67108864 "huge: 64 MiB told by default"
is "$(wc -c <"$TMP/body" | tr -d ' ')" 67108864 "and sent"
is "$(jq -r '.data[0].type' "$TMP/body")" organizations \
	"a JSON:API document"
: >"$TMP/body"

req GET /organizations
is "$(header Content-Length)" "" "huge-chunked: no length told"
like "$(header Transfer-Encoding)" chunked "chunked"
is "$(printf '%s' "$out" | wc -c | tr -d ' ')" 1000 "huge-chunked=1000: 1000 bytes"

req GET /organizations
is "$out" '{"data":[[[[[]]]]]}' "deep=5: five arrays nested in data"

req GET /organizations --max-time 1
is "$curl_rc" 28 "hang: the client gives up at its own time limit"
like "$(cat "$TMP/body")" '^\{"data":\[ ' "after the start of a body and spaces"

inspect /_sandbox/requests
is "$(printf '%s' "$out" | jq -r '[.requests[] | "\(.fault)/\(.status)"] | join(" ")')" \
	"redirect=http://127.0.0.1:9/base/302 redirect-307=https://other.example/307 huge/200 huge-chunked=1000/200 deep=5/200 hang/200" \
	"the log names each fault and the status sent"
inspect /_sandbox/data
is "$(printf '%s' "$out" | jq '.flexible_assets | length')" 0 \
	"the POST behind the redirect never reached the application"

# Stopping while a hang drips.
start_sandbox --data "$DEMO" --fail-every 1:hang || exit 1
curl -sS --max-time 30 -H "x-api-key: $KEY" "$BASE/organizations" \
	>/dev/null 2>&1 &
client=$!
for _ in $(seq 1 100); do
	inspect /_sandbox/counts
	[ "$(printf '%s' "$out" | jq .total)" = 1 ] && break
	sleep 0.1
done
stop_sandbox
is "$stop_rc" 0 "the sandbox stops cleanly while an answer hangs"
wait "$client"
isnt "$?" 0 "and the client sees the answer cut"

"$SANDBOX_BIN" --fault 1:huge=10 >/dev/null 2>"$TMP/stderr" </dev/null
is "$?" 2 "huge under 100 bytes is a bad option"
"$SANDBOX_BIN" --fault 1:redirect=ftp://x >/dev/null 2>"$TMP/stderr" </dev/null
is "$?" 2 "a redirect to anything but http(s) is a bad option"

done_testing
