/*
 * report_file.c - a report's file as IT Glue receives it: its name, its
 * dates, and the request body that carries it in base64.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include <zlib.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "errbuf.h"
#include "report_file.h"

#define SECONDS_PER_DAY 86400

/* The Upload value around the base64: {"content":"...","file_name":"..."} */
#define UPLOAD_OPEN  "{\"content\":\""
#define UPLOAD_MID   "\",\"file_name\":\""
#define UPLOAD_CLOSE "\"}"
#define UPLOAD_FIXED                                                           \
	(sizeof(UPLOAD_OPEN) - 1 + sizeof(UPLOAD_MID) - 1 +                    \
	 sizeof(UPLOAD_CLOSE) - 1)

#define GZ_SUFFIX ".gz"

/* Bytes read from the file, or deflated, at a time. */
#define CHUNK 16384

/* The first size of the gzip's buffer; it doubles up to its cap. */
#define GZ_FIRST_ROOM ((size_t)1 << 20)

static bool title_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int itg_report_file_name(const char *title, int64_t report_id,
                         int64_t generated_at, char *out, size_t size)
{
	char part[ITG_REPORT_TITLE_PART_MAX + 1];
	size_t len = 0;
	int n;

	if (out != NULL && size > 0)
		*out = '\0';
	if (title == NULL || out == NULL || report_id <= 0 ||
	    generated_at < 0 || generated_at > ITG_TIME_MAX)
		return XDR_EINVAL;
	for (const unsigned char *p = (const unsigned char *)title;
	     *p != '\0' && len < ITG_REPORT_TITLE_PART_MAX; p++) {
		char c = title_char(*p) ? (char)*p : '_';

		/* One '_' stands for a run, and none starts the name. */
		if (c == '_' && (len == 0 || part[len - 1] == '_'))
			continue;
		part[len++] = c;
	}
	while (len > 0 && part[len - 1] == '_')
		len--;
	part[len] = '\0';
	n = snprintf(out, size, "%s_%" PRId64 "_%" PRId64 ".html",
	             len > 0 ? part : "Report", report_id, generated_at);
	if (n < 0 || (size_t)n >= size) {
		if (size > 0)
			*out = '\0';
		return XDR_ERANGE;
	}
	return 0;
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm), for days
 * that are not negative. */
static void civil_from_days(int64_t z, int64_t *y, unsigned int *m,
                            unsigned int *d)
{
	int64_t era, yoe_full;
	unsigned int doe, yoe, doy, mp;

	z += 719468;
	era = z / 146097;
	doe = (unsigned int)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yoe_full = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe_full + (*m <= 2 ? 1 : 0);
}

int itg_report_date(int64_t t, char *out)
{
	char text[48];
	int64_t y;
	unsigned int m, d;

	if (out == NULL)
		return XDR_EINVAL;
	*out = '\0';
	if (t < 0 || t > ITG_TIME_MAX)
		return XDR_EINVAL;
	civil_from_days(t / SECONDS_PER_DAY, &y, &m, &d);
	/* The range check keeps it to 10 characters; the compiler cannot
	 * see that. */
	snprintf(text, sizeof(text), "%04" PRId64 "-%02u-%02u", y, m, d);
	memcpy(out, text, ITG_DATE_SIZE - 1);
	out[ITG_DATE_SIZE - 1] = '\0';
	return 0;
}

int itg_report_expiry(int64_t generated_at, unsigned int days, char *out)
{
	if (out == NULL)
		return XDR_EINVAL;
	*out = '\0';
	if (generated_at < 0 || generated_at > ITG_TIME_MAX)
		return XDR_EINVAL;
	if (days == 0) {
		time_t t = (time_t)generated_at;
		struct tm tm;

		if (os_gmtime(t, &tm) == NULL || tm.tm_year + 1900 >= 9999)
			return XDR_EINVAL;
		tm.tm_year++;
		if (tm.tm_mon == 1 && tm.tm_mday == 29)
			tm.tm_mday = 28;
		/* Bounded: the year is below 9999, month and day are valid. */
		snprintf(out, ITG_DATE_SIZE, "%04u-%02u-%02u",
		         (unsigned)(tm.tm_year + 1900) % 10000u,
		         (unsigned)(tm.tm_mon + 1) % 100u,
		         (unsigned)tm.tm_mday % 100u);
		return 0;
	}
	/* No overflow: both terms are far below INT64_MAX / 2. */
	return itg_report_date(generated_at + (int64_t)days * SECONDS_PER_DAY,
	                       out);
}

