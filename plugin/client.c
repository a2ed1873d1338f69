/*
 * client.c - the IT Glue API client: rate budget, retries, paging.
 */
#include <config.h>

#include "client.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "errbuf.h"
#include "ratelimit.h"
#include "secret.h"

/* Longest single wait on the transport, so that a cancel is seen soon. */
#define POLL_SLICE_MS 100

struct itg_client {
	char *base;    /* without a trailing '/' */
	char *api_key; /* wiped at free */
	struct itg_http *http;
	struct itg_rate rate;
	struct itg_backoff backoff;
	unsigned int parallel;
	size_t max_body;
	itg_cancel_fn cancel;
	void *cancel_user;
	itg_sleep_fn sleep;
	void *sleep_user;
	itg_random_fn random;
	void *random_user;
	uint64_t random_state;
	struct itg_client_stats stats;
};

static int64_t now_ms(void)
{
	return (int64_t)os_monotonic_ms();
}

static bool default_sleep(void *user, unsigned int ms)
{
	(void)user;
	os_sleep_ms(ms);
	return false;
}

/* xorshift64*: jitter needs spread, not secrecy. */
static uint32_t default_random(void *user)
{
	struct itg_client *c = user;
	uint64_t x = c->random_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	c->random_state = x;
	return (uint32_t)((x * 0x2545F4914F6CDD1DULL) >> 32);
}

int itg_client_new(const struct itg_client_config *cfg, struct itg_client **out,
                   char *err, size_t errsize)
{
	struct itg_client *c;
	struct itg_http_config hc;
	bool is_http;
	size_t len;
	int rc;

	*out = NULL;
	if (cfg == NULL) {
		itg_errf(err, errsize, "no client configuration");
		return XDR_EINVAL;
	}
	rc = itg_http_check_url(cfg->base_url, &is_http, err, errsize);
	if (rc != 0)
		return rc;
	if (!itg_http_key_ok(cfg->api_key)) {
		itg_errf(err, errsize,
		         "the API key must be 1 to 512 printable characters "
		         "without spaces");
		return XDR_EINVAL;
	}
	if (cfg->parallel > ITG_HTTP_PARALLEL_MAX) {
		itg_errf(err, errsize, "at most %d requests may run at once",
		         ITG_HTTP_PARALLEL_MAX);
		return XDR_EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		goto nomem;
	if (itg_rate_init(&c->rate,
	                  cfg->rate_requests ? cfg->rate_requests
	                                     : ITG_RATE_DEFAULT_REQUESTS,
	                  cfg->rate_window_s ? cfg->rate_window_s
	                                     : ITG_RATE_DEFAULT_WINDOW_S,
	                  now_ms()) != 0) {
		itg_errf(err, errsize,
		         "the rate limit must be 1 to 1000000 requests per 1 "
		         "to 86400 seconds");
		free(c);
		return XDR_EINVAL;
	}
	itg_backoff_defaults(&c->backoff);
	if (cfg->max_attempts > 0)
		c->backoff.max_attempts = cfg->max_attempts;
	c->parallel = cfg->parallel ? cfg->parallel : ITG_HTTP_PARALLEL_MAX;
	c->max_body = cfg->max_body ? cfg->max_body : ITG_HTTP_MAX_BODY_DEFAULT;
	c->cancel = cfg->cancel;
	c->cancel_user = cfg->cancel_user;
	c->sleep = cfg->sleep ? cfg->sleep : default_sleep;
	c->sleep_user = cfg->sleep_user;
	c->random = cfg->random ? cfg->random : default_random;
	c->random_user = cfg->random ? cfg->random_user : c;
	c->random_state = (((uint64_t)time(NULL) << 20) ^
	                   (uint64_t)(uintptr_t)c ^ (uint64_t)now_ms()) |
	                  1;
	len = strlen(cfg->base_url);
	while (len > 0 && cfg->base_url[len - 1] == '/')
		len--;
	c->base = malloc(len + 1);
	c->api_key = strdup(cfg->api_key);
	if (c->base == NULL || c->api_key == NULL)
		goto nomem;
	memcpy(c->base, cfg->base_url, len);
	c->base[len] = '\0';
	memset(&hc, 0, sizeof(hc));
	hc.ca_file = cfg->ca_file;
	hc.proxy = cfg->proxy;
	hc.allow_http = is_http;
	hc.connect_timeout_ms = cfg->connect_timeout_ms;
	hc.timeout_ms = cfg->timeout_ms;
	hc.max_body = c->max_body;
	hc.cancel = cfg->cancel;
	hc.cancel_user = cfg->cancel_user;
	rc = itg_http_new(&hc, &c->http, err, errsize);
	if (rc != 0) {
		itg_client_free(c);
		return rc;
	}
	*out = c;
	return 0;
nomem:
	itg_client_free(c);
	itg_errf(err, errsize, "out of memory");
	return XDR_ENOMEM;
}

void itg_client_free(struct itg_client *c)
{
	if (c == NULL)
		return;
	itg_http_free(c->http);
	itg_secret_free(c->api_key);
	free(c->base);
	free(c);
}

void itg_client_stats(const struct itg_client *c, struct itg_client_stats *out)
{
	if (c == NULL)
		memset(out, 0, sizeof(*out));
	else
		*out = c->stats;
}

static bool path_ok(const char *path)
{
	const char *p;

	if (path == NULL || path[0] != '/' || strstr(path, "//") != NULL ||
	    strstr(path, "/../") != NULL || strstr(path, "/./") != NULL)
		return false;
	for (p = path; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' ||
		      *p == '-' || *p == '.'))
			return false;
	/* A trailing "/.." or "/." climbs too. */
	p = strrchr(path, '/');
	return strcmp(p, "/..") != 0 && strcmp(p, "/.") != 0;
}

