/*
 * test_plugin_mapper.c - the auto-map rules: groups to organizations,
 * systems to configurations.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "mapper.h"

/* ".field = array, .n_field = its length" for a literal list. */
#define LIST(field, type, ...)                                                 \
	.field = (type[]){__VA_ARGS__},                                        \
	.n_##field = sizeof((type[]){__VA_ARGS__}) / sizeof(type)
#define STRS(field, ...) LIST(field, const char *const, __VA_ARGS__)

static struct itg_group_map gm;
static struct itg_system_map sm;
static char err[256];

static int clear_maps(void **state)
{
	(void)state;
	itg_group_map_clear(&gm);
	itg_system_map_clear(&sm);
	return 0;
}

static void map_groups(const struct itg_group_map_input *in)
{
	err[0] = '\0';
	assert_int_equal(itg_map_groups(in, &gm, err, sizeof(err)), 0);
	assert_int_equal(gm.n, in->n_groups);
}

static void map_systems(const struct itg_system_map_input *in)
{
	err[0] = '\0';
	assert_int_equal(itg_map_systems(in, &sm, err, sizeof(err)), 0);
	assert_int_equal(sm.n, in->n_systems);
}

/* ---- Groups ---------------------------------------------------------- */

/* Acme (1) has an important contact at acme.com; Beta (2) at beta.com and
 * at shared.com; Gamma (3) at shared.com; Delta (4) has acme.com only on
 * contacts that are not important. */
static const struct itg_map_contact contacts[] = {
        {.organization_id = "1",
         .organization_name = "Acme",
         .important = ITG_TRI_TRUE,
         STRS(emails, "it@acme.com", "boss@acme.com")},
        {.organization_id = "2",
         .organization_name = "Beta",
         .important = ITG_TRI_TRUE,
         STRS(emails, "ops@Beta.COM", "bob@shared.com")},
        {.organization_id = "3",
         .organization_name = "Gamma",
         .important = ITG_TRI_TRUE,
         STRS(emails, "ann@shared.com", "not an address", NULL)},
        {.organization_id = "4",
         .organization_name = "Delta",
         .important = ITG_TRI_NULL,
         STRS(emails, "x@acme.com", "y@delta.com")},
        {.organization_id = "4",
         .organization_name = "Delta",
         .important = ITG_TRI_FALSE,
         STRS(emails, "z@acme.com", "w@delta.com")},
        {.organization_id = "5",
         .organization_name = "Epsilon",
         .important = ITG_TRI_TRUE,
         STRS(emails, "me@gmail.com", "me@msp.example")},
};

#define N_CONTACTS (sizeof(contacts) / sizeof(*contacts))

static const struct itg_group_result *group_one(const char *email)
{
	struct itg_map_group g = {.id = 7, .name = "G", .email = email};
	struct itg_group_map_input in = {.groups = &g,
	                                 .n_groups = 1,
	                                 .contacts = contacts,
	                                 .n_contacts = N_CONTACTS};

	map_groups(&in);
	return &gm.results[0];
}

static void
test_group_maps_to_the_one_organization_with_its_domain(void **state)
{
	const struct itg_group_result *r = group_one("customer@acme.com");

	(void)state;
	assert_int_equal(r->group_id, 7);
	assert_int_equal(r->outcome, ITG_GROUP_MAPPED);
	assert_int_equal(r->reason, ITG_GROUP_REASON_NONE);
	assert_string_equal(r->organization_id, "1");
	assert_string_equal(r->domain, "acme.com");
	assert_null(r->previous_organization_id);
	assert_true(r->changed);
	assert_int_equal(r->n_candidates, 1);
	assert_string_equal(r->candidates[0].name, "Acme");
}

static void test_group_domain_is_compared_without_case(void **state)
{
	const struct itg_group_result *r = group_one("Customer@BETA.com");

	(void)state;
	assert_int_equal(r->outcome, ITG_GROUP_MAPPED);
	assert_string_equal(r->organization_id, "2");
	assert_string_equal(r->domain, "beta.com");
}

static void test_contacts_not_important_are_not_counted(void **state)
{
	const struct itg_group_result *r = group_one("someone@delta.com");

	(void)state;
	/* Delta's contacts have important null and false. */
	assert_int_equal(r->outcome, ITG_GROUP_FAILED);
	assert_int_equal(r->reason, ITG_GROUP_REASON_NO_ORGANIZATION);
	assert_null(r->organization_id);
	assert_false(r->changed);
}

static void
test_unimportant_contacts_do_not_make_a_domain_ambiguous(void **state)
{
	/* acme.com is also on Delta's null and false contacts. */
	const struct itg_group_result *r = group_one("someone@acme.com");

	(void)state;
	assert_int_equal(r->outcome, ITG_GROUP_MAPPED);
	assert_string_equal(r->organization_id, "1");
}

static void test_domain_in_two_organizations_fails_naming_both(void **state)
{
	const struct itg_group_result *r = group_one("ceo@shared.com");
	char text[128];

	(void)state;
	assert_int_equal(r->outcome, ITG_GROUP_FAILED);
	assert_int_equal(r->reason, ITG_GROUP_REASON_SEVERAL_ORGANIZATIONS);
	assert_null(r->organization_id);
	assert_int_equal(r->n_candidates, 2);
	assert_string_equal(r->candidates[0].id, "2");
	assert_string_equal(r->candidates[1].id, "3");
	assert_int_equal(itg_map_candidates_text(r->candidates, r->n_candidates,
	                                         text, sizeof(text)),
	                 0);
	assert_string_equal(text, "Beta (2), Gamma (3)");
}

static void test_one_organization_with_many_contacts_counts_once(void **state)
{
	/* Acme has it@ and boss@acme.com. */
	const struct itg_group_result *r = group_one("x@acme.com");

	(void)state;
	assert_int_equal(r->outcome, ITG_GROUP_MAPPED);
	assert_int_equal(r->n_candidates, 1);
}

static void test_group_without_email_fails_no_email(void **state)
{
	(void)state;
	assert_int_equal(group_one(NULL)->reason, ITG_GROUP_REASON_NO_EMAIL);
	itg_group_map_clear(&gm);
	assert_int_equal(group_one("")->reason, ITG_GROUP_REASON_NO_EMAIL);
	itg_group_map_clear(&gm);
	assert_int_equal(group_one("  ")->outcome, ITG_GROUP_FAILED);
}

static void test_group_with_malformed_email_fails_bad_email(void **state)
{
	const struct itg_group_result *r = group_one("acme.com");

	(void)state;
	assert_int_equal(r->outcome, ITG_GROUP_FAILED);
	assert_int_equal(r->reason, ITG_GROUP_REASON_BAD_EMAIL);
	assert_string_equal(r->domain, "");
}

static void test_public_provider_domain_never_maps(void **state)
{
	/* Epsilon has an important contact at gmail.com: still refused. */
	const struct itg_group_result *r = group_one("owner@GMail.com");

	(void)state;
	assert_int_equal(r->outcome, ITG_GROUP_FAILED);
	assert_int_equal(r->reason, ITG_GROUP_REASON_PUBLIC_DOMAIN);
	assert_string_equal(r->domain, "gmail.com");
	assert_int_equal(r->n_candidates, 0);
}

static void test_msp_domain_never_maps(void **state)
{
	struct itg_map_group g = {.id = 7, .email = "tech@MSP.example"};
	struct itg_group_map_input in = {
	        .groups = &g,
	        .n_groups = 1,
	        .contacts = contacts,
	        .n_contacts = N_CONTACTS,
	        .rules = {STRS(msp_domains, "msp.example")},
	};

	(void)state;
	map_groups(&in);
	assert_int_equal(gm.results[0].outcome, ITG_GROUP_FAILED);
	assert_int_equal(gm.results[0].reason, ITG_GROUP_REASON_MSP_DOMAIN);
	assert_string_equal(gm.results[0].domain, "msp.example");
}

