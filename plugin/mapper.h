/*
 * mapper.h - the auto-map rules (pure: no I/O, no store, no host).
 *
 * Two steps, each a function from plain arrays to one result per input
 * record, in input order:
 *
 *   itg_map_groups()   Open XDR groups  -> IT Glue organizations
 *   itg_map_systems()  Open XDR systems -> IT Glue configurations
 *
 * The caller (the auto-map job) gathers the inputs, runs the groups, feeds
 * the groups' outcome to the systems, then applies every result whose
 * `changed` is true (delete `previous_*` if not NULL, store the new id as an
 * automatic mapping if not NULL), and emits event 4018 for every group result
 * and 4019 for every system result whose outcome is FAILED.
 *
 * The rules, shared by both steps:
 *   - Manual mappings always win: a record with a manual mapping is
 *     KEPT_MANUAL and nothing else about it is looked at.
 *   - Automatic mappings follow the data: every run recomputes them. When
 *     the data now points elsewhere the mapping moves; when it points
 *     nowhere the mapping is dropped (the result says why). The caller must
 *     therefore run a step only with complete data (every contact, every
 *     configuration of the organizations concerned), never after a failed
 *     fetch.
 *   - Exclusions are pairs an administrator un-mapped by hand. When the one
 *     match of a record is an excluded pair the outcome is EXCLUDED and
 *     nothing is mapped: an exclusion never promotes another candidate (an
 *     ambiguous match stays a failure, an excluded active configuration
 *     does not fall back to an archived one).
 *   - Ids are IT Glue's, as strings, compared exactly.
 *
 * Ownership: the inputs are borrowed and must outlive the results, whose
 * string pointers (organization_id, candidates, ...) point into them. The
 * results are owned by the caller: clear them with itg_group_map_clear() /
 * itg_system_map_clear().
 *
 * Cost: O((g + c) log c) for g groups and c contact e-mails; O((s + m) log m)
 * for s systems and m configuration MACs (sorted indexes and binary search;
 * each lookup reads at most ITG_MAP_CANDIDATES_MAX + 1 records per class,
 * so nothing is quadratic, even when one MAC is on thousands of
 * configurations). Memory is linear in the inputs.
 */
#ifndef ITG_MAPPER_H
#define ITG_MAPPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xdr/plugin.h>

#include "domain.h"
#include "jsonapi.h"
#include "mac.h"

/* ---- Shared ---------------------------------------------------------- */

/* A mapping that exists before the run: host record -> IT Glue id. */
struct itg_map_link {
	int64_t host_id;    /* group or system id */
	const char *itg_id; /* organization or configuration id */
	bool manual;        /* made by an administrator */
};

/* A pair an administrator removed by hand: never auto-mapped again (until
 * a run with reset exclusions, which passes none). */
struct itg_map_exclusion {
	int64_t host_id;
	const char *itg_id;
};

/*
 * Candidates a result lists, at most. A domain or a MAC found on more than
 * this many records is ambiguous whatever they are, and listing them all for
 * every group or system that has it would cost (records x records).
 */
#define ITG_MAP_CANDIDATES_MAX 16

/* An organization or configuration a result names. Borrowed from the
 * input. */
struct itg_map_candidate {
	const char *id;
	const char *name; /* NULL when the input had none */
	bool archived;    /* configurations: it is archived */
};

/*
 * CANDIDATES (N of them) as one line for an event or a log:
 * "Acme (12), Beta Ltd (34, archived)", or the bare id without a name.
 * Returns 0, or XDR_ERANGE when the list did not fit and was cut (the text
 * then ends with "... (N more)" if room allows; still NUL-terminated),
 * XDR_EINVAL for a NULL or empty BUF, or XDR_ENOMEM.
 */
int itg_map_candidates_text(const struct itg_map_candidate *candidates,
                            size_t n, char *buf, size_t size);

/*
 * MACS (N of them, as recorded) as one line: each canonical one as
 * "aa:bb:cc:dd:ee:ff", a malformed one quoted as given, joined by ", ";
 * "" for none. Return values as itg_map_candidates_text().
 */
