/*
 * test_plugin_client.c - the IT Glue client: query building, page planning,
 * configuration checks and, with libmicrohttpd, the whole client (retries,
 * paging, rate budget, headers) against a scripted server on 127.0.0.1.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include <xdr/plugin.h>

#if OS_WIN32
/* Before windows.h, which compat/os.h includes. */
#include <winsock2.h>
#endif

#include "client.h"
#include "compat/os.h"
#include "http.h"
#include "jsonapi.h"
#include "query.h"

/* --- query building ---------------------------------------------------- */

static void test_query_encodes_values(void **state)
{
	struct itg_query q;

	(void)state;
	itg_query_init(&q);
	assert_int_equal(itg_query_add(&q, "sort", "-name"), 0);
	assert_int_equal(itg_query_add(&q, "filter[name]", "Acme & Sons/ä"), 0);
	assert_string_equal(q.text, "sort=-name&filter[name]=Acme%20%26%20"
	                            "Sons%2F%C3%A4");
	assert_int_equal(q.len, strlen(q.text));
}

static void test_query_filter_lists_escape_commas(void **state)
{
	struct itg_query q;
	const char *one[] = {"Smith, Jones & Co"};
	const char *two[] = {"12", "34"};
	const char *mixed[] = {"a,b", "c\\d"};

	(void)state;
	itg_query_init(&q);
	assert_int_equal(itg_query_filter(&q, "name", one, 1), 0);
	assert_int_equal(itg_query_filter(&q, "organization_id", two, 2), 0);
	assert_string_equal(q.text, "filter[name]=Smith%5C%2C%20Jones%20%26%20"
	                            "Co&filter[organization_id]=12%2C34");
	itg_query_init(&q);
	assert_int_equal(itg_query_filter(&q, "name", mixed, 2), 0);
	/* a\,b , c\d */
	assert_string_equal(q.text, "filter[name]=a%5C%2Cb%2Cc%5Cd");
}

static void test_query_refuses_duplicates_and_bad_keys(void **state)
{
	struct itg_query q;
	const char *v[] = {"x"};
	const char *empty[] = {""};

	(void)state;
	itg_query_init(&q);
	assert_int_equal(itg_query_add(&q, "filter[name]", "a"), 0);
	/* Duplicate Parameters Specified, refused before it is sent. */
	assert_int_equal(itg_query_add(&q, "filter[name]", "b"), XDR_EINVAL);
	assert_int_equal(itg_query_filter(&q, "name", v, 1), XDR_EINVAL);
	assert_int_equal(itg_query_add(&q, "", "a"), XDR_EINVAL);
	assert_int_equal(itg_query_add(&q, "Name", "a"), XDR_EINVAL);
	assert_int_equal(itg_query_add(&q, "a=b", "a"), XDR_EINVAL);
	assert_int_equal(itg_query_add(&q, "a&b", "a"), XDR_EINVAL);
	assert_int_equal(itg_query_add(&q, "filter[]", "a"), XDR_EINVAL);
	assert_int_equal(itg_query_add(&q, "filter[a][b]", "a"), XDR_EINVAL);
	assert_int_equal(itg_query_add(&q, "filter[a", "a"), XDR_EINVAL);
	assert_int_equal(itg_query_add(&q, "x", NULL), XDR_EINVAL);
	assert_int_equal(itg_query_filter(&q, "bad field", v, 1), XDR_EINVAL);
	assert_int_equal(itg_query_filter(&q, "id", v, 0), XDR_EINVAL);
	assert_int_equal(itg_query_filter(&q, "id", empty, 1), XDR_EINVAL);
	/* A key that is a prefix of another is not a duplicate. */
	assert_int_equal(itg_query_add(&q, "filter[nam]", "c"), 0);
	assert_string_equal(q.text, "filter[name]=a&filter[nam]=c");
}

static void test_query_is_bounded(void **state)
{
	struct itg_query q;
	char *big = malloc(ITG_QUERY_MAX);

	(void)state;
	assert_non_null(big);
	memset(big, ' ', ITG_QUERY_MAX / 3);
	big[ITG_QUERY_MAX / 3] = '\0';
	itg_query_init(&q);
	assert_int_equal(itg_query_add(&q, "a", "1"), 0);
	assert_int_equal(itg_query_add(&q, "b", big), XDR_ERANGE);
	/* Unchanged by the failure. */
	assert_string_equal(q.text, "a=1");
	free(big);
}

static void test_url_encode(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(itg_url_encode("a-._~Z9", out, sizeof(out)), 7);
	assert_string_equal(out, "a-._~Z9");
	assert_int_equal(itg_url_encode("a b", out, sizeof(out)), 5);
	assert_string_equal(out, "a%20b");
	assert_int_equal(itg_url_encode("abcdefgh", out, sizeof(out)),
	                 XDR_ERANGE);
	assert_string_equal(out, "");
}

/* --- page planning -------------------------------------------------------- */

/* The meta of page PAGE of COUNT records as IT Glue writes it. */
static struct itg_paging meta_of(int64_t count, int64_t size, int64_t page)
{
	struct itg_paging m;
	int64_t total = (count + size - 1) / size;

	m.present = true;
	m.current_page = page;
	m.total_pages = total;
	m.total_count = count;
	m.next_page = page < total ? page + 1 : ITG_PAGE_UNKNOWN;
	m.prev_page = page > 1 ? page - 1 : ITG_PAGE_UNKNOWN;
	return m;
}

static size_t items_on(int64_t count, int64_t size, int64_t page)
{
	int64_t left = count - (page - 1) * size;

	return left <= 0 ? 0 : (size_t)(left < size ? left : size);
}

static void plan(int64_t count, uint32_t size, enum itg_plan_mode mode,
                 int64_t last)
{
	struct itg_paging m = meta_of(count, size, 1);
	struct itg_page_plan p;

	assert_int_equal(itg_page_plan(&m, items_on(count, size, 1), size, &p),
	                 0);
	assert_int_equal(p.mode, mode);
	if (mode == ITG_PLAN_RANGE) {
		assert_int_equal(p.next, 2);
		assert_int_equal(p.last, last);
	}
}

static void test_plan_from_meta(void **state)
{
	(void)state;
	plan(0, 1000, ITG_PLAN_DONE, 0);
	plan(1, 1000, ITG_PLAN_DONE, 0);
	plan(999, 1000, ITG_PLAN_DONE, 0);
	plan(1000, 1000, ITG_PLAN_DONE, 0);
	plan(1001, 1000, ITG_PLAN_RANGE, 2);
	plan(2500, 1000, ITG_PLAN_RANGE, 3);
	plan(2500, 50, ITG_PLAN_RANGE, 50);
	plan(50, 50, ITG_PLAN_DONE, 0);
	plan(51, 50, ITG_PLAN_RANGE, 2);
}

/* Pages fetched one by one, without meta, until a short page. */
static int64_t pages_without_meta(int64_t count, uint32_t size)
{
	struct itg_paging none = {0};
	struct itg_page_plan p;
	int64_t page = 1;

	none.present = false;
	assert_int_equal(
	        itg_page_plan(&none, items_on(count, size, 1), size, &p), 0);
	if (p.mode == ITG_PLAN_DONE)
		return 1;
	assert_int_equal(p.mode, ITG_PLAN_ONE_BY_ONE);
	do
		page++;
	while (itg_page_more(&none, page, items_on(count, size, page), size));
	return page;
}

static void test_plan_without_meta(void **state)
{
	(void)state;
	assert_int_equal(pages_without_meta(0, 1000), 1);
	assert_int_equal(pages_without_meta(1, 1000), 1);
	assert_int_equal(pages_without_meta(999, 1000), 1);
	/* A full page may have a successor: one more (empty) request. */
	assert_int_equal(pages_without_meta(1000, 1000), 2);
	assert_int_equal(pages_without_meta(1001, 1000), 2);
	assert_int_equal(pages_without_meta(2500, 1000), 3);
	assert_int_equal(pages_without_meta(3000, 1000), 4);
}

