/*
 * args.c - the option parser: --name VALUE, --name=VALUE, -x, flags,
 * repeatable options, "--" to end options and "-" as an argument. The
 * global options (--home, --plugin-dir, -v) are accepted among every
 * command's options too.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_opt global_opts[] = {
        {"home", 0, "DIR", false, NULL},
        {"plugin-dir", 0, "DIR", false, NULL},
        {"verbose", 'v', NULL, false, NULL},
        {NULL, 0, NULL, false, NULL},
};

/* The spec matching an argument ("--group", "--group=x", "-v"); *inline_value
 * receives the text after '=' if any. */
static const struct cli_opt *match(const struct cli_opt *opts, const char *arg,
                                   const char **inline_value)
{
	*inline_value = NULL;
	for (size_t i = 0; opts != NULL && opts[i].name != NULL; i++) {
		const struct cli_opt *o = &opts[i];

		if (arg[1] == '-') {
			size_t n = strlen(o->name);

			if (strncmp(arg + 2, o->name, n) != 0)
				continue;
			if (arg[2 + n] == '\0')
				return o;
			if (arg[2 + n] == '=') {
				*inline_value = arg + 3 + n;
				return o;
			}
		} else if (o->short_name != 0 && arg[1] == o->short_name &&
		           arg[2] == '\0') {
			return o;
		}
	}
	return NULL;
}

static void set_global(struct cli *cli, const struct cli_opt *o,
                       const char *value)
{
	if (strcmp(o->name, "home") == 0)
		cli->home = value;
	else if (strcmp(o->name, "plugin-dir") == 0)
		cli->plugin_dir = value;
	else
		cli->verbose = true;
}

/* The name of positional argument i in "KEY VALUE" / "[JSON | -]". */
static void positional_name(const char *names, size_t i, char *buf, size_t size)
{
	const char *p = names;

	for (size_t k = 0; k < i && p != NULL; k++) {
		p = strchr(p, ' ');
		if (p != NULL)
			p++;
	}
	if (p == NULL) {
		snprintf(buf, size, "argument");
		return;
	}
	snprintf(buf, size, "%.*s", (int)strcspn(p, " "), p);
}

static void add_value(struct cli_args *a, size_t i, const char *value)
{
	a->values[i][a->counts[i]++] = value;
}

static int allocate(struct cli_args *a, const struct cli_command *cmd, int argc)
{
	size_t n = 0;

	while (cmd->opts != NULL && cmd->opts[n].name != NULL)
		n++;
	memset(a, 0, sizeof(*a));
	a->opts = cmd->opts;
	a->n_opts = n;
	a->values = calloc(n + 1, sizeof(*a->values));
	a->counts = calloc(n + 1, sizeof(*a->counts));
	a->pos = calloc((size_t)argc + 1, sizeof(*a->pos));
	if (a->values == NULL || a->counts == NULL || a->pos == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		a->values[i] = calloc((size_t)argc + 1, sizeof(**a->values));
		if (a->values[i] == NULL)
			return -1;
	}
	return 0;
}

static int parse_args(struct cli *cli, const struct cli_command *cmd, int argc,
                      char **argv, struct cli_args *a)
{
	bool options_done = false;

	for (int k = 0; k < argc; k++) {
		const char *arg = argv[k], *value;
		const struct cli_opt *o, *g;

		if (options_done || arg[0] != '-' || arg[1] == '\0') {
			a->pos[a->n_pos++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			options_done = true;
			continue;
		}
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			cli_print_command_help(stdout, cmd);
			return -1;
		}
		o = match(cmd->opts, arg, &value);
		g = o ? NULL : match(global_opts, arg, &value);
		if (o == NULL && g == NULL)
			return cli_usage_error(cli, "unknown option '%s'", arg);
		if (g != NULL)
			o = g;
		if (o->arg == NULL && value != NULL)
			return cli_usage_error(
			        cli, "option '--%s' takes no value", o->name);
		if (o->arg != NULL && value == NULL) {
			if (k + 1 >= argc)
				return cli_usage_error(
				        cli, "option '--%s' needs a value %s",
				        o->name, o->arg);
			value = argv[++k];
		}
		if (g != NULL) {
			set_global(cli, g, value);
			continue;
		}
		{
			size_t i = (size_t)(o - cmd->opts);

			if (a->counts[i] > 0 && !o->repeatable)
				return cli_usage_error(
				        cli,
				        "option '--%s' given more than once",
				        o->name);
			add_value(a, i, value ? value : "");
		}
	}
	if (a->n_pos < cmd->min_pos) {
		char name[64];

		positional_name(cmd->positionals, a->n_pos, name, sizeof(name));
		return cli_usage_error(cli, "missing %s", name);
	}
	if (a->n_pos > cmd->max_pos)
		return cli_usage_error(cli, "unexpected argument '%s'",
		                       a->pos[cmd->max_pos]);
	return CLI_OK;
}

