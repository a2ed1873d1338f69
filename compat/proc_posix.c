/*
 * proc_posix.c - os.h processes and the terminal on POSIX.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <unistd.h>

#include "os.h"

long os_pid(void)
{
	return (long)getpid();
}

bool os_process_gone(long pid)
{
	return pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

int os_hostname(char *out, size_t size)
{
	char name[256];
	size_t n;

	if (size == 0) {
		errno = EINVAL;
		return -1;
	}
	/* glibc fails a name longer than the buffer rather than cut it. */
	if (gethostname(name, sizeof(name)) != 0)
		return -1;
	name[sizeof(name) - 1] = '\0';
	n = strnlen(name, size - 1);
	memcpy(out, name, n);
	out[n] = '\0';
	return 0;
}

bool os_stderr_is_terminal(void)
{
	return isatty(STDERR_FILENO) == 1;
}

size_t os_stderr_columns(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0)
		return ws.ws_col;
	return 0;
}

void os_binary_stdio(void)
{
	/* POSIX streams never translate line ends. */
}
