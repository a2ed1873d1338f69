/*
 * text.h - text from outside (IT Glue's names and answers, the host's
 * names, requests) made fit to show: one line, well-formed UTF-8, bounded,
 * and never cut inside a character (pure).
 *
 * Names and titles are data: they are stored and sent as they are. These
 * functions are for where such text is shown, in events, log lines and
 * messages, where a newline would forge a second line and a stray byte
 * would make the whole text unreadable (the host refuses an event that is
 * not UTF-8, a JSON parser an answer).
 */
#ifndef ITG_TEXT_H
#define ITG_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* U+FFFD, which stands for a byte that is not UTF-8. */
#define ITG_TEXT_REPLACEMENT "\xef\xbf\xbd"

/*
 * Bytes of the well-formed UTF-8 character at S, of which AVAIL bytes may
 * be read: 1 to 4, or 0 when none starts there (a stray continuation byte,
 * an overlong form, a surrogate, past U+10FFFF, or cut short).
 */
size_t itg_utf8_char(const char *s, size_t avail);

/*
 * Bytes of the character at S (AVAIL bytes readable) that breaks a line or
 * drives a terminal where text is shown: a C0 control or DEL (1), a C1
 * control, NEL among them (2), U+2028 or U+2029 (3); 0 for any other.
 */
size_t itg_line_break_len(const char *s, size_t avail);

/*
 * The next unit of S (AVAIL > 0 bytes) as itg_text_line() writes it:
 * returns the bytes of S it takes, and sets *out to *out_len bytes to
 * write: S's own character, " " for a control character or line
 * separator, or U+FFFD for a byte that is not UTF-8.
 */
size_t itg_text_unit(const char *s, size_t avail, const char **out,
                     size_t *out_len);

/* Whether S[0..LEN) is well-formed UTF-8. */
bool itg_utf8_valid(const char *s, size_t len);

/*
 * After a cut by bytes (snprintf into a buffer too small): drop the
 * incomplete character that may end S. A complete one is kept.
 */
void itg_utf8_trim_cut(char *s);

/*
 * Copy SRC (NULL: "") into DST of SIZE bytes (> 0), NUL-terminated, cut on
 * a character boundary when it does not fit. Returns true when cut.
 */
bool itg_text_copy(char *dst, size_t size, const char *src);

/*
 * Write SRC (NULL: "") into DST of SIZE bytes (> 0) as one line of UTF-8:
 * control characters (C0, DEL, C1) and the Unicode line and paragraph
 * separators become spaces, each byte that is not UTF-8 becomes U+FFFD,
 * and text that does not fit is cut on a character boundary and ends in
 * "..." (when SIZE leaves room for it). Returns true when cut.
 */
bool itg_text_line(char *dst, size_t size, const char *src);

/*
 * itg_text_line() into a new string (free() it) of at most MAX bytes
 * before its NUL (MAX >= 3). NULL when memory runs out.
 */
char *itg_text_line_dup(const char *src, size_t max);

/*
 * A copy of SRC in which each byte that is not UTF-8 is U+FFFD, control
 * characters kept (JSON escapes them). NULL when memory runs out.
 */
char *itg_utf8_repair(const char *src);

#endif /* ITG_TEXT_H */
