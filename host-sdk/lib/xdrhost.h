/*
 * xdrhost.h - libxdrhost, the reference host of the Open XDR plugin ABI.
 *
 * The library keeps what the Open XDR manager would keep (groups, systems,
 * report configurations, generated reports, settings, an event log) in one
 * SQLite database under the host's home directory, loads plugins from one
 * directory through libltdl and hands each of them a struct xdr_host_api.
 *
 * Conventions: functions return XDR_OK (0) or a negative status (enum
 * xdr_status of xdr/plugin.h, or XDR_EINTERRUPTED below) and, on failure,
 * write a one-line message into *err (err may be NULL). Records returned
 * through a pointer are owned by the caller and released with the matching
 * *_free() function. Every database function is safe to call from any
 * thread: one mutex guards the host database.
 */
#ifndef XDRHOST_H
#define XDRHOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "xdr/plugin.h"

struct json_object;

/* A wait was cut short by SIGINT or SIGTERM. */
#define XDR_EINTERRUPTED (-64)

/* ---- errors (err.c) ---------------------------------------------------- */

#define XDR_ERR_MAX 512

struct xdr_err {
	char msg[XDR_ERR_MAX];
};

/* Format a message into err (if not NULL) and return status. */
int xdr_errf(struct xdr_err *err, int status, const char *fmt, ...)
        __attribute__((format(PRINTF_FORMAT, 3, 4)));

/* A short English name for a status code ("invalid argument", ...). */
const char *xdr_status_name(int status);

/* Size of a buffer that always holds the result of xdr_quote(). */
#define XDR_QUOTE_MAX 96

/*
 * Quote untrusted text for a message: "text" with control bytes, quotes,
 * backslashes and invalid UTF-8 escaped, cut at about 64 bytes with "...".
 * Returns buf (size >= XDR_QUOTE_MAX); "(null)" for NULL.
 */
const char *xdr_quote(const char *s, char *buf, size_t size);

/* ---- text rules (validate.c), pure ------------------------------------- */

#define XDR_NAME_MAX_CHARS    128
#define XDR_TITLE_MAX_CHARS   256
#define XDR_VERSION_MAX_CHARS 64

/* True if s[0..len) is well-formed UTF-8; *chars receives the code points. */
bool xdr_utf8_valid(const char *s, size_t len, size_t *chars);

/*
 * Bytes of the character at s that would break a line or drive a terminal
 * where text is shown on one line: a C0 control or DEL (1), a C1 control
 * (U+0080..U+009F, NEL among them: 2), U+2028 or U+2029 (3); 0 for any
 * other character.
 */
size_t xdr_line_break_len(const char *s);

/* In place: each character xdr_line_break_len() counts becomes a space. */
void xdr_text_flatten(char *s);

/*
 * Trim ASCII white space around in and check it is 1..max_chars characters
 * of UTF-8 without control characters. On success *out is a malloc'd copy
 * of the trimmed text. what names the value in messages ("group name").
 */
int xdr_text_check(const char *what, const char *in, size_t max_chars,
                   char **out, struct xdr_err *err);

/* A customer e-mail address: one '@', a non-empty local part, a domain with
 * a dot and no empty label. *out is the trimmed copy. */
int xdr_email_check(const char *in, char **out, struct xdr_err *err);

#define XDR_MAC_CANON_LEN 13 /* 12 lowercase hex digits and a NUL */

/*
 * A MAC address as people type it: 12 hex digits, either without separators
 * or in groups of 2, 4 or 6 digits separated by one kind of ':', '-' or '.'.
 * *out (may be NULL) receives the trimmed text as typed; canon (may be NULL)
 * the 12 lowercase hex digits, for comparing.
 */
int xdr_mac_check(const char *in, char **out, char canon[XDR_MAC_CANON_LEN],
                  struct xdr_err *err);

int xdr_os_parse(const char *s, enum xdr_os *out);
const char *xdr_os_name(enum xdr_os os);
int xdr_sensor_parse(const char *s, enum xdr_sensor *out);
const char *xdr_sensor_name(enum xdr_sensor sensor);
const char *xdr_severity_name(enum xdr_severity severity);
const char *xdr_log_level_name(enum xdr_log_level level);

/* ---- time (rfc3339.c), pure -------------------------------------------- */

#define XDR_RFC3339_MAX 32

/* Parse "2026-01-01T06:00:00Z", "...+02:00", fractions (dropped), 't'/'z'
 * or a space as allowed by RFC 3339; seconds since the epoch in *out. */
int xdr_rfc3339_parse(const char *s, int64_t *out, struct xdr_err *err);

/* Format t as "YYYY-MM-DDTHH:MM:SSZ" (UTC) into buf. */
void xdr_rfc3339_format(int64_t t, char buf[XDR_RFC3339_MAX]);

/* ---- base64 (base64.c), pure ------------------------------------------- */

/* Length of the encoding of n bytes, without the NUL. */
size_t xdr_base64_len(size_t n);

/* Encode n bytes into out (xdr_base64_len(n) + 1 bytes), NUL-terminated. */
void xdr_base64_encode(const unsigned char *in, size_t n, char *out);

