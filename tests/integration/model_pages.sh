#!/bin/sh
# Pages of the long lists (system list, report list, events with --offset
# and --limit; the lists without them as before) and report config set,
# which turns "Publish report to the IT Glue" on or off.
. "$top_srcdir/tests/integration/lib.sh"

use_plugins

run group add Default
run group add Lab
for name in WS-01 WS-02 LAB-01 WS-03 WS-04 LAB-02 WS-05; do
	case $name in
	LAB-*) run system add "$name" --group Lab ;;
	*) run system add "$name" --group Default ;;
	esac
done

# ---- system list ----
run system list --json
is "$(json '[.[].name] | join(",")')" "WS-01,WS-02,LAB-01,WS-03,WS-04,LAB-02,WS-05" \
	"system list --json without a page lists every system in id order, as a bare array"
run system list
is "$(lines_of "$out")" 8 "system list without a page prints the header and every system, no page line"
run system list --limit 3 --json
is "$(json '"\(.total)/\(.offset)/\(.limit)"')" "7/0/3" \
	"system list --limit 3 --json gives total, offset and limit"
is "$(json '[.items[].name] | join(",")')" "WS-01,WS-02,LAB-01" \
	"and the first three systems in id order"
is "$(json '.items[2].group')" "Lab" "a page's items have the fields of system list --json"
run system list --offset 5 --json
is "$(json '.limit')" 25 "--offset alone pages 25 at a time"
is "$(json '[.items[].name] | join(",")')" "LAB-02,WS-05" "from the offset to the end"
run system list --offset 5 --limit 1
is "$(printf '%s\n' "$out" | tail -n 1)" "6-6 of 7" "the table of a page ends with which items of how many"
like "$(printf '%s\n' "$out" | sed -n 2p)" "^6 +LAB-02 +Lab " "and shows the page's system"
run system list --offset 100
is "$(printf '%s\n' "$out" | tail -n 1)" "0 of 7 (offset 100)" \
	"a page past the end is empty and says how many there are"
run system list --limit 0
is "$rc" 2 "--limit 0 is a usage error"
like "$err" "--limit needs a number from 1 to 500, not '0'" "naming the accepted range"
run system list --limit 501
is "$rc" 2 "--limit 501 is a usage error"
run system list --limit ten
is "$rc" 2 "a --limit that is not a number is a usage error"
run system list --offset -1
is "$rc" 2 "a negative --offset is a usage error"
like "$err" "--offset needs a whole number of 0 or more, not '-1'" "naming what it takes"
like "$err" "usage: xdr-host system list \[--offset N\] \[--limit N\] \[--json\]" \
	"followed by the usage line"

# ---- report list ----
run report config add "Daily EDR" --group Default
printf '<html><body>EDR summary</body></html>\n' >"$TMP/edr.html"
for title in First Second Third; do
	run report generate --config "Daily EDR" --title "$title" --file "$TMP/edr.html" \
		--system WS-01
done
run report list --json
is "$(json '[.[].title] | join(",")')" "First,Second,Third" \
	"report list --json without a page lists oldest first, as a bare array"
run report list --limit 2 --json
is "$(json '"\(.total)/\(.offset)/\(.limit)"')" "3/0/2" "report list --limit 2 --json gives total, offset and limit"
is "$(json '[.items[].title] | join(",")')" "Third,Second" "a page of reports is newest first"
is "$(json '.items[0].systems | join(",")')" "WS-01" "with each report's systems"
run report list --offset 2
is "$(printf '%s\n' "$out" | tail -n 1)" "3-3 of 3" "the last page of reports says which of how many"
like "$out" "First" "and holds the oldest report"
run report list --limit 9999
is "$rc" 2 "report list refuses a --limit over 500"

# ---- events ----
# The probe plugin emits what it is told (and one event per report).
use_plugins probe
for id in 4018 4021 4018 4022 4018; do
	run admin probe emit "{\"id\": $id, \"description\": \"event $id\"}"
done
run events --json
is "$(json '[.[].seq] | join(",")')" "1,2,3,4,5" "events --json without a page lists every event in order"
run events --limit 2 --json
is "$(json '"\(.total)/\(.offset)/\(.limit)"')" "5/0/2" "events --limit 2 --json gives total, offset and limit"
is "$(json '[.items[].seq] | join(",")')" "5,4" "a page of events is newest first"
run events --id 4018 --offset 1 --limit 1 --json
is "$(json '"\(.total) \([.items[].seq] | join(","))"')" "3 3" \
	"--id keeps to its event id in a page and in the total"
run events --id 4021 --limit 5
is "$(printf '%s\n' "$out" | tail -n 1)" "1-1 of 1" "the table of a page of events ends with which of how many"
run events --offset x
is "$rc" 2 "events refuses an --offset that is not a number"

# ---- report config set ----
run report config set "Daily EDR" --publish-itglue
is "$rc" 0 "report config set --publish-itglue succeeds without the IT Glue plugin"
like "$err" "itglue plugin is not loaded: whether group \"Default\" can be published to IT Glue was not checked" \
	"and warns, as report config add does, that the group was not checked"
is "$out" "" "report config set prints nothing"
run report config list --json
is "$(json '.[0].publish_itglue')" true "the configuration now publishes"
run report config set "  Daily EDR " --no-publish-itglue
is "$rc" 0 "report config set --no-publish-itglue, the name trimmed as everywhere"
run report config list --json
is "$(json '.[0].publish_itglue')" false "the configuration no longer publishes"
run report list --json
is "$(json '.[0].publish_itglue')" false "a report keeps the publishing it was generated with"
run report config set Nowhere --no-publish-itglue
is "$rc" 1 "an unknown configuration fails"
like "$err" "no report configuration \"Nowhere\"" "naming it"
run report config set "Daily EDR"
is "$rc" 2 "report config set without --publish-itglue or --no-publish-itglue is a usage error"
like "$err" "missing option --publish-itglue or --no-publish-itglue" "saying what is missing"
run report config set "Daily EDR" --publish-itglue --no-publish-itglue
is "$rc" 2 "both options at once are a usage error"
run report config set --help
like "$out" "--no-publish-itglue" "report config set --help lists its options"

done_testing
