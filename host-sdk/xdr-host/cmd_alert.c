/*
 * cmd_alert.c - alert enable | disable | list, and alerts: the knowledge
 * pack's alerts and those that fired.
 */
#include "config.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static int set_enabled(struct cli *cli, const char *name, bool enabled)
{
	struct xdr_runtime *rt;
	struct xdr_err err;
	int rc = cli_open(cli, &rt);

	if (rc != CLI_OK)
		return rc;
	if (xdr_alert_set_enabled(rt->db, name, enabled, &err) != XDR_OK)
		rc = cli_fail_err(&err);
	else
		printf("alert \"%s\" %s\n", name,
		       enabled ? "enabled" : "disabled");
	xdr_runtime_close(rt);
	return rc;
}

int cmd_alert_enable(struct cli *cli, struct cli_args *args)
{
	return set_enabled(cli, args->pos[0], true);
}

int cmd_alert_disable(struct cli *cli, struct cli_args *args)
{
	return set_enabled(cli, args->pos[0], false);
}

static struct json_object *alerts_json(const struct xdr_alert_list *list)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr != NULL && i < list->n; i++) {
		const struct xdr_alert_rec *a = &list->items[i];
		struct json_object *o = json_object_new_object();

		if (o == NULL)
			break;
		json_object_object_add(o, "name",
		                       json_object_new_string(a->name));
		json_object_object_add(o, "event_id",
		                       json_object_new_int64(a->event_id));
		json_object_object_add(o, "threat",
		                       json_object_new_string(a->threat));
		json_object_object_add(o, "enabled",
		                       json_object_new_boolean(a->enabled));
		json_object_object_add(o, "pack",
		                       json_object_new_string(a->pack));
		json_object_array_add(arr, o);
	}
	return arr;
}

static int print_alerts(const struct xdr_alert_list *list)
{
	static const char *const header[] = {"NAME", "EVENT", "THREAT",
	                                     "ENABLED"};
	struct cli_table *t = cli_table_new(4, header);
	int rc = t ? CLI_OK : CLI_FAILED;

	for (size_t i = 0; rc == CLI_OK && i < list->n; i++) {
		const struct xdr_alert_rec *a = &list->items[i];
		char id[24];
		const char *row[4] = {a->name, id, a->threat,
		                      a->enabled ? "yes" : "no"};

		snprintf(id, sizeof(id), "%" PRIu32, a->event_id);
		if (cli_table_add(t, row, NULL) != 0)
			rc = CLI_FAILED;
	}
	return cli_table_finish(t, rc);
}

int cmd_alert_list(struct cli *cli, struct cli_args *args)
{
	struct xdr_alert_list list;
	struct xdr_runtime *rt;
	struct xdr_err err;
	int rc = cli_open(cli, &rt);

	if (rc != CLI_OK)
		return rc;
	if (xdr_alert_list(rt->db, &list, &err) != XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		rc = cli_flag(args, "json")
		             ? cli_print_json(alerts_json(&list), false)
		             : print_alerts(&list);
		xdr_alert_list_free(&list);
	}
	xdr_runtime_close(rt);
	return rc;
}

static struct json_object *fired_json(const struct xdr_fired_list *list)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr != NULL && i < list->n; i++) {
		const struct xdr_fired_rec *f = &list->items[i];
		struct json_object *o = json_object_new_object();
		char when[XDR_RFC3339_MAX];

		if (o == NULL)
			break;
		xdr_rfc3339_format(f->time, when);
		json_object_object_add(o, "seq", json_object_new_int64(f->seq));
		json_object_object_add(o, "alert",
		                       json_object_new_string(f->alert));
		json_object_object_add(o, "threat",
		                       json_object_new_string(f->threat));
		json_object_object_add(o, "time", json_object_new_string(when));
		json_object_object_add(o, "event_seq",
		                       json_object_new_int64(f->event_seq));
		json_object_object_add(o, "event_id",
		                       json_object_new_int64(f->event_id));
		json_object_object_add(o, "description",
		                       json_object_new_string(f->description));
		json_object_array_add(arr, o);
	}
	return arr;
}

static int print_fired(const struct xdr_fired_list *list)
{
	static const char *const header[] = {"SEQ",   "TIME",   "ALERT",
	                                     "EVENT", "THREAT", "DESCRIPTION"};
	struct cli_table *t = cli_table_new(6, header);
	int rc = t ? CLI_OK : CLI_FAILED;

	for (size_t i = 0; rc == CLI_OK && i < list->n; i++) {
		const struct xdr_fired_rec *f = &list->items[i];
		char seq[24], ev[24], when[XDR_RFC3339_MAX];
		const char *row[6] = {seq, when,      f->alert,
		                      ev,  f->threat, f->description};

		snprintf(seq, sizeof(seq), "%" PRId64, f->seq);
		snprintf(ev, sizeof(ev), "%" PRIu32, f->event_id);
		xdr_rfc3339_format(f->time, when);
		if (cli_table_add(t, row, NULL) != 0)
			rc = CLI_FAILED;
	}
	return cli_table_finish(t, rc);
}

int cmd_alerts(struct cli *cli, struct cli_args *args)
{
	struct xdr_fired_list list;
	struct xdr_runtime *rt;
	struct xdr_err err;
	int rc = cli_open(cli, &rt);

	if (rc != CLI_OK)
		return rc;
	if (xdr_alert_fired_list(rt->db, &list, &err) != XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		rc = cli_flag(args, "json")
		             ? cli_print_json(fired_json(&list), false)
		             : print_fired(&list);
		xdr_fired_list_free(&list);
	}
	xdr_runtime_close(rt);
	return rc;
}
