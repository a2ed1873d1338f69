/*
 * kp_install.c - installing, rolling back and removing knowledge packs: a
 * pack is verified whole before anything changes; the plugin file is
 * replaced atomically (the one it replaces kept as FILE.prev); the objects
 * are imported in one transaction; a copy of the pack as verified is kept
 * under HOME/kp/NAME/ for rolling back.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compat/os.h"
#include "internal.h"

/* A pack read, verified and its objects checked. */
struct pack {
	struct xdr_kp_archive archive;
	struct xdr_kp_manifest manifest;
	struct xdr_kp_objects objects;
	const struct xdr_kp_file *plugin;
	const char *plugin_file; /* its name in the plugin directory */
	unsigned char *raw;
	size_t raw_len;
};

static void pack_free(struct pack *p)
{
	xdr_kp_objects_free(&p->objects);
	xdr_kp_manifest_free(&p->manifest);
	xdr_kp_archive_free(&p->archive);
	free(p->raw);
	memset(p, 0, sizeof(*p));
}

static bool ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);

	return n > m && strcmp(s + n - m, end) == 0;
}

static int pack_load(const char *path, struct pack *p, struct xdr_err *err)
{
	int rc;

	memset(p, 0, sizeof(*p));
	rc = xdr_kp_read(path, &p->archive, &p->raw, &p->raw_len, err);
	if (rc == XDR_OK)
		rc = xdr_kp_verify(&p->archive, &p->manifest, err);
	if (rc == XDR_OK)
		rc = xdr_kp_objects_load(&p->archive, &p->manifest, &p->objects,
		                         err);
	if (rc == XDR_OK) {
		p->plugin = xdr_kp_archive_find(&p->archive,
		                                p->manifest.plugin.file);
		p->plugin_file = strrchr(p->manifest.plugin.file, '/') + 1;
		if (p->plugin_file[0] == '.' ||
		    !ends_with(p->plugin_file, LT_MODULE_EXT))
			rc = xdr_errf(err, XDR_EINVAL,
			              "pack refused: its plugin file does not "
			              "end in " LT_MODULE_EXT);
	}
	if (rc != XDR_OK)
		pack_free(p);
	return rc;
}

/* Write data to dir/name through a temporary file of dir and a rename, so
 * that dir/name is at any time either the old file or the new one. */
static int write_atomic(const char *dir, const char *name,
                        const unsigned char *data, size_t len, mode_t mode,
                        struct xdr_err *err)
{
	char *tmp = NULL, *dst = xdr_path_join(dir, name);
	int fd = -1, rc = XDR_OK;

	if (dst == NULL || asprintf(&tmp, "%s/.%s.XXXXXX", dir, name) < 0) {
		tmp = NULL;
		rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
	} else if ((fd = mkstemp(tmp)) < 0) {
		rc = xdr_errf(err, XDR_ERROR,
		              "cannot create a file in '%s': %s", dir,
		              strerror(errno));
	} else if (xdr_write_all(fd, data, len) != 0 ||
	           os_fchmod(fd, mode) != 0 || os_fsync(fd) != 0) {
		rc = xdr_errf(err, XDR_ERROR, "cannot write '%s': %s", tmp,
		              strerror(errno));
	}
	if (fd >= 0 && close(fd) != 0 && rc == XDR_OK)
		rc = xdr_errf(err, XDR_ERROR, "cannot write '%s': %s", tmp,
		              strerror(errno));
	if (rc == XDR_OK && os_replace(tmp, dst) != 0)
		rc = xdr_errf(err, XDR_ERROR, "cannot rename '%s' to '%s': %s",
		              tmp, dst, strerror(errno));
	if (rc != XDR_OK && fd >= 0)
		unlink(tmp);
	if (rc == XDR_OK)
		os_sync_dir(dir);
	free(tmp);
	free(dst);
	return rc;
}

/* Paths of a plugin file and of the version it replaced. */
struct plugin_paths {
	char *file;
	char *prev;
	bool had_file; /* file existed before the install */
};

static void paths_free(struct plugin_paths *pp)
{
	free(pp->file);
	free(pp->prev);
}

