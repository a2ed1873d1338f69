/*
 * mock_host.c - an in-memory host for the plugin's unit tests.
 */
#include <config.h>

#include "mock_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat/os.h"
#include "os_test.h"

#define MOCK_SETTINGS_MAX 16
#define SEAL_PREFIX       "mock-seal-TEST-ONLY:"

struct setting {
	char *key;
	char *value;
};

struct mock_host {
	os_mutex lock;
	struct xdr_host_api api;
	char *root;
	char *state_dir;
	int state_dir_status;
	struct setting settings[MOCK_SETTINGS_MAX];
	int settings_status;
	size_t setting_reads;
	int events_status;
	struct mock_event *events;
	size_t n_events;
	struct mock_log_line *logs;
	size_t n_logs;
};

/* Fixed inventory for the list and get services. */
static const char *const ws01_macs[] = {"18-5E-0F-ED-99-9A",
                                        "18:5e:0f:ed:99:9b"};
static const int64_t report_systems[] = {1};

static const struct xdr_group groups[] = {
        {sizeof(struct xdr_group), 1, "Default", "it@acme.example"},
        {sizeof(struct xdr_group), 2, "Globex", NULL},
};

static const struct xdr_system systems[] = {
        {sizeof(struct xdr_system), 1, "WS-01", 1, XDR_OS_WINDOWS,
         XDR_SENSOR_AGENT, "9.3.0", ws01_macs, 2},
        {sizeof(struct xdr_system), 2, "FW-01", 2, XDR_OS_OTHER,
         XDR_SENSOR_SYSLOG, NULL, NULL, 0},
};

static const struct xdr_report report = {
        sizeof(struct xdr_report),
        1,
        "EDR Summary Reports",
        "Security Summary",
        "Daily EDR",
        1,
        1,
        1764309604,
        "/nonexistent/EDR_Summary_Reports_1_1764309604.html",
        "EDR_Summary_Reports_1_1764309604.html",
        19234,
        report_systems,
        1,
};

static struct mock_host *of(struct xdr_host *host)
{
	return (struct mock_host *)host;
}

/* The buffer rule of plugin.h. */
static int copy_out(const char *s, char *buf, size_t size, size_t *needed)
{
	size_t n = strlen(s) + 1;

	if (buf == NULL || size < n) {
		if (needed != NULL)
			*needed = n;
		return XDR_ERANGE;
	}
	memcpy(buf, s, n);
	return XDR_OK;
}

static void mock_log(struct xdr_host *host, enum xdr_log_level level,
                     const char *message)
{
	struct mock_host *m = of(host);
	struct mock_log_line *grown;
	char *copy = strdup(message != NULL ? message : "(null)");

	if (copy == NULL)
		return;
	os_mutex_lock(&m->lock);
	grown = realloc(m->logs, (m->n_logs + 1) * sizeof(*grown));
	if (grown == NULL) {
		free(copy);
	} else {
		m->logs = grown;
		m->logs[m->n_logs].level = level;
		m->logs[m->n_logs].message = copy;
		m->n_logs++;
	}
	os_mutex_unlock(&m->lock);
}

static void free_event(struct mock_event *e)
{
	size_t i;

	free(e->category);
	free(e->description);
	for (i = 0; i < e->n_fields; i++) {
		free(e->names[i]);
		free(e->values[i]);
	}
}