/* Decode canonical padded base64 (no white space); XDR_EINVAL if it is not,
 * XDR_ERANGE if out is too small. */
int xdr_base64_decode(const char *in, size_t len, unsigned char *out,
                      size_t size, size_t *outlen);

/* ---- files (fsutil.c) -------------------------------------------------- */

/* Create path and its missing parents, private to their owner (0700, or an
 * owner-only access list on Windows); an existing directory is fine.
 * XDR_EINVAL for a NULL or empty path. */
int xdr_mkdir_p(const char *path, struct xdr_err *err);

/* Remove path and everything below it, not following symbolic links.
 * A missing path is fine. */
int xdr_rmtree(const char *path, struct xdr_err *err);

/* Read at most max bytes of a descriptor into a NUL-terminated malloc'd
 * buffer; XDR_ERANGE if there is more. what names it in messages. */
int xdr_read_fd(int fd, const char *what, size_t max, char **out, size_t *len,
                struct xdr_err *err);

/* Read a whole file (at most max bytes), as xdr_read_fd(). */
int xdr_read_file(const char *path, size_t max, char **out, size_t *len,
                  struct xdr_err *err);

/* Copy what is left to read of src into the new file dst (mode 0600,
 * synced); *size receives the bytes copied. dst is removed on failure. */
int xdr_copy_fd(int src, const char *dst, uint64_t *size, struct xdr_err *err);

/* "a/b" in a malloc'd string, or NULL when out of memory. */
char *xdr_path_join(const char *a, const char *b);

/*
 * private_file_posix.c, not on Windows: open path for reading into *fd
 * only if it is a regular file, not a symbolic link, owned by the user
 * running the host, that group and others cannot access (XDR_ERROR with a
 * message saying how to fix it otherwise); *size (may be NULL) is its
 * size. what names the file in messages ("key file").
 */
int xdr_private_file_open(const char *path, const char *what, int *fd,
                          int64_t *size, struct xdr_err *err);

/* ---- home directory (home.c) ------------------------------------------- */

/*
 * The host's home: opt, else $XDR_HOME, else ./xdr-home; created with mode
 * 0700 (parents too) with its reports/ and plugins/ directories. *out is the
 * absolute path.
 */
int xdr_home_resolve(const char *opt, char **out, struct xdr_err *err);

/* ---- the host database (db.c) ------------------------------------------ */

struct xdr_db;

/* One forward migration: the SQL that takes the schema to version. */
struct xdr_migration {
	int version;
	const char *sql;
};

/* Open (create) the host database at path, migrated to the latest schema. */
int xdr_db_open(struct xdr_db **out, const char *path, struct xdr_err *err);

/* As xdr_db_open() with a migration table of one's own (for tests). */
int xdr_db_open_with(struct xdr_db **out, const char *path,
                     const struct xdr_migration *migrations, size_t n,
                     struct xdr_err *err);

void xdr_db_close(struct xdr_db *db);

/* PRAGMA user_version of the open database. */
int xdr_db_schema_version(struct xdr_db *db, int *version, struct xdr_err *err);

/* The schema version this host creates. */
int xdr_db_latest_version(void);

/* ---- settings (settings.c) --------------------------------------------- */

struct xdr_setting_def {
	const char *key;
	const char *default_value;
	const char *label;  /* what the manager's console calls it */
	const char *values; /* the accepted values, for messages */
};

size_t xdr_setting_count(void);
const struct xdr_setting_def *xdr_setting_at(size_t i);

/* XDR_ENOTFOUND for an unknown key (the message lists the known keys),
 * XDR_EINVAL for a value the key's validator refuses. Pure. */
int xdr_setting_check(const char *key, const char *value, struct xdr_err *err);

/* The key's value, or its default if it was never set (*value malloc'd). */
int xdr_setting_get(struct xdr_db *db, const char *key, char **value,
                    struct xdr_err *err);
int xdr_setting_set(struct xdr_db *db, const char *key, const char *value,
                    struct xdr_err *err);

/* ---- pages of long lists ---------------------------------------------- */

/*
 * The *_page() functions below answer at most limit items (1 to
 * XDR_PAGE_MAX_LIMIT) from offset (0 or more) of what their filter keeps,
 * and in *total the number of items it keeps, read in one transaction so
 * that the two agree. An offset past the end gives no items. A limit or
 * offset out of range: XDR_EINVAL.
 */
#define XDR_PAGE_MAX_LIMIT 500

/* ---- groups (groups.c) ------------------------------------------------- */

struct xdr_group_rec {
	int64_t id;
	char *name;
	char *email; /* NULL if none */
};

struct xdr_group_list {
	struct xdr_group_rec *items;
	size_t n;
};

/* Validate a new group (pure): trimmed copies in *name_out and *email_out. */
int xdr_group_check(const char *name, const char *email, char **name_out,
                    char **email_out, struct xdr_err *err);

int xdr_group_add(struct xdr_db *db, const char *name, const char *email,
                  int64_t *id, struct xdr_err *err);
int xdr_group_list(struct xdr_db *db, struct xdr_group_list *out,
                   struct xdr_err *err);
