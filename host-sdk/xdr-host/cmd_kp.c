/*
 * cmd_kp.c - kp install | list | remove | rollback | parse | report: the
 * knowledge pack and what its parsing rule and reports do.
 */
#include "config.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define PARSING_RULE "IT Glue"

/* The plugin directory and the runtime, both needed to install. */
static int open_for_install(struct cli *cli, struct xdr_runtime **rt,
                            char **dir)
{
	struct xdr_err err;

	if (xdr_plugin_dir_resolve(cli->plugin_dir, dir, &err) != XDR_OK)
		return cli_fail_err(&err);
	if (cli_open(cli, rt) != CLI_OK) {
		free(*dir);
		return CLI_FAILED;
	}
	return CLI_OK;
}

int cmd_kp_install(struct cli *cli, struct cli_args *args)
{
	struct xdr_kp_manifest m;
	struct xdr_runtime *rt;
	struct xdr_err err;
	char *dir;
	int rc = open_for_install(cli, &rt, &dir);

	if (rc != CLI_OK)
		return rc;
	if (xdr_kp_install(rt, dir, args->pos[0], &m, &err) != XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		printf("installed %s %s (%zu objects)\n", m.name, m.version,
		       m.n_objects);
		xdr_kp_manifest_free(&m);
	}
	free(dir);
	xdr_runtime_close(rt);
	return rc;
}

int cmd_kp_rollback(struct cli *cli, struct cli_args *args)
{
	struct xdr_runtime *rt;
	struct xdr_err err;
	char *dir, *version;
	int rc = open_for_install(cli, &rt, &dir);

	if (rc != CLI_OK)
		return rc;
	if (xdr_kp_rollback(rt, dir, args->pos[0], &version, &err) != XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		printf("rolled %s back to %s\n", args->pos[0], version);
		free(version);
	}
	free(dir);
	xdr_runtime_close(rt);
	return rc;
}

int cmd_kp_remove(struct cli *cli, struct cli_args *args)
{
	struct xdr_runtime *rt;
	struct xdr_err err;
	char *dir;
	int rc = open_for_install(cli, &rt, &dir);

	if (rc != CLI_OK)
		return rc;
	if (xdr_kp_remove(rt, dir, args->pos[0], &err) != XDR_OK)
		rc = cli_fail_err(&err);
	else
		printf("removed %s\n", args->pos[0]);
	free(dir);
	xdr_runtime_close(rt);
	return rc;
}

static struct json_object *packs_json(const struct xdr_kp_pack_list *list)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr != NULL && i < list->n; i++) {
		const struct xdr_kp_pack_rec *p = &list->items[i];
		struct json_object *o = json_object_new_object();
		char when[XDR_RFC3339_MAX];

		if (o == NULL)
			break;
		xdr_rfc3339_format(p->installed_at, when);
		json_object_object_add(o, "name",
		                       json_object_new_string(p->name));
		json_object_object_add(o, "version",
		                       json_object_new_string(p->version));
		json_object_object_add(o, "state",
		                       json_object_new_string(p->state));
		json_object_object_add(o, "installed_at",
		                       json_object_new_string(when));
		json_object_object_add(o, "plugin_file",
		                       json_object_new_string(p->plugin_file));
		json_object_object_add(
		        o, "objects",
		        json_object_new_int64((int64_t)p->n_objects));
		json_object_array_add(arr, o);
	}
	return arr;
}

static int print_packs(const struct xdr_kp_pack_list *list)
{
	static const char *const header[] = {"NAME",      "VERSION", "STATE",
	                                     "INSTALLED", "PLUGIN",  "OBJECTS"};
	struct cli_table *t = cli_table_new(6, header);
	int rc = t ? CLI_OK : CLI_FAILED;

	for (size_t i = 0; rc == CLI_OK && i < list->n; i++) {
		const struct xdr_kp_pack_rec *p = &list->items[i];
		char when[XDR_RFC3339_MAX], n[24];
		const char *row[6] = {p->name, p->version,     p->state,
		                      when,    p->plugin_file, n};

		xdr_rfc3339_format(p->installed_at, when);
		snprintf(n, sizeof(n), "%zu", p->n_objects);
		if (cli_table_add(t, row, NULL) != 0)
			rc = CLI_FAILED;
	}
	return cli_table_finish(t, rc);
}

int cmd_kp_list(struct cli *cli, struct cli_args *args)
{
	struct xdr_kp_pack_list list;
	struct xdr_runtime *rt;
	struct xdr_err err;
	int rc = cli_open(cli, &rt);

	if (rc != CLI_OK)
		return rc;
	if (xdr_kp_pack_list(rt->db, &list, &err) != XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		if (cli_flag(args, "json"))
			rc = cli_print_json(packs_json(&list), false);
		else
			rc = print_packs(&list);
		xdr_kp_pack_list_free(&list);
	}
	xdr_runtime_close(rt);
	return rc;
}

