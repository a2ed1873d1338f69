/*
 * automap_incr.c - the rules of the incremental auto-map (pure).
 */
#include <config.h>

#include "automap_incr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xdr/plugin.h>

#include "civil.h"

/* N digits at S as a number; false when one is not a digit. */
static bool digits(const char *s, int n, int *out)
{
	*out = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*out = *out * 10 + (s[i] - '0');
	}
	return true;
}

int itg_automap_time_ms(const char *t, int64_t *ms)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	int y, mo, d, h, mi, s, oh = 0, om = 0, frac = 0, scale = 100;
	int64_t sign = 0;
	size_t i = 19;

	if (t == NULL || strlen(t) < 20 || !digits(t, 4, &y) || t[4] != '-' ||
	    !digits(t + 5, 2, &mo) || t[7] != '-' || !digits(t + 8, 2, &d) ||
	    (t[10] != 'T' && t[10] != 't' && t[10] != ' ') ||
	    !digits(t + 11, 2, &h) || t[13] != ':' || !digits(t + 14, 2, &mi) ||
	    t[16] != ':' || !digits(t + 17, 2, &s))
		return XDR_EINVAL;
	if (t[i] == '.') {
		if (t[++i] < '0' || t[i] > '9')
			return XDR_EINVAL;
		for (; t[i] >= '0' && t[i] <= '9'; i++) {
			frac += (t[i] - '0') * scale;
			scale /= 10;
		}
	}
	if ((t[i] == 'Z' || t[i] == 'z') && t[i + 1] == '\0')
		sign = 0;
	else if ((t[i] == '+' || t[i] == '-') && strlen(t + i) == 6 &&
	         digits(t + i + 1, 2, &oh) && t[i + 3] == ':' &&
	         digits(t + i + 4, 2, &om) && oh < 24 && om < 60)
		sign = t[i] == '-' ? -1 : 1;
	else
		return XDR_EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400))) ||
	    h > 23 || mi > 59 || s > 60)
		return XDR_EINVAL;
	*ms = ((itg_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	        s) -
	       sign * (oh * 3600 + om * 60)) *
	              1000 +
	      frac;
	return 0;
}

const char *itg_automap_newer(const char *a, const char *b)
{
	int64_t x, y;

	if (itg_automap_time_ms(a, &x) != 0)
		return b;
	if (itg_automap_time_ms(b, &y) != 0)
		return a;
	return y > x ? b : a;
}

enum itg_automap_full_reason
itg_automap_decide(const struct itg_automap_decision_input *in)
{
	if (in->some_groups)
		return ITG_FULL_GROUPS;
	if (in->asked_full)
		return ITG_FULL_ASKED;
	if (!in->recorded || in->mark == NULL)
		return ITG_FULL_NO_MARK;
	if (in->source == NULL || in->now_source == NULL ||
	    strcmp(in->source, in->now_source) != 0)
		return ITG_FULL_SOURCE;
	if (in->full_pass_hours <= 0)
		return ITG_FULL_ALWAYS;
	if (in->now < in->full_at ||
	    in->now - in->full_at >= in->full_pass_hours * 3600)
		return ITG_FULL_DUE;
	return ITG_FULL_NONE;
}

const char *itg_automap_full_reason_name(enum itg_automap_full_reason r)
{
	switch (r) {
	case ITG_FULL_NONE:
		return "";
	case ITG_FULL_GROUPS:
		return "groups";
	case ITG_FULL_ASKED:
		return "asked";
	case ITG_FULL_NO_MARK:
		return "no_mark";
	case ITG_FULL_SOURCE:
		return "source_changed";
	case ITG_FULL_ALWAYS:
		return "always";
	case ITG_FULL_DUE:
		return "due";
	case ITG_FULL_NOT_SORTED:
		return "not_sorted";
	}
	return "?";
}

int itg_automap_cursor_init(struct itg_automap_cursor *c, const char *mark,
                            int64_t overlap_ms, int64_t slack_s)
{
	int64_t ms;

	memset(c, 0, sizeof(*c));
	if (itg_automap_time_ms(mark, &ms) != 0)
		return XDR_EINVAL;
	c->stop_below_ms = ms - overlap_ms - (slack_s > 0 ? slack_s : 0) * 1000;
	return 0;
}

enum itg_automap_verdict itg_automap_page_verdict(struct itg_automap_cursor *c,
                                                  const char *const *updated,
                                                  size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t ms;

		if (itg_automap_time_ms(updated[i], &ms) != 0 ||
		    (c->seen && ms > c->last_ms))
			return ITG_PAGE_NOT_SORTED;
		if (!c->seen || ms > c->newest_ms) {
			c->newest_ms = ms;
			snprintf(c->newest, sizeof(c->newest), "%s",
			         updated[i]);
		}
		c->seen = true;
		c->last_ms = ms;
	}
	if (n == 0 || c->last_ms < c->stop_below_ms)
		return ITG_PAGE_LAST;
	return ITG_PAGE_GO_ON;
}

bool itg_automap_org_in(const char *const *orgs, size_t n, const char *org)
{
	size_t lo = 0, hi = n;

	while (org != NULL && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(org, orgs[mid]);

		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* qsort() takes no context: the records being sorted, for by_id(). */
struct order {
	const struct itg_map_config *const *changed;
	size_t index;
};

static int by_id(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	int c = strcmp(x->changed[x->index]->id, y->changed[y->index]->id);

	/* One id read twice: the first read ranks first. */
	if (c != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

int itg_automap_merge_plan(const struct itg_map_config *const *changed,
                           size_t n, const char *const *orgs, size_t n_orgs,
                           struct itg_automap_merge *plan)
{
	struct order *o;

	memset(plan, 0, sizeof(*plan));
	plan->changed = changed;
	for (size_t i = 0; i < n; i++) {
		if (changed[i] == NULL || changed[i]->id == NULL)
			return XDR_EINVAL;
	}
	o = calloc(n + 1, sizeof(*o));
	plan->first = calloc(n + 1, sizeof(*plan->first));
	plan->kept = calloc(n + 1, sizeof(*plan->kept));
	if (o == NULL || plan->first == NULL || plan->kept == NULL) {
		free(o);
		itg_automap_merge_clear(plan);
		return XDR_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		o[i] = (struct order){changed, i};
	qsort(o, n, sizeof(*o), by_id);
	for (size_t i = 0; i < n; i++) {
		const struct itg_map_config *c = changed[o[i].index];

		if (i > 0 && strcmp(changed[o[i - 1].index]->id, c->id) == 0)
			continue;
		plan->first[plan->n] = o[i].index;
		plan->kept[plan->n++] =
		        itg_automap_org_in(orgs, n_orgs, c->organization_id);
	}
	free(o);
	return 0;
}

bool itg_automap_merge_hides(const struct itg_automap_merge *plan,
                             const char *id)
{
	size_t lo = 0, hi = plan->n;

	while (id != NULL && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, plan->changed[plan->first[mid]]->id);

		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

void itg_automap_merge_clear(struct itg_automap_merge *plan)
{
	free(plan->first);
	free(plan->kept);
	memset(plan, 0, sizeof(*plan));
}
