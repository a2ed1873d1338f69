/*
 * cmd_search.c - search NAME [--json]: run a saved search of the knowledge
 * pack over the event log; search list: the saved searches.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static int print_events(const struct xdr_event_list *list)
{
	static const char *const header[] = {"SEQ", "TIME", "ID",
	                                     "DESCRIPTION"};
	struct cli_table *t = cli_table_new(4, header);
	int rc = t ? CLI_OK : CLI_FAILED;

	for (size_t i = 0; rc == CLI_OK && i < list->n; i++) {
		const struct xdr_event_rec *e = &list->items[i];
		char seq[24], id[24], when[XDR_RFC3339_MAX];
		const char *row[4] = {seq, when, id, e->description};

		snprintf(seq, sizeof(seq), "%" PRId64, e->seq);
		snprintf(id, sizeof(id), "%" PRIu32, e->id);
		xdr_rfc3339_format(e->time, when);
		if (cli_table_add(t, row, NULL) != 0)
			rc = CLI_FAILED;
	}
	return cli_table_finish(t, rc);
}

int cmd_search(struct cli *cli, struct cli_args *args)
{
	struct xdr_event_list list;
	struct xdr_runtime *rt;
	struct xdr_err err;
	int rc = cli_open(cli, &rt);

	if (rc != CLI_OK)
		return rc;
	if (xdr_search_run(rt->db, args->pos[0], &list, &err) != XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		if (cli_flag(args, "json"))
			rc = cli_print_json(xdr_json_events(&list), false);
		else
			rc = print_events(&list);
		xdr_event_list_free(&list);
	}
	xdr_runtime_close(rt);
	return rc;
}

int cmd_search_list(struct cli *cli, struct cli_args *args)
{
	struct xdr_runtime *rt;
	struct xdr_err err;
	char **names;
	size_t n;
	int rc = cli_open(cli, &rt);

	(void)args;
	if (rc != CLI_OK)
		return rc;
	if (xdr_kp_object_names(rt->db, XDR_KP_SEARCH, &names, &n, &err) !=
	    XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", names[i]);
		xdr_kp_names_free(names, n);
	}
	xdr_runtime_close(rt);
	return rc;
}
