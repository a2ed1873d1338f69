/*
 * xdr/plugin.h - the Open XDR manager plugin ABI.
 *
 * This is the only header a plugin needs. It depends on nothing but <stddef.h>
 * and <stdint.h>, so a plugin built with one compiler or C runtime can be
 * loaded by a host built with another.
 *
 * The contract, in short:
 *
 *   - A plugin is a shared library (".so", ".dll") that exports exactly one
 *     function, xdr_plugin_entry(), returning a pointer to a static, constant
 *     struct xdr_plugin that describes it.
 *   - The host checks the descriptor (see "Compatibility" below), then calls
 *     init() with a struct xdr_host_api: the table of host services. The plugin
 *     calls the host only through that table, never through global symbols, so
 *     it links with -no-undefined and needs no import library of the host.
 *   - Memory never crosses the boundary to be freed by the other side: strings
 *     the plugin hands to the host are released with the plugin's free(); data
 *     the host hands to the plugin (in callbacks) is borrowed for the duration
 *     of the call only and must be copied if kept.
 *
 * Compatibility:
 *
 *   - XDR_PLUGIN_ABI_MAJOR must be equal on both sides.
 *   - A plugin built for a newer minor than the host is refused; an older minor
 *     is accepted (the host then reads only the fields that minor declared).
 *   - Fields are only ever appended to the structs below, each append bumping
 *     the minor. Every struct starts with struct_size; each side reads the
 *     other's struct only up to the size it declares, and treats a struct
 *     smaller than the minimum of its declared minor as invalid.
 *
 * Threads:
 *
 *   - The hooks may be called from any host thread, concurrently with each
 *     other and with the plugin's own threads.
 *   - A hook never does network I/O and returns within a millisecond or two:
 *     long work is queued to a thread the plugin owns.
 *   - Every host service in struct xdr_host_api is safe to call from any
 *     thread, including threads the plugin created, between the return of a
 *     successful init() and the return of shutdown().
 *
 * Lifetime: the host loads plugins only from its plugin directory, calls
 * init() once, the hooks any number of times, shutdown() once, and never
 * unloads a plugin whose init() succeeded.
 */
#ifndef XDR_PLUGIN_H
#define XDR_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the ABI described by this header. */
#define XDR_PLUGIN_ABI_MAJOR 1
#define XDR_PLUGIN_ABI_MINOR 0

/* Name of the one symbol a plugin exports. */
#define XDR_PLUGIN_ENTRY_SYMBOL "xdr_plugin_entry"

/* How a plugin marks xdr_plugin_entry() for export. */
#if defined(_WIN32) || defined(__CYGWIN__)
#define XDR_PLUGIN_EXPORT __declspec(dllexport)
#elif defined(__GNUC__)
#define XDR_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define XDR_PLUGIN_EXPORT
#endif

/*
 * Status codes. Every function of the ABI that can fail returns one of these:
 * zero for success, a negative value for failure.
 */
enum xdr_status {
	XDR_OK = 0,
	XDR_ERROR = -1,     /* failure; a message was logged or returned */
	XDR_EINVAL = -2,    /* an argument is invalid */
	XDR_ENOTFOUND = -3, /* the thing asked for does not exist */
	XDR_ERANGE = -4,    /* the caller's buffer is too small */
	XDR_ENOMEM = -5,    /* out of memory */
	XDR_EDISABLED = -6, /* the feature is switched off */
	XDR_EBUSY = -7      /* try again later */
};

/* Log levels for xdr_host_api.log(). */
enum xdr_log_level {
	XDR_LOG_ERROR = 0,
	XDR_LOG_WARNING = 1,
	XDR_LOG_INFO = 2,
	XDR_LOG_DEBUG = 3
};

/* Severities of events in the host's event log. */
enum xdr_severity {
	XDR_SEVERITY_INFO = 0,
	XDR_SEVERITY_WARNING = 1,
	XDR_SEVERITY_ERROR = 2,
	XDR_SEVERITY_CRITICAL = 3
};

/* One name/value field of an event. Both strings are UTF-8. */
struct xdr_event_field {
	const char *name;
	const char *value;
};

/*
 * An event for the host's event log (xdr_host_api.emit_event). The host
 * copies everything it needs before emit_event() returns.
 */
struct xdr_event {
	uint32_t struct_size;       /* sizeof(struct xdr_event) of the plugin */
	uint32_t id;                /* event id, e.g. 4021 */
	enum xdr_severity severity; /* how bad it is */
	const char *category;       /* short category, e.g. "IT Glue" */
	const char *description;    /* one human-readable sentence or more */
	const struct xdr_event_field *fields; /* n_fields fields, or NULL */
	size_t n_fields;
	/* The host sets the event's source to the plugin's name and its time
	 * to the time of the call: a plugin cannot forge either. */
};

