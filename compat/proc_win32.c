/*
 * proc_win32.c - os.h processes and the terminal on Win32.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <string.h>

#include "os.h"

long os_pid(void)
{
	return (long)GetCurrentProcessId();
}

bool os_process_gone(long pid)
{
	HANDLE h;
	DWORD code;
	bool gone;

	if (pid <= 0)
		return false;
	h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, (DWORD)pid);
	if (h == NULL)
		/* No such process; access denied means it is there. */
		return GetLastError() == ERROR_INVALID_PARAMETER;
	/* An ended process whose handles others still hold has its code. */
	gone = GetExitCodeProcess(h, &code) && code != STILL_ACTIVE;
	CloseHandle(h);
	return gone;
}

int os_hostname(char *out, size_t size)
{
	char name[256];
	DWORD len = sizeof(name);
	size_t n;

	if (size == 0) {
		errno = EINVAL;
		return -1;
	}
	if (!GetComputerNameExA(ComputerNameDnsHostname, name, &len)) {
		len = sizeof(name);
		if (!GetComputerNameA(name, &len)) {
			errno = EIO;
			return -1;
		}
	}
	n = strlen(name);
	if (n > size - 1)
		n = size - 1;
	memcpy(out, name, n);
	out[n] = '\0';
	return 0;
}

/*
 * A console that understands the escape sequences the progress line uses
 * (\033[K): Windows 10's console does once asked to; an older one, or a
 * character device such as NUL (which _isatty() also counts), is no
 * terminal here.
 */
bool os_stderr_is_terminal(void)
{
	HANDLE h = GetStdHandle(STD_ERROR_HANDLE);
	DWORD mode;

	if (h == NULL || h == INVALID_HANDLE_VALUE || !GetConsoleMode(h, &mode))
		return false;
	return (mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0 ||
	       SetConsoleMode(h, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
}

size_t os_stderr_columns(void)
{
	HANDLE h = GetStdHandle(STD_ERROR_HANDLE);
	CONSOLE_SCREEN_BUFFER_INFO info;

	if (h == NULL || h == INVALID_HANDLE_VALUE ||
	    !GetConsoleScreenBufferInfo(h, &info) ||
	    info.srWindow.Right < info.srWindow.Left)
		return 0;
	return (size_t)(info.srWindow.Right - info.srWindow.Left + 1);
}

void os_binary_stdio(void)
{
	/* The C library turns \n into \r\n (and back, and ^Z into the end of
	 * input) on streams in text mode, which standard streams start in. */
	fflush(stdout);
	fflush(stderr);
	_setmode(_fileno(stdin), _O_BINARY);
	_setmode(_fileno(stdout), _O_BINARY);
	_setmode(_fileno(stderr), _O_BINARY);
}
