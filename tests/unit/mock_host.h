/*
 * mock_host.h - an in-memory host for the plugin's unit tests.
 *
 * It hands the plugin a real struct xdr_host_api whose services work on
 * memory: settings in a small map, events and log lines recorded for the
 * test to inspect, a fresh temporary state directory removed at the end,
 * fixed groups/systems/report, and a seal that is a reversible fake (hex
 * text) for tests only: it protects nothing.
 *
 * Thread-safe like a real host: the plugin's worker may call it.
 */
#ifndef MOCK_HOST_H
#define MOCK_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xdr/plugin.h>

#include "itglue.h"

#define MOCK_EVENT_FIELDS_MAX 16

struct mock_host;

struct mock_event {
	uint32_t id;
	enum xdr_severity severity;
	char *category;
	char *description;
	size_t n_fields;
	char *names[MOCK_EVENT_FIELDS_MAX];
	char *values[MOCK_EVENT_FIELDS_MAX];
};

struct mock_log_line {
	enum xdr_log_level level;
	char *message;
};

/* A host with psa_rmm_integration "off" and a new state directory
 * ROOT/state inside a new temporary directory ROOT. NULL on failure. */
struct mock_host *mock_host_new(void);

/* Free everything and remove ROOT with all it holds; NULL is allowed. */
void mock_host_free(struct mock_host *m);

/* The table to pass to init(); tests may break fields of it on purpose. */
struct xdr_host_api *mock_host_api(struct mock_host *m);

/* ROOT, a scratch directory of the test's (removed by mock_host_free). */
const char *mock_host_root(const struct mock_host *m);

/* The state directory get_state_dir() answers; set it to any path. */
const char *mock_host_state_dir(const struct mock_host *m);
void mock_host_set_state_dir(struct mock_host *m, const char *path);

/* Make get_state_dir() fail with STATUS (XDR_OK: work again). */
void mock_host_fail_state_dir(struct mock_host *m, int status);

/* Set a host setting (VALUE NULL removes it). */
void mock_host_set_setting(struct mock_host *m, const char *key,
                           const char *value);

/* Make get_setting() fail with STATUS (XDR_OK: work again). */
void mock_host_fail_settings(struct mock_host *m, int status);

/* Make emit_event() answer STATUS without recording (XDR_OK: record). */
void mock_host_fail_events(struct mock_host *m, int status);

/* How many times get_setting() was called. */
size_t mock_host_setting_reads(struct mock_host *m);

/* The recorded events and log lines, oldest first. The pointers stay valid
 * until mock_host_free(); read them once the plugin is quiet. */
size_t mock_host_event_count(struct mock_host *m);
const struct mock_event *mock_host_event(struct mock_host *m, size_t i);
size_t mock_host_log_count(struct mock_host *m);
const struct mock_log_line *mock_host_log(struct mock_host *m, size_t i);

/* Drop the recorded events and log lines (a long run's memory). */
void mock_host_forget(struct mock_host *m);

/* True if a line of LEVEL containing TEXT was logged. */
bool mock_host_logged(struct mock_host *m, enum xdr_log_level level,
                      const char *text);

/*
 * The fixture of the tests that call the plugin's files directly: a new mock
 * host, a bare plugin state whose only field set is api (the host's table),
 * and room for the one-line reasons of init() and its kind.
 */
struct mock_fixture {
	struct mock_host *host;
	struct itg_plugin plugin;
	char err[512];
};

/* cmocka setup and teardown: *state is a struct mock_fixture in between. */
int mock_fixture_setup(void **state);
int mock_fixture_teardown(void **state);

/* A new temporary directory (free() the path), and a recursive remove. */
char *mock_tempdir(void);
void mock_rmtree(const char *path);

#endif /* MOCK_HOST_H */