int itg_map_macs_text(const char *const *macs, size_t n, char *buf,
                      size_t size);

/* ---- Groups -> organizations ----------------------------------------- */

/* A group the instance serves (only those are passed). */
struct itg_map_group {
	int64_t id;
	const char *name;
	const char *email; /* the customer e-mail, NULL or "" when none */
};

/* One IT Glue contact. Only contacts with important == ITG_TRI_TRUE count
 * (null is not important). NULL and malformed e-mails are skipped. */
struct itg_map_contact {
	const char *id; /* IT Glue's; not read by the rules */
	const char *organization_id;
	const char *organization_name; /* NULL when unknown */
	enum itg_tristate important;
	const char *const *emails; /* every contact-emails[].value */
	size_t n_emails;
};

struct itg_map_group_rules {
	/* The MSP's own domains: never auto-mapped (compared with
	 * itg_domain_equal). */
	const char *const *msp_domains;
	size_t n_msp_domains;
	/* Changes to the shipped list of public mail providers. */
	struct itg_public_domains public_domains;
};

struct itg_group_map_input {
	const struct itg_map_group *groups; /* unique ids */
	size_t n_groups;
	const struct itg_map_contact *contacts; /* of every organization */
	size_t n_contacts;
	const struct itg_map_link *existing; /* group -> organization, at
	                                        most one per group */
	size_t n_existing;
	const struct itg_map_exclusion *exclusions; /* group, organization */
	size_t n_exclusions;
	struct itg_map_group_rules rules;
};

enum itg_group_outcome {
	ITG_GROUP_MAPPED = 1,  /* automatically, to organization_id */
	ITG_GROUP_KEPT_MANUAL, /* untouched manual mapping, organization_id */
	ITG_GROUP_EXCLUDED,    /* the one match is an excluded pair */
	ITG_GROUP_FAILED       /* not mapped: event 4018 with the reason */
};

enum itg_group_reason {
	ITG_GROUP_REASON_NONE = 0,
	ITG_GROUP_REASON_NO_EMAIL,      /* the group has no customer e-mail */
	ITG_GROUP_REASON_BAD_EMAIL,     /* not an address (itg_email_domain) */
	ITG_GROUP_REASON_PUBLIC_DOMAIN, /* gmail.com and the like */
	ITG_GROUP_REASON_MSP_DOMAIN,    /* the MSP's own domain */
	ITG_GROUP_REASON_NO_ORGANIZATION,      /* no important contact has it */
	ITG_GROUP_REASON_SEVERAL_ORGANIZATIONS /* candidates lists them */
};

struct itg_group_result {
	int64_t group_id;
	enum itg_group_outcome outcome;
	enum itg_group_reason reason; /* NONE unless FAILED */
	/* The e-mail's domain, lower-case; "" when there is none or the
	 * mapping is manual. */
	char domain[ITG_DOMAIN_MAX];
	/* The organization after the run (MAPPED, KEPT_MANUAL), else NULL. */
	const char *organization_id;
	/* The automatic mapping before the run, or NULL (none, or manual). */
	const char *previous_organization_id;
	/* The caller must write: previous_organization_id and
	 * organization_id differ (an automatic mapping appears, moves or
	 * goes). Never true for KEPT_MANUAL. */
	bool changed;
	/* MAPPED: the organization; EXCLUDED: the excluded one;
	 * SEVERAL_ORGANIZATIONS: every one, sorted by id (at most
	 * ITG_MAP_CANDIDATES_MAX; candidates_cut when there were more);
	 * else none. */
	const struct itg_map_candidate *candidates;
	size_t n_candidates;
	bool candidates_cut;
};

struct itg_group_map {
	struct itg_group_result *results; /* n, in the input's order */
	size_t n;
	struct itg_map_candidate *pool_; /* private: what candidates use */
};

