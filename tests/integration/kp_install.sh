#!/bin/sh
# Knowledge packs: a pack built as `make kp` builds it installs the plugin
# and the seed's objects; a tampered, truncated or padded pack is refused and
# changes nothing; an upgrade keeps the previous version (and the alerts an
# administrator enabled); rollback brings it back; remove takes it all away.
. "$top_srcdir/tests/integration/lib.sh"

KP_BUILD="$top_srcdir/packaging/kp-build.sh"
OBJECTS="$top_srcdir/packaging/knowledge-pack"
NAME=openxdr-itglue

# build OUT VERSION PLUGIN [OBJECTS] : a pack, quietly.
build() {
	sh "$KP_BUILD" "$1" "$NAME" "$2" "$3" "${4:-$OBJECTS}" >/dev/null
}
# state : what an install may change, as one text to compare.
state() {
	run kp list --json
	printf '%s\n' "$(json '[.[] | {name, version, state, objects}]')"
	run alert list --json
	printf '%s\n' "$out"
	ls -A "$PLUGIN_DIR"
	[ -f "$PLUGIN_DIR/itglue$EXT" ] && cksum <"$PLUGIN_DIR/itglue$EXT"
	ls -A "$HOME_DIR/kp/$NAME" 2>/dev/null
}
# repack DIR OUT : a pack from an unpacked tree, the manifest unchanged.
repack() {
	(cd "$1" && tar --format=ustar -cf - manifest.json plugin objects) |
		gzip -n >"$2"
}

build "$TMP/v1.kp" 0.1.0 "$ITGLUE_SO"
is "$?" 0 "kp-build.sh builds a pack"
is "$(tar -tzf "$TMP/v1.kp" | grep -c '^objects/.*\.json$')" 17 \
	"the pack holds the 17 objects of the seed's section 10"
manifest=$(tar -xzOf "$TMP/v1.kp" manifest.json)
is "$(printf '%s' "$manifest" | jq -r '"\(.format) \(.name) \(.version) \(.plugin.file)"')" \
	"1 $NAME 0.1.0 plugin/itglue$EXT" "the manifest names the format, pack, version and plugin"
is "$(printf '%s' "$manifest" | jq '[.objects[].sha256 | test("^[0-9a-f]{64}$")] | all')" \
	true "every object has a SHA-256"

# ---- install ----
run kp install "$TMP/v1.kp"
is "$rc" 0 "kp install succeeds"
like "$out" "installed $NAME 0.1.0 \(17 objects\)" "and says what it installed"
is "$(cmp "$ITGLUE_SO" "$PLUGIN_DIR/itglue$EXT" && echo same)" same \
	"the plugin file is in the plugin directory"
run plugin list --json
is "$(json '.[0] | "\(.name) \(.loaded)"')" "itglue true" "and the host loads it"
run kp list --json
is "$(json '.[0] | "\(.name) \(.version) \(.state) \(.objects)"')" \
	"$NAME 0.1.0 current 17" "kp list shows the pack"
run alert list --json
is "$(json '[.[].name] | join("|")')" \
	"IT Glue: Automap failed for groups|IT Glue: Automap failed for systems|IT Glue: Report upload failed" \
	"the seed's three alerts are imported"
is "$(json '[.[] | select(.enabled == false and .threat == "yellow")] | length')" 3 \
	"inactive, threat yellow"
is "$(json '[.[].event_id] | join(",")')" "4018,4019,4022" "for 4018, 4019 and 4022"
run search list
is "$out" "IT Glue - Automap failed groups
IT Glue - Automap failed systems
IT Glue - Report upload failed
IT Glue - Report uploaded" "the seed's four saved searches"
run alert enable "IT Glue: Report upload failed"
is "$rc" 0 "an alert can be enabled"
run alert enable "No such alert"
is "$rc" 1 "an unknown alert cannot"

# ---- refusals change nothing ----
before=$(state)
mkdir "$TMP/t"
tar -xzf "$TMP/v1.kp" -C "$TMP/t"
sed -i 's/"yellow"/"red"/' "$TMP/t/objects/alerts/automap-failed-groups.json"
repack "$TMP/t" "$TMP/tampered.kp"
run kp install "$TMP/tampered.kp"
is "$rc" 1 "a tampered object is refused"
like "$err" "SHA-256 of \"objects/alerts/automap-failed-groups.json\" does not match" \
	"naming the file whose checksum does not match"
is "$(state)" "$before" "and nothing changed"

rm -rf "$TMP/t" && mkdir "$TMP/t" && tar -xzf "$TMP/v1.kp" -C "$TMP/t"
printf 'x' >>"$TMP/t/plugin/itglue$EXT"
repack "$TMP/t" "$TMP/tampered.kp"
run kp install "$TMP/tampered.kp"
is "$rc" 1 "a tampered plugin is refused"
is "$(state)" "$before" "and nothing changed"

