/*
 * log.h - the plugin's lines in the host's log.
 */
#ifndef ITG_LOG_H
#define ITG_LOG_H

#include "itglue.h"

/* Longest line handed to the host, including the NUL; longer ones are cut
 * and end with "...". */
#define ITG_LOG_LINE_MAX 1024

/*
 * Format a message and hand it to the host's log service. Control characters
 * (a newline in a value from outside, say) become spaces so that every call
 * is exactly one line. Never pass a secret: the host writes logs to disk.
 */
void itg_log(const struct itg_plugin *p, enum xdr_log_level level,
             const char *fmt, ...) __attribute__((format(PRINTF_FORMAT, 3, 4)));

#endif /* ITG_LOG_H */
