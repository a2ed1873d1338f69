/*
 * mac.c - MAC addresses in one canonical form (pure: no I/O).
 */
#include <config.h>

#include "mac.h"

#include <stddef.h>
#include <string.h>

#include <xdr/plugin.h>

#define MAC_DIGITS 12

/*
 * Adapters whose MAC is the same on many machines. A MAC matches an entry
 * when (mac & mask) == value. Each is a software adapter that Windows or a
 * widely installed product creates with a fixed address, so it turns up in
 * the MAC lists of unrelated systems and configurations alike.
 */
static const struct shared_adapter {
	uint64_t value;
	uint64_t mask;
	const char *name;
} shared_adapters[] = {
        /* Microsoft KM-TEST loopback adapter: fixed address, "LOOP" in
         * ASCII after the locally administered 02:00. */
        {0x02004c4f4f50, 0xffffffffffff, "Microsoft loopback adapter"},
        /* Windows RAS async adapter: " ASYN" in ASCII, then ff. */
        {0x204153594eff, 0xffffffffffff, "Windows RAS async adapter"},
        /* VMware Workstation/Player host virtual adapters: 00:50:56:c0:00
         * followed by the vmnet number (01 host-only, 08 NAT) on every host
         * that has them. */
        {0x005056c00000, 0xffffffffff00, "VMware host virtual adapter"},
        /* VirtualBox host-only adapters: 0a:00:27:00:00 followed by the
         * adapter's index on every host that has them. */
        {0x0a0027000000, 0xffffffffff00, "VirtualBox host-only adapter"},
        /* Cisco AnyConnect virtual miniport adapter: one fixed address. */
        {0x00059a3c7a00, 0xffffffffffff, "Cisco AnyConnect virtual adapter"},
        /* QEMU's default guest NIC address when none is configured, shared
         * by every such virtual machine. */
        {0x525400123456, 0xffffffffffff, "QEMU default NIC address"},
};

/* Each character's value as a hex digit, plus one; 0 for any other. A
 * table: range tests mispredict on MACs, where digits and letters come in
 * no order, and took most of the time of reading one. */
static const unsigned char hex_digit[256] = {
        ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
        ['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
        ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12,
        ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static int hex_value(char c)
{
	return (int)hex_digit[(unsigned char)c] - 1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_separator(char c)
{
	return c == ':' || c == '-' || c == '.';
}

/*
 * The digits of a MAC and how they are grouped: 12 characters are the 12
 * digits alone, 14 are three groups of 4 digits and 17 six groups of 2,
 * with one separator between groups. Those are all the forms
 * itg_mac_canonical() accepts (12 digits in groups of 2 or 4, all equal),
 * so the length alone tells which form a text must have. The group size,
 * or 0 for a length no form has.
 */
static size_t group_size_of(size_t len)
{
	switch (len) {
	case 12:
		return 12;
	case 14:
		return 4;
	case 17:
		return 2;
	default:
		return 0;
	}
}

/*
 * The value of the MAC text IN under itg_mac_canonical()'s rules, in one
 * pass over it and without building the canonical text: the mapper reads
 * hundreds of thousands of MACs per run.
 */
static bool parse_mac(const char *in, uint64_t *value)
{
	const char *end;
	size_t group, in_group = 0;
	char sep;
	uint64_t v = 0;

	if (in == NULL)
		return false;
	while (is_blank(*in))
		in++;
	end = in + strlen(in);
	while (end > in && is_blank(end[-1]))
		end--;
	group = group_size_of((size_t)(end - in));
	if (group == 0)
		return false;
	/* One separator all along: the one after the first group. */
	sep = group < MAC_DIGITS ? in[group] : '\0';
	if (group < MAC_DIGITS && !is_separator(sep))
		return false;
	for (const char *c = in; c < end; c++) {
		int d;

		if (in_group == group) {
			if (*c != sep)
				return false;
			in_group = 0;
			continue;
		}
		d = hex_value(*c);
		if (d < 0)
			return false;
		v = v << 4 | (uint64_t)d;
		in_group++;
	}
	*value = v;
	return true;
}

int itg_mac_canonical(const char *in, char out[ITG_MAC_CANON_SIZE])
{
	uint64_t v;

	if (!parse_mac(in, &v)) {
		out[0] = '\0';
		return XDR_EINVAL;
	}
	itg_mac_from_value(v, out);
	return 0;
}

void itg_mac_from_value(uint64_t value, char out[ITG_MAC_CANON_SIZE])
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = MAC_DIGITS; i > 0; i--) {
		out[i - 1] = digits[value & 0xf];
		value >>= 4;
	}
	out[MAC_DIGITS] = '\0';
}

static bool is_canonical(const char *canon)
{
	if (canon == NULL)
		return false;
	for (size_t i = 0; i < MAC_DIGITS; i++) {
		char c = canon[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return canon[MAC_DIGITS] == '\0';
}

uint64_t itg_mac_value(const char canon[ITG_MAC_CANON_SIZE])
{
	uint64_t v = 0;

	if (!is_canonical(canon))
		return 0;
	for (size_t i = 0; i < MAC_DIGITS; i++)
		v = v << 4 | (uint64_t)hex_value(canon[i]);
	return v;
}

/* Why the MAC of value V identifies no one device, or NULL. */
static const char *value_ignored_reason(uint64_t v)
{
	if (v == 0)
		return "all zeros";
	if (v == 0xffffffffffff)
		return "broadcast";
	if (v & 0x010000000000)
		return "multicast";
	for (size_t i = 0;
	     i < sizeof(shared_adapters) / sizeof(*shared_adapters); i++) {
		if ((v & shared_adapters[i].mask) == shared_adapters[i].value)
			return shared_adapters[i].name;
	}
	return NULL;
}

const char *itg_mac_ignored_reason(const char canon[ITG_MAC_CANON_SIZE])
{
	if (!is_canonical(canon))
		return "not a MAC address";
	return value_ignored_reason(itg_mac_value(canon));
}

int itg_mac_identifying_value(const char *in, uint64_t *value)
{
	uint64_t v;

	if (!parse_mac(in, &v) || value_ignored_reason(v) != NULL)
		return XDR_EINVAL;
	*value = v;
	return 0;
}

bool itg_mac_identifies(const char canon[ITG_MAC_CANON_SIZE])
{
	return itg_mac_ignored_reason(canon) == NULL;
}

int itg_mac_format(const char canon[ITG_MAC_CANON_SIZE],
                   char out[ITG_MAC_TEXT_SIZE])
{
	size_t o = 0;

	out[0] = '\0';
	if (!is_canonical(canon))
		return XDR_EINVAL;
	for (size_t i = 0; i < MAC_DIGITS; i += 2) {
		if (i > 0)
			out[o++] = ':';
		out[o++] = canon[i];
		out[o++] = canon[i + 1];
	}
	out[o] = '\0';
	return 0;
}
