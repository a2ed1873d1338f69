/*
 * cmd_inventory.c - inventory load FILE.json.
 */
#include "config.h"

#include <stdio.h>

#include "cli.h"

int cmd_inventory_load(struct cli *cli, struct cli_args *args)
{
	struct xdr_runtime *rt;
	struct xdr_err err;
	size_t groups, systems;
	int rc = cli_open(cli, &rt);

	if (rc != CLI_OK)
		return rc;
	if (xdr_inventory_load(rt->db, args->pos[0], &groups, &systems, &err) !=
	    XDR_OK)
		rc = cli_fail_err(&err);
	else
		printf("loaded %zu groups, %zu systems\n", groups, systems);
	xdr_runtime_close(rt);
	return rc;
}
