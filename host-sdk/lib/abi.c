/*
 * abi.c - deciding whether a plugin's descriptor fits this host. Pure: it
 * reads the descriptor, never past the size the descriptor declares, and
 * nothing else.
 */
#include "config.h"

#include <string.h>

#include "xdrhost.h"

bool xdr_plugin_name_valid(const char *name)
{
	size_t n;

	if (name == NULL)
		return false;
	n = strnlen(name, XDR_PLUGIN_NAME_MAX + 1);
	if (n == 0 || n > XDR_PLUGIN_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* The callbacks ABI 1.0 requires, in declaration order. */
static const char *missing_callback(const struct xdr_plugin *d)
{
	if (d->init == NULL)
		return "init";
	if (d->shutdown == NULL)
		return "shutdown";
	if (d->on_report_generated == NULL)
		return "on_report_generated";
	if (d->on_schedule_tick == NULL)
		return "on_schedule_tick";
	if (d->on_admin_action == NULL)
		return "on_admin_action";
	if (d->free == NULL)
		return "free";
	return NULL;
}

int xdr_abi_check_for(const struct xdr_plugin *desc, unsigned host_major,
                      unsigned host_minor, struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];
	const char *missing;

	if (desc == NULL)
		return xdr_errf(err, XDR_EINVAL,
		                "entry point returned no descriptor");
	if (desc->struct_size < XDR_PLUGIN_MIN_SIZE_1_0)
		return xdr_errf(err, XDR_EINVAL,
		                "descriptor too small: %u bytes, ABI 1.0 needs "
		                "at least %zu",
		                (unsigned)desc->struct_size,
		                (size_t)XDR_PLUGIN_MIN_SIZE_1_0);
	if (desc->abi_major != host_major || desc->abi_minor > host_minor)
		return xdr_errf(err, XDR_EINVAL,
		                "built for ABI %u.%u, this host has ABI %u.%u",
		                (unsigned)desc->abi_major,
		                (unsigned)desc->abi_minor, host_major,
		                host_minor);
	if (!xdr_plugin_name_valid(desc->name))
		return xdr_errf(err, XDR_EINVAL,
		                "invalid name %s: 1 to %d of [a-z0-9_-]",
		                xdr_quote(desc->name, q, sizeof(q)),
		                XDR_PLUGIN_NAME_MAX);
	if (desc->version == NULL || desc->version[0] == '\0')
		return xdr_errf(err, XDR_EINVAL, "no version");
	missing = missing_callback(desc);
	if (missing != NULL)
		return xdr_errf(err, XDR_EINVAL, "no %s callback", missing);
	return XDR_OK;
}

int xdr_abi_check(const struct xdr_plugin *desc, struct xdr_err *err)
{
	return xdr_abi_check_for(desc, XDR_PLUGIN_ABI_MAJOR,
	                         XDR_PLUGIN_ABI_MINOR, err);
}
