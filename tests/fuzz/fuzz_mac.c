/*
 * fuzz_mac.c - the MAC normaliser (plugin/mac.c) on any text.
 *
 * Beyond not crashing: a MAC it accepts is 12 lower-case hex digits that
 * survive the round trips through its value and its printed form, and the
 * one-pass identifying_value agrees with canonical + identifies.
 */
#include <config.h>

#include "fuzz.h"

#include <xdr/plugin.h>

#include "mac.h"

static bool is_canonical(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 12;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_string(data, size);
	char canon[ITG_MAC_CANON_SIZE], again[ITG_MAC_CANON_SIZE];
	char text[ITG_MAC_TEXT_SIZE];
	const char *reason;
	uint64_t value = 0, ident = 0;
	int rc = itg_mac_canonical(in, canon);
	int irc = itg_mac_identifying_value(in, &ident);

	/* The input as it stands, canonical or not. */
	reason = itg_mac_ignored_reason(in);
	FUZZ_CHECK(itg_mac_identifies(in) == (reason == NULL),
	           "identifies agrees with ignored_reason");
	if (!is_canonical(in))
		FUZZ_CHECK(reason != NULL, "a non-canonical string is ignored");
	itg_mac_format(in, text);

	if (rc != 0) {
		FUZZ_CHECK(rc == XDR_EINVAL, "a refusal is XDR_EINVAL");
		FUZZ_CHECK(canon[0] == '\0', "a refusal leaves \"\"");
		FUZZ_CHECK(irc == XDR_EINVAL, "no value without a MAC");
		free(in);
		return 0;
	}
	FUZZ_CHECK(is_canonical(canon), "12 lower-case hex digits");
	value = itg_mac_value(canon);
	FUZZ_CHECK(value <= 0xFFFFFFFFFFFFull, "a value of 48 bits");
	itg_mac_from_value(value, again);
	FUZZ_CHECK(strcmp(again, canon) == 0, "value round trip");
	FUZZ_CHECK(itg_mac_format(canon, text) == 0, "a MAC formats");
	FUZZ_CHECK(strlen(text) == 17, "aa:bb:cc:dd:ee:ff");
	FUZZ_CHECK(itg_mac_canonical(text, again) == 0 &&
	                   strcmp(again, canon) == 0,
	           "the printed form reads back");
	FUZZ_CHECK(itg_mac_canonical(canon, again) == 0 &&
	                   strcmp(again, canon) == 0,
	           "canonical is idempotent");
	reason = itg_mac_ignored_reason(canon);
	FUZZ_CHECK((irc == 0) == (reason == NULL),
	           "identifying_value agrees with ignored_reason");
	if (irc == 0)
		FUZZ_CHECK(ident == value, "identifying_value is the value");
	free(in);
	return 0;
}