/* An Open XDR group, as given to xdr_group_fn. All strings are borrowed. */
struct xdr_group {
	uint32_t struct_size; /* sizeof(struct xdr_group) of the host */
	int64_t id;           /* host id, > 0, stable for the group's life */
	const char *name;     /* unique in the host */
	const char *email;    /* customer e-mail address, or NULL if none */
};

/* Operating system of a system. */
enum xdr_os { XDR_OS_OTHER = 0, XDR_OS_WINDOWS = 1, XDR_OS_LINUX = 2 };

/* How a system reports to the manager. */
enum xdr_sensor {
	XDR_SENSOR_OTHER = 0, /* anything else */
	XDR_SENSOR_AGENT = 1, /* the Open XDR agent */
	XDR_SENSOR_SYSLOG = 2 /* a syslog device */
};

/* An Open XDR system, as given to xdr_system_fn. All strings are borrowed. */
struct xdr_system {
	uint32_t struct_size; /* sizeof(struct xdr_system) of the host */
	int64_t id;           /* host id, > 0 */
	const char *name;     /* unique in the host */
	int64_t group_id;     /* id of the group it belongs to */
	enum xdr_os os;
	enum xdr_sensor sensor;
	const char *agent_version; /* e.g. "9.3.0", or NULL if not an agent */
	const char *const *macs;   /* n_macs MAC addresses as the host recorded
	                              them (any notation), or NULL */
	size_t n_macs;
};

/* A generated report, as given to xdr_report_fn. All strings are borrowed. */
struct xdr_report {
	uint32_t struct_size;      /* sizeof(struct xdr_report) of the host */
	int64_t id;                /* host id, > 0 */
	const char *title;         /* e.g. "EDR Summary Reports" */
	const char *type;          /* e.g. "Security Summary" */
	const char *config_name;   /* report configuration, or NULL if ad hoc */
	int publish_itglue;        /* non-zero: the configuration asks for
	                              "Publish report to the IT Glue" */
	int64_t group_id;          /* the group the report is about */
	int64_t generated_at;      /* seconds since 1970-01-01T00:00:00Z */
	const char *file_path;     /* the report's HTML file, readable by the
	                              plugin for as long as the report exists */
	const char *file_name;     /* the file's name without directories */
	uint64_t file_size;        /* its size in bytes */
	const int64_t *system_ids; /* the systems the report covers, or NULL */
	size_t n_system_ids;
};

/*
 * Enumeration callbacks. Return 0 to go on, non-zero to stop: the enumerating
 * service then returns that value. The record is borrowed for the call only.
 */
typedef int (*xdr_group_fn)(void *user, const struct xdr_group *group);
typedef int (*xdr_system_fn)(void *user, const struct xdr_system *system);
typedef int (*xdr_report_fn)(void *user, const struct xdr_report *report);

/* Opaque handle of the host, the first argument of every host service. */
struct xdr_host;

/*
 * The host's services, handed to init(). The table and the handle stay valid
 * until shutdown() returns. Services that fill a caller's buffer follow one
 * rule: on success they write a NUL-terminated string and return XDR_OK; if
 * the buffer is too small they write nothing useful, store the size needed
 * (including the NUL) in *needed when needed is not NULL, and return
 * XDR_ERANGE.
 */
struct xdr_host_api {
	uint32_t struct_size;  /* sizeof(struct xdr_host_api) of the host */
	uint16_t abi_major;    /* XDR_PLUGIN_ABI_MAJOR of the host */
	uint16_t abi_minor;    /* XDR_PLUGIN_ABI_MINOR of the host */
	struct xdr_host *host; /* pass as the first argument below */

	/* Write one line to the host's log, attributed to the plugin. The
	 * message should not end with a newline and must not hold secrets. */
	void (*log)(struct xdr_host *host, enum xdr_log_level level,
	            const char *message);

	/* Append an event to the host's event log. XDR_EINVAL if the event is
	 * malformed (struct_size too small, no description, a NULL field). */
	int (*emit_event)(struct xdr_host *host, const struct xdr_event *event);

	/* Read a host setting into buf. XDR_ENOTFOUND if the key is unknown.
	 * Known keys: "psa_rmm_integration" ("on" or "off", the manager's
	 * "Enable PSA/RMM Integration" checkbox). */
	int (*get_setting)(struct xdr_host *host, const char *key, char *buf,
	                   size_t size, size_t *needed);

	/* The plugin's private state directory (exists, writable, not shared
	 * with any other plugin), as an absolute path without a trailing
	 * separator. */
	int (*get_state_dir)(struct xdr_host *host, char *buf, size_t size,
	                     size_t *needed);

