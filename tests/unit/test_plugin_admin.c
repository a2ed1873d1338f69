/*
 * test_plugin_admin.c - the admin router, through the real descriptor.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <json.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "itglue.h"
#include "mock_host.h"
#include "store.h"
#include "text_test.h"
#include "worker.h"

#define DISABLED_MESSAGE                                                       \
	"IT Glue integration is disabled: turn on \"Enable PSA/RMM "           \
	"Integration\" (xdr-host setting set psa_rmm_integration on)"

/* Built into this test from plugin/entry.c. */
const struct xdr_plugin *xdr_plugin_entry(void);

struct fixture {
	struct mock_host *host;
	const struct xdr_plugin *desc;
	void *state;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	if (f == NULL)
		return -1;
	f->host = mock_host_new();
	f->desc = xdr_plugin_entry();
	if (f->host == NULL || f->desc->init(mock_host_api(f->host), &f->state,
	                                     err, sizeof(err)) != XDR_OK) {
		mock_host_free(f->host);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	f->desc->shutdown(f->state);
	mock_host_free(f->host);
	free(f);
	return 0;
}

static void gate(struct fixture *f, const char *value)
{
	mock_host_set_setting(f->host, "psa_rmm_integration", value);
}

/* Call the action; check the answer is one compact JSON object. */
static struct json_object *call(struct fixture *f, const char *action,
                                const char *request, int *rc)
{
	struct json_object *obj;
	char *response = NULL;

	*rc = f->desc->on_admin_action(f->state, action, request, &response);
	assert_non_null(response);
	assert_null(strchr(response, '\n'));
	assert_null(strstr(response, "\\/"));
	obj = json_tokener_parse(response);
	f->desc->free(response);
	assert_non_null(obj);
	assert_true(json_object_is_type(obj, json_type_object));
	return obj;
}

static struct json_object *member(struct json_object *obj, const char *key)
{
	struct json_object *val = NULL;