static int paths_of(const char *dir, const char *name, struct plugin_paths *pp,
                    struct xdr_err *err)
{
	memset(pp, 0, sizeof(*pp));
	pp->file = xdr_path_join(dir, name);
	if (pp->file == NULL || asprintf(&pp->prev, "%s.prev", pp->file) < 0) {
		pp->prev = NULL;
		paths_free(pp);
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	return XDR_OK;
}

/*
 * The plugin of p into dir: the current file becomes FILE.prev (a hard
 * link, so the current name never goes missing), then the new one is
 * renamed over it.
 */
static int install_plugin(const char *dir, const struct pack *p,
                          struct plugin_paths *pp, struct xdr_err *err)
{
	int rc = paths_of(dir, p->plugin_file, pp, err);

	if (rc != XDR_OK)
		return rc;
	pp->had_file = access(pp->file, F_OK) == 0;
	if (pp->had_file) {
		if (unlink(pp->prev) != 0 && errno != ENOENT)
			rc = xdr_errf(err, XDR_ERROR, "cannot remove '%s': %s",
			              pp->prev, strerror(errno));
		else if (os_link(pp->file, pp->prev) != 0)
			rc = xdr_errf(err, XDR_ERROR,
			              "cannot keep '%s' as '%s': %s", pp->file,
			              pp->prev, strerror(errno));
	}
	if (rc == XDR_OK)
		rc = write_atomic(dir, p->plugin_file, p->plugin->data,
		                  p->plugin->len, 0755, err);
	if (rc != XDR_OK)
		paths_free(pp);
	return rc;
}

/* Undo install_plugin() after a later step failed. */
static void restore_plugin(const struct plugin_paths *pp)
{
	if (pp->had_file)
		os_replace(pp->prev, pp->file);
	else
		unlink(pp->file);
}

static int kept_dir(const struct xdr_runtime *rt, const char *name, char **out,
                    struct xdr_err *err)
{
	if (asprintf(out, "%s/kp/%s", rt->home, name) < 0) {
		*out = NULL;
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	return XDR_OK;
}

static int kept_path(const struct xdr_runtime *rt, const char *name,
                     const char *version, char **out, struct xdr_err *err)
{
	if (asprintf(out, "%s/kp/%s/%s.kp", rt->home, name, version) < 0) {
		*out = NULL;
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	return XDR_OK;
}

static int keep_copy(const struct xdr_runtime *rt, const struct pack *p,
                     struct xdr_err *err)
{
	char *dir, *file = NULL;
	int rc = kept_dir(rt, p->manifest.name, &dir, err);

	if (rc == XDR_OK)
		rc = xdr_mkdir_p(dir, err);
	if (rc == XDR_OK && asprintf(&file, "%s.kp", p->manifest.version) < 0) {
		file = NULL;
		rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	if (rc == XDR_OK)
		rc = write_atomic(dir, file, p->raw, p->raw_len, 0600, err);
	free(file);
	free(dir);
	return rc;
}

/* Kept copies of versions neither current nor previous go. */
static void prune_copies(struct xdr_runtime *rt, const char *name)
{
	char *dir, *cur = NULL, *prev = NULL;
	struct dirent *e;
	DIR *d;

	if (kept_dir(rt, name, &dir, NULL) != XDR_OK)
		return;
	xdr_kp_pack_version(rt->db, name, "current", &cur, NULL);
	xdr_kp_pack_version(rt->db, name, "previous", &prev, NULL);
	d = opendir(dir);
	while (d != NULL && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		char *path;

		if (n < 4 || strcmp(e->d_name + n - 3, ".kp") != 0)
			continue;
		if ((cur && strncmp(e->d_name, cur, n - 3) == 0 &&
		     cur[n - 3] == '\0') ||
		    (prev && strncmp(e->d_name, prev, n - 3) == 0 &&
		     prev[n - 3] == '\0'))
			continue;
		path = xdr_path_join(dir, e->d_name);
		if (path != NULL)
			unlink(path);
		free(path);
	}
	if (d != NULL)
		closedir(d);
	free(cur);
	free(prev);
	free(dir);
}

/* Plugin, then objects; the plugin goes back if the import fails. */
static int apply(struct xdr_runtime *rt, const char *plugin_dir,
                 const struct pack *p, struct xdr_err *err)
{
	struct plugin_paths pp;
	int rc = install_plugin(plugin_dir, p, &pp, err);

	if (rc != XDR_OK)
		return rc;
	rc = xdr_kp_store_import(rt->db, &p->manifest, p->plugin_file,
	                         &p->objects, (int64_t)time(NULL), err);
	if (rc != XDR_OK)
		restore_plugin(&pp);
	paths_free(&pp);
	return rc;
}

int xdr_kp_install(struct xdr_runtime *rt, const char *plugin_dir,
                   const char *file, struct xdr_kp_manifest *m,
                   struct xdr_err *err)
{
	struct pack p;
	int rc = pack_load(file, &p, err);

	if (rc != XDR_OK)
		return rc;
	rc = keep_copy(rt, &p, err);
	if (rc == XDR_OK)
		rc = apply(rt, plugin_dir, &p, err);
	/* On failure too: a copy kept for an import that failed goes. */
	prune_copies(rt, p.manifest.name);
	if (rc == XDR_OK) {
		*m = p.manifest;
		memset(&p.manifest, 0, sizeof(p.manifest));
	}
	pack_free(&p);
	return rc;
}

int xdr_kp_rollback(struct xdr_runtime *rt, const char *plugin_dir,
                    const char *name, char **version, struct xdr_err *err)
{
	char *prev = NULL, *path = NULL, q[XDR_QUOTE_MAX];
	struct pack p;
	int rc = xdr_kp_pack_version(rt->db, name, "previous", &prev, err);

	if (rc == XDR_ENOTFOUND)
		rc = xdr_errf(err, XDR_ENOTFOUND,
		              "pack %s has no previous version to roll back to",
		              xdr_quote(name, q, sizeof(q)));
	if (rc == XDR_OK)
		rc = kept_path(rt, name, prev, &path, err);
	/* The kept copy is verified again: it may have been altered. */
	if (rc == XDR_OK)
		rc = pack_load(path, &p, err);
	if (rc == XDR_OK) {
		if (strcmp(p.manifest.name, name) != 0 ||
		    strcmp(p.manifest.version, prev) != 0)
			rc = xdr_errf(err, XDR_EINVAL,
			              "the kept copy '%s' is not version %s of "
			              "pack %s",
			              path, prev, name);
		else
			rc = apply(rt, plugin_dir, &p, err);
		pack_free(&p);
	}
	free(path);
	if (rc != XDR_OK) {
		free(prev);
		return rc;
	}
	*version = prev;
	return XDR_OK;
}

int xdr_kp_remove(struct xdr_runtime *rt, const char *plugin_dir,
                  const char *name, struct xdr_err *err)
{
	struct xdr_kp_pack_list list;
	struct plugin_paths pp = {NULL, NULL, false};
	char *dir = NULL, q[XDR_QUOTE_MAX];
	bool found = false;
	int rc = xdr_kp_pack_list(rt->db, &list, err);

	if (rc != XDR_OK)
		return rc;
	for (size_t i = 0; rc == XDR_OK && i < list.n; i++)
		if (strcmp(list.items[i].name, name) == 0 &&
		    strcmp(list.items[i].state, "current") == 0) {
			found = true;
			rc = paths_of(plugin_dir, list.items[i].plugin_file,
			              &pp, err);
		}
	xdr_kp_pack_list_free(&list);
	if (rc == XDR_OK && !found)
		rc = xdr_errf(err, XDR_ENOTFOUND, "no pack named %s installed",
		              xdr_quote(name, q, sizeof(q)));
	if (rc == XDR_OK)
		rc = xdr_kp_store_remove(rt->db, name, err);
	if (rc == XDR_OK && unlink(pp.file) != 0 && errno != ENOENT)
		rc = xdr_errf(err, XDR_ERROR, "cannot remove '%s': %s", pp.file,
		              strerror(errno));
	if (rc == XDR_OK && unlink(pp.prev) != 0 && errno != ENOENT)
		rc = xdr_errf(err, XDR_ERROR, "cannot remove '%s': %s", pp.prev,
		              strerror(errno));
	if (rc == XDR_OK)
		rc = kept_dir(rt, name, &dir, err);
	if (rc == XDR_OK)
		rc = xdr_rmtree(dir, err);
	free(dir);
	paths_free(&pp);
	return rc;
}
