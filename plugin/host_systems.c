/*
 * host_systems.c - the host's Open XDR systems, copied for the plugin's use.
 */
#include <config.h>

#include "host_systems.h"

#include <stdlib.h>
#include <string.h>

static void system_clear(struct itg_system *s)
{
	for (size_t i = 0; i < s->n_macs; i++)
		free(s->macs[i]);
	free(s->macs);
	free(s->name);
}

static int copy_system(void *user, const struct xdr_system *in)
{
	struct itg_systems *out = user;
	struct itg_system *items, *s;

	items = realloc(out->items, (out->n + 1) * sizeof(*items));
	if (items == NULL)
		return XDR_ENOMEM;
	out->items = items;
	s = &items[out->n];
	memset(s, 0, sizeof(*s));
	s->id = in->id;
	s->group_id = in->group_id;
	s->os = in->os;
	s->sensor = in->sensor;
	s->name = strdup(in->name != NULL ? in->name : "");
	s->macs = in->n_macs > 0 ? calloc(in->n_macs, sizeof(*s->macs)) : NULL;
	if (s->name == NULL || (in->n_macs > 0 && s->macs == NULL)) {
		system_clear(s);
		return XDR_ENOMEM;
	}
	for (size_t i = 0; i < in->n_macs; i++) {
		s->macs[i] = strdup(in->macs[i] != NULL ? in->macs[i] : "");
		if (s->macs[i] == NULL) {
			s->n_macs = i;
			system_clear(s);
			return XDR_ENOMEM;
		}
	}
	s->n_macs = in->n_macs;
	out->n++;
	return 0;
}

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const struct itg_system *)a)->id;
	int64_t y = ((const struct itg_system *)b)->id;

	return x < y ? -1 : x > y;
}

int itg_host_systems(const struct itg_plugin *p, int64_t group_id,
                     struct itg_systems *out)
{
	int rc;

	out->items = NULL;
	out->n = 0;
	rc = p->api->list_systems(p->api->host, group_id, copy_system, out);
	if (rc != XDR_OK)
		itg_systems_clear(out);
	else if (out->n > 1)
		/* The ABI says id order; sorting makes lookups sure of it. */
		qsort(out->items, out->n, sizeof(*out->items), by_id);
	return rc;
}

void itg_systems_clear(struct itg_systems *systems)
{
	for (size_t i = 0; i < systems->n; i++)
		system_clear(&systems->items[i]);
	free(systems->items);
	systems->items = NULL;
	systems->n = 0;
}

const struct itg_system *itg_systems_by_id(const struct itg_systems *systems,
                                           int64_t id)
{
	struct itg_system key = {.id = id};

	if (systems->n == 0)
		return NULL;
	return bsearch(&key, systems->items, systems->n, sizeof(key), by_id);
}

const struct itg_system *itg_systems_by_name(const struct itg_systems *systems,
                                             const char *name)
{
	for (size_t i = 0; i < systems->n; i++) {
		if (strcmp(systems->items[i].name, name) == 0)
			return &systems->items[i];
	}
	return NULL;
}
