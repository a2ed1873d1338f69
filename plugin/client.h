/*
 * client.h - the IT Glue API client: one instance's URL and key, its rate
 * budget, retries, paging and statistics, over the transport of http.h.
 *
 * A client belongs to one thread at a time (the worker's): nothing in it is
 * locked.
 *
 * Retries: GET and PATCH (which replaces what it sends, so repeating it is
 * harmless) are retried on every retryable outcome (429, 408, 5xx, network,
 * timeouts, cut or unreadable answers) with full-jitter back-off, honouring
 * Retry-After, at most max_attempts requests in all. POST is retried only
 * after a 429, which says the request was not processed: after a timeout or
 * a 5xx it may have created something, so the caller, which knows how to
 * look for it, decides (itg_client_post_repeatable retries like a GET).
 */
#ifndef ITG_CLIENT_H
#define ITG_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apierror.h"
#include "backoff.h"
#include "http.h"
#include "jsonapi.h"
#include "query.h"

/* Waits MS milliseconds; returns true when the wait was cut short because
 * the job must stop (itg_job_sleep has this shape, with its context). */
typedef bool (*itg_sleep_fn)(void *user, unsigned int ms);

struct itg_client_config {
	const char *base_url;        /* "https://api.eu.itglue.com" */
	const char *api_key;         /* copied; wiped at free */
	const char *ca_file;         /* NULL: the system's CAs */
	const char *proxy;           /* NULL: none */
	uint32_t rate_requests;      /* 0: 3000 ... */
	uint32_t rate_window_s;      /* ... per 0: 300 seconds */
	uint32_t connect_timeout_ms; /* 0: 10 s */
	uint32_t timeout_ms;         /* 0: 120 s per request */
	unsigned int max_attempts;   /* requests per call at most; 0: 6 */
	size_t max_body;             /* answer bytes at most; 0: 32 MiB */
	unsigned int parallel;       /* pages in flight, 1..4; 0: 4 */
	itg_cancel_fn cancel;        /* NULL: never cancelled */
	void *cancel_user;
	itg_sleep_fn sleep; /* NULL: nanosleep, not cancellable */
	void *sleep_user;
	itg_random_fn random; /* back-off jitter; NULL: internal */
	void *random_user;
};

struct itg_client_stats {
	uint64_t requests; /* sent, retries included */
	uint64_t retries;
	uint64_t rate_limited; /* 429 answers seen */
	uint64_t bytes;        /* answer bytes received */
	uint64_t pages;        /* documents handed to callers */
	uint64_t resources;    /* resources handed to listing callbacks */
};

struct itg_client;

/*
 * Check the configuration and build a client; no request is sent. The URL
 * must be https, or http to a loopback address (see itg_http_check_url); the
 * key 1..512 printable characters. Returns 0 and *out, or XDR_EINVAL /
 * XDR_ENOMEM with the reason in err.
 */
int itg_client_new(const struct itg_client_config *cfg, struct itg_client **out,
                   char *err, size_t errsize);

/* Wipe the key and free everything; NULL is allowed. */
void itg_client_free(struct itg_client *c);

/*
 * GET PATH?QUERY and parse the document. PATH starts with '/' and holds only
 * [A-Za-z0-9/_.-] (no "..", no "//"); QUERY may be NULL.
 *
 * Every call returns 0 on success with *doc set (itg_doc_free), or a
 * negative status with *doc NULL and *err filled: XDR_ERROR when IT Glue or
 * the network failed (err->outcome says whether a later retry may help),
 * XDR_EINVAL for bad arguments, XDR_ENOMEM. err may not be NULL.
 */
int itg_client_get(struct itg_client *c, const char *path,
                   const struct itg_query *query, struct itg_doc **doc,
                   struct itg_api_error *err);

/* POST / PATCH a JSON body (sent as is) and parse the answer. An answer
 * without a body (204) gives 0 and *doc NULL. */
int itg_client_post(struct itg_client *c, const char *path,
                    const char *json_body, struct itg_doc **doc,
                    struct itg_api_error *err);
int itg_client_patch(struct itg_client *c, const char *path,
                     const char *json_body, struct itg_doc **doc,
                     struct itg_api_error *err);
/* A POST whose effect happens once however often it arrives (IT Glue
 * refuses the second, as it does a related item already there): retried on
 * every retryable outcome, as a GET is, not only after a 429. */
int itg_client_post_repeatable(struct itg_client *c, const char *path,
                               const char *json_body, struct itg_doc **doc,
                               struct itg_api_error *err);

/* A page of a listing, in page order; DOC is borrowed for the call. Return 0
 * to go on; anything else stops the listing and is returned by it. */
typedef int (*itg_page_fn)(void *user, const struct itg_doc *doc, int64_t page);

/* One resource of a listing, in order. Same return rule. */
typedef int (*itg_resource_fn)(void *user, const struct itg_resource *r,
                               const struct itg_doc *doc);

/*
 * Pages a listing may hold per transfer: besides the page in flight, one
 * answered page being parsed or waiting for an earlier one. Parsing a page
 * takes a good part of the time another needs to come back, so a page
 * being parsed must not keep a transfer idle; and the pages held stay
 * bounded, whatever the order they come back in.
 */
#define ITG_CLIENT_HELD_PER_TRANSFER 2

/*
 * Fetch every page of GET PATH?QUERY with page[size]=PAGE_SIZE (0: 1000; at
 * most 1000) and page[number]=1, 2, ... QUERY must not hold page[...]
 * itself. Paging follows meta (itg_page_plan); once page 1 tells the total,
 * the other pages are fetched up to `parallel` at a time within the rate
 * budget (holding as itg_client_list_each says) and still handed over in
 * order. ON_PAGE and ON_RESOURCE may each be
 * NULL. Returns 0, a callback's non-zero value, or an error as
 * itg_client_get.
 */
int itg_client_list(struct itg_client *c, const char *path,
                    const struct itg_query *query, uint32_t page_size,
                    itg_page_fn on_page, itg_resource_fn on_resource,
                    void *user, struct itg_api_error *err);

/* One listing of itg_client_list_each: GET PATH?QUERY (without page[...]).
 * ATTRIBUTES, when not NULL, names the only attributes the callbacks read
 * (NULL-terminated): the others are skipped while the page is parsed
 * (itg_jsonapi_parse_kept), a large saving on wide resources. */
struct itg_listing {
	const char *path;
	struct itg_query query;
	const char *const *attributes;
};

/*
 * The N LISTINGS, as itg_client_list each, fetched at once: the first pages
 * of the next listings go while a listing's first page is awaited, so that
 * the client's `parallel` transfers stay busy across listings. Pages are
 * handed over in order within a listing; the listings interleave (a
 * callback tells them apart by the resources' type or by USER's state). At
 * most `parallel` pages are in flight, and at most ITG_CLIENT_HELD_PER_
 * TRANSFER * `parallel` are held in all (in flight, being parsed, or
 * waiting for an earlier page). N is at most 4096; 0 fetches nothing.
 */
int itg_client_list_each(struct itg_client *c,
                         const struct itg_listing *listings, size_t n,
                         uint32_t page_size, itg_page_fn on_page,
                         itg_resource_fn on_resource, void *user,
                         struct itg_api_error *err);

void itg_client_stats(const struct itg_client *c, struct itg_client_stats *out);

/*
 * Build BASE PATH [?QUERY] into a new string (free it). Returns NULL when
 * PATH is not acceptable (see itg_client_get) or memory runs out.
 */
char *itg_client_url(const char *base, const char *path,
                     const struct itg_query *query);

#endif /* ITG_CLIENT_H */
