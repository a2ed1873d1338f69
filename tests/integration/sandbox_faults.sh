#!/bin/sh
# Injected faults, each kind, from the command line and at run time; and
# latency that does not hold up other connections.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

start_sandbox --data "$DEMO" --fault 1:500 --fault 2:503 --fault 3:408 \
	--fault 4:502-html --fault 5:504-html --fault 6:429 \
	--fault 7:429-retry-after=7 --fault 8:reset --fault 9:truncate \
	--fault 10:malformed --fault 11:double-encoded || exit 1

inspect /_sandbox/health
is "$(printf '%s' "$out" | jq -r .status)" ok "/_sandbox/ is never faulted"

req GET /organizations
is "$status" 500 "fault 500"
is "$(json '.errors[0].status')" 500 "with a JSON:API error body"
req GET /organizations
is "$status" 503 "fault 503"
is "$(json '.errors[0].title')" "Service Unavailable" "titled"
req GET /organizations
is "$status" 408 "fault 408"
req GET /organizations
is "$status" 502 "fault 502-html"
like "$(header Content-Type)" "^text/html" "as text/html"
like "$out" "502 Bad Gateway" "a gateway page"
req GET /organizations
is "$status" 504 "fault 504-html"
like "$out" "<html>" "an HTML page"
req GET /organizations
is "$status" 429 "fault 429"
is "$(header Retry-After)" "" "without Retry-After"
req GET /organizations
is "$status" 429 "fault 429-retry-after=7"
is "$(header Retry-After)" 7 "with Retry-After: 7"
req GET /organizations
is "$status" 000 "fault reset: no answer"
is "$curl_rc" 52 "curl sees an empty reply"
req GET /organizations
is "$curl_rc" 18 "fault truncate: curl sees a short body"
declared=$(header Content-Length)
got=$(wc -c <"$TMP/body" | tr -d ' ')
is "$((got * 2 <= declared))" 1 "half of the declared length at most"
req GET /organizations
is "$status" 200 "fault malformed: 200"
if printf '%s' "$out" | jq . >/dev/null 2>&1; then
	fail "with a body that is not JSON"
else
	pass "with a body that is not JSON"
fi
req GET /organizations
is "$status" 200 "fault double-encoded: 200"
is "$(json type)" string "the body is a JSON string"
is "$(printf '%s' "$out" | jq -r . | jq -r '.data[0].type')" organizations \
	"holding the JSON:API document"
req GET /organizations
is "$status" 200 "request 12 has no fault"

inspect /_sandbox/requests
is "$(printf '%s' "$out" | jq -r '[.requests[].fault] | map(. // "-") | join(" ")')" \
	"500 503 408 502-html 504-html 429 429-retry-after=7 reset truncate malformed double-encoded -" \
	"the log names each request's fault"
is "$(printf '%s' "$out" | jq -r '.requests[7].status')" 0 \
	"a reset is logged with status 0"

start_sandbox --data "$DEMO" --fail-every 3 || exit 1
codes=
for _ in 1 2 3 4 5 6 7; do
	req GET /organizations
	codes="$codes $status"
done
is "$codes" " 200 200 500 200 200 500 200" "--fail-every 3: every third is 500"

start_sandbox --data "$DEMO" --fail-every 2:502-html --fault 2:reset || exit 1
req GET /organizations
req GET /organizations
is "$status" 000 "a scheduled fault wins over --fail-every"
req GET /organizations
req GET /organizations
is "$status" 502 "--fail-every N:KIND uses KIND"

# Faults set at run time count from the next request.
start_sandbox --data "$DEMO" || exit 1
req GET /organizations
req GET /organizations
out=$(curl -sS -X POST "$BASE/_sandbox/faults" -d \
	'{"fail_every": {"n": 2, "kind": "503"}, "schedule": [{"at": 1, "kind": "504-html"}]}')
is "$(printf '%s' "$out" | jq -r .schedule[0].kind)" 504-html \
	"POST /_sandbox/faults answers the new faults"
