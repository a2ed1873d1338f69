#!/bin/sh
# Storage faults of the plugin's state database (HOME/plugins/itglue/
# itglue.db), driven through xdr-host as a user would, against the sandbox:
#
# - a full disk (the state directory on a small tmpfs of its own, filled by
#   dd), with the database closed, and held open by another connection (an
#   administrator's sqlite3 shell), so that the write itself fails;
# - a read-only file system (the tmpfs remounted read-only);
# - a write-ahead log, and a shared-memory file, that cannot be written
#   (chattr +i: permission bits do not bind root);
# - a damaged file: garbage over pages in its middle, cut to half its size,
#   not a database at all.
#
# A fault: the report hook fails with a message the host prints and logs,
# naming the file and the fault, and event 4022 names the report; the
# reports queued before stay queued and the file stays sound; once the fault
# goes, the next report is accepted and every queued report is published
# exactly once. A damaged file is set aside and a fresh store made in its
# place with what could be read of it; every report that may have been lost
# with it is named in a 4022, and published by hand it becomes exactly one
# asset (one published already is found, not published again).
#
# The tmpfs cases need root (mount, chattr), as CI runs; without it they
# fail, never skip. Under Wine they are skipped (the faults are Linux file
# system faults, seen through Wine's own mapping of errors); the damaged
# files, on the ordinary disk, run everywhere.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

command -v sqlite3 >/dev/null 2>&1 || {
	echo "1..0 # SKIP sqlite3 is not installed (apt-get install sqlite3)"
	exit 0
}

use_plugins itglue
STATE="$HOME_DIR/plugins/itglue"
DB="$STATE/itglue.db"
MOUNTED=no
STOPPED=no
READER_PID=

# The reader's standard input (fd 3) closes: it ends its transaction and
# exits, so that nothing holds a file of the tmpfs.
release_reader() {
	if [ -n "$READER_PID" ]; then
		exec 3>&-
		wait "$READER_PID" 2>/dev/null
		READER_PID=
	fi
}
resume_sandbox() {
	if [ "$STOPPED" = yes ]; then
		kill -CONT "$SANDBOX_PID" 2>/dev/null
		STOPPED=no
	fi
}
pause_sandbox() {
	if [ "$STOPPED" = no ]; then
		kill -STOP "$SANDBOX_PID"
		STOPPED=yes
	fi
}
unmount_state() {
	if [ "$MOUNTED" = yes ]; then
		umount "$STATE" 2>/dev/null || umount -l "$STATE"
		MOUNTED=no
	fi
}
trap 'release_reader; resume_sandbox; unmount_state; stop_sandbox
for p in $(cat "$TMP/other.pids" 2>/dev/null); do kill "$p" 2>/dev/null; done
rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# mount_state : the plugin's state directory on a tmpfs of 16 MiB of its
# own, at a mount point under this script's TMP. No root, or a refused
# mount, fails the script: these cases are never skipped on Linux.
mount_state() {
	mkdir -p "$STATE"
	chmod 700 "$HOME_DIR" "$HOME_DIR/plugins" "$STATE"
	if [ "$(id -u)" != 0 ]; then
		fail "the storage faults run as root (mount, chattr), as CI does"
		done_testing
		exit 1
	fi
	if ! mount -t tmpfs -o size=16m,mode=0700 xdr-itglue-state "$STATE" \
		2>"$TMP/mount.err"; then
		fail "a tmpfs is mounted on the plugin's state directory"
		diag "$(cat "$TMP/mount.err")"
		done_testing
		exit 1
	fi
	MOUNTED=yes
}

# fresh_case tmpfs|disk : a new home whose plugin state is on a tmpfs of its
# own (or the ordinary disk), a new sandbox, the demo host with its instance
# "Demo" serving Default, Auto Map, and the report configuration "Daily
# EDR" that publishes.
fresh_case() {
	resume_sandbox
	unmount_state
	rm -rf "$HOME_DIR"
	[ "$1" = disk ] || mount_state
	start_sandbox --data "$DEMO"
	demo_host Default
	run admin itglue automap '{}'
	run report config add "Daily EDR" --group Default --publish-itglue
	printf '<html><body>EDR</body></html>\n' >"$TMP/edr.html"
}

