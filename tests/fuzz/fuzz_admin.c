/*
 * fuzz_admin.c - the administrator's actions (plugin/admin*.c and the
 * request readers under them) through the plugin's on_admin_action, as the
 * host calls it.
 *
 * Input: the action's name, a newline, the request (JSON text). The plugin
 * runs on the in-memory host of the unit tests with a store in a temporary
 * directory, seeded once with two instances, groups, imported records,
 * mappings, a job and a failed report, and put back after every input that
 * wrote to it. Its worker is stopped before fuzzing, so that an action that
 * starts a job (Test Connection, import, auto-map, publish) gets it
 * refused instead of reaching a network.
 *
 * Beyond not crashing: every answer is one JSON object that the host's
 * strict reader accepts (well-formed UTF-8 included), errors have the
 * documented shape, no answer holds the API key or its sealed form, and
 * events are UTF-8 (the host refuses others).
 */
#include <config.h>

#include "fuzz.h"

#include <time.h>

#include <json.h>
#include <sqlite3.h>
#include <xdr/plugin.h>

#include "fuzz_db.h"
#include "import_store.h"
#include "itglue.h"
#include "jsonapi.h"
#include "mock_host.h"
#include "publish.h"
#include "store.h"
#include "worker.h"

/* Built into this target from plugin/entry.c. */
const struct xdr_plugin *xdr_plugin_entry(void);

#define API_KEY "FUZZ-SEED-KEY-7c1e9a0b5d3f"

static struct mock_host *host;
static const struct xdr_plugin *desc;
static struct itg_plugin *plugin;
static struct fuzz_snapshot *snapshot;
/* The key as the in-memory host seals it (its hex digits). */
static char sealed_key[2 * sizeof(API_KEY) + 1];

/* An IT Glue page of what the seeded instance imported. */
static const char imported[] =
        "{\"data\":["
        "{\"id\":\"2\",\"type\":\"organizations\",\"attributes\":"
        "{\"name\":\"Happy Frog\",\"short-name\":\"happy\"}},"
        "{\"id\":7,\"type\":\"organizations\",\"attributes\":"
        "{\"name\":\"Globex Corp\"}},"
        "{\"id\":\"455\",\"type\":\"configurations\",\"attributes\":"
        "{\"organization-id\":2,\"name\":\"HF-WS-01\",\"archived\":false,"
        "\"mac-address\":\"18-5E-0F-ED-99-9A\"},\"relationships\":"
        "{\"configuration-interfaces\":{\"data\":"
        "[{\"type\":\"configuration-interfaces\",\"id\":\"63\"}]}}},"
        "{\"id\":\"456\",\"type\":\"configurations\",\"attributes\":"
        "{\"organization-id\":\"7\",\"name\":\"GX-FW-01\","
        "\"archived\":true,\"mac-address\":null}}],"
        "\"included\":[{\"type\":\"configuration-interfaces\",\"attributes\":"
        "{\"id\":63,\"mac-address\":\"c4:7a:92:14:3d:78\"}}]}";

static void seed_action(const char *action, const char *request)
{
	char *response = NULL;
	int rc = desc->on_admin_action(plugin, action, request, &response);

	if (rc != XDR_OK && rc != XDR_EDISABLED) {
		fprintf(stderr, "fuzz_admin: seeding %s %s: %d %s\n", action,
		        request, rc, response != NULL ? response : "");
		abort();
	}
	desc->free(response);
}

