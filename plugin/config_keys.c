/*
 * config_keys.c - reading the plugin's own settings.
 */
#include <config.h>

#include "config_keys.h"

#include <stdlib.h>
#include <string.h>

#include "store.h"

int64_t itg_config_int(const struct itg_plugin *p, const char *key,
                       int64_t fallback)
{
	char *value = NULL;
	char *end;
	long long n;

	if (itg_store_config_get(p->store, key, &value, NULL, 0) != XDR_OK ||
	    value == NULL || value[0] == '\0') {
		free(value);
		return fallback;
	}
	n = strtoll(value, &end, 10);
	if (*end != '\0')
		n = fallback;
	free(value);
	return n;
}

int itg_config_list(const struct itg_plugin *p, const char *key, char ***list,
                    size_t *n, char **storage)
{
	char *value = NULL, *save = NULL;
	size_t count = 1;
	int rc;

	*list = NULL;
	*n = 0;
	*storage = NULL;
	rc = itg_store_config_get(p->store, key, &value, NULL, 0);
	if (rc != XDR_OK || value[0] == '\0') {
		free(value);
		return rc == XDR_OK || rc == XDR_ENOTFOUND ? 0 : rc;
	}
	for (const char *c = value; *c != '\0'; c++)
		count += *c == ',';
	*list = calloc(count, sizeof(**list));
	if (*list == NULL) {
		free(value);
		return XDR_ENOMEM;
	}
	for (char *d = strtok_r(value, ",", &save); d != NULL;
	     d = strtok_r(NULL, ",", &save))
		(*list)[(*n)++] = d;
	*storage = value;
	return 0;
}
