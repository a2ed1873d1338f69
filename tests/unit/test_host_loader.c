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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "host_test_home.h"
#include "xdrhost.h"

struct fixture {
	char home[64];
	char dir[128];
	struct xdr_runtime *rt;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	host_test_home_open(f->home, sizeof(f->home), "test_host_loader",
	                    &f->rt);
	snprintf(f->dir, sizeof(f->dir), "%s/plugins.d", f->home);
	assert_int_equal(mkdir(f->dir, 0700), 0);
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
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
the_directory_comes_from_the_option_then_the_environment(void **state)
{
	struct fixture *f = *state;
	char *dir = NULL;

	setenv("XDR_PLUGIN_DIR", f->home, 1);
	assert_int_equal(xdr_plugin_dir_resolve(f->dir, &dir, NULL), XDR_OK);
	assert_string_equal(dir, f->dir);
	free(dir);
	assert_int_equal(xdr_plugin_dir_resolve(NULL, &dir, NULL), XDR_OK);
	assert_string_equal(dir, f->home);
	free(dir);
	unsetenv("XDR_PLUGIN_DIR");
	assert_non_null(xdr_plugin_dir_default());
	assert_int_equal(xdr_plugin_dir_default()[0], '/');
}

static void a_missing_directory_is_an_error(void **state)
{
	struct fixture *f = *state;
	char missing[160], *dir = NULL;
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

static void each_unloadable_file_is_refused_with_a_reason(void **state)
{
	struct fixture *f = *state;
	struct xdr_plugins *set = NULL;
	char link[256], sub[256], *log, *path;

	put(f, "junk" LT_MODULE_EXT, "this is not a shared library\n");
	snprintf(link, sizeof(link), "%s/gone" LT_MODULE_EXT, f->dir);
	assert_int_equal(symlink("/nonexistent/gone" LT_MODULE_EXT, link), 0);
	snprintf(sub, sizeof(sub), "%s/dir" LT_MODULE_EXT, f->dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(xdr_plugins_load(f->rt, f->dir, &set, NULL), XDR_OK);
	assert_int_equal(set->n, 3);
	assert_int_equal(xdr_plugins_loaded_count(set), 0);
	/* dir, gone, junk */
	assert_string_equal(set->items[0].error,
	                    "not a loadable library: not a regular file");
	assert_string_equal(set->items[1].error, "file not found");
	assert_non_null(
	        strstr(set->items[2].error, "not a loadable library: "));
	/* The system loader's own reason, not libltdl's "file not found". */
	assert_null(strstr(set->items[2].error, "file not found"));
	for (size_t i = 0; i < set->n; i++) {
		assert_false(set->items[i].loaded);
		assert_null(set->items[i].name);
		assert_null(set->items[i].version);
		assert_int_equal(set->items[i].abi_major, -1);
		assert_null(set->items[i].handle);
	}
	log = NULL;
	path = xdr_path_join(f->rt->home, "xdr-host.log");
	assert_int_equal(xdr_read_file(path, 1 << 16, &log, NULL, NULL),
	                 XDR_OK);
	assert_non_null(strstr(log, "ERROR xdr-host: plugin gone" LT_MODULE_EXT
	                            " refused: file not found\n"));
	free(log);
	free(path);
	xdr_plugins_free(set);
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
	        T(plugins_are_found_by_name_or_file_stem),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
