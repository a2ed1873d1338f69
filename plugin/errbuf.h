/*
 * errbuf.h - one-line error messages into a caller's buffer.
 */
#ifndef ITG_ERRBUF_H
#define ITG_ERRBUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Format a message into err (errsize bytes, always NUL-terminated, truncated
 * if longer, never inside a UTF-8 character). Does nothing when err is NULL or
 * errsize is 0, so callers may pass an optional buffer straight through.
 */
void itg_errf(char *err, size_t errsize, const char *fmt, ...)
        __attribute__((format(PRINTF_FORMAT, 3, 4)));

/* itg_errf() with the arguments in AP. */
void itg_verrf(char *err, size_t errsize, const char *fmt, va_list ap)
        __attribute__((format(PRINTF_FORMAT, 3, 0)));

#endif /* ITG_ERRBUF_H */
