/*
 * gate.c - is the integration switched on?
 */
#include <config.h>

#include "gate.h"

#include <string.h>

#include "log.h"

bool itg_integration_enabled(const struct itg_plugin *p)
{
	/* Room for "off" and "on"; a longer value is not "on" anyway and the
	 * host then answers XDR_ERANGE, which also means disabled. */
	char value[8];
	int rc;

	if (p == NULL || p->api == NULL)
		return false;
	rc = p->api->get_setting(p->api->host, ITG_GATE_SETTING, value,
	                         sizeof(value), NULL);
	if (rc != XDR_OK) {
		itg_log(p, XDR_LOG_DEBUG,
		        "cannot read setting %s (status %d): integration "
		        "treated as disabled",
		        ITG_GATE_SETTING, rc);
		return false;
	}
	/* Never trust the terminator of a buffer filled by the other side. */
	if (memchr(value, '\0', sizeof(value)) == NULL)
		return false;
	return strcmp(value, "on") == 0;
}
