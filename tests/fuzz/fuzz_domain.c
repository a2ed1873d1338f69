/*
 * fuzz_domain.c - the e-mail domain normaliser and the public-provider list
 * (plugin/domain.c) on any text.
 *
 * The input is an address; after its first newline, a list of domains
 * (one a line) that the administrator's extra and not-public lists are
 * made of. Beyond not crashing: an accepted domain follows the documented
 * rules, reads back as the domain of "x@" + itself, and equals itself
 * written with a leading '@', a trailing dot or in upper case.
 */
#include <config.h>

#include "fuzz.h"

#include <ctype.h>

#include <xdr/plugin.h>

#include "domain.h"

#define LIST_MAX 8

static void check_domain(const char *d)
{
	size_t len = strlen(d), label = 0;
	bool dot = false;
	char buf[ITG_DOMAIN_MAX + 4], again[ITG_DOMAIN_MAX];

	FUZZ_CHECK(len > 0 && len <= 253, "1 to 253 bytes");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)d[i];

		FUZZ_CHECK(!(c >= 'A' && c <= 'Z'), "lower case");
		if (c == '.') {
			FUZZ_CHECK(label > 0, "no empty label");
			dot = true;
			label = 0;
			continue;
		}
		FUZZ_CHECK(c >= 0x80 || isalnum(c) || c == '-',
		           "letters, digits, '-' and UTF-8");
		label++;
		FUZZ_CHECK(label <= 63, "labels of at most 63 bytes");
	}
	FUZZ_CHECK(dot && label > 0, "a dot, and no empty last label");

	snprintf(buf, sizeof(buf), "x@%s", d);
	FUZZ_CHECK(itg_email_domain(buf, again, sizeof(again)) == 0 &&
	                   strcmp(again, d) == 0,
	           "x@domain reads back as the domain");
	FUZZ_CHECK(itg_domain_equal(d, d), "equal to itself");
	snprintf(buf, sizeof(buf), "@%s", d);
	FUZZ_CHECK(itg_domain_equal(d, buf), "equal to @domain");
	snprintf(buf, sizeof(buf), "%s.", d);
	FUZZ_CHECK(itg_domain_equal(d, buf), "equal to domain.");
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)toupper((unsigned char)d[i]);
	buf[len] = '\0';
	FUZZ_CHECK(itg_domain_equal(d, buf), "equal in upper case");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_string(data, size);
	char *lines = strchr(in, '\n');
	const char *list[LIST_MAX];
	size_t n = 0;
	char out[ITG_DOMAIN_MAX], small[8];
	const char *start = NULL;
	size_t span = 0;
	int rc, src, small_rc;

	if (lines != NULL) {
		*lines++ = '\0';
		for (char *s = lines; s != NULL && n < LIST_MAX;) {
			char *next = strchr(s, '\n');

			if (next != NULL)
				*next++ = '\0';
			list[n++] = s;
			s = next;
		}
	}

	src = itg_email_domain_span(in, &start, &span);
	rc = itg_email_domain(in, out, sizeof(out));
	small_rc = itg_email_domain(in, small, sizeof(small));
	FUZZ_CHECK((src == 0) == (rc == 0), "span and copy agree");
	if (rc != 0) {
		FUZZ_CHECK(rc == XDR_EINVAL, "a refusal is XDR_EINVAL");
		FUZZ_CHECK(out[0] == '\0', "a refusal leaves \"\"");
		FUZZ_CHECK(small_rc == XDR_EINVAL, "refused in any buffer");
	} else {
		FUZZ_CHECK(start >= in && start + span <= in + strlen(in),
		           "the span is inside the address");
		FUZZ_CHECK(strlen(out) == span, "the copy is the span");
		FUZZ_CHECK(small_rc == (span < sizeof(small) ? 0 : XDR_ERANGE),
		           "a small buffer is XDR_ERANGE");
		check_domain(out);
	}

	/* The lists of the administrator, with the input among them. */
	{
		struct itg_public_domains cfg = {list, n / 2, list + n / 2,
		                                 n - n / 2};
		bool shipped = itg_domain_is_public(in, NULL);
		bool configured = itg_domain_is_public(in, &cfg);

		for (size_t i = 0; i < n / 2; i++)
			if (itg_domain_equal(in, list[i]))
				FUZZ_CHECK(configured,
				           "an extra one is public");
		if (!shipped) {
			bool extra = false;

			for (size_t i = 0; i < n / 2; i++)
				extra = extra || itg_domain_equal(in, list[i]);
			FUZZ_CHECK(configured == extra,
			           "only the extra list adds to the shipped");
		}
		for (size_t i = 0; i < n; i++)
			itg_domain_equal(list[i], in);
	}
	free(in);
	return 0;
}