char *itg_client_url(const char *base, const char *path,
                     const struct itg_query *query)
{
	size_t len;
	char *url;
	bool with_query = query != NULL && query->len > 0;

	if (base == NULL || !path_ok(path))
		return NULL;
	len = strlen(base) + strlen(path) + (with_query ? query->len + 1 : 0) +
	      1;
	url = malloc(len);
	if (url == NULL)
		return NULL;
	snprintf(url, len, "%s%s%s%s", base, path, with_query ? "?" : "",
	         with_query ? query->text : "");
	return url;
}

#define WINDOW_MAX (ITG_CLIENT_HELD_PER_TRANSFER * ITG_HTTP_PARALLEL_MAX)

/*
 * One call's requests: a single one (page_size 0), the pages of a listing,
 * or the pages of several listings (streams) at once. Pages are launched
 * in order within a stream, at most `parallel` in flight, and at most
 * ITG_CLIENT_HELD_PER_TRANSFER * `parallel` in flight, being parsed or
 * waiting for their turn in all, so that at most that many documents are
 * held; window[i] of a stream is its page next_deliver + i.
 */
struct slot_state {
	unsigned int attempts;
	int64_t not_before_ms;
	bool in_flight;
	bool parsing;        /* answered; its body is being parsed */
	bool ready;          /* answered; doc waits for its turn */
	struct itg_doc *doc; /* NULL for an answer without a body */
};

struct stream {
	const char *path;
	const struct itg_query *query;
	const char *const *attributes; /* kept of each resource; NULL: all */
	int64_t next_deliver;          /* the next page to hand over */
	int64_t last;                  /* the last page known to be wanted */
	bool one_by_one;               /* pages are known one at a time */
	struct slot_state window[WINDOW_MAX];
};

struct run {
	struct itg_client *c;
	const char *method;
	const char *body;
	uint32_t page_size; /* 0: not a listing */
	bool retry_all;     /* false: retry a 429 only (POST) */
	struct stream *streams;
	size_t n_streams;
	size_t held; /* pages in flight, being parsed or waiting their turn */
	/* what to do with a page, in its stream's order; takes DOC */
	int (*deliver)(struct run *r, struct stream *s, struct itg_doc *doc,
	               int64_t page);
	void *user;
	struct itg_api_error *err;
	struct parser *parser; /* NULL: pages are parsed on this thread */
};

/* Streams of one call at most, so that a stream and page fit one tag. */
#define STREAMS_MAX 4096

static void *tag_of(size_t stream, int64_t page)
{
	return (void *)(intptr_t)((int64_t)stream * (ITG_PAGES_MAX + 1) + page);
}

static void untag(void *tag, size_t *stream, int64_t *page)
{
	int64_t v = (int64_t)(intptr_t)tag;

	*stream = (size_t)(v / (ITG_PAGES_MAX + 1));
	*page = v % (ITG_PAGES_MAX + 1);
}

static bool stream_done(const struct stream *s)
{
	return s->next_deliver > s->last;
}