static void test_public_provider_list_is_configurable(void **state)
{
	struct itg_map_group g[] = {
	        {.id = 1, .email = "a@gmail.com"},
	        {.id = 2, .email = "b@acme.com"},
	};
	struct itg_group_map_input in = {
	        LIST(groups, const struct itg_map_group, g[0], g[1]),
	        .contacts = contacts,
	        .n_contacts = N_CONTACTS,
	        .rules = {.public_domains = {STRS(extra, "acme.com"),
	                                     STRS(not_public, "gmail.com")}},
	};

	(void)state;
	map_groups(&in);
	assert_int_equal(gm.results[0].outcome, ITG_GROUP_MAPPED);
	assert_string_equal(gm.results[0].organization_id, "5");
	assert_int_equal(gm.results[1].outcome, ITG_GROUP_FAILED);
	assert_int_equal(gm.results[1].reason, ITG_GROUP_REASON_PUBLIC_DOMAIN);
}

static void test_many_groups_may_share_one_organization(void **state)
{
	struct itg_map_group g[] = {
	        {.id = 10, .email = "a@acme.com"},
	        {.id = 11, .email = "b@acme.com"},
	};
	struct itg_group_map_input in = {
	        LIST(groups, const struct itg_map_group, g[0], g[1]),
	        .contacts = contacts,
	        .n_contacts = N_CONTACTS,
	};

	(void)state;
	map_groups(&in);
	assert_string_equal(gm.results[0].organization_id, "1");
	assert_string_equal(gm.results[1].organization_id, "1");
}

static void test_manual_group_mapping_is_kept(void **state)
{
	struct itg_map_group g = {.id = 7, .email = "x@acme.com"};
	struct itg_group_map_input in = {
	        .groups = &g,
	        .n_groups = 1,
	        .contacts = contacts,
	        .n_contacts = N_CONTACTS,
	        LIST(existing, const struct itg_map_link,
	             {.host_id = 7, .itg_id = "2", .manual = true}),
	};

	(void)state;
	map_groups(&in);
	assert_int_equal(gm.results[0].outcome, ITG_GROUP_KEPT_MANUAL);
	assert_string_equal(gm.results[0].organization_id, "2");
	assert_null(gm.results[0].previous_organization_id);
	assert_false(gm.results[0].changed);
}

static void test_manual_mapping_wins_even_without_email(void **state)
{
	struct itg_map_group g = {.id = 7, .email = NULL};
	struct itg_group_map_input in = {
	        .groups = &g,
	        .n_groups = 1,
	        LIST(existing, const struct itg_map_link,
	             {.host_id = 7, .itg_id = "9", .manual = true}),
	};

	(void)state;
	map_groups(&in);
	assert_int_equal(gm.results[0].outcome, ITG_GROUP_KEPT_MANUAL);
	assert_int_equal(gm.results[0].reason, ITG_GROUP_REASON_NONE);
}

static void test_excluded_group_pair_is_not_mapped(void **state)
{
	struct itg_map_group g = {.id = 7, .email = "x@acme.com"};
	struct itg_group_map_input in = {
	        .groups = &g,
	        .n_groups = 1,
	        .contacts = contacts,
	        .n_contacts = N_CONTACTS,
	        LIST(exclusions, const struct itg_map_exclusion,
	             {.host_id = 7, .itg_id = "1"}),
	};

	(void)state;
	map_groups(&in);
	assert_int_equal(gm.results[0].outcome, ITG_GROUP_EXCLUDED);
	assert_int_equal(gm.results[0].reason, ITG_GROUP_REASON_NONE);
	assert_null(gm.results[0].organization_id);
	assert_false(gm.results[0].changed);
	assert_int_equal(gm.results[0].n_candidates, 1);
	assert_string_equal(gm.results[0].candidates[0].id, "1");
}

static void test_exclusion_of_another_group_does_not_apply(void **state)
{
	struct itg_map_group g = {.id = 7, .email = "x@acme.com"};
	struct itg_group_map_input in = {
	        .groups = &g,
	        .n_groups = 1,
	        .contacts = contacts,
	        .n_contacts = N_CONTACTS,
	        LIST(exclusions, const struct itg_map_exclusion,
	             {.host_id = 8, .itg_id = "1"},
	             {.host_id = 7, .itg_id = "2"}),
	};

	(void)state;
	map_groups(&in);
	assert_int_equal(gm.results[0].outcome, ITG_GROUP_MAPPED);
}

static void test_exclusion_does_not_pick_another_organization(void **state)
{
	/* shared.com is in Beta and Gamma; excluding Beta does not hand the
	 * group to Gamma. */
	struct itg_map_group g = {.id = 7, .email = "x@shared.com"};
	struct itg_group_map_input in = {
	        .groups = &g,
	        .n_groups = 1,
	        .contacts = contacts,
	        .n_contacts = N_CONTACTS,
	        LIST(exclusions, const struct itg_map_exclusion,
	             {.host_id = 7, .itg_id = "2"}),
	};

	(void)state;
	map_groups(&in);
	assert_int_equal(gm.results[0].outcome, ITG_GROUP_FAILED);
	assert_int_equal(gm.results[0].reason,
	                 ITG_GROUP_REASON_SEVERAL_ORGANIZATIONS);
}

static void test_same_auto_mapping_again_is_not_a_change(void **state)
{
	struct itg_map_group g = {.id = 7, .email = "x@acme.com"};
	struct itg_group_map_input in = {
	        .groups = &g,
	        .n_groups = 1,
	        .contacts = contacts,
	        .n_contacts = N_CONTACTS,
	        LIST(existing, const struct itg_map_link,
	             {.host_id = 7, .itg_id = "1"}),
	};

	(void)state;
	map_groups(&in);
	assert_int_equal(gm.results[0].outcome, ITG_GROUP_MAPPED);
	assert_string_equal(gm.results[0].previous_organization_id, "1");
	assert_false(gm.results[0].changed);
}

static void test_auto_mapping_moves_with_the_data(void **state)
{
	struct itg_map_group g = {.id = 7, .email = "x@acme.com"};
	struct itg_group_map_input in = {
	        .groups = &g,
	        .n_groups = 1,
	        .contacts = contacts,
	        .n_contacts = N_CONTACTS,
	        LIST(existing, const struct itg_map_link,
	             {.host_id = 7, .itg_id = "2"}),
	};

	(void)state;
	map_groups(&in);
	assert_string_equal(gm.results[0].organization_id, "1");
	assert_string_equal(gm.results[0].previous_organization_id, "2");
	assert_true(gm.results[0].changed);
}

static void test_auto_mapping_is_dropped_when_nothing_matches(void **state)
{
	struct itg_map_group g = {.id = 7, .email = "x@gone.com"};
	struct itg_group_map_input in = {
	        .groups = &g,
	        .n_groups = 1,
	        .contacts = contacts,
	        .n_contacts = N_CONTACTS,
	        LIST(existing, const struct itg_map_link,
	             {.host_id = 7, .itg_id = "1"}),
	};

	(void)state;
	map_groups(&in);
	assert_int_equal(gm.results[0].outcome, ITG_GROUP_FAILED);
	assert_null(gm.results[0].organization_id);
	assert_string_equal(gm.results[0].previous_organization_id, "1");
	assert_true(gm.results[0].changed);
}

static void test_group_results_follow_input_order(void **state)
{
	struct itg_map_group g[] = {
	        {.id = 30, .email = "a@beta.com"},
	        {.id = 10, .email = NULL},
	        {.id = 20, .email = "c@acme.com"},
	};
	struct itg_group_map_input in = {
	        LIST(groups, const struct itg_map_group, g[0], g[1], g[2]),
	        .contacts = contacts,
	        .n_contacts = N_CONTACTS,
	};

	(void)state;
	map_groups(&in);
	assert_int_equal(gm.results[0].group_id, 30);
	assert_int_equal(gm.results[1].group_id, 10);
	assert_int_equal(gm.results[2].group_id, 20);
	assert_string_equal(gm.results[0].organization_id, "2");
	assert_null(gm.results[1].candidates);
	assert_string_equal(gm.results[2].organization_id, "1");
}

