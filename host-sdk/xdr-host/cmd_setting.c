/*
 * cmd_setting.c - setting set KEY VALUE, setting get KEY.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int cmd_setting_set(struct cli *cli, struct cli_args *args)
{
	struct xdr_runtime *rt;
	struct xdr_err err;
	int rc;

	/* A typo is refused before anything is created. */
	if (xdr_setting_check(args->pos[0], args->pos[1], &err) != XDR_OK)
		return cli_fail_err(&err);
	rc = cli_open(cli, &rt);
	if (rc != CLI_OK)
		return rc;
	if (xdr_setting_set(rt->db, args->pos[0], args->pos[1], &err) != XDR_OK)
		rc = cli_fail_err(&err);
	xdr_runtime_close(rt);
	return rc;
}

int cmd_setting_get(struct cli *cli, struct cli_args *args)
{
	struct xdr_runtime *rt;
	struct xdr_err err;
	char *value;
	int rc;

	if (xdr_setting_check(args->pos[0], "", &err) == XDR_ENOTFOUND)
		return cli_fail_err(&err);
	rc = cli_open(cli, &rt);
	if (rc != CLI_OK)
		return rc;
	if (xdr_setting_get(rt->db, args->pos[0], &value, &err) != XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		puts(value);
		free(value);
	}
	xdr_runtime_close(rt);
	return rc;
}
