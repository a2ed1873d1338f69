/*
 * itg-publish - publish one report to IT Glue from the command line, as the
 * plugin does: ensure the type, find the report, create it when it is not
 * there, relate it to configurations.
 *
 *   itg-publish --url BASE --key KEY --org ORG --title TITLE --file F.html
 *               [--report-id N] [--generated UNIX] [--expiry-days N]
 *               [--type NAME] [--attempts N] [--relate CONFIG]...
 *
 * Prints "asset=<id> created=<0|1> type=<id>", then "file=<name>
 * gzipped=<0|1> html=<bytes> sent=<bytes> body=<bytes>", then one line
 * "related=<config> already=<0|1>" per --relate. The key may come from
 * ITGLUE_API_KEY instead of --key. Exit status: 0 published, 1 IT Glue, the
 * network or the report failed (the sentence and its kind on stderr), 2 bad
 * usage.
 */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "compat/os.h"
#include "http.h"
#include "publish_asset.h"
#include "publish_type.h"

#define RELATE_MAX 32

static const char usage[] =
        "usage: itg-publish --url BASE --key KEY --org ORG --title TITLE\n"
        "                   --file F.html [--report-id N] [--generated UNIX]\n"
        "                   [--expiry-days N] [--type NAME] [--attempts N]\n"
        "                   [--relate CONFIG]...\n"
        "The key may also come from ITGLUE_API_KEY.\n";

struct options {
	struct itg_client_config cfg;
	int64_t org;
	struct itg_report report;
	const char *type_name;
	int64_t relate[RELATE_MAX];
	size_t n_relate;
};

static int bad_usage(const char *why)
{
	if (why != NULL)
		fprintf(stderr, "itg-publish: %s\n", why);
	fputs(usage, stderr);
	return 2;
}

static int parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v < min || v > max)
		return -1;
	*out = (int64_t)v;
	return 0;
}

/* 0 parsed, 1 --help, 2 bad usage (said). */
static int parse(int argc, char **argv, struct options *o)
{
	int64_t n;

	memset(o, 0, sizeof(*o));
	o->cfg.api_key = getenv("ITGLUE_API_KEY");
	o->report.report_id = 1;
	o->report.generated_at = 1568967000;
	for (int i = 1; i < argc; i += 2) {
		const char *opt = argv[i],
		           *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(opt, "--help") == 0) {
			fputs(usage, stdout);
			return 1;
		}
		if (val == NULL)
			return bad_usage("an option lacks its value");
		if (strcmp(opt, "--url") == 0) {
			o->cfg.base_url = val;
		} else if (strcmp(opt, "--key") == 0) {
			o->cfg.api_key = val;
		} else if (strcmp(opt, "--org") == 0) {
			if (parse_int(val, 1, INT64_MAX, &o->org) != 0)
				return bad_usage("--org takes a positive id");
		} else if (strcmp(opt, "--title") == 0) {
			o->report.title = val;
		} else if (strcmp(opt, "--file") == 0) {
			o->report.html_path = val;
		} else if (strcmp(opt, "--report-id") == 0) {
			if (parse_int(val, 1, INT64_MAX,
			              &o->report.report_id) != 0)
				return bad_usage("--report-id takes a "
				                 "positive id");
		} else if (strcmp(opt, "--generated") == 0) {
			if (parse_int(val, 0, ITG_TIME_MAX,
			              &o->report.generated_at) != 0)
				return bad_usage("--generated takes a unix "
				                 "time");
		} else if (strcmp(opt, "--expiry-days") == 0) {
			if (parse_int(val, 1, 36500, &n) != 0)
				return bad_usage("--expiry-days takes "
				                 "1..36500");
			o->report.expiry_days = (unsigned int)n;
		} else if (strcmp(opt, "--type") == 0) {
			o->type_name = val;
		} else if (strcmp(opt, "--attempts") == 0) {
			if (parse_int(val, 1, 100, &n) != 0)
				return bad_usage("--attempts takes 1..100");
			o->cfg.max_attempts = (unsigned int)n;
		} else if (strcmp(opt, "--relate") == 0) {
			if (o->n_relate == RELATE_MAX ||
			    parse_int(val, 1, INT64_MAX,
			              &o->relate[o->n_relate]) != 0)
				return bad_usage("--relate takes a positive "
				                 "id, 32 times at most");
			o->n_relate++;
		} else {
			return bad_usage("unknown option");
		}
	}
	if (o->cfg.base_url == NULL || o->cfg.api_key == NULL || o->org == 0 ||
	    o->report.title == NULL || o->report.html_path == NULL)
		return bad_usage("--url, --key, --org, --title and --file are "
		                 "required");
	return 0;
}

static int failed(const char *step, const struct itg_api_error *e)
{
	fprintf(stderr, "itg-publish: %s: %s [%s, %s]\n", step, e->message,
	        itg_error_kind_name(e->kind), itg_outcome_name(e->outcome));
	return 1;
}

static int publish(struct itg_client *c, const struct options *o)
{
	struct itg_publish_type type;
	struct itg_upload upload;
	struct itg_api_error e;
	int64_t asset = 0;
	bool created = false, already;
	int rc = 1;

	memset(&upload, 0, sizeof(upload));
	if (itg_publish_type_ensure(c, o->type_name, &type, &e) != 0)
		return failed("type", &e);
	if (itg_publish_prepare(&type, o->org, &o->report, &upload, &e) != 0) {
		failed("report", &e);
		goto out;
	}
	if (itg_publish_find(c, &type, o->org, o->report.title,
	                     upload.file_name, &asset, &e) != 0) {
		failed("find", &e);
		goto out;
	}
	if (asset == 0) {
		if (itg_publish_create(c, &upload, &asset, &e) != 0) {
			failed("create", &e);
			goto out;
		}
		created = true;
	}
	printf("asset=%" PRId64 " created=%d type=%" PRId64 "\n", asset,
	       created ? 1 : 0, type.id);
	printf("file=%s gzipped=%d html=%" PRIu64 " sent=%zu body=%zu\n",
	       upload.file_name, upload.gzipped ? 1 : 0, upload.html_size,
	       upload.file_size, upload.body_len);
	for (size_t i = 0; i < o->n_relate; i++) {
		if (itg_publish_relate(c, asset, o->relate[i],
		                       "Open XDR report", &already, &e) != 0) {
			failed("relate", &e);
			goto out;
		}
		printf("related=%" PRId64 " already=%d\n", o->relate[i],
		       already ? 1 : 0);
	}
	rc = 0;
out:
	itg_upload_free(&upload);
	itg_publish_type_clear(&type);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o;
	struct itg_client *c = NULL;
	char err[512];
	int rc;

	/* Lines end in \n alone on every platform, as xdr-host's do. */
	os_binary_stdio();
	rc = parse(argc, argv, &o);
	if (rc != 0)
		return rc == 1 ? 0 : 2;
	if (itg_http_global_init(err, sizeof(err)) != 0) {
		fprintf(stderr, "itg-publish: %s\n", err);
		return 1;
	}
	rc = itg_client_new(&o.cfg, &c, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "itg-publish: %s\n", err);
		itg_http_global_cleanup();
		return 1;
	}
	rc = publish(c, &o);
	itg_client_free(c);
	itg_http_global_cleanup();
	return rc;
}
