/*
 * mapper.c - the auto-map rules (pure: no I/O, no store, no host).
 *
 * Both steps build sorted indexes of their inputs once (contact domains,
 * configuration MACs, links, exclusions) and answer each record with binary
 * searches, so that 100,000 configurations and 20,000 systems cost
 * O((s + m) log m), not s * m.
 */
#include <config.h>

#include "mapper.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"

/* ---- Shared helpers -------------------------------------------------- */

/* Ids in a total order that is numeric for IT Glue's digit strings. */
static int id_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}

static bool same_id(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int int64_cmp(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* calloc that never asks for 0 bytes (and checks n * size, like calloc). */
static void *alloc_array(size_t n, size_t size)
{
	return calloc(n > 0 ? n : 1, size);
}

/* An array pointer with a count must not be NULL. */
static int check_array(const void *p, size_t n, const char *what, char *err,
                       size_t errsize)
{
	if (p == NULL && n > 0) {
		itg_errf(err, errsize, "%s: NULL array of %zu", what, n);
		return XDR_EINVAL;
	}
	return 0;
}

/* The candidates of every result, in one growing array; results hold
 * offsets into it until the end, when the array stops moving. */
struct pool {
	struct itg_map_candidate *items;
	size_t n, cap;
};

static int pool_add(struct pool *p, const char *id, const char *name,
                    bool archived)
{
	if (p->n == p->cap) {
		size_t cap = p->cap > 0 ? p->cap * 2 : 16;
		struct itg_map_candidate *items;

		if (cap > SIZE_MAX / sizeof(*items))
			return XDR_ENOMEM;
		items = realloc(p->items, cap * sizeof(*items));
		if (items == NULL)
			return XDR_ENOMEM;
		p->items = items;
		p->cap = cap;
	}
	p->items[p->n].id = id;
	p->items[p->n].name = name;
	p->items[p->n].archived = archived;
	p->n++;
	return 0;
}

/* Links sorted by host id, one per host id. */
static int link_cmp(const void *a, const void *b)
{
	const struct itg_map_link *x = a, *y = b;

	return int64_cmp(x->host_id, y->host_id);
}

static int sort_links(const struct itg_map_link *in, size_t n, const char *what,
                      struct itg_map_link **out, char *err, size_t errsize)
{
	struct itg_map_link *s;

	*out = NULL;
	if (check_array(in, n, what, err, errsize) != 0)
		return XDR_EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (in[i].itg_id == NULL) {
			itg_errf(err, errsize,
			         "%s: id %" PRId64 " has no IT Glue id", what,
			         in[i].host_id);
			return XDR_EINVAL;
		}
	}
	s = alloc_array(n, sizeof(*s));
	if (s == NULL) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	if (n > 0)
		memcpy(s, in, n * sizeof(*s));
	qsort(s, n, sizeof(*s), link_cmp);
	for (size_t i = 1; i < n; i++) {
		if (s[i].host_id == s[i - 1].host_id) {
			itg_errf(err, errsize,
			         "%s: id %" PRId64 " is there twice", what,
			         s[i].host_id);
			free(s);
			return XDR_EINVAL;
		}
	}
	*out = s;
	return 0;
}

static const struct itg_map_link *find_link(const struct itg_map_link *sorted,
                                            size_t n, int64_t host_id)
{
	struct itg_map_link key = {.host_id = host_id};

	return n > 0 ? bsearch(&key, sorted, n, sizeof(*sorted), link_cmp)
	             : NULL;
}

/* Exclusions sorted by (host id, IT Glue id). */
static int exclusion_cmp(const void *a, const void *b)
{
	const struct itg_map_exclusion *x = a, *y = b;
	int c = int64_cmp(x->host_id, y->host_id);

	return c != 0 ? c : strcmp(x->itg_id, y->itg_id);
}

static int sort_exclusions(const struct itg_map_exclusion *in, size_t n,
                           struct itg_map_exclusion **out, char *err,
                           size_t errsize)
{
	struct itg_map_exclusion *s;

	*out = NULL;
	if (check_array(in, n, "exclusions", err, errsize) != 0)
		return XDR_EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (in[i].itg_id == NULL) {
			itg_errf(err, errsize,
			         "exclusions: id %" PRId64 " has no IT Glue id",
			         in[i].host_id);
			return XDR_EINVAL;
		}
	}
	s = alloc_array(n, sizeof(*s));
	if (s == NULL) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	if (n > 0)
		memcpy(s, in, n * sizeof(*s));
	qsort(s, n, sizeof(*s), exclusion_cmp);
	*out = s;
	return 0;
}

static bool is_excluded(const struct itg_map_exclusion *sorted, size_t n,
                        int64_t host_id, const char *itg_id)
{
	struct itg_map_exclusion key = {.host_id = host_id, .itg_id = itg_id};

	return n > 0 &&
	       bsearch(&key, sorted, n, sizeof(*sorted), exclusion_cmp) != NULL;
}

/* Host ids sorted, to refuse duplicates and to ask "is it in the input". */
static int int64_ptr_cmp(const void *a, const void *b)
{
	return int64_cmp(*(const int64_t *)a, *(const int64_t *)b);
}

static int sort_unique_ids(int64_t *ids, size_t n, const char *what, char *err,
                           size_t errsize)
{
	qsort(ids, n, sizeof(*ids), int64_ptr_cmp);
	for (size_t i = 1; i < n; i++) {
		if (ids[i] == ids[i - 1]) {
			itg_errf(err, errsize,
			         "%s: id %" PRId64 " is there twice", what,
			         ids[i]);
			return XDR_EINVAL;
		}
	}
	return 0;
}

/* ---- Text ------------------------------------------------------------ */

