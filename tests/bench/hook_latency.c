/*
 * hook_latency.c - issue 8, scenario 4: the latency of on_report_generated
 * while the outbox fills up and the worker publishes.
 *
 *   hook-latency --home DIR --plugin-dir DIR --rows N
 *                [--report-config NAME] [--json FILE]
 *
 * Opens the host runtime on HOME (set up beforehand: integration on, the
 * itglue instance on a running sandbox, groups mapped, a report
 * configuration that publishes to IT Glue), loads the plugins as xdr-host
 * does, then generates N reports as "xdr-host report generate --no-wait"
 * does: the host records each report, then every loaded plugin hears of it
 * through on_report_generated. Only the itglue plugin's hook call is timed
 * (CLOCK_MONOTONIC, nanoseconds), not the host's own bookkeeping. Prints
 *
 *   {"calls":N,"p50_ms":...,"p99_ms":...,"max_ms":...,"mean_ms":...}
 *
 * to stdout, and to FILE with --json. The percentiles are nearest-rank.
 * Without --report-config the first configuration that publishes to IT
 * Glue is used. The runtime is then shut down as xdr-host does on exit:
 * the plugins' shutdown (which stops a worker still publishing), then the
 * runtime. Progress and the plugin's status at the end go to stderr.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "xdrhost.h"

#define TITLE "Hook Latency"

struct options {
	const char *home;
	const char *plugin_dir;
	const char *config;
	const char *json;
	unsigned long rows;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: hook-latency --home DIR --plugin-dir DIR --rows N"
	           " [--report-config NAME] [--json FILE]\n");
}

static int parse_args(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			exit(0);
		}
		if (v == NULL) {
			fprintf(stderr, "hook-latency: '%s' needs a value\n",
			        a);
			return -1;
		}
		i++;
		if (strcmp(a, "--home") == 0) {
			o->home = v;
		} else if (strcmp(a, "--plugin-dir") == 0) {
			o->plugin_dir = v;
		} else if (strcmp(a, "--report-config") == 0) {
			o->config = v;
		} else if (strcmp(a, "--json") == 0) {
			o->json = v;
		} else if (strcmp(a, "--rows") == 0) {
			errno = 0;
			o->rows = strtoul(v, &end, 10);
			if (errno != 0 || *end != '\0' || v[0] == '-' ||
			    o->rows == 0 || o->rows > 10000000) {
				fprintf(stderr,
				        "hook-latency: --rows needs a number "
				        "from 1 to 10000000, not '%s'\n",
				        v);
				return -1;
			}
		} else {
			fprintf(stderr, "hook-latency: unknown option '%s'\n",
			        a);
			return -1;
		}
	}
	if (o->home == NULL || o->plugin_dir == NULL || o->rows == 0) {
		fprintf(stderr, "hook-latency: --home, --plugin-dir and "
		                "--rows are required\n");
		return -1;
	}
	return 0;
}

/* The configuration to generate with: NAME, or the first one publishing to
 * IT Glue. *out is malloc'd. */
static int pick_config(struct xdr_db *db, const char *name, char **out)
{
	struct xdr_report_config_list list;
	struct xdr_err err;
	int rc = -1;

	*out = NULL;
	if (xdr_report_config_list(db, &list, &err) != XDR_OK) {
		fprintf(stderr, "hook-latency: %s\n", err.msg);
		return -1;
	}
	for (size_t i = 0; i < list.n && rc != 0; i++) {
		const struct xdr_report_config_rec *c = &list.items[i];

		if (name != NULL ? strcmp(c->name, name) == 0
		                 : c->publish_itglue) {
			if (!c->publish_itglue)
				fprintf(stderr,
				        "hook-latency: warning: report "
				        "configuration \"%s\" does not publish "
				        "to IT Glue\n",
				        c->name);
			*out = strdup(c->name);
			rc = *out != NULL ? 0 : -1;
		}
	}
	if (rc != 0 && *out == NULL)
		fprintf(stderr, "hook-latency: %s\n",
		        name != NULL ? "no such report configuration"
		                     : "no report configuration publishes to "
		                       "IT Glue (give --report-config)");
	xdr_report_config_list_free(&list);
	return rc;
}

/* A temporary directory holding the one small report every generation
 * copies. */
static int make_report(char *dir, size_t dsize, char *file, size_t fsize)
{
	const char *tmp = getenv("TMPDIR");
	FILE *f;

	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	snprintf(dir, dsize, "%s/hook-latency.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "hook-latency: cannot create %s: %s\n", dir,
		        strerror(errno));
		return -1;
	}
	snprintf(file, fsize, "%s/report.html", dir);
	f = fopen(file, "w");
	if (f == NULL) {
		fprintf(stderr, "hook-latency: cannot create %s: %s\n", file,
		        strerror(errno));
		rmdir(dir);
		return -1;
	}
	fputs("<html><body><h1>Hook latency</h1><p>Summary</p></body>"
	      "</html>\n",
	      f);
	if (fclose(f) != 0) {
		fprintf(stderr, "hook-latency: cannot write %s\n", file);
		unlink(file);
		rmdir(dir);
		return -1;
	}
	return 0;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_ns(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest rank: the smallest sample with at least P percent at or below. */
static int64_t percentile(const int64_t *sorted, size_t n, unsigned p)
{
	size_t rank = (n * p + 99) / 100;

	return sorted[rank > 0 ? rank - 1 : 0];
}

static int print_result(FILE *f, const int64_t *sorted, size_t n)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += (double)sorted[i];
	fprintf(f,
	        "{\"calls\":%zu,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
	        "\"max_ms\":%.3f,\"mean_ms\":%.3f}\n",
	        n, (double)percentile(sorted, n, 50) / 1e6,
	        (double)percentile(sorted, n, 99) / 1e6,
	        (double)sorted[n - 1] / 1e6, sum / (double)n / 1e6);
	return ferror(f) ? -1 : 0;
}

