/*
 * host_test_home.h - the scratch directories of the host's unit tests: a new
 * temporary directory, optionally the home of an open runtime, removed with
 * all it holds at the end of the test.
 */
#ifndef HOST_TEST_HOME_H
#define HOST_TEST_HOME_H

#include <stddef.h>

#include "xdrhost.h"

/* Create NAME.XXXXXX in the temporary directory (TMPDIR or /tmp; TMP or TEMP
 * on Windows) and store its path in dir (size bytes); fails the running test
 * if it cannot. */
void host_test_tempdir(char *dir, size_t size, const char *name);

/* As host_test_tempdir(), then open a runtime with that directory as its
 * home into *rt. */
void host_test_home_open(char *home, size_t size, const char *name,
                         struct xdr_runtime **rt);

/* Close rt (NULL allowed) and remove home with everything in it. */
void host_test_home_close(const char *home, struct xdr_runtime *rt);

#endif /* HOST_TEST_HOME_H */
