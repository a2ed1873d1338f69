#!/bin/sh
# After admin, report generate and tick, the host waits while a plugin says
# it is busy: bounded, skippable, with a progress line on terminals only.
. "$top_srcdir/tests/integration/lib.sh"

use_plugins probe

now_ms() {
	date +%s%3N
}

start=$(now_ms)
run admin probe work '{"steps": 5, "ms": 100}'
elapsed=$(($(now_ms) - start))
is "$rc" 0 "admin waits and exits 0 when the work ends"
if [ "$elapsed" -ge 500 ]; then pass "admin waited for the work (${elapsed} ms)"; else
	fail "admin waited for the work (${elapsed} ms)"; fi
is "$err" "" "on a non-terminal nothing of the progress is printed"

start=$(now_ms)
run admin probe work '{"steps": 600, "ms": 100}' --no-wait
elapsed=$(($(now_ms) - start))
is "$rc" 0 "--no-wait exits 0"
if [ "$elapsed" -lt 30000 ]; then pass "--no-wait does not wait for a minute of work"; else
	fail "--no-wait does not wait for a minute of work (${elapsed} ms)"; fi

run admin probe work '{"steps": 100, "ms": 100}' --wait-seconds 1
is "$rc" 3 "the wait is bounded: exit 3 when still busy"
like "$err" "probe.*still busy" "and says which plugin is still busy"

if [ "$WINDOWS" = yes ]; then
	# Wine's console redraws what a program writes to a terminal (its
	# own cursor and erase sequences around every character), so the
	# bytes cannot be compared; the line itself is the same code.
	pass "# SKIP under Wine, the console rewrites terminal output"
elif command -v script >/dev/null 2>&1; then
	script -qec "'$XDR_HOST_BIN' --home '$HOME_DIR' --plugin-dir '$PLUGIN_DIR' admin probe work '{\"steps\": 4, \"ms\": 200}'" \
		"$TMP/typescript" >"$TMP/tty-out" 2>&1
	like "$(tr '\r' '\n' <"$TMP/tty-out")" "probe work.*[0-9]+/4" \
		"on a terminal the progress line shows what runs and how far"
else
	pass "# SKIP script(1) is not installed"
fi

printf '<html></html>' >"$TMP/r.html"
run group add Default
start=$(now_ms)
run report generate --group Default --title T --file "$TMP/r.html" --no-wait
is "$rc" 0 "report generate --no-wait"
run tick --wait-seconds 5
is "$rc" 0 "tick waits (nothing busy) and exits 0"

done_testing
