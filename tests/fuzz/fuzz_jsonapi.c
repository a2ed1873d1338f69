/*
 * fuzz_jsonapi.c - the JSON:API document reader (plugin/jsonapi.c, with
 * plugin/json_prune.c under it) on any body: pages (data, meta, links),
 * included resources and their index.
 *
 * Each input is read twice, whole and with only the attributes auto-map
 * keeps, as the client reads a page. Beyond not crashing: both readings
 * agree (same verdict, same resources, paging and links, same values of
 * the kept attributes), every included resource is found by its type and
 * id, and what a reader of the attributes asks never fails unexpectedly.
 */
#include <config.h>

#include "fuzz.h"

#include <json.h>
#include <xdr/plugin.h>

#include "automap_data.h"
#include "jsonapi.h"

/* The attribute readers, as the client's callbacks call them. */
static void read_attributes(struct json_object *attrs)
{
	static const char *const keys[] = {
	        "id",         "organization-id", "name",
	        "archived",   "mac-address",     "updated-at",
	        "important",  "contact-emails",  "organization-name",
	        "primary-ip", "parent-id",       NULL};
	enum itg_tristate tri;
	int64_t n;

	for (const char *const *k = keys; *k != NULL; k++) {
		int rc = itg_json_int64(attrs, *k, &n);

		FUZZ_CHECK(rc == 0 || rc == XDR_ENOTFOUND || rc == XDR_EINVAL,
		           "int64 reader status");
		rc = itg_json_bool(attrs, *k, &tri);
		FUZZ_CHECK(rc == 0 || rc == XDR_EINVAL, "bool reader status");
		itg_json_str(attrs, *k);
		itg_json_array(attrs, *k);
	}
}

/* Follow the relationships of R into the included resources, the way
 * auto-map finds a configuration's interfaces. */
static void follow(const struct itg_doc *doc, const struct itg_resource *r)
{
	if (r->relationships == NULL)
		return;
	json_object_object_foreach(r->relationships, name, rel)
	{
		struct json_object *data = itg_json_array(rel, "data");
		size_t n = data != NULL ? json_object_array_length(data) : 0;

		for (size_t k = 0; k < n; k++) {
			struct json_object *item =
			        json_object_array_get_idx(data, k);
			const char *type = itg_json_str(item, "type");
			struct json_object *idv = NULL;
			const struct itg_resource *inc;
			char id[ITG_JSONAPI_ID_MAX];

			if (!json_object_object_get_ex(item, "id", &idv) ||
			    idv == NULL)
				continue;
			snprintf(id, sizeof(id), "%s",
			         json_object_get_string(idv));
			inc = itg_doc_included(doc, type != NULL ? type : name,
			                       id);
			if (inc != NULL)
				read_attributes(inc->attributes);
		}
	}
}

static void check_doc(const struct itg_doc *doc)
{
	FUZZ_CHECK(doc->root != NULL, "a document has its root");
	FUZZ_CHECK(doc->n_data <= 1 || doc->data_is_array,
	           "many resources only from an array");
	for (size_t i = 0; i < doc->n_data; i++) {
		const struct itg_resource *r = &doc->data[i];

		FUZZ_CHECK(r->type != NULL && r->type[0] != '\0', "a type");
		FUZZ_CHECK(r->id[0] != '\0', "an id");
		read_attributes(r->attributes);
		follow(doc, r);
	}
	for (size_t i = 0; i < doc->n_included; i++) {
		const struct itg_resource *r = &doc->included[i];
		const struct itg_resource *found =
		        itg_doc_included(doc, r->type, r->id);

		FUZZ_CHECK(found != NULL, "every included resource is found");
		FUZZ_CHECK(strcmp(found->type, r->type) == 0 &&
		                   strcmp(found->id, r->id) == 0,
		           "the one found has that type and id");
		FUZZ_CHECK(found <= r, "the first of equal ones is found");
	}
	if (doc->links_next != NULL)
		FUZZ_CHECK(doc->links_next[0] != '\0', "no empty next link");
}

