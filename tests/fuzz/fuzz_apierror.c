/*
 * fuzz_apierror.c - the reader of IT Glue's error answers
 * (plugin/apierror.c): JSON:API errors, {"message": ...}, double-encoded
 * strings, HTML pages and plain text, under any status and transfer.
 *
 * Input: byte 0 picks the transfer and the content type, bytes 1-2 the
 * HTTP status (big-endian, modulo 1000), byte 3 the size of the buffer of
 * the explanation; the rest is the body. Beyond not crashing: every
 * sentence is one line of well-formed UTF-8 that fits its buffer, since it
 * ends up in events and in JSON answers that the host reads strictly.
 */
#include <config.h>

#include "fuzz.h"

#include <xdr/plugin.h>

#include "apierror.h"

#define HEADER 4

static const char *const content_types[] = {
        NULL,
        "application/vnd.api+json",
        "application/json; charset=utf-8",
        "text/html; charset=utf-8",
        "text/plain",
        "",
};

static const size_t out_sizes[] = {1, 2,  3,  4,   5,
                                   8, 17, 64, 161, ITG_APIERROR_MAX};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void check_sentence(const char *s, size_t size)
{
	size_t len = strlen(s);

	FUZZ_CHECK(len < size, "the sentence fits its buffer");
	FUZZ_CHECK(fuzz_one_line(s), "one line");
	FUZZ_CHECK(strchr(s, '\t') == NULL && strchr(s, 0x7f) == NULL,
	           "no tab or DEL either");
	FUZZ_CHECK(fuzz_utf8_valid(s, len), "well-formed UTF-8");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct itg_exchange x = {0};
	struct itg_api_error e;
	const char *body;
	size_t len, out_size;
	char *out;

	if (size < HEADER)
		return 0;
	body = (const char *)data + HEADER;
	len = size - HEADER;
	out_size = out_sizes[data[3] % COUNT(out_sizes)];
	x.content_type = content_types[(data[0] >> 4) % COUNT(content_types)];
	x.transfer = (enum itg_transfer)((data[0] & 0x0f) % 10);
	x.transfer_detail = (data[0] & 0x0f) >= 10 ? NULL : "Connection reset";
	x.status = ((long)data[1] << 8 | data[2]) % 1000;
	x.body = body;
	x.body_len = len;

	/* A buffer of exactly out_size bytes, so that a write past it is
	 * seen. */
	out = malloc(out_size);
	FUZZ_CHECK(out != NULL, "memory");
	itg_apierror_explain(x.content_type, body, len, out, out_size);
	check_sentence(out, out_size);
	free(out);

	itg_apierror_classify(&x, &e);
	check_sentence(e.message, sizeof(e.message));
	FUZZ_CHECK(e.outcome == ITG_OK || e.message[0] != '\0',
	           "a failure says why");
	if (x.transfer == ITG_XFER_OK && x.status >= 200 && x.status <= 299)
		FUZZ_CHECK(e.outcome == ITG_OK, "a 2xx is OK");
	else
		FUZZ_CHECK(e.outcome != ITG_OK, "anything else is not");
	FUZZ_CHECK(strcmp(itg_error_kind_name(e.kind), "unknown") != 0,
	           "every kind has a name");
	return 0;
}