static int start_one(struct run *r, size_t si, int64_t page)
{
	struct stream *s = &r->streams[si];
	struct itg_query q;
	char number[24], size[16];
	struct itg_http_request req;
	char *url;
	int rc;

	q = s->query != NULL ? *s->query : (struct itg_query){{0}, 0};
	if (r->page_size > 0) {
		snprintf(size, sizeof(size), "%" PRIu32, r->page_size);
		snprintf(number, sizeof(number), "%" PRId64, page);
		rc = itg_query_add(&q, "page[size]", size);
		if (rc == 0)
			rc = itg_query_add(&q, "page[number]", number);
		if (rc != 0) {
			itg_apierror_set(r->err, ITG_PERMANENT, ITG_ERR_CONFIG,
			                 0,
			                 "the query of a listing must not hold "
			                 "page parameters and must stay under "
			                 "%d bytes",
			                 ITG_QUERY_MAX);
			return XDR_EINVAL;
		}
	}
	url = itg_client_url(r->c->base, s->path, &q);
	if (url == NULL) {
		itg_apierror_set(r->err, ITG_PERMANENT, ITG_ERR_CONFIG, 0,
		                 "'%s' is not an acceptable API path", s->path);
		return XDR_EINVAL;
	}
	memset(&req, 0, sizeof(req));
	req.method = r->method;
	req.url = url;
	req.api_key = r->c->api_key;
	req.body = r->body;
	req.body_len = r->body != NULL ? strlen(r->body) : 0;
	rc = itg_http_start(r->c->http, &req, tag_of(si, page));
	free(url);
	if (rc != 0) {
		itg_apierror_set(
		        r->err, ITG_PERMANENT,
		        rc == XDR_ENOMEM ? ITG_ERR_NO_MEMORY : ITG_ERR_CONFIG,
		        0, "the request to IT Glue could not be set up");
		return rc;
	}
	r->c->stats.requests++;
	return 0;
}

/*
 * Launch what may go now; *wake_ms is when something may go next. The
 * streams are taken in order, each as far as its window and the pages
 * held allow: the first pages of the next streams go while a stream waits
 * for its first page to say how many follow.
 */
static int launch(struct run *r, int64_t now, int64_t *wake_ms)
{
	unsigned int parallel = r->c->parallel;
	unsigned int window = r->page_size > 0
	                              ? ITG_CLIENT_HELD_PER_TRANSFER * parallel
	                              : parallel;
	uint64_t wait;
	int rc;

	for (size_t si = 0; si < r->n_streams; si++) {
		struct stream *s = &r->streams[si];

		for (unsigned int i = 0; i < window; i++) {
			struct slot_state *w = &s->window[i];
			int64_t page = s->next_deliver + i;

			if (page > s->last)
				break;
			if (w->in_flight || w->parsing || w->ready)
				continue;
			if (now < w->not_before_ms) {
				if (w->not_before_ms < *wake_ms)
					*wake_ms = w->not_before_ms;
				continue;
			}
			if (itg_http_active(r->c->http) >= parallel)
				return 0;
			/* A new page needs room; a retry has its own. */
			if (r->held >= window && w->attempts == 0)
				continue;
			if (!itg_rate_acquire(&r->c->rate, now, &wait)) {
				if (now + (int64_t)wait < *wake_ms)
					*wake_ms = now + (int64_t)wait;
				return 0;
			}
			rc = start_one(r, si, page);
			if (rc != 0)
				return rc;
			if (w->attempts == 0)
				r->held++;
			w->in_flight = true;
			w->attempts++;
		}
	}
	return 0;
}

static int retry_after_s(const struct itg_http_response *resp)
{
	int64_t s;

	if (resp->retry_after[0] == '\0' ||
	    itg_retry_after_parse(resp->retry_after, time(NULL), &s) != 0)
		return -1;
	return s > INT32_MAX ? INT32_MAX : (int)s;
}

/* Handle one finished request. Returns 0, or a final error. */
/*
 * An answer of page PAGE of ST is in: its slot is no longer in flight, and
 * *e says what the transport and the status make of it. Returns true when
 * its body is a document to parse (then settle_parsed() finishes), false
 * when it is settled already (an empty 2xx to a POST or PATCH) or has no
 * document to read (settle_parsed() with no document).
 */
static bool answer_in(struct run *r, struct stream *st,
                      const struct itg_http_response *resp, int64_t page,
                      struct itg_api_error *e, bool *settled)
{
	struct slot_state *w = &st->window[page - st->next_deliver];
	struct itg_exchange x;

	w->in_flight = false;
	r->c->stats.bytes += resp->body_len;
	memset(&x, 0, sizeof(x));
	x.transfer = resp->transfer;
	x.transfer_detail = resp->detail;
	x.tls_verify = resp->tls_verify;
	x.redirect_to = resp->redirect_to;
	x.status = resp->status;
	x.content_type = resp->content_type;
	x.body = resp->body;
	x.body_len = resp->body_len;
	x.secret = r->c->api_key;
	itg_apierror_classify(&x, e);
	*settled = false;
	if (e->outcome == ITG_OK && resp->body_len == 0 &&
	    strcmp(r->method, "GET") != 0) {
		/* 204 or an empty 201: nothing to read. */
		w->ready = true;
		*settled = true;
		return false;
	}
	return e->outcome == ITG_OK;
}

/*
 * Finish an answer: DOC is its parsed document (PRC the parse's status,
 * WHY its reason) when answer_in() said to parse it. The page is then
 * ready, or due again after a back-off, or the run fails with r->err.
 */