static void test_no_groups_give_no_results(void **state)
{
	struct itg_group_map_input in = {0};

	(void)state;
	map_groups(&in);
	assert_int_equal(gm.n, 0);
}

static void test_bad_group_inputs_are_refused(void **state)
{
	struct itg_map_group twice[] = {{.id = 1}, {.id = 1}};
	struct itg_map_contact no_org = {.important = ITG_TRI_TRUE};
	struct itg_map_link links[] = {{.host_id = 1, .itg_id = "1"},
	                               {.host_id = 1, .itg_id = "2"}};
	struct itg_group_map_input in = {.n_groups = 1};

	(void)state;
	assert_int_equal(itg_map_groups(&in, &gm, err, sizeof(err)),
	                 XDR_EINVAL);
	assert_int_equal(gm.n, 0);
	assert_null(gm.results);
	in = (struct itg_group_map_input){.groups = twice, .n_groups = 2};
	assert_int_equal(itg_map_groups(&in, &gm, err, sizeof(err)),
	                 XDR_EINVAL);
	assert_string_equal(err, "groups: id 1 is there twice");
	in = (struct itg_group_map_input){.contacts = &no_org, .n_contacts = 1};
	assert_int_equal(itg_map_groups(&in, &gm, err, sizeof(err)),
	                 XDR_EINVAL);
	in = (struct itg_group_map_input){.existing = links, .n_existing = 2};
	assert_int_equal(itg_map_groups(&in, &gm, err, sizeof(err)),
	                 XDR_EINVAL);
	assert_int_equal(itg_map_groups(NULL, &gm, err, sizeof(err)),
	                 XDR_EINVAL);
}

static void test_group_names_and_texts(void **state)
{
	(void)state;
	assert_string_equal(itg_group_outcome_name(ITG_GROUP_KEPT_MANUAL),
	                    "kept_manual");
	assert_string_equal(
	        itg_group_reason_name(ITG_GROUP_REASON_SEVERAL_ORGANIZATIONS),
	        "several_organizations");
	assert_string_equal(
	        itg_group_reason_text(ITG_GROUP_REASON_SEVERAL_ORGANIZATIONS),
	        "important contacts of several organizations have e-mail "
	        "addresses in this domain");
	assert_string_equal(itg_group_reason_text(ITG_GROUP_REASON_MSP_DOMAIN),
	                    "the e-mail domain is the MSP's own domain");
}

/* ---- Systems --------------------------------------------------------- */

/* Group 1 maps to organization "1", group 2 to "2"; group 3 unmapped. */
static const struct itg_map_link group_orgs[] = {
        {.host_id = 1, .itg_id = "1"},
        {.host_id = 2, .itg_id = "2"},
};

static const struct itg_map_config configs[] = {
        {.id = "100",
         .organization_id = "1",
         .name = "ws-100",
         STRS(macs, "18-5E-0F-ED-99-9A")},
        {.id = "101",
         .organization_id = "1",
         .name = "ws-101",
         STRS(macs, "00-00-00-00-00-00", "C4:7A:92:14:3D:78",
              "c47a.9214.3d79")},
        /* A cloned VM: same MAC as 103. */
        {.id = "102",
         .organization_id = "1",
         .name = "clone-a",
         STRS(macs, "aa:aa:aa:00:00:01")},
        {.id = "103",
         .organization_id = "1",
         .name = "clone-b",
         STRS(macs, "AAAAAA000001")},
        /* Retired, and its replacement with the same NIC. */
        {.id = "104",
         .organization_id = "1",
         .name = "old-srv",
         .archived = true,
         STRS(macs, "ba:bb:bb:00:00:01", "ba:bb:bb:00:00:02")},
        {.id = "105",
         .organization_id = "1",
         .name = "new-srv",
         STRS(macs, "ba:bb:bb:00:00:01")},
        /* Only archived ones have these. */
        {.id = "106",
         .organization_id = "1",
         .name = "gone-1",
         .archived = true,
         STRS(macs, "cc:cc:cc:00:00:01")},
        {.id = "107",
         .organization_id = "1",
         .name = "gone-2",
         .archived = true,
         STRS(macs, "cc:cc:cc:00:00:02", "cc:cc:cc:00:00:03")},
        {.id = "108",
         .organization_id = "1",
         .name = "gone-3",
         .archived = true,
         STRS(macs, "cc:cc:cc:00:00:03")},
        /* Shared virtual adapter on a configuration: never matches. */
        {.id = "109",
         .organization_id = "1",
         .name = "laptop",
         STRS(macs, "02-00-4C-4F-4F-50", "d0:dd:dd:00:00:01", NULL, "garbage")},
        /* Own MAC and primary interface's, the same. */
        {.id = "110",
         .organization_id = "1",
         .name = "dup",
         STRS(macs, "0e:00:00:00:00:01", "0E-00-00-00-00-01")},
        /* Another organization with the MAC of 100. */
        {.id = "200",
         .organization_id = "2",
         .name = "other-org",
         STRS(macs, "18:5e:0f:ed:99:9a")},
};

#define N_CONFIGS (sizeof(configs) / sizeof(*configs))

static struct itg_system_map_input
systems_input(const struct itg_map_system *systems, size_t n)
{
	struct itg_system_map_input in = {
	        .systems = systems,
	        .n_systems = n,
	        .configs = configs,
	        .n_configs = N_CONFIGS,
	        .group_orgs = group_orgs,
	        .n_group_orgs = 2,
	};

	return in;
}

static const struct itg_system_result *
system_one(const struct itg_map_system *s)
{
	struct itg_system_map_input in = systems_input(s, 1);

	map_systems(&in);
	return &sm.results[0];
}

static void assert_mapped(const struct itg_system_result *r, const char *id)
{
	assert_int_equal(r->outcome, ITG_SYSTEM_MAPPED);
	assert_int_equal(r->reason, ITG_SYSTEM_REASON_NONE);
	assert_string_equal(r->configuration_id, id);
	assert_int_equal(r->n_candidates, 1);
	assert_string_equal(r->candidates[0].id, id);
}

static void test_system_maps_by_configuration_own_mac(void **state)
{
	struct itg_map_system s = {.id = 1,
	                           .group_id = 1,
	                           .sensor = XDR_SENSOR_AGENT,
	                           STRS(macs, "18:5E:0F:ED:99:9A")};
	const struct itg_system_result *r = system_one(&s);

	(void)state;
	assert_mapped(r, "100");
	assert_string_equal(r->mac, "185e0fed999a");
	assert_false(r->archived);
	assert_true(r->changed);
	assert_string_equal(r->candidates[0].name, "ws-100");
}

static void test_system_maps_by_interface_mac(void **state)
{
	struct itg_map_system s = {.id = 1,
	                           .group_id = 1,
	                           .sensor = XDR_SENSOR_AGENT,
	                           STRS(macs, "c4-7a-92-14-3d-78")};
	const struct itg_system_result *r = system_one(&s);

	(void)state;
	assert_mapped(r, "101");
}

static void test_every_mac_notation_matches(void **state)
{
	static const char *const notations[] = {
	        "18:5e:0f:ed:99:9a", "18-5E-0F-ED-99-9A", "185e.0fed.999a",
	        "185E0FED999A",      "18:5E:0f:Ed:99:9a",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(notations) / sizeof(*notations); i++) {
		struct itg_map_system s = {.id = 1,
		                           .group_id = 1,
		                           .sensor = XDR_SENSOR_AGENT,
		                           .macs = &notations[i],
		                           .n_macs = 1};

		assert_mapped(system_one(&s), "100");
		itg_system_map_clear(&sm);
	}
}

