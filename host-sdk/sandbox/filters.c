/*
 * filters.c - filter lists and matching.
 *
 * Within one filter the items are alternatives (OR); separate filters must
 * all match (AND). Ids compare as decimal text, names case-insensitively,
 * everything else byte for byte: filter[mac_address] does not normalise, so a
 * client that relies on it finds nothing.
 */
#include "config.h"

#include "filters.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <xdr/plugin.h>

void sbx_filter_items_free(char **items, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(items[i]);
	free(items);
}

int sbx_filter_split(const char *value, char ***items, size_t *count)
{
	size_t n = 1, len = strlen(value);
	char **out;
	char *cur;
	size_t k = 0, c = 0;

	*items = NULL;
	*count = 0;
	for (size_t i = 0; i < len; i++) {
		if (value[i] == '\\' && value[i + 1] == ',')
			i++;
		else if (value[i] == ',')
			n++;
	}
	out = calloc(n, sizeof(*out));
	if (!out)
		return XDR_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		out[i] = malloc(len + 1);
		if (!out[i]) {
			sbx_filter_items_free(out, n);
			return XDR_ENOMEM;
		}
	}
	cur = out[0];
	for (size_t i = 0; i < len; i++) {
		if (value[i] == '\\' && value[i + 1] == ',') {
			cur[c++] = ',';
			i++;
		} else if (value[i] == ',') {
			cur[c] = '\0';
			cur = out[++k];
			c = 0;
		} else {
			cur[c++] = value[i];
		}
	}
	cur[c] = '\0';
	*items = out;
	*count = n;
	return XDR_OK;
}

bool sbx_filter_attribute(const char *name, char *out, size_t size)
{
	size_t len = strlen(name);

	if (len + 1 > size)
		return false;
	for (size_t i = 0; i <= len; i++)
		out[i] = name[i] == '_' ? '-' : name[i];
	return true;
}

static bool id_matches(struct json_object *value, const char *item)
{
	char buf[32];

	if (json_object_is_type(value, json_type_int)) {
		snprintf(buf, sizeof(buf), "%" PRId64,
		         json_object_get_int64(value));
		return !strcmp(buf, item);
	}
	if (json_object_is_type(value, json_type_string))
		return !strcmp(json_object_get_string(value), item);
	return false;
}

static bool primary_email_matches(struct json_object *emails, const char *item)
{
	size_t n;

	if (!json_object_is_type(emails, json_type_array))
		return false;
	n = json_object_array_length(emails);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(emails, i);
		struct json_object *primary, *v;

		if (!json_object_object_get_ex(e, "primary", &primary) ||
		    !json_object_get_boolean(primary))
			continue;
		if (json_object_object_get_ex(e, "value", &v) &&
		    json_object_is_type(v, json_type_string) &&
		    !strcasecmp(json_object_get_string(v), item))
			return true;
	}
	return false;
}

bool sbx_filter_value_matches(enum sbx_match match, struct json_object *value,
                              const char *item)
{
	if (!value)
		return false;
	switch (match) {
	case SBX_MATCH_ID:
		return id_matches(value, item);
	case SBX_MATCH_NAME:
		return json_object_is_type(value, json_type_string) &&
		       !strcasecmp(json_object_get_string(value), item);
	case SBX_MATCH_EXACT:
		return json_object_is_type(value, json_type_string) &&
		       !strcmp(json_object_get_string(value), item);
	case SBX_MATCH_BOOL:
		if (!json_object_is_type(value, json_type_boolean))
			return false;
		if (!strcmp(item, "true"))
			return json_object_get_boolean(value);
		if (!strcmp(item, "false"))
			return !json_object_get_boolean(value);
		return false;
	case SBX_MATCH_PRIMARY_EMAIL:
		return primary_email_matches(value, item);
	}
	return false;
}

static int by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* A bitmap costs at most as much memory as the sorted ids (64 bits each),
 * and pays off only past a few of them. */
#define BITMAP_MIN_IDS     16
#define BITMAP_BITS_PER_ID 64

/* The sorted ids of F as a bitmap, when they are many and dense enough. */
static int id_bitmap(struct sbx_filter *f)
{
	uint64_t distance, span;

	if (f->n_ids < BITMAP_MIN_IDS)
		return XDR_OK;
	/* Unsigned: the difference of any two int64 fits. The span (one
	 * more) is taken only once the difference is known small: from
	 * INT64_MIN to INT64_MAX it would wrap to 0. */
	distance = (uint64_t)f->ids[f->n_ids - 1] - (uint64_t)f->ids[0];
	if (distance >= (uint64_t)f->n_ids * BITMAP_BITS_PER_ID)
		return XDR_OK;
	span = distance + 1;
	f->bits = calloc((size_t)(span + 63) / 64, sizeof(*f->bits));
	if (!f->bits)
		return XDR_ENOMEM;
	f->bits_min = f->ids[0];
	f->bits_span = span;
	for (size_t i = 0; i < f->n_ids; i++) {
		uint64_t at = (uint64_t)f->ids[i] - (uint64_t)f->bits_min;

		f->bits[at / 64] |= (uint64_t)1 << (at % 64);
	}
	return XDR_OK;
}

