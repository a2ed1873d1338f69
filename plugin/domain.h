/*
 * domain.h - e-mail domains and public mail providers (pure: no I/O).
 *
 * A group is matched to an organization by the domain of its customer
 * e-mail. A domain shared by countless unrelated customers (gmail.com) or
 * the MSP's own domain says nothing about whose group it is, so such domains
 * never auto-map: itg_domain_is_public() tells them apart, from a shipped
 * list the administrator may extend and trim.
 */
#ifndef ITG_DOMAIN_H
#define ITG_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>

/* Longest domain name (253) and its NUL, rounded up. */
#define ITG_DOMAIN_MAX 256

/*
 * The domain of the address EMAIL, as a span of EMAIL itself (not copied,
 * not lower-cased): the part after the last '@', spaces and tabs around the
 * address and one trailing dot ("acme.com.") left out.
 *
 * Refused with XDR_EINVAL: NULL, no '@', an empty local part, a domain that
 * is empty, longer than 253 bytes, without a dot, with an empty label
 * ("a..com", ".acme.com") or a label over 63 bytes, or with anything but
 * letters, digits, '-' and non-ASCII characters (UTF-8 names: well-formed,
 * without C1 controls or the Unicode line separators) in its labels.
 * Spaces inside the address are refused too.
 */
int itg_email_domain_span(const char *email, const char **start, size_t *len);

/*
 * The lower-cased domain of EMAIL (rules above) into OUT (SIZE bytes).
 * Returns 0, XDR_EINVAL (not an address; OUT set to "" when SIZE > 0) or
 * XDR_ERANGE (OUT too small; ITG_DOMAIN_MAX is always enough).
 */
int itg_email_domain(const char *email, char *out, size_t size);

/*
 * Does DOMAIN name the same domain as OTHER? ASCII case is ignored, and so
 * is one trailing dot on either and one leading '@' on OTHER (so that a list
 * typed as "@acme.com" works).
 */
bool itg_domain_equal(const char *domain, const char *other);

/* The administrator's changes to the shipped list of public providers. */
struct itg_public_domains {
	const char *const *extra; /* also public (n_extra entries) */
	size_t n_extra;
	const char *const *not_public; /* removed from the shipped list */
	size_t n_not_public;
};

/*
 * Is DOMAIN a public mail provider? True when it is in CFG's extra list, or
 * in the shipped list and not in CFG's not_public list (compared with
 * itg_domain_equal: exact domains, no subdomains). CFG may be NULL for the
 * shipped list alone; NULL entries in its lists are skipped.
 */
bool itg_domain_is_public(const char *domain,
                          const struct itg_public_domains *cfg);

/* The shipped list, for showing it: COUNT entries, lower-case, sorted. */
size_t itg_public_domain_count(void);
const char *itg_public_domain_at(size_t i);

#endif /* ITG_DOMAIN_H */
