/*
 * report_file.h - a report's file as IT Glue receives it: its name, its
 * dates, and the request body that carries it in base64.
 *
 * Everything here is pure except itg_upload_build, which reads the HTML file
 * (and gzips it when it must).
 *
 * IT Glue's gateway refuses request bodies over 10 MB, base64 included, and
 * a refused upload never succeeds on a retry. So the body's size is computed
 * before it is built: when the HTML would not fit, it is gzipped (deflate
 * level 9, ".html.gz"); when that does not fit either, the upload is refused
 * at once with both sizes in the message.
 */
#ifndef ITG_REPORT_FILE_H
#define ITG_REPORT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest request body IT Glue accepts, in bytes. */
#define ITG_UPLOAD_BODY_MAX ((size_t)10 * 1024 * 1024)

/* Days from a report's generation to its Expiry Date, by default. */
#define ITG_REPORT_EXPIRY_DAYS 365

/* The title's part of a file name keeps at most this many characters. */
#define ITG_REPORT_TITLE_PART_MAX 100

/* Room for any file name built here ("<title>_<id>_<time>.html.gz"). */
#define ITG_REPORT_FILE_NAME_MAX 160

/* "YYYY-MM-DD" and its NUL. */
#define ITG_DATE_SIZE 11

/* The latest time a date is written for: 9999-12-31T23:59:59Z. */
#define ITG_TIME_MAX INT64_C(253402300799)

/*
 * The report's file name, as in "EDR_Summary_Reports_1239_1568967000.html":
 * TITLE with every byte outside [A-Za-z0-9_-] replaced by '_', runs of '_'
 * collapsed into one, '_' trimmed from both ends, cut to
 * ITG_REPORT_TITLE_PART_MAX characters ("Report" when nothing is left);
 * then "_<REPORT_ID>_<GENERATED_AT>.html".
 *
 * Returns 0; XDR_EINVAL when TITLE or OUT is NULL, REPORT_ID is not positive
 * or GENERATED_AT is outside 0..ITG_TIME_MAX; XDR_ERANGE when SIZE is too
 * small (OUT is then "" when SIZE > 0).
 */
int itg_report_file_name(const char *title, int64_t report_id,
                         int64_t generated_at, char *out, size_t size);

/*
 * The UTC date of unix time T as "YYYY-MM-DD" into OUT (ITG_DATE_SIZE
 * bytes). Returns 0, or XDR_EINVAL when T is outside 0..ITG_TIME_MAX (OUT
 * is then "").
 */
int itg_report_date(int64_t t, char *out);

/*
 * The Expiry Date. DAYS 0 (the default): one calendar year after the UTC
 * date of GENERATED_AT, as the guide's table shows (Sep 19, 2019 -> Sep 19,
 * 2020); 29 February gives 28 February. DAYS > 0: that many days after it,
 * counted in days. Returns 0, or XDR_EINVAL when the result falls outside
 * 0..ITG_TIME_MAX.
 */
int itg_report_expiry(int64_t generated_at, unsigned int days, char *out);

/* Characters of the base64 of N bytes (padded, no line breaks); SIZE_MAX
 * when that does not fit in a size_t. */
size_t itg_base64_size(size_t n);

/*
 * A base64 encoder fed in pieces: it writes straight into a buffer of
 * itg_base64_size(total) characters, which it does not terminate.
 */
struct itg_base64 {
	char *out;              /* where the next character goes */
	unsigned char carry[3]; /* bytes waiting for a full group */
	size_t ncarry;
};

void itg_base64_init(struct itg_base64 *b, char *out);
void itg_base64_feed(struct itg_base64 *b, const void *in, size_t n);
/* Writes the last group with its padding; returns the end of the output. */
char *itg_base64_finish(struct itg_base64 *b);

/* The base64 of IN (N bytes) into OUT, NUL-terminated: OUT holds
 * itg_base64_size(N) + 1 bytes. Returns the characters written. */
size_t itg_base64_encode(const void *in, size_t n, char *out);

/*
 * A request body is HEAD, then the Upload value
 * {"content":"<base64>","file_name":"<name>"}, then TAIL.
 *
 * itg_upload_body_size: its bytes (without a NUL) for a file of FILE_SIZE
 * bytes, FRAME_LEN being strlen(HEAD) + strlen(TAIL); SIZE_MAX on overflow.
 *
 * itg_upload_max_file: the largest file whose body is at most LIMIT bytes;
 * 0 when not even an empty one fits.
 */
size_t itg_upload_body_size(size_t frame_len, size_t name_len,
                            size_t file_size);
size_t itg_upload_max_file(size_t frame_len, size_t name_len, size_t limit);

/* A report ready to be sent. */
struct itg_upload {
	char file_name[ITG_REPORT_FILE_NAME_MAX]; /* as sent: ".html" or, when
	                                             gzipped, ".html.gz" */
	bool gzipped;
	uint64_t html_size; /* bytes of the HTML file */
	size_t file_size;   /* bytes sent (before base64): the gzip's when
	                       gzipped */
	char *body;         /* the whole request body, NUL-terminated */
	size_t body_len;
};

/*
 * Build the request body HEAD + Upload value + TAIL for the file at PATH,
 * named FILE_NAME (1..ITG_REPORT_FILE_NAME_MAX - 4 bytes of
 * [A-Za-z0-9_.-], so it needs no JSON escape), in one buffer of exactly the
 * needed size: the file is read in pieces and encoded in place. When the
 * body would exceed LIMIT bytes (0: ITG_UPLOAD_BODY_MAX), the file is
 * gzipped and sent as FILE_NAME ".gz" if that fits.
 *
 * Returns 0 and *OUT (itg_upload_free); XDR_EINVAL for bad arguments;
 * XDR_ERANGE when even the gzip does not fit (the message gives the sizes);
 * XDR_ERROR when the file cannot be read or changes while it is read;
 * XDR_ENOMEM. On failure *OUT is empty and ERR holds one line.
 */
int itg_upload_build(const char *path, const char *file_name, const char *head,
                     const char *tail, size_t limit, struct itg_upload *out,
                     char *err, size_t errsize);

/* Free the body and empty *U; NULL and an empty upload are allowed. */
void itg_upload_free(struct itg_upload *u);

#endif /* ITG_REPORT_FILE_H */