/* An integer attribute matches an item when its decimal text is the item:
 * the items that are such texts, as sorted numbers. */
static int integer_items(struct sbx_filter *f)
{
	f->ids = malloc((f->count ? f->count : 1) * sizeof(*f->ids));
	if (!f->ids)
		return XDR_ENOMEM;
	for (size_t i = 0; i < f->count; i++) {
		char *end, text[32];
		long long v;

		errno = 0;
		v = strtoll(f->items[i], &end, 10);
		if (errno || *end)
			continue;
		snprintf(text, sizeof(text), "%lld", v);
		if (!strcmp(text, f->items[i]))
			f->ids[f->n_ids++] = (int64_t)v;
	}
	qsort(f->ids, f->n_ids, sizeof(*f->ids), by_value);
	return id_bitmap(f);
}

void sbx_filter_set_free(struct sbx_filter_set *set)
{
	for (size_t i = 0; i < set->count; i++) {
		sbx_filter_items_free(set->filters[i].items,
		                      set->filters[i].count);
		free(set->filters[i].ids);
		free(set->filters[i].bits);
	}
	free(set->filters);
	set->filters = NULL;
	set->count = 0;
}

int sbx_filter_set_build(const struct sbx_query *q,
                         const struct sbx_filter_rule *rules,
                         struct sbx_filter_set *set)
{
	size_t known = 0;

	set->filters = NULL;
	set->count = 0;
	for (const struct sbx_filter_rule *r = rules; r->name; r++)
		known++;
	if (!known)
		return XDR_OK;
	set->filters = calloc(known, sizeof(*set->filters));
	if (!set->filters)
		return XDR_ENOMEM;
	for (const struct sbx_filter_rule *r = rules; r->name; r++) {
		const char *v = sbx_query_filter(q, r->name);
		struct sbx_filter *f = &set->filters[set->count];

		if (!v)
			continue;
		f->rule = r;
		if (r->match == SBX_MATCH_PRIMARY_EMAIL)
			snprintf(f->attribute, sizeof(f->attribute), "%s",
			         "contact-emails");
		else if (!sbx_filter_attribute(r->name, f->attribute,
		                               sizeof(f->attribute)))
			continue;
		if (sbx_filter_split(v, &f->items, &f->count) != XDR_OK)
			return XDR_ENOMEM;
		set->count++;
		if (r->match == SBX_MATCH_ID && integer_items(f) != XDR_OK)
			return XDR_ENOMEM;
	}
	return XDR_OK;
}

/* An id filter against an integer: a bit of its bitmap, or a binary search
 * of its sorted numbers, so that hundreds of ids over a large collection
 * stay cheap. */
static bool id_in(const struct sbx_filter *f, int64_t value)
{
	if (f->bits) {
		uint64_t at = (uint64_t)value - (uint64_t)f->bits_min;

		return value >= f->bits_min && at < f->bits_span &&
		       (f->bits[at / 64] >> (at % 64) & 1);
	}
	return bsearch(&value, f->ids, f->n_ids, sizeof(*f->ids), by_value) !=
	       NULL;
}

static bool matches(const struct sbx_filter_set *set,
                    struct json_object *resource, size_t row, bool by_row)
{
	for (size_t i = 0; i < set->count; i++) {
		const struct sbx_filter *f = &set->filters[i];
		struct json_object *value = NULL;
		bool any = false;

		if (f->rule->match == SBX_MATCH_ID && by_row && f->column &&
		    f->column[row] != INT64_MIN) {
			if (!id_in(f, f->column[row]))
				return false;
			continue;
		}
		json_object_object_get_ex(resource, f->attribute, &value);
		if (f->rule->match == SBX_MATCH_ID &&
		    json_object_is_type(value, json_type_int)) {
			any = id_in(f, json_object_get_int64(value));
		} else {
			for (size_t k = 0; k < f->count && !any; k++)
				any = sbx_filter_value_matches(
				        f->rule->match, value, f->items[k]);
		}
		if (!any)
			return false;
	}
	return true;
}

bool sbx_filter_set_matches(const struct sbx_filter_set *set,
                            struct json_object *resource)
{
	return matches(set, resource, 0, false);
}

bool sbx_filter_set_matches_row(const struct sbx_filter_set *set,
                                struct json_object *resource, size_t row)
{
	return matches(set, resource, row, true);
}
