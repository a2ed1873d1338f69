/*
 * thread_posix.c - os.h threads on POSIX threads.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>

#include "os.h"

int os_mutex_init(os_mutex *m)
{
	int rc = pthread_mutex_init(m, NULL);

	return rc == 0 ? 0 : (errno = rc, -1);
}

void os_mutex_destroy(os_mutex *m)
{
	pthread_mutex_destroy(m);
}

void os_mutex_lock(os_mutex *m)
{
	pthread_mutex_lock(m);
}

void os_mutex_unlock(os_mutex *m)
{
	pthread_mutex_unlock(m);
}

int os_cond_init(os_cond *c)
{
	pthread_condattr_t attr;
	int rc = pthread_condattr_init(&attr);

	if (rc == 0) {
		rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
		if (rc == 0)
			rc = pthread_cond_init(c, &attr);
		pthread_condattr_destroy(&attr);
	}
	return rc == 0 ? 0 : (errno = rc, -1);
}

void os_cond_destroy(os_cond *c)
{
	pthread_cond_destroy(c);
}

void os_cond_signal(os_cond *c)
{
	pthread_cond_signal(c);
}

void os_cond_broadcast(os_cond *c)
{
	pthread_cond_broadcast(c);
}

void os_cond_wait(os_cond *c, os_mutex *m)
{
	pthread_cond_wait(c, m);
}

bool os_cond_wait_until(os_cond *c, os_mutex *m, uint64_t deadline_ms)
{
	struct timespec ts = {(time_t)(deadline_ms / 1000),
	                      (long)(deadline_ms % 1000) * 1000000L};

	/* Any error but a wake-up counts as the deadline passed, so that a
	 * caller's loop always ends. */
	return pthread_cond_timedwait(c, m, &ts) == 0;
}

int os_thread_start(os_thread *t, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int rc;

	/* The new thread inherits the mask: block everything for it. */
	sigfillset(&all);
	rc = pthread_sigmask(SIG_SETMASK, &all, &old);
	if (rc == 0) {
		rc = pthread_create(t, NULL, fn, arg);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	return rc == 0 ? 0 : (errno = rc, -1);
}

void os_thread_join(os_thread t)
{
	pthread_join(t, NULL);
}
