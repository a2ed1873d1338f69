#!/bin/sh
# What a hostile or broken IT Glue answers, as an administrator meets it: a
# redirect to another host (refused, and the key never goes there), an
# answer that never ends (cut at the request timeout), a huge one (refused
# at the answer limit, never held whole), one nested 100,000 deep (refused,
# no crash), and a configuration with 10,000 interfaces (imported and
# mapped).
. "$top_srcdir/tests/integration/sandbox_lib.sh"

use_plugins itglue
start_sandbox --data "$DEMO" || exit 1
demo_host Default
run admin itglue automap '{}'
run report config add "Daily EDR" --group Default --publish-itglue
printf '<html><body>EDR</body></html>\n' >"$TMP/edr.html"

# faults JSON : replace the running sandbox's faults.
faults() {
	out=$(curl -sS --max-time 20 -X POST --data-binary "$1" "$BASE/_sandbox/faults")
}
test_connection() {
	run admin itglue instance.test '{"instance": "Demo"}'
}
# The host exited by itself with a status, not by a signal (a crash).
no_crash() {
	if [ "$rc" -lt 128 ]; then
		pass "$1"
	else
		fail "$1"
		diag "xdr-host exited with $rc"
	fi
}

# ---- a redirect to another host ----
# The other host is a second sandbox, which logs every request it gets
# with its headers.
listener=$(other_sandbox listener --data "$DEMO") || exit 1
faults "{\"fail_every\": {\"n\": 1, \"kind\": \"redirect=$listener\"}}"
code=$(curl -sS -L -o /dev/null -w '%{http_code}' -H "x-api-key: $US_KEY" \
	"$BASE/organizations")
listened=$(curl -sS "$listener/_sandbox/requests" | jq -r '[.requests[].headers["x-api-key"]] | join(" ")')
is "$code/$listened" "200/$US_KEY" \
	"the listener does record a key sent to it (curl -L follows the redirect and sends it)"
curl -sS -X POST "$listener/_sandbox/reset" >/dev/null

test_connection
is "$(json .result.ok)" false "Test Connection against a redirect fails"
like "$(json .result.detail)" "IT Glue redirected the request to $listener \(HTTP 302\); redirects are not followed, so that the API key goes to the configured host only" \
	"saying where it was redirected and that it was not followed"
run admin itglue import '{"instance": "Demo", "feature": "organizations"}'
is "$(json .state)" failed "an import against a redirect fails"
like "$(json .result.detail)" "redirected the request to $listener" \
	"saying it was redirected"
run admin itglue automap '{"instance": "Demo"}'
is "$(json .state)" failed "an auto-map against a redirect fails"
like "$(json .result.detail)" "redirected the request to $listener" "saying it was redirected"
faults "{\"fail_every\": {\"n\": 1, \"kind\": \"redirect-307=$listener\"}}"
run report generate --config "Daily EDR" --title "EDR" --file "$TMP/edr.html" \
	--system ACME-DC01
run events --id 4022 --json
like "$(json '.[-1].description')" "redirected the request to $listener \(HTTP 307\)" \
	"a report whose upload is redirected (307, repeat the POST there) fails with a 4022 that says so"
inspect /_sandbox/requests
is "$(printf '%s' "$out" | jq '[.requests[] | select(.fault != null and (.fault | startswith("redirect")))] | length > 0')" true \
	"IT Glue did redirect the plugin's requests"
listened=$(curl -sS "$listener/_sandbox/counts" | jq .total)
is "$listened" 0 "the other host got no request from the plugin: the key never went there"
if grep -qa -e "$US_KEY" "$TMP/listener.out"; then
	fail "nor anything holding the key"
else
	pass "nor anything holding the key"
fi

# ---- an answer that never ends ----
faults '{"fail_every": null, "schedule": []}'
run admin itglue config.set '{"request_timeout_seconds": 2}'
is "$(json .request_timeout_seconds)" 2 "the request timeout is a setting"
run admin itglue config.set '{"request_timeout_seconds": 0}'
is "$rc" 1 "a timeout of 0 is refused"
faults '{"fail_every": {"n": 1, "kind": "hang"}}'
test_connection
is "$(json .result.ok)/$(json .result.kind)" false/network \
	"Test Connection against an answer that never ends fails"
