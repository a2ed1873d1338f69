# Shared helpers of the sandbox's integration tests: start and stop an
# itglue-sandbox on a free loopback port, and send it requests with curl.
#
# A script sources this file (which sources lib.sh for TAP), starts a
# sandbox with start_sandbox, calls req and the assertions of lib.sh, and
# ends with done_testing. The sandbox is stopped when the script exits.

. "$top_srcdir/tests/integration/lib.sh"

command -v curl >/dev/null 2>&1 || {
	echo "1..0 # SKIP curl is not installed (apt-get install curl)"
	exit 0
}

# The sandbox of this build, or a native one (XDR_SANDBOX_BIN) when the
# host under test is a Windows build run under Wine.
SANDBOX_BIN=${XDR_SANDBOX_BIN:-"$top_builddir/host-sdk/sandbox/itglue-sandbox"}
[ -x "$SANDBOX_BIN" ] || {
	echo "1..0 # SKIP itglue-sandbox is not built (needs libmicrohttpd)"
	exit 0
}
DEMO="$top_srcdir/host-sdk/sandbox/demo.json"
US_KEY=ITG.demo-us-0000000000000000
EU_KEY=ITG.demo-eu-0000000000000000
AU_KEY=ITG.demo-au-0000000000000000
KEY=$US_KEY
SANDBOX_PID=
SCHEME=http
CURL_TLS=
sandbox_runs=0

stop_sandbox() {
	stop_rc=
	if [ -n "$SANDBOX_PID" ]; then
		kill -TERM "$SANDBOX_PID" 2>/dev/null
		wait "$SANDBOX_PID"
		stop_rc=$?
		SANDBOX_PID=
	fi
}
# The other sandboxes' pids are kept in a file: other_sandbox runs in the
# subshell of a $(…), where a variable would not reach this trap.
trap 'stop_sandbox
for p in $(cat "$TMP/other.pids" 2>/dev/null); do
	kill "$p" 2>/dev/null
done
rm -rf "$TMP"' EXIT

# wait_for_port FILE PID : waits (10 s at most) until the sandbox PID has
# written its port to FILE; false if it did not.
wait_for_port() {
	for _ in $(seq 1 100); do
		[ -s "$1" ] && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	[ -s "$1" ]
}

# other_sandbox NAME ARGS... : one more sandbox beside the main one (a
# second region, say), stopped when the script exits. Prints its base URL.
other_sandbox() {
	name=$1
	shift
	"$SANDBOX_BIN" --quiet --port 0 --port-file "$TMP/$name.port" "$@" \
		>"$TMP/$name.out" 2>&1 </dev/null &
	echo "$!" >>"$TMP/other.pids"
	wait_for_port "$TMP/$name.port" $! || return 1
	echo "$SCHEME://127.0.0.1:$(cat "$TMP/$name.port")"
}

# start_sandbox ARGS... : starts itglue-sandbox on a free port (--quiet,
# --port-file in $TMP) and waits for it, 10 s at most. Sets PORT, BASE and
# SANDBOX_PID; its stdout and stderr go to $TMP/sandbox.out and .err.
start_sandbox() {
	stop_sandbox
	sandbox_runs=$((sandbox_runs + 1))
	port_file="$TMP/port.$sandbox_runs"
	"$SANDBOX_BIN" --quiet --port 0 --port-file "$port_file" "$@" \
		>"$TMP/sandbox.out" 2>"$TMP/sandbox.err" </dev/null &
	SANDBOX_PID=$!
	if ! wait_for_port "$port_file" "$SANDBOX_PID"; then
		diag "the sandbox did not start:" "$(cat "$TMP/sandbox.err")"
		stop_sandbox
		return 1
	fi
	PORT=$(cat "$port_file")
	BASE="$SCHEME://127.0.0.1:$PORT"
	return 0
}

