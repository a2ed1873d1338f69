/*
 * template.h - "%field%" substitution for event descriptions (pure).
 */
#ifndef ITG_TEMPLATE_H
#define ITG_TEMPLATE_H

#include <stddef.h>

/* Longest placeholder name, in characters. */
#define ITG_TEMPLATE_NAME_MAX 32

/*
 * Expand TMPL into a new string (free() it), replacing each placeholder
 * "%name%" (name: 1 to ITG_TEMPLATE_NAME_MAX of [a-z0-9_]) where name is
 * names[i] with values[i]:
 *   - a NULL value stands for "";
 *   - control characters of a value become spaces, so a value from outside
 *     cannot break a one-line description;
 *   - a backslash or single quote of a value gets a backslash before it,
 *     so that a value cannot close the template's quotes and pass for the
 *     template's own text (the parsing rule reads it back, "escaped");
 *   - "%%" is a literal "%";
 *   - a well-formed placeholder whose name is not in names, and any other
 *     "%", are copied unchanged: a mistake shows in the text, never crashes.
 * Returns NULL if TMPL is NULL or memory runs out.
 */
char *itg_template_expand(const char *tmpl, const char *const names[],
                          const char *const values[], size_t n);

#endif /* ITG_TEMPLATE_H */