/* Room kept for ", ... (N more)" while the list may still be cut. */
#define MORE_RESERVE 40

/* A line of items that ends with "... (N more)" when they do not fit. */
struct line {
	char *buf;
	size_t size, used, items;
	bool cut;
};

/*
 * Append ITEM, or, when it would not leave room for the marker (unless it
 * is the LAST item), the marker for it and the LEFT - 1 items after it.
 */
static void line_add(struct line *l, const char *item, bool last, size_t left)
{
	const char *sep = l->items > 0 ? ", " : "";
	size_t need = l->used + strlen(sep) + strlen(item);
	int w;

	if (l->cut)
		return;
	if (!last)
		need += MORE_RESERVE;
	if (need < l->size) {
		w = snprintf(l->buf + l->used, l->size - l->used, "%s%s", sep,
		             item);
		l->used += (size_t)w;
		l->items++;
		return;
	}
	w = snprintf(l->buf + l->used, l->size - l->used, "%s... (%zu more)",
	             sep, left);
	if (w < 0 || (size_t)w >= l->size - l->used)
		l->buf[l->used] = '\0';
	l->cut = true;
}

/* One candidate as "Name (id)", "Name (id, archived)", "id" or
 * "id (archived)"; NULL when out of memory. */
static char *candidate_item(const struct itg_map_candidate *c)
{
	const char *id = c->id != NULL ? c->id : "?";
	const char *arch = c->archived ? ", archived" : "";
	size_t len = strlen(id) + strlen(", archived") + 4 +
	             (c->name != NULL ? strlen(c->name) : 0);
	char *item = malloc(len);

	if (item == NULL)
		return NULL;
	if (c->name != NULL)
		snprintf(item, len, "%s (%s%s)", c->name, id, arch);
	else
		snprintf(item, len, "%s%s", id,
		         c->archived ? " (archived)" : "");
	return item;
}

int itg_map_candidates_text(const struct itg_map_candidate *candidates,
                            size_t n, char *buf, size_t size)
{
	struct line l = {.buf = buf, .size = size};

	if (buf == NULL || size == 0 || (candidates == NULL && n > 0))
		return XDR_EINVAL;
	buf[0] = '\0';
	for (size_t i = 0; i < n && !l.cut; i++) {
		char *item = candidate_item(&candidates[i]);

		if (item == NULL)
			return XDR_ENOMEM;
		line_add(&l, item, i + 1 == n, n - i);
		free(item);
	}
	return l.cut ? XDR_ERANGE : 0;
}

/* One recorded MAC as "aa:bb:cc:dd:ee:ff", or quoted as given when it is
 * malformed; NULL when out of memory. */
static char *mac_item(const char *mac)
{
	char canon[ITG_MAC_CANON_SIZE];
	size_t len = strlen(mac) + 3;
	char *item;

	if (len < ITG_MAC_TEXT_SIZE)
		len = ITG_MAC_TEXT_SIZE;
	item = malloc(len);
	if (item == NULL)
		return NULL;
	if (itg_mac_canonical(mac, canon) == 0)
		itg_mac_format(canon, item);
	else
		snprintf(item, len, "'%s'", mac);
	return item;
}

int itg_map_macs_text(const char *const *macs, size_t n, char *buf, size_t size)
{
	struct line l = {.buf = buf, .size = size};
	size_t left = 0;

	if (buf == NULL || size == 0 || (macs == NULL && n > 0))
		return XDR_EINVAL;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		left += macs[i] != NULL;
	for (size_t i = 0; i < n && !l.cut; i++) {
		char *item;

		if (macs[i] == NULL)
			continue;
		item = mac_item(macs[i]);
		if (item == NULL)
			return XDR_ENOMEM;
		line_add(&l, item, left == 1, left);
		free(item);
		left--;
	}
	return l.cut ? XDR_ERANGE : 0;
}

/* ---- Groups -> organizations ----------------------------------------- */

/* One domain of an important contact's e-mail, as a span of the e-mail. */
struct domain_entry {
	const char *domain;
	size_t len;
	const char *org_id;
	const char *org_name;
};

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int domain_cmp(const char *a, size_t la, const char *b, size_t lb)
{
	size_t n = la < lb ? la : lb;

	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)ascii_lower(a[i]);
		unsigned char y = (unsigned char)ascii_lower(b[i]);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return la < lb ? -1 : la > lb;
}

static int domain_entry_cmp(const void *a, const void *b)
{
	const struct domain_entry *x = a, *y = b;
	int c = domain_cmp(x->domain, x->len, y->domain, y->len);

	return c != 0 ? c : id_cmp(x->org_id, y->org_id);
}

/* Every (domain, organization) of important contacts, sorted, once each. */
static int index_domains(const struct itg_group_map_input *in,
                         struct domain_entry **out, size_t *n_out, char *err,
                         size_t errsize)
{
	struct domain_entry *e;
	size_t total = 0, n = 0, kept = 0;

	*out = NULL;
	*n_out = 0;
	for (size_t i = 0; i < in->n_contacts; i++) {
		const struct itg_map_contact *c = &in->contacts[i];

		if (c->organization_id == NULL) {
			itg_errf(err, errsize,
			         "contact %zu has no organization", i);
			return XDR_EINVAL;
		}
		if (check_array(c->emails, c->n_emails, "contact e-mails", err,
		                errsize) != 0)
			return XDR_EINVAL;
		if (c->important != ITG_TRI_TRUE)
			continue;
		if (c->n_emails > SIZE_MAX - total)
			goto nomem;
		total += c->n_emails;
	}
	e = alloc_array(total, sizeof(*e));
	if (e == NULL)
		goto nomem;
	for (size_t i = 0; i < in->n_contacts; i++) {
		const struct itg_map_contact *c = &in->contacts[i];

		if (c->important != ITG_TRI_TRUE)
			continue;
		for (size_t j = 0; j < c->n_emails; j++) {
			const char *d;
			size_t len;

			if (itg_email_domain_span(c->emails[j], &d, &len) != 0)
				continue;
			e[n].domain = d;
			e[n].len = len;
			e[n].org_id = c->organization_id;
			e[n].org_name = c->organization_name;
			n++;
		}
	}
	qsort(e, n, sizeof(*e), domain_entry_cmp);
	for (size_t i = 0; i < n; i++) {
		if (kept > 0 && domain_entry_cmp(&e[kept - 1], &e[i]) == 0) {
			if (e[kept - 1].org_name == NULL)
				e[kept - 1].org_name = e[i].org_name;
			continue;
		}
		e[kept++] = e[i];
	}
	*out = e;
	*n_out = kept;
	return 0;

nomem:
	itg_errf(err, errsize, "out of memory");
	return XDR_ENOMEM;
}

