/*
 * cmd_console.c - console: the web console on loopback, with the plugins
 * ticked as "run" ticks them, until SIGINT or SIGTERM.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#ifdef HAVE_CONSOLE
#include "auth.h"
#include "compat/os.h"
#include "console.h"
#include "http.h"

#define CONSOLE_DEFAULT_TICK 60
#define CONSOLE_MAX_TICK     86400

/* Tick the loaded plugins; a failure is said, the console keeps running. */
static void tick_all(struct xdr_plugins *set)
{
	int64_t now = (int64_t)time(NULL);

	for (size_t i = 0; i < set->n; i++) {
		struct xdr_plugin_rec *rec = &set->items[i];
		int status;

		if (!rec->loaded)
			continue;
		status = xdr_plugin_tick(rec, now);
		if (status != XDR_OK)
			cli_fail("%s: on_schedule_tick failed: %s (%d)",
			         rec->name, xdr_status_name(status), status);
	}
}

/* Until SIGINT or SIGTERM: a tick every period seconds (0: none). */
static void serve(struct xdr_plugins *set, unsigned long long period)
{
	uint64_t next = os_monotonic_ms(), now;

	while (xdr_signals_caught() == 0) {
		if (period == 0) {
			xdr_signals_sleep(1000);
			continue;
		}
		tick_all(set);
		next += period * 1000;
		now = os_monotonic_ms();
		if (now > next) /* ticks missed (suspend): do not catch up */
			next = now + period * 1000;
		while ((now = os_monotonic_ms()) < next &&
		       xdr_signals_sleep((unsigned)(next - now)) == 0)
			;
	}
}

/* The options, judged before anything is opened: CLI_OK or CLI_USAGE. */
static int read_options(struct cli *cli, struct cli_args *args,
                        struct xcon_options *opt, unsigned long long *period,
                        char addr[XCON_ADDR_MAX])
{
	const char *tick = cli_value(args, "tick-seconds");
	const char *const *hosts;
	struct xdr_err err;
	unsigned port;

	memset(opt, 0, sizeof(*opt));
	opt->listen = cli_value(args, "listen");
	if (!opt->listen)
		opt->listen = XCON_LISTEN_DEFAULT;
	opt->port_file = cli_value(args, "port-file");
	opt->allow_remote = cli_flag(args, "allow-remote");
	opt->n_allow_hosts = cli_values(args, "allow-host", &hosts);
	if (opt->n_allow_hosts > XCON_MAX_ALLOW_HOSTS)
		return cli_usage_error(cli, "--allow-host: at most %d names",
		                       XCON_MAX_ALLOW_HOSTS);
	for (size_t i = 0; i < opt->n_allow_hosts; i++)
		opt->allow_hosts[i] = hosts[i];
	*period = CONSOLE_DEFAULT_TICK;
	if (tick && !cli_number(tick, 0, CONSOLE_MAX_TICK, period))
		return cli_usage_error(cli,
		                       "--tick-seconds needs a number of "
		                       "seconds from 0 (never) to %d, not '%s'",
		                       CONSOLE_MAX_TICK, tick);
	if (xcon_listen_parse(opt->listen, addr, &port, &err) != XDR_OK)
		return cli_usage_error(cli, "--listen: %s", err.msg);
	if (!opt->allow_remote && !xcon_addr_loopback(addr))
		return cli_usage_error(
		        cli,
		        "--listen %s: not a loopback address; the console "
		        "speaks plain HTTP, meant for loopback or an SSH "
		        "tunnel (--allow-remote to listen there anyway)",
		        opt->listen);
	return CLI_OK;
}

/* The password file is there and readable before anything starts. */
static int check_password_file(const struct cli *cli)
{
	struct xdr_err err;
	char *home = NULL, *line = NULL;
	int rc;

	rc = xdr_home_resolve(cli->home, &home, &err);
	if (rc == XDR_OK)
		rc = xcon_passwd_load(home, &line, NULL, &err);
	if (line) {
		memset(line, 0, strlen(line));
		free(line);
	}
	free(home);
	return rc == XDR_OK ? CLI_OK : cli_fail_err(&err);
}

int cmd_console(struct cli *cli, struct cli_args *args)
{
	struct xcon_options opt;
	unsigned long long period;
	char addr[XCON_ADDR_MAX];
	struct xdr_runtime *rt;
	struct xdr_plugins *set;
	struct xdr_err err;
	struct xcon *c;
	int rc;

	rc = read_options(cli, args, &opt, &period, addr);
	if (rc == CLI_OK)
		rc = check_password_file(cli);
	if (rc != CLI_OK)
		return rc;
	if (!xcon_addr_loopback(addr))
		xdr_eprintf("xdr-host: warning: the console listens on %s in "
		            "plain HTTP: its password and session cross the "
		            "network unencrypted; prefer loopback and an SSH "
		            "tunnel\n",
		            opt.listen);
	/* Signals are caught here, before libmicrohttpd starts its threads,
	 * so that SIGINT and SIGTERM reach this thread only. */
	rc = cli_open_plugins(cli, &rt, &set);
	if (rc != CLI_OK)
		return rc;
	if (xcon_start(&opt, rt, set, &c, &err) != XDR_OK) {
		rc = cli_fail_err(&err);
		cli_close(rt, set);
		return rc;
	}
	if (strchr(addr, ':'))
		printf("console: http://[%s]:%u/\n", addr, xcon_port(c));
	else
		printf("console: http://%s:%u/\n", addr, xcon_port(c));
	fflush(stdout);
	xdr_eprintf("xdr-host: console running, %zu plugin(s); Ctrl-C to "
	            "stop\n",
	            xdr_plugins_loaded_count(set));
	serve(set, period);
	xdr_eprintf("xdr-host: stopping\n");
	/* The requests being answered end before the plugins go. */
	xcon_stop(c);
	cli_close(rt, set);
	return CLI_OK;
}

#else /* !HAVE_CONSOLE */

int cmd_console(struct cli *cli, struct cli_args *args)
{
	(void)cli;
	(void)args;
	return cli_fail("the console is not built into this xdr-host (it "
	                "needs libmicrohttpd and OpenSSL; use the Linux "
	                "build)");
}

#endif
