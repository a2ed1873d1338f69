#!/bin/sh
# Publishing reports (through tests/tools/itg-publish) against
# itglue-sandbox: the type created once, a hand-made type used as it is, a
# type without the Upload field refused, no duplicates, related items twice,
# large reports plain and gzipped, one too large refused before any POST,
# and a create whose answer was lost found again.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

PUBLISH=$(runnable "$top_builddir/tests/tools/itg-publish")
command -v gzip >/dev/null 2>&1 || {
	echo "1..0 # SKIP gzip is not installed"
	exit 0
}

TITLE="EDR Summary Reports"

# publish ARGS... : itg-publish against the sandbox with $KEY and org 1;
# sets $rc, $out, $err.
publish() {
	"$PUBLISH" --url "$BASE" --key "$KEY" --org 1 "$@" \
		>"$TMP/stdout" 2>"$TMP/stderr" </dev/null
	rc=$?
	out=$(cat "$TMP/stdout")
	err=$(cat "$TMP/stderr")
}

# field NAME : the value of NAME=... in the output's words.
field() {
	printf '%s\n' "$out" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1
}

# count ROUTE : how many requests the sandbox saw on ROUTE ("POST /x").
count() {
	curl -s "$BASE/_sandbox/counts" |
		jq -r --arg r "$1" '.routes[$r] // 0'
}

# assets_holding NAME : how many assets hold the file NAME.
assets_holding() {
	curl -s "$BASE/_sandbox/data" | jq --arg n "$1" \
		'[.flexible_assets[] | select(.traits[]? | objects |
		  .file_name == $n)] | length'
}

# asset_data ID : the stored asset ID.
asset_data() {
	curl -s "$BASE/_sandbox/data" |
		jq -c --argjson id "$1" '.flexible_assets[] | select(.id == $id)'
}

faults() {
	curl -s -X POST -d "$1" "$BASE/_sandbox/faults" >/dev/null
}

printf '<html><body><h1>EDR Summary</h1></body></html>\n' >"$TMP/small.html"

# --- The type is created once, and each report once. ---
start_sandbox --data "$DEMO"
KEY=$US_KEY
publish --title "$TITLE" --file "$TMP/small.html" --report-id 1239 \
	--generated 1568967000
is "$rc" 0 "first report: published"
is "$(field created)" 1 "first report: created"
is "$(field file)" EDR_Summary_Reports_1239_1568967000.html \
	"first report: the file is named as in the guide"
first=$(field asset)
type_id=$(field type)
stored=$(asset_data "$first")
is "$(printf '%s' "$stored" | jq -r '.traits["report-name"]')" "$TITLE" \
	"first report: Report Name is the title"
is "$(printf '%s' "$stored" | jq -r '.traits["report-generation-date"]')" \
	2019-09-20 "first report: Report Generation Date (UTC)"
is "$(printf '%s' "$stored" | jq -r '.traits["expiry-date"]')" \
	2020-09-20 "first report: Expiry Date a calendar year later, as in the guide"
is "$(printf '%s' "$stored" | jq -r '.name')" "$TITLE" \
	"first report: the asset is named by its title"

publish --title "EDR Compliance Summary Reports" --file "$TMP/small.html" \
	--report-id 1243 --generated 1569522599
is "$rc" 0 "second report: published"
is "$(field created)" 1 "second report: created"
is "$(field type)" "$type_id" "second report: the same type"
publish --title "$TITLE" --file "$TMP/small.html" --report-id 1239 \
	--generated 1569656940
is "$(field created)" 1 "third report (same title, other time): created"
is "$(count 'POST /flexible_asset_types')" 1 "the type was created once"

# --- The same report again is found, not duplicated. ---
posts=$(count 'POST /flexible_assets')
publish --title "$TITLE" --file "$TMP/small.html" --report-id 1239 \
	--generated 1568967000
is "$rc" 0 "the first report again: success"
is "$(field created)" 0 "the first report again: found"
is "$(field asset)" "$first" "the first report again: the same asset"
is "$(count 'POST /flexible_assets')" "$posts" \
	"the first report again: no POST"
is "$(assets_holding EDR_Summary_Reports_1239_1568967000.html)" 1 \
	"the first report exists once"
