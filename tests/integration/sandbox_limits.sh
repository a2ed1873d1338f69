#!/bin/sh
# The rate limit (per key, sliding window, Retry-After) and the body limit.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

jq '.api_keys += [{"key": "ITG.second-us", "region": "us"}]' "$DEMO" \
	>"$TMP/keys.json"

start_sandbox --data "$TMP/keys.json" --rate-limit 5/60 || exit 1
codes=
for _ in 1 2 3 4 5 6; do
	req GET /organizations
	codes="$codes $status"
done
is "$codes" " 200 200 200 200 200 429" "--rate-limit 5/60: the 6th is 429"
is "$(json '.errors[0].status')" 429 "with a JSON:API error"
retry=$(header Retry-After)
like "$retry" '^[0-9]+$' "and Retry-After"
is "$(( retry >= 1 && retry <= 60 ))" 1 "within the window ($retry s)"
KEY=ITG.second-us
req GET /organizations
is "$status" 200 "the limit is per key"
KEY=
req GET /organizations
is "$status" 401 "a request without a key is refused before the limit"
KEY=$US_KEY
req GET /organizations
is "$status" 429 "the first key is still over its limit"
curl -sS -o /dev/null -X POST "$BASE/_sandbox/reset"
req GET /organizations
is "$status" 200 "/_sandbox/reset clears the windows"

start_sandbox --data "$DEMO" --rate-limit 2/1 || exit 1
req GET /organizations
req GET /organizations
req GET /organizations
is "$status" 429 "--rate-limit 2/1: the 3rd within a second is 429"
sleep 1.1
req GET /organizations
is "$status" 200 "the window slides: a second later it passes"

start_sandbox --data "$DEMO" --rate-limit 1/60 --no-retry-after || exit 1
req GET /organizations
req GET /organizations
is "$status" 429 "over the limit with --no-retry-after: 429"
is "$(header Retry-After)" "" "without Retry-After"

start_sandbox --data "$DEMO" --max-body 1000 || exit 1
big=$(head -c 2000 /dev/zero | tr '\0' 'x')
send POST /flexible_asset_types "{\"data\": \"$big\"}"
is "$status" 413 "a body over --max-body: 413"
is "$(json '.errors[0].status')" 413 "with a JSON:API error"
req POST /flexible_asset_types -H 'Content-Type: application/vnd.api+json' \
	-H 'Transfer-Encoding: chunked' --data-binary "{\"data\": \"$big\"}"
is "$status" 413 "a chunked body over the limit is cut off: 413"
send POST /flexible_asset_types '{"data": {"type": "flexible_asset_types"}}'
is "$status" 422 "a body under the limit is read"
inspect /_sandbox/requests
is "$(printf '%s' "$out" | jq -r '.requests[-1].body_size')" 42 \
	"the log has the body size"

done_testing
