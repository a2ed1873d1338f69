/*
 * cmd_events.c - events [--id N] [--json]: the event log.
 */
#include "config.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compat/os.h"

/* S on the current line: control characters and line separators as
 * spaces, so that no name or value forges a line. */
static void put_flat(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		size_t n = xdr_line_break_len(s);

		if (n > 0) {
			fputc(' ', f);
			s += n - 1;
		} else {
			fputc(*s, f);
		}
	}
}

/* "    name: value" lines of an event's fields (stored as a JSON object). */
static char *field_lines(const char *fields)
{
	struct json_object *obj;
	struct os_memstream ms;
	char *out;
	FILE *f;

	if (xdr_json_parse(fields, strlen(fields), 4, &obj, NULL) != XDR_OK)
		return NULL;
	if (os_memstream_open(&ms) != 0) {
		json_object_put(obj);
		return NULL;
	}
	f = ms.f;
	if (json_object_is_type(obj, json_type_object)) {
		json_object_object_foreach(obj, name, value)
		{
			fputs("    ", f);
			put_flat(f, name);
			fputs(": ", f);
			put_flat(f, json_object_get_string(value));
			fputc('\n', f);
		}
	}
	out = os_memstream_close(&ms, NULL);
	json_object_put(obj);
	return out;
}

static int print_text(const struct xdr_event_list *list)
{
	static const char *const header[] = {
	        "SEQ", "TIME", "ID", "SEVERITY", "SOURCE", "DESCRIPTION"};
	struct cli_table *t = cli_table_new(6, header);
	int rc = t ? CLI_OK : CLI_FAILED;

	for (size_t i = 0; rc == CLI_OK && i < list->n; i++) {
		const struct xdr_event_rec *e = &list->items[i];
		char seq[24], id[24], when[XDR_RFC3339_MAX];
		const char *row[6] = {seq,         when,      id,
		                      e->severity, e->source, e->description};
		char *after = field_lines(e->fields);

		snprintf(seq, sizeof(seq), "%" PRId64, e->seq);
		snprintf(id, sizeof(id), "%" PRIu32, e->id);
		xdr_rfc3339_format(e->time, when);
		if (cli_table_add(t, row, after) != 0)
			rc = CLI_FAILED;
		free(after);
	}
	return cli_table_finish(t, rc);
}

int cmd_events(struct cli *cli, struct cli_args *args)
{
	const char *s = cli_value(args, "id");
	unsigned long long id = 0;
	struct xdr_event_list list;
	struct xdr_runtime *rt;
	struct cli_page page;
	struct xdr_err err;
	int64_t total = 0;
	int rc, status;

	if (s != NULL && !cli_number(s, 1, UINT32_MAX, &id))
		return cli_usage_error(cli,
		                       "--id needs an event id from 1 to "
		                       "4294967295, not '%s'",
		                       s);
	rc = cli_page_options(cli, args, &page);
	if (rc != CLI_OK)
		return rc;
	rc = cli_open(cli, &rt);
	if (rc != CLI_OK)
		return rc;
	if (page.paged)
		status = xdr_event_page(rt->db, (uint32_t)id, page.offset,
		                        page.limit, &list, &total, &err);
	else
		status = xdr_event_list(rt->db, (uint32_t)id, &list, &err);
	if (status != XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		bool json = cli_flag(args, "json");

		if (json && page.paged)
			rc = cli_print_json(
			        xdr_json_page(total, page.offset, page.limit,
			                      xdr_json_events(&list)),
			        false);
		else if (json)
			rc = cli_print_json(xdr_json_events(&list), false);
		else
			rc = print_text(&list);
		if (rc == CLI_OK && !json && page.paged)
			cli_print_page_line(&page, list.n, total);
		xdr_event_list_free(&list);
	}
	xdr_runtime_close(rt);
	return rc;
}
