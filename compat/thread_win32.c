/*
 * thread_win32.c - os.h threads on Win32: slim reader/writer locks, condition
 * variables and _beginthreadex().
 */
#include "config.h"

#include <errno.h>
#include <process.h>
#include <stdlib.h>

#include "os.h"

int os_mutex_init(os_mutex *m)
{
	InitializeSRWLock(m);
	return 0;
}

void os_mutex_destroy(os_mutex *m)
{
	/* An SRW lock holds no resources. */
	(void)m;
}

void os_mutex_lock(os_mutex *m)
{
	AcquireSRWLockExclusive(m);
}

void os_mutex_unlock(os_mutex *m)
{
	ReleaseSRWLockExclusive(m);
}

int os_cond_init(os_cond *c)
{
	InitializeConditionVariable(c);
	return 0;
}

void os_cond_destroy(os_cond *c)
{
	/* Nor does a condition variable. */
	(void)c;
}

void os_cond_signal(os_cond *c)
{
	WakeConditionVariable(c);
}

void os_cond_broadcast(os_cond *c)
{
	WakeAllConditionVariable(c);
}

void os_cond_wait(os_cond *c, os_mutex *m)
{
	SleepConditionVariableSRW(c, m, INFINITE, 0);
}

bool os_cond_wait_until(os_cond *c, os_mutex *m, uint64_t deadline_ms)
{
	for (;;) {
		uint64_t now = os_monotonic_ms();
		uint64_t left;
		DWORD wait;

		if (now >= deadline_ms)
			return false;
		/* INFINITE is not a number of milliseconds: stay below it. */
		left = deadline_ms - now;
		wait = left < INFINITE ? (DWORD)left : INFINITE - 1;
		if (SleepConditionVariableSRW(c, m, wait, 0))
			return true;
		/*
		 * A time-out by the system's tick may end a little before the
		 * monotonic clock reaches the deadline. Another thread may have
		 * changed the state and signalled while this one took the lock
		 * back: say "woken" (spurious wake-ups are allowed) rather than
		 * wait the rest, so that the caller looks again.
		 */
		if (GetLastError() != ERROR_TIMEOUT)
			return true;
		return os_monotonic_ms() < deadline_ms;
	}
}

/* _beginthreadex() starts an unsigned __stdcall (void *): adapt FN to it. */
struct trampoline {
	void *(*fn)(void *);
	void *arg;
};

static unsigned __stdcall thread_main(void *p)
{
	struct trampoline t = *(struct trampoline *)p;

	free(p);
	t.fn(t.arg);
	return 0;
}

int os_thread_start(os_thread *t, void *(*fn)(void *), void *arg)
{
	struct trampoline *tr = malloc(sizeof(*tr));
	uintptr_t h;

	/* Windows has no signals to block: console events come on threads of
	 * their own. */
	if (tr == NULL) {
		errno = ENOMEM;
		return -1;
	}
	tr->fn = fn;
	tr->arg = arg;
	errno = 0;
	h = _beginthreadex(NULL, 0, thread_main, tr, 0, NULL);
	if (h == 0) {
		int saved = errno != 0 ? errno : EAGAIN;

		free(tr);
		errno = saved;
		return -1;
	}
	*t = (HANDLE)h;
	return 0;
}

void os_thread_join(os_thread t)
{
	WaitForSingleObject(t, INFINITE);
	CloseHandle(t);
}