static void test_multi_nic_system_maps_when_one_nic_matches(void **state)
{
	struct itg_map_system s = {
	        .id = 1,
	        .group_id = 1,
	        .sensor = XDR_SENSOR_AGENT,
	        STRS(macs, "00:11:22:33:44:55", "not-a-mac",
	             "C4:7A:92:14:3D:78", "66:77:88:99:aa:bb"),
	};
	const struct itg_system_result *r = system_one(&s);

	(void)state;
	assert_mapped(r, "101");
	assert_string_equal(r->mac, "c47a92143d78");
}

static void test_two_nics_of_one_configuration_map_once(void **state)
{
	struct itg_map_system s = {
	        .id = 1,
	        .group_id = 1,
	        .sensor = XDR_SENSOR_AGENT,
	        STRS(macs, "c4:7a:92:14:3d:79", "C4:7A:92:14:3D:78"),
	};
	const struct itg_system_result *r = system_one(&s);

	(void)state;
	assert_mapped(r, "101");
	assert_string_equal(r->mac, "c47a92143d78");
}

static void test_own_and_interface_mac_alike_count_once(void **state)
{
	struct itg_map_system s = {.id = 1,
	                           .group_id = 1,
	                           .sensor = XDR_SENSOR_AGENT,
	                           STRS(macs, "0e0000000001")};

	(void)state;
	assert_mapped(system_one(&s), "110");
}

static void test_mac_on_two_configurations_fails_naming_both(void **state)
{
	struct itg_map_system s = {.id = 1,
	                           .group_id = 1,
	                           .sensor = XDR_SENSOR_AGENT,
	                           STRS(macs, "aa-aa-aa-00-00-01")};
	const struct itg_system_result *r = system_one(&s);
	char text[128];

	(void)state;
	assert_int_equal(r->outcome, ITG_SYSTEM_FAILED);
	assert_int_equal(r->reason, ITG_SYSTEM_REASON_SEVERAL_CONFIGURATIONS);
	assert_string_equal(r->mac, "aaaaaa000001");
	assert_null(r->configuration_id);
	assert_int_equal(r->n_candidates, 2);
	assert_int_equal(itg_map_candidates_text(r->candidates, r->n_candidates,
	                                         text, sizeof(text)),
	                 0);
	assert_string_equal(text, "clone-a (102), clone-b (103)");
}

static void test_nics_on_two_configurations_fail_several(void **state)
{
	struct itg_map_system s = {
	        .id = 1,
	        .group_id = 1,
	        .sensor = XDR_SENSOR_AGENT,
	        STRS(macs, "c4:7a:92:14:3d:78", "18:5e:0f:ed:99:9a"),
	};
	const struct itg_system_result *r = system_one(&s);

	(void)state;
	assert_int_equal(r->reason, ITG_SYSTEM_REASON_SEVERAL_CONFIGURATIONS);
	assert_int_equal(r->n_candidates, 2);
	assert_string_equal(r->candidates[0].id, "100");
	assert_string_equal(r->candidates[1].id, "101");
}

static void test_system_without_mac_fails_no_mac(void **state)
{
	struct itg_map_system s = {
	        .id = 1, .group_id = 1, .sensor = XDR_SENSOR_AGENT};
	const struct itg_system_result *r = system_one(&s);
	char text[64];

	(void)state;
	assert_int_equal(r->outcome, ITG_SYSTEM_FAILED);
	assert_int_equal(r->reason, ITG_SYSTEM_REASON_NO_MAC);
	assert_string_equal(r->mac, "");
	assert_false(r->changed);
	assert_int_equal(
	        itg_map_macs_text(s.macs, s.n_macs, text, sizeof(text)), 0);
	assert_string_equal(text, "");
}

static void test_ignored_macs_leave_no_usable_mac(void **state)
{
	struct itg_map_system s = {
	        .id = 1,
	        .group_id = 1,
	        .sensor = XDR_SENSOR_AGENT,
	        STRS(macs, "00-00-00-00-00-00", "FF:FF:FF:FF:FF:FF",
	             "01:00:5e:00:00:fb", "02-00-4C-4F-4F-50",
	             "00:50:56:C0:00:08", "18-5E-0F-ED-99-9J"),
	};
	const struct itg_system_result *r = system_one(&s);
	char text[256];

	(void)state;
	assert_int_equal(r->outcome, ITG_SYSTEM_FAILED);
	assert_int_equal(r->reason, ITG_SYSTEM_REASON_NO_USABLE_MAC);
	assert_int_equal(
	        itg_map_macs_text(s.macs, s.n_macs, text, sizeof(text)), 0);
	assert_string_equal(text, "00:00:00:00:00:00, ff:ff:ff:ff:ff:ff, "
	                          "01:00:5e:00:00:fb, 02:00:4c:4f:4f:50, "
	                          "00:50:56:c0:00:08, '18-5E-0F-ED-99-9J'");
}

static void test_zero_mac_on_both_sides_does_not_match(void **state)
{
	/* 101 carries 00-00-00-00-00-00 too (an RMM placeholder). */
	struct itg_map_system s = {
	        .id = 1,
	        .group_id = 1,
	        .sensor = XDR_SENSOR_AGENT,
	        STRS(macs, "00:00:00:00:00:00", "02:00:4c:4f:4f:50")};
	const struct itg_system_result *r = system_one(&s);

	(void)state;
	assert_int_equal(r->reason, ITG_SYSTEM_REASON_NO_USABLE_MAC);
}

static void test_ignored_mac_does_not_join_a_configuration(void **state)
{
	/* 109 has the loopback adapter's MAC and its own; the system shares
	 * only the loopback one plus an unknown NIC. */
	struct itg_map_system s = {
	        .id = 1,
	        .group_id = 1,
	        .sensor = XDR_SENSOR_AGENT,
	        STRS(macs, "02:00:4c:4f:4f:50", "12:34:56:78:9a:bc")};
	const struct itg_system_result *r = system_one(&s);

	(void)state;
	assert_int_equal(r->outcome, ITG_SYSTEM_FAILED);
	assert_int_equal(r->reason, ITG_SYSTEM_REASON_NOT_FOUND);
	assert_string_equal(r->mac, "123456789abc");
}

static void test_unknown_mac_fails_not_found(void **state)
{
	struct itg_map_system s = {.id = 1,
	                           .group_id = 1,
	                           .sensor = XDR_SENSOR_AGENT,
	                           STRS(macs, "de:ad:be:ef:00:01")};
	const struct itg_system_result *r = system_one(&s);

	(void)state;
	assert_int_equal(r->outcome, ITG_SYSTEM_FAILED);
	assert_int_equal(r->reason, ITG_SYSTEM_REASON_NOT_FOUND);
	assert_string_equal(r->mac, "deadbeef0001");
	assert_int_equal(r->n_candidates, 0);
	assert_null(r->candidates);
}

static void
test_configurations_of_other_organizations_do_not_match(void **state)
{
	/* 200 (organization 2) has ws-100's MAC; a system of group 2 maps
	 * to 200 only, one of group 1 to 100 only. */
	struct itg_map_system s[] = {
	        {.id = 1,
	         .group_id = 2,
	         .sensor = XDR_SENSOR_AGENT,
	         STRS(macs, "18:5e:0f:ed:99:9a")},
	        {.id = 2,
	         .group_id = 1,
	         .sensor = XDR_SENSOR_AGENT,
	         STRS(macs, "c4:7a:92:14:3d:78")},
	        {.id = 3,
	         .group_id = 2,
	         .sensor = XDR_SENSOR_AGENT,
	         STRS(macs, "c4:7a:92:14:3d:78")},
	};
	struct itg_system_map_input in = systems_input(s, 3);

	(void)state;
	map_systems(&in);
	assert_mapped(&sm.results[0], "200");
	assert_mapped(&sm.results[1], "101");
	assert_int_equal(sm.results[2].reason, ITG_SYSTEM_REASON_NOT_FOUND);
}