static int settle_parsed(struct run *r, struct stream *st,
                         const struct itg_http_response *resp, int64_t page,
                         struct itg_api_error *e, struct itg_doc *doc, int prc,
                         const char *why)
{
	struct slot_state *w = &st->window[page - st->next_deliver];
	int64_t now = now_ms();
	int after;
	uint64_t delay;

	w->parsing = false;
	if (e->outcome == ITG_OK && prc != 0) {
		if (prc == XDR_ENOMEM) {
			itg_apierror_set(
			        r->err, ITG_PERMANENT, ITG_ERR_NO_MEMORY,
			        resp->status,
			        "out of memory reading IT Glue's answer");
			return prc;
		}
		itg_apierror_set(e, ITG_RETRY, ITG_ERR_BAD_RESPONSE,
		                 resp->status,
		                 "IT Glue's answer could not be read "
		                 "(HTTP %ld): %s",
		                 resp->status, why);
	}
	if (e->outcome == ITG_OK) {
		w->ready = true;
		w->doc = doc;
		return 0;
	}
	itg_doc_free(doc);
	after = retry_after_s(resp);
	/* The hold of the whole client is cut as a retry's wait is: a
	 * day-long Retry-After must not stall every later call for a day. */
	if (after > (int)r->c->backoff.retry_after_max_s)
		after = (int)r->c->backoff.retry_after_max_s;
	if (e->kind == ITG_ERR_RATE_LIMITED) {
		r->c->stats.rate_limited++;
		itg_rate_penalise(&r->c->rate, now,
		                  after > 0 ? (uint64_t)after * 1000 : 0);
	}
	if (e->outcome == ITG_RETRY &&
	    (r->retry_all || e->kind == ITG_ERR_RATE_LIMITED) &&
	    itg_backoff_may_retry(&r->c->backoff, w->attempts)) {
		delay = itg_backoff_delay_ms(&r->c->backoff, w->attempts - 1,
		                             after, r->c->random,
		                             r->c->random_user);
		w->not_before_ms = now + (int64_t)delay;
		r->c->stats.retries++;
		return 0;
	}
	*r->err = *e;
	if (e->outcome == ITG_RETRY && w->attempts > 1) {
		char tail[48];

		snprintf(tail, sizeof(tail), " (after %u attempts)",
		         w->attempts);
		if (strlen(r->err->message) + strlen(tail) <
		    sizeof(r->err->message))
			strcat(r->err->message, tail);
	}
	return XDR_ERROR;
}

/* An answer settled on this thread, its body parsed here. */
static int settle(struct run *r, struct stream *st,
                  struct itg_http_response *resp, int64_t page)
{
	struct itg_api_error e;
	struct itg_doc *doc = NULL;
	char why[200] = "";
	bool settled;
	int prc = 0;

	if (answer_in(r, st, resp, page, &e, &settled))
		prc = itg_jsonapi_parse_kept(resp->body, resp->body_len,
		                             r->c->max_body, st->attributes,
		                             &doc, why, sizeof(why));
	if (settled)
		return 0;
	return settle_parsed(r, st, resp, page, &e, doc, prc, why);
}

static int deliver_ready(struct run *r, struct stream *s);

/* ---- parsing pages off the transfer thread ---- */

/*
 * A listing's pages are parsed on a thread of the run's own, so that the
 * transfers move on while a page is read: parsing a page of 1,000
 * configurations takes longer than another answer needs to come in. The
 * pages are still settled and handed over on the caller's thread, in
 * order. The same thread frees the documents once handed over, and each
 * answer's body once parsed: taking apart a page's tens of thousands of
 * objects costs about as much as building them, and done by the caller it
 * would hold up the next request.
 */
struct parse_job {
	struct parse_job *next;
	size_t si;
	int64_t page;
	struct itg_http_response *resp;
	const char *const *attributes;
	struct itg_api_error e; /* answer_in()'s verdict */
	struct itg_doc *doc;
	int rc;
	char why[200];
};

/* A document handed over, for the parser to free. */
struct spent_doc {
	struct spent_doc *next;
	struct itg_doc *doc;
};

struct parser {
	os_mutex lock;
	os_cond work; /* a job came, a document to free, or stop */
	os_cond done; /* a job is parsed */
	struct parse_job *todo, *todo_last, *parsed, *parsed_last;
	struct spent_doc *spent; /* freed before the next page is parsed */
	size_t pending;          /* jobs given and not yet taken back */
	bool stop;
	size_t max_body;
	struct itg_http *http;
	os_thread thread;
};

static void push_job(struct parse_job **first, struct parse_job **last,
                     struct parse_job *job)
{
	job->next = NULL;
	if (*last != NULL)
		(*last)->next = job;
	else
		*first = job;
	*last = job;
}

