/*
 * test_host_loader.c - what the loader finds in a plugin directory and how
 * it refuses what cannot be loaded. Refusals of real libraries (ABI, init,
 * duplicates) need built test plugins and are covered by the integration
 * tests; these need nothing but files.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "compat/os.h"
#include "host_test_home.h"
#include "os_test.h"
#include "xdrhost.h"

struct fixture {
	char home[512];
	char dir[640];
	struct xdr_runtime *rt;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	host_test_home_open(f->home, sizeof(f->home), "test_host_loader",
	                    &f->rt);
	snprintf(f->dir, sizeof(f->dir), "%s/plugins.d", f->home);
	assert_int_equal(os_mkdir_private(f->dir), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	host_test_home_close(f->home, f->rt);
	free(f);
	return 0;
}

static void put(const struct fixture *f, const char *name, const char *text)
{
	char path[768];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* setenv(), or unsetenv() if VALUE is NULL; Windows has _putenv_s(), where
 * an empty value removes the variable. */
static void set_env(const char *name, const char *value)
{
#if OS_WIN32
	assert_int_equal(_putenv_s(name, value != NULL ? value : ""), 0);
#else
	if (value != NULL)
		assert_int_equal(setenv(name, value, 1), 0);
	else
		assert_int_equal(unsetenv(name), 0);
#endif
}

static void
the_directory_comes_from_the_option_then_the_environment(void **state)
{
	struct fixture *f = *state;
	/* The resolved paths are canonical (with backslashes on Windows). */
	char *want_dir = os_realpath(f->dir), *want_home = os_realpath(f->home);
	char *dir = NULL;

	assert_non_null(want_dir);
	assert_non_null(want_home);
	set_env("XDR_PLUGIN_DIR", f->home);
	assert_int_equal(xdr_plugin_dir_resolve(f->dir, &dir, NULL), XDR_OK);
	assert_string_equal(dir, want_dir);
	free(dir);
	assert_int_equal(xdr_plugin_dir_resolve(NULL, &dir, NULL), XDR_OK);
	assert_string_equal(dir, want_home);
	free(dir);
	set_env("XDR_PLUGIN_DIR", NULL);
	assert_non_null(xdr_plugin_dir_default());
	assert_true(os_path_is_absolute(xdr_plugin_dir_default()));
	free(want_dir);
	free(want_home);
}

static void a_missing_directory_is_an_error(void **state)
{
	struct fixture *f = *state;
	char missing[768], *dir = NULL;
	struct xdr_err err;

	snprintf(missing, sizeof(missing), "%s/nowhere", f->home);
	assert_int_equal(xdr_plugin_dir_resolve(missing, &dir, &err),
	                 XDR_ENOTFOUND);
	assert_non_null(strstr(err.msg, missing));
	assert_non_null(strstr(err.msg, "does not exist"));
	put(f, "file", "x");
	snprintf(missing, sizeof(missing), "%s/file", f->dir);
	assert_int_equal(xdr_plugin_dir_resolve(missing, &dir, &err),
	                 XDR_EINVAL);
	assert_non_null(strstr(err.msg, "not a directory"));
	assert_null(dir);
}

static void an_empty_directory_has_no_plugins(void **state)
{
	struct fixture *f = *state;
	struct xdr_plugins *set = NULL;

	assert_int_equal(xdr_plugins_load(f->rt, f->dir, &set, NULL), XDR_OK);
	assert_int_equal(set->n, 0);
	assert_int_equal(xdr_plugins_loaded_count(set), 0);
	assert_null(xdr_plugins_find(set, "itglue"));
	xdr_plugins_free(set);
}

static void only_module_files_are_candidates_in_name_order(void **state)
{
	struct fixture *f = *state;
	struct xdr_plugins *set = NULL;
	char ext_only[32];

	put(f, "zeta" LT_MODULE_EXT, "text");
	put(f, "alpha" LT_MODULE_EXT, "text");
	put(f, "README", "notes");
	put(f, "beta" LT_MODULE_EXT ".bak", "text");
	snprintf(ext_only, sizeof(ext_only), "%s", LT_MODULE_EXT);
	put(f, ext_only, "text");
	assert_int_equal(xdr_plugins_load(f->rt, f->dir, &set, NULL), XDR_OK);
	assert_int_equal(set->n, 2);
	assert_string_equal(set->items[0].file, "alpha" LT_MODULE_EXT);
	assert_string_equal(set->items[1].file, "zeta" LT_MODULE_EXT);
	xdr_plugins_free(set);
}