void xdr_group_list_free(struct xdr_group_list *list);

/* ---- systems (systems.c) ----------------------------------------------- */

/* A system as given by a user (borrowed strings). */
struct xdr_system_spec {
	const char *name;
	const char *group; /* group name */
	enum xdr_os os;
	enum xdr_sensor sensor;    /* XDR_SENSOR_AGENT or XDR_SENSOR_SYSLOG */
	const char *agent_version; /* NULL if none */
	const char *const *macs;
	size_t n_macs;
};

/* A validated system ready to store (owned strings). */
struct xdr_system_new {
	char *name;
	char *group;
	enum xdr_os os;
	enum xdr_sensor sensor;
	char *agent_version;
	char **macs;
	size_t n_macs;
};

struct xdr_system_rec {
	int64_t id;
	char *name;
	int64_t group_id;
	char *group;
	enum xdr_os os;
	enum xdr_sensor sensor;
	char *agent_version; /* NULL if none */
	char **macs;
	size_t n_macs;
};

struct xdr_system_list {
	struct xdr_system_rec *items;
	size_t n;
};

/* Validate a system (pure): names, OS, sensor, agent version (agents only),
 * every MAC, no MAC twice. */
int xdr_system_check(const struct xdr_system_spec *in,
                     struct xdr_system_new *out, struct xdr_err *err);
void xdr_system_new_free(struct xdr_system_new *sys);

int xdr_system_add(struct xdr_db *db, const struct xdr_system_spec *in,
                   int64_t *id, struct xdr_err *err);

/* Systems of group_id (0: of every group), in id order. */
int xdr_system_list(struct xdr_db *db, int64_t group_id,
                    struct xdr_system_list *out, struct xdr_err *err);
/* A page of xdr_system_list() (same filter and order). */
int xdr_system_page(struct xdr_db *db, int64_t group_id, int64_t offset,
                    int64_t limit, struct xdr_system_list *out, int64_t *total,
                    struct xdr_err *err);
void xdr_system_list_free(struct xdr_system_list *list);

/* ---- inventory (inventory.c) ------------------------------------------- */

struct xdr_inventory_group {
	char *name;
	char *email;
};

struct xdr_inventory {
	struct xdr_inventory_group *groups;
	size_t n_groups;
	struct xdr_system_new *systems;
	size_t n_systems;
};

/* Parse and validate an inventory document (pure). */
int xdr_inventory_parse(const char *text, size_t len, struct xdr_inventory *out,
                        struct xdr_err *err);
void xdr_inventory_free(struct xdr_inventory *inv);

/* Store an inventory in one transaction: existing names are updated. */
int xdr_inventory_apply(struct xdr_db *db, const struct xdr_inventory *inv,
                        struct xdr_err *err);

/* Read, parse and apply an inventory file. */
int xdr_inventory_load(struct xdr_db *db, const char *path, size_t *n_groups,
                       size_t *n_systems, struct xdr_err *err);

/* ---- report configurations and reports (reports.c) --------------------- */

struct xdr_report_config_rec {
	int64_t id;
	char *name;
	int64_t group_id;
	char *group;
	bool publish_itglue;
};

struct xdr_report_config_list {
	struct xdr_report_config_rec *items;
	size_t n;
};

int xdr_report_config_add(struct xdr_db *db, const char *name,
                          const char *group, bool publish_itglue, int64_t *id,
                          struct xdr_err *err);
int xdr_report_config_list(struct xdr_db *db,
                           struct xdr_report_config_list *out,
                           struct xdr_err *err);
void xdr_report_config_list_free(struct xdr_report_config_list *list);
/* "Publish report to the IT Glue" on or off for configuration id; the
 * reports generated from it from then on carry the new value.
 * XDR_ENOTFOUND for an unknown id. */
int xdr_report_config_set_publish(struct xdr_db *db, int64_t id, bool publish,
                                  struct xdr_err *err);

#define XDR_REPORT_DEFAULT_TYPE "Security Summary"

/* A report to generate: exactly one of config and group. */
struct xdr_report_spec {
	const char *config;
	const char *group;
	const char *title;
	const char *type; /* NULL: XDR_REPORT_DEFAULT_TYPE */
	const char *file; /* the generated HTML file, copied into the home */
	const char *const *systems;
	size_t n_systems;
	int64_t generated_at;
};

struct xdr_report_rec {
	int64_t id;
	char *title;
	char *type;
	char *config; /* NULL if ad hoc */
	int64_t group_id;
	char *group;
	bool publish_itglue;
	int64_t generated_at;
	char *file_path;
	char *file_name;
	uint64_t size;
	int64_t *system_ids;
	char **systems;
	size_t n_systems;
};

struct xdr_report_list {
	struct xdr_report_rec *items;
	size_t n;
};

/* Copy the file into HOME/reports/<id>/ and record the report, all or
 * nothing. */
int xdr_report_generate(struct xdr_db *db, const char *home,
                        const struct xdr_report_spec *in, int64_t *id,
                        struct xdr_err *err);
int xdr_report_get(struct xdr_db *db, int64_t id, struct xdr_report_rec *out,
                   struct xdr_err *err);
