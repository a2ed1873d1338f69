#!/bin/sh
# xdr-host console passwd: the console's password from stdin or, on a
# terminal, asked twice with echo off; stored hashed in a private file of
# one line; never an argument. Where the console is not built (Windows,
# or no libmicrohttpd), the command says so.
. "$top_srcdir/tests/integration/lib.sh"

PASSWD_FILE="$HOME_DIR/console.passwd"
LINE_RE='^pbkdf2-sha256\$600000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$'

if ! grep -q '^#define HAVE_CONSOLE 1' "$top_builddir/config.h"; then
	run_stdin 'a long enough password
' console passwd
	is "$rc" 1 "without the console the command fails with status 1"
	is "$err" "xdr-host: the console is not built into this xdr-host (it needs libmicrohttpd and OpenSSL; use the Linux build)" \
		"and says the console is not built and where it is"
	is "$(ls "$HOME_DIR" 2>/dev/null | grep -c console.passwd)" 0 \
		"and writes no password file"
	done_testing
	exit
fi

mode_of() {
	stat -c %a "$1"
}

run_stdin 'a long enough password
' console passwd
is "$rc" 0 "a password from stdin is saved"
is "$out" "console password saved in $HOME_DIR/console.passwd" \
	"the command says where"
is "$err" "" "and nothing on stderr"
is "$(mode_of "$PASSWD_FILE")" 600 "the file is private (0600)"
is "$(wc -l <"$PASSWD_FILE" | tr -d ' ')" 1 "the file is one line"
like "$(cat "$PASSWD_FILE")" "$LINE_RE" \
	"the line is pbkdf2-sha256, 600000 rounds, salt and hash in base64"
unlike "$(cat "$PASSWD_FILE")" "long enough" "the password is not in the file"
first=$(cat "$PASSWD_FILE")

run_stdin 'a long enough password
' console passwd
is "$rc" 0 "a second run replaces the password"
second=$(cat "$PASSWD_FILE")
isnt "$(echo "$second" | cut -d'$' -f3)" "$(echo "$first" | cut -d'$' -f3)" \
	"with a new salt"
is "$(mode_of "$PASSWD_FILE")" 600 "the new file is private too"
is "$(ls -A "$HOME_DIR" | grep -c passwd)" 1 "no temporary file is left"

run_stdin 'short pw' console passwd
is "$rc" 1 "a password under 12 bytes is refused with status 1"
is "$err" "xdr-host: the password is too short: at least 12 bytes" \
	"and the message says why"
is "$(cat "$PASSWD_FILE")" "$second" "the file is left as it was"

run_stdin 'eleven byte
' console passwd
is "$err" "xdr-host: the password is too short: at least 12 bytes" \
	"the newline that ends the line is not part of the password"

run_stdin '' console passwd
is "$rc" 1 "an empty stdin is refused"

run_stdin "$(printf '%01025d' 0)" console passwd
is "$rc" 1 "a password over 1024 bytes is refused"
is "$err" "xdr-host: the password is too long: at most 1024 bytes" \
	"as too long"

run_stdin "$(printf '%01024d' 0)" console passwd
is "$rc" 0 "a password of 1024 bytes is taken"

run_stdin "$(printf 'tab\tin the password')" console passwd
is "$rc" 1 "a password with a control character is refused"
is "$err" "xdr-host: the password holds a control character" "and says so"

run_stdin "$(printf 'bad utf-8 \377 password')" console passwd
is "$rc" 1 "a password that is not UTF-8 is refused"

run_stdin 'the first line, twelve bytes and more
second line' console passwd
is "$rc" 0 "stdin with more lines after the first is taken"

run console passwd --password 'a long enough password'
is "$rc" 2 "there is no --password option (argv is visible to ps)"
run console passwd 'a long enough password'
is "$rc" 2 "nor a password argument"

# On a terminal: each answer is typed once its prompt is shown (the
# typescript is flushed as it is written).
wait_for() { # TEXT FILE : until FILE holds TEXT, at most 30 s
	i=0
	while ! grep -q "$1" "$2" 2>/dev/null && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
on_tty() { # TYPESCRIPT COMMAND, with the input the subshell before types
	timeout 60 script -qfec "$2" "$1" >/dev/null 2>&1
}
if ! command -v script >/dev/null 2>&1; then
	fail "script(1) is needed for the terminal cases (apt-get install bsdutils)"
else
	ts="$TMP/ts-match"
	: >"$ts"
	{
		wait_for 'New console password: ' "$ts"
		printf 'typed on a terminal\n'
		wait_for 'Again: ' "$ts"
		printf 'typed on a terminal\n'
		wait_for 'saved in' "$ts"
	} | on_tty "$ts" "'$XDR_HOST_BIN' --home '$HOME_DIR' console passwd"
	like "$(cat "$ts")" 'New console password: ' "a terminal is asked for the password"
	like "$(cat "$ts")" 'Again: ' "then asked again"
	like "$(cat "$ts")" "console password saved in $HOME_DIR/console.passwd" \
		"two equal answers are saved"

	ts="$TMP/ts-differ"
	: >"$ts"
	before=$(cat "$PASSWD_FILE")
	{
		wait_for 'New console password: ' "$ts"
		printf 'typed on a terminal\n'
		wait_for 'Again: ' "$ts"
		printf 'typed on a terminal, not the same\n'
		wait_for 'rc=' "$ts"
	} | on_tty "$ts" "'$XDR_HOST_BIN' --home '$HOME_DIR' console passwd; echo rc=\$?"
	like "$(cat "$ts")" 'the two passwords differ' "two different answers are refused"
	like "$(cat "$ts")" 'rc=1' "with status 1"
	is "$(cat "$PASSWD_FILE")" "$before" "and the file is left as it was"

	# A line too long: refused, and its rest is not left for the shell.
	ts="$TMP/ts-long"
	: >"$ts"
	{
		wait_for 'New console password: ' "$ts"
		printf '%01100d\n' 0
		wait_for 'too long' "$ts"
		printf 'next line\n'
		wait_for 'after=' "$ts"
	} | on_tty "$ts" "'$XDR_HOST_BIN' --home '$HOME_DIR' console passwd; read rest; echo after=\$rest."
	like "$(cat "$ts")" 'the password is too long: at most 1024 bytes' \
		"a terminal line over 1024 bytes is refused"
	like "$(cat "$ts")" 'after=next line\.' \
		"and the rest of that line is not left to what reads the terminal next"

	# Ctrl-C at the prompt: the command dies of SIGINT, the echo back on.
	# The shell around it ignores SIGINT to report what follows.
	ts="$TMP/ts-sigint"
	: >"$ts"
	printf "trap '' INT\n'%s' --home '%s' console passwd\necho rc=\$?\nstty -a\n" \
		"$XDR_HOST_BIN" "$HOME_DIR" >"$TMP/sigint.sh"
	{
		wait_for 'New console password: ' "$ts"
		printf 'abc\003'
		wait_for 'rc=' "$ts"
	} | on_tty "$ts" "sh '$TMP/sigint.sh'"
	like "$(cat "$ts")" 'rc=130' "Ctrl-C at the prompt ends the command"
	like "$(tr '\r' '\n' <"$ts" | sed -n '/rc=/,$p')" '(^| )echo( |$)' \
		"and the terminal's echo is back on"
	is "$(cat "$PASSWD_FILE")" "$before" "and the file is left as it was"
fi

done_testing
