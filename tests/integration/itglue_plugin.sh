#!/bin/sh
# The itglue plugin as the reference host sees it: loaded with its ABI, the
# status action, the integration gate, the admin contract, its store.
. "$top_srcdir/tests/integration/lib.sh"

use_plugins itglue

if [ "$WINDOWS" = yes ]; then
	# The DLL's export table.
	defined=$("${OBJDUMP:-objdump}" -p "$ITGLUE_SO" |
		sed -n '/^\[Ordinal\/Name Pointer\] Table/,/^$/p' |
		sed -n 's/^[[:space:]]*\[ *[0-9]*\] //p')
else
	defined=$(nm -D --defined-only "$ITGLUE_SO" 2>/dev/null | awk '$2 == "T" { print $3 }')
fi
is "$defined" "xdr_plugin_entry" "itglue exports one function: xdr_plugin_entry"

run plugin list --json
is "$rc" 0 "plugin list exits 0"
is "$(json '.[0] | [.name, .abi, .loaded] | join(" ")')" "itglue 1.0 true" \
	"plugin list shows itglue loaded with ABI 1.0"
like "$(json '.[0].version')" "^[0-9]+\.[0-9]+\.[0-9]+" "plugin list shows its version"
run plugin list
like "$out" "itglue.*1\.0.*loaded" "plugin list prints itglue as loaded"

run admin itglue status
is "$rc" 0 "status answers while the integration is off"
is "$(json .busy)" false "status says whether the plugin is busy"
is "$(json .enabled)" false "status says the integration is disabled"
is "$(json 'has("progress")')" false "an idle plugin shows no progress"

for action in automap import instance.add publish frobnicate; do
	run admin itglue "$action" '{}'
	is "$rc" 1 "integration off: '$action' is refused"
	is "$(json .error.code)" integration_disabled \
		"integration off: '$action' answers integration_disabled"
done
like "$(json .error.message)" "Enable PSA/RMM Integration" \
	"the refusal tells which setting to turn on"
like "$err" "disabled" "the refusal is told on stderr too"

run setting set psa_rmm_integration on
run admin itglue status
is "$(json .enabled)" true "status follows the setting"
run admin itglue frobnicate
is "$rc" 1 "integration on: an unknown action is refused"
is "$(json .error.code)" unknown_action "an unknown action answers unknown_action"
like "$(json .error.message)" "status" "the refusal lists the known actions"
run admin itglue status '[1, 2]'
is "$rc" 2 "a request that is not a JSON object is a usage error"
run admin itglue status '{"verbose": true}'
is "$rc" 1 "status refuses parameters it does not know"
is "$(json .error.code)" bad_request "and answers bad_request"
run admin itglue 'Bad Action!'
is "$(json .error.code)" bad_action "a malformed action name answers bad_action"

run admin itglue status
state_db="$HOME_DIR/plugins/itglue/itglue.db"
if [ -f "$state_db" ]; then pass "the plugin keeps its store in its state directory"; else
	fail "the plugin keeps its store in its state directory"; fi
if command -v sqlite3 >/dev/null 2>&1; then
	is "$(sqlite3 "$state_db" 'PRAGMA journal_mode;')" wal "the store uses WAL"
	is "$(sqlite3 "$state_db" 'PRAGMA user_version;')" \
		"$(json .schema_version)" "the store's schema version is the one status reports"
fi

schema=$(json .schema_version)
like "$schema" "^[1-9][0-9]*$" "status reports the store's schema version"
run admin itglue status
is "$(json .schema_version)" "$schema" "reopening the store keeps its schema version"

printf '<html></html>' >"$TMP/r.html"
run group add Default
run report config add Daily --group Default --publish-itglue
is "$rc" 1 "publishing cannot be asked for a group that is not mapped"
like "$err" "served by no IT Glue instance|not mapped" "and the plugin says why"
run report config add Daily --group Default
run report generate --config Daily --title "EDR Summary Reports" --file "$TMP/r.html"
is "$rc" 0 "report generate with itglue loaded"
run tick --now 2026-01-01T00:00:00Z
is "$rc" 0 "tick with itglue loaded"
run events --json
is "$out" "[]" "no instance, nothing to publish or map: no events"

run setting set psa_rmm_integration off
run tick --now 2026-01-01T06:00:00Z
is "$rc" 0 "tick with the integration off does nothing and succeeds"

done_testing
