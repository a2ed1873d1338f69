/*
 * test_host_publish_check.c - xdr_publish_check(): the itglue plugin's
 * publish.check asked for a group, its refusal told, nothing asked without
 * the plugin.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xdrhost.h"

struct fake {
	int calls;
	char request[256];
	int status;
	const char *answer;
};

static int fake_admin(void *state, const char *action, const char *request,
                      char **response)
{
	struct fake *f = state;

	assert_string_equal(action, "publish.check");
	f->calls++;
	snprintf(f->request, sizeof(f->request), "%s", request);
	*response = f->answer != NULL ? strdup(f->answer) : NULL;
	return f->status;
}

static void fake_free(void *p)
{
	free(p);
}

static const struct xdr_plugin fake_desc = {
        .struct_size = sizeof(struct xdr_plugin),
        .abi_major = XDR_PLUGIN_ABI_MAJOR,
        .name = "itglue",
        .version = "1",
        .on_admin_action = fake_admin,
        .free = fake_free,
};

struct fake_set {
	struct fake fake;
	struct xdr_plugin_rec rec;
	struct xdr_plugins set;
};

static void fake_set(struct fake_set *s, int status, const char *answer)
{
	memset(s, 0, sizeof(*s));
	s->fake.status = status;
	s->fake.answer = answer;
	s->rec.name = "itglue";
	s->rec.file = "itglue.so";
	s->rec.loaded = true;
	s->rec.desc = &fake_desc;
	s->rec.state = &s->fake;
	s->set.items = &s->rec;
	s->set.n = 1;
}

static void a_mapped_group_may_publish(void **state)
{
	struct fake_set s;
	struct xdr_err err;
	bool checked = false;
	char *answer = NULL;

	(void)state;
	fake_set(&s, XDR_OK, "{\"ok\":true}");
	assert_int_equal(
	        xdr_publish_check(&s.set, "Lab", &checked, &answer, &err),
	        XDR_OK);
	assert_true(checked);
	assert_string_equal(answer, "{\"ok\":true}");
	free(answer);
}

static void the_group_is_named_in_the_request(void **state)
{
	struct fake_set s;
	struct xdr_err err;
	bool checked;

	(void)state;
	fake_set(&s, XDR_OK, "{\"ok\":true}");
	xdr_publish_check(&s.set, "Lab \"A\"", &checked, NULL, &err);
	assert_string_equal(s.fake.request, "{ \"group\": \"Lab \\\"A\\\"\" }");
}

static void a_refusal_gives_the_plugins_status_and_message(void **state)
{
	struct fake_set s;
	struct xdr_err err;
	bool checked = false;
	char *answer = NULL;

	(void)state;
	fake_set(&s, XDR_EDISABLED,
	         "{\"error\":{\"code\":\"not_mapped\",\"message\":\"group Lab "
	         "is not mapped\"}}");
	assert_int_equal(
	        xdr_publish_check(&s.set, "Lab", &checked, &answer, &err),
	        XDR_EDISABLED);
	assert_true(checked);
	assert_string_equal(err.msg, "group Lab is not mapped");
	assert_non_null(strstr(answer, "not_mapped"));
	free(answer);
}

static void a_refusal_without_a_message_still_says_so(void **state)
{
	struct fake_set s;
	struct xdr_err err;
	bool checked;

	(void)state;
	fake_set(&s, XDR_ERROR, "not json");
	assert_int_equal(xdr_publish_check(&s.set, "Lab", &checked, NULL, &err),
	                 XDR_ERROR);
	assert_string_equal(err.msg, "the IT Glue plugin refused");
}

static void nothing_is_asked_without_the_plugin(void **state)
{
	struct fake_set s;
	struct xdr_err err;
	bool checked = true;
	char *answer = (char *)"x";

	(void)state;
	fake_set(&s, XDR_OK, "{}");
	s.rec.loaded = false;
	assert_int_equal(
	        xdr_publish_check(&s.set, "Lab", &checked, &answer, &err),
	        XDR_OK);
	assert_false(checked);
	assert_null(answer);
	assert_int_equal(s.fake.calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(a_mapped_group_may_publish),
	        cmocka_unit_test(the_group_is_named_in_the_request),
	        cmocka_unit_test(
	                a_refusal_gives_the_plugins_status_and_message),
	        cmocka_unit_test(a_refusal_without_a_message_still_says_so),
	        cmocka_unit_test(nothing_is_asked_without_the_plugin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
