/*
 * cmd_group.c - group add, group list.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int cmd_group_add(struct cli *cli, struct cli_args *args)
{
	struct xdr_runtime *rt;
	struct xdr_err err;
	int64_t id;
	char *name, *email;
	int rc;

	/* Validate before touching the home. */
	if (xdr_group_check(args->pos[0], cli_value(args, "email"), &name,
	                    &email, &err) != XDR_OK)
		return cli_fail_err(&err);
	free(name);
	free(email);
	rc = cli_open(cli, &rt);
	if (rc != CLI_OK)
		return rc;
	if (xdr_group_add(rt->db, args->pos[0], cli_value(args, "email"), &id,
	                  &err) != XDR_OK)
		rc = cli_fail_err(&err);
	else
		printf("%" PRId64 "\n", id);
	xdr_runtime_close(rt);
	return rc;
}

static int print_text(const struct xdr_group_list *list)
{
	static const char *const header[] = {"ID", "NAME", "EMAIL"};
	struct cli_table *t = cli_table_new(3, header);
	int rc = t ? CLI_OK : CLI_FAILED;

	for (size_t i = 0; rc == CLI_OK && i < list->n; i++) {
		const struct xdr_group_rec *g = &list->items[i];
		char id[24];
		const char *row[3] = {id, g->name, g->email};

		snprintf(id, sizeof(id), "%" PRId64, g->id);
		if (cli_table_add(t, row, NULL) != 0)
			rc = CLI_FAILED;
	}
	return cli_table_finish(t, rc);
}

int cmd_group_list(struct cli *cli, struct cli_args *args)
{
	struct xdr_group_list list;
	struct xdr_runtime *rt;
	struct xdr_err err;
	int rc = cli_open(cli, &rt);

	if (rc != CLI_OK)
		return rc;
	if (xdr_group_list(rt->db, &list, &err) != XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		if (cli_flag(args, "json"))
			rc = cli_print_json(xdr_json_groups(&list), false);
		else
			rc = print_text(&list);
		xdr_group_list_free(&list);
	}
	xdr_runtime_close(rt);
	return rc;
}