size_t itg_base64_size(size_t n)
{
	size_t groups = n / 3 + (n % 3 != 0);

	if (groups > SIZE_MAX / 4)
		return SIZE_MAX;
	return groups * 4;
}

static const char b64_alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *b64_group(char *o, const unsigned char *g)
{
	o[0] = b64_alphabet[g[0] >> 2];
	o[1] = b64_alphabet[((g[0] & 0x03) << 4) | (g[1] >> 4)];
	o[2] = b64_alphabet[((g[1] & 0x0f) << 2) | (g[2] >> 6)];
	o[3] = b64_alphabet[g[2] & 0x3f];
	return o + 4;
}

void itg_base64_init(struct itg_base64 *b, char *out)
{
	b->out = out;
	b->ncarry = 0;
}

void itg_base64_feed(struct itg_base64 *b, const void *in, size_t n)
{
	const unsigned char *p = in;

	while (n > 0 && b->ncarry > 0 && b->ncarry < 3) {
		b->carry[b->ncarry++] = *p++;
		n--;
	}
	if (b->ncarry == 3) {
		b->out = b64_group(b->out, b->carry);
		b->ncarry = 0;
	}
	for (; n >= 3; n -= 3, p += 3)
		b->out = b64_group(b->out, p);
	while (n-- > 0)
		b->carry[b->ncarry++] = *p++;
}

char *itg_base64_finish(struct itg_base64 *b)
{
	if (b->ncarry > 0) {
		unsigned char g[3] = {0, 0, 0};

		memcpy(g, b->carry, b->ncarry);
		b64_group(b->out, g);
		b->out[3] = '=';
		if (b->ncarry == 1)
			b->out[2] = '=';
		b->out += 4;
		b->ncarry = 0;
	}
	return b->out;
}

size_t itg_base64_encode(const void *in, size_t n, char *out)
{
	struct itg_base64 b;
	char *end;

	itg_base64_init(&b, out);
	itg_base64_feed(&b, in, n);
	end = itg_base64_finish(&b);
	*end = '\0';
	return (size_t)(end - out);
}

size_t itg_upload_body_size(size_t frame_len, size_t name_len, size_t file_size)
{
	size_t b64 = itg_base64_size(file_size), fixed;

	if (frame_len > SIZE_MAX - UPLOAD_FIXED ||
	    name_len > SIZE_MAX - UPLOAD_FIXED - frame_len)
		return SIZE_MAX;
	fixed = frame_len + UPLOAD_FIXED + name_len;
	if (b64 == SIZE_MAX || b64 > SIZE_MAX - 1 - fixed)
		return SIZE_MAX;
	return fixed + b64;
}

size_t itg_upload_max_file(size_t frame_len, size_t name_len, size_t limit)
{
	size_t fixed = itg_upload_body_size(frame_len, name_len, 0);

	if (fixed == SIZE_MAX || fixed > limit)
		return 0;
	/* 4 characters carry 3 bytes; a partial group costs a whole one. */
	return (limit - fixed) / 4 * 3;
}

/* The body size for messages, where a size_t might not hold it. */
static uint64_t body_size_u64(size_t frame_len, size_t name_len, uint64_t n)
{
	return (uint64_t)frame_len + UPLOAD_FIXED + name_len +
	       (n / 3 + (n % 3 != 0)) * 4;
}

static bool file_name_ok(const char *name, size_t len)
{
	if (len == 0 || len + sizeof(GZ_SUFFIX) > ITG_REPORT_FILE_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!title_char((unsigned char)name[i]) && name[i] != '.')
			return false;
	return true;
}

static char *put(char *at, const char *s, size_t n)
{
	memcpy(at, s, n);
	return at + n;
}

/* Reads exactly SIZE bytes of F into the encoder, and makes sure nothing
 * follows them. */
static int encode_file(FILE *f, uint64_t size, struct itg_base64 *b,
                       const char *path, char *err, size_t errsize)
{
	unsigned char buf[CHUNK];
	uint64_t got = 0;

	while (got < size) {
		size_t want = size - got < CHUNK ? (size_t)(size - got) : CHUNK;
		size_t n = fread(buf, 1, want, f);

		if (n == 0)
			break;
		itg_base64_feed(b, buf, n);
		got += n;
	}
	if (ferror(f)) {
		itg_errf(err, errsize, "cannot read the report file %s", path);
		return XDR_ERROR;
	}
	if (got != size || fgetc(f) != EOF) {
		itg_errf(err, errsize,
		         "the report file %s changed while it was read", path);
		return XDR_ERROR;
	}
	return 0;
}

