/*
 * test_plugin_events.c - the event catalogue, description templates, emit.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "events.h"
#include "itglue.h"
#include "mock_host.h"
#include "template.h"
#include "text_test.h"

/* ---- the catalogue ---- */

struct expected {
	uint32_t id;
	enum xdr_severity severity;
	const char *title;
	const char *fields[ITG_EVENT_FIELDS_MAX];
	size_t n_fields;
};

static const struct expected expected[] = {
        {4018,
         XDR_SEVERITY_WARNING,
         "IT Glue: Automap failed for groups",
         {"instance", "group", "domain", "reason", "candidates"},
         5},
        {4019,
         XDR_SEVERITY_WARNING,
         "IT Glue: Automap failed for systems",
         {"instance", "group", "system", "mac", "reason", "candidates"},
         6},
        {4021,
         XDR_SEVERITY_INFO,
         "IT Glue: Report uploaded",
         {"instance", "report_id", "report", "group", "organization",
          "asset_id", "file"},
         7},
        {4022,
         XDR_SEVERITY_ERROR,
         "IT Glue: Report upload failed",
         {"instance", "report_id", "report", "group", "organization", "reason",
          "attempts"},
         7},
};

#define N_EXPECTED (sizeof(expected) / sizeof(expected[0]))

static void test_catalogue_holds_exactly_the_four_events(void **state)
{
	const struct itg_event_def *def;
	size_t i;
	size_t j;

	(void)state;
	assert_int_equal(itg_event_count(), N_EXPECTED);
	for (i = 0; i < N_EXPECTED; i++) {
		def = itg_event_at(i);
		assert_non_null(def);
		assert_ptr_equal(itg_event_lookup(expected[i].id), def);
		assert_int_equal(def->id, expected[i].id);
		assert_int_equal(def->severity, expected[i].severity);
		assert_string_equal(def->title, expected[i].title);
		assert_int_equal(def->n_fields, expected[i].n_fields);
		for (j = 0; j < def->n_fields; j++)
			assert_string_equal(def->fields[j],
			                    expected[i].fields[j]);
	}
	assert_null(itg_event_at(N_EXPECTED));
}

static void test_lookup_of_other_ids_finds_nothing(void **state)
{
	(void)state;
	assert_null(itg_event_lookup(0));
	assert_null(itg_event_lookup(4017));
	assert_null(itg_event_lookup(4020));
	assert_null(itg_event_lookup(4023));
	assert_null(itg_event_lookup(UINT32_MAX));
}

static bool valid_field_name(const char *name)
{
	size_t i;

	for (i = 0; name[i] != '\0'; i++) {
		if (!((name[i] >= 'a' && name[i] <= 'z') || name[i] == '_'))
			return false;
	}
	return i > 0 && i <= ITG_TEMPLATE_NAME_MAX;
}

static void test_catalogue_is_consistent(void **state)
{
	const char *values[ITG_EVENT_FIELDS_MAX];
	const struct itg_event_def *def;
	char *text;
	size_t i;
	size_t j;
	size_t k;

	(void)state;
	for (i = 0; i < itg_event_count(); i++) {
		def = itg_event_at(i);
		if (i > 0)
			assert_true(itg_event_at(i - 1)->id < def->id);
		assert_true(strncmp(def->title, "IT Glue: ", 9) == 0);
		assert_true(def->n_fields <= ITG_EVENT_FIELDS_MAX);
		assert_string_equal(def->fields[0], "instance");
		for (j = 0; j < def->n_fields; j++) {
			assert_true(valid_field_name(def->fields[j]));
			for (k = 0; k < j; k++)
				assert_string_not_equal(def->fields[j],
				                        def->fields[k]);
			values[j] = "X";
		}
		/* Every placeholder of the template names a field: with all
		 * fields substituted, no '%' is left. */
		text = itg_template_expand(def->description, def->fields,
		                           values, def->n_fields);
		assert_non_null(text);
		assert_null(strchr(text, '%'));
		assert_null(strchr(text, '\n'));
		free(text);
	}
}

/* ---- the template ---- */