/*
 * The rules for groups, for each group in turn:
 *   1. a manual mapping: KEPT_MANUAL;
 *   2. no e-mail: NO_EMAIL; not an address: BAD_EMAIL;
 *   3. the domain (lower-cased) is an MSP domain: MSP_DOMAIN; a public
 *      mail provider: PUBLIC_DOMAIN;
 *   4. the organizations with an important contact having an e-mail in
 *      that domain (exact domain, any case): none: NO_ORGANIZATION;
 *      several: SEVERAL_ORGANIZATIONS; one, excluded for this group:
 *      EXCLUDED; one: MAPPED.
 * Many groups may map to one organization.
 *
 * Returns 0 with *out filled; XDR_EINVAL (a NULL array with a count, a NULL
 * id, two groups or two existing mappings with one group id) or
 * XDR_ENOMEM with a one-line reason in err and *out empty. Clear *out with
 * itg_group_map_clear() in every case.
 */
int itg_map_groups(const struct itg_group_map_input *in,
                   struct itg_group_map *out, char *err, size_t errsize);

void itg_group_map_clear(struct itg_group_map *map);

/* "mapped", "kept_manual", "excluded", "failed" (stable, for the store). */
const char *itg_group_outcome_name(enum itg_group_outcome outcome);
/* "none", "no_email", "bad_email", "public_domain", "msp_domain",
 * "no_organization", "several_organizations" (stable, for the store). */
const char *itg_group_reason_name(enum itg_group_reason reason);
/* One sentence for event 4018's reason, e.g. "important contacts of several
 * organizations have e-mail addresses in this domain". */
const char *itg_group_reason_text(enum itg_group_reason reason);

/* ---- Systems -> configurations --------------------------------------- */

/* One IT Glue configuration. */
struct itg_map_config {
	const char *id; /* unique */
	const char *organization_id;
	const char *name; /* NULL when unknown */
	bool archived;
	/* Its own mac-address and each of its interfaces' mac-address, as
	 * IT Glue holds them (any notation; NULL and malformed ones are
	 * skipped). */
	const char *const *macs;
	size_t n_macs;
};

/* One system of a group the instance serves. */
struct itg_map_system {
	int64_t id; /* unique */
	const char *name;
	int64_t group_id;
	enum xdr_sensor sensor;
	const char *const *macs; /* as the host recorded them, any notation */
	size_t n_macs;
};

struct itg_system_map_input {
	const struct itg_map_system *systems;
	size_t n_systems;
	const struct itg_map_config *configs; /* of the mapped organizations */
	size_t n_configs;
	/*
	 * The organization of each mapped group after the group step (every
	 * group result with a non-NULL organization_id; `manual` is not
	 * read): host_id = group id, itg_id = organization id. At most one
	 * per group.
	 */
	const struct itg_map_link *group_orgs;
	size_t n_group_orgs;
	/*
	 * Every system -> configuration mapping of the instance, at most one
	 * per system, including those of systems not in `systems`: those
	 * keep their configuration, like manual mappings do.
	 */
	const struct itg_map_link *existing;
	size_t n_existing;
	const struct itg_map_exclusion *exclusions; /* system, configuration */
	size_t n_exclusions;
};

enum itg_system_outcome {
	ITG_SYSTEM_MAPPED = 1,  /* automatically, to configuration_id */
	ITG_SYSTEM_KEPT_MANUAL, /* untouched manual mapping */
	ITG_SYSTEM_EXCLUDED,    /* the one match is an excluded pair */
	/* A sensor other than the agent (syslog, other) that did not map
	 * (reason says why): listed for manual mapping, no event. */
	ITG_SYSTEM_NEEDS_MANUAL,
	/* Its group has no organization: not looked at, no event (the group
	 * had its own). */
	ITG_SYSTEM_GROUP_UNMAPPED,
	ITG_SYSTEM_FAILED /* an agent not mapped: event 4019 with the reason */
};

enum itg_system_reason {
	ITG_SYSTEM_REASON_NONE = 0,
	ITG_SYSTEM_REASON_NO_MAC,        /* the system has no MAC at all */
	ITG_SYSTEM_REASON_NO_USABLE_MAC, /* only malformed or ignored MACs */
	ITG_SYSTEM_REASON_NOT_FOUND,     /* no configuration has its MACs */
	ITG_SYSTEM_REASON_SEVERAL_CONFIGURATIONS, /* candidates names them */
	ITG_SYSTEM_REASON_CONFIGURATION_TAKEN     /* taken_by holds it */
};

