/*
 * settings.c - the host's settings: a fixed table of known keys, each with
 * a default and a validator.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct setting {
	struct xdr_setting_def def;
	bool (*valid)(const char *value);
};

static bool valid_on_off(const char *value)
{
	return strcmp(value, "on") == 0 || strcmp(value, "off") == 0;
}

static const struct setting settings[] = {
        {{"psa_rmm_integration", "off", "Enable PSA/RMM Integration",
          "on or off"},
         valid_on_off},
};

#define N_SETTINGS (sizeof(settings) / sizeof(settings[0]))

size_t xdr_setting_count(void)
{
	return N_SETTINGS;
}

const struct xdr_setting_def *xdr_setting_at(size_t i)
{
	return i < N_SETTINGS ? &settings[i].def : NULL;
}

static const struct setting *find(const char *key)
{
	for (size_t i = 0; key != NULL && i < N_SETTINGS; i++)
		if (strcmp(settings[i].def.key, key) == 0)
			return &settings[i];
	return NULL;
}

static int unknown_key(const char *key, struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX], known[256] = "";
	size_t used = 0;

	for (size_t i = 0; i < N_SETTINGS && used < sizeof(known); i++)
		used += (size_t)snprintf(known + used, sizeof(known) - used,
		                         "%s%s", i ? ", " : "",
		                         settings[i].def.key);
	return xdr_errf(err, XDR_ENOTFOUND,
	                "unknown setting %s (known settings: %s)",
	                xdr_quote(key, q, sizeof(q)), known);
}

int xdr_setting_check(const char *key, const char *value, struct xdr_err *err)
{
	const struct setting *s = find(key);
	char q[XDR_QUOTE_MAX];

	if (s == NULL)
		return unknown_key(key, err);
	if (value == NULL || !s->valid(value))
		return xdr_errf(err, XDR_EINVAL,
		                "invalid value %s for %s: expected %s",
		                xdr_quote(value, q, sizeof(q)), s->def.key,
		                s->def.values);
	return XDR_OK;
}

int xdr_setting_get(struct xdr_db *db, const char *key, char **value,
                    struct xdr_err *err)
{
	const struct setting *s = find(key);
	sqlite3_stmt *st;
	char *v = NULL;
	int rc;

	if (s == NULL)
		return unknown_key(key, err);
	xdr_db_lock(db);
	rc = xdr_db_prepare(db, "SELECT value FROM settings WHERE key = ?1",
	                    &st, err);
	if (rc == XDR_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		switch (sqlite3_step(st)) {
		case SQLITE_ROW:
			rc = xdr_db_column_text(st, 0, &v);
			break;
		case SQLITE_DONE:
			break;
		default:
			rc = xdr_db_fail(db, "reading a setting", err);
		}
		sqlite3_finalize(st);
	}
	xdr_db_unlock(db);
	if (rc != XDR_OK)
		return rc == XDR_ENOMEM ? xdr_errf(err, rc, "out of memory")
		                        : rc;
	/* A value stored by a host whose validator was looser reads as the
	 * default, so that callers only ever see valid values. */
	if (v != NULL && !s->valid(v)) {
		free(v);
		v = NULL;
	}
	if (v == NULL)
		v = strdup(s->def.default_value);
	if (v == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	*value = v;
	return XDR_OK;
}

int xdr_setting_set(struct xdr_db *db, const char *key, const char *value,
                    struct xdr_err *err)
{
	sqlite3_stmt *st;
	int rc = xdr_setting_check(key, value, err);

	if (rc != XDR_OK)
		return rc;
	xdr_db_lock(db);
	rc = xdr_db_prepare(db,
	                    "INSERT INTO settings (key, value) VALUES (?1, ?2)"
	                    " ON CONFLICT (key) DO UPDATE SET value = ?2",
	                    &st, err);
	if (rc == XDR_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = xdr_db_fail(db, "storing a setting", err);
		sqlite3_finalize(st);
	}
	xdr_db_unlock(db);
	return rc;
}
