/*
 * json_prune.h - a copy of a JSON:API document without the attributes its
 * reader does not use (pure: no I/O).
 *
 * A page of 1000 configurations is 1.5 MB of JSON with some twenty
 * attributes per record, of which auto-map reads five. Building json-c
 * objects for all of them is most of auto-map's CPU time; skipping them in
 * one pass over the bytes, before json-c sees the text, costs a tenth of
 * that. JSON:API has sparse fieldsets (fields[TYPE]=...) for this, but IT
 * Glue does not honour them, so the client drops the attributes itself.
 */
#ifndef ITG_JSON_PRUNE_H
#define ITG_JSON_PRUNE_H

#include <stddef.h>

/*
 * Copy TEXT (LEN bytes) to *OUT (malloc'd, *OUT_LEN bytes plus a NUL) with,
 * in every object that is the value of a member named "attributes", only
 * the members named in KEEP (a NULL-terminated list). Everything else is
 * copied byte for byte, so the copy is a document of the same shape. A
 * member whose name is written with escapes is kept (names are compared as
 * written). Inside a pruned object nothing further is pruned.
 *
 * TEXT must be one strict JSON value (RFC 8259: no comments, no trailing
 * commas, control characters escaped, well-formed UTF-8) with at most
 * MAX_DEPTH arrays and objects open at once, and nothing but whitespace
 * around it. Returns 0; XDR_EINVAL when it is not, with *OUT NULL (the
 * caller parses the original to say what is wrong); XDR_ENOMEM.
 */
int itg_json_prune(const char *text, size_t len, const char *const *keep,
                   unsigned max_depth, char **out, size_t *out_len);

#endif /* ITG_JSON_PRUNE_H */