/* The other loaded plugins hear of the report too, as with xdr-host, but
 * untimed. */
static int announce_others(struct xdr_plugins *set,
                           const struct xdr_plugin_rec *timed, int64_t id)
{
	int failed = 0;

	for (size_t i = 0; i < set->n; i++) {
		struct xdr_plugin_rec *rec = &set->items[i];

		if (rec == timed || !rec->loaded)
			continue;
		if (xdr_plugin_report_generated(rec, id) != XDR_OK)
			failed++;
	}
	return failed;
}

/* What the plugin says it did meanwhile, for the record (stderr). */
static void show_status(struct xdr_plugin_rec *rec)
{
	char *response = NULL;

	if (xdr_plugin_admin(rec, "status", "{}", &response) == XDR_OK &&
	    response != NULL)
		fprintf(stderr, "hook-latency: itglue status: %s\n", response);
	free(response);
}

static int run(const struct options *o, struct xdr_runtime *rt,
               struct xdr_plugins *set, struct xdr_plugin_rec *rec,
               const char *config, const char *file, int64_t *samples,
               size_t *n)
{
	struct xdr_report_spec spec;
	struct xdr_err err;
	unsigned long failed = 0;
	int64_t t0, t1;

	memset(&spec, 0, sizeof(spec));
	spec.config = config;
	spec.title = TITLE;
	spec.file = file;
	*n = 0;
	for (unsigned long i = 0; i < o->rows; i++) {
		int64_t id;
		int status;

		if (xdr_signals_caught() != 0) {
			fprintf(stderr,
			        "hook-latency: interrupted after %zu "
			        "reports\n",
			        *n);
			return -1;
		}
		spec.generated_at = (int64_t)time(NULL);
		if (xdr_report_generate(rt->db, rt->home, &spec, &id, &err) !=
		    XDR_OK) {
			fprintf(stderr, "hook-latency: report %lu: %s\n", i + 1,
			        err.msg);
			return -1;
		}
		t0 = now_ns();
		status = xdr_plugin_report_generated(rec, id);
		t1 = now_ns();
		samples[(*n)++] = t1 - t0;
		if (status != XDR_OK && failed++ == 0)
			fprintf(stderr,
			        "hook-latency: itglue: "
			        "on_report_generated(%" PRId64
			        ") failed: %s (%d)\n",
			        id, xdr_status_name(status), status);
		failed += (unsigned long)announce_others(set, rec, id);
		if ((i + 1) % 1000 == 0)
			fprintf(stderr, "hook-latency: %lu/%lu reports\n",
			        i + 1, o->rows);
	}
	if (failed > 0) {
		fprintf(stderr, "hook-latency: %lu hook calls failed\n",
		        failed);
		return -1;
	}
	return 0;
}

static int write_json(const char *path, const int64_t *sorted, size_t n)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (f == NULL) {
		fprintf(stderr, "hook-latency: cannot create %s: %s\n", path,
		        strerror(errno));
		return -1;
	}
	rc = print_result(f, sorted, n);
	if (fclose(f) != 0 || rc != 0) {
		fprintf(stderr, "hook-latency: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	struct xdr_runtime *rt = NULL;
	struct xdr_plugins *set = NULL;
	struct xdr_plugin_rec *rec;
	struct xdr_err err;
	char dir[4096], file[4200];
	char *plugin_dir = NULL, *config = NULL;
	int64_t *samples = NULL;
	size_t n = 0;
	int rc = 1;

	if (parse_args(argc, argv, &o) != 0) {
		usage(stderr);
		return 2;
	}
	samples = calloc(o.rows, sizeof(*samples));
	if (samples == NULL) {
		fprintf(stderr, "hook-latency: out of memory\n");
		return 1;
	}
	if (make_report(dir, sizeof(dir), file, sizeof(file)) != 0) {
		free(samples);
		return 1;
	}
	/* As xdr-host: the home's files are its user's only; signals are
	 * caught before a plugin starts a thread (threads inherit the
	 * mask). */
	umask(077);
	if (xdr_plugin_dir_resolve(o.plugin_dir, &plugin_dir, &err) != XDR_OK ||
	    xdr_runtime_open(&rt, o.home, false, &err) != XDR_OK ||
	    xdr_signals_catch(&err) != XDR_OK ||
	    xdr_plugins_load(rt, plugin_dir, &set, &err) != XDR_OK) {
		fprintf(stderr, "hook-latency: %s\n", err.msg);
		goto out;
	}
	rec = xdr_plugins_find(set, "itglue");
	if (rec == NULL || !rec->loaded) {
		fprintf(stderr,
		        "hook-latency: the itglue plugin is not loaded "
		        "from %s\n",
		        plugin_dir);
		goto out;
	}
	if (pick_config(rt->db, o.config, &config) != 0)
		goto out;
	if (run(&o, rt, set, rec, config, file, samples, &n) != 0 || n == 0)
		goto out;
	show_status(rec);
	qsort(samples, n, sizeof(*samples), cmp_ns);
	if (print_result(stdout, samples, n) != 0 || fflush(stdout) != 0)
		goto out;
	if (o.json != NULL && write_json(o.json, samples, n) != 0)
		goto out;
	rc = 0;
out:
	/* As xdr-host on exit: shutdown() stops the worker, even in the
	 * middle of a publication (the row is due again for the next
	 * process), then the runtime goes. */
	xdr_plugins_free(set);
	xdr_runtime_close(rt);
	unlink(file);
	rmdir(dir);
	free(config);
	free(plugin_dir);
	free(samples);
	return rc;
}
