/*
 * cmd_console_passwd.c - console passwd: set the password of the web
 * console. On a terminal it is asked twice on /dev/tty with echo off;
 * otherwise it is the first line of standard input. Never an argument: the
 * command line of a process is visible to every user (ps).
 *
 * HOME/console.passwd receives its PBKDF2 hash (host-sdk/console/password.c).
 */
#include "config.h"

#include "cli.h"

#ifndef HAVE_CONSOLE

int cmd_console_passwd(struct cli *cli, struct cli_args *args)
{
	(void)cli;
	(void)args;
	return cli_fail("the console is not built into this xdr-host (it needs "
	                "libmicrohttpd and OpenSSL; use the Linux build)");
}

#else

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "auth.h"

/* A password and its newline, and one byte more to tell a longer line. */
#define BUF_SIZE (XCON_PASSWORD_MAX + 2)

/* The terminal whose echo is off, for the signal handler to restore. */
static int tty_fd = -1;
static struct termios tty_saved;
static volatile sig_atomic_t tty_echo_off;

static const int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
static struct sigaction caught_old[sizeof(caught) / sizeof(caught[0])];

static void restore_echo(void)
{
	if (tty_echo_off) {
		tcsetattr(tty_fd, TCSANOW, &tty_saved);
		tty_echo_off = 0;
	}
}

/* Echo back on, then die of the signal as if it had not been caught. Only
 * async-signal-safe calls. */
static void on_signal(int sig)
{
	restore_echo();
	if (tty_fd >= 0)
		(void)!write(tty_fd, "\n", 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaction(caught[i], &sa, &caught_old[i]);
}

static void release_signals(void)
{
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaction(caught[i], &caught_old[i], NULL);
}

/*
 * One line of fd into buf (BUF_SIZE bytes), without its newline, byte by
 * byte so that nothing after it is consumed and no copy is left in a stdio
 * buffer. The end of the input ends the line too. *len is its length;
 * XDR_ERANGE if it is longer than XCON_PASSWORD_MAX, once the rest of the
 * line is read and dropped (on a terminal the shell would read it next).
 */
static int read_line(int fd, char *buf, size_t *len, struct xdr_err *err)
{
	size_t n = 0;
	bool too_long = false;

	for (;;) {
		char c;
		ssize_t r = read(fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return xdr_errf(err, XDR_ERROR,
			                "cannot read the password: %s",
			                strerror(errno));
		if (r == 0 || c == '\n')
			break;
		if (n == XCON_PASSWORD_MAX)
			too_long = true;
		else
			buf[n++] = c;
	}
	buf[n] = '\0';
	*len = n;
	if (too_long)
		return xdr_errf(err, XDR_ERANGE,
		                "the password is too long: at most %d bytes",
		                XCON_PASSWORD_MAX);
	return XDR_OK;
}

static void put_tty(const char *s)
{
	(void)!write(tty_fd, s, strlen(s));
}

/* Prompt on the terminal with echo off and read a line. */
static int ask(const char *prompt, char *buf, size_t *len, struct xdr_err *err)
{
	struct termios quiet = tty_saved;
	int rc;

	put_tty(prompt);
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	/* Echo off before reading; TCSADRAIN keeps what was typed ahead. */
	tty_echo_off = 1;
	if (tcsetattr(tty_fd, TCSADRAIN, &quiet) != 0) {
		tty_echo_off = 0;
		return xdr_errf(err, XDR_ERROR,
		                "cannot turn the terminal's echo off: %s",
		                strerror(errno));
	}
	rc = read_line(tty_fd, buf, len, err);
	restore_echo();
	put_tty("\n");
	return rc;
}

/* The password twice from the terminal into pw; they must match. */
static int read_from_tty(char *pw, size_t *len, struct xdr_err *err)
{
	char *again = malloc(BUF_SIZE);
	size_t again_len = 0;
	int rc;

	if (again == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	tty_fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (tty_fd < 0) {
		free(again);
		return xdr_errf(err, XDR_ERROR, "cannot open /dev/tty: %s",
		                strerror(errno));
	}
	if (tcgetattr(tty_fd, &tty_saved) != 0) {
		rc = xdr_errf(err, XDR_ERROR,
		              "cannot read the terminal's "
		              "settings: %s",
		              strerror(errno));
	} else {
		catch_signals();
		rc = ask("New console password: ", pw, len, err);
		/* Too short or not text: said before asking again. */
		if (rc == XDR_OK)
			rc = xcon_password_acceptable(pw, *len, err);
		if (rc == XDR_OK)
			rc = ask("Again: ", again, &again_len, err);
		if (rc == XDR_OK &&
		    (again_len != *len || CRYPTO_memcmp(pw, again, *len) != 0))
			rc = xdr_errf(err, XDR_EINVAL,
			              "the two passwords differ; nothing was "
			              "changed");
		restore_echo();
		release_signals();
	}
	close(tty_fd);
	tty_fd = -1;
	OPENSSL_cleanse(again, BUF_SIZE);
	free(again);
	return rc;
}

/* Hash pw with a new salt and save it in home. */
static int save(const char *home, const char *pw, size_t len,
                struct xdr_err *err)
{
	unsigned char salt[XCON_SALT_BYTES];
	char *line = NULL;
	int rc;

	if (RAND_bytes(salt, sizeof(salt)) != 1)
		return xdr_errf(err, XDR_ERROR,
		                "cannot draw random bytes for a salt");
	rc = xcon_password_hash(pw, len, XCON_PBKDF2_ITERATIONS, salt, &line,
	                        err);
	if (rc == XDR_OK)
		rc = xcon_passwd_save(home, line, err);
	if (line != NULL) {
		OPENSSL_cleanse(line, strlen(line));
		free(line);
	}
	return rc;
}

int cmd_console_passwd(struct cli *cli, struct cli_args *args)
{
	struct xdr_err err;
	char *home = NULL, *path = NULL;
	char *pw = malloc(BUF_SIZE);
	size_t len = 0;
	int rc;

	(void)args;
	if (pw == NULL)
		return cli_fail("out of memory");
	rc = xdr_home_resolve(cli->home, &home, &err);
	if (rc == XDR_OK)
		rc = xcon_passwd_path(home, &path, &err);
	if (rc == XDR_OK && isatty(STDIN_FILENO))
		rc = read_from_tty(pw, &len, &err);
	else if (rc == XDR_OK)
		rc = read_line(STDIN_FILENO, pw, &len, &err);
	if (rc == XDR_OK)
		rc = xcon_password_acceptable(pw, len, &err);
	if (rc == XDR_OK)
		rc = save(home, pw, len, &err);
	OPENSSL_cleanse(pw, BUF_SIZE);
	free(pw);
	if (rc == XDR_OK)
		printf("console password saved in %s\n", path);
	free(path);
	free(home);
	return rc == XDR_OK ? CLI_OK : cli_fail_err(&err);
}

#endif
