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
 * Format a message and hand it to the host's log service as one line of
 * UTF-8 (itg_text_line(): control characters, a newline in a value from
 * outside say, and the Unicode line separators become spaces; a byte that
 * is not UTF-8 becomes U+FFFD), cut between characters. Never pass a
 * secret: the host writes logs to disk.
 */
void itg_log(const struct itg_plugin *p, enum xdr_log_level level,
             const char *fmt, ...) __attribute__((format(PRINTF_FORMAT, 3, 4)));

#endif /* ITG_LOG_H */
