/*
 * json_util.c - small json-c helpers for building admin responses.
 */
#include <config.h>

#include "json_util.h"

#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "text.h"

int itg_json_add(struct json_object *obj, const char *key,
                 struct json_object *val)
{
	if (obj == NULL || val == NULL) {
		json_object_put(val);
		return -1;
	}
	if (json_object_object_add(obj, key, val) != 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

char *itg_json_to_string(struct json_object *obj)
{
	const char *text;

	if (obj == NULL)
		return NULL;
	text = json_object_to_json_string_ext(
	        obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL)
		return NULL;
	/* json-c writes a string's bytes as they are: a byte that is not
	 * UTF-8 (a name cut short, a server's Latin-1) would make the whole
	 * answer unreadable to a strict parser. */
	if (!itg_utf8_valid(text, strlen(text)))
		return itg_utf8_repair(text);
	return strdup(text);
}
