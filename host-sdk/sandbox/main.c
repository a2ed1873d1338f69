/*
 * main.c - itglue-sandbox: load the data, serve it until SIGINT or SIGTERM,
 * save it back when asked to.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xdr/plugin.h>

#include "options.h"
#include "sandbox.h"

enum exit_code { EXIT_CLEAN = 0, EXIT_START = 1, EXIT_USAGE = 2 };

/* Writes the port to PATH through a temporary file, so that a reader
 * waiting for PATH never sees it half written. */
static int write_port_file(const char *path, unsigned port)
{
	size_t len = strlen(path) + 32;
	char *tmp = malloc(len);
	FILE *f;
	bool ok;

	if (!tmp)
		return XDR_ENOMEM;
	snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid());
	f = fopen(tmp, "w");
	ok = f && fprintf(f, "%u\n", port) > 0;
	if (f && fclose(f) != 0)
		ok = false;
	if (!ok || rename(tmp, path) != 0) {
		fprintf(stderr, "itglue-sandbox: %s: %s\n", path,
		        strerror(errno));
		unlink(tmp);
		free(tmp);
		return XDR_ERROR;
	}
	free(tmp);
	return XDR_OK;
}

static int load(struct sbx_store *store, const struct sbx_options *o)
{
	char err[512];
	int rc;

	if (o->data) {
		rc = sbx_store_load_file(store, o->data, err, sizeof(err));
	} else {
		struct json_object *empty = json_object_new_object();

		rc = empty ? sbx_store_load(store, empty, err, sizeof(err))
		           : XDR_ENOMEM;
		json_object_put(empty);
	}
	if (rc == XDR_OK && o->generate && sbx_generate(store, &o->spec))
		rc = XDR_ENOMEM;
	if (rc == XDR_OK)
		rc = sbx_store_default_keys(store);
	if (rc != XDR_OK)
		fprintf(stderr, "itglue-sandbox: %s\n",
		        rc == XDR_ENOMEM ? "out of memory" : err);
	return rc;
}

static int prepare(struct sbx_server *srv, struct sbx_options *o)
{
	memset(srv, 0, sizeof(*srv));
	srv->set = o->set;
	sbx_store_init(&srv->store);
	sbx_store_init(&srv->initial);
	sbx_faults_init(&srv->faults);
	sbx_faults_init(&srv->initial_faults);
	sbx_ratelimit_init(&srv->rate, o->set.rate_limit, o->set.rate_seconds);
	pthread_mutex_init(&srv->lock, NULL);
	if (load(&srv->store, o) != XDR_OK)
		return XDR_ERROR;
	if (sbx_store_copy(&srv->initial, &srv->store) ||
	    sbx_faults_copy(&srv->initial_faults, &o->faults) ||
	    sbx_faults_copy(&srv->faults, &o->faults) || sbx_reqlog_init(srv)) {
		fprintf(stderr, "itglue-sandbox: out of memory\n");
		return XDR_ENOMEM;
	}
	return XDR_OK;
}

static void release(struct sbx_server *srv)
{
	sbx_server_stop(srv);
	sbx_listings_clear(&srv->listings);
	sbx_store_free(&srv->store);
	sbx_store_free(&srv->initial);
	sbx_faults_clear(&srv->faults);
	sbx_faults_clear(&srv->initial_faults);
	sbx_ratelimit_free(&srv->rate);
	sbx_reqlog_free(srv);
	pthread_mutex_destroy(&srv->lock);
}

/* Serves until a stop signal; returns the exit code. */
static int serve(struct sbx_server *srv, const struct sbx_options *o,
                 const sigset_t *stop)
{
	char err[512];
	int sig;

	if (sbx_server_start(srv, err, sizeof(err)) != XDR_OK) {
		fprintf(stderr, "itglue-sandbox: %s\n", err);
		return EXIT_START;
	}
	printf("itglue-sandbox: listening on %s://%s%s%s:%u region=%s\n",
	       o->set.tls_cert ? "https" : "http",
	       strchr(o->set.bind, ':') ? "[" : "", o->set.bind,
	       strchr(o->set.bind, ':') ? "]" : "", srv->port, o->set.region);
	fflush(stdout);
	if (o->set.port_file && write_port_file(o->set.port_file, srv->port))
		return EXIT_START;
	while (sigwait(stop, &sig) != 0)
		;
	sbx_server_stop(srv);
	if (o->save) {
		pthread_mutex_lock(&srv->lock);
		if (sbx_store_save_file(&srv->store, o->save, err,
		                        sizeof(err)) != XDR_OK) {
			pthread_mutex_unlock(&srv->lock);
			fprintf(stderr, "itglue-sandbox: cannot save: %s\n",
			        err);
			return EXIT_START;
		}
		pthread_mutex_unlock(&srv->lock);
	}
	if (!o->set.quiet)
		fprintf(stderr, "itglue-sandbox: stopped on signal %d\n", sig);
	return EXIT_CLEAN;
}

int main(int argc, char **argv)
{
	struct sbx_options o;
	struct sbx_server srv;
	sigset_t stop;
	int code;

	if (sbx_options_parse(argc, argv, &o, stderr) != XDR_OK) {
		sbx_options_free(&o);
		return EXIT_USAGE;
	}
	if (o.help || o.version) {
		if (o.help)
			sbx_options_usage(stdout);
		else
			printf("itglue-sandbox %s\n", PACKAGE_VERSION);
		sbx_options_free(&o);
		return EXIT_CLEAN;
	}
	/* Every thread inherits this mask; the main thread takes the signals
	 * with sigwait(), so no handler runs in the middle of a request. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	code = prepare(&srv, &o) == XDR_OK ? serve(&srv, &o, &stop)
	                                   : EXIT_START;
	release(&srv);
	sbx_options_free(&o);
	return code;
}