int xdr_report_list(struct xdr_db *db, struct xdr_report_list *out,
                    struct xdr_err *err);
/* A page of the reports, newest (highest id) first. */
int xdr_report_page(struct xdr_db *db, int64_t offset, int64_t limit,
                    struct xdr_report_list *out, int64_t *total,
                    struct xdr_err *err);
/* xdr_report_page() of the reports whose title, type, group or
 * configuration holds q (ASCII letters in any case; text, not a pattern;
 * NULL or "": every report). */
int xdr_report_search(struct xdr_db *db, const char *q, int64_t offset,
                      int64_t limit, struct xdr_report_list *out,
                      int64_t *total, struct xdr_err *err);
void xdr_report_rec_free(struct xdr_report_rec *rec);
void xdr_report_list_free(struct xdr_report_list *list);

/* ---- the event log (events.c) ------------------------------------------ */

#define XDR_EVENT_MAX_FIELDS 64
#define XDR_EVENT_MAX_TEXT   8192

struct xdr_event_rec {
	int64_t seq;
	uint32_t id;
	int64_t time;
	char *severity;
	char *source;
	char *category;
	char *description;
	char *fields; /* JSON object text, fields in the order given */
};

struct xdr_event_list {
	struct xdr_event_rec *items;
	size_t n;
};

/* Is this event well-formed (pure)? */
int xdr_event_check(const struct xdr_event *ev, struct xdr_err *err);

int xdr_event_append(struct xdr_db *db, const char *source, int64_t time,
                     const struct xdr_event *ev, int64_t *seq,
                     struct xdr_err *err);

/* Events in seq order; id 0: every event, else only that event id. */
int xdr_event_list(struct xdr_db *db, uint32_t id, struct xdr_event_list *out,
                   struct xdr_err *err);
/* A page of the events (id 0: every event, else that event id), newest
 * (highest seq) first. */
int xdr_event_page(struct xdr_db *db, uint32_t id, int64_t offset,
                   int64_t limit, struct xdr_event_list *out, int64_t *total,
                   struct xdr_err *err);
/* xdr_event_page() of the events whose description or source holds q
 * (ASCII letters in any case; text, not a pattern; NULL or "": every
 * event). */
int xdr_event_search(struct xdr_db *db, uint32_t id, const char *q,
                     int64_t offset, int64_t limit, struct xdr_event_list *out,
                     int64_t *total, struct xdr_err *err);
void xdr_event_list_free(struct xdr_event_list *list);

/* ---- sealing secrets (seal.c) ------------------------------------------ */

#define XDR_SEAL_KEY_LEN    32
#define XDR_SEAL_MAX_SECRET 65536
#define XDR_SEAL_PREFIX     "xdrseal1:"

struct xdr_seal_key;

/* Load the key file at path, creating it (32 random bytes, mode 0600) if it
 * does not exist. A key readable by group or others, not owned by the user,
 * not a regular file or not 32 bytes is refused. */
int xdr_seal_key_load(const char *path, struct xdr_seal_key **out,
                      struct xdr_err *err);
void xdr_seal_key_free(struct xdr_seal_key *key);

/* Length of the sealed text of a len-byte secret, without the NUL. */
size_t xdr_seal_text_len(size_t len);

/* AES-256-GCM with aad as additional data; buffer rule of plugin.h. */
int xdr_seal(const struct xdr_seal_key *key, const char *aad,
             const void *secret, size_t len, char *buf, size_t size,
             size_t *needed, struct xdr_err *err);

/* XDR_EINVAL if sealed was not made with this key and aad or was altered;
 * XDR_ERANGE (with *len = the secret's length) if buf is too small. */
int xdr_unseal(const struct xdr_seal_key *key, const char *aad,
               const char *sealed, void *buf, size_t size, size_t *len,
               struct xdr_err *err);

/* ---- the host's log (log.c) -------------------------------------------- */

struct xdr_log;

/* A log appending to path (opened on first use, mode 0600); lines of level
 * ERROR and WARNING, or every level if verbose, also go to stderr. */
struct xdr_log *xdr_log_new(const char *path, bool verbose);
void xdr_log_free(struct xdr_log *log);

/* "<RFC3339> <LEVEL> <source>: <message>", control characters blanked. */
void xdr_log_write(struct xdr_log *log, enum xdr_log_level level,
                   const char *source, const char *message);

/* As xdr_log_write(), to the file only (for what was already said on
 * stderr). */
void xdr_log_quiet(struct xdr_log *log, enum xdr_log_level level,
                   const char *source, const char *message);

/* ---- stderr and the progress line (statusline.c) ----------------------- */

bool xdr_stderr_is_tty(void);

/* Show text as the one progress line on stderr (only on a terminal). */
void xdr_statusline_set(const char *text);
void xdr_statusline_clear(void);

/* Print to stderr, keeping a shown progress line intact. */
void xdr_eprintf(const char *fmt, ...)
        __attribute__((format(PRINTF_FORMAT, 1, 2)));

/* ---- signals (signals.c) ----------------------------------------------- */

