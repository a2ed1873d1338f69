/*
 * options.c - the command line: every option, its checks and --help.
 */
#include "config.h"

#include "options.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xdr/plugin.h>

void sbx_options_usage(FILE *out)
{
	fputs("Usage: itglue-sandbox [OPTION]...\n"
	      "A local IT Glue API for development, demonstrations and "
	      "tests.\n"
	      "\n"
	      "  --data FILE.json       load this data file (format: "
	      "README.md)\n"
	      "  --save FILE.json       write the data back here on a clean "
	      "stop\n"
	      "  --bind ADDR            address to listen on (default "
	      "127.0.0.1)\n"
	      "  --port N               port (default 0: any free port)\n"
	      "  --port-file FILE       write the port here once listening\n"
	      "  --region us|eu|au      the region this server is (default "
	      "us)\n"
	      "  --rate-limit N/SECONDS requests per API key in any window "
	      "(default 3000/300)\n"
	      "  --no-retry-after       answer 429 without Retry-After\n"
	      "  --latency-ms N         delay every API answer by N ms\n"
	      "  --fail-every N[:KIND]  every Nth API request fails (KIND "
	      "default 500)\n"
	      "  --fault AT:KIND        the AT-th API request fails "
	      "(repeatable)\n"
	      "  --fail-random PERCENT[:SEED]\n"
	      "                         PERCENT% of API requests fail, "
	      "each with a kind\n"
	      "                         picked at random (the same for "
	      "a SEED, default 1)\n"
	      "  --tls CERT KEY         serve HTTPS with these PEM files\n"
	      "  --generate SPEC        add generated data: "
	      "orgs=N,configs=N,contacts=N[,important=P][,seed=S]\n"
	      "  --max-body BYTES       largest request body (default "
	      "10485760)\n"
	      "  --quiet                no line per request on stderr\n"
	      "  --help                 this text\n"
	      "  --version              the version\n"
	      "\n"
	      "KIND: a status 400-599 (JSON:API error body), 502-html, "
	      "504-html, 429,\n"
	      "429-retry-after=S, reset, truncate, malformed, "
	      "double-encoded, 401-echo,\n"
	      "hang (a body that never ends), redirect=URL and "
	      "redirect-307=URL (to URL\n"
	      "and the request's path), huge[=BYTES] and "
	      "huge-chunked[=BYTES] (a 64 MiB\n"
	      "document), deep[=LEVELS] (JSON nested 100000 deep).\n"
	      "\n"
	      "Exit status: 0 after a clean stop (SIGINT, SIGTERM), 1 when it "
	      "cannot start,\n"
	      "2 for bad options. The inspection API is under /_sandbox/.\n",
	      out);
}