/* The first entry of DOMAIN (lower-case, LEN bytes) in E, or N. */
static size_t lower_bound_domain(const struct domain_entry *e, size_t n,
                                 const char *domain, size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (domain_cmp(e[mid].domain, e[mid].len, domain, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool is_msp_domain(const struct itg_map_group_rules *rules,
                          const char *domain)
{
	for (size_t i = 0; i < rules->n_msp_domains; i++) {
		if (itg_domain_equal(domain, rules->msp_domains[i]))
			return true;
	}
	return false;
}

static bool is_blank_text(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s != ' ' && *s != '\t')
			return false;
	}
	return true;
}

/* Everything one run of the group rules looks things up in. */
struct group_run {
	const struct itg_group_map_input *in;
	struct domain_entry *domains;
	size_t n_domains;
	struct itg_map_link *existing;
	struct itg_map_exclusion *exclusions;
	struct pool pool;
	size_t *offsets; /* per result, into pool */
};

/* Steps 2-4 of the rules for one group without a manual mapping. */
static int match_group(struct group_run *run, const struct itg_map_group *g,
                       struct itg_group_result *r)
{
	const struct itg_group_map_input *in = run->in;
	size_t len, first, last;

	r->outcome = ITG_GROUP_FAILED;
	if (g->email == NULL || is_blank_text(g->email)) {
		r->reason = ITG_GROUP_REASON_NO_EMAIL;
		return 0;
	}
	if (itg_email_domain(g->email, r->domain, sizeof(r->domain)) != 0) {
		r->reason = ITG_GROUP_REASON_BAD_EMAIL;
		return 0;
	}
	if (is_msp_domain(&in->rules, r->domain)) {
		r->reason = ITG_GROUP_REASON_MSP_DOMAIN;
		return 0;
	}
	if (itg_domain_is_public(r->domain, &in->rules.public_domains)) {
		r->reason = ITG_GROUP_REASON_PUBLIC_DOMAIN;
		return 0;
	}
	len = strlen(r->domain);
	first = lower_bound_domain(run->domains, run->n_domains, r->domain,
	                           len);
	last = first;
	while (last < run->n_domains &&
	       last - first <= ITG_MAP_CANDIDATES_MAX &&
	       domain_cmp(run->domains[last].domain, run->domains[last].len,
	                  r->domain, len) == 0)
		last++;
	if (last == first) {
		r->reason = ITG_GROUP_REASON_NO_ORGANIZATION;
		return 0;
	}
	r->candidates_cut = last - first > ITG_MAP_CANDIDATES_MAX;
	if (r->candidates_cut)
		last--;
	for (size_t i = first; i < last; i++) {
		if (pool_add(&run->pool, run->domains[i].org_id,
		             run->domains[i].org_name, false) != 0)
			return XDR_ENOMEM;
	}
	r->n_candidates = last - first;
	if (last - first > 1) {
		r->reason = ITG_GROUP_REASON_SEVERAL_ORGANIZATIONS;
		return 0;
	}
	if (is_excluded(run->exclusions, in->n_exclusions, g->id,
	                run->domains[first].org_id)) {
		r->outcome = ITG_GROUP_EXCLUDED;
		return 0;
	}
	r->outcome = ITG_GROUP_MAPPED;
	r->organization_id = run->domains[first].org_id;
	return 0;
}

static int check_groups(const struct itg_group_map_input *in, char *err,
                        size_t errsize)
{
	int64_t *ids;
	int rc;

	if (check_array(in->groups, in->n_groups, "groups", err, errsize) ||
	    check_array(in->contacts, in->n_contacts, "contacts", err,
	                errsize) ||
	    check_array(in->rules.msp_domains, in->rules.n_msp_domains,
	                "MSP domains", err, errsize))
		return XDR_EINVAL;
	ids = alloc_array(in->n_groups, sizeof(*ids));
	if (ids == NULL) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	for (size_t i = 0; i < in->n_groups; i++)
		ids[i] = in->groups[i].id;
	rc = sort_unique_ids(ids, in->n_groups, "groups", err, errsize);
	free(ids);
	return rc;
}

static int run_groups(struct group_run *run, struct itg_group_map *out,
                      char *err, size_t errsize)
{
	const struct itg_group_map_input *in = run->in;
	int rc;

	rc = check_groups(in, err, errsize);
	if (rc == 0)
		rc = sort_links(in->existing, in->n_existing,
		                "existing group mappings", &run->existing, err,
		                errsize);
	if (rc == 0)
		rc = sort_exclusions(in->exclusions, in->n_exclusions,
		                     &run->exclusions, err, errsize);
	if (rc == 0)
		rc = index_domains(in, &run->domains, &run->n_domains, err,
		                   errsize);
	if (rc != 0)
		return rc;

	out->results = alloc_array(in->n_groups, sizeof(*out->results));
	run->offsets = alloc_array(in->n_groups, sizeof(*run->offsets));
	if (out->results == NULL || run->offsets == NULL)
		goto nomem;
	for (size_t i = 0; i < in->n_groups; i++) {
		const struct itg_map_group *g = &in->groups[i];
		struct itg_group_result *r = &out->results[i];
		const struct itg_map_link *link =
		        find_link(run->existing, in->n_existing, g->id);

		r->group_id = g->id;
		run->offsets[i] = run->pool.n;
		if (link != NULL && link->manual) {
			r->outcome = ITG_GROUP_KEPT_MANUAL;
			r->organization_id = link->itg_id;
			continue;
		}
		if (match_group(run, g, r) != 0)
			goto nomem;
		r->previous_organization_id =
		        link != NULL ? link->itg_id : NULL;
		r->changed = !same_id(r->previous_organization_id,
		                      r->organization_id);
	}
	out->n = in->n_groups;
	out->pool_ = run->pool.items;
	run->pool.items = NULL;
	for (size_t i = 0; i < out->n; i++)
		out->results[i].candidates =
		        out->results[i].n_candidates > 0
		                ? out->pool_ + run->offsets[i]
		                : NULL;
	return 0;

nomem:
	itg_errf(err, errsize, "out of memory");
	return XDR_ENOMEM;
}

int itg_map_groups(const struct itg_group_map_input *in,
                   struct itg_group_map *out, char *err, size_t errsize)
{
	struct group_run run = {.in = in};
	int rc;

	if (out == NULL)
		return XDR_EINVAL;
	memset(out, 0, sizeof(*out));
	if (in == NULL) {
		itg_errf(err, errsize, "no input");
		return XDR_EINVAL;
	}
	rc = run_groups(&run, out, err, errsize);
	free(run.domains);
	free(run.existing);
	free(run.exclusions);
	free(run.pool.items);
	free(run.offsets);
	if (rc != 0)
		itg_group_map_clear(out);
	return rc;
}

void itg_group_map_clear(struct itg_group_map *map)
{
	if (map == NULL)
		return;
	free(map->results);
	free(map->pool_);
	memset(map, 0, sizeof(*map));
}

const char *itg_group_outcome_name(enum itg_group_outcome outcome)
{
	switch (outcome) {
	case ITG_GROUP_MAPPED:
		return "mapped";
	case ITG_GROUP_KEPT_MANUAL:
		return "kept_manual";
	case ITG_GROUP_EXCLUDED:
		return "excluded";
	case ITG_GROUP_FAILED:
		return "failed";
	}
	return "?";
}

const char *itg_group_reason_name(enum itg_group_reason reason)
{
	switch (reason) {
	case ITG_GROUP_REASON_NONE:
		return "none";
	case ITG_GROUP_REASON_NO_EMAIL:
		return "no_email";
	case ITG_GROUP_REASON_BAD_EMAIL:
		return "bad_email";
	case ITG_GROUP_REASON_PUBLIC_DOMAIN:
		return "public_domain";
	case ITG_GROUP_REASON_MSP_DOMAIN:
		return "msp_domain";
	case ITG_GROUP_REASON_NO_ORGANIZATION:
		return "no_organization";
	case ITG_GROUP_REASON_SEVERAL_ORGANIZATIONS:
		return "several_organizations";
	}
	return "?";
}

const char *itg_group_reason_text(enum itg_group_reason reason)
{
	switch (reason) {
	case ITG_GROUP_REASON_NONE:
		return "no failure";
	case ITG_GROUP_REASON_NO_EMAIL:
		return "the group has no customer e-mail address";
	case ITG_GROUP_REASON_BAD_EMAIL:
		return "the group's customer e-mail is not a valid address";
	case ITG_GROUP_REASON_PUBLIC_DOMAIN:
		return "the e-mail domain is a public mail provider's, shared "
		       "by unrelated customers";
	case ITG_GROUP_REASON_MSP_DOMAIN:
		return "the e-mail domain is the MSP's own domain";
	case ITG_GROUP_REASON_NO_ORGANIZATION:
		return "no organization has an important contact with an "
		       "e-mail address in this domain";
	case ITG_GROUP_REASON_SEVERAL_ORGANIZATIONS:
		return "important contacts of several organizations have "
		       "e-mail addresses in this domain";
	}
	return "unknown reason";
}

/* ---- Systems -> configurations --------------------------------------- */

/* One identifying MAC of a configuration. Sorted by MAC, organization,
 * active before archived, then configuration id, so that a lookup reads the
 * configurations of one MAC, organization and class in id order. The MAC
 * comes first because it nearly always decides: comparing two integers,
 * not two organization ids, is what sorting 200,000 of them costs. */
struct mac_entry {
	const char *org_id;
	uint64_t mac;
	bool archived;
	const char *config_id;
	size_t config;
};

static int mac_entry_cmp(const void *a, const void *b)
{
	const struct mac_entry *x = a, *y = b;
	int c;

	if (x->mac != y->mac)
		return x->mac < y->mac ? -1 : 1;
	c = strcmp(x->org_id, y->org_id);
	if (c != 0)
		return c;
	if (x->archived != y->archived)
		return x->archived ? 1 : -1;
	return id_cmp(x->config_id, y->config_id);
}

/* A configuration, by id. */
struct config_ref {
	const char *id;
	size_t index;
};

static int config_ref_cmp(const void *a, const void *b)
{
	const struct config_ref *x = a, *y = b;

	return id_cmp(x->id, y->id);
}

/* A configuration that one of a system's MACs found. */
struct hit {
	size_t config;
	const char *config_id;
	uint64_t mac;
};

/* A system that wants a configuration. */
struct want {
	size_t system;
	int64_t system_id;
	size_t config;
	bool holds; /* its automatic mapping already is that configuration */
};

/* Everything one run of the system rules looks things up in. */
struct system_run {
	const struct itg_system_map_input *in;
	struct config_ref *configs_by_id;
	int64_t *system_ids; /* sorted */
	struct mac_entry *macs;
	size_t n_macs;
	struct itg_map_link *group_orgs;
	struct itg_map_link *existing;
	struct itg_map_exclusion *exclusions;
	bool *held;       /* per config: kept by a mapping not re-evaluated */
	int64_t *held_by; /* per config: by which system */
	struct hit *hits; /* scratch, hits_cap entries */
	size_t hits_cap;
	uint64_t *usable;   /* scratch: one system's MACs */
	struct want *wants; /* at most one per system */
	size_t n_wants;
	struct pool pool;
	size_t *offsets; /* per result, into pool */
};

/* A configuration often lists one MAC twice (its own and its primary
 * interface's): keep each (organization, MAC, configuration) once. */
static int dedupe_macs(struct system_run *run)
{
	size_t kept = 0;

	for (size_t i = 0; i < run->n_macs; i++) {
		if (kept > 0 &&
		    mac_entry_cmp(&run->macs[kept - 1], &run->macs[i]) == 0)
			continue;
		run->macs[kept++] = run->macs[i];
	}
	run->n_macs = kept;
	return 0;
}

static int index_configs(struct system_run *run, char *err, size_t errsize)
{
	const struct itg_system_map_input *in = run->in;
	size_t total = 0;

	for (size_t i = 0; i < in->n_configs; i++) {
		const struct itg_map_config *c = &in->configs[i];

		if (c->id == NULL || c->organization_id == NULL) {
			itg_errf(err, errsize,
			         "configuration %zu has no id or organization",
			         i);
			return XDR_EINVAL;
		}
		if (check_array(c->macs, c->n_macs, "configuration MACs", err,
		                errsize) != 0)
			return XDR_EINVAL;
		if (c->n_macs > SIZE_MAX - total)
			goto nomem;
		total += c->n_macs;
	}
	run->configs_by_id =
	        alloc_array(in->n_configs, sizeof(*run->configs_by_id));
	run->macs = alloc_array(total, sizeof(*run->macs));
	if (run->configs_by_id == NULL || run->macs == NULL)
		goto nomem;
	for (size_t i = 0; i < in->n_configs; i++) {
		run->configs_by_id[i].id = in->configs[i].id;
		run->configs_by_id[i].index = i;
	}
	qsort(run->configs_by_id, in->n_configs, sizeof(*run->configs_by_id),
	      config_ref_cmp);
	for (size_t i = 1; i < in->n_configs; i++) {
		if (strcmp(run->configs_by_id[i].id,
		           run->configs_by_id[i - 1].id) == 0) {
			itg_errf(err, errsize,
			         "configurations: id %s is there twice",
			         run->configs_by_id[i].id);
			return XDR_EINVAL;
		}
	}

	for (size_t i = 0; i < in->n_configs; i++) {
		const struct itg_map_config *c = &in->configs[i];

		for (size_t j = 0; j < c->n_macs; j++) {
			struct mac_entry *e = &run->macs[run->n_macs];
			uint64_t mac;

			if (itg_mac_identifying_value(c->macs[j], &mac) != 0)
				continue;
			e->org_id = c->organization_id;
			e->mac = mac;
			e->archived = c->archived;
			e->config_id = c->id;
			e->config = i;
			run->n_macs++;
		}
	}
	qsort(run->macs, run->n_macs, sizeof(*run->macs), mac_entry_cmp);
	return dedupe_macs(run);

nomem:
	itg_errf(err, errsize, "out of memory");
	return XDR_ENOMEM;
}

/* The index of the configuration of that id, or SIZE_MAX. */
static size_t find_config(const struct system_run *run, const char *id)
{
	struct config_ref key = {.id = id};
	const struct config_ref *r;

	if (run->in->n_configs == 0)
		return SIZE_MAX;
	r = bsearch(&key, run->configs_by_id, run->in->n_configs,
	            sizeof(*run->configs_by_id), config_ref_cmp);
	return r != NULL ? r->index : SIZE_MAX;
}

static bool has_system(const struct system_run *run, int64_t id)
{
	return run->in->n_systems > 0 &&
	       bsearch(&id, run->system_ids, run->in->n_systems,
	               sizeof(int64_t), int64_ptr_cmp) != NULL;
}

static int check_systems(struct system_run *run, char *err, size_t errsize)
{
	const struct itg_system_map_input *in = run->in;
	size_t most_macs = 0;

	if (check_array(in->systems, in->n_systems, "systems", err, errsize) ||
	    check_array(in->configs, in->n_configs, "configurations", err,
	                errsize))
		return XDR_EINVAL;
	for (size_t i = 0; i < in->n_systems; i++) {
		const struct itg_map_system *s = &in->systems[i];

		if (check_array(s->macs, s->n_macs, "system MACs", err,
		                errsize) != 0)
			return XDR_EINVAL;
		if (s->n_macs > most_macs)
			most_macs = s->n_macs;
	}
	run->system_ids = alloc_array(in->n_systems, sizeof(int64_t));
	run->usable = alloc_array(most_macs, sizeof(*run->usable));
	run->wants = alloc_array(in->n_systems, sizeof(*run->wants));
	if (run->system_ids == NULL || run->usable == NULL ||
	    run->wants == NULL) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	for (size_t i = 0; i < in->n_systems; i++)
		run->system_ids[i] = in->systems[i].id;
	return sort_unique_ids(run->system_ids, in->n_systems, "systems", err,
	                       errsize);
}

/*
 * Configurations kept by mappings this run does not re-evaluate: manual
 * ones, and those of systems not in the input. In system id order, so that
 * of two such mappings of one configuration (which the store should never
 * hold) the smaller system id is the holder.
 */
static int mark_held(struct system_run *run, char *err, size_t errsize)
{
	const struct itg_system_map_input *in = run->in;

	run->held = alloc_array(in->n_configs, sizeof(*run->held));
	run->held_by = alloc_array(in->n_configs, sizeof(*run->held_by));
	if (run->held == NULL || run->held_by == NULL) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	for (size_t i = 0; i < in->n_existing; i++) {
		const struct itg_map_link *l = &run->existing[i];
		size_t c;

		if (!l->manual && has_system(run, l->host_id))
			continue;
		c = find_config(run, l->itg_id);
		if (c != SIZE_MAX && !run->held[c]) {
			run->held[c] = true;
			run->held_by[c] = l->host_id;
		}
	}
	return 0;
}

static int grow_hits(struct system_run *run, size_t need)
{
	struct hit *h;
	size_t cap = run->hits_cap > 0 ? run->hits_cap : 16;

	if (need <= run->hits_cap)
		return 0;
	while (cap < need) {
		if (cap > SIZE_MAX / 2 / sizeof(*h))
			return XDR_ENOMEM;
		cap *= 2;
	}
	h = realloc(run->hits, cap * sizeof(*h));
	if (h == NULL)
		return XDR_ENOMEM;
	run->hits = h;
	run->hits_cap = cap;
	return 0;
}

/* The first entry not before KEY. */
static size_t lower_bound_mac(const struct system_run *run,
                              const struct mac_entry *key)
{
	size_t lo = 0, hi = run->n_macs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (mac_entry_cmp(&run->macs[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Append to run->hits the configurations of ORG, of one class (active or
 * archived), that have MAC: at most ITG_MAP_CANDIDATES_MAX + 1 of them, the
 * smallest ids; *cut is set when there were more.
 */
static int find_class_hits(struct system_run *run, const char *org,
                           uint64_t mac, bool archived, size_t *n_hits,
                           bool *cut)
{
	struct mac_entry key = {.org_id = org,
	                        .mac = mac,
	                        .archived = archived,
	                        .config_id = ""};
	size_t i = lower_bound_mac(run, &key), taken = 0;

	for (; i < run->n_macs && run->macs[i].mac == mac &&
	       run->macs[i].archived == archived &&
	       strcmp(run->macs[i].org_id, org) == 0;
	     i++) {
		struct hit *h;

		if (taken == ITG_MAP_CANDIDATES_MAX + 1) {
			*cut = true;
			break;
		}
		if (grow_hits(run, *n_hits + 1) != 0)
			return XDR_ENOMEM;
		h = &run->hits[(*n_hits)++];
		h->config = run->macs[i].config;
		h->config_id = run->macs[i].config_id;
		h->mac = mac;
		taken++;
	}
	return 0;
}

/* Every (configuration, MAC) of ORG that one of the N MACs finds, into
 * run->hits (bounded per MAC and class); cut[0] for active, cut[1] for
 * archived configurations left out. */
static int find_hits(struct system_run *run, const char *org,
                     const uint64_t *macs, size_t n, size_t *n_hits,
                     bool cut[2])
{
	*n_hits = 0;
	cut[0] = cut[1] = false;
	for (size_t i = 0; i < n; i++) {
		if (find_class_hits(run, org, macs[i], false, n_hits,
		                    &cut[0]) != 0 ||
		    find_class_hits(run, org, macs[i], true, n_hits, &cut[1]) !=
		            0)
			return XDR_ENOMEM;
	}
	return 0;
}

/* Keep the hits of active configurations, or of archived ones when no
 * active configuration was hit. */
static size_t choose_hits(struct system_run *run, size_t n, bool *archived)
{
	const struct itg_map_config *configs = run->in->configs;
	size_t kept = 0, active = 0;

	for (size_t i = 0; i < n; i++)
		active += !configs[run->hits[i].config].archived;
	*archived = active == 0;
	for (size_t i = 0; i < n; i++) {
		if (configs[run->hits[i].config].archived == *archived)
			run->hits[kept++] = run->hits[i];
	}
	return kept;
}

static int hit_mac_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->mac != y->mac)
		return x->mac < y->mac ? -1 : 1;
	return id_cmp(x->config_id, y->config_id);
}

static int hit_config_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	int c = id_cmp(x->config_id, y->config_id);

	if (c != 0)
		return c;
	return x->mac < y->mac ? -1 : x->mac > y->mac;
}

/* Of N hits, the smallest MAC found on two configurations, else the
 * smallest MAC: the one a SEVERAL_CONFIGURATIONS result names. */
static uint64_t shared_mac(struct system_run *run, size_t n)
{
	qsort(run->hits, n, sizeof(*run->hits), hit_mac_cmp);
	for (size_t i = 1; i < n; i++) {
		if (run->hits[i].mac == run->hits[i - 1].mac &&
		    run->hits[i].config != run->hits[i - 1].config)
			return run->hits[i].mac;
	}
	return run->hits[0].mac;
}

/* One hit per configuration (its smallest MAC), sorted by id. */
static size_t unique_configs(struct system_run *run, size_t n)
{
	size_t kept = 0;

	qsort(run->hits, n, sizeof(*run->hits), hit_config_cmp);
	for (size_t i = 0; i < n; i++) {
		if (kept == 0 ||
		    run->hits[kept - 1].config != run->hits[i].config)
			run->hits[kept++] = run->hits[i];
	}
	return kept;
}

static void mac_text(uint64_t v, char out[ITG_MAC_CANON_SIZE])
{
	snprintf(out, ITG_MAC_CANON_SIZE, "%012" PRIx64, v);
}

static int add_config_candidate(struct system_run *run,
                                struct itg_system_result *r, size_t config)
{
	const struct itg_map_config *c = &run->in->configs[config];

	r->n_candidates++;
	return pool_add(&run->pool, c->id, c->name, c->archived);
}

/* The system's identifying MACs into run->usable; returns how many. */
static size_t usable_macs(struct system_run *run,
                          const struct itg_map_system *s)
{
	size_t n = 0;

	for (size_t j = 0; j < s->n_macs; j++)
		if (itg_mac_identifying_value(s->macs[j], &run->usable[n]) == 0)
			n++;
	return n;
}

/* Steps 3-4 of the rules for system I, whose group maps to ORG: a reason,
 * EXCLUDED, or a want. */
static int match_system(struct system_run *run, size_t i, const char *org,
                        const struct itg_map_link *link,
                        struct itg_system_result *r)
{
	const struct itg_map_system *s = &run->in->systems[i];
	size_t n_usable, n_hits, kept;
	bool cut[2];
	struct want *w;

	n_usable = usable_macs(run, s);
	if (n_usable == 0) {
		bool none = true;

		for (size_t j = 0; j < s->n_macs; j++)
			none = none && s->macs[j] == NULL;
		r->reason = none ? ITG_SYSTEM_REASON_NO_MAC
		                 : ITG_SYSTEM_REASON_NO_USABLE_MAC;
		return 0;
	}
	if (find_hits(run, org, run->usable, n_usable, &n_hits, cut) != 0)
		return XDR_ENOMEM;
	if (n_hits == 0) {
		mac_text(run->usable[0], r->mac);
		r->reason = ITG_SYSTEM_REASON_NOT_FOUND;
		return 0;
	}
	kept = choose_hits(run, n_hits, &r->archived);
	mac_text(shared_mac(run, kept), r->mac);
	kept = unique_configs(run, kept);
	if (kept > 1) {
		r->candidates_cut = kept > ITG_MAP_CANDIDATES_MAX ||
		                    cut[r->archived ? 1 : 0];
		if (kept > ITG_MAP_CANDIDATES_MAX)
			kept = ITG_MAP_CANDIDATES_MAX;
		r->archived = false;
		r->reason = ITG_SYSTEM_REASON_SEVERAL_CONFIGURATIONS;
		for (size_t j = 0; j < kept; j++) {
			if (add_config_candidate(run, r, run->hits[j].config) !=
			    0)
				return XDR_ENOMEM;
		}
		return 0;
	}
	mac_text(run->hits[0].mac, r->mac);
	if (is_excluded(run->exclusions, run->in->n_exclusions, s->id,
	                run->hits[0].config_id)) {
		r->outcome = ITG_SYSTEM_EXCLUDED;
		r->archived = false;
		return add_config_candidate(run, r, run->hits[0].config);
	}
	w = &run->wants[run->n_wants++];
	w->system = i;
	w->system_id = s->id;
	w->config = run->hits[0].config;
	w->holds =
	        link != NULL && same_id(link->itg_id, run->hits[0].config_id);
	return 0;
}

static int want_cmp(const void *a, const void *b)
{
	const struct want *x = a, *y = b;

	if (x->config != y->config)
		return x->config < y->config ? -1 : 1;
	if (x->holds != y->holds)
		return x->holds ? -1 : 1;
	return int64_cmp(x->system_id, y->system_id);
}

/* Step 5: each wanted configuration to one system, the others TAKEN. */
static int resolve_wants(struct system_run *run,
                         struct itg_system_result *results)
{
	qsort(run->wants, run->n_wants, sizeof(*run->wants), want_cmp);
	for (size_t i = 0; i < run->n_wants; i++) {
		const struct want *w = &run->wants[i];
		struct itg_system_result *r = &results[w->system];
		bool first = i == 0 || run->wants[i - 1].config != w->config;

		run->offsets[w->system] = run->pool.n;
		if (add_config_candidate(run, r, w->config) != 0)
			return XDR_ENOMEM;
		if (first && !run->held[w->config]) {
			r->outcome = ITG_SYSTEM_MAPPED;
			r->configuration_id = run->in->configs[w->config].id;
			run->held[w->config] = true;
			run->held_by[w->config] = w->system_id;
			continue;
		}
		r->archived = false;
		r->reason = ITG_SYSTEM_REASON_CONFIGURATION_TAKEN;
		r->taken_by = run->held_by[w->config];
	}
	return 0;
}

/* Steps 1-4 for every system, in input order. */
static int match_systems(struct system_run *run,
                         struct itg_system_result *results)
{
	const struct itg_system_map_input *in = run->in;

	for (size_t i = 0; i < in->n_systems; i++) {
		const struct itg_map_system *s = &in->systems[i];
		struct itg_system_result *r = &results[i];
		const struct itg_map_link *link =
		        find_link(run->existing, in->n_existing, s->id);
		const struct itg_map_link *group = find_link(
		        run->group_orgs, in->n_group_orgs, s->group_id);

		r->system_id = s->id;
		r->outcome = ITG_SYSTEM_FAILED;
		run->offsets[i] = run->pool.n;
		if (link != NULL && link->manual) {
			r->outcome = ITG_SYSTEM_KEPT_MANUAL;
			r->configuration_id = link->itg_id;
			continue;
		}
		r->previous_configuration_id =
		        link != NULL ? link->itg_id : NULL;
		if (group == NULL) {
			r->outcome = ITG_SYSTEM_GROUP_UNMAPPED;
			continue;
		}
		if (match_system(run, i, group->itg_id, link, r) != 0)
			return XDR_ENOMEM;
	}
	return 0;
}

/* After step 5: what is left of FAILED, and what changed. */
static void finish_systems(struct system_run *run, struct itg_system_map *out)
{
	for (size_t i = 0; i < out->n; i++) {
		struct itg_system_result *r = &out->results[i];

		if (r->outcome == ITG_SYSTEM_FAILED &&
		    run->in->systems[i].sensor != XDR_SENSOR_AGENT)
			r->outcome = ITG_SYSTEM_NEEDS_MANUAL;
		if (r->outcome != ITG_SYSTEM_KEPT_MANUAL)
			r->changed = !same_id(r->previous_configuration_id,
			                      r->configuration_id);
		r->candidates = r->n_candidates > 0
		                        ? out->pool_ + run->offsets[i]
		                        : NULL;
	}
}

static int run_systems(struct system_run *run, struct itg_system_map *out,
                       char *err, size_t errsize)
{
	const struct itg_system_map_input *in = run->in;
	int rc;

	rc = check_systems(run, err, errsize);
	if (rc == 0)
		rc = index_configs(run, err, errsize);
	if (rc == 0)
		rc = sort_links(in->group_orgs, in->n_group_orgs,
		                "group organizations", &run->group_orgs, err,
		                errsize);
	if (rc == 0)
		rc = sort_links(in->existing, in->n_existing,
		                "existing system mappings", &run->existing, err,
		                errsize);
	if (rc == 0)
		rc = sort_exclusions(in->exclusions, in->n_exclusions,
		                     &run->exclusions, err, errsize);
	if (rc == 0)
		rc = mark_held(run, err, errsize);
	if (rc != 0)
		return rc;

	out->results = alloc_array(in->n_systems, sizeof(*out->results));
	run->offsets = alloc_array(in->n_systems, sizeof(*run->offsets));
	if (out->results == NULL || run->offsets == NULL ||
	    match_systems(run, out->results) != 0 ||
	    resolve_wants(run, out->results) != 0) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	out->n = in->n_systems;
	out->pool_ = run->pool.items;
	run->pool.items = NULL;
	finish_systems(run, out);
	return 0;
}

int itg_map_systems(const struct itg_system_map_input *in,
                    struct itg_system_map *out, char *err, size_t errsize)
{
	struct system_run run = {.in = in};
	int rc;

	if (out == NULL)
		return XDR_EINVAL;
	memset(out, 0, sizeof(*out));
	if (in == NULL) {
		itg_errf(err, errsize, "no input");
		return XDR_EINVAL;
	}
	rc = run_systems(&run, out, err, errsize);
	free(run.configs_by_id);
	free(run.system_ids);
	free(run.macs);
	free(run.group_orgs);
	free(run.existing);
	free(run.exclusions);
	free(run.held);
	free(run.held_by);
	free(run.hits);
	free(run.usable);
	free(run.wants);
	free(run.pool.items);
	free(run.offsets);
	if (rc != 0)
		itg_system_map_clear(out);
	return rc;
}

void itg_system_map_clear(struct itg_system_map *map)
{
	if (map == NULL)
		return;
	free(map->results);
	free(map->pool_);
	memset(map, 0, sizeof(*map));
}

const char *itg_system_outcome_name(enum itg_system_outcome outcome)
{
	switch (outcome) {
	case ITG_SYSTEM_MAPPED:
		return "mapped";
	case ITG_SYSTEM_KEPT_MANUAL:
		return "kept_manual";
	case ITG_SYSTEM_EXCLUDED:
		return "excluded";
	case ITG_SYSTEM_NEEDS_MANUAL:
		return "needs_manual";
	case ITG_SYSTEM_GROUP_UNMAPPED:
		return "group_unmapped";
	case ITG_SYSTEM_FAILED:
		return "failed";
	}
	return "?";
}

const char *itg_system_reason_name(enum itg_system_reason reason)
{
	switch (reason) {
	case ITG_SYSTEM_REASON_NONE:
		return "none";
	case ITG_SYSTEM_REASON_NO_MAC:
		return "no_mac";
	case ITG_SYSTEM_REASON_NO_USABLE_MAC:
		return "no_usable_mac";
	case ITG_SYSTEM_REASON_NOT_FOUND:
		return "not_found";
	case ITG_SYSTEM_REASON_SEVERAL_CONFIGURATIONS:
		return "several_configurations";
	case ITG_SYSTEM_REASON_CONFIGURATION_TAKEN:
		return "configuration_taken";
	}
	return "?";
}

const char *itg_system_reason_text(enum itg_system_reason reason)
{
	switch (reason) {
	case ITG_SYSTEM_REASON_NONE:
		return "no failure";
	case ITG_SYSTEM_REASON_NO_MAC:
		return "the system has no MAC address";
	case ITG_SYSTEM_REASON_NO_USABLE_MAC:
		return "none of the system's MAC addresses identifies it (they "
		       "are malformed, or shared by many machines)";
	case ITG_SYSTEM_REASON_NOT_FOUND:
		return "no configuration of the group's organization has any "
		       "of the system's MAC addresses";
	case ITG_SYSTEM_REASON_SEVERAL_CONFIGURATIONS:
		return "the system's MAC addresses are on several "
		       "configurations";
	case ITG_SYSTEM_REASON_CONFIGURATION_TAKEN:
		return "the matching configuration is already mapped to "
		       "another system";
	}
	return "unknown reason";
}