/* Catch SIGINT and SIGTERM and block them except while waiting in
 * xdr_signals_sleep(): threads started afterwards never see them. SIGPIPE
 * is ignored from then on. */
int xdr_signals_catch(struct xdr_err *err);

/* The signal caught so far, or 0. */
int xdr_signals_caught(void);

/* Sleep ms milliseconds, or less if a caught signal arrives; returns
 * xdr_signals_caught(). */
int xdr_signals_sleep(unsigned ms);

/* ---- the runtime: home, database, log, seal key (runtime.c) ------------ */

struct xdr_keyring;

struct xdr_runtime {
	char *home;
	struct xdr_db *db;
	struct xdr_log *log;
	struct xdr_keyring *keys; /* the seal key, loaded on first use */
};

int xdr_runtime_open(struct xdr_runtime **out, const char *home_opt,
                     bool verbose, struct xdr_err *err);
void xdr_runtime_close(struct xdr_runtime *rt);

/* The seal key of the home (HOME/seal.key), loaded or created on first use;
 * safe from any thread. */
int xdr_runtime_seal_key(struct xdr_runtime *rt,
                         const struct xdr_seal_key **key, struct xdr_err *err);

/* ---- the ABI check (abi.c), pure --------------------------------------- */

#define XDR_PLUGIN_NAME_MAX 32

/* Is name 1..32 of [a-z0-9_-]? */
bool xdr_plugin_name_valid(const char *name);

/* Accept (XDR_OK) or refuse (XDR_EINVAL, reason in err) a descriptor for a
 * host of ABI host_major.host_minor. */
int xdr_abi_check_for(const struct xdr_plugin *desc, unsigned host_major,
                      unsigned host_minor, struct xdr_err *err);

/* xdr_abi_check_for() with this host's ABI version. */
int xdr_abi_check(const struct xdr_plugin *desc, struct xdr_err *err);

/* ---- the host API given to one plugin (host_api.c) --------------------- */

struct xdr_host;

/* A host handle for the plugin name: creates HOME/plugins/<name>/ (0700). */
int xdr_host_new(struct xdr_runtime *rt, const char *name,
                 struct xdr_host **out, struct xdr_err *err);
const struct xdr_host_api *xdr_host_api_of(struct xdr_host *host);
void xdr_host_free(struct xdr_host *host);

/* ---- plugins (loader.c, plugin_call.c) --------------------------------- */

/* The compiled-in plugin directory. */
const char *xdr_plugin_dir_default(void);

/* The plugin directory: opt, else $XDR_PLUGIN_DIR, else the compiled-in
 * one; it must exist. *out is absolute. */
int xdr_plugin_dir_resolve(const char *opt, char **out, struct xdr_err *err);

/* One candidate file of the plugin directory. */
struct xdr_plugin_rec {
	char *file;        /* name in the directory, e.g. "itglue.so" */
	char *path;        /* absolute path */
	char *name;        /* NULL until known */
	char *version;     /* NULL until known */
	char *description; /* NULL until known */
	int abi_major;     /* -1 until known */
	int abi_minor;
	bool loaded;  /* init succeeded */
	char *error;  /* why it was refused, NULL if loaded */
	bool stopped; /* shutdown was called */
	void *handle; /* lt_dlhandle, kept open while loaded */
	const struct xdr_plugin *desc;
	void *state;
	struct xdr_host *host;
};

struct xdr_plugins {
	char *dir;
	struct xdr_plugin_rec *items;
	size_t n;
};

/*
 * Load every candidate of dir (files ending in LT_MODULE_EXT, in name
 * order). A refused candidate is recorded with its reason (also written to
 * stderr and the log as "plugin FILE refused: REASON"); only a failure to
 * read the directory itself is an error.
 */
int xdr_plugins_load(struct xdr_runtime *rt, const char *dir,
                     struct xdr_plugins **out, struct xdr_err *err);

/* The record whose plugin name, or file name without its extension, is
 * name; NULL if none. */
struct xdr_plugin_rec *xdr_plugins_find(struct xdr_plugins *set,
                                        const char *name);

size_t xdr_plugins_loaded_count(const struct xdr_plugins *set);

/* Call shutdown() of every loaded plugin not yet stopped. */
void xdr_plugins_shutdown(struct xdr_plugins *set);

/* Shut down, then release the set. Libraries whose init succeeded stay
 * loaded, as the ABI promises. */
void xdr_plugins_free(struct xdr_plugins *set);

/* on_admin_action: *response receives a malloc'd copy of the plugin's JSON
 * (NULL if it gave none); the return value is the plugin's status. */
int xdr_plugin_admin(struct xdr_plugin_rec *rec, const char *action,
                     const char *request, char **response);
int xdr_plugin_report_generated(struct xdr_plugin_rec *rec, int64_t report_id);

/* A plugin's refusal of a hook: the plugin and the status it returned. */
typedef void (*xdr_refusal_fn)(void *ctx, const struct xdr_plugin_rec *rec,
                               int status);

/* on_report_generated of every loaded plugin, in order: a plugin that
 * refuses is handed to refused (may be NULL), and the others still hear of
 * the report. XDR_OK, or the status of the last refusal. */