/* Nothing of SET is loaded, and each candidate says so. */
static void none_loaded(const struct xdr_plugins *set)
{
	assert_int_equal(xdr_plugins_loaded_count(set), 0);
	for (size_t i = 0; i < set->n; i++) {
		assert_false(set->items[i].loaded);
		assert_null(set->items[i].name);
		assert_null(set->items[i].version);
		assert_int_equal(set->items[i].abi_major, -1);
		assert_null(set->items[i].handle);
	}
}

static void each_unloadable_file_is_refused_with_a_reason(void **state)
{
	struct fixture *f = *state;
	struct xdr_plugins *set = NULL;
	char sub[768];

	put(f, "junk" LT_MODULE_EXT, "this is not a shared library\n");
	snprintf(sub, sizeof(sub), "%s/dir" LT_MODULE_EXT, f->dir);
	assert_int_equal(os_mkdir_private(sub), 0);
	assert_int_equal(xdr_plugins_load(f->rt, f->dir, &set, NULL), XDR_OK);
	assert_int_equal(set->n, 2);
	none_loaded(set);
	/* dir, junk */
	assert_string_equal(set->items[0].error,
	                    "not a loadable library: not a regular file");
	assert_non_null(
	        strstr(set->items[1].error, "not a loadable library: "));
	/* The system loader's own reason, not libltdl's "file not found". */
	assert_null(strstr(set->items[1].error, "file not found"));
	xdr_plugins_free(set);
}

static void a_dangling_link_is_refused_as_not_found(void **state)
{
	struct fixture *f = *state;
	struct xdr_plugins *set = NULL;
	char link[768], *log, *path;

#if OS_WIN32
	/* Windows makes symbolic links only with a privilege (or developer
	 * mode): a test cannot count on making one. */
	(void)f;
	(void)set;
	(void)link;
	(void)log;
	(void)path;
	SKIP_BECAUSE("no symbolic links on Windows without a privilege: "
	             "symlink() does not exist");
#else
	snprintf(link, sizeof(link), "%s/gone" LT_MODULE_EXT, f->dir);
	assert_int_equal(symlink("/nonexistent/gone" LT_MODULE_EXT, link), 0);
	assert_int_equal(xdr_plugins_load(f->rt, f->dir, &set, NULL), XDR_OK);
	assert_int_equal(set->n, 1);
	none_loaded(set);
	assert_string_equal(set->items[0].error, "file not found");
	log = NULL;
	path = xdr_path_join(f->rt->home, "xdr-host.log");
	assert_int_equal(xdr_read_file(path, 1 << 16, &log, NULL, NULL),
	                 XDR_OK);
	assert_non_null(strstr(log, "ERROR xdr-host: plugin gone" LT_MODULE_EXT
	                            " refused: file not found\n"));
	free(log);
	free(path);
	xdr_plugins_free(set);
#endif
}

static void plugins_are_found_by_name_or_file_stem(void **state)
{
	struct fixture *f = *state;
	struct xdr_plugins *set = NULL;

	put(f, "junk" LT_MODULE_EXT, "x");
	assert_int_equal(xdr_plugins_load(f->rt, f->dir, &set, NULL), XDR_OK);
	assert_ptr_equal(xdr_plugins_find(set, "junk"), &set->items[0]);
	assert_null(xdr_plugins_find(set, "jun"));
	assert_null(xdr_plugins_find(set, "junk" LT_MODULE_EXT));
	assert_int_equal(xdr_plugin_admin(&set->items[0], "status", NULL,
	                                  &(char *){NULL}),
	                 XDR_EINVAL);
	assert_int_equal(xdr_plugin_tick(&set->items[0], 0), XDR_EINVAL);
	assert_int_equal(xdr_plugin_report_generated(&set->items[0], 1),
	                 XDR_EINVAL);
	xdr_plugins_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	        T(the_directory_comes_from_the_option_then_the_environment),
	        T(a_missing_directory_is_an_error),
	        T(an_empty_directory_has_no_plugins),
	        T(only_module_files_are_candidates_in_name_order),
	        T(each_unloadable_file_is_refused_with_a_reason),
	        T(a_dangling_link_is_refused_as_not_found),
	        T(plugins_are_found_by_name_or_file_stem),
#undef T
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
