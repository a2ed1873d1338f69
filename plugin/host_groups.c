/*
 * host_groups.c - the host's Open XDR groups, copied for the plugin's use.
 */
#include <config.h>

#include "host_groups.h"

#include <stdlib.h>
#include <string.h>

static int copy_group(void *user, const struct xdr_group *g)
{
	struct itg_groups *out = user;
	struct itg_group *items;
	struct itg_group *copy;

	items = realloc(out->items, (out->n + 1) * sizeof(*items));
	if (items == NULL)
		return XDR_ENOMEM;
	out->items = items;
	copy = &items[out->n];
	copy->id = g->id;
	copy->name = strdup(g->name != NULL ? g->name : "");
	copy->email = g->email != NULL ? strdup(g->email) : NULL;
	if (copy->name == NULL || (g->email != NULL && copy->email == NULL)) {
		free(copy->name);
		free(copy->email);
		return XDR_ENOMEM;
	}
	out->n++;
	return 0;
}

int itg_host_groups(const struct itg_plugin *p, struct itg_groups *out)
{
	int rc;

	out->items = NULL;
	out->n = 0;
	rc = p->api->list_groups(p->api->host, copy_group, out);
	if (rc != XDR_OK)
		itg_groups_clear(out);
	return rc;
}

void itg_groups_clear(struct itg_groups *groups)
{
	for (size_t i = 0; i < groups->n; i++) {
		free(groups->items[i].name);
		free(groups->items[i].email);
	}
	free(groups->items);
	groups->items = NULL;
	groups->n = 0;
}

const struct itg_group *itg_groups_by_id(const struct itg_groups *groups,
                                         int64_t id)
{
	for (size_t i = 0; i < groups->n; i++) {
		if (groups->items[i].id == id)
			return &groups->items[i];
	}
	return NULL;
}

const struct itg_group *itg_groups_by_name(const struct itg_groups *groups,
                                           const char *name)
{
	for (size_t i = 0; i < groups->n; i++) {
		if (strcmp(groups->items[i].name, name) == 0)
			return &groups->items[i];
	}
	return NULL;
}