	if (!json_object_object_get_ex(obj, key, &val))
		return NULL;
	return val;
}

/* Check OBJ is exactly {"error": {"code": CODE, "message": ...}} with a
 * message containing TEXT (or equal to it when EXACT). */
static void check_error(struct json_object *obj, const char *code,
                        const char *text, bool exact)
{
	struct json_object *error = member(obj, "error");
	const char *message;

	assert_non_null(error);
	assert_int_equal(json_object_object_length(obj), 1);
	assert_int_equal(json_object_object_length(error), 2);
	assert_string_equal(json_object_get_string(member(error, "code")),
	                    code);
	message = json_object_get_string(member(error, "message"));
	assert_non_null(message);
	if (exact)
		assert_string_equal(message, text);
	else
		assert_non_null(strstr(message, text));
	json_object_put(obj);
}

static void expect_error(struct fixture *f, const char *action,
                         const char *request, int status, const char *code,
                         const char *text)
{
	int rc;
	struct json_object *obj = call(f, action, request, &rc);

	assert_int_equal(rc, status);
	check_error(obj, code, text, false);
}

/* ---- status ---- */

static void check_idle_status(struct json_object *obj, bool enabled)
{
	struct json_object *store = member(obj, "store");

	assert_int_equal(json_object_object_length(obj), 7);
	assert_true(json_object_get_boolean(member(store, "ok")));
	assert_non_null(strstr(json_object_get_string(member(store, "file")),
	                       "itglue.db"));
	assert_null(member(store, "error"));
	assert_string_equal(json_object_get_string(member(obj, "plugin")),
	                    "itglue");
	assert_string_equal(json_object_get_string(member(obj, "version")),
	                    PACKAGE_VERSION);
	assert_true(
	        json_object_is_type(member(obj, "enabled"), json_type_boolean));
	assert_int_equal(json_object_get_boolean(member(obj, "enabled")),
	                 enabled);
	assert_true(
	        json_object_is_type(member(obj, "busy"), json_type_boolean));
	assert_false(json_object_get_boolean(member(obj, "busy")));
	assert_int_equal(json_object_get_int(member(obj, "schema_version")),
	                 (int)itg_schema_migration_count);
	assert_null(member(obj, "progress"));
	json_object_put(obj);
}

static void test_status_is_answered_with_the_gate_off(void **state)
{
	struct fixture *f = *state;
	int rc;

	check_idle_status(call(f, "status", NULL, &rc), false);
	assert_int_equal(rc, XDR_OK);
}

static void test_status_is_answered_with_the_gate_on(void **state)
{
	struct fixture *f = *state;
	int rc;

	gate(f, "on");
	check_idle_status(call(f, "status", NULL, &rc), true);
	assert_int_equal(rc, XDR_OK);
}

static void test_status_follows_the_setting_while_running(void **state)
{
	struct fixture *f = *state;
	int rc;

	gate(f, "on");
	check_idle_status(call(f, "status", NULL, &rc), true);
	gate(f, "off");
	check_idle_status(call(f, "status", NULL, &rc), false);
	gate(f, "on");
	check_idle_status(call(f, "status", NULL, &rc), true);
}

static void test_status_takes_empty_requests(void **state)
{
	struct fixture *f = *state;
	int rc;

	check_idle_status(call(f, "status", "", &rc), false);
	assert_int_equal(rc, XDR_OK);
	check_idle_status(call(f, "status", "{}", &rc), false);
	assert_int_equal(rc, XDR_OK);
	check_idle_status(call(f, "status", " \n{ }\t", &rc), false);
	assert_int_equal(rc, XDR_OK);
}

static void test_status_rejects_parameters(void **state)
{
	expect_error(*state, "status", "{\"verbose\":true}", XDR_EINVAL,
	             "bad_request", "status takes no parameters");
}

/* A job that reports 3 of 10 and then holds until released. */
struct hold {
	os_mutex lock;
	os_cond cond;
	bool started;
	bool released;
};

static void held_job(struct itg_job_ctx *ctx, void *arg)
{
	struct hold *h = arg;

	itg_job_progress(ctx, 3, 10);
	os_mutex_lock(&h->lock);
	h->started = true;
	os_cond_broadcast(&h->cond);
	while (!h->released)
		os_cond_wait(&h->cond, &h->lock);
	os_mutex_unlock(&h->lock);
}

static void quick_job(struct itg_job_ctx *ctx, void *arg)
{
	(void)ctx;
	(void)arg;
}

static void test_status_shows_progress_while_busy(void **state)
{
	struct fixture *f = *state;
	struct itg_plugin *p = f->state;
	struct hold h = {.started = false, .released = false};
	struct itg_job held = {"auto-map", held_job, &h, NULL};
	struct itg_job quick = {"publish", quick_job, NULL, NULL};
	struct json_object *obj;
	struct json_object *progress;
	int rc;
	int i;

	assert_int_equal(os_mutex_init(&h.lock), 0);
	assert_int_equal(os_cond_init(&h.cond), 0);
	assert_int_equal(itg_worker_submit(p->worker, &held), 1);
	os_mutex_lock(&h.lock);
	while (!h.started)
		os_cond_wait(&h.cond, &h.lock);
	os_mutex_unlock(&h.lock);
	assert_true(itg_worker_submit(p->worker, &quick) > 0);
	assert_true(itg_worker_submit(p->worker, &quick) > 0);

	obj = call(f, "status", NULL, &rc);
	assert_int_equal(rc, XDR_OK);
	assert_true(json_object_get_boolean(member(obj, "busy")));
	progress = member(obj, "progress");
	assert_non_null(progress);
	assert_string_equal(json_object_to_json_string_ext(
	                            progress, JSON_C_TO_STRING_PLAIN),
	                    "{\"running\":\"auto-map\",\"done\":3,"
	                    "\"total\":10,\"queued\":2}");
	json_object_put(obj);

	os_mutex_lock(&h.lock);
	h.released = true;
	os_cond_broadcast(&h.cond);
	os_mutex_unlock(&h.lock);

	/* Poll as the host does until the plugin is idle again. */
	for (i = 0; i < 2000; i++) {
		obj = call(f, "status", NULL, &rc);
		if (!json_object_get_boolean(member(obj, "busy")))
			break;
		json_object_put(obj);
		os_sleep_ms(5);
	}
	assert_true(i < 2000);
	check_idle_status(obj, false);
	os_cond_destroy(&h.cond);
	os_mutex_destroy(&h.lock);
}

/* ---- rule 1: the action name ---- */

static void test_bad_action_names_are_refused(void **state)
{
	static const char *const bad[] = {
	        "",       "Status",   "sta tus",
	        "a/b",    "status\n", "stat\xc3\xbcs",
	        "st*tus", "../x",     "status;rm",
	};
	char long_name[66];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_error(*state, bad[i], NULL, XDR_EINVAL, "bad_action",
		             "action name");
	expect_error(*state, NULL, NULL, XDR_EINVAL, "bad_action",
	             "action name");
	memset(long_name, 'a', 65);
	long_name[65] = '\0';
	expect_error(*state, long_name, NULL, XDR_EINVAL, "bad_action",
	             "1 to 64");
}

static void test_a_64_character_name_passes_rule_one(void **state)
{
	char name[65];

	memset(name, 'a', 64);
	name[64] = '\0';
	name[10] = '.';
	name[20] = '_';
	name[30] = '-';
	name[40] = '7';
	expect_error(*state, name, NULL, XDR_EDISABLED, "integration_disabled",
	             "disabled");
}

static void test_the_action_is_checked_before_the_request(void **state)
{
	expect_error(*state, "BAD", "{", XDR_EINVAL, "bad_action",
	             "action name");
}

/* ---- rule 2: the request ---- */

static void test_requests_that_are_not_objects_are_refused(void **state)
{
	expect_error(*state, "status", "[]", XDR_EINVAL, "bad_request",
	             "must be a JSON object, not array");
	expect_error(*state, "status", "123", XDR_EINVAL, "bad_request",
	             "not int");
	expect_error(*state, "status", "\"s\"", XDR_EINVAL, "bad_request",
	             "not string");
	expect_error(*state, "status", "null", XDR_EINVAL, "bad_request",
	             "not null");
}

static void
test_malformed_requests_are_refused_with_the_parser_message(void **state)
{
	expect_error(*state, "status", "{", XDR_EINVAL, "bad_request",
	             "request is not valid JSON: unexpected end of data");
	expect_error(*state, "status", "{} x", XDR_EINVAL, "bad_request",
	             "not valid JSON");
	expect_error(*state, "status", "{}{}", XDR_EINVAL, "bad_request",
	             "not valid JSON");
	expect_error(*state, "status", "{\"a\":1,}", XDR_EINVAL, "bad_request",
	             "not valid JSON");
	expect_error(*state, "status", "{\"a\":\"\xff\"}", XDR_EINVAL,
	             "bad_request", "utf-8");
}

static void test_deep_requests_are_refused(void **state)
{
	char deep[2 * 40 + 16];
	size_t n = 0;
	int i;

	deep[n++] = '{';
	deep[n++] = '"';
	deep[n++] = 'a';
	deep[n++] = '"';
	deep[n++] = ':';
	for (i = 0; i < 40; i++)
		deep[n++] = '[';
	for (i = 0; i < 40; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	deep[n] = '\0';
	expect_error(*state, "status", deep, XDR_EINVAL, "bad_request",
	             "nesting too deep");
}

static void test_huge_requests_are_refused(void **state)
{
	size_t size = 1024 * 1024 + 2;
	char *big = malloc(size + 1);

	assert_non_null(big);
	memset(big, ' ', size);
	big[0] = '{';
	big[size - 1] = '}';
	big[size] = '\0';
	expect_error(*state, "status", big, XDR_EINVAL, "bad_request",
	             "larger than");
	free(big);
}

static void test_the_request_is_checked_before_the_gate(void **state)
{
	expect_error(*state, "auto-map", "[", XDR_EINVAL, "bad_request",
	             "not valid JSON");
}

/* ---- rule 4: the gate ---- */

static void test_gate_off_refuses_every_other_action(void **state)
{
	struct fixture *f = *state;
	int rc;

	check_error(call(f, "auto-map", NULL, &rc), "integration_disabled",
	            DISABLED_MESSAGE, true);
	assert_int_equal(rc, XDR_EDISABLED);
	check_error(call(f, "no-such-action", "{\"x\":1}", &rc),
	            "integration_disabled", DISABLED_MESSAGE, true);
	assert_int_equal(rc, XDR_EDISABLED);
}

static void test_unreadable_gate_refuses_too(void **state)
{
	struct fixture *f = *state;

	gate(f, "on");
	mock_host_fail_settings(f->host, XDR_ERROR);
	expect_error(f, "auto-map", NULL, XDR_EDISABLED, "integration_disabled",
	             DISABLED_MESSAGE);
}

static void test_disabled_message_is_sent_unescaped(void **state)
{
	static const char expected[] =
	        "{\"error\":{\"code\":\"integration_disabled\",\"message\":"
	        "\"IT Glue integration is disabled: turn on \\\"Enable "
	        "PSA/RMM Integration\\\" (xdr-host setting set "
	        "psa_rmm_integration on)\"}}";
	struct fixture *f = *state;
	char *response = NULL;

	assert_int_equal(
	        f->desc->on_admin_action(f->state, "auto-map", NULL, &response),
	        XDR_EDISABLED);
	assert_non_null(response);
	assert_true(strcmp(response, expected) == 0);
	f->desc->free(response);
}

/* ---- rule 5: the table ---- */

static void test_unknown_action_lists_the_known_ones(void **state)
{
	struct fixture *f = *state;
	int rc;

	gate(f, "on");
	check_error(call(f, "auto-map", NULL, &rc), "unknown_action",
	            "unknown action 'auto-map'; known actions: status, "
	            "instance.add, ",
	            false);
	assert_int_equal(rc, XDR_ENOTFOUND);
}

/* ---- requests that name what is not there ---- */

static void add_instance_serving_default(struct fixture *f)
{
	struct json_object *obj;
	int rc;

	gate(f, "on");
	obj = call(f, "instance.add",
	           "{\"name\":\"Acme\",\"url\":\"https://itglue.invalid\","
	           "\"api_key\":\"k-0123456789\"}",
	           &rc);
	assert_int_equal(rc, XDR_OK);
	json_object_put(obj);
	obj = call(f, "instance.groups",
	           "{\"instance\":\"Acme\",\"groups\":[\"Default\"]}", &rc);
	assert_int_equal(rc, XDR_OK);
	json_object_put(obj);
}

/* The list of groups is released once, whichever of them is wrong. */
static void test_automap_refuses_a_group_that_is_not_there(void **state)
{
	struct fixture *f = *state;

	add_instance_serving_default(f);
	expect_error(f, "automap",
	             "{\"instance\":\"Acme\",\"groups\":[\"Nowhere\"]}",
	             XDR_ENOTFOUND, "not_found",
	             "groups[0]: \"Nowhere\" is no Open XDR group");
	expect_error(f, "automap",
	             "{\"instance\":\"Acme\",\"groups\":[\"Default\",2]}",
	             XDR_EINVAL, "bad_request",
	             "groups[1]: 2 is not served by the instance");
}

static void test_automap_refuses_an_instance_that_is_no_reference(void **state)
{
	struct fixture *f = *state;

	add_instance_serving_default(f);
	expect_error(f, "automap", "{\"instance\":true}", XDR_EINVAL,
	             "bad_request", "\"instance\" is required");
	expect_error(f, "automap", "{\"instance\":\"Globex\"}", XDR_ENOTFOUND,
	             "not_found", "no instance \"Globex\"");
}

static void test_instance_remove_without_a_reference_is_refused(void **state)
{
	struct fixture *f = *state;

	add_instance_serving_default(f);
	expect_error(f, "instance.remove", "{\"name\":\"Acme\"}", XDR_EINVAL,
	             "bad_request", "\"instance\" is required");
	expect_error(f, "instance.remove", "{\"instance\":[1]}", XDR_EINVAL,
	             "bad_request", "\"instance\" is required");
}

/* ---- contract with the host ---- */

static void test_no_response_pointer_is_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
	        f->desc->on_admin_action(f->state, "status", NULL, NULL),
	        XDR_EINVAL);
}