static struct parse_job *pop_job(struct parse_job **first,
                                 struct parse_job **last)
{
	struct parse_job *job = *first;

	if (job != NULL) {
		*first = job->next;
		if (*first == NULL)
			*last = NULL;
	}
	return job;
}

static void free_spent(struct spent_doc *list)
{
	while (list != NULL) {
		struct spent_doc *next = list->next;

		itg_doc_free(list->doc);
		free(list);
		list = next;
	}
}

static void *parser_main(void *arg)
{
	struct parser *p = arg;

	os_mutex_lock(&p->lock);
	for (;;) {
		struct parse_job *job;

		while (!p->stop && p->todo == NULL && p->spent == NULL)
			os_cond_wait(&p->work, &p->lock);
		if (p->stop)
			break;
		if (p->spent != NULL) {
			/* First what was handed over, so that the pages
			 * held stay few. */
			struct spent_doc *list = p->spent;

			p->spent = NULL;
			os_mutex_unlock(&p->lock);
			free_spent(list);
			os_mutex_lock(&p->lock);
			continue;
		}
		job = pop_job(&p->todo, &p->todo_last);
		os_mutex_unlock(&p->lock);
		job->rc = itg_jsonapi_parse_kept(
		        job->resp->body, job->resp->body_len, p->max_body,
		        job->attributes, &job->doc, job->why, sizeof(job->why));
		/* Settling reads the status and headers only. */
		free(job->resp->body);
		job->resp->body = NULL;
		job->resp->body_len = 0;
		os_mutex_lock(&p->lock);
		push_job(&p->parsed, &p->parsed_last, job);
		os_cond_signal(&p->done);
		itg_http_wakeup(p->http);
	}
	os_mutex_unlock(&p->lock);
	return NULL;
}

static void free_job(struct parse_job *job)
{
	itg_doc_free(job->doc);
	itg_http_response_free(job->resp);
	free(job);
}

/* A parser for R's listing, or NULL (its pages are then parsed in
 * place). */
static struct parser *parser_start(struct run *r)
{
	struct parser *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->max_body = r->c->max_body;
	p->http = r->c->http;
	if (os_mutex_init(&p->lock) != 0) {
		free(p);
		return NULL;
	}
	if (os_cond_init(&p->work) != 0) {
		os_mutex_destroy(&p->lock);
		free(p);
		return NULL;
	}
	if (os_cond_init(&p->done) != 0) {
		os_cond_destroy(&p->work);
		os_mutex_destroy(&p->lock);
		free(p);
		return NULL;
	}
	if (os_thread_start(&p->thread, parser_main, p) != 0) {
		os_cond_destroy(&p->done);
		os_cond_destroy(&p->work);
		os_mutex_destroy(&p->lock);
		free(p);
		return NULL;
	}
	return p;
}

/* Stop the thread and drop what it holds. */
static void parser_stop(struct parser *p)
{
	struct parse_job *job;

	if (p == NULL)
		return;
	os_mutex_lock(&p->lock);
	p->stop = true;
	os_cond_signal(&p->work);
	os_mutex_unlock(&p->lock);
	os_thread_join(p->thread);
	while ((job = pop_job(&p->todo, &p->todo_last)) != NULL)
		free_job(job);
	while ((job = pop_job(&p->parsed, &p->parsed_last)) != NULL)
		free_job(job);
	free_spent(p->spent);
	os_cond_destroy(&p->done);
	os_cond_destroy(&p->work);
	os_mutex_destroy(&p->lock);
	free(p);
}

/* Give the answer RESP of page PAGE of stream SI to the parser (which then
 * owns it). Returns 0 or XDR_ENOMEM. */
static int parser_give(struct run *r, size_t si, int64_t page,
                       struct itg_http_response *resp,
                       const struct itg_api_error *e)
{
	struct parser *p = r->parser;
	struct parse_job *job = calloc(1, sizeof(*job));

	if (job == NULL)
		return XDR_ENOMEM;
	job->si = si;
	job->page = page;
	job->resp = resp;
	job->attributes = r->streams[si].attributes;
	job->e = *e;
	r->streams[si].window[page - r->streams[si].next_deliver].parsing =
	        true;
	os_mutex_lock(&p->lock);
	push_job(&p->todo, &p->todo_last, job);
	p->pending++;
	os_cond_signal(&p->work);
	os_mutex_unlock(&p->lock);
	return 0;
}

/* Free DOC, a page handed over: on the parser's thread when there is one
 * (and memory for the note), else here. */
static void drop_doc(struct run *r, struct itg_doc *doc)
{
	struct parser *p = r->parser;
	struct spent_doc *note;

	if (doc == NULL)
		return;
	note = p != NULL ? malloc(sizeof(*note)) : NULL;
	if (note == NULL) {
		itg_doc_free(doc);
		return;
	}
	note->doc = doc;
	os_mutex_lock(&p->lock);
	note->next = p->spent;
	p->spent = note;
	os_cond_signal(&p->work);
	os_mutex_unlock(&p->lock);
}