like "$(curl -s "$BASE/_sandbox/requests" | jq -r '[.requests[] |
	select(.path == "/flexible_assets" and .method == "GET")][-1].query')" \
	'filter\[name\]=EDR%20Summary%20Reports' \
	"the search is narrowed by the title"

# --- Related items, twice. ---
publish --title "$TITLE" --file "$TMP/small.html" --report-id 1239 \
	--generated 1568967000 --relate 100 --relate 101
is "$rc" 0 "relate: success"
like "$out" "related=100 already=0" "relate: configuration 100 related"
publish --title "$TITLE" --file "$TMP/small.html" --report-id 1239 \
	--generated 1568967000 --relate 100
is "$rc" 0 "relate again: success"
like "$out" "related=100 already=1" "relate again: already related"
is "$(asset_data "$first" | jq '[.["related-items"][] |
	select(.["destination-id"] == 100)] | length')" 1 \
	"relate again: one related item"
publish --title "$TITLE" --file "$TMP/small.html" --report-id 1239 \
	--generated 1568967000 --relate 999999
is "$rc" 1 "relate to a configuration that does not exist: fails"
like "$err" "Destination must exist" "... and says why"

# --- A 1 MB report. ---
head -c 786432 /dev/urandom | base64 -w 0 >"$TMP/mb.html"
publish --title "$TITLE" --file "$TMP/mb.html" --report-id 2000
is "$rc" 0 "1 MB report: published"
is "$(field gzipped)" 0 "1 MB report: not gzipped"
file_id=$(asset_data "$(field asset)" | jq -r '.traits["report-file"].id')
curl -s "$BASE/_sandbox/files/$file_id" >"$TMP/mb.back"
if cmp -s "$TMP/mb.html" "$TMP/mb.back"; then
	pass "1 MB report: IT Glue holds the same bytes"
else
	fail "1 MB report: IT Glue holds the same bytes"
fi

# --- Over 10 MB of HTML that compresses: sent gzipped. ---
i=0
while [ $i -lt 2000 ]; do
	echo "<tr><td>host-$i</td><td>4625</td><td>failed logon</td></tr>"
	i=$((i + 1))
done >"$TMP/rows"
: >"$TMP/big.html"
i=0
while [ $i -lt 90 ]; do
	cat "$TMP/rows" >>"$TMP/big.html"
	i=$((i + 1))
done
publish --title "$TITLE" --file "$TMP/big.html" --report-id 2001
is "$rc" 0 "compressible report over 10 MB: published"
is "$(field gzipped)" 1 "compressible report over 10 MB: gzipped"
is "$(field file)" "EDR_Summary_Reports_2001_1568967000.html.gz" \
	"compressible report over 10 MB: named .html.gz"
file_id=$(asset_data "$(field asset)" | jq -r '.traits["report-file"].id')
curl -s "$BASE/_sandbox/files/$file_id" | gzip -dc >"$TMP/big.back"
if cmp -s "$TMP/big.html" "$TMP/big.back"; then
	pass "compressible report: it unzips to the same HTML"
else
	fail "compressible report: it unzips to the same HTML"
fi
publish --title "$TITLE" --file "$TMP/big.html" --report-id 2001
is "$(field created)" 0 "compressible report again: found by its .gz name"

# --- Over 10 MB that does not compress: refused before any POST. ---
head -c 12000000 /dev/urandom | base64 >"$TMP/random.html"
posts=$(count 'POST /flexible_assets')
publish --title "$TITLE" --file "$TMP/random.html" --report-id 2002
is "$rc" 1 "incompressible report over 10 MB: refused"
like "$err" "too large for IT Glue: its [0-9]+ bytes of HTML make a request body of [0-9]+ bytes, and gzipped \([0-9]+ bytes\) one of [0-9]+ bytes; IT Glue accepts at most 10485760" \
	"incompressible report: the sizes are said"
like "$err" "\[too_large, permanent\]" "incompressible report: permanent"
is "$(count 'POST /flexible_assets')" "$posts" \
	"incompressible report: no POST reached IT Glue"

