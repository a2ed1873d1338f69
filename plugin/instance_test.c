/*
 * instance_test.c - Test Connection: can this instance reach IT Glue with
 * its key, and if not, why not, in words an administrator can act on.
 *
 * One cheap request (the first organization) tells most cases apart: the key
 * is refused (401/403), TLS fails, the host does not resolve or answer, IT
 * Glue is rate limiting or down. A key that IT Glue refuses on a region's
 * host is tried on the other regions' hosts: EU keys used against the US
 * host are the most common mistake, and naming the region that accepts the
 * key fixes it in one step.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "admin.h"
#include "instance_client.h"
#include "instance_store.h"
#include "instance_url.h"
#include "jobs.h"
#include "json_util.h"
#include "log.h"

#define DETAIL_MAX 600

/* Test Connection answers within seconds: few attempts, short timeouts. */
static const struct itg_client_config test_config = {
        .connect_timeout_ms = 5000,
        .timeout_ms = 20000,
        .max_attempts = 2,
        .parallel = 1,
};

struct probe {
	bool ok;
	struct itg_api_error error;
	int64_t organizations; /* total-count, -1 if unknown */
	char setup_error[DETAIL_MAX];
};

/* One request to URL with INST's key. */
static void probe_url(struct itg_plugin *p, struct itg_job_ctx *ctx,
                      const struct itg_instance *inst, const char *url,
                      struct probe *out)
{
	struct itg_client *c = NULL;
	struct itg_query q;
	struct itg_doc *doc = NULL;

	memset(out, 0, sizeof(*out));
	out->organizations = -1;
	if (itg_instance_client(p, inst, url, ctx, &test_config, &c,
	                        out->setup_error,
	                        sizeof(out->setup_error)) != 0)
		return;
	itg_query_init(&q);
	itg_query_add(&q, "page[size]", "1");
	if (itg_client_get(c, "/organizations", &q, &doc, &out->error) == 0) {
		out->ok = true;
		out->organizations = doc->paging.total_count;
		itg_doc_free(doc);
	}
	itg_client_free(c);
}

static bool key_refused(const struct probe *pr)
{
	return pr->error.kind == ITG_ERR_UNAUTHORIZED ||
	       pr->error.kind == ITG_ERR_FORBIDDEN ||
	       pr->error.kind == ITG_ERR_FORBIDDEN_REGION;
}

/* The kind of failure, as Test Connection names it. */
static const char *failure_kind(const struct probe *pr)
{
	switch (pr->error.kind) {
	case ITG_ERR_UNAUTHORIZED:
	case ITG_ERR_FORBIDDEN:
	case ITG_ERR_FORBIDDEN_REGION:
		return "bad_key";
	case ITG_ERR_TLS:
		return "tls";
	case ITG_ERR_DNS:
		return "dns";
	case ITG_ERR_NETWORK:
	case ITG_ERR_TIMEOUT:
		return "network";
	case ITG_ERR_RATE_LIMITED:
		return "rate_limited";
	case ITG_ERR_SERVER:
	case ITG_ERR_TRUNCATED:
	case ITG_ERR_BAD_RESPONSE:
		return "down";
	case ITG_ERR_CANCELLED:
		return "cancelled";
	case ITG_ERR_CONFIG:
		return "config";
	default:
		return "refused";
	}
}

/* What an administrator can do about a refused TLS connection. */
static const char *tls_advice(enum itg_tls_problem problem)
{
	switch (problem) {
	case ITG_TLS_UNTRUSTED:
		return "give the instance the certificate of the CA that "
		       "issued it as ca_file (if a proxy inspects TLS, the "
		       "proxy's CA certificate)";
	case ITG_TLS_EXPIRED:
		return "the server's certificate must be renewed (or this "
		       "machine's clock is wrong)";
	case ITG_TLS_NOT_YET_VALID:
		return "check this machine's clock, or wait until the "
		       "certificate is valid";
	case ITG_TLS_NAME_MISMATCH:
		return "check the host name of the instance's URL: it must be "
		       "one the certificate names";
	case ITG_TLS_OLD_PROTOCOL:
		return "the server (or a proxy on the way) must offer TLS 1.2 "
		       "or newer";
	default:
		return "if a proxy inspects TLS, give its CA certificate as "
		       "ca_file";
	}
}