/* Settle and hand over every page parsed so far; with WAIT_MS > 0 and
 * none parsed yet, wait that long for one first. */
static int parser_take(struct run *r, int64_t wait_ms)
{
	struct parser *p = r->parser;
	struct parse_job *list;
	int rc = 0;

	if (p == NULL)
		return 0;
	os_mutex_lock(&p->lock);
	if (p->parsed == NULL && p->pending > 0 && wait_ms > 0)
		os_cond_wait_until(&p->done, &p->lock,
		                   os_monotonic_ms() + (uint64_t)wait_ms);
	list = p->parsed;
	p->parsed = p->parsed_last = NULL;
	for (struct parse_job *j = list; j != NULL; j = j->next)
		p->pending--;
	os_mutex_unlock(&p->lock);
	while (list != NULL) {
		struct parse_job *job = list;
		struct stream *st = &r->streams[job->si];

		list = job->next;
		if (rc == 0) {
			rc = settle_parsed(r, st, job->resp, job->page, &job->e,
			                   job->doc, job->rc, job->why);
			job->doc = NULL; /* settle_parsed took it */
			if (rc == 0)
				rc = deliver_ready(r, st);
		}
		free_job(job);
	}
	return rc;
}

static size_t parser_pending(const struct run *r)
{
	size_t n;

	if (r->parser == NULL)
		return 0;
	os_mutex_lock(&r->parser->lock);
	n = r->parser->pending;
	os_mutex_unlock(&r->parser->lock);
	return n;
}