static void test_no_state_is_answered_with_an_error(void **state)
{
	struct fixture *f = *state;
	char *response = NULL;

	assert_int_equal(
	        f->desc->on_admin_action(NULL, "status", NULL, &response),
	        XDR_EINVAL);
	assert_non_null(response);
	check_error(json_tokener_parse(response), "internal_error",
	            "not initialised", false);
	f->desc->free(response);
}

/* ---- hostile names in requests ---- */

/* The raw answer to ACTION with REQUEST: one JSON object of valid UTF-8. */
static char *raw_call(struct fixture *f, const char *action,
                      const char *request)
{
	char *response = NULL, *copy;

	f->desc->on_admin_action(f->state, action, request, &response);
	assert_non_null(response);
	copy = strdup(response);
	f->desc->free(response);
	assert_non_null(copy);
	return copy;
}

static void test_errors_quoting_long_names_stay_utf8(void **state)
{
	/* Each action, its request's member naming, and the rest. */
	static const char *const calls[][3] = {
	        {"instance.remove", "instance", ""},
	        {"instance.test", "instance", ""},
	        {"instance.groups", "instance", ", \"groups\": []"},
	        {"mappings", "instance", ""},
	        {"import", "instance", ", \"feature\": \"organizations\""},
	        {"automap", "instance", ""},
	        {"publish.check", "group", ""},
	};
	struct fixture *f = *state;
	char name[1400], request[1600];

	gate(f, "on");
	/* "a" and 2-byte characters: a message cut by bytes splits one. */
	name[0] = 'a';
	for (size_t i = 1; i < 1300; i += 2)
		memcpy(name + i, "\xc3\xa9", 2);
	name[1299] = '\0';
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		struct json_object *obj;
		char *raw;

		snprintf(request, sizeof(request), "{\"%s\": \"%s\"%s}",
		         calls[i][1], name, calls[i][2]);
		raw = raw_call(f, calls[i][0], request);
		assert_true(test_utf8_valid(raw));
		obj = json_tokener_parse(raw);
		assert_non_null(obj);
		assert_non_null(member(obj, "error"));
		assert_string_not_equal(json_object_get_string(member(
		                                member(obj, "error"), "code")),
		                        "bad_request");
		json_object_put(obj);
		free(raw);
	}
}