# req METHOD PATH [CURL ARGS...] : sends a request with the x-api-key $KEY
# (none when KEY is empty). Sets $status (000 when no answer), $out (the
# body) and $hdrs (the headers), and $curl_rc.
req() {
	method=$1
	path=$2
	shift 2
	set -- -sS -g --max-time 20 -o "$TMP/body" -D "$TMP/headers" \
		-w '%{http_code}' -X "$method" $CURL_TLS "$@"
	: >"$TMP/body"
	: >"$TMP/headers"
	if [ -n "$KEY" ]; then
		status=$(curl "$@" -H "x-api-key: $KEY" "$BASE$path" \
			2>"$TMP/curl.err")
	else
		status=$(curl "$@" "$BASE$path" 2>"$TMP/curl.err")
	fi
	curl_rc=$?
	out=$(cat "$TMP/body")
	hdrs=$(tr -d '\r' <"$TMP/headers")
	err=$(cat "$TMP/curl.err")
}

# send METHOD PATH JSON : req with a JSON:API body.
send() {
	req "$1" "$2" -H 'Content-Type: application/vnd.api+json' \
		--data-binary "$3"
}

# header NAME : the value of response header NAME of the last req.
header() {
	printf '%s\n' "$hdrs" | awk -v n="$(printf '%s' "$1" |
		tr 'A-Z' 'a-z')" 'BEGIN { FS = ": " }
		tolower($1) == n { sub(/^[^:]*: /, ""); print; exit }'
}

# inspect PATH : GET on the /_sandbox/ API, body into $out.
inspect() {
	out=$(curl -sS -g --max-time 20 $CURL_TLS "$BASE$1")
}

# demo_host GROUP... : the reference host of the demo: integration on, the
# example inventory, the plugin's instance "Demo" on the running sandbox
# serving GROUPs.
demo_host() {
	groups=$(printf '"%s",' "$@")
	run setting set psa_rmm_integration on
	run inventory load "$top_srcdir/host-sdk/examples/inventory.json"
	run admin itglue instance.add \
		"{\"name\": \"Demo\", \"url\": \"$BASE\", \"api_key\": \"$US_KEY\"}"
	run admin itglue instance.groups \
		"{\"instance\": \"Demo\", \"groups\": [${groups%,}]}"
}

# check_parsing_rule : for every event of the plugin in the script's event
# log, the knowledge pack's parsing rule "IT Glue" (installed from
# packaging/knowledge-pack into a home of its own) extracts from the event's
# text exactly its fields: the pack and the plugin cannot drift apart. One
# TAP line.
check_parsing_rule() {
	kp_home="$TMP/kp-home"
	kp_run() {
		"$XDR_HOST_BIN" --home "$kp_home" --plugin-dir "$TMP/kp-plugins" \
			"$@"
	}
	if [ ! -d "$kp_home" ]; then
		mkdir -p "$TMP/kp-plugins"
		sh "$top_srcdir/packaging/kp-build.sh" "$TMP/rule.kp" \
			openxdr-itglue 0.0.0 "$ITGLUE_SO" \
			"$top_srcdir/packaging/knowledge-pack" >/dev/null 2>&1
		kp_run kp install "$TMP/rule.kp" >/dev/null 2>&1
	fi
	events=$("$XDR_HOST_BIN" --home "$HOME_DIR" events --json |
		jq -c '[.[] | select(.id | IN(4018, 4019, 4021, 4022))]')
	total=$(printf '%s' "$events" | jq length)
	bad=0
	i=0
	while [ "$i" -lt "$total" ]; do
		ev=$(printf '%s' "$events" | jq -c ".[$i]")
		want=$(printf '%s' "$ev" | jq -cS .fields)
		raw=$(kp_run kp parse --id "$(printf '%s' "$ev" | jq -r .id)" \
			"$(printf '%s' "$ev" | jq -r .description)" 2>&1)
		parse_rc=$?
		got=$(printf '%s' "$raw" | jq -cS . 2>/dev/null)
		if [ "$got" != "$want" ]; then
			bad=$((bad + 1))
			diag "$(printf '%s' "$ev" | jq -r .description)" \
				"want: $want" "got:  $got" \
				"kp parse said (status $parse_rc): $raw"
		fi
		i=$((i + 1))
	done
	if [ "$total" -gt 0 ] && [ "$bad" -eq 0 ]; then
		pass "the parsing rule reads the fields of all $total events of these scenarios"
	else
		fail "the parsing rule reads the fields of all $total events of these scenarios"
	fi
}
