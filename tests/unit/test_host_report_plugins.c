/*
 * test_host_report_plugins.c - what the command line and the console ask
 * the plugins about reports: xdr_publish_check() (the itglue plugin's
 * publish.check for a group, its refusal told, nothing asked without the
 * plugin) and xdr_plugins_report_generated() (every loaded plugin told of a
 * report, each refusal said).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compat/os.h"
#include "xdrhost.h"

struct fake {
	int calls;
	int64_t reports[4];
	int n_reports;
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

static int fake_report(void *state, int64_t report_id)
{
	struct fake *f = state;

	f->reports[f->n_reports++] = report_id;
	return f->status;
}

static const struct xdr_plugin fake_desc = {
        .struct_size = sizeof(struct xdr_plugin),
        .abi_major = XDR_PLUGIN_ABI_MAJOR,
        .name = "itglue",
        .version = "1",
        .on_report_generated = fake_report,
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

/* ---- xdr_plugins_report_generated ---- */

struct three {
	struct fake fakes[3];
	struct xdr_plugin_rec recs[3];
	struct xdr_plugins set;
	char said[256];
};

static void three_plugins(struct three *t)
{
	static const char *const names[] = {"a", "b", "c"};

	memset(t, 0, sizeof(*t));
	for (int i = 0; i < 3; i++) {
		t->recs[i].name = (char *)names[i];
		t->recs[i].loaded = true;
		t->recs[i].desc = &fake_desc;
		t->recs[i].state = &t->fakes[i];
	}
	t->set.items = t->recs;
	t->set.n = 3;
}

static void note(void *ctx, const struct xdr_plugin_rec *rec, int status)
{
	struct three *t = ctx;
	size_t used = strlen(t->said);

	snprintf(t->said + used, sizeof(t->said) - used, "%s:%d;", rec->name,
	         status);
}

static void every_loaded_plugin_hears_of_a_report(void **state)
{
	struct three t;

	(void)state;
	three_plugins(&t);
	t.recs[1].loaded = false;
	assert_int_equal(xdr_plugins_report_generated(&t.set, 7, note, &t),
	                 XDR_OK);
	assert_int_equal(t.fakes[0].n_reports, 1);
	assert_int_equal(t.fakes[0].reports[0], 7);
	assert_int_equal(t.fakes[1].n_reports, 0);
	assert_int_equal(t.fakes[2].n_reports, 1);
	assert_string_equal(t.said, "");
}

static void a_refusal_is_said_and_the_others_still_hear(void **state)
{
	struct three t;

	(void)state;
	three_plugins(&t);
	t.fakes[0].status = XDR_ERROR;
	assert_int_equal(xdr_plugins_report_generated(&t.set, 7, note, &t),
	                 XDR_ERROR);
	assert_string_equal(t.said, "a:-1;");
	assert_int_equal(t.fakes[1].n_reports, 1);
	assert_int_equal(t.fakes[2].n_reports, 1);
}

static void a_stopped_plugin_is_not_told(void **state)
{
	struct three t;

	(void)state;
	three_plugins(&t);
	t.recs[2].stopped = true;
	assert_int_equal(xdr_plugins_report_generated(&t.set, 7, NULL, NULL),
	                 XDR_OK);
	assert_int_equal(t.fakes[2].n_reports, 0);
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
	        cmocka_unit_test(every_loaded_plugin_hears_of_a_report),
	        cmocka_unit_test(a_refusal_is_said_and_the_others_still_hear),
	        cmocka_unit_test(a_stopped_plugin_is_not_told),
	};

	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