/* Hand over the pages of S that are ready, in order. */
static int deliver_ready(struct run *r, struct stream *s)
{
	struct itg_doc *doc;
	int rc;

	while (!stream_done(s) && s->window[0].ready) {
		doc = s->window[0].doc;
		memmove(&s->window[0], &s->window[1],
		        sizeof(s->window) - sizeof(s->window[0]));
		memset(&s->window[WINDOW_MAX - 1], 0, sizeof(s->window[0]));
		s->next_deliver++;
		r->held--;
		rc = r->deliver(r, s, doc, s->next_deliver - 1);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static void drop_all(struct run *r)
{
	itg_http_abort_all(r->c->http);
	for (size_t si = 0; si < r->n_streams; si++) {
		struct stream *s = &r->streams[si];

		for (size_t i = 0; i < WINDOW_MAX; i++) {
			itg_doc_free(s->window[i].doc);
			memset(&s->window[i], 0, sizeof(s->window[i]));
		}
	}
	r->held = 0;
}

static bool cancelled(struct run *r)
{
	if (r->c->cancel == NULL || !r->c->cancel(r->c->cancel_user))
		return false;
	itg_apierror_set(r->err, ITG_PERMANENT, ITG_ERR_CANCELLED, 0,
	                 "the request to IT Glue was cancelled: the job is "
	                 "stopping");
	return true;
}

static bool all_done(const struct run *r)
{
	for (size_t si = 0; si < r->n_streams; si++)
		if (!stream_done(&r->streams[si]))
			return false;
	return true;
}

static int run_requests(struct run *r)
{
	struct itg_http_response *resp;
	void *tag;
	int64_t now, wake, wait, page;
	size_t si;
	int rc = 0;

	memset(r->err, 0, sizeof(*r->err));
	r->held = 0;
	for (si = 0; si < r->n_streams; si++)
		memset(r->streams[si].window, 0, sizeof(r->streams[si].window));
	/* A listing's pages are parsed off this thread (when a thread can
	 * be had: otherwise here). */
	r->parser = r->page_size > 0 ? parser_start(r) : NULL;
	while (rc == 0 && !all_done(r)) {
		if (cancelled(r)) {
			rc = XDR_ERROR;
			break;
		}
		rc = parser_take(r, 0);
		if (rc != 0 || all_done(r))
			break;
		now = now_ms();
		wake = INT64_MAX;
		rc = launch(r, now, &wake);
		if (rc != 0)
			break;
		if (itg_http_active(r->c->http) == 0 && parser_pending(r) > 0) {
			/* Every answer is in: wait for a page to be parsed
			 * (or the rate budget or a back-off, if sooner). */
			wait = wake == INT64_MAX ? POLL_SLICE_MS : wake - now;
			rc = parser_take(r, wait < 1 ? 1
			                    : wait > POLL_SLICE_MS
			                            ? POLL_SLICE_MS
			                            : wait);
			continue;
		}
		if (itg_http_active(r->c->http) == 0) {
			/* Nothing runs: wait for the rate budget or a
			 * back-off. */
			wait = wake == INT64_MAX ? POLL_SLICE_MS : wake - now;
			if (wait > 0 &&
			    r->c->sleep(r->c->sleep_user, (unsigned int)wait) &&
			    cancelled(r)) {
				rc = XDR_ERROR;
				break;
			}
			continue;
		}
		wait = wake == INT64_MAX ? POLL_SLICE_MS : wake - now;
		if (wait > POLL_SLICE_MS)
			wait = POLL_SLICE_MS;
		if (itg_http_poll(r->c->http, (int)wait, &resp, &tag) == 0)
			continue;
		untag(tag, &si, &page);
		/* The next request goes before this answer is read: reading a
		 * large page takes long enough for another to come back. */
		now = now_ms();
		rc = launch(r, now, &wake);
		/* Finished pages wait in their window; delivery is in order
		 * within a stream. */
		if (rc == 0 && r->parser != NULL) {
			struct itg_api_error e;
			bool settled;

			if (answer_in(r, &r->streams[si], resp, page, &e,
			              &settled)) {
				rc = parser_give(r, si, page, resp, &e);
				if (rc == 0)
					continue; /* the parser has RESP */
				itg_apierror_set(r->err, ITG_PERMANENT,
				                 ITG_ERR_NO_MEMORY, 0,
				                 "out of memory");
			} else if (!settled) {
				rc = settle_parsed(r, &r->streams[si], resp,
				                   page, &e, NULL, 0, "");
			}
		} else if (rc == 0) {
			rc = settle(r, &r->streams[si], resp, page);
		}
		itg_http_response_free(resp);
		if (rc == 0)
			rc = deliver_ready(r, &r->streams[si]);
	}
	parser_stop(r->parser);
	r->parser = NULL;
	drop_all(r);
	return rc;
}

/* A single request: its document is the result. */
static int keep_doc(struct run *r, struct stream *s, struct itg_doc *doc,
                    int64_t page)
{
	(void)s;
	(void)page;
	*(struct itg_doc **)r->user = doc;
	r->c->stats.pages++;
	return 0;
}

static int single(struct itg_client *c, const char *method, const char *path,
                  const struct itg_query *query, const char *body,
                  bool retry_all, struct itg_doc **doc,
                  struct itg_api_error *err)
{
	struct stream one = {
	        .path = path, .query = query, .next_deliver = 1, .last = 1};
	struct run r;
	int rc;

	*doc = NULL;
	memset(&r, 0, sizeof(r));
	r.c = c;
	r.method = method;
	r.body = body;
	r.retry_all = retry_all;
	r.streams = &one;
	r.n_streams = 1;
	r.deliver = keep_doc;
	r.user = doc;
	r.err = err;
	rc = run_requests(&r);
	if (rc == 0 && *doc == NULL && strcmp(method, "GET") == 0) {
		itg_apierror_set(err, ITG_RETRY, ITG_ERR_BAD_RESPONSE, 0,
		                 "IT Glue answered without a document");
		rc = XDR_ERROR;
	}
	if (rc != 0) {
		itg_doc_free(*doc);
		*doc = NULL;
	}
	return rc;
}

static bool args_ok(struct itg_client *c, const char *path,
                    struct itg_api_error *err)
{
	if (err == NULL)
		return false;
	memset(err, 0, sizeof(*err));
	if (c != NULL && path_ok(path))
		return true;
	itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_CONFIG, 0,
	                 "'%s' is not an acceptable API path",
	                 path != NULL ? path : "(none)");
	return false;
}

int itg_client_get(struct itg_client *c, const char *path,
                   const struct itg_query *query, struct itg_doc **doc,
                   struct itg_api_error *err)
{
	if (doc == NULL || !args_ok(c, path, err))
		return XDR_EINVAL;
	return single(c, "GET", path, query, NULL, true, doc, err);
}

static int send_body(struct itg_client *c, const char *method, const char *path,
                     const char *json_body, bool retry_all,
                     struct itg_doc **doc, struct itg_api_error *err)
{
	if (doc == NULL || !args_ok(c, path, err))
		return XDR_EINVAL;
	if (json_body == NULL) {
		itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_CONFIG, 0,
		                 "%s %s needs a body", method, path);
		return XDR_EINVAL;
	}
	return single(c, method, path, NULL, json_body, retry_all, doc, err);
}

int itg_client_post(struct itg_client *c, const char *path,
                    const char *json_body, struct itg_doc **doc,
                    struct itg_api_error *err)
{
	return send_body(c, "POST", path, json_body, false, doc, err);
}

int itg_client_post_repeatable(struct itg_client *c, const char *path,
                               const char *json_body, struct itg_doc **doc,
                               struct itg_api_error *err)
{
	return send_body(c, "POST", path, json_body, true, doc, err);
}

