#!/bin/sh
# TLS between the plugin and IT Glue, as an administrator meets it: a
# self-signed certificate refused by default and accepted with the
# instance's CA file (per instance); an expired certificate, one for another
# host name and a server that speaks only TLS 1.1 refused, each saying why,
# in Test Connection, in auto-map's answer and in a report's 4022.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

command -v openssl >/dev/null 2>&1 || {
	echo "1..0 # SKIP openssl is not installed (apt-get install openssl)"
	exit 0
}

# ---- certificates: a CA of the test's own, and what it issues ----
ca="$TMP/ca"
mkdir -p "$ca"
: >"$ca/index.txt"
echo 01 >"$ca/serial"
cat >"$ca/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $ca/index.txt
new_certs_dir = $ca
serial = $ca/serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
CNF
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=Test Root CA" \
	-days 30 -keyout "$ca/ca.key" -out "$ca/ca.pem" >/dev/null 2>&1 || {
	echo "1..0 # SKIP openssl cannot make a certificate here"
	exit 0
}
# issue NAME CN SAN DATES... : NAME.pem and NAME.key for CN, issued by the
# CA, valid for DATES (openssl ca options).
issue() {
	name=$1 cn=$2 san=$3
	shift 3
	openssl req -newkey rsa:2048 -nodes -subj "/CN=$cn" \
		-addext "subjectAltName=$san" -keyout "$TMP/$name.key" \
		-out "$TMP/$name.csr" >/dev/null 2>&1 &&
		openssl ca -batch -notext -config "$ca/ca.cnf" \
			-cert "$ca/ca.pem" -keyfile "$ca/ca.key" "$@" \
			-in "$TMP/$name.csr" -out "$TMP/$name.pem" >/dev/null 2>&1
}
local_san="DNS:localhost,IP:127.0.0.1"
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost \
	-addext "subjectAltName=$local_san" -days 2 \
	-keyout "$TMP/self.key" -out "$TMP/self.pem" >/dev/null 2>&1
issue good localhost "$local_san" -days 2
issue expired localhost "$local_san" -startdate 20200101000000Z \
	-enddate 20200201000000Z
issue other other.example DNS:other.example -days 2
for f in self good expired other; do
	[ -s "$TMP/$f.pem" ] || {
		echo "1..0 # SKIP openssl cannot issue the certificate $f here"
		exit 0
	}
done
is "$(openssl x509 -in "$TMP/expired.pem" -noout -enddate)" \
	"notAfter=Feb  1 00:00:00 2020 GMT" "the expired certificate ended in 2020"

use_plugins itglue
run setting set psa_rmm_integration on
run inventory load "$top_srcdir/host-sdk/examples/inventory.json"

# A sandbox per certificate, reached by name: Schannel (Windows) matches a
# certificate's DNS names only.
SCHEME=https
port_of() { printf '%s\n' "${1##*:}"; }
P_SELF=$(port_of "$(other_sandbox self --data "$DEMO" --tls "$TMP/self.pem" "$TMP/self.key")")
P_GOOD=$(port_of "$(other_sandbox good --data "$DEMO" --tls "$TMP/good.pem" "$TMP/good.key")")
P_EXPIRED=$(port_of "$(other_sandbox expired --data "$DEMO" --tls "$TMP/expired.pem" "$TMP/expired.key")")
P_OTHER=$(port_of "$(other_sandbox other --data "$DEMO" --tls "$TMP/other.pem" "$TMP/other.key")")

# instance NAME PORT [CA-FILE] : add an instance on https://localhost:PORT.
instance() {
	ca_member=
	[ -z "${3:-}" ] || ca_member=", \"ca_file\": \"$3\""
	run admin itglue instance.add "{\"name\": \"$1\", \"url\": \"https://localhost:$2\", \"api_key\": \"$US_KEY\"$ca_member}"
}
test_connection() {
	run admin itglue instance.test "{\"instance\": \"$1\"}"
}

