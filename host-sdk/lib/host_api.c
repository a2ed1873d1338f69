/*
 * host_api.c - the struct xdr_host_api handed to one plugin: every service
 * knows which plugin calls it, and is safe to call from any thread.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xdrhost.h"

struct xdr_host {
	struct xdr_host_api api;
	struct xdr_runtime *rt;
	char *name;
	char *state_dir;
};

/* The buffer rule of plugin.h: the string and XDR_OK, or XDR_ERANGE and the
 * size needed, NUL included. */
static int fill(const char *value, char *buf, size_t size, size_t *needed)
{
	size_t n = strlen(value) + 1;

	if (needed != NULL)
		*needed = n;
	if (buf == NULL || size < n) {
		if (buf != NULL && size > 0)
			buf[0] = '\0';
		return XDR_ERANGE;
	}
	memcpy(buf, value, n);
	return XDR_OK;
}

static void h_log(struct xdr_host *h, enum xdr_log_level level,
                  const char *message)
{
	if (h == NULL)
		return;
	xdr_log_write(h->rt->log, level, h->name, message ? message : "");
}

/* Tell the plugin's author why a call was refused, in the log. */
static void complain(struct xdr_host *h, const char *service,
                     const struct xdr_err *err)
{
	char line[XDR_ERR_MAX + 64];

	snprintf(line, sizeof(line), "%s: %s", service, err->msg);
	xdr_log_write(h->rt->log, XDR_LOG_WARNING, h->name, line);
}

static int h_emit_event(struct xdr_host *h, const struct xdr_event *ev)
{
	struct xdr_err err;
	int rc;

	if (h == NULL)
		return XDR_EINVAL;
	rc = xdr_event_append(h->rt->db, h->name, (int64_t)time(NULL), ev, NULL,
	                      &err);
	if (rc != XDR_OK)
		complain(h, "emit_event", &err);
	return rc;
}

static int h_get_setting(struct xdr_host *h, const char *key, char *buf,
                         size_t size, size_t *needed)
{
	struct xdr_err err;
	char *value;
	int rc;

	if (h == NULL || key == NULL)
		return XDR_EINVAL;
	rc = xdr_setting_get(h->rt->db, key, &value, &err);
	if (rc != XDR_OK)
		return rc;
	rc = fill(value, buf, size, needed);
	free(value);
	return rc;
}

static int h_get_state_dir(struct xdr_host *h, char *buf, size_t size,
                           size_t *needed)
{
	if (h == NULL)
		return XDR_EINVAL;
	return fill(h->state_dir, buf, size, needed);
}

/* Enumerations copy the rows first and call the plugin without holding the
 * database lock, so that a callback may call the host again. */
static int h_list_groups(struct xdr_host *h, xdr_group_fn fn, void *user)
{
	struct xdr_group_list list;
	struct xdr_err err;
	int rc;

	if (h == NULL || fn == NULL)
		return XDR_EINVAL;
	rc = xdr_group_list(h->rt->db, &list, &err);
	if (rc != XDR_OK) {
		complain(h, "list_groups", &err);
		return rc;
	}
	for (size_t i = 0; i < list.n && rc == 0; i++) {
		struct xdr_group g = {sizeof(g), list.items[i].id,
		                      list.items[i].name, list.items[i].email};

		rc = fn(user, &g);
	}
	xdr_group_list_free(&list);
	return rc;
}

static int h_list_systems(struct xdr_host *h, int64_t group_id,
                          xdr_system_fn fn, void *user)
{
	struct xdr_system_list list;
	struct xdr_err err;
	int rc;

	if (h == NULL || fn == NULL || group_id < 0)
		return XDR_EINVAL;
	rc = xdr_system_list(h->rt->db, group_id, &list, &err);
	if (rc == XDR_ENOTFOUND)
		return rc;
	if (rc != XDR_OK) {
		complain(h, "list_systems", &err);
		return rc;
	}
	for (size_t i = 0; i < list.n && rc == 0; i++) {
		const struct xdr_system_rec *r = &list.items[i];
		struct xdr_system s = {
		        .struct_size = sizeof(s),
		        .id = r->id,
		        .name = r->name,
		        .group_id = r->group_id,
		        .os = r->os,
		        .sensor = r->sensor,
		        .agent_version = r->agent_version,
		        .macs = r->n_macs ? (const char *const *)r->macs : NULL,
		        .n_macs = r->n_macs,
		};

		rc = fn(user, &s);
	}
	xdr_system_list_free(&list);
	return rc;
}

