/*
 * admin.h - the administrator's actions: routing, errors, handlers.
 *
 * The host hands an action name and a JSON request; the router checks both,
 * applies the integration gate and calls the action's handler, whose JSON
 * answer goes back to the host. Adding an action is one row in the table of
 * admin.c and one handler in a file of its own (admin_<action>.c), declared
 * below.
 */
#ifndef ITG_ADMIN_H
#define ITG_ADMIN_H

#include "itglue.h"
#include "jobs.h"

struct json_object;

/* Action names: 1 to ITG_ADMIN_ACTION_MAX of [a-z0-9._-]. */
#define ITG_ADMIN_ACTION_MAX 64
/* Requests: at most this many bytes, nested at most this deep. */
#define ITG_ADMIN_REQUEST_MAX (1024 * 1024)
#define ITG_ADMIN_JSON_DEPTH  32

/* The error codes of {"error": {"code": ..., "message": ...}}. */
#define ITG_ADMIN_BAD_ACTION  "bad_action"
#define ITG_ADMIN_BAD_REQUEST "bad_request"
#define ITG_ADMIN_DISABLED    "integration_disabled"
#define ITG_ADMIN_UNKNOWN     "unknown_action"
#define ITG_ADMIN_NO_MEMORY   "out_of_memory"
#define ITG_ADMIN_INTERNAL    "internal_error"
#define ITG_ADMIN_NOT_FOUND   "not_found"
/* A storage fault keeps the database from being used (store_ready.h). */
#define ITG_ADMIN_STORE_UNUSABLE "store_unusable"

/*
 * Answer the action ACTION with REQUEST (JSON text; NULL or "" mean {}).
 * *response receives a JSON object as a string allocated with malloc (the
 * host releases it with the descriptor's free()), on success and on failure
 * alike; it is NULL only if even an error could not be allocated. Returns
 * XDR_OK, or:
 *   XDR_EINVAL     bad_action, bad_request (or a handler's invalid input);
 *   XDR_EDISABLED  integration_disabled: the gate is off;
 *   XDR_ENOTFOUND  unknown_action;
 *   XDR_ENOMEM     out_of_memory;
 *   or another negative status of the handler.
 */
int itg_admin_handle(struct itg_plugin *p, const char *action,
                     const char *request, char **response);

/*
 * An action's handler. REQUEST is a JSON object (borrowed). On success it
 * stores its answer, a new JSON object, in *response and returns XDR_OK; on
 * failure it stores an error made with itg_admin_error() and returns a
 * negative status.
 */
typedef int (*itg_admin_handler)(struct itg_plugin *p,
                                 struct json_object *request,
                                 struct json_object **response);

/* A new {"error": {"code": CODE, "message": ...}} object, or NULL if memory
 * runs out. */
struct json_object *itg_admin_error(const char *code, const char *fmt, ...)
        __attribute__((format(PRINTF_FORMAT, 2, 3)));

struct itg_instance;

/*
 * The instance the request's member "instance" names, by id or by name,
 * into *inst (itg_instance_clear it). On failure the status is negative and
 * *response holds the error answer.
 */
int itg_admin_instance_ref(struct itg_plugin *p, struct json_object *request,
                           struct itg_instance *inst,
                           struct json_object **response);

/* The handlers, one file each. */
int itg_admin_status(struct itg_plugin *p, struct json_object *request,
                     struct json_object **response);
int itg_admin_instance_test(struct itg_plugin *p, struct json_object *request,
                            struct json_object **response);
int itg_admin_config_get(struct itg_plugin *p, struct json_object *request,
                         struct json_object **response);
int itg_admin_config_set(struct itg_plugin *p, struct json_object *request,
                         struct json_object **response);
int itg_admin_import(struct itg_plugin *p, struct json_object *request,
                     struct json_object **response);
int itg_admin_automap(struct itg_plugin *p, struct json_object *request,
                      struct json_object **response);
int itg_admin_mappings(struct itg_plugin *p, struct json_object *request,
                       struct json_object **response);
/*
 * The common start of import and import.preview: checks REQUEST's feature,
 * filter and select and its instance, then starts KIND's job running TASK
 * on a copy of REQUEST that names the instance by id.
 */
int itg_import_job_start(struct itg_plugin *p, struct json_object *request,
                         const char *kind, itg_task_fn task,
                         struct json_object **response);
int itg_admin_import_preview(struct itg_plugin *p, struct json_object *request,
                             struct json_object **response);
int itg_admin_imported_list(struct itg_plugin *p, struct json_object *request,
                            struct json_object **response);
int itg_admin_outbox_list(struct itg_plugin *p, struct json_object *request,
                          struct json_object **response);
int itg_admin_publish_check(struct itg_plugin *p, struct json_object *request,
                            struct json_object **response);
int itg_admin_publish(struct itg_plugin *p, struct json_object *request,
                      struct json_object **response);
int itg_admin_outbox_retry(struct itg_plugin *p, struct json_object *request,
                           struct json_object **response);
int itg_admin_map(struct itg_plugin *p, struct json_object *request,
                  struct json_object **response);
int itg_admin_unmap(struct itg_plugin *p, struct json_object *request,
                    struct json_object **response);
int itg_admin_job(struct itg_plugin *p, struct json_object *request,
                  struct json_object **response);
int itg_admin_instance_add(struct itg_plugin *p, struct json_object *request,
                           struct json_object **response);
int itg_admin_instance_update(struct itg_plugin *p, struct json_object *request,
                              struct json_object **response);
int itg_admin_instance_remove(struct itg_plugin *p, struct json_object *request,
                              struct json_object **response);
int itg_admin_instance_list(struct itg_plugin *p, struct json_object *request,
                            struct json_object **response);
int itg_admin_instance_groups(struct itg_plugin *p, struct json_object *request,
                              struct json_object **response);

#endif /* ITG_ADMIN_H */
