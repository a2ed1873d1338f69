/*
 * cmd_report.c - report config add/list, report generate, report list.
 */
#include "config.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/*
 * "Publish report to the IT Glue" is refused for a group the IT Glue plugin
 * cannot publish for (not mapped to an organization): the plugin says why,
 * through its action publish.check. Without the plugin the host cannot
 * tell, and says so.
 */
static int check_publish(struct cli *cli, const char *group)
{
	struct xdr_runtime *rt;
	struct xdr_plugins *set;
	struct xdr_err err;
	bool checked;
	int rc = cli_open_plugins(cli, &rt, &set);

	if (rc != CLI_OK)
		return rc;
	if (xdr_publish_check(set, group, &checked, NULL, &err) != XDR_OK)
		rc = cli_fail("cannot enable --publish-itglue: %s", err.msg);
	else if (!checked)
		fprintf(stderr,
		        "xdr-host: warning: the itglue plugin is not loaded: "
		        "whether group \"%s\" can be published to IT Glue was "
		        "not checked\n",
		        group);
	cli_close(rt, set);
	return rc;
}

int cmd_report_config_add(struct cli *cli, struct cli_args *args)
{
	const char *group = cli_value(args, "group");
	struct xdr_runtime *rt;
	struct xdr_err err;
	int64_t id;
	int rc;

	if (group == NULL)
		return cli_usage_error(cli, "missing option --group GROUP");
	if (cli_flag(args, "publish-itglue")) {
		rc = check_publish(cli, group);
		if (rc != CLI_OK)
			return rc;
	}
	rc = cli_open(cli, &rt);
	if (rc != CLI_OK)
		return rc;
	if (xdr_report_config_add(rt->db, args->pos[0], group,
	                          cli_flag(args, "publish-itglue"), &id,
	                          &err) != XDR_OK)
		rc = cli_fail_err(&err);
	else
		printf("%" PRId64 "\n", id);
	xdr_runtime_close(rt);
	return rc;
}

/* The configuration named name (trimmed, as stored): its id and group. */
static int find_config(struct xdr_runtime *rt, const char *name, int64_t *id,
                       char **group)
{
	struct xdr_report_config_list list;
	struct xdr_err err;
	char q[XDR_QUOTE_MAX], *n;
	int rc = CLI_OK;

	if (xdr_text_check("report configuration name", name,
	                   XDR_NAME_MAX_CHARS, &n, &err) != XDR_OK)
		return cli_fail_err(&err);
	if (xdr_report_config_list(rt->db, &list, &err) != XDR_OK) {
		free(n);
		return cli_fail_err(&err);
	}
	*id = 0;
	for (size_t i = 0; *id == 0 && i < list.n; i++) {
		if (strcmp(list.items[i].name, n) == 0) {
			*id = list.items[i].id;
			*group = strdup(list.items[i].group);
			if (*group == NULL)
				rc = cli_fail("out of memory");
		}
	}
	if (*id == 0)
		rc = cli_fail("no report configuration %s",
		              xdr_quote(n, q, sizeof(q)));
	xdr_report_config_list_free(&list);
	free(n);
	return rc;
}

int cmd_report_config_set(struct cli *cli, struct cli_args *args)
{
	bool on = cli_flag(args, "publish-itglue");
	bool off = cli_flag(args, "no-publish-itglue");
	struct xdr_runtime *rt;
	struct xdr_err err;
	char *group = NULL;
	int64_t id = 0;
	int rc;

	if (on && off)
		return cli_usage_error(cli, "give --publish-itglue or "
		                            "--no-publish-itglue, not both");
	if (!on && !off)
		return cli_usage_error(cli, "missing option --publish-itglue "
		                            "or --no-publish-itglue");
	rc = cli_open(cli, &rt);
	if (rc != CLI_OK)
		return rc;
	rc = find_config(rt, args->pos[0], &id, &group);
	xdr_runtime_close(rt);
	if (rc == CLI_OK && on)
		rc = check_publish(cli, group);
	free(group);
	if (rc != CLI_OK)
		return rc;
	rc = cli_open(cli, &rt);
	if (rc != CLI_OK)
		return rc;
	if (xdr_report_config_set_publish(rt->db, id, on, &err) != XDR_OK)
		rc = cli_fail_err(&err);
	xdr_runtime_close(rt);
	return rc;
}

static int print_configs(const struct xdr_report_config_list *list)
{
	static const char *const header[] = {"ID", "NAME", "GROUP",
	                                     "PUBLISH_ITGLUE"};
	struct cli_table *t = cli_table_new(4, header);
	int rc = t ? CLI_OK : CLI_FAILED;

	for (size_t i = 0; rc == CLI_OK && i < list->n; i++) {
		const struct xdr_report_config_rec *c = &list->items[i];
		char id[24];
		const char *row[4] = {id, c->name, c->group,
		                      c->publish_itglue ? "yes" : "no"};

		snprintf(id, sizeof(id), "%" PRId64, c->id);
		if (cli_table_add(t, row, NULL) != 0)
			rc = CLI_FAILED;
	}
	return cli_table_finish(t, rc);
}