static void test_plan_with_partial_meta(void **state)
{
	struct itg_paging m = meta_of(2500, 1000, 1);
	struct itg_page_plan p;

	(void)state;
	/* next-page without total-pages: one by one. */
	m.total_pages = ITG_PAGE_UNKNOWN;
	assert_int_equal(itg_page_plan(&m, 1000, 1000, &p), 0);
	assert_int_equal(p.mode, ITG_PLAN_ONE_BY_ONE);
	/* next-page null ends it, whatever total-pages says. */
	m = meta_of(2500, 1000, 1);
	m.next_page = ITG_PAGE_UNKNOWN;
	assert_int_equal(itg_page_plan(&m, 1000, 1000, &p), 0);
	assert_int_equal(p.mode, ITG_PLAN_DONE);
	/* A next-page that does not move forward ends it too. */
	m = meta_of(2500, 1000, 2);
	m.next_page = 2;
	assert_false(itg_page_more(&m, 2, 1000, 1000));
	/* current-page >= total-pages ends it. */
	m = meta_of(2500, 1000, 3);
	m.next_page = 4;
	assert_false(itg_page_more(&m, 3, 500, 1000));
	/* Absurd totals are refused. */
	m = meta_of((int64_t)ITG_PAGES_MAX * 1000 + 1, 1000, 1);
	assert_int_equal(itg_page_plan(&m, 1000, 1000, &p), XDR_ERANGE);
}

/* --- URLs and configuration ---------------------------------------------- */

static void test_url_building(void **state)
{
	struct itg_query q;
	char *url;

	(void)state;
	itg_query_init(&q);
	url = itg_client_url("https://api.itglue.com", "/organizations", &q);
	assert_string_equal(url, "https://api.itglue.com/organizations");
	free(url);
	assert_int_equal(itg_query_add(&q, "filter[name]", "a b"), 0);
	url = itg_client_url("https://h",
	                     "/configurations/5/relationships/"
	                     "configuration_interfaces",
	                     &q);
	assert_string_equal(url, "https://h/configurations/5/relationships/"
	                         "configuration_interfaces?filter[name]=a%20b");
	free(url);
	assert_null(itg_client_url("https://h", "organizations", NULL));
	assert_null(itg_client_url("https://h", "/a/../b", NULL));
	assert_null(itg_client_url("https://h", "/a/..", NULL));
	assert_null(itg_client_url("https://h", "//evil.example/x", NULL));
	assert_null(itg_client_url("https://h", "/a?b=c", NULL));
	assert_null(itg_client_url("https://h", "/a b", NULL));
	assert_null(itg_client_url("https://h", "/a@b", NULL));
	assert_null(itg_client_url("https://h", NULL, NULL));
}

static int new_client(const char *url, const char *key, char *err,
                      size_t errsize)
{
	struct itg_client_config cfg;
	struct itg_client *c = NULL;
	int rc;

	memset(&cfg, 0, sizeof(cfg));
	cfg.base_url = url;
	cfg.api_key = key;
	rc = itg_client_new(&cfg, &c, err, errsize);
	if (rc == 0)
		assert_non_null(c);
	else
		assert_null(c);
	itg_client_free(c);
	return rc;
}

