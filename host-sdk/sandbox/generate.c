/*
 * generate.c - deterministic data sets for benchmarks and demonstrations:
 * organizations with contacts (important true, false or null, or a given
 * share of each organization's contacts important; e-mail
 * domains org<N>.example, a few shared with another organization) and
 * configurations with one to three interfaces whose MACs are written in
 * mixed notations; in each collection, updated-at times a minute apart in
 * id order. The same seed on the same store gives the same data.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xdr/plugin.h>

#include "digits.h"
#include "sandbox.h"

#define GENERATE_MAX 1000000L

static const char *const org_words[] = {
        "Northwind", "Contoso",  "Fabrikam", "Initech", "Umbrella",
        "Hooli",     "Vandelay", "Wonka",    "Tyrell",  "Soylent",
};
static const char *const org_kinds[] = {"Labs", "Group", "Partners", "Systems",
                                        "Logistics"};
static const char *const first_names[] = {
        "Ada", "Grace", "Alan", "Linus", "Barbara", "Dennis", "Ken", "Margaret",
};
static const char *const last_names[] = {
        "Lee",    "Hopper",  "Turing",   "Torvalds",
        "Liskov", "Ritchie", "Thompson", "Hamilton",
};

struct rng {
	uint64_t state;
};

/* splitmix64: small, fast, and the same everywhere. */
static uint64_t next(struct rng *r)
{
	uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static long below(struct rng *r, long n)
{
	return (long)(next(r) % (uint64_t)n);
}

#define PICK(r, list) (list[below(r, sizeof(list) / sizeof(list[0]))])

static bool parse_count(const char *s, size_t len, long max, long *out)
{
	return sbx_parse_digits(s, len, out) && *out <= max;
}

int sbx_generate_parse(const char *spec, struct sbx_generate_spec *out)
{
	memset(out, 0, sizeof(*out));
	out->important = -1;
	out->seed = 1;
	while (*spec) {
		size_t len = strcspn(spec, ",");
		const char *eq = memchr(spec, '=', len);
		size_t klen = eq ? (size_t)(eq - spec) : len;
		const char *v = eq ? eq + 1 : "";
		size_t vlen = eq ? len - klen - 1 : 0;
		long n;

		if (!eq || !parse_count(v, vlen, GENERATE_MAX, &n))
			return XDR_EINVAL;
		if (klen == 4 && !strncmp(spec, "orgs", 4))
			out->orgs = n;
		else if (klen == 7 && !strncmp(spec, "configs", 7))
			out->configs = n;
		else if (klen == 8 && !strncmp(spec, "contacts", 8))
			out->contacts = n;
		else if (klen == 9 && !strncmp(spec, "important", 9) &&
		         n <= 100)
			out->important = n;
		else if (klen == 4 && !strncmp(spec, "seed", 4))
			out->seed = (uint64_t)n;
		else
			return XDR_EINVAL;
		spec += len;
		if (*spec == ',')
			spec++;
	}
	if (!out->orgs && (out->configs || out->contacts))
		return XDR_EINVAL;
	return out->orgs ? XDR_OK : XDR_EINVAL;
}

static struct json_object *str(const char *s)
{
	return json_object_new_string(s);
}

static int add(struct json_object *array, struct json_object *o)
{
	if (!o || json_object_array_add(array, o)) {
		json_object_put(o);
		return XDR_ENOMEM;
	}
	return XDR_OK;
}

/* SBX_DEFAULT_TIME and a minute per record J (from 1) of a collection:
 * distinct updated-at times, in id order, so that a listing sorted by
 * updated_at is as in an account where records change one after the other
 * (an incremental reader stops where its last read left off, not at the
 * end). Organizations, contacts and configurations each count from 1. */
#define GENERATED_EPOCH 1704067200 /* SBX_DEFAULT_TIME */

static void generated_time(long j, char out[32])
{
	time_t t = (time_t)(GENERATED_EPOCH + (int64_t)j * 60);
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(out, 32, "%Y-%m-%dT%H:%M:%S.000Z", &tm))
		snprintf(out, 32, "%s", SBX_DEFAULT_TIME);
}

static struct json_object *organization(struct rng *r, int64_t id, long k)
{
	static const struct {
		int id;
		const char *name;
	} types[] = {{1, "Customer"}, {1, "Customer"}, {1, "Customer"},
	             {2, "Vendor"},   {3, "Partner"},  {4, "Internal"}};
	struct json_object *o = json_object_new_object();
	long t = below(r, 6);
	bool active = below(r, 100) < 85;
	char name[96], short_name[32], updated[32];