static void describe_failure(const struct probe *pr, const char *url,
                             char *detail, size_t size)
{
	const char *m = pr->error.message;

	switch (pr->error.kind) {
	case ITG_ERR_UNAUTHORIZED:
	case ITG_ERR_FORBIDDEN:
	case ITG_ERR_FORBIDDEN_REGION:
		snprintf(detail, size,
		         "IT Glue at %s refused the API key, and no other "
		         "region accepts it: check the key (keys unused for 90 "
		         "days are revoked) (%s)",
		         url, m);
		break;
	case ITG_ERR_TLS:
		snprintf(detail, size, "TLS with %s refused: %s; %s", url, m,
		         tls_advice(pr->error.tls));
		break;
	case ITG_ERR_DNS:
		snprintf(detail, size,
		         "cannot resolve the host of %s: %s; check the URL and "
		         "the DNS of this machine",
		         url, m);
		break;
	case ITG_ERR_NETWORK:
		snprintf(
		        detail, size,
		        "cannot reach %s: %s; check the network, a firewall or "
		        "the proxy",
		        url, m);
		break;
	case ITG_ERR_TIMEOUT:
		/* Not connected in time, or connected and never done: a
		 * stalled server or something on the way holding the
		 * answer. */
		snprintf(detail, size,
		         "%s took too long: %s; check the network, a firewall "
		         "or the proxy (a request may take up to "
		         "request_timeout_seconds, in Test Connection 20 s at "
		         "most)",
		         url, m);
		break;
	case ITG_ERR_RATE_LIMITED:
		snprintf(detail, size,
		         "IT Glue at %s is rate limiting this account (HTTP "
		         "429): the key works, but wait before trying again",
		         url);
		break;
	case ITG_ERR_SERVER:
	case ITG_ERR_TRUNCATED:
	case ITG_ERR_BAD_RESPONSE:
		snprintf(detail, size,
		         "IT Glue at %s is not answering properly: %s; it may "
		         "be down, try again later",
		         url, m);
		break;
	case ITG_ERR_CONFIG:
		snprintf(detail, size,
		         "the request to %s could not be made as the instance "
		         "is configured: %s; check its ca_file (a PEM file of "
		         "CA certificates) and proxy",
		         url, m);
		break;
	default:
		snprintf(detail, size, "IT Glue at %s: %s", url, m);
		break;
	}
}

/* A key IT Glue refused at INST's region: which other region takes it? */
static enum itg_region other_region(struct itg_plugin *p,
                                    struct itg_job_ctx *ctx,
                                    const struct itg_instance *inst)
{
	static const enum itg_region regions[] = {ITG_REGION_US, ITG_REGION_EU,
	                                          ITG_REGION_AU};

	for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
		struct probe pr;
		char *url;

		if (regions[i] == inst->region || itg_job_should_stop(ctx))
			continue;
		url = itg_region_url(p, regions[i]);
		if (url == NULL)
			continue;
		probe_url(p, ctx, inst, url, &pr);
		free(url);
		if (pr.ok)
			return regions[i];
	}
	return ITG_REGION_NONE;
}

static struct json_object *result_json(bool ok, const char *kind,
                                       const char *detail, const char *url,
                                       enum itg_region region,
                                       enum itg_tls_problem tls)
{
	struct json_object *o = json_object_new_object();

