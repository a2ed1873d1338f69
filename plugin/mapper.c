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

/*
 * Sorting. The MAC index holds one entry per configuration MAC (200,000 on a
 * large instance), and qsort of it and of the configurations by id was most
 * of a run. The big sorts therefore go in two steps: a radix sort on a
 * 64-bit key that decides nearly every comparison (mac_key(); an id's length
 * and first bytes), then qsort with the full comparison on each run of equal
 * keys, which are few and short. The result is exactly the comparison's
 * order.
 */

/* Item ITEM of some array, with its sort key. */
struct keyed {
	uint64_t key;
	size_t item;
};

/*
 * Sort the N keyed items A by key, TMP having room for N more: a stable
 * radix sort, one byte at a time from the lowest, skipping the bytes that
 * are the same in every key.
 */
static void radix_sort(struct keyed *a, struct keyed *tmp, size_t n)
{
	struct keyed *from = a, *to = tmp;

	for (unsigned shift = 0; shift < 64 && n > 0; shift += 8) {
		size_t count[256] = {0}, at = 0;

		for (size_t i = 0; i < n; i++)
			count[(from[i].key >> shift) & 0xff]++;
		if (count[(from[0].key >> shift) & 0xff] == n)
			continue;
		for (size_t d = 0; d < 256; d++) {
			size_t c = count[d];

			count[d] = at;
			at += c;
		}
		for (size_t i = 0; i < n; i++)
			to[count[(from[i].key >> shift) & 0xff]++] = from[i];
		to = from;
		from = from == a ? tmp : a;
	}
	if (from != a)
		memcpy(a, from, n * sizeof(*a));
}

/* radix_sort(), with its scratch array. */
static int sort_keyed(struct keyed *a, size_t n)
{
	struct keyed *tmp = alloc_array(n, sizeof(*tmp));

	if (tmp == NULL)
		return XDR_ENOMEM;
	radix_sort(a, tmp, n);
	free(tmp);
	return 0;
}

/*
 * The N items of BASE (SIZE bytes each) are in the order of the N KEYS,
 * sorted by sort_keyed: put each run of items with equal keys in CMP's
 * order, CMP being an order that agrees with the keys where they differ.
 */
static void sort_ties(void *base, size_t n, size_t size,
                      const struct keyed *keys,
                      int (*cmp)(const void *, const void *))
{
	size_t end;

	for (size_t i = 0; i < n; i = end) {
		for (end = i + 1; end < n && keys[end].key == keys[i].key;
		     end++)
			continue;
		if (end - i > 1)
			qsort((char *)base + i * size, end - i, size, cmp);
	}
}

/*
 * One identifying MAC of a configuration. Sorted by key (which orders MACs,
 * see mac_key()), organization, active before archived, then configuration
 * id, so that a lookup reads the configurations of one MAC, organization
 * and class in id order.
 *
 * The organization and the configuration are ranks: their places in
 * run->orgs and run->configs_by_id, which are sorted by id, so that ordering
 * ranks orders ids and sorting and searching the index compare integers,
 * never strings.
 */
struct mac_entry {
	uint64_t key;  /* mac_key() of the MAC */
	size_t org;    /* rank in run->orgs */
	bool archived; /* the configuration is archived */
	size_t config; /* rank in run->configs_by_id */
};

/*
 * The index is cut in buckets by a hash of the MAC, and the key puts the
 * bucket above the MAC's 48 bits, so that the entries sort by bucket, then
 * by MAC. A lookup reads where its bucket starts in a small table
 * (run->bucket_starts), then searches the few entries of the bucket: a
 * binary search of the whole index took a cache miss per halving, and that
 * was most of what a system cost. The hash (Fibonacci hashing: the top bits
 * of a product by 2^64 / phi) spreads MACs evenly even when they share a
 * vendor prefix. BITS, at most 16, is the bucket number's size.
 */
static uint64_t mac_key(uint64_t mac, unsigned bits)
{
	uint64_t bucket = (mac * UINT64_C(0x9e3779b97f4a7c15)) >> (64 - bits);

	return bucket << 48 | mac;
}

static size_t key_bucket(uint64_t key)
{
	return (size_t)(key >> 48);
}

static uint64_t key_mac(uint64_t key)
{
	return key & UINT64_C(0xffffffffffff);
}