static char *expand(const char *tmpl)
{
	static const char *const names[] = {"group", "reason", "mac", "empty"};
	static const char *const values[] = {"Acme", "no match", "18-5E", NULL};

	return itg_template_expand(tmpl, names, values, 4);
}

static void check(const char *tmpl, const char *want)
{
	char *got = expand(tmpl);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_template_without_placeholders_is_copied(void **state)
{
	(void)state;
	check("", "");
	check("plain text", "plain text");
}

static void test_template_substitutes_fields(void **state)
{
	(void)state;
	check("Auto-map failed for group '%group%': %reason%",
	      "Auto-map failed for group 'Acme': no match");
	check("%group%", "Acme");
	check("%group%%mac%", "Acme18-5E");
	check("%group% and %group%", "Acme and Acme");
}

static void test_template_null_value_is_empty(void **state)
{
	(void)state;
	check("[%empty%]", "[]");
}

static void test_template_keeps_unknown_placeholders(void **state)
{
	(void)state;
	check("%nope% here", "%nope% here");
	check("%nope%group%", "%nope%group%");
	check("%Group%", "%Group%");
}

static void test_template_keeps_odd_percent_signs(void **state)
{
	(void)state;
	check("100%", "100%");
	check("%", "%");
	check("50% of %group", "50% of %group");
	check("%%", "%");
	check("100%% sure for %group%", "100% sure for Acme");
	check("% group %", "% group %");
	check("%%group%%", "%group%");
	check("%a-b%", "%a-b%");
}

static void test_template_name_length_is_bounded(void **state)
{
	char tmpl[64];
	char *got;

	(void)state;
	memset(tmpl, 'a', sizeof(tmpl));
	tmpl[0] = '%';
	tmpl[ITG_TEMPLATE_NAME_MAX + 2] = '%';
	tmpl[ITG_TEMPLATE_NAME_MAX + 3] = '\0';
	got = expand(tmpl);
	assert_string_equal(got, tmpl);
	free(got);
}

static void test_template_values_are_not_expanded_again(void **state)
{
	static const char *const names[] = {"a", "b"};
	static const char *const values[] = {"%b%", "B"};
	char *got;

	(void)state;
	got = itg_template_expand("%a% %b%", names, values, 2);
	assert_string_equal(got, "%b% B");
	free(got);
}

static void test_template_flattens_control_characters(void **state)
{
	static const char *const names[] = {"reason"};
	static const char *const values[] = {"line one\nline two\r\tend\x7f"};
	char *got;

	(void)state;
	got = itg_template_expand("why: %reason%", names, values, 1);
	assert_string_equal(got, "why: line one line two  end ");
	free(got);
}

static void test_template_escapes_quotes_and_backslashes(void **state)
{
	static const char *const names[] = {"group"};
	static const char *const values[] = {
	        "x' (e-mail domain 'forged') a\\b"};
	char *got;

	(void)state;
	got = itg_template_expand("group '%group%' (e-mail domain '%domain%')",
	                          names, values, 1);
	assert_string_equal(got, "group 'x\\' (e-mail domain \\'forged\\') "
	                         "a\\\\b' (e-mail domain '%domain%')");
	free(got);
}

static void test_template_handles_missing_inputs(void **state)
{
	char *got;

	(void)state;
	assert_null(itg_template_expand(NULL, NULL, NULL, 0));
	got = itg_template_expand("%group%", NULL, NULL, 0);
	assert_string_equal(got, "%group%");
	free(got);
	got = itg_template_expand("%group%", (const char *const[]){"group"},
	                          NULL, 1);
	assert_string_equal(got, "");
	free(got);
}

/* ---- emitting through the host ---- */

static void test_emit_sends_fields_in_order_and_description(void **state)
{
	struct mock_fixture *f = *state;
	const char *values[] = {"EU", "Acme", "acme.example",
	                        "no organization has an important contact "
	                        "with this domain",
	                        "none"};
	const struct mock_event *e;

	assert_int_equal(itg_event_emit(&f->plugin, 4018, values, 5), XDR_OK);
	assert_int_equal(mock_host_event_count(f->host), 1);
	e = mock_host_event(f->host, 0);
	assert_int_equal(e->id, 4018);
	assert_int_equal(e->severity, XDR_SEVERITY_WARNING);
	assert_string_equal(e->category, "IT Glue");
	assert_string_equal(e->description,
	                    "Auto-map failed for group 'Acme' (e-mail domain "
	                    "'acme.example') on IT Glue instance 'EU': no "
	                    "organization has an important contact with this "
	                    "domain; candidates: none");
	assert_int_equal(e->n_fields, 5);
	assert_string_equal(e->names[0], "instance");
	assert_string_equal(e->values[0], "EU");
	assert_string_equal(e->names[2], "domain");
	assert_string_equal(e->values[2], "acme.example");
	assert_string_equal(e->names[4], "candidates");
	assert_string_equal(e->values[4], "none");
}

static void test_emit_of_every_event_is_accepted(void **state)
{
	struct mock_fixture *f = *state;
	const char *values[ITG_EVENT_FIELDS_MAX] = {"v", "v", "v", "v",
	                                            "v", "v", "v", "v"};
	const struct itg_event_def *def;
	size_t i;

	for (i = 0; i < itg_event_count(); i++) {
		def = itg_event_at(i);
		assert_int_equal(itg_event_emit(&f->plugin, def->id, values,
		                                def->n_fields),
		                 XDR_OK);
		assert_int_equal(mock_host_event(f->host, i)->severity,
		                 def->severity);
	}
	assert_int_equal(mock_host_event_count(f->host), itg_event_count());
}

static void test_emit_refuses_an_unknown_id(void **state)
{
	struct mock_fixture *f = *state;
	const char *values[] = {"a"};

	assert_int_equal(itg_event_emit(&f->plugin, 4020, values, 1),
	                 XDR_ENOTFOUND);
	assert_int_equal(mock_host_event_count(f->host), 0);
	assert_true(mock_host_logged(f->host, XDR_LOG_ERROR, "4020"));
}

static void test_emit_refuses_a_wrong_field_count(void **state)
{
	struct mock_fixture *f = *state;
	const char *values[] = {"a", "b", "c", "d", "e", "f", "g"};

	assert_int_equal(itg_event_emit(&f->plugin, 4021, values, 6),
	                 XDR_EINVAL);
	assert_int_equal(itg_event_emit(&f->plugin, 4018, values, 6),
	                 XDR_EINVAL);
	assert_int_equal(itg_event_emit(&f->plugin, 4018, NULL, 5), XDR_EINVAL);
	assert_int_equal(mock_host_event_count(f->host), 0);
	assert_true(mock_host_logged(f->host, XDR_LOG_ERROR,
	                             "event 4021 takes 7 fields, not 6"));
	assert_int_equal(itg_event_emit(NULL, 4018, values, 5), XDR_EINVAL);
}

static void test_emit_passes_on_a_host_refusal(void **state)
{
	struct mock_fixture *f = *state;
	const char *values[] = {"i", "1", "r", "g", "o", "timeout", "5"};

	mock_host_fail_events(f->host, XDR_EBUSY);
	assert_int_equal(itg_event_emit(&f->plugin, 4022, values, 7),
	                 XDR_EBUSY);
	assert_true(mock_host_logged(f->host, XDR_LOG_WARNING,
	                             "the host refused event 4022"));
}

/* ---- hostile values ---- */

static void test_emit_makes_field_values_one_line(void **state)
{
	struct mock_fixture *f = *state;
	/* An organization name from IT Glue that would forge a second
	 * line, colour a terminal, and break a line in a Unicode viewer. */
	const char *values[] = {
	        "i",
	        "7",
	        "r",
	        "g",
	        "Evil\r\n4021 forged line\x1b[31m\xc2\x85x\xe2\x80\xa8y\x7f",
	        "1",
	        "f.html"};
	const struct mock_event *e;

	assert_int_equal(itg_event_emit(&f->plugin, 4021, values, 7), XDR_OK);
	e = mock_host_event(f->host, 0);
	assert_string_equal(e->values[4], "Evil  4021 forged line [31m x y ");
	for (size_t i = 0; i < e->n_fields; i++)
		assert_true(test_one_line(e->values[i]));
	assert_true(test_one_line(e->description));
	assert_non_null(strstr(e->description,
	                       "organization 'Evil  4021 forged line [31m "
	                       "x y '"));
}

static void test_emit_replaces_bytes_that_are_not_utf8(void **state)
{
	struct mock_fixture *f = *state;
	const char *values[] = {"i", "G\xff\xfe", "d", "r", "Name cut \xc3"};
	const struct mock_event *e;

	assert_int_equal(itg_event_emit(&f->plugin, 4018, values, 5), XDR_OK);
	e = mock_host_event(f->host, 0);
	assert_string_equal(e->values[1], "G\xef\xbf\xbd\xef\xbf\xbd");
	for (size_t i = 0; i < e->n_fields; i++)
		assert_true(test_utf8_valid(e->values[i]));
	assert_true(test_utf8_valid(e->description));
}

static void test_emit_bounds_very_long_values(void **state)
{
	struct mock_fixture *f = *state;
	char *longest = malloc(20001);
	const char *values[ITG_EVENT_FIELDS_MAX];
	const struct mock_event *e;

	assert_non_null(longest);
	/* "x" then 2-byte characters: a cut by bytes would split one. */
	longest[0] = 'x';
	for (size_t i = 1; i < 20000; i += 2)
		memcpy(longest + i, "\xc3\xa9", 2);
	longest[19999] = '\0';
	for (size_t i = 0; i < ITG_EVENT_FIELDS_MAX; i++)
		values[i] = longest;
	for (size_t k = 0; k < itg_event_count(); k++) {
		const struct itg_event_def *def = itg_event_at(k);

		assert_int_equal(itg_event_emit(&f->plugin, def->id, values,
		                                def->n_fields),
		                 XDR_OK);
		e = mock_host_event(f->host, k);
		for (size_t i = 0; i < e->n_fields; i++) {
			size_t len = strlen(e->values[i]);

			assert_true(len <= 1024);
			assert_true(len > 900);
			assert_string_equal(e->values[i] + len - 3, "...");
			assert_true(test_utf8_valid(e->values[i]));
		}
		/* The reference host refuses a text over 8192 bytes. */
		assert_true(strlen(e->description) <= 8192);
		assert_true(test_utf8_valid(e->description));
	}
	/* Quotes, escaped in the description, double there. */
	memset(longest, '\'', 19999);
	for (size_t k = 0; k < itg_event_count(); k++) {
		const struct itg_event_def *def = itg_event_at(k);

		assert_int_equal(itg_event_emit(&f->plugin, def->id, values,
		                                def->n_fields),
		                 XDR_OK);
		e = mock_host_event(f->host, itg_event_count() + k);
		assert_true(strlen(e->values[0]) <= 1024);
		assert_true(strlen(e->description) <= 8192);
	}
	free(longest);
}

#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, mock_fixture_setup,              \
	                                mock_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_catalogue_holds_exactly_the_four_events),
	        cmocka_unit_test(test_lookup_of_other_ids_finds_nothing),
	        cmocka_unit_test(test_catalogue_is_consistent),
	        cmocka_unit_test(test_template_without_placeholders_is_copied),
	        cmocka_unit_test(test_template_substitutes_fields),
	        cmocka_unit_test(test_template_null_value_is_empty),
	        cmocka_unit_test(test_template_keeps_unknown_placeholders),
	        cmocka_unit_test(test_template_keeps_odd_percent_signs),
	        cmocka_unit_test(test_template_name_length_is_bounded),
	        cmocka_unit_test(test_template_values_are_not_expanded_again),
	        cmocka_unit_test(test_template_flattens_control_characters),
	        cmocka_unit_test(test_template_handles_missing_inputs),
	        cmocka_unit_test(test_template_escapes_quotes_and_backslashes),
	        T(test_emit_sends_fields_in_order_and_description),
	        T(test_emit_of_every_event_is_accepted),
	        T(test_emit_refuses_an_unknown_id),
	        T(test_emit_refuses_a_wrong_field_count),
	        T(test_emit_passes_on_a_host_refusal),
	        T(test_emit_makes_field_values_one_line),
	        T(test_emit_replaces_bytes_that_are_not_utf8),
	        T(test_emit_bounds_very_long_values),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
