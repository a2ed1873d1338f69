/*
 * measure.c - run one command and write what it cost: wall time, CPU time
 * (user + system) and peak resident set size of that process, from
 * wait4(2), as one JSON object.
 *
 *   measure OUT.json -- CMD ARGS...
 *
 * The command's standard streams are the measure's own. The exit status is
 * the command's (128 + N when signal N ended it); 125 when it could not be
 * measured (bad usage, fork or exec failed, OUT.json not written).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MEASURE_FAILED 125

static double seconds(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int write_result(const char *path, double wall, const struct rusage *ru,
                        int status)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (f == NULL) {
		fprintf(stderr, "measure: cannot write %s: %s\n", path,
		        strerror(errno));
		return -1;
	}
	fprintf(f,
	        "{\"wall_s\": %.3f, \"cpu_s\": %.3f, \"user_s\": %.3f, "
	        "\"sys_s\": %.3f, \"maxrss_kb\": %ld, \"status\": %d}\n",
	        wall, seconds(&ru->ru_utime) + seconds(&ru->ru_stime),
	        seconds(&ru->ru_utime), seconds(&ru->ru_stime), ru->ru_maxrss,
	        status);
	ok = ferror(f) == 0;
	if (fclose(f) != 0 || !ok) {
		fprintf(stderr, "measure: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	double start;
	pid_t pid;
	int wstatus, status;

	if (argc < 4 || strcmp(argv[2], "--") != 0) {
		fprintf(stderr, "usage: measure OUT.json -- CMD ARGS...\n");
		return MEASURE_FAILED;
	}
	start = now_s();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "measure: fork: %s\n", strerror(errno));
		return MEASURE_FAILED;
	}
	if (pid == 0) {
		execvp(argv[3], argv + 3);
		fprintf(stderr, "measure: cannot run %s: %s\n", argv[3],
		        strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &wstatus, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "measure: wait4: %s\n",
			        strerror(errno));
			return MEASURE_FAILED;
		}
	}
	status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus)
	                            : 128 + WTERMSIG(wstatus);
	if (write_result(argv[1], now_s() - start, &ru, status) != 0)
		return MEASURE_FAILED;
	return status;
}
