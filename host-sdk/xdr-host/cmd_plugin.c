/*
 * cmd_plugin.c - plugin list: every candidate file of the plugin directory,
 * loaded or why not.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/*
 * A loaded plugin is named; a refused one always by its file too, which is
 * what the administrator removes or replaces ("broken (init_fails.so)").
 */
static char *name_cell(const struct xdr_plugin_rec *p)
{
	char *cell = NULL;

	if (p->loaded || p->name == NULL)
		return strdup(p->loaded ? p->name : p->file);
	if (asprintf(&cell, "%s (%s)", p->name, p->file) < 0)
		return NULL;
	return cell;
}

static int print_text(const struct xdr_plugins *set)
{
	static const char *const header[] = {"NAME", "VERSION", "ABI", "STATE"};
	struct cli_table *t = cli_table_new(4, header);
	int rc = t ? CLI_OK : CLI_FAILED;

	for (size_t i = 0; rc == CLI_OK && i < set->n; i++) {
		const struct xdr_plugin_rec *p = &set->items[i];
		char abi[32], *name = name_cell(p), *state = NULL;
		const char *row[4] = {name, p->version,
		                      p->abi_major >= 0 ? abi : NULL, "loaded"};

		snprintf(abi, sizeof(abi), "%d.%d", p->abi_major, p->abi_minor);
		if (!p->loaded) {
			if (asprintf(&state, "refused: %s", p->error) < 0)
				state = NULL;
			row[3] = state;
		}
		if (name == NULL || row[3] == NULL ||
		    cli_table_add(t, row, NULL) != 0)
			rc = CLI_FAILED;
		free(name);
		free(state);
	}
	return cli_table_finish(t, rc);
}

int cmd_plugin_list(struct cli *cli, struct cli_args *args)
{
	struct xdr_runtime *rt;
	struct xdr_plugins *set;
	int rc = cli_open_plugins(cli, &rt, &set);

	if (rc != CLI_OK)
		return rc;
	if (cli_flag(args, "json"))
		rc = cli_print_json(xdr_json_plugins(set), false);
	else
		rc = print_text(set);
	cli_close(rt, set);
	return rc;
}