/* Assemble HEAD, the Upload value and TAIL into out->body (BODY_LEN bytes
 * and a NUL); the content comes from the file F, or from DATA when F is
 * NULL. */
static int assemble(struct itg_upload *out, size_t body_len, const char *head,
                    const char *tail, FILE *f, const void *data,
                    const char *path, char *err, size_t errsize)
{
	struct itg_base64 b;
	char *at;
	size_t name_len = strlen(out->file_name);
	int rc;

	out->body = malloc(body_len + 1);
	if (out->body == NULL) {
		itg_errf(err, errsize,
		         "out of memory for a request body of %zu bytes",
		         body_len);
		return XDR_ENOMEM;
	}
	at = put(out->body, head, strlen(head));
	at = put(at, UPLOAD_OPEN, sizeof(UPLOAD_OPEN) - 1);
	itg_base64_init(&b, at);
	if (f != NULL) {
		rc = encode_file(f, out->html_size, &b, path, err, errsize);
		if (rc != 0)
			return rc;
	} else {
		itg_base64_feed(&b, data, out->file_size);
	}
	at = itg_base64_finish(&b);
	at = put(at, UPLOAD_MID, sizeof(UPLOAD_MID) - 1);
	at = put(at, out->file_name, name_len);
	at = put(at, UPLOAD_CLOSE, sizeof(UPLOAD_CLOSE) - 1);
	at = put(at, tail, strlen(tail));
	*at = '\0';
	out->body_len = (size_t)(at - out->body);
	return 0;
}

/* Where the gzip's bytes go: the kept buffer up to CAP, then a spill area
 * that only counts them. */
struct gz_sink {
	unsigned char *buf;
	size_t room, have, cap;
	uint64_t total;
	unsigned char spill[CHUNK];
};

static int gz_point(struct gz_sink *s, z_stream *zs)
{
	if (s->have == s->room && s->room < s->cap) {
		size_t room = s->room == 0 ? GZ_FIRST_ROOM : s->room * 2;
		unsigned char *grown;

		if (room > s->cap || room < s->room)
			room = s->cap;
		grown = realloc(s->buf, room);
		if (grown == NULL)
			return XDR_ENOMEM;
		s->buf = grown;
		s->room = room;
	}
	if (s->have < s->room) {
		zs->next_out = s->buf + s->have;
		zs->avail_out =
		        (uInt)(s->room - s->have < CHUNK ? s->room - s->have
		                                         : CHUNK);
	} else {
		zs->next_out = s->spill;
		zs->avail_out = CHUNK;
	}
	return 0;
}

static void gz_account(struct gz_sink *s, const unsigned char *start,
                       size_t produced)
{
	s->total += produced;
	if (start != s->spill)
		s->have += produced;
}

/*
 * Gzip the SIZE bytes of F (deflate level 9). The gzip is kept in s->buf
 * while it fits in s->cap bytes; past that it is only counted, so that
 * s->total always ends as its full size.
 */
static int gzip_file(FILE *f, uint64_t size, struct gz_sink *s,
                     const char *path, char *err, size_t errsize)
{
	unsigned char in[CHUNK];
	uint64_t got = 0;
	z_stream zs;
	int flush, zrc, rc = 0;

	memset(&zs, 0, sizeof(zs));
	/* 15 + 16: a gzip wrapper, not zlib's own. */
	if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK) {
		itg_errf(err, errsize, "cannot start gzip: %s",
		         zs.msg != NULL ? zs.msg : "out of memory");
		return XDR_ENOMEM;
	}
	do {
		size_t want = size - got < CHUNK ? (size_t)(size - got) : CHUNK;
		size_t n = want > 0 ? fread(in, 1, want, f) : 0;

		got += n;
		if (n < want && ferror(f)) {
			itg_errf(err, errsize, "cannot read the report file %s",
			         path);
			rc = XDR_ERROR;
			break;
		}
		if (n < want || (got == size && fgetc(f) != EOF)) {
			itg_errf(err, errsize,
			         "the report file %s changed while it was read",
			         path);
			rc = XDR_ERROR;
			break;
		}
		flush = got == size ? Z_FINISH : Z_NO_FLUSH;
		zs.next_in = in;
		zs.avail_in = (uInt)n;
		do {
			unsigned char *start;
			uInt avail;

			rc = gz_point(s, &zs);
			if (rc != 0) {
				itg_errf(err, errsize,
				         "out of memory while gzipping %s",
				         path);
				break;
			}
			start = zs.next_out;
			avail = zs.avail_out;
			zrc = deflate(&zs, flush);
			gz_account(s, start, avail - zs.avail_out);
		} while (zs.avail_out == 0 ||
		         (flush == Z_FINISH && zrc != Z_STREAM_END));
	} while (rc == 0 && flush != Z_FINISH);
	deflateEnd(&zs);
	return rc;
}