# Under Wine, Schannel does not check a chain against the root store as
# Windows does: an unknown CA passes there, and so do dates and names.
wine_skip() {
	n=$1
	shift
	while [ "$n" -gt 0 ]; do
		pass "# SKIP under Wine, Schannel accepts any certificate chain"
		n=$((n - 1))
	done
}

# ---- self-signed: refused by default, accepted with the CA file ----
instance self "$P_SELF"
test_connection self
if [ "$WINDOWS" = yes ]; then
	wine_skip 5
else
	is "$rc" 1 "a self-signed certificate fails Test Connection"
	is "$(json .result.kind)/$(json .result.tls)" tls/untrusted \
		"the failure is TLS, the certificate not trusted"
	like "$(json .result.detail)" "not trusted: it is self-signed or issued by a CA this machine does not trust" \
		"the detail says the certificate is not trusted"
	like "$(json .result.detail)" "self-signed certificate" \
		"and the TLS library's own words"
	like "$(json .result.detail)" "as ca_file" "and what to do: the CA file"
fi

instance self-with-ca "$P_SELF" "$TMP/self.pem"
test_connection self-with-ca
is "$(json .result.ok)" true "the same certificate is accepted with the instance's CA file"
test_connection self
if [ "$WINDOWS" = yes ]; then
	wine_skip 1
else
	is "$(json .result.kind)" tls "while the instance without it is still refused: the CA file is per instance"
fi
run admin itglue instance.update "{\"instance\": \"self\", \"ca_file\": \"$TMP/self.pem\"}"
test_connection self
is "$(json .result.ok)" true "and instance.update gives an instance its CA file"

instance good "$P_GOOD" "$ca/ca.pem"
test_connection good
is "$(json .result.ok)" true "a certificate issued by the instance's CA is accepted"
instance good-no-ca "$P_GOOD"
test_connection good-no-ca
if [ "$WINDOWS" = yes ]; then
	wine_skip 1
else
	is "$(json .result.tls)" untrusted "and refused without it, as issued by an unknown CA"
fi

printf 'not a certificate\n' >"$TMP/junk.pem"
run admin itglue instance.update "{\"instance\": \"good\", \"ca_file\": \"$TMP/junk.pem\"}"
test_connection good
is "$(json .result.ok)" false "a CA file that holds no certificate fails Test Connection"
if [ "$WINDOWS" = yes ]; then
	# Schannel takes such a file as no CA at all: the chain is refused.
	pass "# SKIP under Wine, Schannel reads a CA file without certificates as an empty set of CAs"
	pass "# SKIP under Wine, Schannel reads a CA file without certificates as an empty set of CAs"
else
	is "$(json .result.kind)" config "as a matter of configuration"
	like "$(json .result.detail)" "could not be made as the instance is configured: .*junk\.pem.*; check its ca_file" \
		"naming the file and the setting to check"
fi
run admin itglue instance.update "{\"instance\": \"good\", \"ca_file\": \"$ca/ca.pem\"}"

# ---- expired, another host name ----
instance expired "$P_EXPIRED" "$ca/ca.pem"
test_connection expired
if [ "$WINDOWS" = yes ]; then
	wine_skip 4
else
	is "$rc" 1 "an expired certificate fails Test Connection"
	is "$(json .result.kind)/$(json .result.tls)" tls/expired "the failure is TLS, the certificate expired"
	like "$(json .result.detail)" "certificate of the IT Glue server has expired" \
		"the detail says the certificate has expired"
	like "$(json .result.detail)" "must be renewed" "and what to do"
fi

instance other "$P_OTHER" "$ca/ca.pem"
test_connection other
if [ "$WINDOWS" = yes ]; then
	wine_skip 4
else
	is "$rc" 1 "a certificate for another host name fails Test Connection"
	is "$(json .result.kind)/$(json .result.tls)" tls/name_mismatch "the failure is TLS, the name"
	like "$(json .result.detail)" "is for another host name than the URL's" \
		"the detail says the certificate is for another host name"
	like "$(json .result.detail)" "check the host name of the instance's URL" "and what to do"