int cli_parse_globals(struct cli *cli, int argc, char **argv, int *next)
{
	int k = 0;

	while (k < argc && argv[k][0] == '-' && argv[k][1] != '\0') {
		const char *value;
		const struct cli_opt *g = match(global_opts, argv[k], &value);

		if (g == NULL)
			break;
		if (g->arg == NULL && value != NULL)
			return cli_usage_error(
			        cli, "option '--%s' takes no value", g->name);
		if (g->arg != NULL && value == NULL) {
			if (k + 1 >= argc)
				return cli_usage_error(
				        cli, "option '--%s' needs a value %s",
				        g->name, g->arg);
			value = argv[++k];
		}
		set_global(cli, g, value);
		k++;
	}
	*next = k;
	return CLI_OK;
}

int cli_parse(struct cli *cli, const struct cli_command *cmd, int argc,
              char **argv, struct cli_args *out)
{
	int rc;

	if (allocate(out, cmd, argc) != 0) {
		cli_args_free(out);
		return cli_fail("out of memory");
	}
	rc = parse_args(cli, cmd, argc, argv, out);
	if (rc != CLI_OK)
		cli_args_free(out);
	return rc;
}

void cli_args_free(struct cli_args *a)
{
	for (size_t i = 0; a->values != NULL && i < a->n_opts; i++)
		free(a->values[i]);
	free(a->values);
	free(a->counts);
	free(a->pos);
	memset(a, 0, sizeof(*a));
}

static const struct cli_opt *find(const struct cli_args *a, const char *name,
                                  size_t *index)
{
	for (size_t i = 0; i < a->n_opts; i++)
		if (strcmp(a->opts[i].name, name) == 0) {
			*index = i;
			return &a->opts[i];
		}
	return NULL;
}

const char *cli_value(const struct cli_args *a, const char *name)
{
	size_t i;

	if (find(a, name, &i) == NULL || a->counts[i] == 0)
		return NULL;
	return a->values[i][a->counts[i] - 1];
}

bool cli_flag(const struct cli_args *a, const char *name)
{
	size_t i;

	return find(a, name, &i) != NULL && a->counts[i] > 0;
}

size_t cli_values(const struct cli_args *a, const char *name,
                  const char *const **values)
{
	size_t i;

	if (find(a, name, &i) == NULL) {
		*values = NULL;
		return 0;
	}
	*values = a->values[i];
	return a->counts[i];
}

int cli_page_options(const struct cli *cli, const struct cli_args *args,
                     struct cli_page *page)
{
	const char *offset = cli_value(args, "offset");
	const char *limit = cli_value(args, "limit");
	unsigned long long v;

	page->paged = offset != NULL || limit != NULL;
	page->offset = 0;
	page->limit = CLI_PAGE_DEFAULT_LIMIT;
	if (offset != NULL) {
		if (!cli_number(offset, 0, INT64_MAX, &v))
			return cli_usage_error(cli,
			                       "--offset needs a whole number "
			                       "of 0 or more, not '%s'",
			                       offset);
		page->offset = (int64_t)v;
	}
	if (limit != NULL) {
		if (!cli_number(limit, 1, XDR_PAGE_MAX_LIMIT, &v))
			return cli_usage_error(cli,
			                       "--limit needs a number from 1 "
			                       "to %d, not '%s'",
			                       XDR_PAGE_MAX_LIMIT, limit);
		page->limit = (int64_t)v;
	}
	return CLI_OK;
}

bool cli_number(const char *s, unsigned long long min, unsigned long long max,
                unsigned long long *out)
{
	unsigned long long v = 0;

	if (s == NULL || *s == '\0')
		return false;
	for (const char *p = s; *p; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (*p < '0' || *p > '9')
			return false;
		if (v > max / 10 || (v == max / 10 && d > max % 10))
			return false;
		v = v * 10 + d;
	}
	if (v < min)
		return false;
	*out = v;
	return true;
}
