/*
 * gate.h - is the integration switched on?
 */
#ifndef ITG_GATE_H
#define ITG_GATE_H

#include <stdbool.h>

#include "itglue.h"

/* The host setting behind the manager's "Enable PSA/RMM Integration". */
#define ITG_GATE_SETTING "psa_rmm_integration"

/*
 * True when the host setting psa_rmm_integration reads "on". Anything else,
 * including a failure to read it, means disabled: the plugin must never act
 * on an integration the administrator did not turn on. The setting is read on
 * every call because the administrator may flip it while the host runs.
 */
bool itg_integration_enabled(const struct itg_plugin *p);

#endif /* ITG_GATE_H */
