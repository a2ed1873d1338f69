#!/bin/sh
# The host services of the ABI, seen through the probe plugin: settings, the
# state directory, sealed secrets, groups and systems, reports, ticks, events
# and the admin action contract.
. "$top_srcdir/tests/integration/lib.sh"

use_plugins probe

run admin probe setting '{"key": "psa_rmm_integration"}'
is "$(json .value)" off "a plugin reads the integration setting (off)"
run setting set psa_rmm_integration on
run admin probe setting '{"key": "psa_rmm_integration"}'
is "$(json .value)" on "a plugin sees the setting change"
run admin probe setting '{"key": "no_such_setting"}'
is "$rc" 1 "an unknown setting is an error for the plugin"

run admin probe state_dir
state_dir=$(json .state_dir)
like "$state_dir" "$ABS_PATH_RE" "the state directory is an absolute path"
state_dir=$(host_path "$state_dir")
if [ -d "$state_dir" ]; then pass "the state directory exists"; else fail "the state directory exists"; fi
if [ "$WINDOWS" = yes ]; then
	# No mode bits on Windows: an access list keeps the folder private.
	pass "# SKIP on Windows, the state directory is private by its access list"
else
	is "$(stat -c %a "$state_dir")" 700 "the state directory is private (0700)"
fi
case $state_dir in "$HOME_DIR"/*) pass "the state directory is inside the home" ;;
*) fail "the state directory is inside the home" ;; esac

secret="ITG.0123456789abcdef.s3cr3t"
run admin probe seal "{\"secret\": \"$secret\"}"
is "$rc" 0 "seal answers"
sealed=$(json .sealed)
unlike "$sealed" "s3cr3t" "sealed text does not hold the secret"
isnt "$sealed" "" "sealed text is not empty"
if [ "$WINDOWS" = yes ]; then
	# On Windows DPAPI protects the key for the user; no mode bits.
	pass "# SKIP on Windows, the key file is protected by DPAPI"
else
	is "$(stat -c %a "$HOME_DIR/seal.key")" 600 "the key file is readable by its owner only"
fi
if grep -rqa "s3cr3t" "$HOME_DIR"; then
	fail "the secret is stored nowhere in the home"
else
	pass "the secret is stored nowhere in the home"
fi
run admin probe unseal "{\"sealed\": \"$sealed\"}"
is "$(json .secret)" "$secret" "unseal gives the secret back"
tampered=$(printf '%s' "$sealed" | sed 's/.$/A/; t; s/$//')
[ "$tampered" = "$sealed" ] && tampered=$(printf '%s' "$sealed" | sed 's/.$/B/')
run admin probe unseal "{\"sealed\": \"$tampered\"}"
is "$rc" 1 "an altered sealed text is refused"
other_home="$TMP/other-home"
"$XDR_HOST_BIN" --home "$other_home" --plugin-dir "$PLUGIN_DIR" admin probe \
	unseal "{\"sealed\": \"$sealed\"}" >/dev/null 2>&1
is "$?" 1 "another host cannot unseal the secret"
if [ "$WINDOWS" = yes ]; then
	# Mode bits again: a DPAPI key of another user fails to unprotect
	# instead (tests/unit/test_host_seal.c).
	pass "# SKIP on Windows, no mode bits to refuse a key file by"
	pass "# SKIP on Windows, no mode bits to refuse a key file by"
else
	chmod 644 "$HOME_DIR/seal.key"
	run admin probe seal '{"secret": "x"}'
	is "$rc" 1 "a key file readable by others is refused"
	like "$err" "seal\.key" "the refusal names the key file"
	chmod 600 "$HOME_DIR/seal.key"
fi

run group add Default --email it@acme.example
run group add Lab
run system add WS-01 --group Default --os windows --mac 18-5E-0F-ED-99-9A
run system add LAB-01 --group Lab --os linux --mac 00:1a:2b:3c:4d:5e
run admin probe groups
is "$(json '[.groups[] | "\(.name)=\(.email)"] | join(" ")')" \
	"Default=it@acme.example Lab=null" "a plugin lists the groups"
run admin probe systems
is "$(json '[.systems[].name] | join(" ")')" "WS-01 LAB-01" "a plugin lists every system"
lab_id=$("$XDR_HOST_BIN" --home "$HOME_DIR" group list --json | jq '.[1].id')
run admin probe systems "{\"group_id\": $lab_id}"
is "$(json '[.systems[].name] | join(" ")')" "LAB-01" "a plugin lists the systems of one group"
run admin probe systems '{"group_id": 999}'
is "$rc" 1 "listing the systems of an unknown group is an error"

run report config add "Daily EDR" --group Default --publish-itglue
printf '<html>EDR</html>' >"$TMP/edr.html"
run report generate --config "Daily EDR" --title "EDR Summary Reports" \
	--file "$TMP/edr.html" --system WS-01
report_id=$out
run events --id 9001 --json
is "$(json 'length')" 1 "report generate calls on_report_generated once"
is "$(json '.[0].fields | [.report_id, .title, .file_name, .size, .systems, .publish_itglue] | join("|")')" \
	"$report_id|EDR Summary Reports|edr.html|16|1|1" \
	"the plugin reads the report's fields from the host"
is "$(json '.[0].source')" probe "the host sets the event's source to the plugin"
is "$(json '.[0].severity')" info "events keep their severity"

run tick --now 2026-01-01T06:00:00Z
is "$rc" 0 "tick --now"
run events --id 9002 --json
is "$(json '.[0].fields.now')" 1767247200 "on_schedule_tick gets the time given to --now"
run tick --now 2026-01-01T08:00:00+02:00
run events --id 9002 --json
is "$(json '.[1].fields.now')" 1767247200 "--now understands UTC offsets"
run tick --now yesterday
is "$rc" 2 "a malformed --now is a usage error"

run events
like "$out" "9001.*probe" "events prints a table"
like "$out" "title: EDR Summary Reports" "events prints the fields"

run admin probe fail
is "$rc" 1 "a plugin's error answer exits 1"
is "$(json .error.message)" "the probe fails as asked" "the error JSON is printed on stdout"
like "$err" "the probe fails as asked" "the error is told on stderr"
run admin probe garbage
is "$rc" 1 "a response that is not JSON exits 1"
like "$err" "invalid JSON" "and says the plugin returned invalid JSON"
run admin probe setting '{"key": '
is "$rc" 2 "a request that is not JSON is a usage error"
run_stdin '{"key": "psa_rmm_integration"}' admin probe setting -
is "$(json .value)" on "a request can come on standard input"

if grep -q "probe ready" "$HOME_DIR/xdr-host.log"; then
	pass "plugin log lines reach the host log"
else
	fail "plugin log lines reach the host log"
fi

done_testing