static void test_archived_configuration_matches_only_alone(void **state)
{
	struct itg_map_system s = {.id = 1,
	                           .group_id = 1,
	                           .sensor = XDR_SENSOR_AGENT,
	                           STRS(macs, "cc:cc:cc:00:00:01")};
	const struct itg_system_result *r = system_one(&s);

	(void)state;
	assert_mapped(r, "106");
	assert_true(r->archived);
	assert_true(r->candidates[0].archived);
}

static void test_active_configuration_wins_over_archived(void **state)
{
	/* ba..01 is on archived 104 and active 105; ba..02 on 104 only. */
	struct itg_map_system s = {
	        .id = 1,
	        .group_id = 1,
	        .sensor = XDR_SENSOR_AGENT,
	        STRS(macs, "ba:bb:bb:00:00:02", "ba:bb:bb:00:00:01")};
	const struct itg_system_result *r = system_one(&s);

	(void)state;
	assert_mapped(r, "105");
	assert_false(r->archived);
	assert_string_equal(r->mac, "babbbb000001");
}

static void test_two_archived_configurations_fail_several(void **state)
{
	struct itg_map_system s = {.id = 1,
	                           .group_id = 1,
	                           .sensor = XDR_SENSOR_AGENT,
	                           STRS(macs, "cc:cc:cc:00:00:03")};
	const struct itg_system_result *r = system_one(&s);
	char text[128];

	(void)state;
	assert_int_equal(r->reason, ITG_SYSTEM_REASON_SEVERAL_CONFIGURATIONS);
	assert_false(r->archived);
	assert_int_equal(itg_map_candidates_text(r->candidates, r->n_candidates,
	                                         text, sizeof(text)),
	                 0);
	assert_string_equal(text,
	                    "gone-2 (107, archived), gone-3 (108, archived)");
}

static void test_systems_of_unmapped_groups_are_left_alone(void **state)
{
	struct itg_map_system s[] = {
	        {.id = 1,
	         .group_id = 3,
	         .sensor = XDR_SENSOR_AGENT,
	         STRS(macs, "18:5e:0f:ed:99:9a")},
	        {.id = 2, .group_id = 3, .sensor = XDR_SENSOR_AGENT},
	};
	struct itg_system_map_input in = systems_input(s, 2);

	(void)state;
	in.existing = (const struct itg_map_link[]){
	        {.host_id = 1, .itg_id = "100"},
	};
	in.n_existing = 1;
	map_systems(&in);
	assert_int_equal(sm.results[0].outcome, ITG_SYSTEM_GROUP_UNMAPPED);
	assert_int_equal(sm.results[0].reason, ITG_SYSTEM_REASON_NONE);
	assert_null(sm.results[0].configuration_id);
	/* Its stale automatic mapping goes. */
	assert_string_equal(sm.results[0].previous_configuration_id, "100");
	assert_true(sm.results[0].changed);
	assert_int_equal(sm.results[1].outcome, ITG_SYSTEM_GROUP_UNMAPPED);
	assert_false(sm.results[1].changed);
}

static void test_syslog_without_mac_needs_manual_mapping(void **state)
{
	struct itg_map_system s[] = {
	        {.id = 1, .group_id = 1, .sensor = XDR_SENSOR_SYSLOG},
	        {.id = 2, .group_id = 1, .sensor = XDR_SENSOR_OTHER},
	};
	struct itg_system_map_input in = systems_input(s, 2);

	(void)state;
	map_systems(&in);
	assert_int_equal(sm.results[0].outcome, ITG_SYSTEM_NEEDS_MANUAL);
	assert_int_equal(sm.results[0].reason, ITG_SYSTEM_REASON_NO_MAC);
	assert_int_equal(sm.results[1].outcome, ITG_SYSTEM_NEEDS_MANUAL);
	assert_false(sm.results[0].changed);
}

static void test_sensor_with_a_matching_mac_maps(void **state)
{
	struct itg_map_system s[] = {
	        {.id = 1,
	         .group_id = 1,
	         .sensor = XDR_SENSOR_SYSLOG,
	         STRS(macs, "18:5e:0f:ed:99:9a")},
	        {.id = 2,
	         .group_id = 1,
	         .sensor = XDR_SENSOR_OTHER,
	         STRS(macs, "de:ad:be:ef:00:01")},
	};
	struct itg_system_map_input in = systems_input(s, 2);

	(void)state;
	map_systems(&in);
	assert_mapped(&sm.results[0], "100");
	/* No match: listed for manual mapping, not a failure. */
	assert_int_equal(sm.results[1].outcome, ITG_SYSTEM_NEEDS_MANUAL);
	assert_int_equal(sm.results[1].reason, ITG_SYSTEM_REASON_NOT_FOUND);
}

static void test_manual_system_mapping_is_kept(void **state)
{
	struct itg_map_system s = {.id = 1,
	                           .group_id = 1,
	                           .sensor = XDR_SENSOR_AGENT,
	                           STRS(macs, "18:5e:0f:ed:99:9a")};
	struct itg_system_map_input in = systems_input(&s, 1);

	(void)state;
	in.existing = (const struct itg_map_link[]){
	        {.host_id = 1, .itg_id = "999", .manual = true},
	};
	in.n_existing = 1;
	map_systems(&in);
	assert_int_equal(sm.results[0].outcome, ITG_SYSTEM_KEPT_MANUAL);
	assert_string_equal(sm.results[0].configuration_id, "999");
	assert_null(sm.results[0].previous_configuration_id);
	assert_false(sm.results[0].changed);
}

static void test_manual_mapping_in_an_unmapped_group_is_kept(void **state)
{
	struct itg_map_system s = {
	        .id = 1, .group_id = 3, .sensor = XDR_SENSOR_SYSLOG};
	struct itg_system_map_input in = systems_input(&s, 1);

	(void)state;
	in.existing = (const struct itg_map_link[]){
	        {.host_id = 1, .itg_id = "100", .manual = true},
	};
	in.n_existing = 1;
	map_systems(&in);
	assert_int_equal(sm.results[0].outcome, ITG_SYSTEM_KEPT_MANUAL);
}

static void test_manually_mapped_configuration_is_not_given_away(void **state)
{
	/* System 5 holds 100 by hand; system 1 has 100's MAC. */
	struct itg_map_system s[] = {
	        {.id = 1,
	         .group_id = 1,
	         .sensor = XDR_SENSOR_AGENT,
	         STRS(macs, "18:5e:0f:ed:99:9a")},
	        {.id = 5, .group_id = 1, .sensor = XDR_SENSOR_AGENT},
	};
	struct itg_system_map_input in = systems_input(s, 2);

	(void)state;
	in.existing = (const struct itg_map_link[]){
	        {.host_id = 5, .itg_id = "100", .manual = true},
	};
	in.n_existing = 1;
	map_systems(&in);
	assert_int_equal(sm.results[0].outcome, ITG_SYSTEM_FAILED);
	assert_int_equal(sm.results[0].reason,
	                 ITG_SYSTEM_REASON_CONFIGURATION_TAKEN);
	assert_int_equal(sm.results[0].taken_by, 5);
	assert_null(sm.results[0].configuration_id);
	assert_int_equal(sm.results[0].n_candidates, 1);
	assert_string_equal(sm.results[0].candidates[0].id, "100");
	assert_int_equal(sm.results[1].outcome, ITG_SYSTEM_KEPT_MANUAL);
}

static void test_mapping_of_a_system_not_in_the_run_holds(void **state)
{
	/* System 9 (another group, not in this run) has 101 automatically. */
	struct itg_map_system s = {.id = 1,
	                           .group_id = 1,
	                           .sensor = XDR_SENSOR_AGENT,
	                           STRS(macs, "c4:7a:92:14:3d:78")};
	struct itg_system_map_input in = systems_input(&s, 1);

	(void)state;
	in.existing = (const struct itg_map_link[]){
	        {.host_id = 9, .itg_id = "101"},
	};
	in.n_existing = 1;
	map_systems(&in);
	assert_int_equal(sm.results[0].reason,
	                 ITG_SYSTEM_REASON_CONFIGURATION_TAKEN);
	assert_int_equal(sm.results[0].taken_by, 9);
}

