/*
 * Deliberately broken plugins for the loader's refusal tests. One source,
 * built once per variant with -DBROKEN_<VARIANT>; each variant breaks exactly
 * one rule of the ABI and is otherwise a valid plugin.
 */
#include <stdlib.h>
#include <string.h>

#include "xdr/plugin.h"

#if defined(BROKEN_INIT_FAILS)
static int broken_init(const struct xdr_host_api *api, void **state, char *err,
                       size_t errsize)
{
	(void)api;
	(void)state;
	strncpy(err, "cannot open the frobnicator", errsize - 1);
	err[errsize - 1] = '\0';
	return XDR_ERROR;
}
#else
static int broken_init(const struct xdr_host_api *api, void **state, char *err,
                       size_t errsize)
{
	(void)api;
	(void)err;
	(void)errsize;
	*state = NULL;
	return XDR_OK;
}
#endif

static void broken_shutdown(void *state)
{
	(void)state;
}

static int broken_report(void *state, int64_t report_id)
{
	(void)state;
	(void)report_id;
	return XDR_OK;
}

static int broken_tick(void *state, int64_t now)
{
	(void)state;
	(void)now;
	return XDR_OK;
}

#if !defined(BROKEN_NO_CALLBACK)
static int broken_admin(void *state, const char *action, const char *request,
                        char **response)
{
	(void)state;
	(void)action;
	(void)request;
	*response = NULL;
	return XDR_ERROR;
}
#endif

#if defined(BROKEN_WRONG_MAJOR)
#define BROKEN_MAJOR (XDR_PLUGIN_ABI_MAJOR + 1)
#else
#define BROKEN_MAJOR XDR_PLUGIN_ABI_MAJOR
#endif

#if defined(BROKEN_NEWER_MINOR)
#define BROKEN_MINOR (XDR_PLUGIN_ABI_MINOR + 3)
#else
#define BROKEN_MINOR XDR_PLUGIN_ABI_MINOR
#endif

#if defined(BROKEN_SMALL_STRUCT)
#define BROKEN_SIZE (offsetof(struct xdr_plugin, init))
#else
#define BROKEN_SIZE sizeof(struct xdr_plugin)
#endif

#if defined(BROKEN_NAME)
#define BROKEN_NAME_TEXT BROKEN_NAME
#else
#define BROKEN_NAME_TEXT "broken"
#endif

static const struct xdr_plugin broken_descriptor = {
        .struct_size = BROKEN_SIZE,
        .abi_major = BROKEN_MAJOR,
        .abi_minor = BROKEN_MINOR,
        .name = BROKEN_NAME_TEXT,
        .version = "0.0.1",
        .description = "a plugin that breaks one rule of the ABI",
        .init = broken_init,
        .shutdown = broken_shutdown,
        .on_report_generated = broken_report,
        .on_schedule_tick = broken_tick,
#if defined(BROKEN_NO_CALLBACK)
        .on_admin_action = NULL,
#else
        .on_admin_action = broken_admin,
#endif
        .free = free,
};

#if defined(BROKEN_NO_ENTRY)
/* Exports a function, but not the entry point. */
XDR_PLUGIN_EXPORT const struct xdr_plugin *xdr_plugin_entry_point(void);
XDR_PLUGIN_EXPORT const struct xdr_plugin *xdr_plugin_entry_point(void)
{
	return &broken_descriptor;
}
#elif defined(BROKEN_NULL_DESCRIPTOR)
XDR_PLUGIN_EXPORT const struct xdr_plugin *xdr_plugin_entry(void);
XDR_PLUGIN_EXPORT const struct xdr_plugin *xdr_plugin_entry(void)
{
	/* The descriptor exists, but the entry point does not hand it out. */
	return broken_descriptor.name == NULL ? &broken_descriptor : NULL;
}
#else
XDR_PLUGIN_EXPORT const struct xdr_plugin *xdr_plugin_entry(void);
XDR_PLUGIN_EXPORT const struct xdr_plugin *xdr_plugin_entry(void)
{
	return &broken_descriptor;
}
#endif
