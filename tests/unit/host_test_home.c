/*
 * host_test_home.c - the scratch directories of the host's unit tests.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "compat/os.h"
#include "host_test_home.h"
#include "os_test.h"

void host_test_tempdir(char *dir, size_t size, const char *name)
{
	int n = snprintf(dir, size, "%s/%s.XXXXXX", test_temp_root(), name);

	assert_true(n > 0 && (size_t)n < size);
	assert_non_null(os_mkdtemp(dir));
}

void host_test_home_open(char *home, size_t size, const char *name,
                         struct xdr_runtime **rt)
{
	host_test_tempdir(home, size, name);
	assert_int_equal(xdr_runtime_open(rt, home, false, NULL), XDR_OK);
}

void host_test_home_close(const char *home, struct xdr_runtime *rt)
{
	xdr_runtime_close(rt);
	assert_int_equal(xdr_rmtree(home, NULL), XDR_OK);
}
