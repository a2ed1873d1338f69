#!/bin/sh
# demo.json holds the traps that the example inventory
# (host-sdk/examples/inventory.json) must run into once mapped.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

start_sandbox --data "$DEMO" || exit 1

for k in "$US_KEY" "$EU_KEY" "$AU_KEY"; do
	like "$(jq -r '.api_keys[].key' "$DEMO" | tr '\n' ' ')" "$k" \
		"a demo key: $k"
done

# domain D: ids of the organizations whose important contacts use it.
domain_orgs() {
	req GET "/contacts?filter[important]=true&page[size]=1000"
	json "[.data[] | select(any(.attributes[\"contact-emails\"][];
		.value | endswith(\"@$1\"))) | .attributes[\"organization-id\"]]
		| unique | map(tostring) | join(\",\")"
}
is "$(domain_orgs acmecorp.example)" 1 \
	"group Default's domain: one organization, Acme Corp."
is "$(domain_orgs globex.example)" "2,3" \
	"group Globex's domain: two organizations (cannot auto-map)"

req GET "/contacts?page[size]=1000"
is "$(json '[.data[] | select(.attributes["organization-id"] != 1 and any(.attributes["contact-emails"][]; .value | endswith("@acmecorp.example"))) | .attributes.important] | map(tostring) | join(",")')" \
	false "another organization's contact with Acme's domain, not important"
is "$(json '[.data[] | select(.attributes.important == null)] | length')" 1 \
	"a contact whose important is null"

req GET "/configurations?page[size]=1000&include=configuration_interfaces"
norm='ascii_upcase | gsub("[^0-9A-F]"; "")'
macs_of() {
	json ". as \$doc | [.data[] | select(.attributes.name == \"$1\") as \$c |
		([\$c.attributes[\"mac-address\"]] +
		 [\$doc.included[] | select(.attributes[\"configuration-id\"] ==
			(\$c.id | tonumber)) | .attributes[\"mac-address\"]])
		| .[] | select(. != null)] | join(\" \")"
}
is "$(json '[.data[] | select(.attributes.name == "ACME-DC01") | .attributes["mac-address"]] | join(",")')" \
	"18-5E-0F-ED-99-9A" "ACME-DC01's own MAC, in dashes"
is "$(json '[.data[] | select(.attributes.name == "ACME-WS01") | .attributes["mac-address"]] | join(",")')" \
	"" "ACME-WS01 has no MAC of its own"
is "$(json '[.included[] | select(.attributes["configuration-id"] == 101) | .attributes["mac-address"]] | join(",")')" \
	"C4:7A:92:14:3D:78,00:50:56:C0:00:08" \
	"its MACs are on interfaces, in upper-case colons"
is "$(json "[.data[] | select(.attributes[\"mac-address\"] != null and (.attributes[\"mac-address\"] | $norm) == \"3C528271A0B4\") | .attributes.name] | join(\",\")")" \
	"ACME-WS02,ACME-WS02-CLONE" "ACME-WS02's MAC is on two configurations"
is "$(json '[.data[] | select(.attributes.name == "ACME-FW01") | .attributes["mac-address"]] | join(",")')" \
	"" "the syslog firewall has no MAC"
is "$(json '[.data[] | select(.attributes.archived) | .attributes.name] | join(",")')" \
	"ACME-WS00" "one archived configuration"
is "$(macs_of GLOBEX-SRV01)" "00-1A-2B-3C-4D-5E 00:1a:2b:3c:4d:5e" \
	"GLOBEX-SRV01's MAC in two notations"

req GET "/organizations?page[size]=1000"
is "$(json '[.data[].attributes["organization-type-name"]] | unique | join(",")')" \
	"Customer,Owner,Vendor" "organizations of several types"
is "$(json '[.data[].attributes["organization-status-name"]] | unique | join(",")')" \
	"Active,Inactive" "and statuses"

done_testing
