/*
 * hello.c - a plugin as a third party writes it: against the installed
 * xdr/plugin.h alone (pkg-config --cflags xdr-plugin), linked with nothing
 * but the C library.
 *
 * It answers two admin actions: "status" ({"busy": false}, as every plugin
 * must) and "hello", which logs a line, emits event 9001 and answers
 * {"greeting": "hello from a third party", "ticks": N}.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xdr/plugin.h>

struct hello_state {
	const struct xdr_host_api *api;
	unsigned long ticks;
};

static int hello_init(const struct xdr_host_api *api, void **state, char *err,
                      size_t errsize)
{
	struct hello_state *st;

	st = calloc(1, sizeof(*st));
	if (st == NULL) {
		snprintf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	st->api = api;
	*state = st;
	return XDR_OK;
}

static void hello_shutdown(void *state)
{
	free(state);
}

static int hello_report(void *state, int64_t report_id)
{
	(void)state;
	(void)report_id;
	return XDR_OK;
}

static int hello_tick(void *state, int64_t now)
{
	struct hello_state *st = state;

	(void)now;
	st->ticks++;
	return XDR_OK;
}

/* A JSON answer, which the host releases with hello_free(). */
__attribute__((format(printf, 3, 4))) static int
hello_answer(char **response, int status, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	*response = len < 0 ? NULL : malloc((size_t)len + 1);
	if (*response == NULL)
		return XDR_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(*response, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return status;
}

static int hello_greet(struct hello_state *st, char **response)
{
	const struct xdr_event event = {
	        .struct_size = sizeof(event),
	        .id = 9001,
	        .severity = XDR_SEVERITY_INFO,
	        .category = "Hello",
	        .description = "A third-party plugin said hello.",
	};
	int rc;

	st->api->log(st->api->host, XDR_LOG_INFO, "hello from a third party");
	rc = st->api->emit_event(st->api->host, &event);
	if (rc != XDR_OK)
		return hello_answer(response, rc,
		                    "{\"error\": {\"code\": \"event_refused\", "
		                    "\"message\": \"the host refused event "
		                    "9001 (status %d)\"}}",
		                    rc);
	return hello_answer(response, XDR_OK,
	                    "{\"greeting\": \"hello from a third party\", "
	                    "\"ticks\": %lu}",
	                    st->ticks);
}

static int hello_admin(void *state, const char *action, const char *request,
                       char **response)
{
	(void)request;
	if (strcmp(action, "status") == 0)
		return hello_answer(response, XDR_OK, "{\"busy\": false}");
	if (strcmp(action, "hello") == 0)
		return hello_greet(state, response);
	return hello_answer(response, XDR_EINVAL,
	                    "{\"error\": {\"code\": \"unknown_action\", "
	                    "\"message\": \"%s\"}}",
	                    "unknown action; known: status, hello");
}

static void hello_free(void *ptr)
{
	free(ptr);
}

static const struct xdr_plugin hello_plugin = {
        .struct_size = sizeof(struct xdr_plugin),
        .abi_major = XDR_PLUGIN_ABI_MAJOR,
        .abi_minor = XDR_PLUGIN_ABI_MINOR,
        .name = "hello",
        .version = "1.0.0",
        .description = "A third-party plugin built against the installed SDK",
        .init = hello_init,
        .shutdown = hello_shutdown,
        .on_report_generated = hello_report,
        .on_schedule_tick = hello_tick,
        .on_admin_action = hello_admin,
        .free = hello_free,
};

XDR_PLUGIN_EXPORT const struct xdr_plugin *xdr_plugin_entry(void);

XDR_PLUGIN_EXPORT const struct xdr_plugin *xdr_plugin_entry(void)
{
	return &hello_plugin;
}