static void test_hostile_instance_names_are_kept_verbatim(void **state)
{
	static const char *const names[] = {
	        "'; DROP TABLE instances;--", "<script>alert(1)</script>",
	        "../../etc/passwd", "a/b\\\\c", "Quote's \\\"double\\\""};
	static const char *const want[] = {
	        "'; DROP TABLE instances;--", "<script>alert(1)</script>",
	        "../../etc/passwd", "a/b\\c", "Quote's \"double\""};
	struct fixture *f = *state;
	struct json_object *obj, *list;
	char request[256];
	int rc;

	gate(f, "on");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(request, sizeof(request),
		         "{\"name\": \"%s\", \"url\": "
		         "\"https://127.0.0.1:1\", \"api_key\": "
		         "\"ITG.k%zu\"}",
		         names[i], i);
		obj = call(f, "instance.add", request, &rc);
		assert_int_equal(rc, XDR_OK);
		assert_string_equal(json_object_get_string(member(obj, "name")),
		                    want[i]);
		json_object_put(obj);
	}
	obj = call(f, "instance.list", NULL, &rc);
	list = member(obj, "instances");
	assert_int_equal(json_object_array_length(list),
	                 sizeof(names) / sizeof(names[0]));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_string_equal(
		        json_object_get_string(member(
		                json_object_array_get_idx(list, i), "name")),
		        want[i]);
	json_object_put(obj);
}

