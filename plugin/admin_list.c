/*
 * admin_list.c - what the list actions share: members, pages, one-line
 * values.
 */
#include <config.h>

#include "admin_list.h"

#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "admin.h"
#include "json_util.h"
#include "text.h"

int itg_list_members(struct json_object *request, const char *const *allowed,
                     const char *action, const char *usage,
                     struct json_object **response)
{
	json_object_object_foreach(request, key, value)
	{
		size_t i;

		(void)value;
		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(allowed[i], key) == 0)
				break;
		}
		if (allowed[i] == NULL) {
			char shown[64];

			itg_text_line(shown, sizeof(shown), key);
			*response = itg_admin_error(
			        ITG_ADMIN_BAD_REQUEST,
			        "%s takes %s: \"%s\" is not one of them",
			        action, usage, shown);
			return XDR_EINVAL;
		}
	}
	return XDR_OK;
}

/* The integer member KEY in [MIN, MAX], DEF when absent. */
static int int_member(struct json_object *request, const char *key, int64_t min,
                      int64_t max, int64_t def, int64_t *out,
                      struct json_object **response)
{
	struct json_object *v;

	*out = def;
	if (!json_object_object_get_ex(request, key, &v) || v == NULL)
		return XDR_OK;
	if (!json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < min || json_object_get_int64(v) > max) {
		*response = itg_admin_error(
		        ITG_ADMIN_BAD_REQUEST,
		        "\"%s\" must be an integer from %lld to %lld", key,
		        (long long)min, (long long)max);
		return XDR_EINVAL;
	}
	*out = json_object_get_int64(v);
	return XDR_OK;
}

int itg_list_page_read(struct json_object *request, struct itg_list_page *page,
                       struct json_object **response)
{
	int rc = int_member(request, "offset", 0, INT64_MAX, 0, &page->offset,
	                    response);

	if (rc == XDR_OK)
		rc = int_member(request, "limit", 1, ITG_LIST_LIMIT_MAX,
		                ITG_LIST_LIMIT_DEFAULT, &page->limit, response);
	return rc;
}

int itg_list_text_member(struct json_object *request, const char *key,
                         size_t max, const char **out,
                         struct json_object **response)
{
	struct json_object *v;
	const char *s;
	size_t len;

	*out = NULL;
	if (!json_object_object_get_ex(request, key, &v) || v == NULL)
		return XDR_OK;
	s = json_object_is_type(v, json_type_string) ? json_object_get_string(v)
	                                             : NULL;
	len = s != NULL ? strlen(s) : 0;
	if (s == NULL || len == 0 || len > max || !itg_utf8_valid(s, len)) {
		*response = itg_admin_error(ITG_ADMIN_BAD_REQUEST,
		                            "\"%s\" must be a string of 1 to "
		                            "%zu bytes of UTF-8",
		                            key, max);
		return XDR_EINVAL;
	}
	*out = s;
	return XDR_OK;
}

int itg_list_add_line(struct json_object *obj, const char *key,
                      const char *value)
{
	char *line;
	int rc;

	if (value == NULL)
		return json_object_object_add(obj, key, NULL) == 0 ? 0 : -1;
	line = itg_text_line_dup(value, ITG_LIST_VALUE_MAX);
	if (line == NULL)
		return -1;
	rc = itg_json_add(obj, key, json_object_new_string(line));
	free(line);
	return rc;
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool itg_list_matches(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	if (haystack == NULL)
		return false;
	for (; *haystack != '\0'; haystack++) {
		size_t i = 0;

		while (i < n && haystack[i] != '\0' &&
		       ascii_lower(haystack[i]) == ascii_lower(needle[i]))
			i++;
		if (i == n)
			return true;
	}
	return n == 0;
}

struct json_object *itg_list_answer(int64_t total,
                                    const struct itg_list_page *page,
                                    struct json_object *items)
{
	struct json_object *o = json_object_new_object();

	if (items == NULL || o == NULL) {
		json_object_put(items);
		json_object_put(o);
		return NULL;
	}
	if (itg_json_add(o, "total", json_object_new_int64(total)) != 0 ||
	    itg_json_add(o, "offset", json_object_new_int64(page->offset)) !=
	            0 ||
	    itg_json_add(o, "limit", json_object_new_int64(page->limit)) != 0) {
		json_object_put(items);
		json_object_put(o);
		return NULL;
	}
	if (itg_json_add(o, "items", items) != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}
