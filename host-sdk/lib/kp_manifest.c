/*
 * kp_manifest.c - a pack's manifest.json: its validation, and the check of
 * the archive against it (every file there with its SHA-256, nothing else).
 */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static bool version_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr(".+~-", *s)))
			return false;
	return true;
}

static bool sha256_valid(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

static const char *string_of(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int read_entry(struct json_object *obj, const char *what,
                      struct xdr_kp_entry *e, struct xdr_err *err)
{
	const char *file, *sum;

	if (!json_object_is_type(obj, json_type_object))
		return xdr_errf(err, XDR_EINVAL,
		                "manifest: %s is not an object", what);
	file = string_of(obj, "file");
	sum = string_of(obj, "sha256");
	if (file == NULL || file[0] == '\0' ||
	    strcmp(file, XDR_KP_MANIFEST) == 0)
		return xdr_errf(err, XDR_EINVAL,
		                "manifest: %s has no valid file", what);
	if (sum == NULL || !sha256_valid(sum))
		return xdr_errf(
		        err, XDR_EINVAL,
		        "manifest: %s has no valid sha256 (64 lowercase "
		        "hex digits)",
		        what);
	e->file = strdup(file);
	if (e->file == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	memcpy(e->sha256, sum, XDR_SHA256_HEX);
	return XDR_OK;
}

static int read_objects(struct json_object *arr, struct xdr_kp_manifest *m,
                        struct xdr_err *err)
{
	size_t n;
	int rc = XDR_OK;

	if (arr == NULL || !json_object_is_type(arr, json_type_array) ||
	    (n = json_object_array_length(arr)) == 0)
		return xdr_errf(err, XDR_EINVAL,
		                "manifest: objects must be a non-empty array");
	if (n >= XDR_KP_MAX_FILES)
		return xdr_errf(err, XDR_EINVAL, "manifest: too many objects");
	m->objects = calloc(n, sizeof(*m->objects));
	if (m->objects == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	for (size_t i = 0; rc == XDR_OK && i < n; i++) {
		rc = read_entry(json_object_array_get_idx(arr, i), "an object",
		                &m->objects[i], err);
		if (rc == XDR_OK)
			m->n_objects++;
	}
	return rc;
}

/* No file named twice: the check against the archive counts on it. */
static int check_unique(const struct xdr_kp_manifest *m, struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];

	for (size_t i = 0; i < m->n_objects; i++) {
		const char *f = m->objects[i].file;

		if (strcmp(f, m->plugin.file) == 0)
			goto twice;
		for (size_t j = 0; j < i; j++)
			if (strcmp(f, m->objects[j].file) == 0)
				goto twice;
		continue;
	twice:
		return xdr_errf(err, XDR_EINVAL, "manifest: %s is named twice",
		                xdr_quote(f, q, sizeof(q)));
	}
	return XDR_OK;
}

static int read_manifest(struct json_object *root, struct xdr_kp_manifest *m,
                         struct xdr_err *err)
{
	struct json_object *v;
	const char *name, *version;
	int rc;

	if (!json_object_is_type(root, json_type_object))
		return xdr_errf(err, XDR_EINVAL, "manifest is not an object");
	if (!json_object_object_get_ex(root, "format", &v) ||
	    !json_object_is_type(v, json_type_int))
		return xdr_errf(err, XDR_EINVAL, "manifest: no format number");
	m->format = json_object_get_int(v);
	if (m->format != XDR_KP_FORMAT)
		return xdr_errf(err, XDR_EINVAL,
		                "manifest: format %d is not supported (this "
		                "host reads format %d)",
		                m->format, XDR_KP_FORMAT);
	name = string_of(root, "name");
	version = string_of(root, "version");
	if (name == NULL || !xdr_plugin_name_valid(name))
		return xdr_errf(err, XDR_EINVAL,
		                "manifest: name must be 1 to 32 of [a-z0-9_-]");
	if (version == NULL || !version_valid(version))
		return xdr_errf(err, XDR_EINVAL,
		                "manifest: version must be 1 to 64 of "
		                "[A-Za-z0-9.+~-]");
	m->name = strdup(name);
	m->version = strdup(version);
	if (m->name == NULL || m->version == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	if (!json_object_object_get_ex(root, "plugin", &v))
		return xdr_errf(err, XDR_EINVAL, "manifest: no plugin");
	rc = read_entry(v, "plugin", &m->plugin, err);
	if (rc == XDR_OK && (strchr(m->plugin.file, '/') == NULL ||
	                     strncmp(m->plugin.file, "plugin/", 7) != 0 ||
	                     strchr(m->plugin.file + 7, '/') != NULL))
		rc = xdr_errf(err, XDR_EINVAL,
		              "manifest: the plugin must be a file of plugin/");
	if (rc == XDR_OK) {
		json_object_object_get_ex(root, "objects", &v);
		rc = read_objects(v, m, err);
	}
	if (rc == XDR_OK)
		rc = check_unique(m, err);
	return rc;
}

int xdr_kp_manifest_parse(const char *text, size_t len,
                          struct xdr_kp_manifest *out, struct xdr_err *err)
{
	struct xdr_kp_manifest m;
	struct json_object *root;
	int rc;

	memset(&m, 0, sizeof(m));
	rc = xdr_json_parse(text, len, 8, &root, err);
	if (rc != XDR_OK)
		return rc;
	rc = read_manifest(root, &m, err);
	json_object_put(root);
	if (rc != XDR_OK) {
		xdr_kp_manifest_free(&m);
		return rc;
	}
	*out = m;
	return XDR_OK;
}

void xdr_kp_manifest_free(struct xdr_kp_manifest *m)
{
	free(m->name);
	free(m->version);
	free(m->plugin.file);
	for (size_t i = 0; i < m->n_objects; i++)
		free(m->objects[i].file);
	free(m->objects);
	memset(m, 0, sizeof(*m));
}

static int check_file(const struct xdr_kp_archive *a,
                      const struct xdr_kp_entry *e, struct xdr_err *err)
{
	const struct xdr_kp_file *f = xdr_kp_archive_find(a, e->file);
	char q[XDR_QUOTE_MAX], sum[XDR_SHA256_HEX];
	int rc;

	if (f == NULL)
		return xdr_errf(err, XDR_EINVAL, "pack refused: %s is missing",
		                xdr_quote(e->file, q, sizeof(q)));
	rc = xdr_sha256_hex(f->data, f->len, sum, err);
	if (rc == XDR_OK && strcmp(sum, e->sha256) != 0)
		rc = xdr_errf(err, XDR_EINVAL,
		              "pack refused: the SHA-256 of %s does not match "
		              "the manifest",
		              xdr_quote(e->file, q, sizeof(q)));
	return rc;
}

int xdr_kp_verify(const struct xdr_kp_archive *a, struct xdr_kp_manifest *out,
                  struct xdr_err *err)
{
	const struct xdr_kp_file *mf = xdr_kp_archive_find(a, XDR_KP_MANIFEST);
	struct xdr_kp_manifest m;
	char q[XDR_QUOTE_MAX];
	int rc;

	if (mf == NULL)
		return xdr_errf(err, XDR_EINVAL,
		                "pack refused: it has no " XDR_KP_MANIFEST);
	rc = xdr_kp_manifest_parse((const char *)mf->data, mf->len, &m, err);
	if (rc != XDR_OK)
		return rc;
	rc = check_file(a, &m.plugin, err);
	for (size_t i = 0; rc == XDR_OK && i < m.n_objects; i++)
		rc = check_file(a, &m.objects[i], err);
	/* Every name is unique on both sides: equal counts mean equal sets. */
	if (rc == XDR_OK && a->n != m.n_objects + 2) {
		for (size_t i = 0; i < a->n; i++) {
			const char *p = a->files[i].path;
			bool listed = strcmp(p, XDR_KP_MANIFEST) == 0 ||
			              strcmp(p, m.plugin.file) == 0;

			for (size_t j = 0; !listed && j < m.n_objects; j++)
				listed = strcmp(p, m.objects[j].file) == 0;
			if (!listed) {
				rc = xdr_errf(err, XDR_EINVAL,
				              "pack refused: %s is not in the "
				              "manifest",
				              xdr_quote(p, q, sizeof(q)));
				break;
			}
		}
	}
	if (rc != XDR_OK) {
		xdr_kp_manifest_free(&m);
		return rc;
	}
	*out = m;
	return XDR_OK;
}