static void too_large(const char *file_name, uint64_t html_size,
                      uint64_t plain_body, uint64_t gz_size, uint64_t gz_body,
                      size_t limit, char *err, size_t errsize)
{
	itg_errf(err, errsize,
	         "the report %s is too large for IT Glue: its %" PRIu64
	         " bytes of HTML make a request body of %" PRIu64
	         " bytes, and gzipped (%" PRIu64 " bytes) one of %" PRIu64
	         " bytes; IT Glue accepts at most %zu",
	         file_name, html_size, plain_body, gz_size, gz_body, limit);
}

static int build_gzipped(FILE *f, struct itg_upload *out, const char *head,
                         const char *tail, size_t frame_len, size_t limit,
                         const char *path, char *err, size_t errsize)
{
	struct gz_sink *s = calloc(1, sizeof(*s));
	size_t name_len = strlen(out->file_name);
	uint64_t plain_body =
	        body_size_u64(frame_len, name_len, out->html_size);
	int rc;

	if (s == NULL) {
		itg_errf(err, errsize, "out of memory while gzipping %s", path);
		return XDR_ENOMEM;
	}
	s->cap = itg_upload_max_file(frame_len, name_len + strlen(GZ_SUFFIX),
	                             limit);
	rc = gzip_file(f, out->html_size, s, path, err, errsize);
	if (rc == 0 && s->total > s->cap) {
		too_large(out->file_name, out->html_size, plain_body, s->total,
		          body_size_u64(frame_len, name_len + strlen(GZ_SUFFIX),
		                        s->total),
		          limit, err, errsize);
		rc = XDR_ERANGE;
	}
	if (rc == 0) {
		memcpy(out->file_name + name_len, GZ_SUFFIX, sizeof(GZ_SUFFIX));
		name_len += strlen(GZ_SUFFIX);
		out->gzipped = true;
		out->file_size = s->have;
		rc = assemble(out,
		              itg_upload_body_size(frame_len, name_len,
		                                   out->file_size),
		              head, tail, NULL, s->buf, path, err, errsize);
	}
	free(s->buf);
	free(s);
	return rc;
}

int itg_upload_build(const char *path, const char *file_name, const char *head,
                     const char *tail, size_t limit, struct itg_upload *out,
                     char *err, size_t errsize)
{
	struct stat st;
	size_t name_len, frame_len, plain_body;
	FILE *f;
	int rc;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (path == NULL || file_name == NULL || head == NULL || tail == NULL ||
	    out == NULL) {
		itg_errf(err, errsize,
		         "the upload lacks a path, a name, "
		         "its frame or a result");
		return XDR_EINVAL;
	}
	name_len = strlen(file_name);
	if (!file_name_ok(file_name, name_len)) {
		itg_errf(err, errsize,
		         "'%s' is not an acceptable upload file name",
		         file_name);
		return XDR_EINVAL;
	}
	if (limit == 0)
		limit = ITG_UPLOAD_BODY_MAX;
	memcpy(out->file_name, file_name, name_len + 1);
	f = fopen(path, "rb");
	if (f == NULL) {
		int saved = errno;

		/* Windows opens no directory: say what it is instead. */
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			itg_errf(err, errsize,
			         "the report file %s is not a file", path);
			return XDR_ERROR;
		}
		itg_errf(err, errsize, "cannot open the report file %s: %s",
		         path, strerror(saved));
		return XDR_ERROR;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		itg_errf(err, errsize, "the report file %s is not a file",
		         path);
		fclose(f);
		return XDR_ERROR;
	}
	out->html_size = (uint64_t)st.st_size;
	frame_len = strlen(head) + strlen(tail);
	plain_body = out->html_size > SIZE_MAX
	                     ? SIZE_MAX
	                     : itg_upload_body_size(frame_len, name_len,
	                                            (size_t)out->html_size);
	if (plain_body <= limit) {
		out->file_size = (size_t)out->html_size;
		rc = assemble(out, plain_body, head, tail, f, NULL, path, err,
		              errsize);
	} else {
		rc = build_gzipped(f, out, head, tail, frame_len, limit, path,
		                   err, errsize);
	}
	fclose(f);
	if (rc != 0)
		itg_upload_free(out);
	return rc;
}

void itg_upload_free(struct itg_upload *u)
{
	if (u == NULL)
		return;
	free(u->body);
	memset(u, 0, sizeof(*u));
}
