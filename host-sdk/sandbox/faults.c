/*
 * faults.c - fault descriptions and the per-request decision.
 */
#include "config.h"

#include "faults.h"

#include "digits.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xdr/plugin.h>

/* A positive decimal number filling all of S. */
static bool parse_positive(const char *s, size_t len, long *out)
{
	return sbx_parse_digits(s, len, out) && *out >= 1;
}

/* "NAME" alone, or "NAME=" and a number from MIN to MAX; *v is DEF for the
 * name alone. */
static bool parse_sized(const char *kind, const char *name, long def, long min,
                        long max, long *v)
{
	size_t n = strlen(name);

	if (strncmp(kind, name, n) != 0)
		return false;
	if (kind[n] == '\0') {
		*v = def;
		return true;
	}
	return kind[n] == '=' &&
	       sbx_parse_digits(kind + n + 1, strlen(kind + n + 1), v) &&
	       *v >= min && *v <= max;
}

/* An absolute http(s) URL of printable ASCII without spaces, short enough
 * to keep. */
static bool redirect_target(const char *url)
{
	size_t n = strlen(url);

	if (n >= SBX_FAULT_LOCATION_MAX ||
	    (strncmp(url, "http://", 7) != 0 &&
	     strncmp(url, "https://", 8) != 0) ||
	    url[url[4] == 's' ? 8 : 7] == '\0')
		return false;
	for (size_t i = 0; i < n; i++)
		if (url[i] <= ' ' || url[i] > '~')
			return false;
	return true;
}

/* The hostile kinds: XDR_OK, XDR_EINVAL, or 1 for a kind not of them. */
static int parse_hostile(const char *kind, struct sbx_fault *out)
{
	static const char r302[] = "redirect=", r307[] = "redirect-307=";
	const char *url = NULL;

	if (!strcmp(kind, "hang")) {
		out->kind = SBX_FAULT_HANG;
		out->status = 200;
		return XDR_OK;
	}
	if (!strncmp(kind, r302, sizeof(r302) - 1)) {
		url = kind + sizeof(r302) - 1;
		out->status = 302;
	} else if (!strncmp(kind, r307, sizeof(r307) - 1)) {
		url = kind + sizeof(r307) - 1;
		out->status = 307;
	}
	if (url) {
		if (!redirect_target(url))
			return XDR_EINVAL;
		out->kind = SBX_FAULT_REDIRECT;
		snprintf(out->location, sizeof(out->location), "%s", url);
		return XDR_OK;
	}
	if (parse_sized(kind, "huge-chunked", SBX_FAULT_HUGE_DEFAULT,
	                SBX_FAULT_HUGE_MIN, SBX_FAULT_HUGE_MAX, &out->size)) {
		out->kind = SBX_FAULT_HUGE;
		out->status = 200;
		out->chunked = true;
		return XDR_OK;
	}
	if (parse_sized(kind, "huge", SBX_FAULT_HUGE_DEFAULT,
	                SBX_FAULT_HUGE_MIN, SBX_FAULT_HUGE_MAX, &out->size)) {
		out->kind = SBX_FAULT_HUGE;
		out->status = 200;
		return XDR_OK;
	}
	if (parse_sized(kind, "deep", SBX_FAULT_DEEP_DEFAULT, 1,
	                SBX_FAULT_DEEP_MAX, &out->size)) {
		out->kind = SBX_FAULT_DEEP;
		out->status = 200;
		return XDR_OK;
	}
	if (!strncmp(kind, "huge", 4) || !strncmp(kind, "deep", 4) ||
	    !strncmp(kind, "redirect", 8))
		return XDR_EINVAL;
	return 1;
}

/*
 * Every fault an IT Glue may answer with, by name: sbx_fault_parse_kind()
 * reads these (and any status, and 429-retry-after=S), and --fail-random
 * picks among them, so a kind added here is one the random faults include.
 * The statuses are one the client retries (500) and one it must not (422).
 * The hostile answers (parse_hostile) are not here: a hang or a huge
 * answer tests a limit, once, rather than a recovery.
 */
static const struct {
	const char *name;
	enum sbx_fault_kind kind;
	int status;
} named[] = {
        {"500", SBX_FAULT_STATUS, 500},
        {"422", SBX_FAULT_STATUS, 422},
        {"502-html", SBX_FAULT_HTML, 502},
        {"504-html", SBX_FAULT_HTML, 504},
        {"429", SBX_FAULT_RATE, 429},
        {"reset", SBX_FAULT_RESET, 0},
        {"truncate", SBX_FAULT_TRUNCATE, 200},
        {"malformed", SBX_FAULT_MALFORMED, 200},
        {"double-encoded", SBX_FAULT_DOUBLE_ENCODED, 200},
        {"401-echo", SBX_FAULT_ECHO, 401},
};

#define NAMED (sizeof(named) / sizeof(named[0]))

size_t sbx_fault_kind_count(void)
{
	return NAMED;
}

int sbx_fault_kind_at(size_t i, struct sbx_fault *out)
{
	if (i >= NAMED)
		return XDR_EINVAL;
	return sbx_fault_parse_kind(named[i].name, out);
}

int sbx_fault_parse_kind(const char *kind, struct sbx_fault *out)
{
	static const char retry[] = "429-retry-after=";
	long v;
	int rc;

	memset(out, 0, sizeof(*out));
	out->retry_after = -1;
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (!strcmp(kind, named[i].name)) {
			out->kind = named[i].kind;
			out->status = named[i].status;
			return XDR_OK;
		}
	if (!strncmp(kind, retry, sizeof(retry) - 1)) {
		const char *s = kind + sizeof(retry) - 1;

		if (!strcmp(s, "0")) {
			v = 0;
		} else if (!parse_positive(s, strlen(s), &v) || v > 86400) {
			return XDR_EINVAL;
		}
		out->kind = SBX_FAULT_RATE;
		out->status = 429;
		out->retry_after = (int)v;
		return XDR_OK;
	}
	rc = parse_hostile(kind, out);
	if (rc != 1)
		return rc;
	if (parse_positive(kind, strlen(kind), &v) && v >= 400 && v <= 599) {
		out->kind = SBX_FAULT_STATUS;
		out->status = (int)v;
		return XDR_OK;
	}
	return XDR_EINVAL;
}

