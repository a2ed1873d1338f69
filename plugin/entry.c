/*
 * entry.c - the plugin's descriptor: init, shutdown and the hooks.
 *
 * This is the only file that knows the host calls in; everything it does is
 * delegated to the file that owns the job.
 */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xdr/plugin.h>

#include "admin.h"
#include "automap.h"
#include "errbuf.h"
#include "gate.h"
#include "http.h"
#include "itglue.h"
#include "outbox_store.h"
#include "publish.h"
#include "log.h"
#include "store.h"
#include "store_ready.h"
#include "worker.h"

/* A first guess at the state directory's length, and a bound on it. */
#define STATE_DIR_GUESS 256
#define STATE_DIR_MAX   (64 * 1024)

XDR_PLUGIN_EXPORT const struct xdr_plugin *xdr_plugin_entry(void);

static int check_api(const struct xdr_host_api *api, char *err, size_t errsize)
{
	const char *missing = NULL;

	if (api == NULL) {
		itg_errf(err, errsize, "no host API table");
		return XDR_EINVAL;
	}
	if (api->struct_size < XDR_HOST_API_MIN_SIZE_1_0) {
		itg_errf(err, errsize,
		         "host API table too small: %" PRIu32
		         " bytes, ABI 1.0 needs at least %zu",
		         api->struct_size, (size_t)XDR_HOST_API_MIN_SIZE_1_0);
		return XDR_EINVAL;
	}
	if (api->abi_major != XDR_PLUGIN_ABI_MAJOR) {
		itg_errf(err, errsize,
		         "host has ABI %u.%u, this plugin was built for ABI "
		         "%d.%d",
		         (unsigned int)api->abi_major,
		         (unsigned int)api->abi_minor, XDR_PLUGIN_ABI_MAJOR,
		         XDR_PLUGIN_ABI_MINOR);
		return XDR_EINVAL;
	}
	if (api->log == NULL)
		missing = "log";
	else if (api->emit_event == NULL)
		missing = "emit_event";
	else if (api->get_setting == NULL)
		missing = "get_setting";
	else if (api->get_state_dir == NULL)
		missing = "get_state_dir";
	else if (api->list_groups == NULL)
		missing = "list_groups";
	else if (api->list_systems == NULL)
		missing = "list_systems";
	else if (api->get_report == NULL)
		missing = "get_report";
	else if (api->seal == NULL)
		missing = "seal";
	else if (api->unseal == NULL)
		missing = "unseal";
	if (missing != NULL) {
		itg_errf(err, errsize, "host API table lacks %s", missing);
		return XDR_EINVAL;
	}
	return XDR_OK;
}

/* Ask the host for the state directory, growing the buffer once if the host
 * says it needs more room. */
static int get_state_dir(const struct xdr_host_api *api, char **out, char *err,
                         size_t errsize)
{
	size_t size = STATE_DIR_GUESS;
	size_t needed;
	char *buf;
	int attempt;
	int rc = XDR_ERROR;

	for (attempt = 0; attempt < 2; attempt++) {
		buf = malloc(size);
		if (buf == NULL) {
			itg_errf(err, errsize,
			         "out of memory reading the state directory");
			return XDR_ENOMEM;
		}
		needed = 0;
		rc = api->get_state_dir(api->host, buf, size, &needed);
		if (rc == XDR_OK && memchr(buf, '\0', size) != NULL &&
		    buf[0] != '\0') {
			*out = buf;
			return XDR_OK;
		}
		free(buf);
		if (rc != XDR_ERANGE || needed <= size ||
		    needed > STATE_DIR_MAX)
			break;
		size = needed;
	}
	if (rc == XDR_OK) {
		itg_errf(err, errsize,
		         "the host gave an empty or unterminated state "
		         "directory");
		return XDR_ERROR;
	}
	itg_errf(err, errsize, "cannot get the state directory (status %d)",
	         rc);
	return rc;
}

static void destroy(struct itg_plugin *p)
{
	/* The worker goes first: its jobs may still use the store. */
	itg_worker_free(p->worker);
	if (p->curl_ready)
		itg_http_global_cleanup();
	itg_store_close(p->store);
	itg_store_gate_free(p);
	free(p->state_dir);
	free(p);
}