static bool same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	       (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The kept attributes of A and B hold the same values. */
static void same_kept(struct json_object *a, struct json_object *b)
{
	FUZZ_CHECK((a == NULL) == (b == NULL), "attributes on both or none");
	for (const char *const *k = itg_automap_config_attributes; *k != NULL;
	     k++) {
		struct json_object *va = NULL, *vb = NULL;
		bool ha = json_object_object_get_ex(a, *k, &va);
		bool hb = json_object_object_get_ex(b, *k, &vb);

		FUZZ_CHECK(ha == hb, "a kept attribute is kept");
		FUZZ_CHECK(json_object_equal(va, vb),
		           "a kept attribute keeps its value");
	}
}

/* The same member KEY (absent, or an equal value) in A and B. */
static void same_member(struct json_object *a, struct json_object *b,
                        const char *key)
{
	struct json_object *va = NULL, *vb = NULL;
	bool ha = json_object_object_get_ex(a, key, &va);
	bool hb = json_object_object_get_ex(b, key, &vb);

	FUZZ_CHECK(ha == hb && json_object_equal(va, vb), "same member");
}

/* Relationships link the same resources (whatever attributes their
 * linkage objects carry, which the pruning may shorten). */
static void same_links(struct json_object *a, struct json_object *b)
{
	FUZZ_CHECK((a == NULL) == (b == NULL), "relationships on both");
	if (a == NULL)
		return;
	FUZZ_CHECK(json_object_object_length(a) == json_object_object_length(b),
	           "as many relationships");
	json_object_object_foreach(a, name, ra)
	{
		struct json_object *rb = NULL, *da = NULL, *db = NULL;

		FUZZ_CHECK(json_object_object_get_ex(b, name, &rb),
		           "the same relationship");
		/* One named "attributes" is pruned like any such member. */
		if (!json_object_is_type(ra, json_type_object) ||
		    strcmp(name, "attributes") == 0)
			continue;
		json_object_object_get_ex(ra, "data", &da);
		json_object_object_get_ex(rb, "data", &db);
		FUZZ_CHECK(json_object_get_type(da) == json_object_get_type(db),
		           "the same linkage shape");
		if (json_object_is_type(da, json_type_object)) {
			same_member(da, db, "type");
			same_member(da, db, "id");
		} else if (json_object_is_type(da, json_type_array)) {
			size_t n = json_object_array_length(da);

			FUZZ_CHECK(n == json_object_array_length(db),
			           "as many linkages");
			for (size_t k = 0; k < n; k++) {
				struct json_object *ia =
				        json_object_array_get_idx(da, k);
				struct json_object *ib =
				        json_object_array_get_idx(db, k);

				same_member(ia, ib, "type");
				same_member(ia, ib, "id");
			}
		}
	}
}

static void same_resources(const struct itg_resource *a,
                           const struct itg_resource *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(strcmp(a[i].type, b[i].type) == 0, "same type");
		FUZZ_CHECK(strcmp(a[i].id, b[i].id) == 0, "same id");
		same_links(a[i].relationships, b[i].relationships);
		same_kept(a[i].attributes, b[i].attributes);
	}
}

static void same_docs(const struct itg_doc *a, const struct itg_doc *b)
{
	FUZZ_CHECK(a->data_is_array == b->data_is_array, "same data shape");
	FUZZ_CHECK(a->n_data == b->n_data, "as many resources");
	FUZZ_CHECK(a->n_included == b->n_included, "as many included");
	same_resources(a->data, b->data, a->n_data);
	same_resources(a->included, b->included, a->n_included);
	FUZZ_CHECK(memcmp(&a->paging, &b->paging, sizeof(a->paging)) == 0,
	           "same paging");
	FUZZ_CHECK(same_str(a->links_next, b->links_next), "same next link");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct itg_doc *whole = NULL, *kept = NULL, *none = NULL;
	char err[200], kerr[200];
	int rc, krc;

	err[0] = kerr[0] = '\0';
	rc = itg_jsonapi_parse(text, size, 0, &whole, err, sizeof(err));
	krc = itg_jsonapi_parse_kept(text, size, 0,
	                             itg_automap_config_attributes, &kept, kerr,
	                             sizeof(kerr));
	FUZZ_CHECK((rc == 0) == (whole != NULL), "a document iff 0");
	FUZZ_CHECK((krc == 0) == (kept != NULL), "a document iff 0 (kept)");
	FUZZ_CHECK(rc == krc, "pruned or not, the same verdict");
	if (rc != 0) {
		FUZZ_CHECK(rc == XDR_EINVAL || rc == XDR_ENOMEM,
		           "a refusal is XDR_EINVAL");
		FUZZ_CHECK(err[0] != '\0' && fuzz_one_line(err),
		           "a refusal says why, in one line");
	} else {
		check_doc(whole);
		check_doc(kept);
		same_docs(whole, kept);
	}
	/* Over the limit (0 is none): refused before reading. */
	if (size > 1) {
		rc = itg_jsonapi_parse(text, size, size - 1, &none, err,
		                       sizeof(err));
		FUZZ_CHECK(rc == XDR_ERANGE && none == NULL,
		           "over max_size is XDR_ERANGE");
	}
	itg_doc_free(whole);
	itg_doc_free(kept);
	return 0;
}
