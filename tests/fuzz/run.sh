#!/bin/sh
# run.sh - run the libFuzzer targets of tests/fuzz/ and print TAP, one case
# per target (tests/fuzz/README.md).
#
#   run.sh [--replay] [TARGET...]
#
# Default: each target fuzzes for FUZZ_SECONDS (60) on its corpus in
# FUZZ_BUILDDIR/corpus/TARGET, which starts as a copy of its seeds and
# keeps what earlier runs found. --replay: each target runs every seed of
# its corpus once and stops (a fast regression check). A crash, leak,
# undefined behaviour, failed check or hang (FUZZ_TIMEOUT seconds on one
# input, 10) fails the target's case, which names the input that did it:
# kept in FUZZ_BUILDDIR/artifacts/TARGET/, with the log in
# FUZZ_BUILDDIR/logs/TARGET.log. The exit status is 1 if any case failed.
#
# FUZZ_JOBS (1) targets run at once. FUZZ_SRCDIR (this folder) and
# FUZZ_BUILDDIR (the one of the targets; the current directory) are set by
# `make fuzz` and `make fuzz-replay`.
set -u

mode=fuzz
if [ "${1:-}" = --replay ]; then
	mode=replay
	shift
fi
src=${FUZZ_SRCDIR:-$(cd "$(dirname "$0")" && pwd)}
build=${FUZZ_BUILDDIR:-$(pwd)}
seconds=${FUZZ_SECONDS:-60}
timeout=${FUZZ_TIMEOUT:-10}
jobs=${FUZZ_JOBS:-1}

for v in "$seconds" "$timeout" "$jobs"; do
	case $v in
	'' | *[!0-9]*)
		echo "run.sh: FUZZ_SECONDS, FUZZ_TIMEOUT and FUZZ_JOBS are" \
			"whole numbers" >&2
		exit 2
		;;
	esac
done

if [ $# -gt 0 ]; then
	targets=$*
else
	targets=
	for d in "$src"/seeds/fuzz_*; do
		targets="$targets ${d##*/}"
	done
fi

# One target: its TAP line, and the report of a failure as TAP comments,
# into $build/logs/TARGET.tap; the status of the target as it ended.
run_one() {
	t=$1
	n=$2
	out=$build/logs/$t.tap
	bin=$build/$t
	seeds=$src/seeds/$t
	log=$build/logs/$t.log
	art=$build/artifacts/$t
	if [ ! -x "$bin" ] || [ ! -d "$seeds" ]; then
		echo "not ok $n - $t: not built, or no seeds in $seeds" >"$out"
		return 1
	fi
	mkdir -p "$art"
	# The targets that keep a store make it under TMPDIR.
	scratch=$build/tmp/$t
	rm -rf "$scratch"
	mkdir -p "$scratch"
	dict=
	[ -f "$src/dict/$t.dict" ] && dict=-dict=$src/dict/$t.dict

	if [ "$mode" = replay ]; then
		files=$(find "$seeds" -type f | sort)
		count=$(echo "$files" | grep -c .)
		# shellcheck disable=SC2086 # one argument per seed file
		TMPDIR=$scratch "$bin" -timeout="$timeout" \
			-artifact_prefix="$art/" $files >"$log" 2>&1
		rc=$?
		what="replayed $count seeds"
		culprit=$(sed -n 's/^Running: //p' "$log" | tail -n 1)
	else
		corpus=$build/corpus/$t
		mkdir -p "$corpus"
		cp "$seeds"/* "$corpus"/
		start=$(date +%s)
		# shellcheck disable=SC2086 # no dictionary: no argument
		TMPDIR=$scratch "$bin" -max_total_time="$seconds" \
			-timeout="$timeout" -print_final_stats=1 \
			-artifact_prefix="$art/" $dict "$corpus" >"$log" 2>&1
		rc=$?
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		count=$(find "$corpus" -type f | wc -l)
		what="$(($(date +%s) - start)) s, ${runs:-?} runs, corpus of $count"
		culprit=$(sed -n 's/.*Test unit written to //p' "$log" |
			tail -n 1)
	fi
	rm -rf "$scratch"

	if [ "$rc" -eq 0 ]; then
		echo "ok $n - $t: $what" >"$out"
		return 0
	fi
	{
		echo "not ok $n - $t: failed (status $rc) on" \
			"${culprit:-an input}; log $log"
		# What the sanitizer or the check said, and where.
		grep -E 'ERROR: |SUMMARY: |check failed|Assertion|^ +#[0-9]+ ' \
			"$log" |
			grep -vE 'fuzzer::|__sanitizer|__libc|libc\.so|_start |pthread_kill|raise |abort |__assert' |
			head -n 15 | sed 's/^/# /'
	} >"$out"
	return 1
}

# shellcheck disable=SC2086 # the names, one argument each
set -- $targets
echo "1..$#"
mkdir -p "$build/logs"
n=0
failed=0
batch=
running=0
for t in $targets; do
	n=$((n + 1))
	if [ "$jobs" -le 1 ]; then
		run_one "$t" "$n" || failed=1
		cat "$build/logs/$t.tap"
		continue
	fi
	# FUZZ_JOBS at once; their lines in order once the batch is over.
	(run_one "$t" "$n") &
	batch="$batch $t"
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ] || [ "$n" -eq $# ]; then
		wait
		for b in $batch; do
			cat "$build/logs/$b.tap"
			grep -q '^not ok' "$build/logs/$b.tap" && failed=1
		done
		batch=
		running=0
	fi
done
rmdir "$build/tmp" 2>/dev/null
exit "$failed"
