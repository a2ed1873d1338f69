/*
 * os_test.h - what the unit tests need of the platform beyond compat/os.h:
 * the directory to make scratch directories in, and skipping a case that
 * cannot apply on this platform, with its reason.
 */
#ifndef OS_TEST_H
#define OS_TEST_H

#include <stdlib.h>

/* The directory of scratch files: TMPDIR, else /tmp; on Windows TMP or
 * TEMP, as GetTempPath() reads them, else the current directory. */
static inline const char *test_temp_root(void)
{
#if OS_WIN32
	static const char *const names[] = {"TMP", "TEMP"};
	const char *fallback = ".";
#else
	static const char *const names[] = {"TMPDIR"};
	const char *fallback = "/tmp";
#endif

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *dir = getenv(names[i]);

		if (dir != NULL && dir[0] != '\0')
			return dir;
	}
	return fallback;
}

/*
 * cmocka's skip() takes no reason: SKIP_BECAUSE() prints it first, as a TAP
 * comment, then skips the case (cmocka reports it as "# SKIP").
 */
#define SKIP_BECAUSE(reason)                                                   \
	do {                                                                   \
		print_message("# skipped: %s\n", (reason));                    \
		skip();                                                        \
	} while (0)

#endif /* OS_TEST_H */
