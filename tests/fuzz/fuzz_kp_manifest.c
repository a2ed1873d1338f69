/*
 * fuzz_kp_manifest.c - the knowledge pack's manifest reader
 * (host-sdk/lib/kp_manifest.c): manifest.json as any text, then checked
 * against an archive of the files it names.
 *
 * The archive holds the manifest and every file it names, each empty, so
 * that a manifest whose sums are the SHA-256 of nothing verifies; when the
 * input's last byte is odd, a file the manifest does not name is added.
 * Beyond not crashing: an accepted manifest holds what the format
 * requires, and verification agrees with what the archive holds.
 */
#include "config.h"

#include "fuzz.h"

#include "xdrhost.h"

#define UNLISTED "objects/unlisted.json"
#define EMPTY_SHA256                                                           \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static void check_entry(const struct xdr_kp_entry *e)
{
	FUZZ_CHECK(e->file != NULL && e->file[0] != '\0', "a file");
	FUZZ_CHECK(strcmp(e->file, XDR_KP_MANIFEST) != 0,
	           "not the manifest itself");
	FUZZ_CHECK(strlen(e->sha256) == 64, "64 hex digits");
}

static void check_manifest(const struct xdr_kp_manifest *m)
{
	FUZZ_CHECK(m->format == XDR_KP_FORMAT, "the format read");
	FUZZ_CHECK(xdr_plugin_name_valid(m->name), "a plugin name");
	FUZZ_CHECK(m->version != NULL && m->version[0] != '\0' &&
	                   strlen(m->version) <= 64,
	           "a version");
	check_entry(&m->plugin);
	FUZZ_CHECK(strncmp(m->plugin.file, "plugin/", 7) == 0 &&
	                   strchr(m->plugin.file + 7, '/') == NULL,
	           "the plugin is a file of plugin/");
	FUZZ_CHECK(m->n_objects > 0 && m->n_objects < XDR_KP_MAX_FILES,
	           "1 to 255 objects");
	for (size_t i = 0; i < m->n_objects; i++) {
		check_entry(&m->objects[i]);
		FUZZ_CHECK(strcmp(m->objects[i].file, m->plugin.file) != 0,
		           "the plugin once");
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(m->objects[i].file,
			                  m->objects[j].file) != 0,
			           "each object once");
	}
}

static bool all_empty_sums(const struct xdr_kp_manifest *m)
{
	if (strcmp(m->plugin.sha256, EMPTY_SHA256) != 0)
		return false;
	for (size_t i = 0; i < m->n_objects; i++)
		if (strcmp(m->objects[i].sha256, EMPTY_SHA256) != 0)
			return false;
	return true;
}

static bool names(const struct xdr_kp_manifest *m, const char *file)
{
	if (strcmp(m->plugin.file, file) == 0)
		return true;
	for (size_t i = 0; i < m->n_objects; i++)
		if (strcmp(m->objects[i].file, file) == 0)
			return true;
	return false;
}

/* Verify an archive of the files M names (and maybe one more). */
static void verify(const struct xdr_kp_manifest *m, const uint8_t *data,
                   size_t size, bool extra)
{
	struct xdr_kp_archive a = {NULL, 0};
	struct xdr_kp_manifest v;
	struct xdr_err err;
	size_t n = m->n_objects + 2 + (extra ? 1 : 0);
	int rc;

	a.files = calloc(n, sizeof(*a.files));
	FUZZ_CHECK(a.files != NULL, "memory");
	a.files[a.n].path = strdup(XDR_KP_MANIFEST);
	a.files[a.n].data = malloc(size + 1);
	FUZZ_CHECK(a.files[a.n].path != NULL && a.files[a.n].data != NULL,
	           "memory");
	if (size > 0)
		memcpy(a.files[a.n].data, data, size);
	a.files[a.n++].len = size;
	a.files[a.n++].path = strdup(m->plugin.file);
	for (size_t i = 0; i < m->n_objects; i++)
		a.files[a.n++].path = strdup(m->objects[i].file);
	if (extra)
		a.files[a.n++].path = strdup(UNLISTED);
	for (size_t i = 0; i < a.n; i++) {
		if (a.files[i].data == NULL)
			a.files[i].data = malloc(1);
		FUZZ_CHECK(a.files[i].path != NULL && a.files[i].data != NULL,
		           "memory");
	}

	rc = xdr_kp_verify(&a, &v, &err);
	FUZZ_CHECK((rc == XDR_OK) == (!extra && all_empty_sums(m)),
	           "verified exactly when every sum matches and nothing else "
	           "is there");
	if (rc == XDR_OK) {
		check_manifest(&v);
		xdr_kp_manifest_free(&v);
	} else {
		FUZZ_CHECK(rc == XDR_EINVAL, "a refusal is XDR_EINVAL");
		FUZZ_CHECK(err.msg[0] != '\0', "a refusal says why");
	}
	xdr_kp_archive_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xdr_kp_manifest m;
	struct xdr_err err;
	int rc;

	memset(&m, 0, sizeof(m));
	rc = xdr_kp_manifest_parse((const char *)data, size, &m, &err);
	if (rc != XDR_OK) {
		FUZZ_CHECK(rc == XDR_EINVAL || rc == XDR_ENOMEM,
		           "a refusal is XDR_EINVAL");
		FUZZ_CHECK(err.msg[0] != '\0' && fuzz_one_line(err.msg),
		           "a refusal says why, in one line");
		return 0;
	}
	check_manifest(&m);
	verify(&m, data, size,
	       size > 0 && (data[size - 1] & 1) != 0 && !names(&m, UNLISTED));
	xdr_kp_manifest_free(&m);
	return 0;
}