static void test_control_characters_in_names_are_refused(void **state)
{
	struct fixture *f = *state;
	int rc;

	gate(f, "on");
	check_error(call(f, "instance.add",
	                 "{\"name\": \"a\\nb\", \"url\": "
	                 "\"https://127.0.0.1:1\", \"api_key\": \"ITG.k\"}",
	                 &rc),
	            "bad_request", "name", false);
	assert_int_equal(rc, XDR_EINVAL);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_status_is_answered_with_the_gate_off),
	        T(test_status_is_answered_with_the_gate_on),
	        T(test_status_follows_the_setting_while_running),
	        T(test_status_takes_empty_requests),
	        T(test_status_rejects_parameters),
	        T(test_status_shows_progress_while_busy),
	        T(test_bad_action_names_are_refused),
	        T(test_a_64_character_name_passes_rule_one),
	        T(test_the_action_is_checked_before_the_request),
	        T(test_requests_that_are_not_objects_are_refused),
	        T(test_malformed_requests_are_refused_with_the_parser_message),
	        T(test_deep_requests_are_refused),
	        T(test_huge_requests_are_refused),
	        T(test_the_request_is_checked_before_the_gate),
	        T(test_gate_off_refuses_every_other_action),
	        T(test_unreadable_gate_refuses_too),
	        T(test_disabled_message_is_sent_unescaped),
	        T(test_unknown_action_lists_the_known_ones),
	        T(test_automap_refuses_a_group_that_is_not_there),
	        T(test_automap_refuses_an_instance_that_is_no_reference),
	        T(test_instance_remove_without_a_reference_is_refused),
	        T(test_no_response_pointer_is_refused),
	        T(test_no_state_is_answered_with_an_error),
	        T(test_errors_quoting_long_names_stay_utf8),
	        T(test_hostile_instance_names_are_kept_verbatim),
	        T(test_control_characters_in_names_are_refused),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
