/*
 * cmd_system.c - system add, system list.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

/* The --os and --sensor values, checked as part of the command line. */
static int parse_kind(struct cli *cli, const struct cli_args *args,
                      struct xdr_system_spec *spec)
{
	const char *os = cli_value(args, "os");
	const char *sensor = cli_value(args, "sensor");

	if (os != NULL && xdr_os_parse(os, &spec->os) != XDR_OK)
		return cli_usage_error(cli,
		                       "--os must be windows, linux or other, "
		                       "not '%s'",
		                       os);
	if (sensor != NULL && xdr_sensor_parse(sensor, &spec->sensor) != XDR_OK)
		return cli_usage_error(cli,
		                       "--sensor must be agent or syslog, not "
		                       "'%s'",
		                       sensor);
	return CLI_OK;
}

int cmd_system_add(struct cli *cli, struct cli_args *args)
{
	struct xdr_system_spec spec = {args->pos[0],
	                               cli_value(args, "group"),
	                               XDR_OS_OTHER,
	                               XDR_SENSOR_AGENT,
	                               cli_value(args, "agent-version"),
	                               NULL,
	                               0};
	struct xdr_system_new checked;
	struct xdr_runtime *rt;
	struct xdr_err err;
	int64_t id;
	int rc;

	if (spec.group == NULL)
		return cli_usage_error(cli, "missing option --group GROUP");
	rc = parse_kind(cli, args, &spec);
	if (rc != CLI_OK)
		return rc;
	spec.n_macs = cli_values(args, "mac", &spec.macs);
	if (xdr_system_check(&spec, &checked, &err) != XDR_OK)
		return cli_fail_err(&err);
	xdr_system_new_free(&checked);
	rc = cli_open(cli, &rt);
	if (rc != CLI_OK)
		return rc;
	if (xdr_system_add(rt->db, &spec, &id, &err) != XDR_OK)
		rc = cli_fail_err(&err);
	else
		printf("%" PRId64 "\n", id);
	xdr_runtime_close(rt);
	return rc;
}

static int print_text(const struct xdr_system_list *list)
{
	static const char *const header[] = {"ID",     "NAME",  "GROUP", "OS",
	                                     "SENSOR", "AGENT", "MACS"};
	struct cli_table *t = cli_table_new(7, header);
	int rc = t ? CLI_OK : CLI_FAILED;

	for (size_t i = 0; rc == CLI_OK && i < list->n; i++) {
		const struct xdr_system_rec *s = &list->items[i];
		bool failed;
		char id[24], *macs = cli_join(s->macs, s->n_macs, ",", &failed);
		const char *row[7] = {id,
		                      s->name,
		                      s->group,
		                      xdr_os_name(s->os),
		                      xdr_sensor_name(s->sensor),
		                      s->agent_version,
		                      macs};

		snprintf(id, sizeof(id), "%" PRId64, s->id);
		if (failed || cli_table_add(t, row, NULL) != 0)
			rc = CLI_FAILED;
		free(macs);
	}
	return cli_table_finish(t, rc);
}

int cmd_system_list(struct cli *cli, struct cli_args *args)
{
	struct xdr_system_list list;
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
		status = xdr_system_page(rt->db, 0, page.offset, page.limit,
		                         &list, &total, &err);
	else
		status = xdr_system_list(rt->db, 0, &list, &err);
	if (status != XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		bool json = cli_flag(args, "json");

		if (json && page.paged)
			rc = cli_print_json(
			        xdr_json_page(total, page.offset, page.limit,
			                      xdr_json_systems(&list)),
			        false);
		else if (json)
			rc = cli_print_json(xdr_json_systems(&list), false);
		else
			rc = print_text(&list);
		if (rc == CLI_OK && !json && page.paged)
			cli_print_page_line(&page, list.n, total);
		xdr_system_list_free(&list);
	}
	xdr_runtime_close(rt);
	return rc;
}
