/*
 * loader.c - finding, loading and refusing plugins with libltdl.
 *
 * Only the plugin directory is read, and every library is opened by its
 * full path: no search path is ever consulted, so nothing outside the
 * directory can be loaded as a plugin.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <ltdl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compat/os.h"
#include "xdrhost.h"

#ifndef XDR_PLUGINDIR
#error "XDR_PLUGINDIR must name the compiled-in plugin directory"
#endif

#define VERSION_MAX     64
#define DESCRIPTION_MAX 256

const char *xdr_plugin_dir_default(void)
{
	return XDR_PLUGINDIR;
}

int xdr_plugin_dir_resolve(const char *opt, char **out, struct xdr_err *err)
{
	const char *dir = opt;
	struct stat st;
	char *abs;

	if (dir == NULL || *dir == '\0')
		dir = getenv("XDR_PLUGIN_DIR");
	if (dir == NULL || *dir == '\0')
		dir = xdr_plugin_dir_default();
	if (stat(dir, &st) != 0)
		return xdr_errf(
		        err, errno == ENOENT ? XDR_ENOTFOUND : XDR_ERROR,
		        "plugin directory '%s' %s", dir,
		        errno == ENOENT ? "does not exist" : strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return xdr_errf(err, XDR_EINVAL,
		                "plugin directory '%s' is not a directory",
		                dir);
	abs = os_realpath(dir);
	if (abs == NULL)
		return xdr_errf(err, XDR_ERROR,
		                "cannot resolve plugin directory '%s': %s", dir,
		                strerror(errno));
	*out = abs;
	return XDR_OK;
}

/* A bounded copy of text a plugin gave, control characters replaced. */
static char *dup_clean(const char *s, size_t max)
{
	char *copy = strndup(s, max);

	for (char *p = copy; p != NULL && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return copy;
}

static void refuse(struct xdr_runtime *rt, struct xdr_plugin_rec *rec,
                   const char *fmt, ...)
        __attribute__((format(PRINTF_FORMAT, 3, 4)));

static void refuse(struct xdr_runtime *rt, struct xdr_plugin_rec *rec,
                   const char *fmt, ...)
{
	char reason[XDR_ERR_MAX], line[XDR_ERR_MAX + 128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	rec->error = strdup(reason);
	snprintf(line, sizeof(line), "plugin %s refused: %s", rec->file,
	         reason);
	xdr_eprintf("xdr-host: %s\n", line);
	xdr_log_quiet(rt->log, XDR_LOG_ERROR, "xdr-host", line);
	/* The descriptor lived in the library: gone with it. */
	rec->desc = NULL;
	if (rec->handle != NULL) {
		lt_dlclose(rec->handle);
		rec->handle = NULL;
	}
}

/* What plugin list can show even of a refused plugin: only fields inside
 * the declared size, of a descriptor whose layout this host knows. */
static void note_identity(struct xdr_plugin_rec *rec,
                          const struct xdr_plugin *d)
{
	if (d == NULL || d->struct_size < XDR_PLUGIN_MIN_SIZE_1_0)
		return;
	rec->abi_major = d->abi_major;
	rec->abi_minor = d->abi_minor;
	if (d->abi_major != XDR_PLUGIN_ABI_MAJOR)
		return;
	if (xdr_plugin_name_valid(d->name))
		rec->name = strdup(d->name);
	if (d->version != NULL && d->version[0] != '\0')
		rec->version = dup_clean(d->version, VERSION_MAX);
	if (d->description != NULL)
		rec->description = dup_clean(d->description, DESCRIPTION_MAX);
}

static const struct xdr_plugin_rec *loaded_named(const struct xdr_plugins *set,
                                                 const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->items[i].loaded &&
		    strcmp(set->items[i].name, name) == 0)
			return &set->items[i];
	return NULL;
}

static lt_dlhandle open_library(const char *path)
{
	lt_dladvise advise;
	lt_dlhandle handle = NULL;

	if (lt_dladvise_init(&advise) != 0)
		return NULL;
	/* Each plugin's symbols stay its own. */
	if (lt_dladvise_local(&advise) == 0)
		handle = lt_dlopenadvise(path, advise);
	lt_dladvise_destroy(&advise);
	return handle;
}

/*
 * libltdl tries every loader in turn and reports the last failure: that of
 * the preloaded-module loader, "file not found", even for a file that is
 * there but is no library. Ask the system's loaders one by one for their
 * own reason instead.
 */
static void why_not_loadable(const char *path, char *buf, size_t size)
{
	lt_dladvise advise = NULL;

	snprintf(buf, size, "unknown error");
	if (lt_dladvise_init(&advise) != 0 || lt_dladvise_local(&advise) != 0) {
		lt_dladvise_destroy(&advise);
		return;
	}
	for (lt_dlloader l = lt_dlloader_next(NULL); l != NULL;
	     l = lt_dlloader_next(l)) {
		const lt_dlvtable *vt = lt_dlloader_get(l);
		const char *why;
		lt_module m;

		if (vt == NULL || vt->module_open == NULL ||
		    strcmp(vt->name, "lt_preopen") == 0)
			continue;
		m = vt->module_open(vt->dlloader_data, path, advise);
		if (m != NULL) {
			vt->module_close(vt->dlloader_data, m);
			continue;
		}
		why = lt_dlerror();
		if (why != NULL) {
			snprintf(buf, size, "%s", why);
			break;
		}
	}
	lt_dladvise_destroy(&advise);
}

static void start(struct xdr_runtime *rt, struct xdr_plugin_rec *rec)
{
	char errbuf[XDR_ERR_MAX] = "", line[XDR_ERR_MAX];
	struct xdr_err err;
	void *state = NULL;
	int rc = xdr_host_new(rt, rec->name, &rec->host, &err);

	if (rc != XDR_OK) {
		refuse(rt, rec, "%s", err.msg);
		return;
	}
	rc = rec->desc->init(xdr_host_api_of(rec->host), &state, errbuf,
	                     sizeof(errbuf));
	errbuf[sizeof(errbuf) - 1] = '\0';
	if (rc != XDR_OK) {
		/* A failed init does not get shutdown(): it cleaned up. */
		xdr_host_free(rec->host);
		rec->host = NULL;
		if (errbuf[0] != '\0')
			refuse(rt, rec, "init failed: %s", errbuf);
		else
			refuse(rt, rec, "init failed: %s (%d)",
			       xdr_status_name(rc), rc);
		return;
	}
	rec->state = state;
	rec->loaded = true;
	snprintf(line, sizeof(line), "plugin %s %s loaded from %s", rec->name,
	         rec->version, rec->file);
	xdr_log_write(rt->log, XDR_LOG_INFO, "xdr-host", line);
}

static void load_one(struct xdr_runtime *rt, struct xdr_plugins *set,
                     struct xdr_plugin_rec *rec)
{
	const struct xdr_plugin_rec *same;
	xdr_plugin_entry_fn entry;
	struct xdr_err err;
	struct stat st;
	void *sym;

	if (stat(rec->path, &st) != 0) {
		if (errno == ENOENT)
			refuse(rt, rec, "file not found");
		else
			refuse(rt, rec, "cannot read: %s", strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		refuse(rt, rec, "not a loadable library: not a regular file");
		return;
	}
	rec->handle = open_library(rec->path);
	if (rec->handle == NULL) {
		char why[XDR_ERR_MAX / 2];

		why_not_loadable(rec->path, why, sizeof(why));
		refuse(rt, rec, "not a loadable library: %s", why);
		return;
	}
	sym = lt_dlsym(rec->handle, XDR_PLUGIN_ENTRY_SYMBOL);
	if (sym == NULL) {
		refuse(rt, rec, "no entry point " XDR_PLUGIN_ENTRY_SYMBOL);
		return;
	}
	/* POSIX allows object to function pointer conversion; C does not
	 * say how, memcpy does it without a cast the compiler frowns on. */
	memcpy(&entry, &sym, sizeof(entry));
	rec->desc = entry();
	note_identity(rec, rec->desc);
	if (xdr_abi_check(rec->desc, &err) != XDR_OK) {
		refuse(rt, rec, "%s", err.msg);
		return;
	}
	same = loaded_named(set, rec->name);
	if (same != NULL) {
		refuse(rt, rec, "name '%s' already used by %s", rec->name,
		       same->file);
		return;
	}
	start(rt, rec);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files of dir ending in the module extension, sorted by name. */
static int candidates(const char *dir, char ***out, size_t *n,
                      struct xdr_err *err)
{
	const char *ext = LT_MODULE_EXT;
	size_t ext_len = strlen(ext), cap = 0, count = 0;
	char **names = NULL;
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = XDR_OK;

	if (d == NULL)
		return xdr_errf(err, XDR_ERROR,
		                "cannot read plugin directory '%s': %s", dir,
		                strerror(errno));
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len <= ext_len || strcmp(de->d_name + len - ext_len, ext))
			continue;
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			char **p = realloc(names, ncap * sizeof(*names));

			if (p == NULL) {
				rc = XDR_ENOMEM;
				break;
			}
			names = p;
			cap = ncap;
		}
		names[count] = strdup(de->d_name);
		if (names[count] == NULL) {
			rc = XDR_ENOMEM;
			break;
		}
		count++;
	}
	closedir(d);
	if (rc != XDR_OK) {
		for (size_t i = 0; i < count; i++)
			free(names[i]);
		free(names);
		return xdr_errf(err, rc, "out of memory");
	}
	if (count > 1)
		qsort(names, count, sizeof(*names), by_name);
	*out = names;
	*n = count;
	return XDR_OK;
}