int sbx_fault_parse_every(const char *spec, long *every, struct sbx_fault *out)
{
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);

	if (!parse_positive(spec, len, every))
		return XDR_EINVAL;
	return sbx_fault_parse_kind(colon ? colon + 1 : "500", out);
}

int sbx_fault_parse_random(const char *spec, int *percent, long *seed)
{
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
	long p, s = 1;

	if (!parse_positive(spec, len, &p) || p > 100)
		return XDR_EINVAL;
	if (colon && !sbx_parse_digits(colon + 1, strlen(colon + 1), &s))
		return XDR_EINVAL;
	*percent = (int)p;
	*seed = s;
	return XDR_OK;
}

int sbx_fault_parse_at(const char *spec, long *at, struct sbx_fault *out)
{
	const char *colon = strchr(spec, ':');

	if (!colon || !parse_positive(spec, (size_t)(colon - spec), at))
		return XDR_EINVAL;
	return sbx_fault_parse_kind(colon + 1, out);
}

void sbx_fault_name(const struct sbx_fault *f, char *out, size_t size)
{
	switch (f->kind) {
	case SBX_FAULT_NONE:
		snprintf(out, size, "none");
		break;
	case SBX_FAULT_STATUS:
		snprintf(out, size, "%d", f->status);
		break;
	case SBX_FAULT_HTML:
		snprintf(out, size, "%d-html", f->status);
		break;
	case SBX_FAULT_RATE:
		if (f->retry_after >= 0)
			snprintf(out, size, "429-retry-after=%d",
			         f->retry_after);
		else
			snprintf(out, size, "429");
		break;
	case SBX_FAULT_RESET:
		snprintf(out, size, "reset");
		break;
	case SBX_FAULT_TRUNCATE:
		snprintf(out, size, "truncate");
		break;
	case SBX_FAULT_MALFORMED:
		snprintf(out, size, "malformed");
		break;
	case SBX_FAULT_DOUBLE_ENCODED:
		snprintf(out, size, "double-encoded");
		break;
	case SBX_FAULT_ECHO:
		snprintf(out, size, "401-echo");
		break;
	case SBX_FAULT_HANG:
		snprintf(out, size, "hang");
		break;
	case SBX_FAULT_REDIRECT:
		snprintf(out, size, "redirect%s=%s",
		         f->status == 307 ? "-307" : "", f->location);
		break;
	case SBX_FAULT_HUGE:
		if (f->size == SBX_FAULT_HUGE_DEFAULT)
			snprintf(out, size, "huge%s",
			         f->chunked ? "-chunked" : "");
		else
			snprintf(out, size, "huge%s=%ld",
			         f->chunked ? "-chunked" : "", f->size);
		break;
	case SBX_FAULT_DEEP:
		if (f->size == SBX_FAULT_DEEP_DEFAULT)
			snprintf(out, size, "deep");
		else
			snprintf(out, size, "deep=%ld", f->size);
		break;
	}
}

void sbx_faults_init(struct sbx_faults *f)
{
	memset(f, 0, sizeof(*f));
}

void sbx_faults_clear(struct sbx_faults *f)
{
	free(f->schedule);
	sbx_faults_init(f);
}

int sbx_faults_schedule(struct sbx_faults *f, long at,
                        const struct sbx_fault *fault)
{
	struct sbx_fault_at *grown;

	grown = realloc(f->schedule, (f->scheduled + 1) * sizeof(*grown));
	if (!grown)
		return XDR_ENOMEM;
	f->schedule = grown;
	f->schedule[f->scheduled].at = at;
	f->schedule[f->scheduled].fault = *fault;
	f->scheduled++;
	return XDR_OK;
}

int sbx_faults_copy(struct sbx_faults *dst, const struct sbx_faults *src)
{
	*dst = *src;
	dst->schedule = NULL;
	if (!src->scheduled)
		return XDR_OK;
	dst->schedule = malloc(src->scheduled * sizeof(*dst->schedule));
	if (!dst->schedule) {
		dst->scheduled = 0;
		return XDR_ENOMEM;
	}
	memcpy(dst->schedule, src->schedule,
	       src->scheduled * sizeof(*dst->schedule));
	return XDR_OK;
}

/* SplitMix64's output for the N-th step from SEED: request N's own random
 * number, whatever order the requests came in. */
static uint64_t random_of(long seed, long n)
{
	uint64_t z = (uint64_t)seed + (uint64_t)n * 0x9E3779B97F4A7C15u;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

struct sbx_fault sbx_faults_next(struct sbx_faults *f)
{
	struct sbx_fault none = {.kind = SBX_FAULT_NONE, .retry_after = -1};
	struct sbx_fault picked = none;

	f->counter++;
	if (f->random_percent > 0) {
		uint64_t r = random_of(f->random_seed, f->counter);

		if (r % 100 < (uint64_t)f->random_percent)
			sbx_fault_kind_at(
			        (size_t)((r >> 32) % sbx_fault_kind_count()),
			        &picked);
	}
	for (size_t i = 0; i < f->scheduled; i++)
		if (f->schedule[i].at == f->counter)
			return f->schedule[i].fault;
	if (f->every > 0 && f->counter % f->every == 0)
		return f->every_fault;
	return picked;
}