codes=
for _ in 1 2 3 4; do
	req GET /organizations
	codes="$codes $status"
done
is "$codes" " 504 503 200 503" "run-time faults count from the next request"
out=$(curl -sS -X POST "$BASE/_sandbox/faults" -d '{"fail_every": null}')
req GET /organizations
is "$status" 200 "fail_every null clears them"
is "$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$BASE/_sandbox/faults" \
	-d '{"fail_every": {"n": 0}}')" 400 "a bad fault description: 400"
is "$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$BASE/_sandbox/faults" \
	-d '{"schedule": [{"at": 1, "kind": "teapot"}]}')" 400 "an unknown kind: 400"

# Random faults: a share of the requests, each kind picked at random, the
# same requests faulted the same way for a seed.
random_kinds() { # N : the faults of the next N requests, as the log names them
	for _ in $(seq 1 "$1"); do
		req GET /organizations
	done
	inspect /_sandbox/requests
	printf '%s' "$out" | jq -r '[.requests[].fault] | map(. // "-") | join(" ")'
}
start_sandbox --data "$DEMO" --fail-random 50:3 || exit 1
inspect /_sandbox/faults
is "$(printf '%s' "$out" | jq -c .random)" '{"percent":50,"seed":3}' \
	"GET /_sandbox/faults shows --fail-random"
first=$(random_kinds 40)
faulted=$(printf '%s\n' "$first" | tr ' ' '\n' | grep -vc '^-$')
is "$((faulted > 0 && faulted < 40))" 1 "--fail-random 50: some requests fail, not all"
start_sandbox --data "$DEMO" --fail-random 50:3 || exit 1
is "$(random_kinds 40)" "$first" "the same seed faults the same requests the same way"
start_sandbox --data "$DEMO" --fail-random 50:4 || exit 1
isnt "$(random_kinds 40)" "$first" "another seed faults others"
start_sandbox --data "$DEMO" --fail-random 100 || exit 1
kinds=$(random_kinds 200 | tr ' ' '\n' | sort -u | tr '\n' ' ')
is "$kinds" "401-echo 422 429 500 502-html 504-html double-encoded malformed reset truncate " \
	"--fail-random 100: every request fails, with every kind"
out=$(curl -sS -X POST "$BASE/_sandbox/faults" -d '{"random": null}')
is "$(printf '%s' "$out" | jq -c .random)" null "random null turns them off"
req GET /organizations
is "$status" 200 "and the next request succeeds"
out=$(curl -sS -X POST "$BASE/_sandbox/faults" -d '{"random": {"percent": 100, "seed": 9}}')
is "$(printf '%s' "$out" | jq -c .random)" '{"percent":100,"seed":9}' \
	"POST /_sandbox/faults sets random faults at run time"
req GET /organizations
isnt "$(random_kinds 0 | awk '{ print $NF }')" - \
	"which apply from the next request"
is "$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$BASE/_sandbox/faults" \
	-d '{"random": {"percent": 101}}')" 400 "a random share over 100: 400"

# Latency: each answer waits, others are not held up meanwhile.
start_sandbox --data "$DEMO" --latency-ms 400 || exit 1
t0=$(date +%s%N)
req GET /organizations/1
t1=$(date +%s%N)
is "$(( (t1 - t0) / 1000000 >= 400 ))" 1 "--latency-ms 400 delays an answer"
t0=$(date +%s%N)
pids=
for i in 1 2 3 4; do
	curl -sS -o /dev/null -H "x-api-key: $KEY" "$BASE/organizations/$i" &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
t1=$(date +%s%N)
is "$(( (t1 - t0) / 1000000 < 1500 ))" 1 \
	"four delayed requests at once take about one delay, not four"
t0=$(date +%s%N)
inspect /_sandbox/health
t1=$(date +%s%N)
is "$(( (t1 - t0) / 1000000 < 400 ))" 1 "/_sandbox/ is not delayed"

done_testing