static void seed_imported(void)
{
	struct itg_doc *doc = NULL;
	char err[256];
	int64_t now = (int64_t)time(NULL);
	int rc;

	if (itg_jsonapi_parse(imported, sizeof(imported) - 1, 0, &doc, err,
	                      sizeof(err)) != 0 ||
	    itg_import_begin(plugin->store, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_admin: import: %s\n", err);
		abort();
	}
	rc = 0;
	for (size_t i = 0; rc == 0 && i < doc->n_data; i++) {
		const struct itg_resource *r = &doc->data[i];

		rc = strcmp(r->type, "organizations") == 0
		             ? itg_import_put_organization(plugin->store, 1, r,
		                                           now, err,
		                                           sizeof(err))
		             : itg_import_put_configuration(plugin->store, 1, r,
		                                            doc, now, err,
		                                            sizeof(err));
	}
	if (rc != 0 || itg_import_commit(plugin->store, err, sizeof(err))) {
		fprintf(stderr, "fuzz_admin: import: %s\n", err);
		abort();
	}
	itg_doc_free(doc);
}

static void stop(void)
{
	fuzz_snapshot_free(snapshot);
	desc->shutdown(plugin);
	mock_host_free(host);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	void *state = NULL;
	char err[512];
	sqlite3 *db;

	(void)argc;
	(void)argv;
	host = mock_host_new();
	desc = xdr_plugin_entry();
	if (host == NULL)
		abort();
	mock_host_set_setting(host, "psa_rmm_integration", "on");
	if (desc->init(mock_host_api(host), &state, err, sizeof(err)) !=
	    XDR_OK) {
		fprintf(stderr, "fuzz_admin: init: %s\n", err);
		abort();
	}
	plugin = state;
	/* From here on, every job is refused: nothing leaves the process. */
	itg_worker_stop(plugin->worker);

	seed_action("instance.add",
	            "{\"name\":\"Acme\",\"url\":\"https://itglue.invalid\","
	            "\"api_key\":\"" API_KEY "\"}");
	seed_action("instance.add",
	            "{\"name\":\"Globex EU\",\"region\":\"eu\","
	            "\"api_key\":\"" API_KEY "\","
	            "\"rate\":{\"requests\":10,\"seconds\":1}}");
	seed_action("instance.groups", "{\"instance\":\"Acme\","
	                               "\"groups\":[\"Default\",2]}");
	seed_imported();
	seed_action("map", "{\"instance\":1,\"group\":\"Default\","
	                   "\"organization_id\":\"2\"}");
	seed_action("map", "{\"instance\":\"Acme\",\"system\":\"WS-01\","
	                   "\"configuration_id\":455}");
	seed_action("config.set", "{\"msp_domains\":[\"msp.example\"],"
	                          "\"automap_interval_hours\":6}");
	/* A job the stopped worker refused, and a report that failed. */
	seed_action("instance.test", "{\"instance\":\"Acme\"}");
	itg_publish_report_generated(plugin, 1);
	if (itg_store_exec(plugin->store, err, sizeof(err),
	                   "UPDATE outbox SET state = 'failed', attempts = 3,"
	                   " last_error = ?1",
	                   "t", "IT Glue refused the request (422)") < 0) {
		fprintf(stderr, "fuzz_admin: outbox: %s\n", err);
		abort();
	}

	for (size_t i = 0; i < sizeof(API_KEY) - 1; i++)
		snprintf(sealed_key + 2 * i, 3, "%02x",
		         (unsigned char)API_KEY[i]);
	db = itg_store_acquire(plugin->store);
	snapshot = fuzz_snapshot_take(db);
	itg_store_release(plugin->store);
	mock_host_forget(host);
	atexit(stop);
	return 0;
}

/* The strings of a JSON value, keys included, one after the other (as
 * much as fits: inputs are small). */
struct text {
	char s[64 * 1024];
	size_t len;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (n > sizeof(t->s) - 2 - t->len)
		n = sizeof(t->s) - 2 - t->len;
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len++] = '\n';
	t->s[t->len] = '\0';
}

static void collect(struct json_object *v, struct text *t)
{
	if (json_object_is_type(v, json_type_string)) {
		text_add(t, json_object_get_string(v),
		         (size_t)json_object_get_string_len(v));
	} else if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++)
			collect(json_object_array_get_idx(v, i), t);
	} else if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, key, member)
		{
			text_add(t, key, strlen(key));
			collect(member, t);
		}
	}
}

/* Does S hold 8 bytes in a row of SECRET? */
static bool holds_part(const char *s, const char *secret)
{
	char part[9];

	for (size_t i = 0; i + 8 <= strlen(secret); i++) {
		memcpy(part, secret + i, 8);
		part[8] = '\0';
		if (strstr(s, part) != NULL)
			return true;
	}
	return false;
}

