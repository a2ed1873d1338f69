/*
 * clock_win32.c - os.h time on the performance counter, Sleep() and
 * gmtime_s().
 */
#include "config.h"

#include "os.h"

uint64_t os_monotonic_ms(void)
{
	LARGE_INTEGER freq, now;
	uint64_t f, n;

	/* Neither call fails on Windows XP and later; the frequency is fixed
	 * at boot, and reading either costs no system call. */
	QueryPerformanceFrequency(&freq);
	QueryPerformanceCounter(&now);
	f = (uint64_t)freq.QuadPart;
	n = (uint64_t)now.QuadPart;
	/* In two parts, so that the product cannot overflow. */
	return n / f * 1000 + n % f * 1000 / f;
}

void os_sleep_ms(uint64_t ms)
{
	uint64_t now = os_monotonic_ms();
	uint64_t end = ms < UINT64_MAX - now ? now + ms : UINT64_MAX;

	/*
	 * Sleep() takes a DWORD, in which INFINITE is not a number of
	 * milliseconds, and may end up to a tick early: sleep in pieces until
	 * the monotonic clock says all of MS went by.
	 */
	while (now < end) {
		uint64_t left = end - now;

		Sleep(left < INFINITE ? (DWORD)left : INFINITE - 1);
		now = os_monotonic_ms();
	}
}

struct tm *os_gmtime(time_t t, struct tm *out)
{
	/* The C library's limits: 1970 to 3000. */
	return gmtime_s(out, &t) == 0 ? out : NULL;
}