int xdr_plugins_load(struct xdr_runtime *rt, const char *dir,
                     struct xdr_plugins **out, struct xdr_err *err)
{
	struct xdr_plugins *set = calloc(1, sizeof(*set));
	char **names = NULL;
	size_t n = 0;
	int rc;

	if (set == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	set->dir = strdup(dir);
	if (set->dir == NULL) {
		free(set);
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	rc = candidates(dir, &names, &n, err);
	if (rc == XDR_OK && n > 0) {
		set->items = calloc(n, sizeof(*set->items));
		if (set->items == NULL)
			rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	for (size_t i = 0; rc == XDR_OK && i < n; i++) {
		struct xdr_plugin_rec *rec = &set->items[i];

		rec->file = names[i];
		names[i] = NULL;
		rec->abi_major = rec->abi_minor = -1;
		rec->path = xdr_path_join(set->dir, rec->file);
		set->n++;
		if (rec->path == NULL)
			rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc == XDR_OK && lt_dlinit() != 0)
		rc = xdr_errf(err, XDR_ERROR, "cannot initialise libltdl: %s",
		              lt_dlerror());
	if (rc != XDR_OK) {
		for (size_t i = 0; i < set->n; i++) {
			free(set->items[i].file);
			free(set->items[i].path);
		}
		free(set->items);
		free(set->dir);
		free(set);
		return rc;
	}
	for (size_t i = 0; i < set->n; i++)
		load_one(rt, set, &set->items[i]);
	*out = set;
	return XDR_OK;
}

struct xdr_plugin_rec *xdr_plugins_find(struct xdr_plugins *set,
                                        const char *name)
{
	size_t ext_len = strlen(LT_MODULE_EXT);

	for (size_t i = 0; i < set->n; i++)
		if (set->items[i].name != NULL &&
		    strcmp(set->items[i].name, name) == 0 &&
		    set->items[i].loaded)
			return &set->items[i];
	for (size_t i = 0; i < set->n; i++)
		if (set->items[i].name != NULL &&
		    strcmp(set->items[i].name, name) == 0)
			return &set->items[i];
	for (size_t i = 0; i < set->n; i++) {
		const char *file = set->items[i].file;
		size_t stem = strlen(file) - ext_len;

		if (strlen(name) == stem && strncmp(file, name, stem) == 0)
			return &set->items[i];
	}
	return NULL;
}

size_t xdr_plugins_loaded_count(const struct xdr_plugins *set)
{
	size_t n = 0;

	for (size_t i = 0; i < set->n; i++)
		n += set->items[i].loaded;
	return n;
}

void xdr_plugins_shutdown(struct xdr_plugins *set)
{
	for (size_t i = 0; i < set->n; i++) {
		struct xdr_plugin_rec *rec = &set->items[i];

		if (!rec->loaded || rec->stopped)
			continue;
		rec->desc->shutdown(rec->state);
		rec->stopped = true;
		rec->state = NULL;
		/* No host service may be called after shutdown() returned. */
		xdr_host_free(rec->host);
		rec->host = NULL;
	}
}

void xdr_plugins_free(struct xdr_plugins *set)
{
	bool any_loaded = false;

	if (set == NULL)
		return;
	xdr_plugins_shutdown(set);
	for (size_t i = 0; i < set->n; i++) {
		struct xdr_plugin_rec *rec = &set->items[i];

		any_loaded = any_loaded || rec->loaded;
		free(rec->file);
		free(rec->path);
		free(rec->name);
		free(rec->version);
		free(rec->description);
		free(rec->error);
	}
	/* lt_dlexit() would unload every library: only when none ran. */
	if (!any_loaded)
		lt_dlexit();
	free(set->items);
	free(set->dir);
	free(set);
}
