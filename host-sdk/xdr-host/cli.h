/*
 * cli.h - what the files of xdr-host share: the command table, the option
 * parser, output functions and the setup of home and plugins.
 */
#ifndef XDR_CLI_H
#define XDR_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "xdrhost.h"

struct json_object;

/* Exit statuses: a contract scripts rely on. */
enum cli_exit {
	CLI_OK = 0,
	CLI_FAILED = 1, /* the operation failed */
	CLI_USAGE = 2,  /* the command line is wrong */
	CLI_BUSY = 3    /* plugins still busy when the wait ended */
};

/* An option of a command. */
struct cli_opt {
	const char *name; /* "group" for --group */
	char short_name;  /* 'v' for -v, or 0 */
	const char *arg;  /* "GROUP" if it takes a value, NULL for a flag */
	bool repeatable;  /* may be given several times */
	const char *help;
};

struct cli_args;

struct cli;

/* A command: words such as "report config add" and its syntax. */
struct cli_command {
	const char *words;
	const char *positionals; /* "KEY VALUE", "[JSON | -]"... or "" */
	size_t min_pos;
	size_t max_pos;
	const struct cli_opt *opts; /* ends with a {NULL} entry */
	const char *usage;          /* what follows the words */
	const char *summary;
	int (*run)(struct cli *cli, struct cli_args *args);
};

/* The global options and the command being run. */
struct cli {
	const char *home;
	const char *plugin_dir;
	bool verbose;
	const struct cli_command *cmd;
};

/* The parsed arguments of a command. */
struct cli_args {
	const struct cli_opt *opts;
	size_t n_opts;
	const char ***values; /* values[i]: the values of opts[i] */
	size_t *counts;
	const char **pos;
	size_t n_pos;
};

/* commands.c */
extern const struct cli_command cli_commands[];
extern const size_t cli_n_commands;

/* args.c: the global options at the start of argv; *next is the index of
 * the first other argument. CLI_OK or CLI_USAGE. */
int cli_parse_globals(struct cli *cli, int argc, char **argv, int *next);

/* Parse argv (after the command's words). Returns CLI_OK, CLI_USAGE
 * (message printed) or -1 when --help was asked (usage printed). */
int cli_parse(struct cli *cli, const struct cli_command *cmd, int argc,
              char **argv, struct cli_args *out);
void cli_args_free(struct cli_args *args);
const char *cli_value(const struct cli_args *args, const char *name);
bool cli_flag(const struct cli_args *args, const char *name);
size_t cli_values(const struct cli_args *args, const char *name,
                  const char *const **values);

/* Strict decimal number in [min, max]. */
bool cli_number(const char *s, unsigned long long min, unsigned long long max,
                unsigned long long *out);

/* The page a list command asked for with --offset N and --limit N. */
#define CLI_PAGE_DEFAULT_LIMIT 25
struct cli_page {
	bool paged; /* false without either option: the whole list */
	int64_t offset;
	int64_t limit;
};

/* --offset (0 or more, default 0) and --limit (1 to XDR_PAGE_MAX_LIMIT,
 * default CLI_PAGE_DEFAULT_LIMIT). CLI_OK or CLI_USAGE (message printed). */
int cli_page_options(const struct cli *cli, const struct cli_args *args,
                     struct cli_page *page);

/* help.c */
void cli_print_usage(FILE *f, const struct cli_command *cmd);
void cli_print_command_help(FILE *f, const struct cli_command *cmd);
void cli_print_family(FILE *f, const char *prefix);
void cli_print_help(FILE *f);

/* output.c */
int cli_usage_error(const struct cli *cli, const char *fmt, ...)
        __attribute__((format(PRINTF_FORMAT, 2, 3)));
int cli_fail(const char *fmt, ...) __attribute__((format(PRINTF_FORMAT, 1, 2)));
int cli_fail_err(const struct xdr_err *err);
/* items joined with sep in a malloc'd string; NULL if n is 0 or out of
 * memory (*failed tells which). */
