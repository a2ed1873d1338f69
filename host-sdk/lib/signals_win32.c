/*
 * signals_win32.c - Ctrl+C, Ctrl+Break and closing the console as a
 * request to stop cleanly, the Windows counterpart of signals_posix.c.
 *
 * Windows has no SIGINT or SIGTERM to block: a console control handler,
 * which the system runs on a thread of its own, records the event as the
 * signal the C runtime would name it by (Ctrl+C SIGINT, Ctrl+Break
 * SIGBREAK, closing the console, logging off or shutting down SIGTERM), so
 * that callers reporting "128 + signal" keep working, and sets a
 * manual-reset event that xdr_signals_sleep() waits on: set once, it stays
 * set, so no request can slip in between checking the flag and going to
 * sleep. There is no SIGPIPE: writing to a closed pipe fails the write.
 */
#include "config.h"

#include <signal.h>

#include <windows.h>

#include "xdrhost.h"

#ifndef SIGBREAK
#define SIGBREAK 21 /* the C runtime's number for Ctrl+Break */
#endif

static volatile LONG caught;
static HANDLE wake; /* manual-reset: set when a request arrives */
static volatile LONG catching;

static BOOL WINAPI on_ctrl(DWORD type)
{
	LONG sig;

	switch (type) {
	case CTRL_C_EVENT:
		sig = SIGINT;
		break;
	case CTRL_BREAK_EVENT:
		sig = SIGBREAK;
		break;
	case CTRL_CLOSE_EVENT:
	case CTRL_SHUTDOWN_EVENT:
		sig = SIGTERM;
		break;
	default:
		return FALSE;
	}
	InterlockedExchange(&caught, sig);
	SetEvent(wake);
	/* For these the process ends as soon as the handler returns: hold it
	 * so the main thread can stop the plugins and exit on its own, until
	 * the system's time limit (about 5 s) ends the process anyway. */
	if (sig == SIGTERM)
		Sleep(INFINITE);
	return TRUE;
}

int xdr_signals_catch(struct xdr_err *err)
{
	if (catching)
		return XDR_OK;
	wake = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (wake == NULL)
		return xdr_errf(
		        err, XDR_ERROR,
		        "cannot catch Ctrl+C: CreateEvent failed (error "
		        "%lu)",
		        (unsigned long)GetLastError());
	if (!SetConsoleCtrlHandler(on_ctrl, TRUE)) {
		DWORD e = GetLastError();

		CloseHandle(wake);
		wake = NULL;
		return xdr_errf(err, XDR_ERROR,
		                "cannot catch Ctrl+C: SetConsoleCtrlHandler "
		                "failed (error %lu)",
		                (unsigned long)e);
	}
	InterlockedExchange(&catching, 1);
	return XDR_OK;
}

int xdr_signals_caught(void)
{
	return (int)InterlockedCompareExchange(&caught, 0, 0);
}

int xdr_signals_sleep(unsigned ms)
{
	int sig = xdr_signals_caught();

	if (sig != 0)
		return sig;
	/* INFINITE is 0xFFFFFFFF: one millisecond short of it is not. */
	if (ms == INFINITE)
		ms--;
	if (catching)
		WaitForSingleObject(wake, ms);
	else
		Sleep(ms);
	return xdr_signals_caught();
}