int xdr_plugins_report_generated(struct xdr_plugins *set, int64_t report_id,
                                 xdr_refusal_fn refused, void *ctx);
int xdr_plugin_tick(struct xdr_plugin_rec *rec, int64_t now);

/* ---- may a group's reports be published? (publish_check.c) ------------- */

/*
 * Ask the itglue plugin's publish.check whether the reports of group can be
 * published to IT Glue. Without the plugin loaded nothing is asked: XDR_OK
 * with *checked false. Otherwise *checked is true and the plugin's status
 * is returned; when it refused, err holds its message. answer (may be NULL)
 * receives the plugin's answer, malloc'd (NULL if it gave none).
 */
int xdr_publish_check(struct xdr_plugins *set, const char *group, bool *checked,
                      char **answer, struct xdr_err *err);

/* ---- waiting for plugins to go idle (wait.c) --------------------------- */

struct xdr_busy {
	bool busy;
	char running[128]; /* "" if not said */
	uint64_t done;
	uint64_t total;
};

/* Read a plugin's answer to the "status" action (pure). */
int xdr_busy_parse(const char *json, struct xdr_busy *out, struct xdr_err *err);

/* The progress line: "NAME: RUNNING DONE/TOTAL" (no numbers if total is 0). */
void xdr_busy_line(const char *name, const struct xdr_busy *busy, char *buf,
                   size_t size);

#define XDR_WAIT_DEFAULT_SECONDS 600

/*
 * Poll the "status" action of every loaded plugin until none is busy, for at
 * most seconds: XDR_OK when idle, XDR_EBUSY (message naming the plugin) when
 * the bound is reached, XDR_EINTERRUPTED on SIGINT/SIGTERM.
 */
int xdr_wait_idle(struct xdr_plugins *set, unsigned seconds,
                  struct xdr_err *err);

/* ---- JSON renderings of the records (json_out.c) ----------------------- */

struct json_object *xdr_json_groups(const struct xdr_group_list *list);
struct json_object *xdr_json_systems(const struct xdr_system_list *list);
struct json_object *
xdr_json_report_configs(const struct xdr_report_config_list *list);
struct json_object *xdr_json_reports(const struct xdr_report_list *list);
struct json_object *xdr_json_events(const struct xdr_event_list *list);
struct json_object *xdr_json_plugins(const struct xdr_plugins *set);
/* A page (xdr_*_page()) as {"total", "offset", "limit", "items"}; items
 * (one of the renderings above) is taken over, released on failure. */
struct json_object *xdr_json_page(int64_t total, int64_t offset, int64_t limit,
                                  struct json_object *items);

/* Parse one JSON document (and nothing after it) from exactly LEN bytes of
 * TEXT, which need not end in a NUL, with a depth limit. */
int xdr_json_parse(const char *text, size_t len, int max_depth,
                   struct json_object **out, struct xdr_err *err);

/* ---- knowledge packs: the archive (kp_tar.c pure, kp_gzip.c) ------------ */

#define XDR_KP_FORMAT    1
#define XDR_KP_MAX_BYTES (64u << 20) /* a pack, uncompressed */
#define XDR_KP_MAX_FILES 256
#define XDR_KP_MANIFEST  "manifest.json"
#define XDR_SHA256_HEX   65 /* 64 hex digits and a NUL */

/* One regular file of a pack. */
struct xdr_kp_file {
	char *path; /* relative, without "." or ".." components */
	unsigned char *data;
	size_t len;
};

struct xdr_kp_archive {
	struct xdr_kp_file *files;
	size_t n;
};

/*
 * Read an uncompressed ustar archive from memory. Only regular files and
 * directories are accepted; absolute paths, "." or ".." components, links,
 * devices, a file twice and a missing end-of-archive are refused.
 */
int xdr_kp_tar_parse(const unsigned char *buf, size_t len,
                     struct xdr_kp_archive *out, struct xdr_err *err);
void xdr_kp_archive_free(struct xdr_kp_archive *a);
const struct xdr_kp_file *xdr_kp_archive_find(const struct xdr_kp_archive *a,
                                              const char *path);

/* Gunzip a whole gzip stream from memory (pure): at most XDR_KP_MAX_BYTES
 * out; a truncated or corrupt stream, or data after it, is refused. */
int xdr_kp_gunzip(const unsigned char *in, size_t len, unsigned char **out,
                  size_t *outlen, struct xdr_err *err);

/* Read a pack file (gzip-compressed ustar) and parse its archive. raw (may
 * be NULL) receives the file's bytes as read, for keeping a copy of exactly
 * what was verified. err must not be NULL. */
int xdr_kp_read(const char *path, struct xdr_kp_archive *out,
                unsigned char **raw, size_t *raw_len, struct xdr_err *err);

/* ---- knowledge packs: digests and the manifest (kp_digest.c, kp_manifest.c)
 */

/* SHA-256 of data as 64 lowercase hex digits. */
int xdr_sha256_hex(const void *data, size_t len, char out[XDR_SHA256_HEX],
                   struct xdr_err *err);