static int mac_entry_cmp(const void *a, const void *b)
{
	const struct mac_entry *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->org != y->org)
		return x->org < y->org ? -1 : 1;
	if (x->archived != y->archived)
		return x->archived ? 1 : -1;
	return x->config < y->config ? -1 : x->config > y->config;
}

/* A configuration, by id; KEY is id_key(id). */
struct config_ref {
	uint64_t key;
	const char *id;
	size_t index;
};

/*
 * A key that orders ids as id_cmp does, as far as it goes: the length in
 * the top byte, the first 7 bytes below it (NUL-padded, big-endian, so
 * that among ids of one length a smaller key is a smaller strcmp). Ids that
 * share it are ordered by config_ref_cmp. Ids of 255 bytes or more all get
 * one key: a byte cannot tell their lengths apart.
 */
static uint64_t id_key(const char *id)
{
	size_t len = strlen(id);
	uint64_t key = len;

	if (len >= 255)
		return UINT64_C(255) << 56;
	for (size_t i = 0; i < 7; i++)
		key = key << 8 | (i < len ? (unsigned char)id[i] : 0);
	return key;
}

/* id_cmp, on the keys first. */
static int config_ref_cmp(const void *a, const void *b)
{
	const struct config_ref *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return id_cmp(x->id, y->id);
}

/* A configuration that one of a system's MACs found. */
struct hit {
	size_t config; /* index in the input */
	size_t rank;   /* rank in run->configs_by_id: its id's order */
	uint64_t mac;
	bool archived; /* the configuration is archived */
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
	const char **orgs; /* the configurations' organization ids, sorted */
	size_t n_orgs;
	int64_t *system_ids; /* sorted */
	struct mac_entry *macs;
	size_t n_macs;
	unsigned bucket_bits;  /* see mac_key() */
	size_t *bucket_starts; /* per bucket, and one past the last: where its
	                          entries start in macs */
	struct itg_map_link *group_orgs;
	size_t *group_org_ranks; /* per group_orgs: rank in orgs, or SIZE_MAX */
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

/* Refuse configurations without id or organization; *TOTAL: their MACs. */
static int check_configs(const struct itg_system_map_input *in, size_t *total,
                         char *err, size_t errsize)
{
	*total = 0;
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
		if (c->n_macs > SIZE_MAX - *total) {
			itg_errf(err, errsize, "out of memory");
			return XDR_ENOMEM;
		}
		*total += c->n_macs;
	}
	return 0;
}

/* run->configs_by_id: every configuration, sorted by id. */
static int sort_configs(struct system_run *run)
{
	const struct itg_system_map_input *in = run->in;
	size_t n = in->n_configs;
	struct keyed *keys = alloc_array(n, sizeof(*keys));
	struct config_ref *refs = alloc_array(n, sizeof(*refs));

	run->configs_by_id = refs;
	if (keys == NULL || refs == NULL)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		keys[i].key = id_key(in->configs[i].id);
		keys[i].item = i;
	}
	if (sort_keyed(keys, n) != 0)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		refs[i].key = keys[i].key;
		refs[i].id = in->configs[keys[i].item].id;
		refs[i].index = keys[i].item;
	}
	sort_ties(refs, n, sizeof(*refs), keys, config_ref_cmp);
	free(keys);
	return 0;

nomem:
	free(keys);
	return XDR_ENOMEM;
}