static void test_client_accepts_https_and_loopback_http(void **state)
{
	char err[256];
	const char *ok[] = {"https://api.itglue.com",
	                    "https://api.eu.itglue.com/",
	                    "HTTPS://api.au.itglue.com/prefix",
	                    "http://127.0.0.1:8080",
	                    "http://127.1.2.3",
	                    "http://localhost:3000/",
	                    "http://[::1]:9000"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_int_equal(new_client(ok[i], "ITG.k", err, sizeof(err)),
		                 0);
}

static void test_client_refuses_unsafe_urls(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(
	        new_client("http://api.itglue.com", "ITG.k", err, sizeof(err)),
	        XDR_EINVAL);
	assert_non_null(strstr(err, "refusing http://api.itglue.com"));
	assert_int_equal(new_client("http://127.0.0.1.evil.example", "ITG.k",
	                            err, sizeof(err)),
	                 XDR_EINVAL);
	assert_int_equal(
	        new_client("http://128.0.0.1", "ITG.k", err, sizeof(err)),
	        XDR_EINVAL);
	assert_int_equal(
	        new_client("http://10.0.0.1", "ITG.k", err, sizeof(err)),
	        XDR_EINVAL);
	assert_int_equal(
	        new_client("ftp://api.itglue.com", "ITG.k", err, sizeof(err)),
	        XDR_EINVAL);
	assert_int_equal(new_client("https://user:pw@api.itglue.com", "ITG.k",
	                            err, sizeof(err)),
	                 XDR_EINVAL);
	assert_int_equal(new_client("https://api.itglue.com/?x=1", "ITG.k", err,
	                            sizeof(err)),
	                 XDR_EINVAL);
	assert_int_equal(
	        new_client("api.itglue.com", "ITG.k", err, sizeof(err)),
	        XDR_EINVAL);
	assert_int_equal(new_client("", "ITG.k", err, sizeof(err)), XDR_EINVAL);
	assert_int_equal(new_client(NULL, "ITG.k", err, sizeof(err)),
	                 XDR_EINVAL);
}

static void test_client_refuses_bad_keys_and_settings(void **state)
{
	struct itg_client_config cfg;
	struct itg_client *c = NULL;
	char err[256];

	(void)state;
	assert_int_equal(
	        new_client("https://h", "ITG.a\r\nX-Evil: 1", err, sizeof(err)),
	        XDR_EINVAL);
	assert_null(strstr(err, "Evil"));
	assert_int_equal(new_client("https://h", "", err, sizeof(err)),
	                 XDR_EINVAL);
	assert_int_equal(new_client("https://h", NULL, err, sizeof(err)),
	                 XDR_EINVAL);
	assert_int_equal(new_client("https://h", "a key", err, sizeof(err)),
	                 XDR_EINVAL);
	memset(&cfg, 0, sizeof(cfg));
	cfg.base_url = "https://h";
	cfg.api_key = "ITG.k";
	cfg.parallel = 5;
	assert_int_equal(itg_client_new(&cfg, &c, err, sizeof(err)),
	                 XDR_EINVAL);
	cfg.parallel = 0;
	cfg.rate_window_s = 100000;
	assert_int_equal(itg_client_new(&cfg, &c, err, sizeof(err)),
	                 XDR_EINVAL);
	assert_null(c);
	assert_int_equal(itg_client_new(NULL, &c, err, sizeof(err)),
	                 XDR_EINVAL);
}

static void test_calls_check_their_arguments(void **state)
{
	struct itg_client_config cfg;
	struct itg_client *c = NULL;
	struct itg_api_error e;
	struct itg_doc *doc = NULL;
	struct itg_client_stats st;
	struct itg_query q;
	char err[256];

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.base_url = "https://api.itglue.invalid";
	cfg.api_key = "ITG.k";
	assert_int_equal(itg_client_new(&cfg, &c, err, sizeof(err)), 0);
	assert_int_equal(itg_client_get(c, "organizations", NULL, &doc, &e),
	                 XDR_EINVAL);
	assert_int_equal(e.outcome, ITG_PERMANENT);
	assert_null(doc);
	assert_int_equal(itg_client_post(c, "/x", NULL, &doc, &e), XDR_EINVAL);
	assert_int_equal(
	        itg_client_list(c, "/x", NULL, 1001, NULL, NULL, NULL, &e),
	        XDR_EINVAL);
	/* Paging parameters are the client's own. */
	itg_query_init(&q);
	assert_int_equal(itg_query_add(&q, "page[size]", "5"), 0);
	assert_int_equal(itg_client_list(c, "/x", &q, 0, NULL, NULL, NULL, &e),
	                 XDR_EINVAL);
	itg_client_stats(c, &st);
	assert_int_equal(st.requests, 0);
	itg_client_free(c);
	itg_client_stats(NULL, &st);
	assert_int_equal(st.requests, 0);
}

#ifdef CLIENT_TEST_SERVER
/* --- the client against a scripted server --------------------------------- */

#if !OS_WIN32
#include <netinet/in.h>
#include <sys/socket.h>
#endif

#include <microhttpd.h>

#define KEY        "ITG.test-key-0123456789abcdef"
#define MAX_FAULTS 8
#define MAX_SEEN   64

/* What the n-th request (from 1) gets instead of the normal answer. */
struct fault {
	unsigned int at;
	unsigned int status;
	const char *content_type;
	const char *body;
	const char *retry_after;
	const char *location;
	unsigned int delay_ms;
	bool truncate;
	/* A body made as it is sent, that never ends: {"data":[ and then
	 * spaces, a block at a time or (drip_ms) one every drip_ms; with a
	 * told length, that many bytes are announced. */
	bool endless;
	unsigned int drip_ms;
	uint64_t told;
};

/* One request as the server saw it. */
struct seen {
	char method[8];
	char url[256];
	char page[8];
	char filter_name[64];
	char key[64];
	char accept[64];
	char content_type[64];
	char user_agent[64];
	char body[256];
	bool key_elsewhere; /* the key appeared in another header or URL */
};

struct server {
	struct MHD_Daemon *daemon;
	unsigned short port;
	char base[64];
	os_mutex lock;
	int64_t orgs;
	unsigned int requests;
	struct fault faults[MAX_FAULTS];
	size_t n_faults;
	unsigned int slow_page;    /* page held until another request comes */
	bool slow_answered;        /* the slow page went */
	bool later_before_slow;    /* a later page was asked for before that */
	unsigned int company_page; /* the slow page waits for this one */
	unsigned int most_before_slow; /* the last page asked before it went */
	int in_flight, max_in_flight;
	struct seen seen[MAX_SEEN];
	uint64_t streamed; /* bytes an endless body handed to the server */
};

static struct server srv;

struct upload {
	char body[256];
	size_t len;
};

static enum MHD_Result copy_header(void *cls, enum MHD_ValueKind kind,
                                   const char *key, const char *value)
{
	struct seen *s = cls;

	(void)kind;
	if (strcasecmp(key, "x-api-key") == 0)
		snprintf(s->key, sizeof(s->key), "%s", value);
	else if (strstr(value, KEY) != NULL)
		s->key_elsewhere = true;
	if (strcasecmp(key, "Accept") == 0)
		snprintf(s->accept, sizeof(s->accept), "%s", value);
	if (strcasecmp(key, "Content-Type") == 0)
		snprintf(s->content_type, sizeof(s->content_type), "%s", value);
	if (strcasecmp(key, "User-Agent") == 0)
		snprintf(s->user_agent, sizeof(s->user_agent), "%s", value);
	return MHD_YES;
}

/* The organizations of one page, with IT Glue's meta. */
static char *org_page(struct MHD_Connection *conn)
{
	const char *v;
	int64_t size = 50, number = 1, total, first, i, last;
	size_t cap, len;
	char *out;

	v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
	                                "page[size]");
	if (v != NULL)
		size = atoll(v);
	v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
	                                "page[number]");
	if (v != NULL)
		number = atoll(v);
	if (size < 1 || size > 1000 || number < 1)
		return NULL;
	total = (srv.orgs + size - 1) / size;
	first = (number - 1) * size + 1;
	last = first + size - 1 < srv.orgs ? first + size - 1 : srv.orgs;
	cap = 256 + (size_t)(last >= first ? last - first + 1 : 0) * 96;
	out = malloc(cap);
	if (out == NULL)
		return NULL;
	len = (size_t)snprintf(out, cap, "{\"data\":[");
	for (i = first; i <= last; i++)
		len += (size_t)snprintf(
		        out + len, cap - len,
		        "%s{\"id\":\"%" PRId64 "\",\"type\":\"organizations\","
		        "\"attributes\":{\"name\":\"Org %" PRId64 "\"}}",
		        i > first ? "," : "", i, i);
	if (number < total)
		snprintf(out + len, cap - len,
		         "],\"meta\":{\"current-page\":%" PRId64
		         ",\"next-page\":%" PRId64 ",\"total-pages\":%" PRId64
		         ",\"total-count\":%" PRId64 "},\"links\":{}}",
		         number, number + 1, total, srv.orgs);
	else
		snprintf(out + len, cap - len,
		         "],\"meta\":{\"current-page\":%" PRId64
		         ",\"next-page\":null,\"total-pages\":%" PRId64
		         ",\"total-count\":%" PRId64 "}}",
		         number, total, srv.orgs);
	return out;
}

static ssize_t half_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	const char *body = cls;
	size_t len = strlen(body);

	if (pos >= len)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (max > len - pos)
		max = len - pos;
	memcpy(buf, body + pos, max);
	return (ssize_t)max;
}