static int mock_emit_event(struct xdr_host *host, const struct xdr_event *ev)
{
	struct mock_host *m = of(host);
	struct mock_event e;
	struct mock_event *grown;
	size_t i;
	int rc;

	if (ev == NULL ||
	    ev->struct_size <
	            offsetof(struct xdr_event, n_fields) + sizeof(size_t) ||
	    ev->id == 0 || ev->description == NULL ||
	    ev->description[0] == '\0' ||
	    ev->n_fields > MOCK_EVENT_FIELDS_MAX ||
	    (ev->n_fields > 0 && ev->fields == NULL))
		return XDR_EINVAL;
	for (i = 0; i < ev->n_fields; i++) {
		if (ev->fields[i].name == NULL || ev->fields[i].value == NULL)
			return XDR_EINVAL;
	}
	os_mutex_lock(&m->lock);
	rc = m->events_status;
	os_mutex_unlock(&m->lock);
	if (rc != XDR_OK)
		return rc;

	memset(&e, 0, sizeof(e));
	e.id = ev->id;
	e.severity = ev->severity;
	e.category = strdup(ev->category != NULL ? ev->category : "");
	e.description = strdup(ev->description);
	for (i = 0; i < ev->n_fields; i++) {
		e.names[i] = strdup(ev->fields[i].name);
		e.values[i] = strdup(ev->fields[i].value);
		e.n_fields++;
	}
	os_mutex_lock(&m->lock);
	grown = realloc(m->events, (m->n_events + 1) * sizeof(*grown));
	if (grown != NULL) {
		m->events = grown;
		m->events[m->n_events++] = e;
	}
	os_mutex_unlock(&m->lock);
	if (grown == NULL) {
		free_event(&e);
		return XDR_ENOMEM;
	}
	return XDR_OK;
}

static int mock_get_setting(struct xdr_host *host, const char *key, char *buf,
                            size_t size, size_t *needed)
{
	struct mock_host *m = of(host);
	int rc = XDR_ENOTFOUND;
	size_t i;

	if (key == NULL)
		return XDR_EINVAL;
	os_mutex_lock(&m->lock);
	m->setting_reads++;
	if (m->settings_status != XDR_OK) {
		rc = m->settings_status;
	} else {
		for (i = 0; i < MOCK_SETTINGS_MAX; i++) {
			if (m->settings[i].key != NULL &&
			    strcmp(m->settings[i].key, key) == 0) {
				rc = copy_out(m->settings[i].value, buf, size,
				              needed);
				break;
			}
		}
	}
	os_mutex_unlock(&m->lock);
	return rc;
}

static int mock_get_state_dir(struct xdr_host *host, char *buf, size_t size,
                              size_t *needed)
{
	struct mock_host *m = of(host);
	int rc;

	os_mutex_lock(&m->lock);
	rc = m->state_dir_status;
	if (rc == XDR_OK)
		rc = copy_out(m->state_dir, buf, size, needed);
	os_mutex_unlock(&m->lock);
	return rc;
}

static int mock_list_groups(struct xdr_host *host, xdr_group_fn fn, void *user)
{
	size_t i;
	int rc;

	(void)host;
	if (fn == NULL)
		return XDR_EINVAL;
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		rc = fn(user, &groups[i]);
		if (rc != 0)
			return rc;
	}
	return XDR_OK;
}

static int mock_list_systems(struct xdr_host *host, int64_t group_id,
                             xdr_system_fn fn, void *user)
{
	size_t i;
	int rc;

	(void)host;
	if (fn == NULL)
		return XDR_EINVAL;
	if (group_id < 0 || group_id > 2)
		return XDR_ENOTFOUND;
	for (i = 0; i < sizeof(systems) / sizeof(systems[0]); i++) {
		if (group_id != 0 && systems[i].group_id != group_id)
			continue;
		rc = fn(user, &systems[i]);
		if (rc != 0)
			return rc;
	}
	return XDR_OK;
}

static int mock_get_report(struct xdr_host *host, int64_t report_id,
                           xdr_report_fn fn, void *user)
{
	(void)host;
	if (fn == NULL)
		return XDR_EINVAL;
	if (report_id != report.id)
		return XDR_ENOTFOUND;
	return fn(user, &report);
}