static struct json_object *fields_json(const struct xdr_kp_fields *f)
{
	struct json_object *o = json_object_new_object();

	for (size_t i = 0; o != NULL && i < f->n; i++)
		json_object_object_add(
		        o, f->items[i].name,
		        json_object_new_string(f->items[i].value));
	return o;
}

int cmd_kp_parse(struct cli *cli, struct cli_args *args)
{
	const char *s = cli_value(args, "id");
	unsigned long long id;
	struct xdr_kp_fields fields;
	struct xdr_runtime *rt;
	struct xdr_err err;
	char *rule;
	int rc;

	if (s == NULL || !cli_number(s, 1, UINT32_MAX, &id))
		return cli_usage_error(cli, "--id needs the event id (1 to "
		                            "4294967295)");
	rc = cli_open(cli, &rt);
	if (rc != CLI_OK)
		return rc;
	if (xdr_kp_object_get(rt->db, XDR_KP_PARSING_RULE, PARSING_RULE, &rule,
	                      &err) != XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		if (xdr_kp_rule_apply(rule, (uint32_t)id, args->pos[0], &fields,
		                      &err) != XDR_OK) {
			rc = cli_fail_err(&err);
		} else {
			rc = cli_print_json(fields_json(&fields), false);
			xdr_kp_fields_free(&fields);
		}
		free(rule);
	}
	xdr_runtime_close(rt);
	return rc;
}

/* Write text to path, or to stdout if path is NULL. */
static int write_out(const char *path, const char *text)
{
	FILE *f = path ? fopen(path, "wb") : stdout;

	if (f == NULL)
		return cli_fail("cannot write '%s'", path);
	fputs(text, f);
	if (path != NULL ? fclose(f) != 0 : fflush(f) != 0)
		return cli_fail("cannot write '%s'", path ? path : "stdout");
	return CLI_OK;
}

int cmd_kp_report(struct cli *cli, struct cli_args *args)
{
	const char *fmt = cli_value(args, "format");
	enum xdr_kp_format format = XDR_KP_HTML;
	struct xdr_event_list events;
	struct xdr_runtime *rt;
	struct xdr_err err;
	char *body, *text;
	int rc;

	if (fmt != NULL && strcmp(fmt, "csv") == 0)
		format = XDR_KP_CSV;
	else if (fmt != NULL && strcmp(fmt, "html") != 0)
		return cli_usage_error(cli, "--format is html or csv, not '%s'",
		                       fmt);
	rc = cli_open(cli, &rt);
	if (rc != CLI_OK)
		return rc;
	if (xdr_kp_object_get(rt->db, XDR_KP_REPORT, args->pos[0], &body,
	                      &err) != XDR_OK) {
		xdr_runtime_close(rt);
		return cli_fail_err(&err);
	}
	if (xdr_kp_events_of(rt->db, body, &events, &err) != XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		if (xdr_kp_report_render(body, &events, format, &text, &err) !=
		    XDR_OK) {
			rc = cli_fail_err(&err);
		} else {
			rc = write_out(cli_value(args, "out"), text);
			free(text);
		}
		xdr_event_list_free(&events);
	}
	free(body);
	xdr_runtime_close(rt);
	return rc;
}

/* kp show NAME: any object of the installed packs, as JSON (the knowledge
 * object "IT Glue activities" is read this way). */
int cmd_kp_show(struct cli *cli, struct cli_args *args)
{
	static const enum xdr_kp_type types[] = {
	        XDR_KP_ALERT,     XDR_KP_SEARCH,       XDR_KP_REPORT,
	        XDR_KP_KNOWLEDGE, XDR_KP_PARSING_RULE, XDR_KP_DASHBOARD,
	};
	struct xdr_runtime *rt;
	struct xdr_err err;
	char *body = NULL;
	int rc = cli_open(cli, &rt);

	if (rc != CLI_OK)
		return rc;
	for (size_t i = 0; body == NULL && i < sizeof(types) / sizeof(types[0]);
	     i++)
		if (xdr_kp_object_get(rt->db, types[i], args->pos[0], &body,
		                      &err) != XDR_OK)
			body = NULL;
	if (body == NULL) {
		rc = cli_fail("no knowledge pack object named \"%s\" (kp list, "
		              "then the pack's objects)",
		              args->pos[0]);
	} else {
		struct json_object *obj = NULL;

		if (xdr_json_parse(body, strlen(body), 32, &obj, &err) ==
		    XDR_OK)
			rc = cli_print_json(obj, true);
		else
			rc = cli_fail_err(&err);
		free(body);
	}
	xdr_runtime_close(rt);
	return rc;
}