struct itg_system_result {
	int64_t system_id;
	enum itg_system_outcome outcome;
	/* NONE for MAPPED, KEPT_MANUAL, EXCLUDED, GROUP_UNMAPPED; why it did
	 * not map for FAILED and NEEDS_MANUAL. */
	enum itg_system_reason reason;
	/* Canonical MAC ("" when none): the one that matched (MAPPED,
	 * EXCLUDED, CONFIGURATION_TAKEN), one that is on several
	 * configurations (SEVERAL_CONFIGURATIONS), the first usable one
	 * (NOT_FOUND). For the event's mac field use itg_mac_format(), or
	 * itg_map_macs_text() on the system's MACs when it is "". */
	char mac[ITG_MAC_CANON_SIZE];
	/* MAPPED: no active configuration had the MACs, an archived one
	 * did. */
	bool archived;
	/* The configuration after the run (MAPPED, KEPT_MANUAL), else NULL. */
	const char *configuration_id;
	/* The automatic mapping before the run, or NULL (none, or manual). */
	const char *previous_configuration_id;
	/* previous_configuration_id and configuration_id differ. Never true
	 * for KEPT_MANUAL. */
	bool changed;
	/* CONFIGURATION_TAKEN: the system that holds the configuration. */
	int64_t taken_by;
	/* MAPPED, EXCLUDED, CONFIGURATION_TAKEN: that configuration;
	 * SEVERAL_CONFIGURATIONS: every one, sorted by id (at most
	 * ITG_MAP_CANDIDATES_MAX; candidates_cut when there were more);
	 * else none. */
	const struct itg_map_candidate *candidates;
	size_t n_candidates;
	bool candidates_cut;
};

struct itg_system_map {
	struct itg_system_result *results; /* n, in the input's order */
	size_t n;
	struct itg_map_candidate *pool_; /* private: what candidates use */
};

/*
 * The rules for systems, for each system in turn:
 *   1. a manual mapping: KEPT_MANUAL;
 *   2. its group is not in group_orgs: GROUP_UNMAPPED;
 *   3. its MACs, canonical (itg_mac_canonical), without those that identify
 *      nothing (itg_mac_identifies): none recorded: NO_MAC; none left:
 *      NO_USABLE_MAC;
 *   4. the configurations of the group's organization that have one of
 *      those MACs (own or interface), active ones first and archived ones
 *      only when no active one matches: none: NOT_FOUND; several:
 *      SEVERAL_CONFIGURATIONS; one, excluded for this system: EXCLUDED;
 *      one: wanted;
 *   5. a configuration goes to one system only. One held by a mapping
 *      that is not re-evaluated here (manual, or of a system not in the
 *      input) is taken. Otherwise, of the systems that want it, the one
 *      whose automatic mapping already is that configuration keeps it,
 *      else the smallest system id gets it: MAPPED. The others:
 *      CONFIGURATION_TAKEN.
 * A reason from 3-5 makes an agent FAILED and any other sensor
 * NEEDS_MANUAL.
 *
 * Returns 0 with *out filled; XDR_EINVAL (a NULL array with a count, a NULL
 * id, two systems, configurations, group organizations or existing
 * mappings with one id) or XDR_ENOMEM with a one-line reason in err and *out
 * empty. Clear *out with itg_system_map_clear() in every case.
 */
int itg_map_systems(const struct itg_system_map_input *in,
                    struct itg_system_map *out, char *err, size_t errsize);

void itg_system_map_clear(struct itg_system_map *map);

/* "mapped", "kept_manual", "excluded", "needs_manual", "group_unmapped",
 * "failed" (stable, for the store). */
const char *itg_system_outcome_name(enum itg_system_outcome outcome);
/* "none", "no_mac", "no_usable_mac", "not_found", "several_configurations",
 * "configuration_taken" (stable, for the store). */
const char *itg_system_reason_name(enum itg_system_reason reason);
/* One sentence for event 4019's reason. */
const char *itg_system_reason_text(enum itg_system_reason reason);

#endif /* ITG_MAPPER_H */