/* Test-only "sealing": the secret in hex behind a marker. */
static int mock_seal(struct xdr_host *host, const void *secret, size_t len,
                     char *buf, size_t size, size_t *needed)
{
	const unsigned char *s = secret;
	size_t n = sizeof(SEAL_PREFIX) + 2 * len;
	size_t i;

	(void)host;
	if (secret == NULL && len > 0)
		return XDR_EINVAL;
	if (buf == NULL || size < n) {
		if (needed != NULL)
			*needed = n;
		return XDR_ERANGE;
	}
	memcpy(buf, SEAL_PREFIX, sizeof(SEAL_PREFIX) - 1);
	for (i = 0; i < len; i++)
		snprintf(buf + sizeof(SEAL_PREFIX) - 1 + 2 * i, 3, "%02x",
		         s[i]);
	buf[n - 1] = '\0';
	return XDR_OK;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int mock_unseal(struct xdr_host *host, const char *sealed, void *buf,
                       size_t size, size_t *len)
{
	unsigned char *out = buf;
	const char *hex;
	size_t n;
	size_t i;

	(void)host;
	if (sealed == NULL ||
	    strncmp(sealed, SEAL_PREFIX, sizeof(SEAL_PREFIX) - 1) != 0)
		return XDR_EINVAL;
	hex = sealed + sizeof(SEAL_PREFIX) - 1;
	if (strlen(hex) % 2 != 0)
		return XDR_EINVAL;
	n = strlen(hex) / 2;
	for (i = 0; i < 2 * n; i++) {
		if (hex_digit(hex[i]) < 0)
			return XDR_EINVAL;
	}
	if (len != NULL)
		*len = n;
	if (buf == NULL || size < n)
		return XDR_ERANGE;
	for (i = 0; i < n; i++)
		out[i] = (unsigned char)(hex_digit(hex[2 * i]) * 16 +
		                         hex_digit(hex[2 * i + 1]));
	if (size > n)
		out[n] = '\0';
	return XDR_OK;
}

char *mock_tempdir(void)
{
	const char *tmp = test_temp_root();
	char *path;
	size_t len;

	len = strlen(tmp) + sizeof("/itglue-test-XXXXXX");
	path = malloc(len);
	if (path == NULL)
		return NULL;
	snprintf(path, len, "%s/itglue-test-XXXXXX", tmp);
	if (os_mkdtemp(path) == NULL) {
		free(path);
		return NULL;
	}
	return path;
}

void mock_rmtree(const char *path)
{
	if (path != NULL)
		os_rmtree(path);
}

struct mock_host *mock_host_new(void)
{
	struct mock_host *m = calloc(1, sizeof(*m));
	size_t len = 0;

	if (m == NULL)
		return NULL;
	os_mutex_init(&m->lock);
	m->root = mock_tempdir();
	if (m->root != NULL) {
		len = strlen(m->root) + sizeof("/state");
		m->state_dir = malloc(len);
	}
	if (m->state_dir == NULL) {
		mock_host_free(m);
		return NULL;
	}
	snprintf(m->state_dir, len, "%s/state", m->root);
	if (os_mkdir_private(m->state_dir) != 0) {
		mock_host_free(m);
		return NULL;
	}
	m->api.struct_size = sizeof(m->api);
	m->api.abi_major = XDR_PLUGIN_ABI_MAJOR;
	m->api.abi_minor = XDR_PLUGIN_ABI_MINOR;
	m->api.host = (struct xdr_host *)m;
	m->api.log = mock_log;
	m->api.emit_event = mock_emit_event;
	m->api.get_setting = mock_get_setting;
	m->api.get_state_dir = mock_get_state_dir;
	m->api.list_groups = mock_list_groups;
	m->api.list_systems = mock_list_systems;
	m->api.get_report = mock_get_report;
	m->api.seal = mock_seal;
	m->api.unseal = mock_unseal;
	mock_host_set_setting(m, "psa_rmm_integration", "off");
	return m;
}

void mock_host_forget(struct mock_host *m)
{
	size_t i;

	os_mutex_lock(&m->lock);
	for (i = 0; i < m->n_events; i++)
		free_event(&m->events[i]);
	free(m->events);
	m->events = NULL;
	m->n_events = 0;
	for (i = 0; i < m->n_logs; i++)
		free(m->logs[i].message);
	free(m->logs);
	m->logs = NULL;
	m->n_logs = 0;
	os_mutex_unlock(&m->lock);
}

void mock_host_free(struct mock_host *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < MOCK_SETTINGS_MAX; i++) {
		free(m->settings[i].key);
		free(m->settings[i].value);
	}
	mock_host_forget(m);
	mock_rmtree(m->root);
	free(m->root);
	free(m->state_dir);
	os_mutex_destroy(&m->lock);
	free(m);
}

