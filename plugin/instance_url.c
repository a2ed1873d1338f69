/*
 * instance_url.c - where an instance's API lives.
 */
#include <config.h>

#include "instance_url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

char *itg_region_url(const struct itg_plugin *p, enum itg_region region)
{
	const char *name = itg_region_name(region);
	char key[32];
	char *value = NULL;

	if (name == NULL)
		return NULL;
	snprintf(key, sizeof(key), ITG_REGION_URL_SETTING "%s", name);
	if (itg_store_config_get(p->store, key, &value, NULL, 0) == XDR_OK &&
	    value != NULL && value[0] != '\0')
		return value;
	free(value);
	return strdup(itg_region_default_url(region));
}

char *itg_instance_url(const struct itg_plugin *p,
                       const struct itg_instance *inst)
{
	if (inst->region == ITG_REGION_NONE)
		return inst->url != NULL ? strdup(inst->url) : NULL;
	return itg_region_url(p, inst->region);
}