int itg_client_patch(struct itg_client *c, const char *path,
                     const char *json_body, struct itg_doc **doc,
                     struct itg_api_error *err)
{
	return send_body(c, "PATCH", path, json_body, true, doc, err);
}

/* What a listing does with its pages. */
struct listing {
	itg_page_fn on_page;
	itg_resource_fn on_resource;
	void *user;
};

static int hand_over(struct run *r, struct stream *s, struct itg_doc *doc,
                     int64_t page)
{
	struct listing *l = r->user;
	struct itg_page_plan plan;
	size_t i;
	int rc = 0;

	if (doc == NULL) {
		itg_apierror_set(r->err, ITG_RETRY, ITG_ERR_BAD_RESPONSE, 0,
		                 "IT Glue answered a page without a document");
		return XDR_ERROR;
	}
	r->c->stats.pages++;
	if (l->on_page != NULL)
		rc = l->on_page(l->user, doc, page);
	for (i = 0; rc == 0 && i < doc->n_data; i++) {
		r->c->stats.resources++;
		if (l->on_resource != NULL)
			rc = l->on_resource(l->user, &doc->data[i], doc);
	}
	if (rc == 0 && page == 1) {
		rc = itg_page_plan(&doc->paging, doc->n_data, r->page_size,
		                   &plan);
		if (rc != 0)
			itg_apierror_set(r->err, ITG_PERMANENT,
			                 ITG_ERR_BAD_RESPONSE, 200,
			                 "IT Glue announced %" PRId64
			                 " pages; at most %d are read",
			                 doc->paging.total_pages,
			                 ITG_PAGES_MAX);
		else if (plan.mode == ITG_PLAN_RANGE)
			s->last = plan.last;
		else if (plan.mode == ITG_PLAN_ONE_BY_ONE)
			s->one_by_one = true;
	}
	if (rc == 0 && s->one_by_one && page == s->last &&
	    itg_page_more(&doc->paging, page, doc->n_data, r->page_size)) {
		if (page >= ITG_PAGES_MAX) {
			itg_apierror_set(r->err, ITG_PERMANENT,
			                 ITG_ERR_BAD_RESPONSE, 200,
			                 "IT Glue kept announcing more pages; "
			                 "stopped after %d",
			                 ITG_PAGES_MAX);
			rc = XDR_ERANGE;
		} else {
			s->last = page + 1;
		}
	}
	drop_doc(r, doc);
	return rc;
}

int itg_client_list_each(struct itg_client *c,
                         const struct itg_listing *listings, size_t n,
                         uint32_t page_size, itg_page_fn on_page,
                         itg_resource_fn on_resource, void *user,
                         struct itg_api_error *err)
{
	struct listing l = {on_page, on_resource, user};
	struct stream *streams;
	struct run r;
	int rc;

	if (err == NULL)
		return XDR_EINVAL;
	if (n > STREAMS_MAX || (n > 0 && listings == NULL)) {
		memset(err, 0, sizeof(*err));
		itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_CONFIG, 0,
		                 "at most %d listings at once", STREAMS_MAX);
		return XDR_EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		if (!args_ok(c, listings[i].path, err))
			return XDR_EINVAL;
	if (page_size > ITG_PAGE_SIZE_MAX) {
		itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_CONFIG, 0,
		                 "page size %" PRIu32 " is over IT Glue's "
		                 "maximum of %d",
		                 page_size, ITG_PAGE_SIZE_MAX);
		return XDR_EINVAL;
	}
	if (n == 0)
		return 0;
	streams = calloc(n, sizeof(*streams));
	if (streams == NULL) {
		itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_NO_MEMORY, 0,
		                 "out of memory");
		return XDR_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		streams[i].path = listings[i].path;
		streams[i].query = &listings[i].query;
		streams[i].attributes = listings[i].attributes;
		streams[i].next_deliver = 1;
		streams[i].last = 1;
	}
	memset(&r, 0, sizeof(r));
	r.c = c;
	r.method = "GET";
	r.page_size = page_size ? page_size : ITG_PAGE_SIZE_MAX;
	r.retry_all = true;
	r.streams = streams;
	r.n_streams = n;
	r.deliver = hand_over;
	r.user = &l;
	r.err = err;
	rc = run_requests(&r);
	free(streams);
	return rc;
}

int itg_client_list(struct itg_client *c, const char *path,
                    const struct itg_query *query, uint32_t page_size,
                    itg_page_fn on_page, itg_resource_fn on_resource,
                    void *user, struct itg_api_error *err)
{
	struct itg_listing one = {.path = path};

	if (query != NULL)
		one.query = *query;
	else
		itg_query_init(&one.query);
	return itg_client_list_each(c, &one, 1, page_size, on_page, on_resource,
	                            user, err);
}
