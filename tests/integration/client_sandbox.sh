#!/bin/sh
# The plugin's IT Glue client (through tests/tools/itg-fetch) against
# itglue-sandbox: paging, every fault recovered, permanent errors not
# retried, the rate limit, TLS, the http refusal and where the key travels.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

FETCH=$(runnable "$top_builddir/tests/tools/itg-fetch")
KEY=ITG.sandbox-us-0000000000000000
# fetch ARGS... : itg-fetch; sets $rc, $out, $err.
fetch() {
	"$FETCH" "$@" >"$TMP/stdout" 2>"$TMP/stderr" </dev/null
	rc=$?
	out=$(cat "$TMP/stdout")
	err=$(cat "$TMP/stderr")
}

requests_seen() {
	curl -s "$BASE/_sandbox/requests" | jq '.requests | length'
}

# Paging at the edges of a 1000-record page.
for n in 0 1 999 1000 1001 2500; do
	if [ "$n" -eq 0 ]; then
		start_sandbox
	else
		start_sandbox --generate "orgs=$n"
	fi
	fetch --url "$BASE" --key "$KEY" GET /organizations
	pages=$(( n > 1000 ? (n + 999) / 1000 : 1 ))
	is "$rc" 0 "$n organizations: success"
	is "$(printf '%s\n' "$out" | tail -n 1)" \
		"pages=$pages resources=$n requests=$pages retries=0" \
		"$n organizations: $pages page(s), every record once"
	is "$(printf '%s\n' "$out" | grep -c '^organizations ' | tr -d ' ')" \
		"$n" "$n organizations: one line each"
	is "$(printf '%s\n' "$out" | grep '^organizations ' | sort | uniq -d)" \
		"" "$n organizations: no duplicates"
done

# Every retryable fault on the first request is recovered by one retry.
for kind in 500 502-html 504-html 429 429-retry-after=1 reset truncate \
	malformed; do
	start_sandbox --generate orgs=3 --fault "1:$kind"
	fetch --url "$BASE" --key "$KEY" GET /organizations
	is "$rc" 0 "fault $kind: recovered"
	is "$(printf '%s\n' "$out" | tail -n 1)" \
		"pages=1 resources=3 requests=2 retries=1" \
		"fault $kind: one retry"
done

# A permanent 422 is not retried and is explained.
start_sandbox --generate orgs=3
fetch --url "$BASE" --key "$KEY" GET /flexible_assets
is "$rc" 1 "422: fails"
like "$err" "IT Glue refused the request \(422\): Cannot index flexible" \
	"422: the sentence names the cause"
is "$(requests_seen)" 1 "422: sent once"

# Where the key travels: the x-api-key header, nowhere else.
fetch --url "$BASE" --key "$KEY" GET /organizations 'filter[name]=a,b'
log=$(curl -s "$BASE/_sandbox/requests")
is "$(printf '%s' "$log" | jq -r '.requests[-1].headers["x-api-key"]')" \
	"$KEY" "the key is in x-api-key"
is "$(printf '%s' "$log" | jq -r --arg k "$KEY" \
	'[.requests[] | (.path + " " + .query + " " +
	  (.headers | del(.["x-api-key"]) | tostring))
	 | select(contains($k))] | length')" 0 \
	"the key is in no path, query or other header"
is "$(printf '%s' "$log" | jq -r '.requests[-1].query')" \
	'filter[name]=a%2Cb&page[size]=1000&page[number]=1' \
	"values are percent-encoded and paging is added once"

# A key of another region.
fetch --url "$BASE" --key ITG.sandbox-eu-0000000000000000 GET /organizations
is "$rc" 1 "key of another region: fails"
like "$err" "another region.*\[forbidden_region\]" \
	"key of another region: said so"

# The rate limit slows the client down instead of failing it.
start_sandbox --generate orgs=8 --rate-limit 5/2
fetch --url "$BASE" --key "$KEY" --page-size 1 GET /organizations
is "$rc" 0 "rate limit 5/2: success"
like "$(printf '%s\n' "$out" | tail -n 1)" "^pages=8 resources=8 " \
	"rate limit 5/2: every page"
fetch --url "$BASE" --key "$KEY" --rate 5/2 --page-size 1 GET /organizations
is "$rc" 0 "rate limit 5/2 with a matching budget: success"
like "$(printf '%s\n' "$out" | tail -n 1)" "^pages=8 resources=8 " \
	"rate limit 5/2 with a matching budget: every page"

# http to a host that is not loopback is refused before anything is sent.
fetch --url http://api.itglue.com --key "$KEY" GET /organizations
is "$rc" 1 "http to a remote host: refused"
like "$err" "refusing http://api.itglue.com" "http refusal: said so"

# TLS: refused without the CA, accepted with it.
if command -v openssl >/dev/null 2>&1 &&
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
		-addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
		-keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1; then
	start_sandbox --generate orgs=2 --tls "$TMP/cert.pem" "$TMP/key.pem"
	# By name: Schannel (Windows) matches a certificate's DNS names only.
	fetch --url "https://localhost:$PORT" --key "$KEY" GET /organizations
	if [ "$WINDOWS" = yes ]; then
		# The Windows build runs under Wine here, whose Schannel does
		# not check a chain against the root store as Windows' does.
		pass "# SKIP under Wine, Schannel accepts any certificate chain"
		pass "# SKIP under Wine, Schannel accepts any certificate chain"
	else
		is "$rc" 1 "TLS without the CA: refused"
		like "$err" "\[tls\]" "TLS without the CA: a TLS error"
	fi
	fetch --url "https://localhost:$PORT" --key "$KEY" \
		--ca "$TMP/cert.pem" GET /organizations
	is "$rc" 0 "TLS with the CA: accepted"
else
	pass "# SKIP openssl cannot make a certificate"
fi

stop_sandbox
done_testing
