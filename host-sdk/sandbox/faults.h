/*
 * faults.h - injected failures: parsing their descriptions and deciding,
 * request by request, which one (if any) to answer with. Pure.
 */
#ifndef SBX_FAULTS_H
#define SBX_FAULTS_H

#include <stdbool.h>
#include <stddef.h>

enum sbx_fault_kind {
	SBX_FAULT_NONE = 0,
	SBX_FAULT_STATUS,         /* that status, JSON:API error body */
	SBX_FAULT_HTML,           /* 502 or 504 gateway page, text/html */
	SBX_FAULT_RATE,           /* 429, Retry-After when retry_after >= 0 */
	SBX_FAULT_RESET,          /* close the connection, no answer */
	SBX_FAULT_TRUNCATE,       /* half the declared body, then close */
	SBX_FAULT_MALFORMED,      /* 200 with a body that is not JSON */
	SBX_FAULT_DOUBLE_ENCODED, /* 200, the document as a JSON string */
	SBX_FAULT_ECHO,           /* 401 whose error repeats the request's
	                             key and path, as a careless server or
	                             proxy may */
	/* Hostile answers, made by the sandbox instead of the application's
	 * (their bytes: fault_body.h). */
	SBX_FAULT_HANG,     /* 200, the start of a body, then a space now and
	                       then, never the end */
	SBX_FAULT_REDIRECT, /* 302 or 307 to location + the request's path */
	SBX_FAULT_HUGE,     /* 200, a JSON:API document of size bytes, its
	                       Content-Length told (chunked: not told) */
	SBX_FAULT_DEEP,     /* 200, a document nested size levels deep */
};

/* Longest redirect target, scheme://host[:port][/path], with its NUL. */
#define SBX_FAULT_LOCATION_MAX 200
/* The defaults of huge and deep: above the IT Glue plugin's 32 MiB
 * answer limit, and far past any parser's nesting limit. */
#define SBX_FAULT_HUGE_DEFAULT ((long)64 * 1024 * 1024)
#define SBX_FAULT_HUGE_MIN     100L
#define SBX_FAULT_HUGE_MAX     ((long)1 << 40)
#define SBX_FAULT_DEEP_DEFAULT 100000L
#define SBX_FAULT_DEEP_MAX     100000000L
/* Room for any KIND text sbx_fault_name() writes. */
#define SBX_FAULT_NAME_MAX (SBX_FAULT_LOCATION_MAX + 32)

struct sbx_fault {
	enum sbx_fault_kind kind;
	int status;      /* STATUS, HTML, REDIRECT: the HTTP status */
	int retry_after; /* RATE: seconds, or -1 for no header */
	long size;       /* HUGE: bytes of body; DEEP: levels */
	bool chunked;    /* HUGE: no Content-Length */
	char location[SBX_FAULT_LOCATION_MAX]; /* REDIRECT */
};

struct sbx_fault_at {
	long at;
	struct sbx_fault fault;
};

struct sbx_faults {
	long every; /* 0: no periodic fault */
	struct sbx_fault every_fault;
	struct sbx_fault_at *schedule;
	size_t scheduled;
	long counter;       /* API requests seen since the faults were set */
	int random_percent; /* 0: no random fault (--fail-random) */
	long random_seed;
};

/*
 * KIND: a status 400-599 ("500", "408"), "502-html", "504-html", "429",
 * "429-retry-after=S", "reset", "truncate", "malformed", "double-encoded",
 * "401-echo", "hang", "redirect=URL", "redirect-307=URL" (URL http:// or
 * https://, printable, no spaces), "huge[=BYTES]", "huge-chunked[=BYTES]"
 * (BYTES SBX_FAULT_HUGE_MIN..SBX_FAULT_HUGE_MAX), "deep[=LEVELS]" (1..
 * SBX_FAULT_DEEP_MAX). Returns XDR_OK or XDR_EINVAL.
 */
int sbx_fault_parse_kind(const char *kind, struct sbx_fault *out);

/* "N[:KIND]" of --fail-every (KIND defaults to 500). XDR_OK or XDR_EINVAL. */
int sbx_fault_parse_every(const char *spec, long *every, struct sbx_fault *out);

/* "AT:KIND" of --fault. XDR_OK or XDR_EINVAL. */
int sbx_fault_parse_at(const char *spec, long *at, struct sbx_fault *out);

/*
 * "PERCENT[:SEED]" of --fail-random: PERCENT 1..100, SEED a decimal number
 * (default 1). XDR_OK or XDR_EINVAL.
 */
int sbx_fault_parse_random(const char *spec, int *percent, long *seed);

/* The kinds --fail-random picks from, each once: the I-th of
 * sbx_fault_kind_count() into *OUT. XDR_OK, or XDR_EINVAL past the end. */
size_t sbx_fault_kind_count(void);
int sbx_fault_kind_at(size_t i, struct sbx_fault *out);

/* The KIND text of F, as sbx_fault_parse_kind() reads it. */
void sbx_fault_name(const struct sbx_fault *f, char *out, size_t size);

void sbx_faults_init(struct sbx_faults *f);
void sbx_faults_clear(struct sbx_faults *f);
/* Adds AT:F to the schedule. XDR_OK or XDR_ENOMEM. */
int sbx_faults_schedule(struct sbx_faults *f, long at,
                        const struct sbx_fault *fault);
/* A deep copy of SRC into DST (initialised). XDR_OK or XDR_ENOMEM. */
int sbx_faults_copy(struct sbx_faults *dst, const struct sbx_faults *src);

/*
 * Counts one more API request and returns the fault it gets: a scheduled
 * one first, then the periodic one, then a random one, else kind
 * SBX_FAULT_NONE. Whether request N gets a random fault, and which kind,
 * depends on N and the seed only: the same seed faults the same requests
 * the same way.
 */
struct sbx_fault sbx_faults_next(struct sbx_faults *f);

#endif
