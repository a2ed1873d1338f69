#!/bin/sh
# HTTPS with --tls CERT KEY: a client that trusts the certificate gets in,
# one that does not is refused.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

command -v openssl >/dev/null 2>&1 || {
	echo "1..0 # SKIP openssl is not installed (apt-get install openssl)"
	exit 0
}
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost \
	-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -days 2 \
	-keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1 || {
	echo "1..0 # SKIP openssl cannot make a certificate here"
	exit 0
}

SCHEME=https
start_sandbox --data "$DEMO" --tls "$TMP/cert.pem" "$TMP/key.pem" || exit 1
like "$(cat "$TMP/sandbox.out")" "listening on https://127\.0\.0\.1:$PORT " \
	"the listening line says https"

CURL_TLS="--cacert $TMP/cert.pem"
req GET /organizations/1
is "$status" 200 "curl --cacert with the certificate: 200"
is "$(json .data.attributes.name)" "Acme Corp." "and the data"
req GET "/organizations?page[size]=2"
like "$(json .links.next)" "^https://127\.0\.0\.1:$PORT/" \
	"links use https"

CURL_TLS=
req GET /organizations/1
is "$status" 000 "without trusting the certificate there is no answer"
is "$curl_rc" 60 "curl refuses the unknown certificate"

out=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/organizations" 2>/dev/null)
isnt "$out" 200 "plain HTTP is not served on the HTTPS port"

stop_sandbox
is "$stop_rc" 0 "stops cleanly"

printf 'not a certificate\n' >"$TMP/junk.pem"
"$SANDBOX_BIN" --quiet --tls "$TMP/junk.pem" "$TMP/key.pem" \
	>/dev/null 2>"$TMP/stderr" </dev/null
is "$?" 1 "a certificate that is not PEM: exit 1"
like "$(cat "$TMP/stderr")" "cannot start HTTPS" "and says so"
"$SANDBOX_BIN" --quiet --tls "$TMP/none.pem" "$TMP/key.pem" \
	>/dev/null 2>"$TMP/stderr" </dev/null
is "$?" 1 "a missing certificate file: exit 1"
like "$(cat "$TMP/stderr")" "none.pem" "naming the file"

done_testing
