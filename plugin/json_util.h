/*
 * json_util.h - small json-c helpers for building admin responses.
 */
#ifndef ITG_JSON_UTIL_H
#define ITG_JSON_UTIL_H

struct json_object;

/*
 * Add VAL under KEY to the object OBJ, taking over VAL. Returns 0, or -1 if
 * VAL is NULL (a failed json_object_new_*) or the add failed, in which case
 * VAL has been released: chains of adds need no cleanup of their own.
 */
int itg_json_add(struct json_object *obj, const char *key,
                 struct json_object *val);

/*
 * Serialise OBJ compactly (no pretty-printing, "/" not escaped) into a new
 * string for the host, released with the descriptor's free(); always UTF-8
 * (a byte of a string that is not becomes U+FFFD). NULL if OBJ is NULL or
 * memory runs out.
 */
char *itg_json_to_string(struct json_object *obj);

#endif /* ITG_JSON_UTIL_H */
