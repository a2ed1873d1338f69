#!/bin/sh
# valgrind.sh PROGRAM... - run unit test programs under valgrind's memcheck.
#
# `make check-valgrind` passes every test of the suite; the scripts (.sh)
# are left out, since valgrind follows a program, not a shell. Each program
# runs with its TAP output, and fails if a case fails, if memcheck reports
# an error (invalid read or write, use of an uninitialised value, a bad free)
# or if memory is definitely or indirectly lost at exit. Each program's
# output and valgrind's report go to PROGRAM.vg.log. The end is what
# automake's harness prints ("# PASS: N", "# FAIL: N"), so that CI counts
# the cases with the rest of the suite.
#
# LIBTOOL runs a program through its libtool wrapper when it has one;
# VALGRIND_JOBS programs run at once (default 2).

: "${LIBTOOL:=libtool}"
: "${VALGRIND:=valgrind}"
: "${VALGRIND_JOBS:=2}"

command -v "$VALGRIND" >/dev/null 2>&1 || {
	echo "valgrind.sh: $VALGRIND is not installed (apt-get install valgrind)" >&2
	exit 2
}

CMOCKA_MESSAGE_OUTPUT=TAP
export CMOCKA_MESSAGE_OUTPUT

# Runs one program; its result line goes to PROGRAM.vg.result:
# "PASSED FAILED STATUS" where STATUS is the program's exit status.
run_one() {
	prog=$1
	log=$prog.vg.log
	$LIBTOOL --mode=execute "$VALGRIND" --quiet --error-exitcode=99 \
		--leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --track-origins=yes \
		"./$prog" >"$log" 2>&1
	rc=$?
	passed=$(grep -c '^ok ' "$log")
	failed=$(grep -c '^not ok ' "$log")
	echo "$passed $failed $rc" >"$prog.vg.result"
}

# One program (xargs below runs the script again this way).
if [ "${1:-}" = --one ]; then
	run_one "$2"
	exit 0
fi

programs=
for t in "$@"; do
	case $t in
	*.sh) ;;
	*) programs="$programs $t" ;;
	esac
done

for prog in $programs; do
	rm -f "$prog.vg.result"
done
# A program at a time per job, VALGRIND_JOBS jobs at once.
printf '%s\n' $programs | xargs -P "$VALGRIND_JOBS" -n 1 sh "$0" --one

total_pass=0
total_fail=0
for prog in $programs; do
	if [ -f "$prog.vg.result" ]; then
		read -r passed failed rc <"$prog.vg.result"
	else
		passed=0 failed=0 rc=1
	fi
	total_pass=$((total_pass + passed))
	total_fail=$((total_fail + failed))
	if [ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]; then
		echo "PASS: $prog ($passed cases)"
	elif [ "$rc" -eq 99 ]; then
		echo "FAIL: $prog: memcheck found errors or leaks (see $prog.vg.log)"
		total_fail=$((total_fail + 1))
	else
		echo "FAIL: $prog: exit $rc, $failed of $((passed + failed)) cases failed (see $prog.vg.log)"
		[ "$failed" -eq 0 ] && total_fail=$((total_fail + 1))
	fi
done
echo "# TOTAL: $((total_pass + total_fail))"
echo "# PASS: $total_pass"
echo "# FAIL: $total_fail"
[ "$total_fail" -eq 0 ]