struct xdr_kp_entry {
	char *file;
	char sha256[XDR_SHA256_HEX];
};

struct xdr_kp_manifest {
	int format;
	char *name;    /* 1..32 of [a-z0-9_-] */
	char *version; /* 1..64 of [A-Za-z0-9.+~-] */
	struct xdr_kp_entry plugin;
	struct xdr_kp_entry *objects;
	size_t n_objects;
};

/* Parse and validate manifest.json (pure). */
int xdr_kp_manifest_parse(const char *text, size_t len,
                          struct xdr_kp_manifest *out, struct xdr_err *err);
void xdr_kp_manifest_free(struct xdr_kp_manifest *m);

/* The archive's manifest, checked against the archive (pure): every file it
 * names is there with its SHA-256, and the archive holds nothing else. */
int xdr_kp_verify(const struct xdr_kp_archive *a, struct xdr_kp_manifest *out,
                  struct xdr_err *err);

/* ---- knowledge objects (kp_object.c), pure ----------------------------- */

enum xdr_kp_type {
	XDR_KP_ALERT,
	XDR_KP_SEARCH,
	XDR_KP_REPORT,
	XDR_KP_KNOWLEDGE,
	XDR_KP_PARSING_RULE,
	XDR_KP_DASHBOARD
};

struct xdr_kp_object {
	enum xdr_kp_type type;
	char *name;
	char *body;        /* the object as compact JSON */
	uint32_t event_id; /* alerts and searches; else 0 */
	char *threat;      /* alerts; else NULL */
	bool active;       /* alerts: active once imported */
	char *ref; /* reports, dashboards: the saved search; else NULL */
};

struct xdr_kp_objects {
	struct xdr_kp_object *items;
	size_t n;
};

/* "alert", "search", ... */
const char *xdr_kp_type_name(enum xdr_kp_type type);
int xdr_kp_type_parse(const char *s, enum xdr_kp_type *out);

/* Parse and validate one object file. */
int xdr_kp_object_parse(const char *text, size_t len, struct xdr_kp_object *out,
                        struct xdr_err *err);
void xdr_kp_object_free(struct xdr_kp_object *obj);
void xdr_kp_objects_free(struct xdr_kp_objects *list);

/* Parse every object of a verified pack and check the set: names unique per
 * type, every reference to a saved search resolved. */
int xdr_kp_objects_load(const struct xdr_kp_archive *a,
                        const struct xdr_kp_manifest *m,
                        struct xdr_kp_objects *out, struct xdr_err *err);

/* ---- the parsing rule's template matcher (kp_parse.c), pure ------------ */

struct xdr_kp_field {
	char *name;
	char *value;
};

struct xdr_kp_fields {
	struct xdr_kp_field *items;
	size_t n;
};

/* Is tmpl a usable template: "%name%" fields of [a-z0-9_], no field twice,
 * no two fields without text between them, "%%" for a literal '%'? */
int xdr_kp_template_check(const char *tmpl, struct xdr_err *err);

/* Match text against tmpl as a whole; the fields in template order. The
 * fields named in digits[0..n_digits) only match one or more ASCII digits,
 * which settles texts whose other values hold the template's own words.
 * With escaped, the text's values have '\' and '\'' behind a backslash: a
 * value never ends inside an escape, and is given back without them.
 * XDR_ENOTFOUND if it does not match. */
int xdr_kp_template_match(const char *tmpl, const char *text,
                          const char *const *digits, size_t n_digits,
                          bool escaped, struct xdr_kp_fields *out,
                          struct xdr_err *err);
void xdr_kp_fields_free(struct xdr_kp_fields *f);

/* Apply a parsing rule's body (JSON of a parsing_rule object) to the
 * description of an event of event_id: XDR_ENOTFOUND if the rule has no
 * template for the id or the text does not match it. */
int xdr_kp_rule_apply(const char *rule_body, uint32_t event_id,
                      const char *text, struct xdr_kp_fields *out,
                      struct xdr_err *err);

/* ---- installed packs and their objects (kp_store.c) -------------------- */

struct xdr_kp_pack_rec {
	char *name;
	char *version;
	char *state; /* "current" or "previous" */
	int64_t installed_at;
	char *plugin_file;
	size_t n_objects; /* of the current version; 0 for "previous" */
};

struct xdr_kp_pack_list {
	struct xdr_kp_pack_rec *items;
	size_t n;
};

int xdr_kp_pack_list(struct xdr_db *db, struct xdr_kp_pack_list *out,
                     struct xdr_err *err);
void xdr_kp_pack_list_free(struct xdr_kp_pack_list *list);

/* The version of name in state, *version malloc'd; XDR_ENOTFOUND if none. */
int xdr_kp_pack_version(struct xdr_db *db, const char *name, const char *state,
                        char **version, struct xdr_err *err);

/*
 * In one transaction: the pack becomes the current version of its name (the
 * version current until now, if another, becomes "previous"; with
 * rollback, the two swap) and its objects replace those of the name. An
 * alert already present keeps its enabled flag.
 */