static int itg_init(const struct xdr_host_api *api, void **state, char *err,
                    size_t errsize)
{
	struct itg_plugin *p;
	int rc;

	if (state == NULL) {
		itg_errf(err, errsize, "no place for the plugin's state");
		return XDR_EINVAL;
	}
	*state = NULL;
	rc = check_api(api, err, errsize);
	if (rc != XDR_OK)
		return rc;
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	p->api = api;
	rc = get_state_dir(api, &p->state_dir, err, errsize);
	/* A storage fault does not refuse the plugin: it starts without its
	 * database, and opens it at the first call after the fault went. */
	if (rc == XDR_OK)
		rc = itg_store_start(p, err, errsize);
	/* libcurl's global state is reference counted: one init per plugin
	 * start, one cleanup per stop, both outside any other thread. */
	if (rc == XDR_OK && (rc = itg_http_global_init(err, errsize)) == 0)
		p->curl_ready = true;
	if (rc == XDR_OK)
		rc = itg_worker_start(&p->worker, err, errsize);
	if (rc != XDR_OK) {
		destroy(p);
		return rc;
	}
	itg_outbox_owner(p->owner, sizeof(p->owner));
	if (p->store != NULL) {
		itg_store_opened(p);
		itg_log(p, XDR_LOG_INFO,
		        "started: version %s, schema %d, integration %s, state "
		        "in %s",
		        PACKAGE_VERSION, itg_store_schema_version(p->store),
		        itg_integration_enabled(p) ? "enabled" : "disabled",
		        p->state_dir);
	} else {
		itg_log(p, XDR_LOG_INFO,
		        "started without its state database: version %s, "
		        "integration %s, state in %s",
		        PACKAGE_VERSION,
		        itg_integration_enabled(p) ? "enabled" : "disabled",
		        p->state_dir);
	}
	*state = p;
	return XDR_OK;
}

static void itg_shutdown(void *state)
{
	struct itg_plugin *p = state;

	if (p == NULL)
		return;
	itg_log(p, XDR_LOG_INFO, "stopping");
	destroy(p);
}

static int itg_on_report_generated(void *state, int64_t report_id)
{
	struct itg_plugin *p = state;

	if (p == NULL)
		return XDR_EINVAL;
	if (report_id <= 0) {
		itg_log(p, XDR_LOG_WARNING,
		        "ignoring report id %" PRId64 ": not a report id",
		        report_id);
		return XDR_EINVAL;
	}
	if (!itg_integration_enabled(p)) {
		itg_log(p, XDR_LOG_DEBUG,
		        "integration disabled: ignoring report %" PRId64,
		        report_id);
		return XDR_OK;
	}
	return itg_publish_report_generated(p, report_id);
}

static int itg_on_schedule_tick(void *state, int64_t now)
{
	struct itg_plugin *p = state;

	if (p == NULL)
		return XDR_EINVAL;
	if (!itg_integration_enabled(p)) {
		itg_log(p, XDR_LOG_DEBUG,
		        "integration disabled: ignoring the tick at %" PRId64,
		        now);
		return XDR_OK;
	}
	/* Logged by itg_store_ready(), once per reason. */
	if (itg_store_ready(p, NULL, 0) != XDR_OK)
		return XDR_ERROR;
	itg_automap_tick(p, now);
	itg_publish_tick(p);
	return XDR_OK;
}

static int itg_on_admin_action(void *state, const char *action,
                               const char *request, char **response)
{
	return itg_admin_handle(state, action, request, response);
}

/* The host must release what the plugin allocated with the plugin's own C
 * runtime, which on Windows may differ from the host's. */
static void itg_free(void *ptr)
{
	free(ptr);
}

static const struct xdr_plugin descriptor = {
        .struct_size = sizeof(struct xdr_plugin),
        .abi_major = XDR_PLUGIN_ABI_MAJOR,
        .abi_minor = XDR_PLUGIN_ABI_MINOR,
        .name = ITG_PLUGIN_NAME,
        .version = PACKAGE_VERSION,
        .description = "IT Glue: map groups and systems, publish summary "
                       "reports",
        .init = itg_init,
        .shutdown = itg_shutdown,
        .on_report_generated = itg_on_report_generated,
        .on_schedule_tick = itg_on_schedule_tick,
        .on_admin_action = itg_on_admin_action,
        .free = itg_free,
};

XDR_PLUGIN_EXPORT const struct xdr_plugin *xdr_plugin_entry(void)
{
	return &descriptor;
}
