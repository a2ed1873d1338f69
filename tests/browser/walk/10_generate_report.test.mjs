// 10: a report generated from a configuration that publishes (seed 7.1,
// step 5): on the Report Dashboard its IT Glue state becomes published, and
// IT Glue holds the flexible asset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { go, hasClass, login, row, screen, shot, useStack } from '../lib/browser.mjs';
import { waitFor } from '../lib/stack.mjs';

// The IT Glue column once the upload is confirmed.
const PUBLISHED = /\bpublished\b/i;

const TITLE = 'EDR Summary Reports';
const ctx = useStack(import.meta.url, async (s) => {
	await s.imported();
	await s.automap();
	await s.host(['report', 'config', 'add', TITLE, '--group', 'Default', '--publish-itglue']);
});

test('Generate report with the configuration and edr-summary.html', async () => {
	const { page, stack } = ctx;
	await login(page, stack);
	const main = await go(page, stack, '#/reports', 'reports');
	await main.getByText(/Total: 0\b/).waitFor();
	await shot(page, 'empty');
	await main.getByLabel('Configuration').selectOption({ label: TITLE });
	await main.getByLabel('Title').fill(TITLE);
	await main.getByLabel('Report file').setInputFiles(stack.reportFile);
	await main.getByRole('button', { name: 'Generate' }).click();
	await row(main, 'Reports', TITLE).waitFor();
	await shot(page, 'generated');
});

test('its IT Glue state becomes published, and IT Glue has the asset', async () => {
	const { page, stack } = ctx;
	await waitFor(async () => {
		await page.reload();
		const main = await screen(page, 'reports');
		const r = row(main, 'Reports', TITLE);
		await r.waitFor();
		return PUBLISHED.test(await r.innerText());
	}, 'the report shown as published');
	const r = row(page, 'Reports', TITLE);
	assert.match(await r.innerText(), /Schedule/, 'generated from a configuration: Schedule');
	assert.equal(await hasClass(r.getByText(PUBLISHED).first(), 'ok'), true, 'the IT Glue state is green');
	const data = await stack.sandbox('/_sandbox/data');
	assert.equal(data.flexible_assets.length, 1, 'one flexible asset in IT Glue');
	await shot(page, 'published');
});