/* Refuse two configurations with one id. */
static int check_config_ids(const struct system_run *run, char *err,
                            size_t errsize)
{
	const struct config_ref *refs = run->configs_by_id;

	for (size_t i = 1; i < run->in->n_configs; i++) {
		if (config_ref_cmp(&refs[i], &refs[i - 1]) == 0) {
			itg_errf(err, errsize,
			         "configurations: id %s is there twice",
			         refs[i].id);
			return XDR_EINVAL;
		}
	}
	return 0;
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The rank of organization ORG in run->orgs, or SIZE_MAX when no
 * configuration belongs to it. */
static size_t org_rank(const struct system_run *run, const char *org)
{
	const char **r;

	if (run->n_orgs == 0)
		return SIZE_MAX;
	r = bsearch(&org, run->orgs, run->n_orgs, sizeof(*run->orgs),
	            str_ptr_cmp);
	return r != NULL ? (size_t)(r - run->orgs) : SIZE_MAX;
}

/* Configuration I has the organization of configuration I - 1. */
static bool same_org_as_previous(const struct itg_system_map_input *in,
                                 size_t i)
{
	return i > 0 && strcmp(in->configs[i].organization_id,
	                       in->configs[i - 1].organization_id) == 0;
}

/*
 * The configurations' distinct organization ids into run->orgs, sorted.
 * The configurations of one organization usually come together (IT Glue
 * lists them per organization), so one with its predecessor's organization
 * is skipped, and what is sorted is about one id per organization.
 */
static int rank_orgs(struct system_run *run)
{
	const struct itg_system_map_input *in = run->in;
	size_t kept = 0;

	run->orgs = alloc_array(in->n_configs, sizeof(*run->orgs));
	if (run->orgs == NULL)
		return XDR_ENOMEM;
	for (size_t i = 0; i < in->n_configs; i++) {
		if (!same_org_as_previous(in, i))
			run->orgs[run->n_orgs++] =
			        in->configs[i].organization_id;
	}
	qsort(run->orgs, run->n_orgs, sizeof(*run->orgs), str_ptr_cmp);
	for (size_t i = 0; i < run->n_orgs; i++) {
		if (kept == 0 || strcmp(run->orgs[kept - 1], run->orgs[i]) != 0)
			run->orgs[kept++] = run->orgs[i];
	}
	run->n_orgs = kept;
	return 0;
}

/* Where a configuration's MAC entries sort: its ranks. */
struct config_ranks {
	size_t config; /* in run->configs_by_id */
	size_t org;    /* in run->orgs */
};

/* Per configuration (by input index), its ranks; NULL when out of
 * memory. */
static struct config_ranks *rank_configs(const struct system_run *run)
{
	const struct itg_system_map_input *in = run->in;
	struct config_ranks *ranks = alloc_array(in->n_configs, sizeof(*ranks));

	if (ranks == NULL)
		return NULL;
	for (size_t r = 0; r < in->n_configs; r++)
		ranks[run->configs_by_id[r].index].config = r;
	for (size_t i = 0; i < in->n_configs; i++) {
		/* Runs of one organization: look its rank up once. */
		ranks[i].org =
		        same_org_as_previous(in, i)
		                ? ranks[i - 1].org
		                : org_rank(run, in->configs[i].organization_id);
	}
	return ranks;
}

/* Every identifying MAC of every configuration into KEYS (room for all of
 * them), keyed by MAC, the item being the configuration; returns how
 * many. */
static size_t config_macs(const struct itg_system_map_input *in,
                          struct keyed *keys)
{
	size_t n = 0;

	for (size_t i = 0; i < in->n_configs; i++) {
		const struct itg_map_config *c = &in->configs[i];

		for (size_t j = 0; j < c->n_macs; j++) {
			if (itg_mac_identifying_value(c->macs[j],
			                              &keys[n].key) == 0)
				keys[n++].item = i;
		}
	}
	return n;
}

/* A configuration often lists one MAC twice (its own and its primary
 * interface's): keep each (organization, MAC, configuration) once. */
static void dedupe_macs(struct system_run *run)
{
	size_t kept = 0;

	for (size_t i = 0; i < run->n_macs; i++) {
		if (kept > 0 &&
		    mac_entry_cmp(&run->macs[kept - 1], &run->macs[i]) == 0)
			continue;
		run->macs[kept++] = run->macs[i];
	}
	run->n_macs = kept;
}

/* Buckets for N entries: about one per entry, from 2 to 2^16 (the key has
 * 16 bits above the MAC). */
static unsigned bucket_bits_for(size_t n)
{
	unsigned bits = 1;

	while (bits < 16 && ((size_t)1 << bits) < n)
		bits++;
	return bits;
}

/* run->bucket_starts, for the sorted index. */
static int find_buckets(struct system_run *run)
{
	size_t n = (size_t)1 << run->bucket_bits, at = 0;

	run->bucket_starts = alloc_array(n + 1, sizeof(*run->bucket_starts));
	if (run->bucket_starts == NULL)
		return XDR_ENOMEM;
	for (size_t b = 0; b <= n; b++) {
		while (at < run->n_macs && key_bucket(run->macs[at].key) < b)
			at++;
		run->bucket_starts[b] = at;
	}
	return 0;
}

/* run->macs: the index of the configurations' TOTAL MACs (some of which
 * identify nothing and are left out). */
static int index_macs(struct system_run *run, size_t total)
{
	const struct itg_system_map_input *in = run->in;
	struct keyed *keys = alloc_array(total, sizeof(*keys));
	struct config_ranks *ranks = NULL;
	size_t n;

	run->macs = alloc_array(total, sizeof(*run->macs));
	if (keys == NULL || run->macs == NULL)
		goto nomem;
	n = config_macs(in, keys);
	run->bucket_bits = bucket_bits_for(n);
	for (size_t i = 0; i < n; i++)
		keys[i].key = mac_key(keys[i].key, run->bucket_bits);
	if (sort_keyed(keys, n) != 0 || (ranks = rank_configs(run)) == NULL)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		struct mac_entry *e = &run->macs[i];
		size_t c = keys[i].item;

		e->key = keys[i].key;
		e->org = ranks[c].org;
		e->archived = in->configs[c].archived;
		e->config = ranks[c].config;
	}
	run->n_macs = n;
	sort_ties(run->macs, n, sizeof(*run->macs), keys, mac_entry_cmp);
	dedupe_macs(run);
	free(keys);
	free(ranks);
	return find_buckets(run);

nomem:
	free(keys);
	free(ranks);
	return XDR_ENOMEM;
}

