/*
 * config_keys.h - the plugin's own settings (config.get / config.set) that
 * more than one file reads, and how to read them.
 */
#ifndef ITG_CONFIG_KEYS_H
#define ITG_CONFIG_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "itglue.h"

/* Hours between scheduled auto-maps of an instance; 0: none. */
#define ITG_CONFIG_AUTOMAP_HOURS  "automap_interval_hours"
#define ITG_AUTOMAP_HOURS_DEFAULT 6
#define ITG_AUTOMAP_HOURS_MAX     168

/* Hours between full passes of auto-map's read of configurations (the runs
 * between read only what changed, and cannot see deletions); 0: every run
 * reads everything. */
#define ITG_CONFIG_FULL_PASS_HOURS  "automap_full_pass_hours"
#define ITG_FULL_PASS_HOURS_DEFAULT 24
#define ITG_FULL_PASS_HOURS_MAX     720

/* How long the outbox retries a report: attempts in all, and hours since it
 * was queued. */
#define ITG_CONFIG_PUBLISH_ATTEMPTS  "publish_max_attempts"
#define ITG_PUBLISH_ATTEMPTS_MAX     100
#define ITG_CONFIG_PUBLISH_AGE_HOURS "publish_max_age_hours"

/* Days from a report's generation to its Expiry Date; 0 or unset: one
 * calendar year. */
#define ITG_CONFIG_EXPIRY_DAYS "report_expiry_days"
#define ITG_EXPIRY_DAYS_MAX    36500

/* Seconds one request to IT Glue may take, from connecting to the last
 * byte of its answer (a server that never ends an answer is cut there);
 * unset: the client's default, 120. Test Connection takes at most 20. */
#define ITG_CONFIG_REQUEST_TIMEOUT "request_timeout_seconds"
#define ITG_REQUEST_TIMEOUT_MAX    3600

/* E-mail domains that never auto-map a group: the MSP's own, and changes to
 * the shipped list of public mail providers. Comma-separated. */
#define ITG_CONFIG_MSP_DOMAINS        "msp_domains"
#define ITG_CONFIG_PUBLIC_DOMAINS     "public_domains"
#define ITG_CONFIG_NOT_PUBLIC_DOMAINS "not_public_domains"

/* The setting KEY as a number, or FALLBACK when unset or unreadable. */
int64_t itg_config_int(const struct itg_plugin *p, const char *key,
                       int64_t fallback);

/*
 * The setting KEY as a list: *list gets n pointers into *storage (free both
 * with free()); an unset setting is an empty list. Returns 0, XDR_ENOMEM,
 * or XDR_ERROR when the store cannot be read (never an empty list then: a
 * run without the MSP's domains would map groups to the MSP itself).
 */
int itg_config_list(const struct itg_plugin *p, const char *key, char ***list,
                    size_t *n, char **storage);

#endif /* ITG_CONFIG_KEYS_H */
