/*
 * cmd_tick.c - tick (one scheduler tick) and run (ticks until SIGINT or
 * SIGTERM).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "compat/os.h"

#define RUN_DEFAULT_TICK 60
#define RUN_MAX_TICK     86400

int cli_tick_all(struct xdr_plugins *set, int64_t now)
{
	int rc = CLI_OK;

	for (size_t i = 0; i < set->n; i++) {
		struct xdr_plugin_rec *rec = &set->items[i];
		int status;

		if (!rec->loaded)
			continue;
		status = xdr_plugin_tick(rec, now);
		if (status != XDR_OK)
			rc = cli_fail("%s: on_schedule_tick failed: %s (%d)",
			              rec->name, xdr_status_name(status),
			              status);
	}
	return rc;
}

int cmd_tick(struct cli *cli, struct cli_args *args)
{
	const char *when = cli_value(args, "now");
	int64_t now = (int64_t)time(NULL);
	struct xdr_runtime *rt;
	struct xdr_plugins *set;
	struct xdr_err err;
	struct cli_wait w;
	int rc, waited;

	if (when != NULL && xdr_rfc3339_parse(when, &now, &err) != XDR_OK)
		return cli_usage_error(cli, "--now: %s", err.msg);
	rc = cli_wait_options(cli, args, &w);
	if (rc != CLI_OK)
		return rc;
	rc = cli_open_plugins(cli, &rt, &set);
	if (rc != CLI_OK)
		return rc;
	rc = cli_tick_all(set, now);
	waited = cli_wait(&w, set);
	if (rc == CLI_OK || waited > CLI_BUSY)
		rc = waited;
	cli_close(rt, set);
	return rc;
}

static uint64_t monotonic_ms(void)
{
	return os_monotonic_ms();
}

int cmd_run(struct cli *cli, struct cli_args *args)
{
	const char *s = cli_value(args, "tick-seconds");
	unsigned long long period = RUN_DEFAULT_TICK;
	struct xdr_runtime *rt;
	struct xdr_plugins *set;
	uint64_t next;
	int rc;

	if (s != NULL && !cli_number(s, 1, RUN_MAX_TICK, &period))
		return cli_usage_error(cli,
		                       "--tick-seconds needs a number of "
		                       "seconds from 1 to %d, not '%s'",
		                       RUN_MAX_TICK, s);
	rc = cli_open_plugins(cli, &rt, &set);
	if (rc != CLI_OK)
		return rc;
	xdr_eprintf("xdr-host: running, %zu plugin(s); Ctrl-C to stop\n",
	            xdr_plugins_loaded_count(set));
	next = monotonic_ms();
	while (xdr_signals_caught() == 0) {
		uint64_t now;

		/* A failed tick is reported; the host keeps running. */
		cli_tick_all(set, (int64_t)time(NULL));
		next += period * 1000;
		now = monotonic_ms();
		if (now > next) /* ticks missed (suspend): do not catch up */
			next = now + period * 1000;
		while ((now = monotonic_ms()) < next &&
		       xdr_signals_sleep((unsigned)(next - now)) == 0)
			;
	}
	xdr_eprintf("xdr-host: stopping\n");
	cli_close(rt, set);
	return CLI_OK;
}
