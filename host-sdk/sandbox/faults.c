/*
 * faults.c - fault descriptions and the per-request decision.
 */
#include "config.h"

#include "faults.h"

#include "digits.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xdr/plugin.h>

/* A positive decimal number filling all of S. */
static bool parse_positive(const char *s, size_t len, long *out)
{
	return sbx_parse_digits(s, len, out) && *out >= 1;
}

int sbx_fault_parse_kind(const char *kind, struct sbx_fault *out)
{
	static const struct {
		const char *name;
		enum sbx_fault_kind kind;
		int status;
	} named[] = {
	        {"502-html", SBX_FAULT_HTML, 502},
	        {"504-html", SBX_FAULT_HTML, 504},
	        {"429", SBX_FAULT_RATE, 429},
	        {"reset", SBX_FAULT_RESET, 0},
	        {"truncate", SBX_FAULT_TRUNCATE, 200},
	        {"malformed", SBX_FAULT_MALFORMED, 200},
	        {"double-encoded", SBX_FAULT_DOUBLE_ENCODED, 200},
	        {"401-echo", SBX_FAULT_ECHO, 401},
	};
	static const char retry[] = "429-retry-after=";
	long v;

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

struct sbx_fault sbx_faults_next(struct sbx_faults *f)
{
	struct sbx_fault none = {SBX_FAULT_NONE, 0, -1};

	f->counter++;
	for (size_t i = 0; i < f->scheduled; i++)
		if (f->schedule[i].at == f->counter)
			return f->schedule[i].fault;
	if (f->every > 0 && f->counter % f->every == 0)
		return f->every_fault;
	return none;
}