static void
test_configuration_wanted_by_two_goes_to_the_smaller_id(void **state)
{
	struct itg_map_system s[] = {
	        {.id = 8,
	         .group_id = 1,
	         .sensor = XDR_SENSOR_AGENT,
	         STRS(macs, "18:5e:0f:ed:99:9a")},
	        {.id = 4,
	         .group_id = 1,
	         .sensor = XDR_SENSOR_AGENT,
	         STRS(macs, "18-5E-0F-ED-99-9A", "12:00:00:00:00:01")},
	};
	struct itg_system_map_input in = systems_input(s, 2);

	(void)state;
	map_systems(&in);
	assert_int_equal(sm.results[0].system_id, 8);
	assert_int_equal(sm.results[0].outcome, ITG_SYSTEM_FAILED);
	assert_int_equal(sm.results[0].reason,
	                 ITG_SYSTEM_REASON_CONFIGURATION_TAKEN);
	assert_int_equal(sm.results[0].taken_by, 4);
	assert_string_equal(sm.results[0].mac, "185e0fed999a");
	assert_mapped(&sm.results[1], "100");
}

static void test_configuration_stays_with_its_auto_mapped_system(void **state)
{
	/* System 8 already has 100; the new system 4 wants it too. */
	struct itg_map_system s[] = {
	        {.id = 8,
	         .group_id = 1,
	         .sensor = XDR_SENSOR_AGENT,
	         STRS(macs, "18:5e:0f:ed:99:9a")},
	        {.id = 4,
	         .group_id = 1,
	         .sensor = XDR_SENSOR_AGENT,
	         STRS(macs, "18:5e:0f:ed:99:9a")},
	};
	struct itg_system_map_input in = systems_input(s, 2);

	(void)state;
	in.existing = (const struct itg_map_link[]){
	        {.host_id = 8, .itg_id = "100"},
	};
	in.n_existing = 1;
	map_systems(&in);
	assert_mapped(&sm.results[0], "100");
	assert_false(sm.results[0].changed);
	assert_int_equal(sm.results[1].reason,
	                 ITG_SYSTEM_REASON_CONFIGURATION_TAKEN);
	assert_int_equal(sm.results[1].taken_by, 8);
}

static void test_configuration_freed_in_the_run_can_be_taken(void **state)
{
	/* System 8 had 100 automatically but no longer has its MAC. */
	struct itg_map_system s[] = {
	        {.id = 8,
	         .group_id = 1,
	         .sensor = XDR_SENSOR_AGENT,
	         STRS(macs, "de:ad:be:ef:00:01")},
	        {.id = 9,
	         .group_id = 1,
	         .sensor = XDR_SENSOR_AGENT,
	         STRS(macs, "18:5e:0f:ed:99:9a")},
	};
	struct itg_system_map_input in = systems_input(s, 2);

	(void)state;
	in.existing = (const struct itg_map_link[]){
	        {.host_id = 8, .itg_id = "100"},
	};
	in.n_existing = 1;
	map_systems(&in);
	assert_int_equal(sm.results[0].reason, ITG_SYSTEM_REASON_NOT_FOUND);
	assert_string_equal(sm.results[0].previous_configuration_id, "100");
	assert_true(sm.results[0].changed);
	assert_mapped(&sm.results[1], "100");
	assert_true(sm.results[1].changed);
}

static void test_excluded_system_pair_is_not_mapped(void **state)
{
	struct itg_map_system s = {.id = 1,
	                           .group_id = 1,
	                           .sensor = XDR_SENSOR_AGENT,
	                           STRS(macs, "18:5e:0f:ed:99:9a")};
	struct itg_system_map_input in = systems_input(&s, 1);

	(void)state;
	in.exclusions = (const struct itg_map_exclusion[]){
	        {.host_id = 1, .itg_id = "100"},
	};
	in.n_exclusions = 1;
	map_systems(&in);
	assert_int_equal(sm.results[0].outcome, ITG_SYSTEM_EXCLUDED);
	assert_int_equal(sm.results[0].reason, ITG_SYSTEM_REASON_NONE);
	assert_null(sm.results[0].configuration_id);
	assert_false(sm.results[0].changed);
	assert_string_equal(sm.results[0].candidates[0].id, "100");
}

static void test_exclusion_does_not_fall_back_to_archived(void **state)
{
	/* ba..01 is on active 105 (excluded) and archived 104. */
	struct itg_map_system s = {.id = 1,
	                           .group_id = 1,
	                           .sensor = XDR_SENSOR_AGENT,
	                           STRS(macs, "ba:bb:bb:00:00:01")};
	struct itg_system_map_input in = systems_input(&s, 1);

	(void)state;
	in.exclusions = (const struct itg_map_exclusion[]){
	        {.host_id = 1, .itg_id = "105"},
	};
	in.n_exclusions = 1;
	map_systems(&in);
	assert_int_equal(sm.results[0].outcome, ITG_SYSTEM_EXCLUDED);
	assert_string_equal(sm.results[0].candidates[0].id, "105");
}

static void test_excluded_pair_frees_the_configuration(void **state)
{
	/* System 1 is excluded from 100, so system 2 may have it. */
	struct itg_map_system s[] = {
	        {.id = 1,
	         .group_id = 1,
	         .sensor = XDR_SENSOR_AGENT,
	         STRS(macs, "18:5e:0f:ed:99:9a")},
	        {.id = 2,
	         .group_id = 1,
	         .sensor = XDR_SENSOR_AGENT,
	         STRS(macs, "18:5e:0f:ed:99:9a")},
	};
	struct itg_system_map_input in = systems_input(s, 2);

	(void)state;
	in.exclusions = (const struct itg_map_exclusion[]){
	        {.host_id = 1, .itg_id = "100"},
	};
	in.n_exclusions = 1;
	map_systems(&in);
	assert_int_equal(sm.results[0].outcome, ITG_SYSTEM_EXCLUDED);
	assert_mapped(&sm.results[1], "100");
}

static void test_bad_system_inputs_are_refused(void **state)
{
	struct itg_map_system twice[] = {{.id = 1}, {.id = 1}};
	struct itg_map_config same[] = {
	        {.id = "1", .organization_id = "1"},
	        {.id = "1", .organization_id = "2"},
	};
	struct itg_map_config no_org = {.id = "1"};
	struct itg_map_system no_macs = {.id = 1, .n_macs = 2};
	struct itg_system_map_input in = {.systems = twice, .n_systems = 2};

	(void)state;
	assert_int_equal(itg_map_systems(&in, &sm, err, sizeof(err)),
	                 XDR_EINVAL);
	assert_string_equal(err, "systems: id 1 is there twice");
	assert_null(sm.results);
	in = (struct itg_system_map_input){.configs = same, .n_configs = 2};
	assert_int_equal(itg_map_systems(&in, &sm, err, sizeof(err)),
	                 XDR_EINVAL);
	assert_string_equal(err, "configurations: id 1 is there twice");
	in = (struct itg_system_map_input){.configs = &no_org, .n_configs = 1};
	assert_int_equal(itg_map_systems(&in, &sm, err, sizeof(err)),
	                 XDR_EINVAL);
	in = (struct itg_system_map_input){.systems = &no_macs, .n_systems = 1};
	assert_int_equal(itg_map_systems(&in, &sm, err, sizeof(err)),
	                 XDR_EINVAL);
	in = (struct itg_system_map_input){.n_group_orgs = 1};
	assert_int_equal(itg_map_systems(&in, &sm, err, sizeof(err)),
	                 XDR_EINVAL);
	assert_int_equal(itg_map_systems(NULL, &sm, err, sizeof(err)),
	                 XDR_EINVAL);
}