# generate TITLE [ARGS] : report generate of "Daily EDR"; $id is its id.
generate() {
	title=$1
	shift
	run report generate --config "Daily EDR" --title "$title" \
		--file "$TMP/edr.html" --system ACME-DC01 "$@"
	id=$(printf '%s\n' "$out" | head -n 1)
}

# queue TITLE : a report queued and left in the outbox: IT Glue does not
# answer (the sandbox is stopped), and the host stops at once (--no-wait),
# giving back the attempt it began. $id is its id.
queue() {
	pause_sandbox
	generate "$1" --no-wait
}

# queued_now : how many reports the outbox holds to publish, pending or in
# progress (status, not waiting for the drain its start began, which IT
# Glue, stopped, would hold up).
queued_now() {
	run admin itglue status --no-wait
	json '.outbox.pending + .outbox.in_progress'
}

# sound WHAT : the database file passes SQLite's integrity check, and holds
# the reports queued so far ($queued) still to publish.
sound() {
	check=$(sqlite3 "$DB" "PRAGMA integrity_check" 2>&1)
	is "$check" ok "$1: the database file is sound"
	n=0
	for q in $queued; do
		n=$((n + $(sqlite3 "$DB" "SELECT count(*) FROM outbox
			WHERE report_id = $q AND state = 'pending'")))
	done
	is "$n" "$(echo $queued | wc -w)" "$1: every report queued before is still queued"
}

# refused WHAT FAULT-RE : the last report generate failed for the fault:
# status 1, the hook's failure and the plugin's reason (FAULT-RE, the file)
# on stderr, the report named by a 4022 with that reason.
refused() {
	is "$rc" 1 "$1: report generate fails"
	like "$err" "itglue: on_report_generated\\($id\\) failed" \
		"$1: the host prints the hook's failure"
	like "$err" "itglue: ERROR: report $id not queued for IT Glue: .*$2.*itglue\\.db" \
		"$1: and the plugin's reason, naming the database"
	bad=$id
	run events --id 4022 --json
	like "$(json "[.[] | select(.fields.report_id == \"$bad\")][0].fields.reason")" \
		"^not queued: .*$2.*itglue\\.db.*publish it by hand" \
		"$1: event 4022 names the report, the fault and the file"
	like "$(cat "$HOME_DIR/xdr-host.log")" "ERROR itglue: report $bad not queued for IT Glue: .*$2" \
		"$1: the host's log has it"
	id=$bad
}

# assets_of ID : how many flexible assets hold a file of report ID (named
# TITLE_ID_TIME.html, or .html.gz).
assets_of() {
	inspect /_sandbox/data
	printf '%s' "$out" | jq --arg id "$1" '[.flexible_assets[] |
		select((.traits["report-file"].file_name // "") |
			test("_" + $id + "_[0-9]+\\.html(\\.gz)?$"))] | length'
}

# published_once ID WHAT : report ID is one asset and one 4021.
published_once() {
	run events --id 4021 --json
	is "$(json "[.[] | select(.fields.report_id == \"$1\")] | length")" 1 \
		"$2: report $1 has one 4021"
	is "$(assets_of "$1")" 1 "$2: report $1 is one flexible asset"
}

# recovered WHAT : the fault is gone: the next report is accepted, then
# every queued report ($queued) and that one are published exactly once;
# the report refused during the fault ($refused_id) is not, until it is
# published by hand.
recovered() {
	resume_sandbox
	generate Next
	is "$rc" 0 "$1 gone: the next report is accepted"
	next=$id
	for q in $queued $next; do
		published_once "$q" "$1 gone"
	done
	is "$(assets_of "$refused_id")" 0 \
		"$1 gone: the refused report was not queued"
	run admin itglue publish "{\"report_id\": $refused_id}"
	is "$(json .result.state)" done "$1 gone: the refused report is published by hand"
	published_once "$refused_id" "$1 gone"
	run admin itglue status
	is "$(json .store.ok)" true "$1 gone: status says the database can be used"
	is "$(json .outbox.pending)" 0 "$1 gone: nothing is left to publish"
}

if [ "$WINDOWS" = yes ]; then
	pass "# SKIP a full, read-only or immutable tmpfs is a Linux file system fault; Wine maps its errors its own way"
else
	# ---- A full disk, the database closed ----
	fresh_case tmpfs
	queue FullA
	queued=$id
	queue FullB
	queued="$queued $id"
	is "$(queued_now)" 2 "full disk: two reports are queued first"
	dd if=/dev/zero of="$STATE/fill" bs=64k >/dev/null 2>&1
	is "$(df -P "$STATE" | awk 'NR == 2 { print $4 }')" 0 "full disk: the tmpfs is full"
	generate FullRefused
	refused_id=$id
	refused "full disk" "the disk is full"
	run admin itglue status
	is "$rc" 0 "full disk: status is answered"
	is "$(json .store.ok)" false "full disk: status says the database cannot be used"
	like "$(json .store.error)" "the disk is full" "full disk: and why"
	run admin itglue mappings '{"instance": "Demo"}'
	is "$rc" 1 "full disk: an action fails"
	like "$err" "state database cannot be used: .*the disk is full" "full disk: saying why"
	run tick
	is "$rc" 1 "full disk: a tick fails"
	rm -f "$STATE/fill"
	sound "full disk"
	recovered "full disk"

	# ---- A full disk while another connection holds the database ----
	# The plugin opens it (its shared memory is there already) and the
	# write of the report's row itself meets the full disk.
	fresh_case tmpfs
	queue HeldA
	queued=$id
	mkfifo "$TMP/reader.in"
	sqlite3 "$DB" <"$TMP/reader.in" >"$TMP/reader.out" 2>&1 &
	READER_PID=$!
	exec 3>"$TMP/reader.in"
	echo "BEGIN; SELECT count(*) FROM outbox;" >&3
	for _ in $(seq 1 100); do
		[ -s "$TMP/reader.out" ] && break
		sleep 0.05
	done
	is "$(cat "$TMP/reader.out")" 1 "held open: a reader holds a transaction"
	dd if=/dev/zero of="$STATE/fill" bs=64k >/dev/null 2>&1
	generate HeldRefused
	refused_id=$id
	refused "held open" "the disk is full"
	unlike "$err" "cannot use the state database" \
		"held open: the database was opened, the write failed"
	release_reader
	rm -f "$STATE/fill" "$TMP/reader.in"
	sound "held open"
	recovered "held open"

	# ---- A read-only file system ----
	fresh_case tmpfs
	queue ReadOnlyA
	queued=$id
	mount -o remount,ro "$STATE"
	generate ReadOnlyRefused
	refused_id=$id
	refused "read-only" "cannot be written: its file system, file or journal is read-only \\(.*plugins/itglue: Read-only file system\\)"
	run admin itglue status
	like "$(json .store.error)" "read-only" "read-only: status says why"
	mount -o remount,rw "$STATE"
	sound "read-only"
	recovered "read-only"

	# ---- A write-ahead log, then a shared-memory file, that cannot be
	# written ----
	for kind in wal shm; do
		fresh_case tmpfs
		queue "Immutable${kind}A"
		queued=$id
		: >"$DB-$kind"
		if ! chattr +i "$DB-$kind" 2>"$TMP/chattr.err"; then
			fail "-$kind: chattr +i makes the file immutable"
			diag "$(cat "$TMP/chattr.err")"
			continue
		fi
		generate "Immutable${kind}Refused"
		refused_id=$id
		refused "-$kind immutable" "cannot be written: .*read-only \\(.*itglue\\.db-$kind: Operation not permitted\\)"
		chattr -i "$DB-$kind"
		sound "-$kind immutable"
		recovered "-$kind immutable"
	done
fi

# ---- A damaged file ----
# long TITLE : TITLE made long (240 characters), so that the outbox's rows
# fill several pages.
long() {
	printf '%s_%0*d' "$1" $((239 - ${#1})) 0
}

# smash_page_of TEXT : garbage over the page of the database that holds
# TEXT and the page after it.
smash_page_of() {
	size=$(sqlite3 "$DB" "PRAGMA page_size")
	at=$(grep -obaF "$1" "$DB" | head -n 1 | cut -d: -f1)
	dd if=/dev/urandom of="$DB" bs="$size" seek=$((at / size)) count=2 \
		conv=notrunc 2>/dev/null
}

for damage in pages truncated junk; do
	fresh_case disk
	generate "Published$damage"
	published=$id
	queued=
	i=0
	while [ $i -lt 24 ]; do
		i=$((i + 1))
		queue "$(long "Kept${damage}$i")"
		queued="$queued $id"
	done
	resume_sandbox
	case $damage in
	pages) smash_page_of "Kept${damage}12_" ;;
	truncated)
		size=$(wc -c <"$DB")
		truncate -s $((size / 2)) "$DB"
		;;
	junk) head -c 65536 /dev/urandom >"$DB" ;;
	esac

	run admin itglue status
	is "$rc" 0 "$damage: the plugin loads and answers"
	like "$err" "itglue: ERROR: the state database .*itglue\\.db was damaged \\(.*\\): it was set aside as .*itglue\\.db\\.corrupt-[0-9]{8}T[0-9]{6}Z" \
		"$damage: the host prints that the file was damaged, set aside and rebuilt"
	is "$(json .store.ok)" true "$damage: the fresh database can be used"
	moved=$(host_path "$(json .store.last_rebuild.moved_to)")
	if [ -f "$moved" ] && ! cmp -s "$moved" "$DB"; then
		pass "$damage: the damaged file is kept aside"
	else
		fail "$damage: the damaged file is kept aside"
		diag "no file '$moved' apart from the database"
	fi
	like "$(json .store.last_rebuild.reason)" "corrupt|not a database" \
		"$damage: status says what was wrong"
	is "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok "$damage: the fresh file is sound"

	# The instance and the mappings may have gone with the file: set up
	# again as an administrator would (an instance still there is refused
	# as a duplicate), and publish by hand each report a 4022 named.
	demo_host Default
	run admin itglue automap '{}'
	run events --json
	all=$out
	silent=0
	named=0
	for q in $queued $published; do
		lost=$(printf '%s' "$all" | jq --arg id "$q" '[.[] | select(.id == 4022 and
			.fields.report_id == $id and (.fields.reason |
			test("lost when the plugin.s damaged state database was rebuilt")))] | length')
		if [ "$lost" -ge 1 ]; then
			named=$((named + 1))
			run admin itglue publish "{\"report_id\": $q}"
		elif [ "$(printf '%s' "$all" | jq --arg id "$q" '[.[] | select(.id == 4021 and .fields.report_id == $id)] | length')" = 0 ]; then
			silent=$((silent + 1))
			diag "report $q: neither published nor named in a 4022"
		fi
	done
	diag "$damage: $named report(s) named in a 4022 as lost with the file"
	is "$silent" 0 "$damage: every queued report was published or named in a 4022"
	once=0
	run events --id 4021 --json
	for q in $queued; do
		[ "$(json "[.[] | select(.fields.report_id == \"$q\")] | length")" = 1 ] &&
			[ "$(assets_of "$q")" = 1 ] && once=$((once + 1))
	done
	is "$once" 24 "$damage: each of the 24 queued reports is one asset and one 4021"
	is "$(assets_of "$published")" 1 \
		"$damage: the report published before the damage is still one asset"
done

check_parsing_rule

done_testing