char *cli_join(char *const *items, size_t n, const char *sep, bool *failed);

/* Print a JSON value (released) to stdout: on one line, or pretty. */
int cli_print_json(struct json_object *value, bool pretty);

/* After a page's table: "1-25 of 120", or "0 of 120 (offset 200)". */
void cli_print_page_line(const struct cli_page *page, size_t n, int64_t total);

/* table.c: aligned text columns with a header. */
struct cli_table;
struct cli_table *cli_table_new(size_t ncols, const char *const *header);
/* Add a row (cells copied; NULL or "" shows as "-"); after, if not NULL,
 * is printed under the row as is. */
int cli_table_add(struct cli_table *t, const char *const *cells,
                  const char *after);
void cli_table_print(FILE *f, const struct cli_table *t);
void cli_table_free(struct cli_table *t);
/* The end of every table command: print T to stdout when RC is CLI_OK
 * (rows were added), free it, and return RC, or "out of memory" when the
 * table or a row could not be built. */
int cli_table_finish(struct cli_table *t, int rc);

/* setup.c */
int cli_open(struct cli *cli, struct xdr_runtime **rt);
int cli_open_plugins(struct cli *cli, struct xdr_runtime **rt,
                     struct xdr_plugins **set);
void cli_close(struct xdr_runtime *rt, struct xdr_plugins *set);

/* The --no-wait and --wait-seconds options of admin, report generate and
 * tick. */
struct cli_wait {
	bool wait;
	unsigned seconds;
};
int cli_wait_options(const struct cli *cli, const struct cli_args *args,
                     struct cli_wait *w);
int cli_wait(const struct cli_wait *w, struct xdr_plugins *set);

/* The commands. */
int cmd_setting_set(struct cli *cli, struct cli_args *args);
int cmd_setting_get(struct cli *cli, struct cli_args *args);
int cmd_group_add(struct cli *cli, struct cli_args *args);
int cmd_group_list(struct cli *cli, struct cli_args *args);
int cmd_system_add(struct cli *cli, struct cli_args *args);
int cmd_system_list(struct cli *cli, struct cli_args *args);
int cmd_inventory_load(struct cli *cli, struct cli_args *args);
int cmd_plugin_list(struct cli *cli, struct cli_args *args);
int cmd_admin(struct cli *cli, struct cli_args *args);
int cmd_report_config_add(struct cli *cli, struct cli_args *args);
int cmd_report_config_list(struct cli *cli, struct cli_args *args);
int cmd_report_config_set(struct cli *cli, struct cli_args *args);
int cmd_report_generate(struct cli *cli, struct cli_args *args);
int cmd_report_list(struct cli *cli, struct cli_args *args);
int cmd_tick(struct cli *cli, struct cli_args *args);
int cmd_run(struct cli *cli, struct cli_args *args);
int cmd_events(struct cli *cli, struct cli_args *args);
int cmd_kp_install(struct cli *cli, struct cli_args *args);
int cmd_kp_list(struct cli *cli, struct cli_args *args);
int cmd_kp_remove(struct cli *cli, struct cli_args *args);
int cmd_kp_rollback(struct cli *cli, struct cli_args *args);
int cmd_kp_parse(struct cli *cli, struct cli_args *args);
int cmd_kp_show(struct cli *cli, struct cli_args *args);
int cmd_kp_report(struct cli *cli, struct cli_args *args);
int cmd_alert_enable(struct cli *cli, struct cli_args *args);
int cmd_alert_disable(struct cli *cli, struct cli_args *args);
int cmd_alert_list(struct cli *cli, struct cli_args *args);
int cmd_alerts(struct cli *cli, struct cli_args *args);
int cmd_search(struct cli *cli, struct cli_args *args);
int cmd_search_list(struct cli *cli, struct cli_args *args);
int cmd_dashboard(struct cli *cli, struct cli_args *args);
int cmd_console(struct cli *cli, struct cli_args *args);
int cmd_console_passwd(struct cli *cli, struct cli_args *args);

#endif /* XDR_CLI_H */
