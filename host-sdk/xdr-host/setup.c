/*
 * setup.c - opening the home and the plugins for a command, waiting for the
 * plugins, and closing everything on the way out.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int cli_open(struct cli *cli, struct xdr_runtime **rt)
{
	struct xdr_err err;

	if (xdr_runtime_open(rt, cli->home, cli->verbose, &err) != XDR_OK)
		return cli_fail_err(&err);
	return CLI_OK;
}

int cli_open_plugins(struct cli *cli, struct xdr_runtime **rt,
                     struct xdr_plugins **set)
{
	struct xdr_err err;
	char *dir = NULL;
	int rc;

	*rt = NULL;
	*set = NULL;
	if (xdr_plugin_dir_resolve(cli->plugin_dir, &dir, &err) != XDR_OK)
		return cli_fail_err(&err);
	rc = cli_open(cli, rt);
	/* Before any plugin starts a thread: threads inherit the mask. */
	if (rc == CLI_OK && xdr_signals_catch(&err) != XDR_OK)
		rc = cli_fail_err(&err);
	if (rc == CLI_OK && xdr_plugins_load(*rt, dir, set, &err) != XDR_OK)
		rc = cli_fail_err(&err);
	free(dir);
	if (rc != CLI_OK) {
		xdr_runtime_close(*rt);
		*rt = NULL;
	}
	return rc;
}

void cli_close(struct xdr_runtime *rt, struct xdr_plugins *set)
{
	xdr_plugins_free(set);
	xdr_runtime_close(rt);
}

int cli_wait_options(const struct cli *cli, const struct cli_args *args,
                     struct cli_wait *w)
{
	const char *s = cli_value(args, "wait-seconds");
	unsigned long long n = XDR_WAIT_DEFAULT_SECONDS;

	w->wait = !cli_flag(args, "no-wait");
	if (s != NULL && !cli_number(s, 0, 7 * 86400, &n))
		return cli_usage_error(cli,
		                       "--wait-seconds needs a number of "
		                       "seconds from 0 to 604800, not '%s'",
		                       s);
	w->seconds = (unsigned)n;
	return CLI_OK;
}

int cli_wait(const struct cli_wait *w, struct xdr_plugins *set)
{
	struct xdr_err err;
	int rc;

	if (!w->wait)
		return CLI_OK;
	/* Results printed so far reach scripts before the wait. */
	fflush(stdout);
	rc = xdr_wait_idle(set, w->seconds, &err);
	if (rc == XDR_OK)
		return CLI_OK;
	xdr_eprintf("xdr-host: %s\n", err.msg);
	if (rc == XDR_EINTERRUPTED)
		return 128 + xdr_signals_caught();
	return rc == XDR_EBUSY ? CLI_BUSY : CLI_FAILED;
}
