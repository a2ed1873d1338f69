/*
 * err.c - status codes and messages.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "xdrhost.h"

int xdr_errf(struct xdr_err *err, int status, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return status;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return status;
}

const char *xdr_status_name(int status)
{
	switch (status) {
	case XDR_OK:
		return "success";
	case XDR_ERROR:
		return "failure";
	case XDR_EINVAL:
		return "invalid argument";
	case XDR_ENOTFOUND:
		return "not found";
	case XDR_ERANGE:
		return "buffer too small";
	case XDR_ENOMEM:
		return "out of memory";
	case XDR_EDISABLED:
		return "disabled";
	case XDR_EBUSY:
		return "busy";
	case XDR_EINTERRUPTED:
		return "interrupted";
	default:
		return "unknown status";
	}
}