static bool parse_number(const char *s, unsigned long long max,
                         unsigned long long *out)
{
	char *end;

	if (!*s || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return !errno && !*end && *out <= max;
}

struct option_def {
	const char *name;
	int values; /* 0, 1 or 2 */
};

static const struct option_def defs[] = {
        {"data", 1},       {"save", 1},           {"bind", 1},
        {"port", 1},       {"port-file", 1},      {"region", 1},
        {"rate-limit", 1}, {"no-retry-after", 0}, {"latency-ms", 1},
        {"fail-every", 1}, {"fault", 1},          {"tls", 2},
        {"generate", 1},   {"max-body", 1},       {"quiet", 0},
        {"help", 0},       {"version", 0},        {"fail-random", 1},
};

static int apply(struct sbx_options *o, const char *name, const char *v,
                 const char *v2, FILE *err)
{
	unsigned long long n;
	struct sbx_fault f;
	long at;

	if (!strcmp(name, "data")) {
		o->data = v;
	} else if (!strcmp(name, "save")) {
		o->save = v;
	} else if (!strcmp(name, "bind")) {
		unsigned char addr[sizeof(struct in6_addr)];

		if (inet_pton(AF_INET, v, addr) != 1 &&
		    inet_pton(AF_INET6, v, addr) != 1)
			goto bad;
		o->set.bind = v;
	} else if (!strcmp(name, "port")) {
		if (!parse_number(v, 65535, &n))
			goto bad;
		o->set.port = (unsigned)n;
	} else if (!strcmp(name, "port-file")) {
		o->set.port_file = v;
	} else if (!strcmp(name, "region")) {
		if (strcmp(v, "us") && strcmp(v, "eu") && strcmp(v, "au"))
			goto bad;
		o->set.region = v;
	} else if (!strcmp(name, "rate-limit")) {
		if (sbx_ratelimit_parse(v, &o->set.rate_limit,
		                        &o->set.rate_seconds))
			goto bad;
	} else if (!strcmp(name, "no-retry-after")) {
		o->set.retry_after = false;
	} else if (!strcmp(name, "latency-ms")) {
		if (!parse_number(v, 600000, &n))
			goto bad;
		o->set.latency_ms = (long)n;
	} else if (!strcmp(name, "fail-every")) {
		if (sbx_fault_parse_every(v, &o->faults.every,
		                          &o->faults.every_fault))
			goto bad;
	} else if (!strcmp(name, "fault")) {
		if (sbx_fault_parse_at(v, &at, &f))
			goto bad;
		if (sbx_faults_schedule(&o->faults, at, &f)) {
			fprintf(err, "itglue-sandbox: out of memory\n");
			return XDR_ENOMEM;
		}
	} else if (!strcmp(name, "fail-random")) {
		if (sbx_fault_parse_random(v, &o->faults.random_percent,
		                           &o->faults.random_seed))
			goto bad;
	} else if (!strcmp(name, "tls")) {
		o->set.tls_cert = v;
		o->set.tls_key = v2;
	} else if (!strcmp(name, "generate")) {
		if (sbx_generate_parse(v, &o->spec))
			goto bad;
		o->generate = true;
	} else if (!strcmp(name, "max-body")) {
		if (!parse_number(v, (unsigned long long)1 << 40, &n) || !n)
			goto bad;
		o->set.max_body = (size_t)n;
	} else if (!strcmp(name, "quiet")) {
		o->set.quiet = true;
	} else if (!strcmp(name, "help")) {
		o->help = true;
	} else if (!strcmp(name, "version")) {
		o->version = true;
	}
	return XDR_OK;
bad:
	fprintf(err, "itglue-sandbox: --%s: invalid value '%s'\n", name, v);
	return XDR_EINVAL;
}

int sbx_options_parse(int argc, char **argv, struct sbx_options *o, FILE *err)
{
	memset(o, 0, sizeof(*o));
	o->set.bind = "127.0.0.1";
	o->set.region = "us";
	o->set.rate_limit = 3000;
	o->set.rate_seconds = 300;
	o->set.retry_after = true;
	o->set.max_body = 10485760;
	sbx_faults_init(&o->faults);
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *eq, *v = NULL, *v2 = NULL;
		const struct option_def *d = NULL;
		size_t len;
		int rc;

		if (strncmp(arg, "--", 2) || !arg[2]) {
			fprintf(err,
			        "itglue-sandbox: unexpected argument '%s'\n",
			        arg);
			goto usage;
		}
		arg += 2;
		eq = strchr(arg, '=');
		len = eq ? (size_t)(eq - arg) : strlen(arg);
		for (size_t k = 0; k < sizeof(defs) / sizeof(defs[0]); k++)
			if (strlen(defs[k].name) == len &&
			    !strncmp(defs[k].name, arg, len))
				d = &defs[k];
		if (!d) {
			fprintf(err,
			        "itglue-sandbox: unknown option '--%.*s'\n",
			        (int)len, arg);
			goto usage;
		}
		if (d->values == 0 && eq) {
			fprintf(err, "itglue-sandbox: --%s takes no value\n",
			        d->name);
			goto usage;
		}
		if (d->values >= 1) {
			if (eq)
				v = eq + 1;
			else if (i + 1 < argc)
				v = argv[++i];
		}
		if (d->values == 2 && i + 1 < argc)
			v2 = argv[++i];
		if ((d->values >= 1 && !v) || (d->values == 2 && !v2)) {
			fprintf(err, "itglue-sandbox: --%s needs %s\n", d->name,
			        d->values == 2 ? "two values" : "a value");
			goto usage;
		}
		rc = apply(o, d->name, v, v2, err);
		if (rc == XDR_ENOMEM)
			return rc;
		if (rc)
			goto usage;
	}
	return XDR_OK;
usage:
	fprintf(err, "Try 'itglue-sandbox --help'.\n");
	return XDR_EINVAL;
}

void sbx_options_free(struct sbx_options *o)
{
	sbx_faults_clear(&o->faults);
}
