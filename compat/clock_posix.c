/*
 * clock_posix.c - os.h time on clock_gettime() and nanosleep().
 */
#include "config.h"

#include <errno.h>

#include "os.h"

uint64_t os_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void os_sleep_ms(uint64_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000),
	                      (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

struct tm *os_gmtime(time_t t, struct tm *out)
{
	return gmtime_r(&t, out);
}