static void test_system_names_and_texts(void **state)
{
	(void)state;
	assert_string_equal(itg_system_outcome_name(ITG_SYSTEM_NEEDS_MANUAL),
	                    "needs_manual");
	assert_string_equal(
	        itg_system_reason_name(ITG_SYSTEM_REASON_CONFIGURATION_TAKEN),
	        "configuration_taken");
	assert_string_equal(itg_system_reason_text(ITG_SYSTEM_REASON_NO_MAC),
	                    "the system has no MAC address");
}

/* ---- Scale ----------------------------------------------------------- */

#define BIG_ORGS    50
#define BIG_CONFIGS 100000
#define BIG_SYSTEMS 20000

/* Configuration i (organization i % BIG_ORGS) has two MACs derived from i;
 * system j has configuration 5 * j's first MAC, so every system maps. A
 * quadratic matcher would make 4e9 comparisons here. */
static void test_large_inputs_map_every_system(void **state)
{
	char(*ids)[16] = calloc(BIG_CONFIGS, sizeof(*ids));
	char(*orgs)[8] = calloc(BIG_ORGS, sizeof(*orgs));
	char(*macs)[2][ITG_MAC_TEXT_SIZE] = calloc(BIG_CONFIGS, sizeof(*macs));
	const char **mac_ptrs = calloc(2 * BIG_CONFIGS, sizeof(*mac_ptrs));
	struct itg_map_config *c = calloc(BIG_CONFIGS, sizeof(*c));
	struct itg_map_system *s = calloc(BIG_SYSTEMS, sizeof(*s));
	struct itg_map_link *g = calloc(BIG_ORGS, sizeof(*g));
	struct itg_system_map_input in = {0};

	(void)state;
	assert_non_null(ids);
	assert_non_null(orgs);
	assert_non_null(macs);
	assert_non_null(mac_ptrs);
	assert_non_null(c);
	assert_non_null(s);
	assert_non_null(g);
	for (size_t o = 0; o < BIG_ORGS; o++) {
		snprintf(orgs[o], sizeof(orgs[o]), "%zu", o + 1);
		g[o].host_id = (int64_t)o + 1;
		g[o].itg_id = orgs[o];
	}
	for (size_t i = 0; i < BIG_CONFIGS; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%zu", 1000000 + i);
		snprintf(macs[i][0], sizeof(macs[i][0]),
		         "10:00:00:%02zx:%02zx:%02zx", i >> 16, (i >> 8) & 0xff,
		         i & 0xff);
		snprintf(macs[i][1], sizeof(macs[i][1]),
		         "20-00-00-%02zX-%02zX-%02zX", i >> 16, (i >> 8) & 0xff,
		         i & 0xff);
		mac_ptrs[2 * i] = macs[i][0];
		mac_ptrs[2 * i + 1] = macs[i][1];
		c[i].id = ids[i];
		c[i].organization_id = orgs[i % BIG_ORGS];
		c[i].macs = &mac_ptrs[2 * i];
		c[i].n_macs = 2;
	}
	for (size_t j = 0; j < BIG_SYSTEMS; j++) {
		s[j].id = (int64_t)j + 1;
		s[j].group_id = (int64_t)(5 * j % BIG_ORGS) + 1;
		s[j].sensor = XDR_SENSOR_AGENT;
		s[j].macs = &mac_ptrs[2 * (5 * j)];
		s[j].n_macs = 1;
	}
	in.systems = s;
	in.n_systems = BIG_SYSTEMS;
	in.configs = c;
	in.n_configs = BIG_CONFIGS;
	in.group_orgs = g;
	in.n_group_orgs = BIG_ORGS;
	map_systems(&in);
	for (size_t j = 0; j < BIG_SYSTEMS; j++) {
		assert_int_equal(sm.results[j].outcome, ITG_SYSTEM_MAPPED);
		assert_string_equal(sm.results[j].configuration_id, ids[5 * j]);
	}
	itg_system_map_clear(&sm);
	free(ids);
	free(orgs);
	free(macs);
	free(mac_ptrs);
	free(c);
	free(s);
	free(g);
}

#define CLONES 2000

/* One golden-image MAC on CLONES configurations and CLONES systems: each
 * system fails SEVERAL with a bounded list, and the run stays linear. */
static void test_mac_on_thousands_of_configurations_lists_a_few(void **state)
{
	static const char *const mac[] = {"36:00:00:00:00:01"};
	char(*ids)[16] = calloc(CLONES, sizeof(*ids));
	struct itg_map_config *c = calloc(CLONES, sizeof(*c));
	struct itg_map_system *s = calloc(CLONES, sizeof(*s));
	struct itg_system_map_input in = {0};

	(void)state;
	assert_non_null(ids);
	assert_non_null(c);
	assert_non_null(s);
	for (size_t i = 0; i < CLONES; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%zu", CLONES - i);
		c[i].id = ids[i];
		c[i].organization_id = "1";
		c[i].macs = mac;
		c[i].n_macs = 1;
		s[i].id = (int64_t)i + 1;
		s[i].group_id = 1;
		s[i].sensor = XDR_SENSOR_AGENT;
		s[i].macs = mac;
		s[i].n_macs = 1;
	}
	in.systems = s;
	in.n_systems = CLONES;
	in.configs = c;
	in.n_configs = CLONES;
	in.group_orgs = group_orgs;
	in.n_group_orgs = 2;
	map_systems(&in);
	for (size_t i = 0; i < CLONES; i++) {
		const struct itg_system_result *r = &sm.results[i];

		assert_int_equal(r->reason,
		                 ITG_SYSTEM_REASON_SEVERAL_CONFIGURATIONS);
		assert_int_equal(r->n_candidates, ITG_MAP_CANDIDATES_MAX);
		assert_true(r->candidates_cut);
		/* The smallest ids. */
		assert_string_equal(r->candidates[0].id, "1");
		assert_string_equal(r->candidates[15].id, "16");
	}
	itg_system_map_clear(&sm);
	free(ids);
	free(c);
	free(s);
}

/* Ids of one length that share their first bytes, and ids longer than 255
 * bytes, where a shorter one has the larger digits: candidates still come
 * shortest first, then in strcmp order, whatever order the input has. */
static void test_candidates_follow_id_order_whatever_the_ids(void **state)
{
	static const char *const mac[] = {"36:00:00:00:00:02"};
	static const char *const expected[] = {"99", "cfg-b", "12345678",
	                                       "1234567811", "1234567890"};
	char long_a[300], long_b[400];
	const char *ids[] = {"1234567890", long_b,     "cfg-b",     "99",
	                     long_a,       "12345678", "1234567811"};
	struct itg_map_config c[7];
	struct itg_map_system s = {.id = 1,
	                           .group_id = 1,
	                           .sensor = XDR_SENSOR_AGENT,
	                           .macs = mac,
	                           .n_macs = 1};
	struct itg_system_map_input in = {0};
	const struct itg_system_result *r;

	(void)state;
	memset(long_a, '9', 256);
	long_a[256] = '\0';
	memset(long_b, '1', 300);
	long_b[300] = '\0';
	memset(c, 0, sizeof(c));
	for (size_t i = 0; i < 7; i++) {
		c[i].id = ids[i];
		/* organizations interleaved, not grouped */
		c[i].organization_id = i % 2 ? "1" : "01";
		c[i].macs = mac;
		c[i].n_macs = 1;
	}
	in.systems = &s;
	in.n_systems = 1;
	in.configs = c;
	in.n_configs = 7;
	in.group_orgs = (struct itg_map_link[]){{.host_id = 1, .itg_id = "01"},
	                                        {.host_id = 2, .itg_id = "1"}};
	in.n_group_orgs = 2;
	map_systems(&in);
	r = &sm.results[0];
	assert_int_equal(r->reason, ITG_SYSTEM_REASON_SEVERAL_CONFIGURATIONS);
	/* organization "01": configurations 0, 2, 4, 6 */
	assert_int_equal(r->n_candidates, 4);
	assert_string_equal(r->candidates[0].id, "cfg-b");
	assert_string_equal(r->candidates[1].id, "1234567811");
	assert_string_equal(r->candidates[2].id, "1234567890");
	assert_string_equal(r->candidates[3].id, long_a);

	/* every configuration in the system's organization */
	itg_system_map_clear(&sm);
	for (size_t i = 0; i < 7; i++)
		c[i].organization_id = "01";
	map_systems(&in);
	r = &sm.results[0];
	assert_int_equal(r->n_candidates, 7);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(r->candidates[i].id, expected[i]);
	assert_string_equal(r->candidates[5].id, long_a);
	assert_string_equal(r->candidates[6].id, long_b);
}