int cmd_report_config_list(struct cli *cli, struct cli_args *args)
{
	struct xdr_report_config_list list;
	struct xdr_runtime *rt;
	struct xdr_err err;
	int rc = cli_open(cli, &rt);

	if (rc != CLI_OK)
		return rc;
	if (xdr_report_config_list(rt->db, &list, &err) != XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		if (cli_flag(args, "json"))
			rc = cli_print_json(xdr_json_report_configs(&list),
			                    false);
		else
			rc = print_configs(&list);
		xdr_report_config_list_free(&list);
	}
	xdr_runtime_close(rt);
	return rc;
}

static int generate_spec(struct cli *cli, const struct cli_args *args,
                         struct xdr_report_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->config = cli_value(args, "config");
	spec->group = cli_value(args, "group");
	spec->title = cli_value(args, "title");
	spec->type = cli_value(args, "type");
	spec->file = cli_value(args, "file");
	spec->n_systems = cli_values(args, "system", &spec->systems);
	spec->generated_at = (int64_t)time(NULL);
	if (spec->config != NULL && spec->group != NULL)
		return cli_usage_error(cli,
		                       "give --config or --group, not both");
	if (spec->config == NULL && spec->group == NULL)
		return cli_usage_error(cli, "missing option --config NAME or "
		                            "--group GROUP");
	if (spec->title == NULL)
		return cli_usage_error(cli, "missing option --title T");
	if (spec->file == NULL)
		return cli_usage_error(cli,
		                       "missing option --file REPORT.html");
	return CLI_OK;
}

/* A plugin refused the report: the command fails, saying which. */
static void refused(void *ctx, const struct xdr_plugin_rec *rec, int status)
{
	cli_fail("%s: on_report_generated(%" PRId64 ") failed: %s (%d)",
	         rec->name, *(const int64_t *)ctx, xdr_status_name(status),
	         status);
}

int cmd_report_generate(struct cli *cli, struct cli_args *args)
{
	struct xdr_report_spec spec;
	struct xdr_runtime *rt;
	struct xdr_plugins *set;
	struct xdr_err err;
	struct cli_wait w;
	int64_t id;
	int rc, waited;

	rc = generate_spec(cli, args, &spec);
	if (rc == CLI_OK)
		rc = cli_wait_options(cli, args, &w);
	if (rc != CLI_OK)
		return rc;
	rc = cli_open_plugins(cli, &rt, &set);
	if (rc != CLI_OK)
		return rc;
	if (xdr_report_generate(rt->db, rt->home, &spec, &id, &err) != XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		printf("%" PRId64 "\n", id);
		fflush(stdout);
		rc = xdr_plugins_report_generated(set, id, refused, &id) ==
		                     XDR_OK
		             ? CLI_OK
		             : CLI_FAILED;
		waited = cli_wait(&w, set);
		if (rc == CLI_OK || waited > CLI_BUSY)
			rc = waited;
	}
	cli_close(rt, set);
	return rc;
}

static int print_reports(const struct xdr_report_list *list)
{
	static const char *const header[] = {
	        "ID",    "GENERATED", "TITLE", "TYPE", "CONFIG",
	        "GROUP", "PUBLISH",   "SIZE",  "FILE", "SYSTEMS"};
	struct cli_table *t = cli_table_new(10, header);
	int rc = t ? CLI_OK : CLI_FAILED;

	for (size_t i = 0; rc == CLI_OK && i < list->n; i++) {
		const struct xdr_report_rec *r = &list->items[i];
		char id[24], size[24], when[XDR_RFC3339_MAX];
		bool failed;
		char *systems =
		        cli_join(r->systems, r->n_systems, ",", &failed);
		const char *row[10] = {id,
		                       when,
		                       r->title,
		                       r->type,
		                       r->config,
		                       r->group,
		                       r->publish_itglue ? "yes" : "no",
		                       size,
		                       r->file_name,
		                       systems};

		snprintf(id, sizeof(id), "%" PRId64, r->id);
		snprintf(size, sizeof(size), "%" PRIu64, r->size);
		xdr_rfc3339_format(r->generated_at, when);
		if (failed || cli_table_add(t, row, NULL) != 0)
			rc = CLI_FAILED;
		free(systems);
	}
	return cli_table_finish(t, rc);
}

int cmd_report_list(struct cli *cli, struct cli_args *args)
{
	struct xdr_report_list list;
	struct xdr_runtime *rt;
	struct cli_page page;
	struct xdr_err err;
	int64_t total = 0;
	int rc = cli_page_options(cli, args, &page), status;

	if (rc != CLI_OK)
		return rc;
	rc = cli_open(cli, &rt);
	if (rc != CLI_OK)
		return rc;
	if (page.paged)
		status = xdr_report_page(rt->db, page.offset, page.limit, &list,
		                         &total, &err);
	else
		status = xdr_report_list(rt->db, &list, &err);
	if (status != XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		bool json = cli_flag(args, "json");

		if (json && page.paged)
			rc = cli_print_json(
			        xdr_json_page(total, page.offset, page.limit,
			                      xdr_json_reports(&list)),
			        false);
		else if (json)
			rc = cli_print_json(xdr_json_reports(&list), false);
		else
			rc = print_reports(&list);
		if (rc == CLI_OK && !json && page.paged)
			cli_print_page_line(&page, list.n, total);
		xdr_report_list_free(&list);
	}
	xdr_runtime_close(rt);
	return rc;
}
