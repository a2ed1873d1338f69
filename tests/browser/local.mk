# tests/browser: the console's walk-throughs and security cases in Debian's
# chromium (playwright-core from package-lock.json: npm ci --prefix
# tests/browser). Never part of make check: make check-browser runs it, TAP
# to tests/browser/browser.log, screenshots to tests/browser/artefacts/.

BROWSER_FILES = \
	tests/browser/README.md \
	tests/browser/package.json \
	tests/browser/package-lock.json \
	tests/browser/run.sh \
	tests/browser/lib/browser.mjs \
	tests/browser/lib/stack.mjs \
	tests/browser/walk/01_enable_integration.test.mjs \
	tests/browser/walk/02_add_instance.test.mjs \
	tests/browser/walk/03_test_connection.test.mjs \
	tests/browser/walk/04_automap.test.mjs \
	tests/browser/walk/05_import_filter.test.mjs \
	tests/browser/walk/06_map_group.test.mjs \
	tests/browser/walk/07_map_system.test.mjs \
	tests/browser/walk/08_remove_map.test.mjs \
	tests/browser/walk/09_report_config_publish.test.mjs \
	tests/browser/walk/10_generate_report.test.mjs \
	tests/browser/walk/11_publish_by_hand.test.mjs \
	tests/browser/walk/12_events_dashboard.test.mjs \
	tests/browser/walk/13_failures_outbox.test.mjs \
	tests/browser/security/s1_login_required.test.mjs \
	tests/browser/security/s2_csrf.test.mjs \
	tests/browser/security/s3_script_as_text.test.mjs \
	tests/browser/security/s4_cookie_and_key.test.mjs
EXTRA_DIST += $(BROWSER_FILES)

check-browser: all
	@mkdir -p tests/browser/artefacts; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	BROWSER_ARTEFACTS='$(abs_top_builddir)/tests/browser/artefacts'; \
	export BROWSER_ARTEFACTS; \
	$(SHELL) '$(abs_top_srcdir)/tests/browser/run.sh' \
		>tests/browser/browser.log 2>&1; rc=$$?; \
	grep -E '^( *not ok|Bail out!|# (tests|pass|fail|cancelled|duration_ms|screenshots))[ :]' \
		tests/browser/browser.log; \
	echo "check-browser: TAP in tests/browser/browser.log (exit $$rc)"; \
	exit $$rc

.PHONY: check-browser

clean-local: clean-browser
clean-browser:
	-rm -rf tests/browser/artefacts tests/browser/browser.log
.PHONY: clean-browser
