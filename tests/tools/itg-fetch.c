/*
 * itg-fetch - drive the plugin's IT Glue client from the command line.
 *
 *   itg-fetch --url BASE --key KEY [--ca FILE] [--rate N/W]
 *             [--page-size N] [--attempts N] GET PATH [QUERY]
 *   itg-fetch ... POST|PATCH PATH BODY
 *
 * GET lists every page: one line "TYPE ID" per resource, then
 * "pages=P resources=R requests=Q retries=T". POST and PATCH print the
 * answer's document. The key may come from ITGLUE_API_KEY instead of --key.
 * Exit status: 0 done, 1 the client refused its configuration or IT Glue or
 * the network failed (the sentence on stderr), 2 bad usage.
 */
#include <config.h>

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "client.h"
#include "compat/os.h"
#include "http.h"

static const char usage[] =
        "usage: itg-fetch --url BASE --key KEY [--ca FILE] [--rate N/W]\n"
        "                 [--page-size N] [--attempts N] GET PATH [QUERY]\n"
        "       itg-fetch ... POST|PATCH PATH BODY\n"
        "QUERY is key=value pairs joined by '&', values unencoded, e.g.\n"
        "'filter[name]=Acme&sort=-name'. The key may also come from\n"
        "ITGLUE_API_KEY.\n";

static int bad_usage(const char *why)
{
	if (why != NULL)
		fprintf(stderr, "itg-fetch: %s\n", why);
	fputs(usage, stderr);
	return 2;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

/* "k=v&k2=v2" into Q, each value taken as is. */
static int parse_query(const char *text, struct itg_query *q)
{
	char *copy = strdup(text), *pair, *save = NULL, *eq;
	int rc = 0;

	if (copy == NULL)
		return -1;
	for (pair = strtok_r(copy, "&", &save); pair != NULL && rc == 0;
	     pair = strtok_r(NULL, "&", &save)) {
		eq = strchr(pair, '=');
		if (eq == NULL) {
			rc = -1;
			break;
		}
		*eq = '\0';
		rc = itg_query_add(q, pair, eq + 1);
	}
	free(copy);
	return rc;
}

static int print_resource(void *user, const struct itg_resource *r,
                          const struct itg_doc *doc)
{
	(void)user;
	(void)doc;
	printf("%s %s\n", r->type, r->id);
	return 0;
}

static int run_get(struct itg_client *c, const char *path,
                   const char *query_text, uint32_t page_size)
{
	struct itg_query q;
	struct itg_api_error e;
	struct itg_client_stats st;
	int rc;

	itg_query_init(&q);
	if (query_text != NULL && parse_query(query_text, &q) != 0)
		return bad_usage("the query is not key=value pairs with "
		                 "valid keys, each key once");
	rc = itg_client_list(c, path, &q, page_size, NULL, print_resource, NULL,
	                     &e);
	itg_client_stats(c, &st);
	if (rc != 0) {
		fprintf(stderr, "itg-fetch: %s [%s]\n", e.message,
		        itg_error_kind_name(e.kind));
		return 1;
	}
	printf("pages=%" PRIu64 " resources=%" PRIu64 " requests=%" PRIu64
	       " retries=%" PRIu64 "\n",
	       st.pages, st.resources, st.requests, st.retries);
	return 0;
}

static int run_send(struct itg_client *c, const char *method, const char *path,
                    const char *body)
{
	struct itg_doc *doc = NULL;
	struct itg_api_error e;
	int rc;

	if (strcmp(method, "POST") == 0)
		rc = itg_client_post(c, path, body, &doc, &e);
	else
		rc = itg_client_patch(c, path, body, &doc, &e);
	if (rc != 0) {
		fprintf(stderr, "itg-fetch: %s [%s]\n", e.message,
		        itg_error_kind_name(e.kind));
		return 1;
	}
	if (doc != NULL)
		printf("%s\n", json_object_to_json_string_ext(
		                       doc->root,
		                       JSON_C_TO_STRING_PLAIN |
		                               JSON_C_TO_STRING_NOSLASHESCAPE));
	itg_doc_free(doc);
	return 0;
}

int main(int argc, char **argv)
{
	struct itg_client_config cfg;
	struct itg_client *c = NULL;
	unsigned long n, w, page_size = 0;
	char err[512];
	const char *method, *path, *extra;
	int i, rc;

	/* Lines end in \n alone on every platform, as xdr-host's do. */
	os_binary_stdio();
	memset(&cfg, 0, sizeof(cfg));
	cfg.api_key = getenv("ITGLUE_API_KEY");
	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		const char *opt = argv[i],
		           *val = i + 1 < argc ? argv[i + 1] : NULL;
		char *slash;

		if (strcmp(opt, "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		if (val == NULL)
			return bad_usage("an option lacks its value");
		if (strcmp(opt, "--url") == 0) {
			cfg.base_url = val;
		} else if (strcmp(opt, "--key") == 0) {
			cfg.api_key = val;
		} else if (strcmp(opt, "--ca") == 0) {
			cfg.ca_file = val;
		} else if (strcmp(opt, "--rate") == 0) {
			slash = strchr(val, '/');
			if (slash == NULL)
				return bad_usage("--rate takes N/SECONDS");
			*slash = '\0';
			if (parse_uint(val, UINT32_MAX, &n) != 0 ||
			    parse_uint(slash + 1, UINT32_MAX, &w) != 0)
				return bad_usage("--rate takes N/SECONDS");
			cfg.rate_requests = (uint32_t)n;
			cfg.rate_window_s = (uint32_t)w;
		} else if (strcmp(opt, "--page-size") == 0) {
			if (parse_uint(val, ITG_PAGE_SIZE_MAX, &page_size) !=
			            0 ||
			    page_size == 0)
				return bad_usage("--page-size takes 1..1000");
		} else if (strcmp(opt, "--attempts") == 0) {
			if (parse_uint(val, 100, &n) != 0 || n == 0)
				return bad_usage("--attempts takes 1..100");
			cfg.max_attempts = (unsigned int)n;
		} else {
			return bad_usage("unknown option");
		}
	}
	if (cfg.base_url == NULL || cfg.api_key == NULL)
		return bad_usage("--url and --key are required");
	if (argc - i < 2)
		return bad_usage("a method and a path are required");
	method = argv[i];
	path = argv[i + 1];
	extra = argc - i > 2 ? argv[i + 2] : NULL;
	if (argc - i > 3)
		return bad_usage("too many arguments");
	if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0 &&
	    strcmp(method, "PATCH") != 0)
		return bad_usage("the method is GET, POST or PATCH");
	if (strcmp(method, "GET") != 0 && extra == NULL)
		return bad_usage("POST and PATCH need a body");
	if (itg_http_global_init(err, sizeof(err)) != 0) {
		fprintf(stderr, "itg-fetch: %s\n", err);
		return 1;
	}
	rc = itg_client_new(&cfg, &c, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "itg-fetch: %s\n", err);
		itg_http_global_cleanup();
		return 1;
	}
	if (strcmp(method, "GET") == 0)
		rc = run_get(c, path, extra, (uint32_t)page_size);
	else
		rc = run_send(c, method, path, extra);
	itg_client_free(c);
	itg_http_global_cleanup();
	return rc;
}