static void test_few_candidates_are_not_cut(void **state)
{
	struct itg_map_system s = {.id = 1,
	                           .group_id = 1,
	                           .sensor = XDR_SENSOR_AGENT,
	                           STRS(macs, "aa:aa:aa:00:00:01")};

	(void)state;
	assert_false(system_one(&s)->candidates_cut);
}

/* A domain on important contacts of 20 organizations. */
static void test_domain_in_many_organizations_lists_a_few(void **state)
{
	static const char *const email[] = {"it@franchise.com"};
	char ids[20][8];
	struct itg_map_contact c[20];
	struct itg_map_group g = {.id = 1, .email = "boss@franchise.com"};
	struct itg_group_map_input in = {.groups = &g, .n_groups = 1};

	(void)state;
	memset(c, 0, sizeof(c));
	for (size_t i = 0; i < 20; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%zu", 20 - i);
		c[i].organization_id = ids[i];
		c[i].important = ITG_TRI_TRUE;
		c[i].emails = email;
		c[i].n_emails = 1;
	}
	in.contacts = c;
	in.n_contacts = 20;
	map_groups(&in);
	assert_int_equal(gm.results[0].reason,
	                 ITG_GROUP_REASON_SEVERAL_ORGANIZATIONS);
	assert_int_equal(gm.results[0].n_candidates, ITG_MAP_CANDIDATES_MAX);
	assert_true(gm.results[0].candidates_cut);
	assert_string_equal(gm.results[0].candidates[0].id, "1");
}

/* ---- Text ------------------------------------------------------------ */

static void test_candidates_text_without_names(void **state)
{
	struct itg_map_candidate c[] = {
	        {.id = "1"},
	        {.id = "2", .archived = true},
	};
	char text[64];

	(void)state;
	assert_int_equal(itg_map_candidates_text(c, 2, text, sizeof(text)), 0);
	assert_string_equal(text, "1, 2 (archived)");
}

static void test_candidates_text_is_cut_with_a_count(void **state)
{
	struct itg_map_candidate c[] = {
	        {.id = "1", .name = "Alpha"},
	        {.id = "2", .name = "Bravo"},
	        {.id = "3", .name = "Charlie"},
	        {.id = "4", .name = "Delta"},
	};
	char text[60];
	char tiny[4];

	(void)state;
	assert_int_equal(itg_map_candidates_text(c, 4, text, sizeof(text)),
	                 XDR_ERANGE);
	assert_string_equal(text, "Alpha (1), ... (3 more)");
	assert_int_equal(itg_map_candidates_text(c, 4, tiny, sizeof(tiny)),
	                 XDR_ERANGE);
	assert_string_equal(tiny, "");
	assert_int_equal(itg_map_candidates_text(c, 0, tiny, sizeof(tiny)), 0);
	assert_string_equal(tiny, "");
	assert_int_equal(itg_map_candidates_text(c, 1, NULL, 0), XDR_EINVAL);
}

static void test_macs_text_is_cut_with_a_count(void **state)
{
	static const char *const macs[] = {
	        "aa:aa:aa:aa:aa:01", NULL,
	        "aa:aa:aa:aa:aa:02", "aa:aa:aa:aa:aa:03",
	        "aa:aa:aa:aa:aa:04",
	};
	char text[64];

	(void)state;
	assert_int_equal(itg_map_macs_text(macs, 5, text, sizeof(text)),
	                 XDR_ERANGE);
	assert_string_equal(text, "aa:aa:aa:aa:aa:01, ... (3 more)");
}

#define T(name) cmocka_unit_test_teardown(name, clear_maps)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_group_maps_to_the_one_organization_with_its_domain),
	        T(test_group_domain_is_compared_without_case),
	        T(test_contacts_not_important_are_not_counted),
	        T(test_unimportant_contacts_do_not_make_a_domain_ambiguous),
	        T(test_domain_in_two_organizations_fails_naming_both),
	        T(test_one_organization_with_many_contacts_counts_once),
	        T(test_group_without_email_fails_no_email),
	        T(test_group_with_malformed_email_fails_bad_email),
	        T(test_public_provider_domain_never_maps),
	        T(test_msp_domain_never_maps),
	        T(test_public_provider_list_is_configurable),
	        T(test_many_groups_may_share_one_organization),
	        T(test_manual_group_mapping_is_kept),
	        T(test_manual_mapping_wins_even_without_email),
	        T(test_excluded_group_pair_is_not_mapped),
	        T(test_exclusion_of_another_group_does_not_apply),
	        T(test_exclusion_does_not_pick_another_organization),
	        T(test_same_auto_mapping_again_is_not_a_change),
	        T(test_auto_mapping_moves_with_the_data),
	        T(test_auto_mapping_is_dropped_when_nothing_matches),
	        T(test_group_results_follow_input_order),
	        T(test_no_groups_give_no_results),
	        T(test_bad_group_inputs_are_refused),
	        T(test_group_names_and_texts),
	        T(test_system_maps_by_configuration_own_mac),
	        T(test_system_maps_by_interface_mac),
	        T(test_every_mac_notation_matches),
	        T(test_multi_nic_system_maps_when_one_nic_matches),
	        T(test_two_nics_of_one_configuration_map_once),
	        T(test_own_and_interface_mac_alike_count_once),
	        T(test_mac_on_two_configurations_fails_naming_both),
	        T(test_nics_on_two_configurations_fail_several),
	        T(test_system_without_mac_fails_no_mac),
	        T(test_ignored_macs_leave_no_usable_mac),
	        T(test_zero_mac_on_both_sides_does_not_match),
	        T(test_ignored_mac_does_not_join_a_configuration),
	        T(test_unknown_mac_fails_not_found),
	        T(test_configurations_of_other_organizations_do_not_match),
	        T(test_archived_configuration_matches_only_alone),
	        T(test_active_configuration_wins_over_archived),
	        T(test_two_archived_configurations_fail_several),
	        T(test_systems_of_unmapped_groups_are_left_alone),
	        T(test_syslog_without_mac_needs_manual_mapping),
	        T(test_sensor_with_a_matching_mac_maps),
	        T(test_manual_system_mapping_is_kept),
	        T(test_manual_mapping_in_an_unmapped_group_is_kept),
	        T(test_manually_mapped_configuration_is_not_given_away),
	        T(test_mapping_of_a_system_not_in_the_run_holds),
	        T(test_configuration_wanted_by_two_goes_to_the_smaller_id),
	        T(test_configuration_stays_with_its_auto_mapped_system),
	        T(test_configuration_freed_in_the_run_can_be_taken),
	        T(test_excluded_system_pair_is_not_mapped),
	        T(test_exclusion_does_not_fall_back_to_archived),
	        T(test_excluded_pair_frees_the_configuration),
	        T(test_bad_system_inputs_are_refused),
	        T(test_system_names_and_texts),
	        T(test_large_inputs_map_every_system),
	        T(test_mac_on_thousands_of_configurations_lists_a_few),
	        T(test_candidates_follow_id_order_whatever_the_ids),
	        T(test_few_candidates_are_not_cut),
	        T(test_domain_in_many_organizations_lists_a_few),
	        T(test_candidates_text_without_names),
	        T(test_candidates_text_is_cut_with_a_count),
	        T(test_macs_text_is_cut_with_a_count),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