	/* Call fn for every group, in id order. */
	int (*list_groups)(struct xdr_host *host, xdr_group_fn fn, void *user);

	/* Call fn for every system of the group group_id, or of every group if
	 * group_id is 0, in id order. XDR_ENOTFOUND for an unknown group. */
	int (*list_systems)(struct xdr_host *host, int64_t group_id,
	                    xdr_system_fn fn, void *user);

	/* Call fn once with the report report_id. XDR_ENOTFOUND if none. */
	int (*get_report)(struct xdr_host *host, int64_t report_id,
	                  xdr_report_fn fn, void *user);

	/* Seal a secret of len bytes into printable text (no NUL, no newline,
	 * at most 3 * len + 64 bytes) that only this host can unseal, and only
	 * for this plugin. The text is safe to store anywhere. */
	int (*seal)(struct xdr_host *host, const void *secret, size_t len,
	            char *buf, size_t size, size_t *needed);

	/* Unseal text made by seal() into buf; *len receives the secret's
	 * length (the host also writes a NUL after it when room allows).
	 * XDR_EINVAL if the text was not sealed by this host for this plugin or
	 * was altered. Wipe the secret from memory as soon as it is used. */
	int (*unseal)(struct xdr_host *host, const char *sealed, void *buf,
	              size_t size, size_t *len);
};

/*
 * The plugin's descriptor, returned by xdr_plugin_entry(). It must stay valid
 * and unchanged for the life of the process (a static const struct).
 */
struct xdr_plugin {
	uint32_t struct_size; /* sizeof(struct xdr_plugin) of the plugin */
	uint16_t abi_major;  /* XDR_PLUGIN_ABI_MAJOR the plugin was built for */
	uint16_t abi_minor;  /* XDR_PLUGIN_ABI_MINOR the plugin was built for */
	const char *name;    /* 1 to 32 of [a-z0-9_-], unique among plugins:
	                        the name admin actions and events use */
	const char *version; /* the plugin's own version, e.g. "1.2.0" */
	const char *description; /* one line for "plugin list" */

	/* Start the plugin. On success store the plugin's state in *state (it
	 * is passed back to every other callback) and return XDR_OK. On failure
	 * write a one-line reason into err (errsize bytes, NUL-terminated) and
	 * return a negative status: the plugin is then not used, and shutdown()
	 * is not called. The api table outlives the plugin's use of it. */
	int (*init)(const struct xdr_host_api *api, void **state, char *err,
	            size_t errsize);

	/* Stop the plugin: stop and join its threads, close its files, free its
	 * state. No host service may be called after it returns. */
	void (*shutdown)(void *state);

	/* A report was generated (host report id). Record what is needed and
	 * return; never block on the network. */
	int (*on_report_generated)(void *state, int64_t report_id);

	/* The host's scheduler ticks, at least once a minute while it runs;
	 * now is the host's time in seconds since 1970-01-01T00:00:00Z, which
	 * the plugin uses instead of its own clock for deciding what is due. */
	int (*on_schedule_tick)(void *state, int64_t now);

	/* An administrator's action. request is a JSON document (an object, or
	 * NULL for none). On return *response holds a JSON object allocated by
	 * the plugin (release it with free() below), also on failure, where it
	 * reads {"error": {"code": "...", "message": "..."}}. Returns XDR_OK or
	 * a negative status. Every plugin answers the action "status" with at
	 * least {"busy": true|false}, plus, while busy, "progress": {"running":
	 * "<what>", "done": N, "total": N} ("total" 0 when unknown).
	 *
	 * Long work: an action that starts work too long for a hook answers
	 * {"job": ID, ...} at once and does the work on its own thread. Such a
	 * plugin also answers the action "job" with the request {"id": ID}:
	 * {"id": ID, "state": "queued" | "running" | "done" | "failed" |
	 * "cancelled", "progress": {"done": N, "total": N}, "result": {...}}.
	 * A host that waits for the plugin to be idle (see "status") may then
	 * show the job as it ended in place of the first answer. */
	int (*on_admin_action)(void *state, const char *action,
	                       const char *request, char **response);

	/* Release memory the plugin handed to the host. */
	void (*free)(void *ptr);
};

/* The minimum struct_size of struct xdr_plugin for ABI 1.0: through free. */
#define XDR_PLUGIN_MIN_SIZE_1_0                                                \
	(offsetof(struct xdr_plugin, free) + sizeof(void (*)(void *)))

/* The minimum struct_size of struct xdr_host_api for ABI 1.0: through unseal.
 */
#define XDR_HOST_API_MIN_SIZE_1_0                                              \
	(offsetof(struct xdr_host_api, unseal) + sizeof(void (*)(void)))

/* The one function a plugin exports. */
typedef const struct xdr_plugin *(*xdr_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* XDR_PLUGIN_H */