size=$(wc -c <"$TMP/v1.kp")
head -c $((size / 2)) "$TMP/v1.kp" >"$TMP/truncated.kp"
run kp install "$TMP/truncated.kp"
is "$rc" 1 "a truncated pack is refused"
like "$err" "truncated" "as truncated"
is "$(state)" "$before" "and nothing changed"

rm -rf "$TMP/t" && mkdir "$TMP/t" && tar -xzf "$TMP/v1.kp" -C "$TMP/t"
echo extra >"$TMP/t/objects/extra.txt"
repack "$TMP/t" "$TMP/extra.kp"
run kp install "$TMP/extra.kp"
is "$rc" 1 "a file the manifest does not list is refused"
like "$err" "not in the manifest" "and named"
is "$(state)" "$before" "and nothing changed"

rm -rf "$TMP/t" && mkdir "$TMP/t" && tar -xzf "$TMP/v1.kp" -C "$TMP/t"
jq '.version = "../x"' "$TMP/t/manifest.json" >"$TMP/t/m" && mv "$TMP/t/m" "$TMP/t/manifest.json"
repack "$TMP/t" "$TMP/badname.kp"
run kp install "$TMP/badname.kp"
is "$rc" 1 "a manifest with a bad version is refused"
is "$(state)" "$before" "and nothing changed"

run kp install "$TMP/missing.kp"
is "$rc" 1 "a missing pack file is an error"

# ---- upgrade, rollback ----
# The plugin's state from before the upgrade: an instance, the setting on.
run setting set psa_rmm_integration on
run admin itglue instance.add '{"name": "Before", "region": "eu", "api_key": "ITG.upgrade-test-key-0000"}'
cp "$ITGLUE_SO" "$TMP/itglue$EXT"
printf 'v2' >>"$TMP/itglue$EXT" # trailing bytes: loads, yet differs
build "$TMP/v2.kp" 0.2.0 "$TMP/itglue$EXT"
run kp install "$TMP/v2.kp"
is "$rc" 0 "an upgrade installs"
run kp list --json
is "$(json '[.[] | "\(.version) \(.state)"] | join(",")')" "0.2.0 current,0.1.0 previous" \
	"the new version is current, the old one previous"
is "$(cmp "$TMP/itglue$EXT" "$PLUGIN_DIR/itglue$EXT" && echo same)" same "the new plugin is installed"
is "$(cmp "$ITGLUE_SO" "$PLUGIN_DIR/itglue$EXT.prev" && echo same)" same \
	"the previous one is kept as itglue$EXT.prev"
run plugin list --json
is "$(json 'length')" 1 "the kept file is not loaded as a plugin"
run alert list --json
is "$(json '.[] | select(.name == "IT Glue: Report upload failed") | .enabled')" true \
	"an enabled alert stays enabled across the upgrade"
run admin itglue instance.list
is "$(json '[.instances[].name] | join(",")')" "Before" \
	"the plugin's state survives the upgrade (its store is opened and migrated, not replaced)"
run admin itglue instance.test '{"instance": "Before"}'
like "$(json .result.kind)" "^(dns|network|tls|connected|bad_key|wrong_region|rate_limited|down)$" \
	"and its sealed key still unseals (the test reaches the network step)"

run kp rollback "$NAME"
is "$rc" 0 "rollback succeeds"
like "$out" "rolled $NAME back to 0.1.0" "to 0.1.0"
run kp list --json
is "$(json '[.[] | "\(.version) \(.state)"] | join(",")')" "0.1.0 current,0.2.0 previous" \
	"0.1.0 is current again"
is "$(cmp "$ITGLUE_SO" "$PLUGIN_DIR/itglue$EXT" && echo same)" same "with its plugin"
run alert list --json
is "$(json 'length')" 3 "and its objects"

printf 'x' >>"$HOME_DIR/kp/$NAME/0.2.0.kp"
before=$(state)
run kp rollback "$NAME"
is "$rc" 1 "a kept copy that was altered is refused"
is "$(state)" "$before" "and nothing changed"

# ---- remove ----
run kp remove "$NAME"
is "$rc" 0 "kp remove succeeds"
run kp list --json
is "$out" "[]" "no pack is left"
is "$(ls -A "$PLUGIN_DIR")" "" "nor its plugin files"
run alert list --json
is "$out" "[]" "nor its alerts"
run kp remove "$NAME"
is "$rc" 1 "removing it again is an error"
run kp rollback "$NAME"
is "$rc" 1 "and there is nothing to roll back to"

done_testing