static ssize_t endless_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	static const char head[] = "{\"data\":[";
	const struct fault *f = cls;
	size_t n;

	if (pos < sizeof(head) - 1) {
		n = sizeof(head) - 1 - (size_t)pos;
		memcpy(buf, head + pos, n);
	} else if (f->drip_ms > 0) {
		os_sleep_ms(f->drip_ms);
		buf[0] = ' ';
		n = 1;
	} else {
		n = max < 16384 ? max : 16384;
		memset(buf, ' ', n);
	}
	os_mutex_lock(&srv.lock);
	srv.streamed += n;
	os_mutex_unlock(&srv.lock);
	return (ssize_t)n;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status,
                             const char *content_type, const char *body,
                             const struct fault *f)
{
	struct MHD_Response *r;
	enum MHD_Result rc;

	if (f != NULL && f->truncate)
		/* Announce twice the bytes, send them once, close. */
		r = MHD_create_response_from_callback(
		        strlen(body) * 2, 1024, half_body, (void *)body, NULL);
	else if (f != NULL && f->endless)
		r = MHD_create_response_from_callback(
		        f->told > 0 ? f->told : MHD_SIZE_UNKNOWN, 16384,
		        endless_body, (void *)f, NULL);
	else
		r = MHD_create_response_from_buffer(strlen(body), (void *)body,
		                                    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	if (content_type != NULL)
		MHD_add_response_header(r, "Content-Type", content_type);
	if (f != NULL && f->retry_after != NULL)
		MHD_add_response_header(r, "Retry-After", f->retry_after);
	if (f != NULL && f->location != NULL)
		MHD_add_response_header(r, "Location", f->location);
	rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

/*
 * Hold the slow page until a later page has been asked for (10 s at most):
 * a client that fetches pages in parallel asks for one before the slow
 * page is answered, a serial one cannot, whatever the machine's load. The
 * later page may come in before the slow one does, or while it is held.
 */
static void wait_for_company(void)
{
	for (int i = 0; i < 1000; i++) {
		bool company;

		os_mutex_lock(&srv.lock);
		company = srv.company_page > 0
		                  ? srv.most_before_slow >= srv.company_page
		                  : srv.later_before_slow;
		os_mutex_unlock(&srv.lock);
		if (company)
			break;
		os_sleep_ms(10);
	}
	/* Time for a page beyond the company to be asked for, if the client
	 * would: it must not. */
	if (srv.company_page > 0)
		os_sleep_ms(200);
	os_mutex_lock(&srv.lock);
	srv.slow_answered = true;
	os_mutex_unlock(&srv.lock);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
	struct upload *up = *con_cls;
	struct seen *s = NULL;
	const struct fault *f = NULL;
	unsigned int n, delay = 0;
	const char *v;
	char *page = NULL;
	enum MHD_Result rc;
	size_t i;

	(void)cls;
	(void)version;
	if (up == NULL) {
		up = calloc(1, sizeof(*up));
		*con_cls = up;
		return up != NULL ? MHD_YES : MHD_NO;
	}
	if (*upload_size > 0) {
		size_t room = sizeof(up->body) - 1 - up->len;
		size_t take = *upload_size < room ? *upload_size : room;

		memcpy(up->body + up->len, upload, take);
		up->len += take;
		*upload_size = 0;
		return MHD_YES;
	}
	os_mutex_lock(&srv.lock);
	n = ++srv.requests;
	if (n <= MAX_SEEN)
		s = &srv.seen[n - 1];
	for (i = 0; i < srv.n_faults; i++)
		if (srv.faults[i].at == n)
			f = &srv.faults[i];
	if (++srv.in_flight > srv.max_in_flight)
		srv.max_in_flight = srv.in_flight;
	os_mutex_unlock(&srv.lock);
	v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
	                                "page[number]");
	if (s != NULL) {
		snprintf(s->method, sizeof(s->method), "%s", method);
		snprintf(s->url, sizeof(s->url), "%s", url);
		snprintf(s->page, sizeof(s->page), "%s", v != NULL ? v : "");
		v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
		                                "filter[name]");
		snprintf(s->filter_name, sizeof(s->filter_name), "%s",
		         v != NULL ? v : "");
		snprintf(s->body, sizeof(s->body), "%.*s", (int)up->len,
		         up->body);
		MHD_get_connection_values(conn, MHD_HEADER_KIND, copy_header,
		                          s);
		if (strstr(url, KEY) != NULL)
			s->key_elsewhere = true;
		MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND,
		                          copy_header, s);
	}
	v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
	                                "page[number]");
	os_mutex_lock(&srv.lock);
	if (srv.slow_page > 0 && v != NULL && !srv.slow_answered &&
	    (unsigned int)atoi(v) > srv.slow_page) {
		srv.later_before_slow = true;
		if ((unsigned int)atoi(v) > srv.most_before_slow)
			srv.most_before_slow = (unsigned int)atoi(v);
	}
	os_mutex_unlock(&srv.lock);
	if (f != NULL)
		delay = f->delay_ms;
	else if (srv.slow_page > 0 && v != NULL &&
	         (unsigned int)atoi(v) == srv.slow_page)
		wait_for_company();
	if (delay > 0)
		os_sleep_ms(delay);
	os_mutex_lock(&srv.lock);
	srv.in_flight--;
	os_mutex_unlock(&srv.lock);
	if (f != NULL && f->status > 0)
		return reply(conn, f->status, f->content_type,
		             f->body != NULL ? f->body : "", f);
	if (strcmp(url, "/organizations") == 0 && strcmp(method, "GET") == 0) {
		page = org_page(conn);
		if (page == NULL)
			return reply(conn, 400, "application/vnd.api+json",
			             "{\"errors\":[{\"status\":400}]}", NULL);
		rc = reply(conn, 200, "application/vnd.api+json", page, f);
		free(page);
		return rc;
	}
	if (strcmp(url, "/flexible_assets") == 0 && strcmp(method, "POST") == 0)
		return reply(conn, 201, "application/vnd.api+json",
		             "{\"data\":{\"id\":\"900\",\"type\":"
		             "\"flexible-assets\"}}",
		             f);
	if (strcmp(url, "/flexible_assets/900") == 0 &&
	    strcmp(method, "PATCH") == 0)
		return reply(conn, 200, "application/vnd.api+json",
		             "{\"data\":{\"id\":\"900\",\"type\":"
		             "\"flexible-assets\"}}",
		             f);
	return reply(conn, 404, "text/html",
	             "<html><head><title>The page you were looking for "
	             "doesn't exist (404)</title></head></html>",
	             NULL);
}

static void done_request(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)conn;
	(void)why;
	free(*con_cls);
	*con_cls = NULL;
}