static int index_configs(struct system_run *run, char *err, size_t errsize)
{
	size_t total;
	int rc = check_configs(run->in, &total, err, errsize);

	if (rc != 0)
		return rc;
	if (sort_configs(run) != 0)
		goto nomem;
	rc = check_config_ids(run, err, errsize);
	if (rc != 0)
		return rc;
	if (rank_orgs(run) != 0 || index_macs(run, total) != 0)
		goto nomem;
	return 0;

nomem:
	itg_errf(err, errsize, "out of memory");
	return XDR_ENOMEM;
}

/* The index of the configuration of that id, or SIZE_MAX. */
static size_t find_config(const struct system_run *run, const char *id)
{
	struct config_ref key = {.key = id_key(id), .id = id};
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

/* Each group's organization as a rank, looked up once for all its
 * systems. */
static int rank_group_orgs(struct system_run *run, char *err, size_t errsize)
{
	size_t n = run->in->n_group_orgs;

	run->group_org_ranks = alloc_array(n, sizeof(*run->group_org_ranks));
	if (run->group_org_ranks == NULL) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		run->group_org_ranks[i] =
		        org_rank(run, run->group_orgs[i].itg_id);
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

/* The first entry not before KEY: a binary search of KEY's bucket. */
static size_t lower_bound_mac(const struct system_run *run,
                              const struct mac_entry *key)
{
	size_t lo = run->bucket_starts[key_bucket(key->key)];
	size_t hi = run->bucket_starts[key_bucket(key->key) + 1];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (mac_entry_cmp(&run->macs[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Entry E is of KEY's MAC, organization and class (active or archived). */
static bool same_class(const struct mac_entry *e, const struct mac_entry *key)
{
	return e->key == key->key && e->org == key->org &&
	       e->archived == key->archived;
}

/*
 * Append to run->hits the configurations of KEY's class read from
 * run->macs[*at], the first entry of that class if it has any: at most
 * ITG_MAP_CANDIDATES_MAX + 1 of them, the smallest ids; *cut is set when
 * there were more. *at is left after the entries read.
 */
static int take_class(struct system_run *run, const struct mac_entry *key,
                      size_t *at, size_t *n_hits, bool *cut)
{
	size_t taken = 0;

	for (; *at < run->n_macs && same_class(&run->macs[*at], key); (*at)++) {
		struct hit *h;

		if (taken == ITG_MAP_CANDIDATES_MAX + 1) {
			*cut = true;
			break;
		}
		if (grow_hits(run, *n_hits + 1) != 0)
			return XDR_ENOMEM;
		h = &run->hits[(*n_hits)++];
		h->rank = run->macs[*at].config;
		h->config = run->configs_by_id[h->rank].index;
		h->mac = key_mac(key->key);
		h->archived = key->archived;
		taken++;
	}
	return 0;
}

/*
 * Append to run->hits the configurations of organization ORG (a rank) that
 * have MAC, active ones then archived ones (bounded per class as
 * take_class); cut[0] and cut[1] as find_hits. The archived class follows
 * the active one in the index, so one search finds both, unless the active
 * one was cut short.
 */
static int find_mac_hits(struct system_run *run, size_t org, uint64_t mac,
                         size_t *n_hits, bool cut[2])
{
	/* config 0: before every configuration of the class */
	struct mac_entry key = {.key = mac_key(mac, run->bucket_bits),
	                        .org = org,
	                        .archived = false,
	                        .config = 0};
	size_t at = lower_bound_mac(run, &key);
	bool active_cut = false;

	if (take_class(run, &key, &at, n_hits, &active_cut) != 0)
		return XDR_ENOMEM;
	key.archived = true;
	if (active_cut) {
		cut[0] = true;
		at = lower_bound_mac(run, &key);
	}
	return take_class(run, &key, &at, n_hits, &cut[1]);
}

/* Every (configuration, MAC) of organization ORG (a rank) that one of the N
 * MACs finds, into run->hits (bounded per MAC and class); cut[0] for
 * active, cut[1] for archived configurations left out. */
static int find_hits(struct system_run *run, size_t org, const uint64_t *macs,
                     size_t n, size_t *n_hits, bool cut[2])
{
	*n_hits = 0;
	cut[0] = cut[1] = false;
	for (size_t i = 0; i < n; i++) {
		if (find_mac_hits(run, org, macs[i], n_hits, cut) != 0)
			return XDR_ENOMEM;
	}
	return 0;
}

/* Keep the hits of active configurations, or of archived ones when no
 * active configuration was hit. */
static size_t choose_hits(struct system_run *run, size_t n, bool *archived)
{
	size_t kept = 0, active = 0;

	for (size_t i = 0; i < n; i++)
		active += !run->hits[i].archived;
	*archived = active == 0;
	for (size_t i = 0; i < n; i++) {
		if (run->hits[i].archived == *archived)
			run->hits[kept++] = run->hits[i];
	}
	return kept;
}

static int hit_mac_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->mac != y->mac)
		return x->mac < y->mac ? -1 : 1;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static int hit_config_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
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

/* Steps 3-4 of the rules for system I, whose group maps to organization
 * ORG (a rank): a reason, EXCLUDED, or a want. */
static int match_system(struct system_run *run, size_t i, size_t org,
                        const struct itg_map_link *link,
                        struct itg_system_result *r)
{
	const struct itg_map_system *s = &run->in->systems[i];
	size_t n_usable, n_hits, kept;
	bool cut[2];
	const char *config_id;
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
		itg_mac_from_value(run->usable[0], r->mac);
		r->reason = ITG_SYSTEM_REASON_NOT_FOUND;
		return 0;
	}
	kept = choose_hits(run, n_hits, &r->archived);
	itg_mac_from_value(shared_mac(run, kept), r->mac);
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
	itg_mac_from_value(run->hits[0].mac, r->mac);
	config_id = run->in->configs[run->hits[0].config].id;
	if (is_excluded(run->exclusions, run->in->n_exclusions, s->id,
	                config_id)) {
		r->outcome = ITG_SYSTEM_EXCLUDED;
		r->archived = false;
		return add_config_candidate(run, r, run->hits[0].config);
	}
	w = &run->wants[run->n_wants++];
	w->system = i;
	w->system_id = s->id;
	w->config = run->hits[0].config;
	w->holds = link != NULL && same_id(link->itg_id, config_id);
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

/* Sort run->wants by want_cmp: by configuration with sort_keyed, then the
 * systems that want one configuration by the rest. */
static int sort_wants(struct system_run *run)
{
	size_t n = run->n_wants;
	struct keyed *keys = alloc_array(n, sizeof(*keys));
	struct want *sorted = alloc_array(n, sizeof(*sorted));

	if (keys == NULL || sorted == NULL)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		keys[i].key = run->wants[i].config;
		keys[i].item = i;
	}
	if (sort_keyed(keys, n) != 0)
		goto nomem;
	for (size_t i = 0; i < n; i++)
		sorted[i] = run->wants[keys[i].item];
	sort_ties(sorted, n, sizeof(*sorted), keys, want_cmp);
	free(run->wants);
	run->wants = sorted;
	free(keys);
	return 0;

nomem:
	free(keys);
	free(sorted);
	return XDR_ENOMEM;
}

/* Step 5: each wanted configuration to one system, the others TAKEN. */
static int resolve_wants(struct system_run *run,
                         struct itg_system_result *results)
{
	if (sort_wants(run) != 0)
		return XDR_ENOMEM;
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
		if (match_system(run, i,
		                 run->group_org_ranks[group - run->group_orgs],
		                 link, r) != 0)
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
		rc = rank_group_orgs(run, err, errsize);
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
	free(run.orgs);
	free(run.group_org_ranks);
	free(run.system_ids);
	free(run.macs);
	free(run.bucket_starts);
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