	if (!o)
		return NULL;
	snprintf(name, sizeof(name), "%s %s %ld", PICK(r, org_words),
	         PICK(r, org_kinds), k);
	snprintf(short_name, sizeof(short_name), "org%ld", k);
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "name", str(name));
	json_object_object_add(o, "short-name", str(short_name));
	json_object_object_add(o, "organization-type-id",
	                       json_object_new_int(types[t].id));
	json_object_object_add(o, "organization-type-name", str(types[t].name));
	json_object_object_add(o, "organization-status-id",
	                       json_object_new_int(active ? 1 : 2));
	json_object_object_add(o, "organization-status-name",
	                       str(active ? "Active" : "Inactive"));
	json_object_object_add(o, "parent-id", NULL);
	generated_time(k, updated);
	json_object_object_add(o, "created-at", str(SBX_DEFAULT_TIME));
	json_object_object_add(o, "updated-at", str(updated));
	return o;
}

/* true, false or null (NULL) for contact J (from 1) of organization K of
 * ORGS: the contacts go round-robin, so J's place among K's is (J-1)/ORGS;
 * with a percentage, the first n of an organization's contacts hold
 * exactly n * PCT / 100 important ones. */
static struct json_object *importance(long j, long orgs, long pct)
{
	long m = (j - 1) / orgs, imp = j % 5; /* 2 true, 2 false, 1 null */

	if (pct < 0)
		return imp < 2   ? json_object_new_boolean(1)
		       : imp < 4 ? json_object_new_boolean(0)
		                 : NULL;
	if ((m + 1) * pct / 100 > m * pct / 100)
		return json_object_new_boolean(1);
	return m % 2 ? NULL : json_object_new_boolean(0);
}

static struct json_object *contact(struct rng *r, int64_t id, long j,
                                   int64_t org_id, long k, long orgs, long pct)
{
	struct json_object *o = json_object_new_object();
	struct json_object *emails = json_object_new_array();
	struct json_object *email = json_object_new_object();
	const char *first = PICK(r, first_names), *last = PICK(r, last_names);
	long domain = (j % 25 == 24 && orgs > 1) ? k % orgs + 1 : k;
	char value[160], updated[32];

	if (!o || !emails || !email) {
		json_object_put(o);
		json_object_put(emails);
		json_object_put(email);
		return NULL;
	}
	snprintf(value, sizeof(value), "%s.%s%ld@org%ld.example", first, last,
	         j, domain);
	for (char *p = value; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	json_object_object_add(email, "value", str(value));
	json_object_object_add(email, "primary", json_object_new_boolean(1));
	json_object_object_add(email, "label-name", str("Work"));
	json_object_array_add(emails, email);
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "organization-id",
	                       json_object_new_int64(org_id));
	json_object_object_add(o, "first-name", str(first));
	json_object_object_add(o, "last-name", str(last));
	json_object_object_add(o, "important", importance(j, orgs, pct));
	json_object_object_add(o, "contact-emails", emails);
	generated_time(j, updated);
	json_object_object_add(o, "created-at", str(SBX_DEFAULT_TIME));
	json_object_object_add(o, "updated-at", str(updated));
	return o;
}

/* One MAC in one of the notations seen in IT Glue and elsewhere. */
static void format_mac(const unsigned char m[6], long notation, char *out,
                       size_t size)
{
	switch (notation) {
	case 0:
		snprintf(out, size, "%02X-%02X-%02X-%02X-%02X-%02X", m[0], m[1],
		         m[2], m[3], m[4], m[5]);
		break;
	case 1:
		snprintf(out, size, "%02X:%02X:%02X:%02X:%02X:%02X", m[0], m[1],
		         m[2], m[3], m[4], m[5]);
		break;
	case 2:
		snprintf(out, size, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1],
		         m[2], m[3], m[4], m[5]);
		break;
	default:
		snprintf(out, size, "%02x%02x.%02x%02x.%02x%02x", m[0], m[1],
		         m[2], m[3], m[4], m[5]);
		break;
	}
}

static struct json_object *interfaces(struct rng *r, struct sbx_store *s,
                                      long count, char *own_mac, size_t size,
                                      char *ip, size_t ipsize)
{
	struct json_object *list = json_object_new_array();

	own_mac[0] = '\0';
	for (long i = 0; list && i < count; i++) {
		struct json_object *o = json_object_new_object();
		unsigned char m[6];
		char mac[32], name[24], addr[24];
		uint64_t bits = next(r);

		if (!o) {
			json_object_put(list);
			return NULL;
		}
		for (int b = 0; b < 6; b++)
			m[b] = (unsigned char)(bits >> (8 * b));
		m[0] &= 0xFE; /* unicast */
		format_mac(m, below(r, 4), mac, sizeof(mac));
		snprintf(name, sizeof(name), "eth%ld", i);
		snprintf(addr, sizeof(addr), "10.%u.%u.%u", m[3], m[4],
		         (unsigned)(m[5] % 250) + 2);
		if (i == 0) {
			format_mac(m, below(r, 4), own_mac, size);
			snprintf(ip, ipsize, "%s", addr);
		}
		json_object_object_add(
		        o, "id", json_object_new_int64(sbx_store_take_id(s)));
		json_object_object_add(o, "name", str(name));
		json_object_object_add(o, "ip-address", str(addr));
		json_object_object_add(o, "mac-address", str(mac));
		json_object_object_add(o, "primary",
		                       json_object_new_boolean(i == 0));
		json_object_object_add(o, "created-at", str(SBX_DEFAULT_TIME));
		json_object_object_add(o, "updated-at", str(SBX_DEFAULT_TIME));
		json_object_array_add(list, o);
	}
	return list;
}

