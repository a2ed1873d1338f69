/*
 * runtime.c - what one run of the host works with: its home, the database,
 * the log and, when a plugin first needs it, the seal key.
 */
#include "config.h"

#include <stdlib.h>

#include "compat/os.h"
#include "xdrhost.h"

struct xdr_keyring {
	os_mutex lock;
	char *path;
	struct xdr_seal_key *key;
};

static struct xdr_keyring *keyring_new(const char *home)
{
	struct xdr_keyring *k = calloc(1, sizeof(*k));

	if (k == NULL)
		return NULL;
	k->path = xdr_path_join(home, "seal.key");
	if (k->path == NULL) {
		free(k);
		return NULL;
	}
	os_mutex_init(&k->lock);
	return k;
}

static void keyring_free(struct xdr_keyring *k)
{
	if (k == NULL)
		return;
	xdr_seal_key_free(k->key);
	os_mutex_destroy(&k->lock);
	free(k->path);
	free(k);
}

int xdr_runtime_open(struct xdr_runtime **out, const char *home_opt,
                     bool verbose, struct xdr_err *err)
{
	struct xdr_runtime *rt = calloc(1, sizeof(*rt));
	char *db_path = NULL, *log_path = NULL;
	int rc;

	if (rt == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	rc = xdr_home_resolve(home_opt, &rt->home, err);
	if (rc == XDR_OK) {
		db_path = xdr_path_join(rt->home, "xdr.db");
		log_path = xdr_path_join(rt->home, "xdr-host.log");
		if (db_path == NULL || log_path == NULL)
			rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	if (rc == XDR_OK)
		rc = xdr_db_open(&rt->db, db_path, err);
	if (rc == XDR_OK) {
		rt->log = xdr_log_new(log_path, verbose);
		rt->keys = keyring_new(rt->home);
		if (rt->log == NULL || rt->keys == NULL)
			rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	free(db_path);
	free(log_path);
	if (rc != XDR_OK) {
		xdr_runtime_close(rt);
		return rc;
	}
	*out = rt;
	return XDR_OK;
}

void xdr_runtime_close(struct xdr_runtime *rt)
{
	if (rt == NULL)
		return;
	keyring_free(rt->keys);
	xdr_log_free(rt->log);
	xdr_db_close(rt->db);
	free(rt->home);
	free(rt);
}

int xdr_runtime_seal_key(struct xdr_runtime *rt,
                         const struct xdr_seal_key **key, struct xdr_err *err)
{
	struct xdr_keyring *k = rt->keys;
	int rc = XDR_OK;

	os_mutex_lock(&k->lock);
	/* A failure is not remembered: fixing the key file's mode takes
	 * effect without a restart. */
	if (k->key == NULL)
		rc = xdr_seal_key_load(k->path, &k->key, err);
	if (rc == XDR_OK)
		*key = k->key;
	os_mutex_unlock(&k->lock);
	return rc;
}
