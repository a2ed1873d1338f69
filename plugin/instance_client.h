/*
 * instance_client.h - an IT Glue client for one instance, built on the
 * worker: the key unsealed only for the client's life, transfers cut short
 * when the job must stop.
 */
#ifndef ITG_INSTANCE_CLIENT_H
#define ITG_INSTANCE_CLIENT_H

#include <stddef.h>

#include "client.h"
#include "instance.h"
#include "itglue.h"
#include "worker.h"

/*
 * Build a client for INST talking to URL (NULL: the instance's own URL),
 * from the running job CTX. BASE may preset timeouts and attempts (NULL: the
 * client's defaults); its URL, key, CA file, proxy, rate, cancel and sleep
 * members are set here. Returns 0 and *out (itg_client_free), or a negative
 * status with the reason in err.
 */
int itg_instance_client(struct itg_plugin *p, const struct itg_instance *inst,
                        const char *url, struct itg_job_ctx *ctx,
                        const struct itg_client_config *base,
                        struct itg_client **out, char *err, size_t errsize);

#endif /* ITG_INSTANCE_CLIENT_H */