# --- A 500 on the POST: nothing was made; the next run creates it. ---
faults '{"schedule":[{"at":3,"kind":"500"}]}'
publish --title "$TITLE" --file "$TMP/small.html" --report-id 3000
is "$rc" 1 "500 on the POST: fails"
like "$err" "\[server, retry\]" "500 on the POST: may be retried"
publish --title "$TITLE" --file "$TMP/small.html" --report-id 3000
is "$(field created)" 1 "500 on the POST, next run: created"
is "$(assets_holding EDR_Summary_Reports_3000_1568967000.html)" 1 \
	"500 on the POST: the report exists once"

# --- The POST's answer lost: the next run finds the asset. ---
faults '{"schedule":[{"at":3,"kind":"truncate"}]}'
publish --title "$TITLE" --file "$TMP/small.html" --report-id 3001
is "$rc" 1 "answer to the POST lost: fails"
like "$err" "retry\]" "answer to the POST lost: may be retried"
publish --title "$TITLE" --file "$TMP/small.html" --report-id 3001
is "$rc" 0 "answer to the POST lost, next run: success"
is "$(field created)" 0 "answer to the POST lost, next run: found"
is "$(assets_holding EDR_Summary_Reports_3001_1568967000.html)" 1 \
	"answer to the POST lost: the report exists once"

# --- A type made by hand: our fields by name, in another order, with
# keys of their own, among others. ---
KEY=ITG.sandbox-us-0000000000000000
cat >"$TMP/hand.json" <<'EOF'
{"organizations": [{"id": 1, "name": "Acme Corp."}],
 "flexible_asset_types": [{"id": 50, "name": "netsurion open xdr reports",
   "fields": [
    {"id": 51, "order": 1, "name": "Notes", "kind": "Textbox"},
    {"id": 52, "order": 2, "name": "Expiry Date", "kind": "Date",
     "name-key": "valid-until", "expiration": true, "show-in-list": true},
    {"id": 53, "order": 3, "name": "report file", "kind": "Upload",
     "name-key": "the-html"},
    {"id": 54, "order": 4, "name": "Report Generation Date", "kind": "Date",
     "name-key": "made-on"},
    {"id": 55, "order": 5, "name": "Report Name", "kind": "Text",
     "name-key": "title-of-report", "use-for-title": true,
     "required": true, "show-in-list": true}]}]}
EOF
start_sandbox --data "$TMP/hand.json"
publish --title "$TITLE" --file "$TMP/small.html" --report-id 1239
is "$rc" 0 "hand-made type: published"
is "$(field type)" 50 "hand-made type: used"
is "$(count 'POST /flexible_asset_types')" 0 "hand-made type: no type created"
is "$(asset_data "$(field asset)" | jq -c '.traits | keys')" \
	'["made-on","the-html","title-of-report","valid-until"]' \
	"hand-made type: its name-keys are the trait keys"
publish --title "$TITLE" --file "$TMP/small.html" --report-id 1239
is "$(field created)" 0 "hand-made type: the report again is found"

# --- A type without the Upload field: a clear error, nothing sent. ---
cat >"$TMP/noupload.json" <<'EOF'
{"organizations": [{"id": 1, "name": "Acme Corp."}],
 "flexible_asset_types": [{"id": 50, "name": "Netsurion Open XDR Reports",
   "fields": [
    {"id": 51, "order": 1, "name": "Report Name", "kind": "Text",
     "use-for-title": true, "show-in-list": true},
    {"id": 52, "order": 2, "name": "Report Generation Date", "kind": "Date"},
    {"id": 53, "order": 3, "name": "Report File", "kind": "Text"},
    {"id": 54, "order": 4, "name": "Expiry Date", "kind": "Date"}]}]}
EOF
start_sandbox --data "$TMP/noupload.json"
publish --title "$TITLE" --file "$TMP/small.html" --report-id 1239
is "$rc" 1 "type without an Upload field: refused"
like "$err" "the flexible asset type 'Netsurion Open XDR Reports' has no field 'Report File' of kind Upload \(its 'Report File' is of kind Text\): add it in IT Glue or remove the type" \
	"type without an Upload field: the message names it"
like "$err" "\[invalid, permanent\]" "type without an Upload field: permanent"
is "$(curl -s "$BASE/_sandbox/counts" | jq '[.routes | to_entries[] |
	select(.key | startswith("POST"))] | length')" 0 \
	"type without an Upload field: nothing was POSTed"

stop_sandbox
done_testing