static struct json_object *configuration(struct rng *r, struct sbx_store *s,
                                         long j, int64_t org_id, long k)
{
	static const struct {
		int id;
		const char *name, *tag;
	} types[] = {{1, "Managed Workstation", "WS"},
	             {2, "Managed Server", "SRV"},
	             {3, "Firewall", "FW"}};
	struct json_object *o = json_object_new_object();
	struct json_object *ifaces;
	long t = below(r, 3), own = below(r, 4);
	bool archived = below(r, 100) < 5;
	char name[64], host[64], mac[32], ip[24], serial[16], updated[32];
	int64_t id;

	if (!o)
		return NULL;
	ifaces = interfaces(r, s, 1 + below(r, 3), mac, sizeof(mac), ip,
	                    sizeof(ip));
	if (!ifaces) {
		json_object_put(o);
		return NULL;
	}
	id = sbx_store_take_id(s);
	snprintf(name, sizeof(name), "ORG%ld-%s%04ld", k, types[t].tag, j);
	snprintf(host, sizeof(host), "org%ld-%s%04ld", k, types[t].tag, j);
	for (char *p = host; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	snprintf(serial, sizeof(serial), "SN%010" PRIu64,
	         (uint64_t)(next(r) % 10000000000ULL));
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "organization-id",
	                       json_object_new_int64(org_id));
	json_object_object_add(o, "name", str(name));
	json_object_object_add(o, "hostname", str(host));
	json_object_object_add(o, "primary-ip", str(ip));
	/* The configuration's own MAC: mostly its primary interface's in
	 * another notation, sometimes missing. */
	json_object_object_add(o, "mac-address", own ? str(mac) : NULL);
	json_object_object_add(o, "serial-number",
	                       below(r, 5) ? str(serial) : NULL);
	json_object_object_add(o, "configuration-type-id",
	                       json_object_new_int(types[t].id));
	json_object_object_add(o, "configuration-type-name",
	                       str(types[t].name));
	json_object_object_add(o, "configuration-status-id",
	                       json_object_new_int(archived ? 2 : 1));
	json_object_object_add(o, "configuration-status-name",
	                       str(archived ? "Inactive" : "Active"));
	json_object_object_add(o, "archived",
	                       json_object_new_boolean(archived));
	generated_time(j, updated);
	json_object_object_add(o, "created-at", str(SBX_DEFAULT_TIME));
	json_object_object_add(o, "updated-at", str(updated));
	json_object_object_add(o, "interfaces", ifaces);
	return o;
}

int sbx_generate(struct sbx_store *s, const struct sbx_generate_spec *spec)
{
	struct json_object *orgs = sbx_store_collection(s, "organizations");
	struct json_object *contacts = sbx_store_collection(s, "contacts");
	struct json_object *configs = sbx_store_collection(s, "configurations");
	struct rng r = {spec->seed};
	int64_t *org_ids = malloc((size_t)spec->orgs * sizeof(*org_ids));
	int rc = XDR_OK;

	if (!org_ids || !orgs || !contacts || !configs) {
		free(org_ids);
		return XDR_ENOMEM;
	}
	for (long k = 0; k < spec->orgs && rc == XDR_OK; k++) {
		org_ids[k] = sbx_store_take_id(s);
		rc = add(orgs, organization(&r, org_ids[k], k + 1));
	}
	for (long j = 0; j < spec->contacts && rc == XDR_OK; j++) {
		long k = j % spec->orgs;

		rc = add(contacts,
		         contact(&r, sbx_store_take_id(s), j + 1, org_ids[k],
		                 k + 1, spec->orgs, spec->important));
	}
	for (long j = 0; j < spec->configs && rc == XDR_OK; j++) {
		long k = below(&r, spec->orgs);

		rc = add(configs,
		         configuration(&r, s, j + 1, org_ids[k], k + 1));
	}
	free(org_ids);
	return rc;
}