int xdr_kp_store_import(struct xdr_db *db, const struct xdr_kp_manifest *m,
                        const char *plugin_file,
                        const struct xdr_kp_objects *objs, int64_t now,
                        struct xdr_err *err);

/* Forget the pack name and its objects (fired alerts stay as history). */
int xdr_kp_store_remove(struct xdr_db *db, const char *name,
                        struct xdr_err *err);

/* The body of the object type/name; XDR_ENOTFOUND if none. */
int xdr_kp_object_get(struct xdr_db *db, enum xdr_kp_type type,
                      const char *name, char **body, struct xdr_err *err);

/* Names of the objects of a type, in name order. */
int xdr_kp_object_names(struct xdr_db *db, enum xdr_kp_type type, char ***names,
                        size_t *n, struct xdr_err *err);
void xdr_kp_names_free(char **names, size_t n);

/* ---- installing packs (kp_install.c) ----------------------------------- */

/*
 * Install a pack file: read and verify it completely first (a refused pack
 * changes nothing), keep a copy under HOME/kp/, install the plugin into
 * plugin_dir atomically (the file it replaces kept as FILE.prev), then
 * import the objects. *m receives the manifest (free it).
 */
int xdr_kp_install(struct xdr_runtime *rt, const char *plugin_dir,
                   const char *file, struct xdr_kp_manifest *m,
                   struct xdr_err *err);

/* Bring back the previous version of the pack name: plugin and objects.
 * *version receives the version now current (malloc'd). */
int xdr_kp_rollback(struct xdr_runtime *rt, const char *plugin_dir,
                    const char *name, char **version, struct xdr_err *err);

/* Remove the pack name: its plugin file, its objects, its kept copies. */
int xdr_kp_remove(struct xdr_runtime *rt, const char *plugin_dir,
                  const char *name, struct xdr_err *err);

/* ---- alerts (alerts.c) ------------------------------------------------- */

struct xdr_alert_rec {
	char *name;
	uint32_t event_id;
	char *threat;
	bool enabled;
	char *pack;
};

struct xdr_alert_list {
	struct xdr_alert_rec *items;
	size_t n;
};

struct xdr_fired_rec {
	int64_t seq;
	char *alert;
	char *threat;
	int64_t event_seq;
	uint32_t event_id;
	int64_t time;
	char *description;
};

struct xdr_fired_list {
	struct xdr_fired_rec *items;
	size_t n;
};

int xdr_alert_list(struct xdr_db *db, struct xdr_alert_list *out,
                   struct xdr_err *err);
void xdr_alert_list_free(struct xdr_alert_list *list);

/* XDR_ENOTFOUND for an unknown alert. While enabled, every event of the
 * alert's id appended to the log fires it (a row of the fired alerts, made
 * in the same statement as the event's). */
int xdr_alert_set_enabled(struct xdr_db *db, const char *name, bool enabled,
                          struct xdr_err *err);

int xdr_alert_fired_list(struct xdr_db *db, struct xdr_fired_list *out,
                         struct xdr_err *err);
void xdr_fired_list_free(struct xdr_fired_list *list);

/* ---- saved searches (search.c) ----------------------------------------- */

/* Does an event's fields (JSON object text) hold every name/value of the
 * search's "fields" filter (JSON object text, or NULL)? Pure. */
bool xdr_search_match(const char *filter, const char *fields);

/* Run the saved search name over the event log, in seq order. */
int xdr_search_run(struct xdr_db *db, const char *name,
                   struct xdr_event_list *out, struct xdr_err *err);

/* The events of the saved search that a report or dashboard object (its
 * JSON body, as xdr_kp_object_get() gives it) names, in seq order. */
int xdr_kp_events_of(struct xdr_db *db, const char *body,
                     struct xdr_event_list *out, struct xdr_err *err);

/* ---- reports and dashboards of the pack (kp_render.c, kp_dashboard.c) ---
 */

enum xdr_kp_format { XDR_KP_HTML, XDR_KP_CSV };

/* kp_text.c, pure: s escaped for HTML text and attributes; s as one RFC
 * 4180 CSV field, always quoted, a leading =, +, -, @, tab or carriage
 * return behind a ' so that a spreadsheet takes it as text. Both write
 * what xdr_line_break_len() counts as a space. */
void xdr_html_put(FILE *f, const char *s);
void xdr_csv_put(FILE *f, const char *s);

/* The value of a column of an event, malloc'd (NULL: out of memory):
 * "time" (RFC 3339), "date" (YYYY-MM-DD), "event_id", "severity", "source",
 * "description", or else the structured field of that name ("" if none). */
char *xdr_event_column(const struct xdr_event_rec *e, const char *column);

/* Render the events as the report object's body describes (pure); *out is
 * malloc'd text. */
int xdr_kp_report_render(const char *report_body,
                         const struct xdr_event_list *events,
                         enum xdr_kp_format format, char **out,
                         struct xdr_err *err);

/* Render a dashboard object's body over the events as one self-contained
 * HTML page with inline SVG charts (pure). */
int xdr_kp_dashboard_render(const char *dashboard_body,
                            const struct xdr_event_list *events, char **out,
                            struct xdr_err *err);

#endif /* XDRHOST_H */
