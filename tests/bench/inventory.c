/*
 * inventory.c - the host's side of a benchmark, made from the sandbox's
 * data: one group per organization, whose e-mail domain is the one the
 * organization's contacts use (org<k>.example), and Windows systems whose
 * MACs are the interface MACs of configurations of those organizations.
 *
 *   bench-inventory DATA.json --groups N --systems N --out INVENTORY.json
 *                   --request INSTANCE-GROUPS.json --instance NAME
 *                   --stats STATS.json [--mappable-only]
 *
 * DATA.json is what the sandbox's GET /_sandbox/data answers. The first N
 * organizations become groups (with --mappable-only, the first N whose
 * domain has important contacts in that organization and no other: those
 * auto-map maps); N systems are spread evenly over the
 * configurations of those organizations, in their order. INSTANCE-GROUPS.json
 * is the request of instance.groups that gives every group to instance
 * NAME. STATS.json says what the benchmark computes its minimum from:
 * {"groups", "systems", "macs", "important_contacts", "configurations",
 *  "org_configurations": {"<organization id>": n, ...}} (the last two for
 * the groups' organizations). Exit 0, or 1 with the reason on stderr.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

struct options {
	const char *data, *out, *request, *instance, *stats;
	long groups, systems;
	bool mappable_only;
};

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "bench-inventory: %s: %s\n", what, why);
	return 1;
}

static bool parse_count(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return s[0] != '\0' && *end == '\0' && errno == 0 && *out >= 0;
}

static int parse(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->groups = o->systems = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (a[0] != '-') {
			o->data = a;
			continue;
		}
		if (!strcmp(a, "--mappable-only")) {
			o->mappable_only = true;
			continue;
		}
		if (v == NULL)
			return fail(a, "needs a value");
		i++;
		if (!strcmp(a, "--groups") && parse_count(v, &o->groups))
			continue;
		if (!strcmp(a, "--systems") && parse_count(v, &o->systems))
			continue;
		if (!strcmp(a, "--out"))
			o->out = v;
		else if (!strcmp(a, "--request"))
			o->request = v;
		else if (!strcmp(a, "--instance"))
			o->instance = v;
		else if (!strcmp(a, "--stats"))
			o->stats = v;
		else
			return fail(a, "unknown option or bad value");
	}
	if (!o->data || !o->out || !o->request || !o->instance || !o->stats ||
	    o->groups < 0 || o->systems < 0)
		return fail("usage",
		            "bench-inventory DATA.json --groups N --systems N "
		            "--out FILE --request FILE --instance NAME "
		            "--stats FILE [--mappable-only]");
	return 0;
}

static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

static int64_t id_of(struct json_object *o)
{
	return json_object_get_int64(member(o, "id"));
}

/* The group of organization ID, or -1 when it is none of the groups. */
static long group_of(const int64_t *org_ids, long n, int64_t id)
{
	long lo = 0, hi = n;

	/* Sorted copies are not needed: generated organizations come in id
	 * order, which is checked when they are read. */
	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;

		if (org_ids[mid] == id)
			return mid;
		if (org_ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int write_file(const char *path, struct json_object *doc)
{
	if (json_object_to_file_ext(path, doc, JSON_C_TO_STRING_PLAIN) != 0)
		return fail(path, json_util_get_last_err());
	return 0;
}

static struct json_object *group_entry(struct json_object *org, char *name,
                                       size_t size)
{
	struct json_object *g = json_object_new_object();
	const char *short_name =
	        json_object_get_string(member(org, "short-name"));
	char email[160];

	snprintf(name, size, "%s", short_name ? short_name : "");
	for (char *p = name; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	snprintf(email, sizeof(email), "it@%s.example",
	         short_name ? short_name : "");
	json_object_object_add(g, "name", json_object_new_string(name));
	json_object_object_add(g, "email", json_object_new_string(email));
	return g;
}

/* k of a short name or domain "org<k>...", or 0. */
static long org_number(const char *s)
{
	char *end;
	long k;

	if (s == NULL || strncmp(s, "org", 3) != 0)
		return 0;
	k = strtol(s + 3, &end, 10);
	return end != s + 3 && k > 0 ? k : 0;
}

static bool is_important(struct json_object *contact)
{
	struct json_object *v = member(contact, "important");

	return json_object_is_type(v, json_type_boolean) &&
	       json_object_get_boolean(v);
}

/*
 * owner[k]: the organization whose important contacts use org<k>.example,
 * 0 when none does, -1 when several do (what auto-map cannot map).
 */
static int64_t *domain_owners(struct json_object *data, long n_orgs)
{
	struct json_object *contacts = member(data, "contacts");
	size_t n = contacts ? json_object_array_length(contacts) : 0;
	int64_t *owner = calloc((size_t)n_orgs + 1, sizeof(*owner));

	for (size_t i = 0; owner != NULL && i < n; i++) {
		struct json_object *c = json_object_array_get_idx(contacts, i);
		struct json_object *emails = member(c, "contact-emails");
		size_t n_emails = emails ? json_object_array_length(emails) : 0;
		int64_t org =
		        json_object_get_int64(member(c, "organization-id"));

		if (!is_important(c))
			continue;
		for (size_t e = 0; e < n_emails; e++) {
			const char *v = json_object_get_string(member(
			        json_object_array_get_idx(emails, e), "value"));
			const char *at = v ? strchr(v, '@') : NULL;
			long k = at ? org_number(at + 1) : 0;

			if (k < 1 || k > n_orgs)
				continue;
			if (owner[k] == 0)
				owner[k] = org;
			else if (owner[k] != org)
				owner[k] = -1;
		}
	}
	return owner;
}

static long important_contacts(struct json_object *data)
{
	struct json_object *contacts = member(data, "contacts");
	size_t n = contacts ? json_object_array_length(contacts) : 0;
	long count = 0;

	for (size_t i = 0; i < n; i++)
		if (is_important(json_object_array_get_idx(contacts, i)))
			count++;
	return count;
}

int main(int argc, char **argv)
{
	struct options o;
	struct json_object *data, *orgs, *configs, *inv, *groups, *systems;
	struct json_object *request, *names, *stats, *per_org;
	int64_t *org_ids, *owner = NULL;
	long *counts, n_orgs, eligible = 0, taken = 0, seen = 0, macs = 0;
	long chosen = 0;
	size_t n_configs;
	char **group_names;
	int rc = 0;

	if (parse(argc, argv, &o) != 0)
		return 1;
	data = json_object_from_file(o.data);
	if (data == NULL)
		return fail(o.data, json_util_get_last_err());
	orgs = member(data, "organizations");
	configs = member(data, "configurations");
	if (!json_object_is_type(orgs, json_type_array) ||
	    !json_object_is_type(configs, json_type_array))
		return fail(o.data, "no organizations or configurations");
	n_orgs = (long)json_object_array_length(orgs);
	if (o.groups > n_orgs)
		return fail("--groups", "more groups than organizations");
	org_ids = calloc((size_t)o.groups + 1, sizeof(*org_ids));
	counts = calloc((size_t)o.groups + 1, sizeof(*counts));
	group_names = calloc((size_t)o.groups + 1, sizeof(*group_names));
	if (!org_ids || !counts || !group_names)
		return fail("memory", "exhausted");
	inv = json_object_new_object();
	groups = json_object_new_array();
	systems = json_object_new_array();
	names = json_object_new_array();
	json_object_object_add(inv, "groups", groups);
	json_object_object_add(inv, "systems", systems);
	if (o.mappable_only && (owner = domain_owners(data, n_orgs)) == NULL)
		return fail("memory", "exhausted");
	for (long i = 0; i < n_orgs && chosen < o.groups; i++) {
		struct json_object *org = json_object_array_get_idx(orgs, i);
		long k = org_number(
		        json_object_get_string(member(org, "short-name")));
		char name[64];

		if (owner && (k < 1 || k > n_orgs || owner[k] != id_of(org)))
			continue;
		org_ids[chosen] = id_of(org);
		if (chosen > 0 && org_ids[chosen] <= org_ids[chosen - 1])
			return fail(o.data,
			            "organizations are not in id order");
		json_object_array_add(groups,
		                      group_entry(org, name, sizeof(name)));
		json_object_array_add(names, json_object_new_string(name));
		group_names[chosen++] = strdup(name);
	}
	free(owner);
	if (chosen < o.groups)
		return fail("--groups", "fewer organizations than groups "
		                        "asked for");
	n_configs = json_object_array_length(configs);
	for (size_t i = 0; i < n_configs; i++) {
		struct json_object *c = json_object_array_get_idx(configs, i);
		long g = group_of(
		        org_ids, o.groups,
		        json_object_get_int64(member(c, "organization-id")));

		if (g >= 0) {
			counts[g]++;
			eligible++;
		}
	}
	if (o.systems > eligible)
		return fail("--systems",
		            "more systems than configurations of the groups' "
		            "organizations");
	for (size_t i = 0; i < n_configs && taken < o.systems; i++) {
		struct json_object *c = json_object_array_get_idx(configs, i);
		struct json_object *ifaces = member(c, "interfaces");
		struct json_object *s, *list;
		long g = group_of(
		        org_ids, o.groups,
		        json_object_get_int64(member(c, "organization-id")));
		size_t n_if;

		if (g < 0)
			continue;
		seen++;
		/* Spread evenly: the seen-th configuration is taken when the
		 * share of systems due so far grows past what was taken. */
		if ((seen * o.systems) / eligible <= taken)
			continue;
		taken++;
		s = json_object_new_object();
		list = json_object_new_array();
		n_if = ifaces ? json_object_array_length(ifaces) : 0;
		for (size_t k = 0; k < n_if; k++) {
			const char *mac = json_object_get_string(
			        member(json_object_array_get_idx(ifaces, k),
			               "mac-address"));

			if (mac != NULL) {
				json_object_array_add(
				        list, json_object_new_string(mac));
				macs++;
			}
		}
		json_object_object_add(s, "name",
		                       json_object_get(member(c, "name")));
		json_object_object_add(s, "group",
		                       json_object_new_string(group_names[g]));
		json_object_object_add(s, "os",
		                       json_object_new_string("windows"));
		json_object_object_add(s, "sensor",
		                       json_object_new_string("agent"));
		json_object_object_add(s, "macs", list);
		json_object_array_add(systems, s);
	}
	request = json_object_new_object();
	json_object_object_add(request, "instance",
	                       json_object_new_string(o.instance));
	json_object_object_add(request, "groups", names);
	stats = json_object_new_object();
	per_org = json_object_new_object();
	for (long k = 0; k < o.groups; k++) {
		char id[32];

		snprintf(id, sizeof(id), "%lld", (long long)org_ids[k]);
		json_object_object_add(per_org, id,
		                       json_object_new_int64(counts[k]));
	}
	json_object_object_add(stats, "groups",
	                       json_object_new_int64(o.groups));
	json_object_object_add(stats, "systems", json_object_new_int64(taken));
	json_object_object_add(stats, "macs", json_object_new_int64(macs));
	json_object_object_add(stats, "important_contacts",
	                       json_object_new_int64(important_contacts(data)));
	json_object_object_add(stats, "configurations",
	                       json_object_new_int64(eligible));
	json_object_object_add(stats, "org_configurations", per_org);
	if (write_file(o.out, inv) != 0 ||
	    write_file(o.request, request) != 0 ||
	    write_file(o.stats, stats) != 0)
		rc = 1;
	for (long k = 0; k < o.groups; k++)
		free(group_names[k]);
	free(group_names);
	free(org_ids);
	free(counts);
	json_object_put(inv);
	json_object_put(request);
	json_object_put(stats);
	json_object_put(data);
	return rc;
}