static int server_up(void **state)
{
	struct sockaddr_in addr;
	const union MHD_DaemonInfo *info;

	(void)state;
	memset(&srv, 0, sizeof(srv));
	os_mutex_init(&srv.lock);
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	/* 127.0.0.1, in network order (htonl() would need ws2_32 on
	 * Windows). */
	memcpy(&addr.sin_addr, "\x7f\x00\x00\x01", 4);
	srv.daemon = MHD_start_daemon(
	        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
	        0, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR, &addr,
	        MHD_OPTION_NOTIFY_COMPLETED, done_request, NULL,
	        MHD_OPTION_END);
	if (srv.daemon == NULL)
		return -1;
	info = MHD_get_daemon_info(srv.daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (info == NULL)
		return -1;
	srv.port = info->port;
	snprintf(srv.base, sizeof(srv.base), "http://127.0.0.1:%u", srv.port);
	return 0;
}

static int server_down(void **state)
{
	(void)state;
	MHD_stop_daemon(srv.daemon);
	os_mutex_destroy(&srv.lock);
	return 0;
}

static void fault(unsigned int at, unsigned int status,
                  const char *content_type, const char *body)
{
	struct fault *f = &srv.faults[srv.n_faults++];

	memset(f, 0, sizeof(*f));
	f->at = at;
	f->status = status;
	f->content_type = content_type;
	f->body = body;
}

/* A zero draw: the back-off is its floor (Retry-After) or nothing. */
static uint32_t no_jitter(void *user)
{
	(void)user;
	return 0;
}

static bool stop_now(void *user)
{
	return *(bool *)user;
}

static struct itg_client *client_with(unsigned int attempts, uint32_t rate_n,
                                      uint32_t rate_w)
{
	struct itg_client_config cfg;
	struct itg_client *c = NULL;
	char err[256];

	memset(&cfg, 0, sizeof(cfg));
	cfg.base_url = srv.base;
	cfg.api_key = KEY;
	cfg.max_attempts = attempts;
	cfg.rate_requests = rate_n;
	cfg.rate_window_s = rate_w;
	cfg.random = no_jitter;
	cfg.timeout_ms = 10000;
	assert_int_equal(itg_client_new(&cfg, &c, err, sizeof(err)), 0);
	return c;
}

struct tally {
	int64_t pages[16];
	size_t n_pages;
	int64_t resources;
	int64_t last_id;
	bool in_order;
};

static int count_page(void *user, const struct itg_doc *doc, int64_t page)
{
	struct tally *t = user;

	(void)doc;
	if (t->n_pages < 16)
		t->pages[t->n_pages] = page;
	t->n_pages++;
	return 0;
}

static int count_resource(void *user, const struct itg_resource *r,
                          const struct itg_doc *doc)
{
	struct tally *t = user;
	int64_t id = atoll(r->id);

	(void)doc;
	if (id != t->last_id + 1)
		t->in_order = false;
	t->last_id = id;
	t->resources++;
	return 0;
}

static void list_orgs(int64_t orgs, uint32_t page_size, int64_t want_pages)
{
	struct itg_client *c = client_with(0, 0, 0);
	struct itg_api_error e;
	struct itg_client_stats st;
	struct tally t = {.in_order = true};
	int64_t i;

	srv.orgs = orgs;
	srv.requests = 0;
	assert_int_equal(itg_client_list(c, "/organizations", NULL, page_size,
	                                 count_page, count_resource, &t, &e),
	                 0);
	itg_client_stats(c, &st);
	assert_int_equal(t.resources, orgs);
	assert_true(t.in_order);
	assert_int_equal(t.n_pages, want_pages);
	for (i = 0; i < want_pages && i < 16; i++)
		assert_int_equal(t.pages[i], i + 1);
	assert_int_equal(st.requests, want_pages);
	assert_int_equal(st.pages, want_pages);
	assert_int_equal(st.resources, orgs);
	assert_int_equal(st.retries, 0);
	assert_int_equal(srv.requests, want_pages);
	itg_client_free(c);
}

static void test_server_paging_counts(void **state)
{
	(void)state;
	list_orgs(0, 0, 1);
	list_orgs(1, 0, 1);
	list_orgs(999, 0, 1);
	list_orgs(1000, 0, 1);
	list_orgs(1001, 0, 2);
	list_orgs(2500, 0, 3);
	list_orgs(2500, 250, 10);
}

static void test_server_pages_in_order_while_parallel(void **state)
{
	struct itg_client *c = client_with(0, 0, 0);
	struct itg_api_error e;
	struct tally t = {.in_order = true};

	(void)state;
	srv.orgs = 400;
	srv.slow_page = 2;
	srv.slow_answered = srv.later_before_slow = false;
	srv.max_in_flight = 0;
	assert_int_equal(itg_client_list(c, "/organizations", NULL, 50,
	                                 count_page, count_resource, &t, &e),
	                 0);
	srv.slow_page = 0;
	assert_int_equal(t.n_pages, 8);
	assert_true(t.in_order);
	assert_int_equal(t.resources, 400);
	/* A later page was asked for before page 2 was answered, and
	 * never more than 4 ran at once. */
	assert_true(srv.later_before_slow);
	assert_true(srv.max_in_flight <= ITG_HTTP_PARALLEL_MAX);
	itg_client_free(c);
}

static void test_server_pages_held_are_bounded(void **state)
{
	struct itg_client *c = client_with(0, 0, 0);
	struct itg_api_error e;
	struct tally t = {.in_order = true};
	/* Page 1 is handed over; pages 2 to 1 + HELD are then held at most. */
	unsigned int last =
	        1 + ITG_CLIENT_HELD_PER_TRANSFER * ITG_HTTP_PARALLEL_MAX;

	(void)state;
	srv.orgs = 50 * 20;
	srv.slow_page = 2;
	srv.company_page = last;
	srv.slow_answered = srv.later_before_slow = false;
	srv.most_before_slow = 0;
	srv.max_in_flight = 0;
	assert_int_equal(itg_client_list(c, "/organizations", NULL, 50,
	                                 count_page, count_resource, &t, &e),
	                 0);
	srv.slow_page = srv.company_page = 0;
	assert_int_equal(t.n_pages, 20);
	assert_true(t.in_order);
	/* While page 2 was held, the transfers went on up to the bound (the
	 * pages answered meanwhile waiting for page 2), and no further. */
	assert_int_equal(srv.most_before_slow, last);
	assert_true(srv.max_in_flight <= ITG_HTTP_PARALLEL_MAX);
	itg_client_free(c);
}

/* A page refused (slowly) while later pages came in and wait their turn:
 * the listing fails with its error, and what it held is freed (valgrind
 * or LeakSanitizer see it; the window has room for 8 pages). */
static void test_server_refused_page_with_pages_held(void **state)
{
	struct itg_client *c = client_with(0, 0, 0);
	struct itg_api_error e;
	struct tally t = {.in_order = true};
	struct itg_client_stats st;

	(void)state;
	srv.orgs = 50 * 20;
	srv.requests = 0;
	srv.n_faults = 0;
	fault(2, 404, "text/html", "<html>gone</html>");
	srv.faults[0].delay_ms = 500;
	assert_int_equal(itg_client_list(c, "/organizations", NULL, 50,
	                                 count_page, count_resource, &t, &e),
	                 XDR_ERROR);
	srv.n_faults = 0;
	assert_int_equal(e.outcome, ITG_PERMANENT);
	/* The second request to come in is one of pages 2 to 9 (they go
	 * out together): the pages before it were handed over, in order, and
	 * none beyond the window of the first page missing was asked for. */
	assert_true(t.in_order);
	assert_true(t.n_pages >= 1 && t.n_pages <= 8);
	itg_client_stats(c, &st);
	assert_true(st.requests >= 2);
	assert_true(st.requests <= t.n_pages + 1 +
	                                   ITG_CLIENT_HELD_PER_TRANSFER *
	                                           ITG_HTTP_PARALLEL_MAX);
	itg_client_free(c);
}

static void test_server_headers_and_key(void **state)
{
	struct itg_client *c = client_with(0, 0, 0);
	struct itg_api_error e;
	struct itg_doc *doc = NULL;
	struct itg_query q;
	const char *names[] = {"Smith, Jones"};
	unsigned int i;

	(void)state;
	srv.orgs = 3;
	srv.requests = 0;
	itg_query_init(&q);
	assert_int_equal(itg_query_filter(&q, "name", names, 1), 0);
	assert_int_equal(itg_client_get(c, "/organizations", &q, &doc, &e), 0);
	assert_int_equal(doc->n_data, 3);
	itg_doc_free(doc);
	assert_int_equal(itg_client_post(c, "/flexible_assets",
	                                 "{\"data\":{\"type\":\"x\"}}", &doc,
	                                 &e),
	                 0);
	assert_string_equal(doc->data[0].id, "900");
	itg_doc_free(doc);
	assert_int_equal(srv.requests, 2);
	/* The filter arrives with its comma escaped. */
	assert_string_equal(srv.seen[0].filter_name, "Smith\\, Jones");
	assert_string_equal(srv.seen[0].content_type, "");
	assert_string_equal(srv.seen[1].method, "POST");
	assert_string_equal(srv.seen[1].body, "{\"data\":{\"type\":\"x\"}}");
	assert_string_equal(srv.seen[1].content_type,
	                    "application/vnd.api+json");
	for (i = 0; i < 2; i++) {
		assert_string_equal(srv.seen[i].key, KEY);
		assert_false(srv.seen[i].key_elsewhere);
		assert_string_equal(srv.seen[i].accept,
		                    "application/vnd.api+json");
		assert_string_equal(srv.seen[i].user_agent,
		                    PACKAGE_NAME "/" PACKAGE_VERSION);
	}
	itg_client_free(c);
}

static void test_server_retries_every_retryable_fault(void **state)
{
	struct itg_client *c = client_with(0, 0, 0);
	struct itg_api_error e;
	struct itg_client_stats st;
	struct tally t = {.in_order = true};

	(void)state;
	srv.orgs = 5;
	srv.requests = 0;
	srv.n_faults = 0;
	fault(1, 500, "application/vnd.api+json",
	      "{\"errors\":[{\"status\":500}]}");
	fault(2, 502, "text/html", "<html><title>Bad Gateway</title></html>");
	fault(3, 429, "application/vnd.api+json", "{\"errors\":[]}");
	fault(4, 200, "application/vnd.api+json", "{\"data\":[{\"id\"");
	fault(5, 200, "application/vnd.api+json", "{\"data\":[]}");
	srv.faults[4].truncate = true;
	assert_int_equal(itg_client_list(c, "/organizations", NULL, 0,
	                                 count_page, count_resource, &t, &e),
	                 0);
	srv.n_faults = 0;
	itg_client_stats(c, &st);
	assert_int_equal(t.resources, 5);
	assert_int_equal(st.requests, 6);
	assert_int_equal(st.retries, 5);
	assert_int_equal(st.rate_limited, 1);
	itg_client_free(c);
}

static void test_server_retry_after_is_honoured(void **state)
{
	struct itg_client *c = client_with(0, 0, 0);
	struct itg_api_error e;
	struct itg_doc *doc = NULL;
	uint64_t a, b;
	int64_t ms;

	(void)state;
	srv.orgs = 1;
	srv.requests = 0;
	srv.n_faults = 0;
	fault(1, 429, "application/vnd.api+json", "{\"errors\":[]}");
	srv.faults[0].retry_after = "1";
	a = os_monotonic_ms();
	assert_int_equal(itg_client_get(c, "/organizations", NULL, &doc, &e),
	                 0);
	b = os_monotonic_ms();
	srv.n_faults = 0;
	ms = (int64_t)(b - a);
	assert_true(ms >= 950);
	assert_int_equal(srv.requests, 2);
	itg_doc_free(doc);
	itg_client_free(c);
}

/* The first wait asked for ends the call: its length is what is checked. */
static bool note_wait(void *user, unsigned int ms)
{
	unsigned int *first = user;

	if (*first == 0)
		*first = ms;
	return true;
}

static bool after_first_wait(void *user)
{
	return *(unsigned int *)user != 0;
}

static void test_server_long_retry_after_is_cut(void **state)
{
	struct itg_client_config cfg;
	struct itg_client *c = NULL;
	struct itg_api_error e;
	struct itg_doc *doc = NULL;
	unsigned int waited = 0;
	char err[256];

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.base_url = srv.base;
	cfg.api_key = KEY;
	cfg.max_attempts = 1;
	cfg.random = no_jitter;
	cfg.sleep = note_wait;
	cfg.sleep_user = &waited;
	cfg.cancel = after_first_wait;
	cfg.cancel_user = &waited;
	assert_int_equal(itg_client_new(&cfg, &c, err, sizeof(err)), 0);
	srv.orgs = 1;
	srv.n_faults = 0;
	fault(1, 429, "application/vnd.api+json", "{\"errors\":[]}");
	srv.faults[0].retry_after = "86400";
	assert_int_equal(itg_client_get(c, "/organizations", NULL, &doc, &e),
	                 XDR_ERROR);
	assert_int_equal(e.kind, ITG_ERR_RATE_LIMITED);
	/* A day-long Retry-After holds the next call no longer than the
	 * back-off's cut, as a retry of the same request would wait. */
	assert_int_equal(itg_client_get(c, "/organizations", NULL, &doc, &e),
	                 XDR_ERROR);
	srv.n_faults = 0;
	assert_int_equal(e.kind, ITG_ERR_CANCELLED);
	assert_true(waited > 0);
	assert_true(waited <= ITG_BACKOFF_RETRY_AFTER_MAX_S * 1000);
	itg_client_free(c);
}

static void test_server_permanent_error_is_not_retried(void **state)
{
	struct itg_client *c = client_with(0, 0, 0);
	struct itg_api_error e;
	struct itg_client_stats st;

	(void)state;
	srv.requests = 0;
	srv.n_faults = 0;
	fault(1, 422, "application/vnd.api+json",
	      "{\"errors\":[{\"status\":\"422\",\"title\":\"Unprocessable "
	      "Entity\",\"detail\":\"Duplicate Parameters Specified\"}]}");
	assert_int_equal(itg_client_list(c, "/organizations", NULL, 0, NULL,
	                                 NULL, NULL, &e),
	                 XDR_ERROR);
	srv.n_faults = 0;
	itg_client_stats(c, &st);
	assert_int_equal(st.requests, 1);
	assert_int_equal(e.outcome, ITG_PERMANENT);
	assert_int_equal(e.kind, ITG_ERR_INVALID);
	assert_string_equal(e.message, "IT Glue refused the request (422): "
	                               "Duplicate Parameters Specified");
	itg_client_free(c);
}

static void test_server_region_refusal(void **state)
{
	struct itg_client *c = client_with(0, 0, 0);
	struct itg_api_error e;
	struct itg_doc *doc = NULL;

	(void)state;
	srv.n_faults = 0;
	srv.requests = 0;
	fault(1, 403, "application/json", "{\"message\":\"Forbidden\"}");
	assert_int_equal(itg_client_get(c, "/organizations", NULL, &doc, &e),
	                 XDR_ERROR);
	srv.n_faults = 0;
	assert_null(doc);
	assert_int_equal(e.kind, ITG_ERR_FORBIDDEN_REGION);
	assert_null(strstr(e.message, KEY));
	assert_int_equal(srv.requests, 1);
	itg_client_free(c);
}

static void test_server_attempts_are_bounded(void **state)
{
	struct itg_client *c = client_with(2, 0, 0);
	struct itg_api_error e;
	struct itg_doc *doc = NULL;

	(void)state;
	srv.n_faults = 0;
	srv.requests = 0;
	fault(1, 504, "text/html", "<html>Gateway Timeout</html>");
	fault(2, 504, "text/html", "<html>Gateway Timeout</html>");
	assert_int_equal(itg_client_get(c, "/organizations", NULL, &doc, &e),
	                 XDR_ERROR);
	srv.n_faults = 0;
	assert_int_equal(e.outcome, ITG_RETRY);
	assert_string_equal(e.message, "IT Glue answered an HTML page (HTTP "
	                               "504) (after 2 attempts)");
	assert_int_equal(srv.requests, 2);
	itg_client_free(c);
}

static void test_server_post_is_retried_only_after_429(void **state)
{
	struct itg_client *c = client_with(0, 0, 0);
	struct itg_api_error e;
	struct itg_doc *doc = NULL;

	(void)state;
	srv.n_faults = 0;
	srv.requests = 0;
	fault(1, 429, "application/vnd.api+json", "{\"errors\":[]}");
	fault(2, 500, "application/vnd.api+json", "{\"errors\":[]}");
	assert_int_equal(itg_client_post(c, "/flexible_assets", "{}", &doc, &e),
	                 XDR_ERROR);
	srv.n_faults = 0;
	assert_int_equal(srv.requests, 2);
	assert_int_equal(e.outcome, ITG_RETRY);
	assert_int_equal(e.kind, ITG_ERR_SERVER);
	/* PATCH is repeated as often as needed. */
	srv.requests = 0;
	fault(1, 500, "application/vnd.api+json", "{\"errors\":[]}");
	assert_int_equal(
	        itg_client_patch(c, "/flexible_assets/900", "{}", &doc, &e), 0);
	srv.n_faults = 0;
	assert_int_equal(srv.requests, 2);
	assert_string_equal(srv.seen[1].method, "PATCH");
	itg_doc_free(doc);
	itg_client_free(c);
}

static void test_server_redirect_is_not_followed(void **state)
{
	struct itg_client *c = client_with(0, 0, 0);
	struct itg_api_error e;
	struct itg_doc *doc = NULL;

	(void)state;
	srv.n_faults = 0;
	srv.requests = 0;
	fault(1, 302, "text/html", "<html>moved</html>");
	srv.faults[0].location = "http://127.0.0.1:1/steal";
	assert_int_equal(itg_client_get(c, "/organizations", NULL, &doc, &e),
	                 XDR_ERROR);
	srv.n_faults = 0;
	assert_int_equal(e.kind, ITG_ERR_REDIRECT);
	assert_int_equal(srv.requests, 1);
	itg_client_free(c);
}

/* A 307 asks a client to send the same POST, body and all, to the target:
 * refused too, naming the target, and the target never hears of it. */
static void test_server_redirect_of_a_post_is_not_followed(void **state)
{
	struct itg_client *c = client_with(0, 0, 0);
	struct itg_api_error e;
	struct itg_doc *doc = NULL;
	char target[96], want[128];

	(void)state;
	srv.n_faults = 0;
	srv.requests = 0;
	snprintf(target, sizeof(target), "%s/steal?x=1", srv.base);
	fault(1, 307, "text/html", "<html>moved</html>");
	srv.faults[0].location = target;
	assert_int_equal(itg_client_post(c, "/flexible_assets",
	                                 "{\"data\":{\"type\":\"x\"}}", &doc,
	                                 &e),
	                 XDR_ERROR);
	srv.n_faults = 0;
	assert_int_equal(e.kind, ITG_ERR_REDIRECT);
	assert_int_equal(e.outcome, ITG_PERMANENT);
	snprintf(want, sizeof(want), "redirected the request to %s (HTTP 307)",
	         srv.base);
	assert_non_null(strstr(e.message, want));
	assert_null(strstr(e.message, "steal"));
	assert_int_equal(srv.requests, 1);
	assert_string_equal(srv.seen[0].url, "/flexible_assets");
	itg_client_free(c);
}

/* A client whose every request takes at most TIMEOUT_MS and whose answers
 * hold at most MAX_BODY bytes, one attempt a call. */
static struct itg_client *client_bounded(uint32_t timeout_ms, size_t max_body)
{
	struct itg_client_config cfg;
	struct itg_client *c = NULL;
	char err[256];

	memset(&cfg, 0, sizeof(cfg));
	cfg.base_url = srv.base;
	cfg.api_key = KEY;
	cfg.max_attempts = 1;
	cfg.timeout_ms = timeout_ms;
	cfg.max_body = max_body;
	cfg.random = no_jitter;
	assert_int_equal(itg_client_new(&cfg, &c, err, sizeof(err)), 0);
	return c;
}

static void test_server_endless_answer_stops_at_its_timeout(void **state)
{
	struct itg_client *c = client_bounded(300, 0);
	struct itg_api_error e;
	struct itg_doc *doc = NULL;

	(void)state;
	srv.n_faults = 0;
	srv.requests = 0;
	fault(1, 200, "application/vnd.api+json", NULL);
	srv.faults[0].endless = true;
	srv.faults[0].drip_ms = 20;
	assert_int_equal(itg_client_get(c, "/organizations", NULL, &doc, &e),
	                 XDR_ERROR);
	srv.n_faults = 0;
	assert_null(doc);
	assert_int_equal(e.kind, ITG_ERR_TIMEOUT);
	assert_non_null(strstr(e.message, "IT Glue did not answer in time"));
	assert_int_equal(srv.requests, 1);
	itg_client_free(c);
}

/* An answer without a length that never ends is cut at the limit: the
 * client stops reading, so the server stops sending, long before the end
 * it never reaches. */
static void test_server_endless_body_is_cut_at_the_limit(void **state)
{
	struct itg_client *c = client_bounded(30000, 1024 * 1024);
	struct itg_api_error e;
	struct itg_doc *doc = NULL;
	uint64_t streamed;

	(void)state;
	srv.n_faults = 0;
	srv.requests = 0;
	srv.streamed = 0;
	fault(1, 200, "application/vnd.api+json", NULL);
	srv.faults[0].endless = true;
	assert_int_equal(itg_client_get(c, "/organizations", NULL, &doc, &e),
	                 XDR_ERROR);
	itg_client_free(c);
	srv.n_faults = 0;
	assert_null(doc);
	assert_int_equal(e.kind, ITG_ERR_TOO_LARGE);
	assert_int_equal(e.outcome, ITG_PERMANENT);
	assert_non_null(strstr(e.message, "IT Glue's answer is too large (over "
	                                  "the limit of 1048576 bytes)"));
	os_mutex_lock(&srv.lock);
	streamed = srv.streamed;
	os_mutex_unlock(&srv.lock);
	/* What the socket buffers held on the way, at most. */
	assert_true(streamed < (uint64_t)64 * 1024 * 1024);
}

/* A length told over the limit is refused on the headers: nothing of the
 * body is kept. */
static void test_server_told_length_over_the_limit(void **state)
{
	struct itg_client *c = client_bounded(30000, 1024 * 1024);
	struct itg_api_error e;
	struct itg_doc *doc = NULL;
	uint64_t streamed;

	(void)state;
	srv.n_faults = 0;
	srv.requests = 0;
	srv.streamed = 0;
	fault(1, 200, "application/vnd.api+json", NULL);
	srv.faults[0].endless = true;
	srv.faults[0].told = (uint64_t)1 << 40;
	assert_int_equal(itg_client_get(c, "/organizations", NULL, &doc, &e),
	                 XDR_ERROR);
	itg_client_free(c);
	srv.n_faults = 0;
	assert_int_equal(e.kind, ITG_ERR_TOO_LARGE);
	assert_non_null(strstr(e.message, "over the limit of 1048576 bytes"));
	os_mutex_lock(&srv.lock);
	streamed = srv.streamed;
	os_mutex_unlock(&srv.lock);
	assert_true(streamed < (uint64_t)64 * 1024 * 1024);
}

static void test_server_deep_nesting_is_refused(void **state)
{
	struct itg_client *c = client_bounded(30000, 0);
	struct itg_api_error e;
	struct itg_doc *doc = NULL;
	size_t n = 100000, i;
	char *body = malloc(2 * n + 16);

	(void)state;
	assert_non_null(body);
	i = (size_t)sprintf(body, "{\"data\":");
	memset(body + i, '[', n);
	memset(body + i + n, ']', n);
	strcpy(body + i + 2 * n, "}");
	srv.n_faults = 0;
	srv.requests = 0;
	fault(1, 200, "application/vnd.api+json", body);
	assert_int_equal(itg_client_get(c, "/organizations", NULL, &doc, &e),
	                 XDR_ERROR);
	srv.n_faults = 0;
	free(body);
	assert_null(doc);
	assert_int_equal(e.kind, ITG_ERR_BAD_RESPONSE);
	assert_non_null(strstr(e.message, "IT Glue's answer could not be read "
	                                  "(HTTP 200): not valid JSON: "
	                                  "nesting too deep"));
	itg_client_free(c);
}

static void test_server_unknown_route_html_404(void **state)
{
	struct itg_client *c = client_with(0, 0, 0);
	struct itg_api_error e;
	struct itg_doc *doc = NULL;

	(void)state;
	assert_int_equal(itg_client_get(c, "/no_such_route", NULL, &doc, &e),
	                 XDR_ERROR);
	assert_int_equal(e.kind, ITG_ERR_NOT_FOUND);
	assert_string_equal(
	        e.message, "IT Glue answered an HTML page (HTTP 404): The page "
	                   "you were looking for doesn't exist (404)");
	itg_client_free(c);
}

static void test_server_rate_budget_slows_down(void **state)
{
	struct itg_client *c = client_with(0, 5, 1);
	struct itg_api_error e;
	struct tally t = {.in_order = true};
	uint64_t a, b;
	int64_t ms;

	(void)state;
	srv.orgs = 80;
	srv.n_faults = 0;
	a = os_monotonic_ms();
	/* 8 pages at 5 per second: 5 at once, then one per 200 ms. */
	assert_int_equal(itg_client_list(c, "/organizations", NULL, 10,
	                                 count_page, count_resource, &t, &e),
	                 0);
	b = os_monotonic_ms();
	ms = (int64_t)(b - a);
	assert_int_equal(t.resources, 80);
	assert_true(ms >= 550);
	itg_client_free(c);
}

static void test_server_answer_over_the_limit(void **state)
{
	struct itg_client_config cfg;
	struct itg_client *c = NULL;
	struct itg_api_error e;
	struct itg_doc *doc = NULL;
	char err[256];

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.base_url = srv.base;
	cfg.api_key = KEY;
	cfg.max_body = 100;
	assert_int_equal(itg_client_new(&cfg, &c, err, sizeof(err)), 0);
	srv.orgs = 50;
	srv.requests = 0;
	assert_int_equal(itg_client_get(c, "/organizations", NULL, &doc, &e),
	                 XDR_ERROR);
	assert_int_equal(e.kind, ITG_ERR_TOO_LARGE);
	assert_int_equal(srv.requests, 1);
	itg_client_free(c);
}

static void test_server_cancel_stops_at_once(void **state)
{
	struct itg_client_config cfg;
	struct itg_client *c = NULL;
	struct itg_api_error e;
	struct itg_doc *doc = NULL;
	bool stop = true;
	char err[256];

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.base_url = srv.base;
	cfg.api_key = KEY;
	cfg.cancel = stop_now;
	cfg.cancel_user = &stop;
	assert_int_equal(itg_client_new(&cfg, &c, err, sizeof(err)), 0);
	srv.requests = 0;
	assert_int_equal(itg_client_get(c, "/organizations", NULL, &doc, &e),
	                 XDR_ERROR);
	assert_int_equal(e.kind, ITG_ERR_CANCELLED);
	assert_int_equal(srv.requests, 0);
	itg_client_free(c);
}

static int stop_after_first_page(void *user, const struct itg_doc *doc,
                                 int64_t page)
{
	(void)user;
	(void)doc;
	return page == 1 ? XDR_EBUSY : 0;
}

static void test_server_callback_stops_the_listing(void **state)
{
	struct itg_client *c = client_with(0, 0, 0);
	struct itg_api_error e;

	(void)state;
	srv.orgs = 3000;
	assert_int_equal(itg_client_list(c, "/organizations", NULL, 0,
	                                 stop_after_first_page, NULL, NULL, &e),
	                 XDR_EBUSY);
	itg_client_free(c);
}

static void test_server_nothing_listens(void **state)
{
	struct itg_client_config cfg;
	struct itg_client *c = NULL;
	struct itg_api_error e;
	struct itg_doc *doc = NULL;
	char err[256];

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	/* Port 1 on loopback: refused at once. */
	cfg.base_url = "http://127.0.0.1:1";
	cfg.api_key = KEY;
	cfg.max_attempts = 2;
	cfg.random = no_jitter;
	assert_int_equal(itg_client_new(&cfg, &c, err, sizeof(err)), 0);
	assert_int_equal(itg_client_get(c, "/organizations", NULL, &doc, &e),
	                 XDR_ERROR);
	assert_int_equal(e.kind, ITG_ERR_NETWORK);
	assert_int_equal(e.outcome, ITG_RETRY);
	assert_non_null(strstr(e.message, "cannot reach IT Glue"));
	itg_client_free(c);
}

/* True if MESSAGE holds KEY or its first 8 characters (a key cut short is
 * still most of a key). */
static bool holds_key(const char *message)
{
	return strstr(message, KEY) != NULL ||
	       strstr(message, "ITG.test") != NULL;
}

static void key_echo_case(unsigned int status, const char *content_type,
                          const char *body)
{
	struct itg_client *c = client_with(1, 0, 0);
	struct itg_api_error e;
	struct itg_doc *doc = NULL;

	srv.n_faults = 0;
	srv.requests = 0;
	fault(1, status, content_type, body);
	assert_int_equal(itg_client_get(c, "/organizations", NULL, &doc, &e),
	                 XDR_ERROR);
	srv.n_faults = 0;
	assert_null(doc);
	assert_false(holds_key(e.message));
	assert_non_null(strstr(e.message, "[API key]"));
	itg_client_free(c);
}

static void test_server_key_echoed_in_a_json_error_is_masked(void **state)
{
	(void)state;
	key_echo_case(401, "application/vnd.api+json",
	              "{\"errors\":[{\"status\":\"401\",\"title\":"
	              "\"Unauthorized\",\"detail\":\"x-api-key: " KEY
	              " is not a valid key for GET /organizations\"}]}");
}

static void test_server_key_echoed_in_an_html_title_is_masked(void **state)
{
	(void)state;
	key_echo_case(401, "text/html",
	              "<html><head><title>Unauthorized:\n  " KEY
	              "</title></head></html>");
}

static void test_server_key_echoed_at_a_cut_is_masked(void **state)
{
	/* The key starts at byte 148 of a plain-text body, of which the
	 * first 160 bytes are kept. */
	(void)state;
	key_echo_case(401, "text/plain",
	              "Unauthorized request. "
	              "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	              "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	              "xxxxxxxxxxxxx key " KEY " refused\n");
}

#define SERVER_TEST(f)                                                         \
	cmocka_unit_test_setup_teardown(f, server_up, server_down),
#define SERVER_TESTS                                                           \
	SERVER_TEST(test_server_paging_counts)                                 \
	SERVER_TEST(test_server_pages_in_order_while_parallel)                 \
	SERVER_TEST(test_server_pages_held_are_bounded)                        \
	SERVER_TEST(test_server_refused_page_with_pages_held)                  \
	SERVER_TEST(test_server_headers_and_key)                               \
	SERVER_TEST(test_server_retries_every_retryable_fault)                 \
	SERVER_TEST(test_server_retry_after_is_honoured)                       \
	SERVER_TEST(test_server_long_retry_after_is_cut)                       \
	SERVER_TEST(test_server_permanent_error_is_not_retried)                \
	SERVER_TEST(test_server_region_refusal)                                \
	SERVER_TEST(test_server_key_echoed_in_a_json_error_is_masked)          \
	SERVER_TEST(test_server_key_echoed_in_an_html_title_is_masked)         \
	SERVER_TEST(test_server_key_echoed_at_a_cut_is_masked)                 \
	SERVER_TEST(test_server_attempts_are_bounded)                          \
	SERVER_TEST(test_server_post_is_retried_only_after_429)                \
	SERVER_TEST(test_server_redirect_is_not_followed)                      \
	SERVER_TEST(test_server_redirect_of_a_post_is_not_followed)            \
	SERVER_TEST(test_server_endless_answer_stops_at_its_timeout)           \
	SERVER_TEST(test_server_endless_body_is_cut_at_the_limit)              \
	SERVER_TEST(test_server_told_length_over_the_limit)                    \
	SERVER_TEST(test_server_deep_nesting_is_refused)                       \
	SERVER_TEST(test_server_unknown_route_html_404)                        \
	SERVER_TEST(test_server_rate_budget_slows_down)                        \
	SERVER_TEST(test_server_answer_over_the_limit)                         \
	SERVER_TEST(test_server_cancel_stops_at_once)                          \
	SERVER_TEST(test_server_callback_stops_the_listing)                    \
	SERVER_TEST(test_server_nothing_listens)
#endif /* CLIENT_TEST_SERVER */

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_query_encodes_values),
	        cmocka_unit_test(test_query_filter_lists_escape_commas),
	        cmocka_unit_test(test_query_refuses_duplicates_and_bad_keys),
	        cmocka_unit_test(test_query_is_bounded),
	        cmocka_unit_test(test_url_encode),
	        cmocka_unit_test(test_plan_from_meta),
	        cmocka_unit_test(test_plan_without_meta),
	        cmocka_unit_test(test_plan_with_partial_meta),
	        cmocka_unit_test(test_url_building),
	        cmocka_unit_test(test_client_accepts_https_and_loopback_http),
	        cmocka_unit_test(test_client_refuses_unsafe_urls),
	        cmocka_unit_test(test_client_refuses_bad_keys_and_settings),
	        cmocka_unit_test(test_calls_check_their_arguments),
#ifdef CLIENT_TEST_SERVER
	        SERVER_TESTS
#endif
	};
	int rc;

	if (itg_http_global_init(NULL, 0) != 0)
		return 1;
	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	itg_http_global_cleanup();
	return rc;
}