struct xdr_host_api *mock_host_api(struct mock_host *m)
{
	return &m->api;
}

const char *mock_host_root(const struct mock_host *m)
{
	return m->root;
}

const char *mock_host_state_dir(const struct mock_host *m)
{
	return m->state_dir;
}

void mock_host_set_state_dir(struct mock_host *m, const char *path)
{
	char *copy = strdup(path);

	if (copy == NULL)
		return;
	os_mutex_lock(&m->lock);
	free(m->state_dir);
	m->state_dir = copy;
	os_mutex_unlock(&m->lock);
}

void mock_host_fail_state_dir(struct mock_host *m, int status)
{
	os_mutex_lock(&m->lock);
	m->state_dir_status = status;
	os_mutex_unlock(&m->lock);
}

void mock_host_set_setting(struct mock_host *m, const char *key,
                           const char *value)
{
	struct setting *slot = NULL;
	struct setting *empty = NULL;
	size_t i;

	os_mutex_lock(&m->lock);
	for (i = 0; i < MOCK_SETTINGS_MAX && slot == NULL; i++) {
		if (m->settings[i].key == NULL) {
			if (empty == NULL)
				empty = &m->settings[i];
		} else if (strcmp(m->settings[i].key, key) == 0) {
			slot = &m->settings[i];
		}
	}
	if (slot == NULL && value != NULL && empty != NULL) {
		slot = empty;
		slot->key = strdup(key);
	}
	if (slot != NULL) {
		free(slot->value);
		slot->value = value != NULL ? strdup(value) : NULL;
		if (slot->value == NULL) {
			free(slot->key);
			slot->key = NULL;
		}
	}
	os_mutex_unlock(&m->lock);
}

void mock_host_fail_settings(struct mock_host *m, int status)
{
	os_mutex_lock(&m->lock);
	m->settings_status = status;
	os_mutex_unlock(&m->lock);
}

void mock_host_fail_events(struct mock_host *m, int status)
{
	os_mutex_lock(&m->lock);
	m->events_status = status;
	os_mutex_unlock(&m->lock);
}

size_t mock_host_setting_reads(struct mock_host *m)
{
	size_t n;

	os_mutex_lock(&m->lock);
	n = m->setting_reads;
	os_mutex_unlock(&m->lock);
	return n;
}

size_t mock_host_event_count(struct mock_host *m)
{
	size_t n;

	os_mutex_lock(&m->lock);
	n = m->n_events;
	os_mutex_unlock(&m->lock);
	return n;
}

const struct mock_event *mock_host_event(struct mock_host *m, size_t i)
{
	const struct mock_event *e = NULL;

	os_mutex_lock(&m->lock);
	if (i < m->n_events)
		e = &m->events[i];
	os_mutex_unlock(&m->lock);
	return e;
}

size_t mock_host_log_count(struct mock_host *m)
{
	size_t n;

	os_mutex_lock(&m->lock);
	n = m->n_logs;
	os_mutex_unlock(&m->lock);
	return n;
}

const struct mock_log_line *mock_host_log(struct mock_host *m, size_t i)
{
	const struct mock_log_line *l = NULL;

	os_mutex_lock(&m->lock);
	if (i < m->n_logs)
		l = &m->logs[i];
	os_mutex_unlock(&m->lock);
	return l;
}

bool mock_host_logged(struct mock_host *m, enum xdr_log_level level,
                      const char *text)
{
	bool found = false;
	size_t i;

	os_mutex_lock(&m->lock);
	for (i = 0; i < m->n_logs && !found; i++)
		found = m->logs[i].level == level &&
		        strstr(m->logs[i].message, text) != NULL;
	os_mutex_unlock(&m->lock);
	return found;
}

int mock_fixture_setup(void **state)
{
	struct mock_fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->host = mock_host_new();
	if (f->host == NULL) {
		free(f);
		return -1;
	}
	f->plugin.api = mock_host_api(f->host);
	*state = f;
	return 0;
}

int mock_fixture_teardown(void **state)
{
	struct mock_fixture *f = *state;

	mock_host_free(f->host);
	free(f);
	return 0;
}
