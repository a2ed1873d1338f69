#!/bin/sh
# IT Glue instances through xdr-host: add, list, update, groups, remove; the
# API key sealed, masked in every answer, and nowhere in clear.
. "$top_srcdir/tests/integration/lib.sh"

use_plugins itglue
key="ITG.5b7c0e1f2a3d4c5b6a7988aa4f1e2d3cQz9w"

run setting set psa_rmm_integration on
run group add Default --email it-admin@acmecorp.example
run group add Globex --email security@globex.example
run group add Lab

run admin itglue instance.add "{\"name\": \"Acme US\", \"region\": \"us\", \"api_key\": \"$key\"}"
is "$rc" 0 "instance.add with a region"
is "$(json .id)" 1 "instance.add answers the new id"
is "$(json .url)" "https://api.itglue.com" "a US instance talks to IT Glue's US host"
is "$(json .api_key)" "ITG.****Qz9w" "the answer shows the key masked"
unlike "$out" "5b7c0e1f" "the answer holds no part of the key but its last 4 characters"
is "$(json .last_test)" "null" "a new instance was never tested"
is "$(json '.rate | "\(.requests)/\(.seconds)"')" "3000/300" \
	"the default budget is IT Glue's 3000 requests per 300 s"

run admin itglue instance.add "{\"name\": \"acme us\", \"region\": \"eu\", \"api_key\": \"$key\"}"
is "$rc" 1 "a second instance of the same name (any case) is refused"
like "$(json .error.message)" "exists" "and says the name is taken"

run admin itglue instance.add '{"name": "Lab", "url": "http://127.0.0.1:9", "api_key": "ITG.lab"}'
is "$rc" 0 "instance.add with a loopback http URL (a local sandbox)"
is "$(json .region)" "null" "an instance with a URL has no region"

run admin itglue instance.add '{"name": "Plain", "url": "http://itglue.example", "api_key": "ITG.x"}'
is "$rc" 1 "an http URL to another host is refused"
like "$(json .error.message)" "unencrypted" "because the key would travel in clear"
run admin itglue instance.add '{"name": "X", "region": "uk", "api_key": "ITG.x"}'
like "$(json .error.message)" "us, eu or au" "an unknown region names the known ones"
run admin itglue instance.add '{"name": "X", "region": "us"}'
like "$(json .error.message)" "api_key" "an instance needs a key"
run admin itglue instance.add '{"name": "X", "region": "us", "api_key": "ITG.x", "ca_file": "/nonexistent/ca.pem"}'
like "$(json .error.message)" "not a readable file" "a CA file that is not there is refused now, not later"
run admin itglue instance.add '{"name": "X", "region": "us", "api_key": "ITG.x", "colour": "red"}'
like "$(json .error.message)" "colour" "an unknown field is refused by name"

run admin itglue instance.groups '{"instance": "Acme US", "groups": ["Default", "Globex"]}'
is "$rc" 0 "instance.groups by group name"
is "$(json '[.groups[].name] | join(",")')" "Default,Globex" "the instance serves those groups"
lab_group=$("$XDR_HOST_BIN" --home "$HOME_DIR" group list --json | jq '.[2].id')
run admin itglue instance.groups "{\"instance\": 2, \"groups\": [$lab_group, \"Default\"]}"
is "$rc" 1 "a group served by another instance is refused"
like "$(json .error.message)" "Acme US" "and the refusal names that instance"
run admin itglue instance.groups "{\"instance\": 2, \"groups\": [$lab_group]}"
is "$(json '[.groups[].name] | join(",")')" "Lab" "instance.groups by group id, instance by id"
run admin itglue instance.groups '{"instance": "Lab", "groups": ["Nowhere"]}'
like "$(json .error.message)" "Nowhere" "an unknown group is refused by name"

run admin itglue instance.update '{"instance": "Acme US", "region": "eu", "proxy": "http://proxy.example:3128"}'
is "$(json '[.region, .url, .proxy] | join(" ")')" \
	"eu https://api.eu.itglue.com http://proxy.example:3128" "instance.update changes region and proxy"
is "$(json .api_key)" "ITG.****Qz9w" "instance.update keeps the key"
run admin itglue instance.update '{"instance": "Acme US", "proxy": null}'
is "$(json .proxy)" "null" "instance.update clears the proxy with null"
run admin itglue instance.update '{"instance": "Acme US", "api_key": "ITG.rotatedkey0000WXYZ"}'
is "$(json .api_key)" "ITG.****WXYZ" "a new key is sealed and shown masked"
run admin itglue instance.update '{"instance": "Nobody", "region": "us"}'
is "$(json .error.code)" not_found "updating an unknown instance answers not_found"

run admin itglue instance.list
is "$(json '[.instances[].name] | join(",")')" "Acme US,Lab" "instance.list lists every instance"
is "$(json '[.instances[].groups | length] | join(",")')" "2,1" "with the groups each serves"

# The key is nowhere in clear: not in the host's files, the plugin's store,
# the log, nor any answer.
if grep -rqa -e "$key" -e "ITG.rotatedkey0000WXYZ" "$HOME_DIR"; then
	fail "the API keys are stored nowhere in clear"
else
	pass "the API keys are stored nowhere in clear"
fi
like "$(cat "$HOME_DIR/xdr-host.log")" "instance \"Acme US\" added" "adding an instance is logged"

run admin itglue instance.remove '{"instance": "Lab"}'
is "$(json .removed)" 2 "instance.remove answers the removed id"
run admin itglue instance.groups "{\"instance\": \"Acme US\", \"groups\": [$lab_group]}"
is "$rc" 0 "a removed instance's groups are free for another"
run admin itglue instance.remove '{"instance": "Lab"}'
is "$rc" 1 "removing it twice is refused"

run setting set psa_rmm_integration off
run admin itglue instance.list
is "$(json .error.code)" integration_disabled "instances are out of reach while the integration is off"

done_testing