/* A check of the answer, which a failure shows. */
#define ANSWER_CHECK(cond, what)                                               \
	do {                                                                   \
		if (!(cond))                                                   \
			fprintf(stderr, "answer: %s\n", response);             \
		FUZZ_CHECK(cond, what);                                        \
	} while (0)

static void check_answer(int rc, const char *input, struct json_object *request,
                         const char *response)
{
	struct json_tokener *tok;
	struct json_object *obj, *error = NULL, *v;
	size_t len;

	ANSWER_CHECK(response != NULL, "an answer, always");
	len = strlen(response);
	ANSWER_CHECK(fuzz_utf8_valid(response, len), "UTF-8 the host accepts");
	tok = json_tokener_new_ex(64);
	ANSWER_CHECK(tok != NULL, "memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	                                    JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, response, (int)len + 1);
	ANSWER_CHECK(json_tokener_get_error(tok) == json_tokener_success,
	             "strict JSON");
	json_tokener_free(tok);
	ANSWER_CHECK(json_object_is_type(obj, json_type_object), "an object");
	/* The texts of the answer, unless the input holds a part of the
	 * secret: an answer may quote what it refuses. */
	{
		struct text seen = {{0}, 0}, asked = {{0}, 0};

		collect(obj, &seen);
		text_add(&asked, input, strlen(input));
		collect(request, &asked);
		ANSWER_CHECK(holds_part(asked.s, API_KEY) ||
		                     strstr(seen.s, API_KEY) == NULL,
		             "never the API key");
		ANSWER_CHECK(holds_part(asked.s, sealed_key) ||
		                     strstr(seen.s, sealed_key) == NULL,
		             "never the sealed key");
	}
	json_object_object_get_ex(obj, "error", &error);
	if (rc == XDR_OK) {
		ANSWER_CHECK(error == NULL, "success has no error");
	} else {
		ANSWER_CHECK(rc < 0, "a failure is a negative status");
		ANSWER_CHECK(
		        json_object_object_length(obj) == 1 &&
		                json_object_is_type(error, json_type_object),
		        "a failure is {\"error\": {...}}");
		ANSWER_CHECK(json_object_object_get_ex(error, "code", &v) &&
		                     json_object_is_type(v, json_type_string) &&
		                     json_object_get_string_len(v) > 0,
		             "an error code");
		ANSWER_CHECK(json_object_object_get_ex(error, "message", &v) &&
		                     json_object_is_type(v, json_type_string) &&
		                     json_object_get_string_len(v) > 0,
		             "an error message");
	}
	json_object_put(obj);
}

/* What the host would refuse of an event: text that is not UTF-8. */
static void check_events(void)
{
	for (size_t i = 0; i < mock_host_event_count(host); i++) {
		const struct mock_event *e = mock_host_event(host, i);

		FUZZ_CHECK(
		        fuzz_utf8_valid(e->description, strlen(e->description)),
		        "an event's description is UTF-8");
		for (size_t k = 0; k < e->n_fields; k++)
			FUZZ_CHECK(fuzz_utf8_valid(e->values[k],
			                           strlen(e->values[k])),
			           "an event's field is UTF-8");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *input = fuzz_string(data, size);
	char *action = fuzz_string(data, size);
	char *request = strchr(action, '\n');
	char *response = NULL;
	struct json_object *asked;
	sqlite3 *db;
	int rc;

	if (request != NULL)
		*request++ = '\0';
	rc = desc->on_admin_action(plugin, action, request, &response);
	asked = request != NULL ? json_tokener_parse(request) : NULL;
	check_answer(rc, input, asked, response);
	json_object_put(asked);
	desc->free(response);
	check_events();
	mock_host_forget(host);
	free(action);
	free(input);

	db = itg_store_acquire(plugin->store);
	fuzz_snapshot_restore(snapshot, db);
	itg_store_release(plugin->store);
	return 0;
}