like "$(json .result.detail)" "took too long: IT Glue did not answer in time \(Operation timed out after 2[0-9]{3} milliseconds" \
	"cut at the request timeout, saying it did not answer in time"
faults '{"fail_every": null, "schedule": [{"at": 1, "kind": "hang"}]}'
run admin itglue import '{"instance": "Demo", "feature": "organizations"}'
is "$(json .state)/$(json .result.imported)" done/7 \
	"an import whose first answer never ends times it out and asks again"

# ---- a huge answer ----
# A TiB, told or not: held whole, it would never fit.
for kind in huge=1099511627776 huge-chunked=1099511627776; do
	faults "{\"fail_every\": {\"n\": 1, \"kind\": \"$kind\"}}"
	run admin itglue import '{"instance": "Demo", "feature": "organizations"}'
	is "$(json .state)" failed "an import of a TiB answer ($kind) fails"
	like "$(json .result.detail)" "IT Glue's answer is too large \(over the limit of 33554432 bytes\)" \
		"at the answer limit, saying so"
	no_crash "and the host is fine ($kind)"
done
inspect /_sandbox/requests
is "$(printf '%s' "$out" | jq '[.requests[] | select(.fault | . != null and startswith("huge"))] | length')" 2 \
	"a refused huge answer is not asked for again"

# ---- nested 100,000 deep ----
faults '{"fail_every": {"n": 1, "kind": "deep"}}'
test_connection
no_crash "an answer nested 100,000 deep does not crash the host"
like "$(json .result.detail)" "could not be read \(HTTP 200\): not valid JSON: nesting too deep" \
	"Test Connection says the answer is nested too deeply"
faults '{"fail_every": null, "schedule": [{"at": 1, "kind": "deep"}]}'
run admin itglue import '{"instance": "Demo", "feature": "organizations"}'
is "$(json .state)/$(json .result.imported)" done/7 \
	"an import whose first answer is nested too deeply asks again"

# ---- a configuration with 10,000 interfaces ----
# One configuration of Acme with 10,000 interfaces, MACs 02-00-00-00-00-00
# to 02-00-00-00-27-0F.
jq 'def hex: [(. / 16 | floor), (. % 16)] | map("0123456789ABCDEF"[.:. + 1]) | join("");
	.configurations += [{"id": 900, "organization-id": 1, "name": "ACME-HV01",
	"hostname": "acme-hv01", "mac-address": null, "archived": false,
	"configuration-type-id": 2, "configuration-type-name": "Managed Server",
	"configuration-status-id": 1, "configuration-status-name": "Active",
	"interfaces": [range(10000) as $i | {"id": (500000 + $i),
		"name": "vnic\($i)", "ip-address": null, "primary": ($i == 0),
		"mac-address": "02-00-00-00-\($i / 256 | floor | hex)-\($i % 256 | hex)"}]}]' \
	"$DEMO" >"$TMP/many.json"
is "$(jq '.configurations[-1].interfaces | length' "$TMP/many.json")/$(jq -r '.configurations[-1].interfaces[9998]["mac-address"]' "$TMP/many.json")" \
	"10000/02-00-00-00-27-0E" "the data has a configuration with 10,000 interfaces"
start_sandbox --data "$TMP/many.json" || exit 1
run admin itglue instance.update "{\"instance\": \"Demo\", \"url\": \"$BASE\"}"
run admin itglue import '{"instance": "Demo", "feature": "configurations", "filter": {"organization_id": 1}}'
is "$(json .state)/$(json .result.imported)" done/7 \
	"the import of the organization's configurations takes the one with 10,000 interfaces"
db="$HOME_DIR/plugins/itglue/itglue.db"
is "$(sqlite3 "$db" "select count(*), count(distinct mac_address) from itg_configuration_interfaces where configuration_id = '900'")" \
	"10000|10000" "all 10,000 interfaces are stored, each with its MAC"
run system add ACME-HV01 --group Default --os linux --agent-version 9.3.0 \
	--mac 02:00:00:00:27:0e
run admin itglue automap '{"instance": "Demo"}'
is "$(json .state)" done "auto-map reads the configuration with 10,000 interfaces"
run admin itglue mappings '{"instance": "Demo"}'
is "$(json '.systems[] | select(.name == "ACME-HV01") | "\(.state) \(.configuration_id // .configuration)"')" \
	"mapped 900" "a system whose MAC is the 9,999th interface's maps to it"

done_testing