static int h_get_report(struct xdr_host *h, int64_t report_id, xdr_report_fn fn,
                        void *user)
{
	struct xdr_report_rec r;
	struct xdr_err err;
	int rc;

	if (h == NULL || fn == NULL)
		return XDR_EINVAL;
	rc = xdr_report_get(h->rt->db, report_id, &r, &err);
	if (rc == XDR_ENOTFOUND)
		return rc;
	if (rc != XDR_OK) {
		complain(h, "get_report", &err);
		return rc;
	}
	{
		struct xdr_report rep = {
		        .struct_size = sizeof(rep),
		        .id = r.id,
		        .title = r.title,
		        .type = r.type,
		        .config_name = r.config,
		        .publish_itglue = r.publish_itglue ? 1 : 0,
		        .group_id = r.group_id,
		        .generated_at = r.generated_at,
		        .file_path = r.file_path,
		        .file_name = r.file_name,
		        .file_size = r.size,
		        .system_ids = r.n_systems ? r.system_ids : NULL,
		        .n_system_ids = r.n_systems,
		};

		rc = fn(user, &rep);
	}
	xdr_report_rec_free(&r);
	return rc;
}

static int seal_key(struct xdr_host *h, const struct xdr_seal_key **key)
{
	struct xdr_err err;
	int rc = xdr_runtime_seal_key(h->rt, key, &err);

	if (rc != XDR_OK) {
		xdr_log_write(h->rt->log, XDR_LOG_ERROR, "xdr-host", err.msg);
		return XDR_ERROR;
	}
	return XDR_OK;
}

static int h_seal(struct xdr_host *h, const void *secret, size_t len, char *buf,
                  size_t size, size_t *needed)
{
	const struct xdr_seal_key *key;

	if (h == NULL)
		return XDR_EINVAL;
	if (seal_key(h, &key) != XDR_OK)
		return XDR_ERROR;
	return xdr_seal(key, h->name, secret, len, buf, size, needed, NULL);
}

static int h_unseal(struct xdr_host *h, const char *sealed, void *buf,
                    size_t size, size_t *len)
{
	const struct xdr_seal_key *key;

	if (h == NULL)
		return XDR_EINVAL;
	if (seal_key(h, &key) != XDR_OK)
		return XDR_ERROR;
	return xdr_unseal(key, h->name, sealed, buf, size, len, NULL);
}

int xdr_host_new(struct xdr_runtime *rt, const char *name,
                 struct xdr_host **out, struct xdr_err *err)
{
	struct xdr_host *h;
	char *plugins;
	int rc;

	if (!xdr_plugin_name_valid(name))
		return xdr_errf(err, XDR_EINVAL, "invalid plugin name");
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	h->rt = rt;
	h->name = strdup(name);
	plugins = xdr_path_join(rt->home, "plugins");
	h->state_dir = plugins ? xdr_path_join(plugins, name) : NULL;
	free(plugins);
	if (h->name == NULL || h->state_dir == NULL) {
		xdr_host_free(h);
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	rc = xdr_mkdir_p(h->state_dir, err);
	if (rc != XDR_OK) {
		xdr_host_free(h);
		return rc;
	}
	h->api = (struct xdr_host_api){
	        .struct_size = sizeof(struct xdr_host_api),
	        .abi_major = XDR_PLUGIN_ABI_MAJOR,
	        .abi_minor = XDR_PLUGIN_ABI_MINOR,
	        .host = h,
	        .log = h_log,
	        .emit_event = h_emit_event,
	        .get_setting = h_get_setting,
	        .get_state_dir = h_get_state_dir,
	        .list_groups = h_list_groups,
	        .list_systems = h_list_systems,
	        .get_report = h_get_report,
	        .seal = h_seal,
	        .unseal = h_unseal,
	};
	*out = h;
	return XDR_OK;
}

const struct xdr_host_api *xdr_host_api_of(struct xdr_host *host)
{
	return &host->api;
}

void xdr_host_free(struct xdr_host *host)
{
	if (host == NULL)
		return;
	free(host->name);
	free(host->state_dir);
	free(host);
}
