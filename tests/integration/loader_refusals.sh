#!/bin/sh
# The loader: every way a plugin can be refused, each with a one-line reason,
# and the host carrying on with the good plugin beside the bad one.
. "$top_srcdir/tests/integration/lib.sh"

# refused FILE-STEM REASON-REGEX WHAT
# With the probe and one bad plugin in the directory: plugin list exits 0,
# shows the bad one refused with a reason, the probe still loaded and usable.
refused() {
	stem=$1
	reason=$2
	what=$3
	run plugin list --json
	is "$rc" 0 "$what: plugin list exits 0"
	entry=$(json ".[] | select(.file == \"$stem$EXT\")")
	is "$(printf '%s' "$entry" | jq -r '.loaded')" false "$what: refused"
	like "$(printf '%s' "$entry" | jq -r '.error')" "$reason" \
		"$what: the reason says why"
	is "$(json '.[] | select(.file == "probe'"$EXT"'") | .loaded')" true \
		"$what: the good plugin beside it is loaded"
	run plugin list
	like "$out" "$stem.*refused" "$what: plugin list shows the refusal"
	like "$err" "$stem$EXT.*refused" "$what: the refusal is reported on stderr"
	is "$(printf '%s\n' "$err" | grep -c "$stem$EXT")" 1 \
		"$what: the refusal is one line"
	run admin probe status
	is "$rc" 0 "$what: the host carries on and answers for the good plugin"
}

if [ "$WINDOWS" = yes ]; then
	# Wine does not list a dangling symbolic link in a folder, and
	# Windows plugin folders hold none: the case is POSIX's.
	pass "# SKIP on Windows, a dangling link is not listed"
else
	use_plugins probe
	ln -s "$TMP/nowhere$EXT" "$PLUGIN_DIR/gone$EXT"
	refused gone "not found" "a missing file (dangling link)"
fi

use_plugins probe
printf 'this is not a shared library\n' >"$PLUGIN_DIR/junk$EXT"
refused junk "not a loadable library" "a file that is not a library"

use_plugins probe no_entry
refused no_entry "no entry point xdr_plugin_entry" "a library without the entry point"

use_plugins probe null_descriptor
refused null_descriptor "descriptor" "an entry point that returns no descriptor"

use_plugins probe wrong_major
refused wrong_major "ABI 2\.0.*1\.0|1\.0.*ABI 2\.0|major" "a plugin of another ABI major"
run plugin list --json
like "$(json '.[] | select(.file == "wrong_major'"$EXT"'") | .error')" "2\.0" \
	"wrong major: the reason names the plugin's ABI version"

use_plugins probe newer_minor
refused newer_minor "1\.3" "a plugin built for a newer ABI minor"
run plugin list --json
like "$(json '.[] | select(.file == "newer_minor'"$EXT"'") | .error')" "1\.0" \
	"newer minor: the reason names the host's ABI version"

use_plugins probe small_struct
refused small_struct "too small" "a descriptor smaller than its ABI needs"

use_plugins probe bad_name
refused bad_name "name" "a plugin with an invalid name"

use_plugins probe no_callback
refused no_callback "on_admin_action" "a plugin without a required callback"

use_plugins probe init_fails
refused init_fails "init failed: cannot open the frobnicator" "a plugin whose init fails"
run admin broken status
is "$rc" 1 "an admin action for a refused plugin fails"
like "$err" "init failed" "and says why the plugin was refused"

use_plugins probe
cp "$TEST_PLUGINS/probe$EXT" "$PLUGIN_DIR/probe_copy$EXT"
refused probe_copy "already" "a second plugin with a name already loaded"

# Only the plugin directory is searched, and only files with the module
# extension are candidates.
use_plugins probe
printf 'notes\n' >"$PLUGIN_DIR/README"
mkdir "$TMP/elsewhere"
cp "$ITGLUE_SO" "$TMP/elsewhere/itglue$EXT"
run plugin list --json
is "$(json 'length')" 1 "files without the module extension are not candidates"
is "$(json '.[0].name')" probe "plugins outside the plugin directory are not loaded"

run admin nosuch status
is "$rc" 1 "an admin action for an unknown plugin fails"
like "$err" "nosuch" "the error names the plugin"
like "$err" "probe" "the error lists the loaded plugins"

"$XDR_HOST_BIN" --home "$HOME_DIR" --plugin-dir "$TMP/no-such-dir" plugin list \
	>"$TMP/stdout" 2>"$TMP/stderr"
rc=$?
is "$rc" 1 "a missing plugin directory is an error"
like "$(cat "$TMP/stderr")" "no-such-dir" "the error names the directory"

# A good plugin after bad ones still loads, whatever the order.
use_plugins init_fails wrong_major probe
run plugin list --json
is "$(json '[.[] | select(.loaded)] | length')" 1 "one good plugin among bad ones loads"

done_testing
