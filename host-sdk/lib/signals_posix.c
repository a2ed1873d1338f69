/*
 * signals_posix.c - SIGINT and SIGTERM as a request to stop cleanly. The
 * signals stay blocked except inside xdr_signals_sleep(), where pselect()
 * unblocks them atomically: no signal can slip in between checking the
 * flag and going to sleep, and threads started later (plugin workers
 * inherit the mask) never receive them. SIGPIPE is ignored: a closed
 * output pipe then fails the write instead of killing the host before its
 * plugins stop. Windows: signals_win32.c.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include "xdrhost.h"

static volatile sig_atomic_t caught;
static sigset_t sleep_mask; /* the mask to sleep with: signals open */
static bool catching;

static void on_signal(int sig)
{
	caught = sig;
}

int xdr_signals_catch(struct xdr_err *err)
{
	struct sigaction sa, ignore;
	sigset_t block;

	if (catching)
		return XDR_OK;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	if (pthread_sigmask(SIG_BLOCK, &block, &sleep_mask) != 0)
		return xdr_errf(err, XDR_ERROR, "cannot block signals: %s",
		                strerror(errno));
	sigdelset(&sleep_mask, SIGINT);
	sigdelset(&sleep_mask, SIGTERM);
	memset(&ignore, 0, sizeof(ignore));
	ignore.sa_handler = SIG_IGN;
	sigemptyset(&ignore.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) != 0 ||
	    sigaction(SIGTERM, &sa, NULL) != 0 ||
	    sigaction(SIGPIPE, &ignore, NULL) != 0)
		return xdr_errf(err, XDR_ERROR, "cannot catch signals: %s",
		                strerror(errno));
	catching = true;
	return XDR_OK;
}

int xdr_signals_caught(void)
{
	return caught;
}

int xdr_signals_sleep(unsigned ms)
{
	struct timespec ts = {(time_t)(ms / 1000),
	                      (long)(ms % 1000) * 1000000L};

	if (caught)
		return caught;
	if (catching)
		pselect(0, NULL, NULL, NULL, &ts, &sleep_mask);
	else
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
	return caught;
}
