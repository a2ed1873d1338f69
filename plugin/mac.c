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

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_separator(char c)
{
	return c == ':' || c == '-' || c == '.';
}

int itg_mac_canonical(const char *in, char out[ITG_MAC_CANON_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	const char *end;
	char sep = '\0';
	size_t n = 0, group = 0, group_size = 0, groups = 0;

	out[0] = '\0';
	if (in == NULL)
		return XDR_EINVAL;
	while (is_blank(*in))
		in++;
	end = in + strlen(in);
	while (end > in && is_blank(end[-1]))
		end--;

	for (const char *c = in; c < end; c++) {
		int v = hex_value(*c);

		if (v >= 0) {
			if (n == MAC_DIGITS)
				goto invalid;
			out[n++] = digits[v];
			group++;
			continue;
		}
		if (!is_separator(*c) || group == 0)
			goto invalid;
		if (sep == '\0')
			sep = *c;
		else if (*c != sep)
			goto invalid;
		if (group_size == 0)
			group_size = group;
		else if (group != group_size)
			goto invalid;
		groups++;
		group = 0;
	}
	if (n != MAC_DIGITS || group == 0)
		goto invalid;
	if (groups > 0 &&
	    (group != group_size || (group_size != 2 && group_size != 4)))
		goto invalid;
	out[n] = '\0';
	return 0;

invalid:
	out[0] = '\0';
	return XDR_EINVAL;
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
	char canon[ITG_MAC_CANON_SIZE];
	uint64_t v = 0;

	if (itg_mac_canonical(in, canon) != 0)
		return XDR_EINVAL;
	/* canonical: twelve lower-case hex digits */
	for (size_t i = 0; i < MAC_DIGITS; i++)
		v = v << 4 | (uint64_t)(canon[i] <= '9' ? canon[i] - '0'
		                                        : canon[i] - 'a' + 10);
	if (value_ignored_reason(v) != NULL)
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