	if (itg_json_add(o, "ok", json_object_new_boolean(ok)) != 0 ||
	    itg_json_add(o, "kind", json_object_new_string(kind)) != 0 ||
	    itg_json_add(o, "detail", json_object_new_string(detail)) != 0 ||
	    itg_json_add(o, "url", json_object_new_string(url)) != 0 ||
	    (tls != ITG_TLS_NONE &&
	     itg_json_add(o, "tls",
	                  json_object_new_string(itg_tls_problem_name(tls))) !=
	             0) ||
	    (region != ITG_REGION_NONE &&
	     itg_json_add(o, "region",
	                  json_object_new_string(itg_region_name(region))) !=
	             0)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int test_instance(struct itg_plugin *p, struct itg_job_ctx *ctx,
                         struct json_object *params,
                         struct json_object **result)
{
	struct itg_instance inst;
	struct probe pr;
	enum itg_region found = ITG_REGION_NONE;
	const char *kind;
	char detail[DETAIL_MAX];
	char err[DETAIL_MAX];
	char *url;
	struct json_object *ref;
	bool ok;

	json_object_object_get_ex(params, "instance", &ref);
	if (itg_instances_find(p->store, json_object_get_string(ref), &inst,
	                       err, sizeof(err)) != XDR_OK) {
		*result = itg_admin_error(ITG_ADMIN_NOT_FOUND, "%s", err);
		return XDR_ENOTFOUND;
	}
	url = itg_instance_url(p, &inst);
	if (url == NULL) {
		itg_instance_clear(&inst);
		return XDR_ENOMEM;
	}
	itg_job_progress(ctx, 0, 1);
	probe_url(p, ctx, &inst, url, &pr);
	ok = pr.ok;
	if (pr.setup_error[0] != '\0') {
		kind = "config";
		snprintf(detail, sizeof(detail), "%s", pr.setup_error);
	} else if (ok) {
		kind = "connected";
		if (pr.organizations >= 0)
			snprintf(detail, sizeof(detail),
			         "connected to %s: the key sees %lld "
			         "organization(s)",
			         url, (long long)pr.organizations);
		else
			snprintf(detail, sizeof(detail), "connected to %s",
			         url);
	} else if (key_refused(&pr) && inst.region != ITG_REGION_NONE &&
	           (found = other_region(p, ctx, &inst)) != ITG_REGION_NONE) {
		kind = "wrong_region";
		snprintf(detail, sizeof(detail),
		         "IT Glue at %s refused the key, but the %s region "
		         "accepts it: the key belongs to region %s; set the "
		         "instance's region to %s",
		         url, itg_region_name(found), itg_region_name(found),
		         itg_region_name(found));
	} else {
		kind = failure_kind(&pr);
		describe_failure(&pr, url, detail, sizeof(detail));
	}
	itg_job_progress(ctx, 1, 1);
	if (itg_instances_set_test(p->store, inst.id, ok, detail,
	                           (int64_t)time(NULL), err,
	                           sizeof(err)) != XDR_OK)
		itg_log(p, XDR_LOG_ERROR,
		        "cannot record the test of \"%s\": %s", inst.name, err);
	itg_log(p, ok ? XDR_LOG_INFO : XDR_LOG_WARNING,
	        "Test Connection of \"%s\": %s", inst.name, detail);
	*result = result_json(ok, kind, detail, url, found,
	                      strcmp(kind, "tls") == 0 ? pr.error.tls
	                                               : ITG_TLS_NONE);
	free(url);
	itg_instance_clear(&inst);
	return ok ? 0 : XDR_ERROR;
}

int itg_admin_instance_test(struct itg_plugin *p, struct json_object *request,
                            struct json_object **response)
{
	struct itg_instance inst;
	struct json_object *params;
	char id[32];
	int rc;

	if (json_object_object_length(request) != 1) {
		*response = itg_admin_error(ITG_ADMIN_BAD_REQUEST,
		                            "instance.test takes \"instance\": "
		                            "its id or name");
		return XDR_EINVAL;
	}
	rc = itg_admin_instance_ref(p, request, &inst, response);
	if (rc != XDR_OK)
		return rc;
	snprintf(id, sizeof(id), "%lld", (long long)inst.id);
	itg_instance_clear(&inst);
	params = json_object_new_object();
	if (itg_json_add(params, "instance", json_object_new_string(id)) != 0) {
		json_object_put(params);
		*response =
		        itg_admin_error(ITG_ADMIN_NO_MEMORY, "out of memory");
		return XDR_ENOMEM;
	}
	return itg_jobs_start_answer(p, "instance.test", test_instance, params,
	                             response);
}
