/*
 * instance_client.c - an IT Glue client for one instance, on the worker.
 */
#include <config.h>

#include "instance_client.h"

#include <stdlib.h>
#include <string.h>

#include "config_keys.h"
#include "errbuf.h"
#include "instance_url.h"
#include "secret.h"

/* Longest API key the plugin unseals. */
#define KEY_MAX 1024

static bool job_cancelled(void *user)
{
	return itg_job_should_stop(user);
}

static bool job_sleep(void *user, unsigned int ms)
{
	return itg_job_sleep(user, ms);
}

int itg_instance_client(struct itg_plugin *p, const struct itg_instance *inst,
                        const char *url, struct itg_job_ctx *ctx,
                        const struct itg_client_config *base,
                        struct itg_client **out, char *err, size_t errsize)
{
	const struct xdr_host_api *api = p->api;
	struct itg_client_config cfg;
	char key[KEY_MAX + 1];
	char *own_url = NULL;
	size_t len = 0;
	int64_t timeout_s;
	int rc;

	*out = NULL;
	if (base != NULL)
		cfg = *base;
	else
		memset(&cfg, 0, sizeof(cfg));
	if (url == NULL) {
		own_url = itg_instance_url(p, inst);
		if (own_url == NULL) {
			itg_errf(err, errsize, "out of memory");
			return XDR_ENOMEM;
		}
		url = own_url;
	}
	rc = api->unseal(api->host, inst->key_sealed, key, KEY_MAX, &len);
	if (rc != XDR_OK) {
		free(own_url);
		itg_errf(err, errsize,
		         "the host cannot unseal the API key of instance "
		         "\"%s\" (%d): set it again with instance.update",
		         inst->name, rc);
		return XDR_ERROR;
	}
	key[len] = '\0';
	cfg.base_url = url;
	cfg.api_key = key;
	cfg.ca_file = inst->ca_file;
	cfg.proxy = inst->proxy;
	cfg.rate_requests = (uint32_t)inst->rate_requests;
	cfg.rate_window_s = (uint32_t)inst->rate_seconds;
	/* The administrator's bound, where it is shorter than the caller's
	 * own (Test Connection's). */
	timeout_s = itg_config_int(p, ITG_CONFIG_REQUEST_TIMEOUT, 0);
	if (timeout_s > 0 && timeout_s <= ITG_REQUEST_TIMEOUT_MAX &&
	    (cfg.timeout_ms == 0 ||
	     (uint64_t)timeout_s * 1000 < cfg.timeout_ms))
		cfg.timeout_ms = (uint32_t)timeout_s * 1000;
	if (ctx != NULL) {
		cfg.cancel = job_cancelled;
		cfg.cancel_user = ctx;
		cfg.sleep = job_sleep;
		cfg.sleep_user = ctx;
	}
	rc = itg_client_new(&cfg, out, err, errsize);
	itg_secret_wipe(key, sizeof(key));
	free(own_url);
	return rc;
}