fi

# ---- TLS 1.1 only ----
# openssl s_server speaks TLS 1.1 only (its security level lowered so that
# it can). The plugin runs with an OpenSSL configuration that would accept
# TLS 1.0 and 1.1 too, as some machines have: the minimum is the plugin's
# own, not the system's.
openssl s_server -tls1_1 -cipher DEFAULT@SECLEVEL=0 -www \
	-cert "$TMP/good.pem" -key "$TMP/good.key" -accept 127.0.0.1:0 \
	>"$TMP/s_server.out" 2>&1 </dev/null &
echo "$!" >>"$TMP/other.pids"
p_old=
for _ in $(seq 1 100); do
	p_old=$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$TMP/s_server.out")
	[ -n "$p_old" ] && break
	sleep 0.1
done
cat >"$TMP/legacy.cnf" <<CNF
openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MinProtocol = TLSv1
CipherString = DEFAULT@SECLEVEL=0
CNF
if [ -z "$p_old" ]; then
	for _ in 1 2 3 4 5; do
		pass "# SKIP openssl s_server cannot serve TLS 1.1 here"
	done
else
	code=$(OPENSSL_CONF="$TMP/legacy.cnf" curl -sS -o /dev/null \
		-w '%{http_code}' --cacert "$ca/ca.pem" \
		"https://localhost:$p_old/" 2>/dev/null)
	is "$code" 200 "the legacy configuration does let a TLS client in over TLS 1.1"
	instance old "$p_old" "$ca/ca.pem"
	OPENSSL_CONF="$TMP/legacy.cnf"
	export OPENSSL_CONF
	test_connection old
	unset OPENSSL_CONF
	is "$(json .result.ok)/$(json .result.kind)" false/tls \
		"a server of TLS 1.1 only fails Test Connection"
	if [ "$WINDOWS" = yes ]; then
		# Refused all the same, but in words that name no cause.
		pass "# SKIP under Wine, Schannel reports the refused TLS 1.1 handshake as SEC_E_INTERNAL_ERROR"
		pass "# SKIP under Wine, Schannel reports the refused TLS 1.1 handshake as SEC_E_INTERNAL_ERROR"
		pass "# SKIP under Wine, Schannel reports the refused TLS 1.1 handshake as SEC_E_INTERNAL_ERROR"
	else
		is "$(json .result.tls)" old_protocol "as too old"
		like "$(json .result.detail)" "offers only TLS versions older than 1.2, which are refused" \
			"the detail says TLS older than 1.2 is refused"
		like "$(json .result.detail)" "must offer TLS 1.2 or newer" "and what to do"
	fi
fi

# ---- what auto-map and publishing say ----
run admin itglue instance.groups '{"instance": "good", "groups": ["Default"]}'
run admin itglue automap '{"instance": "good"}'
is "$(json .state)" done "auto-map over TLS with the instance's CA file"
run admin itglue mappings '{"instance": "good"}'
is "$(json '.groups[] | select(.name == "Default") | .state')" mapped \
	"maps the group"
run report config add "Daily EDR" --group Default --publish-itglue
printf '<html><body>EDR</body></html>\n' >"$TMP/edr.html"
run admin itglue instance.update "{\"instance\": \"good\", \"url\": \"https://localhost:$P_EXPIRED\"}"
run admin itglue automap '{"instance": "good"}'
if [ "$WINDOWS" = yes ]; then
	wine_skip 3
else
	is "$(json .state)" failed "auto-map against an expired certificate fails"
	like "$(json .result.detail)" "certificate of the IT Glue server has expired" \
		"and its answer says the certificate has expired"
	run report generate --config "Daily EDR" --title "EDR" \
		--file "$TMP/edr.html" --system ACME-DC01
	run events --id 4022 --json
	like "$(json '.[0].description')" "certificate of the IT Glue server has expired" \
		"a report that cannot be published says so in its 4022"
fi

done_testing
