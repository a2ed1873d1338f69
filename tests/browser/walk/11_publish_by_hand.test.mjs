// 11: publishing by hand (seed 8): a report of a group whose configuration
// does not publish, then the gear's "Publish to IT Glue" on the Report
// Dashboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { go, login, row, screen, shot, useStack } from '../lib/browser.mjs';
import { waitFor } from '../lib/stack.mjs';

// The IT Glue column once the upload is confirmed.
const PUBLISHED = /\bpublished\b/i;

const TITLE = 'Ad hoc EDR summary';
const ctx = useStack(import.meta.url, async (s) => {
	await s.imported();
	await s.automap();
	await s.host(['report', 'generate', '--group', 'Default', '--title', TITLE, '--file', s.reportFile]);
});

test('the ad hoc report is listed as Manual and not published', async () => {
	const { page, stack } = ctx;
	await login(page, stack);
	const main = await go(page, stack, '#/reports', 'reports');
	const r = row(main, 'Reports', TITLE);
	await r.waitFor();
	assert.match(await r.innerText(), /Manual/, 'generated ad hoc: Manual');
	assert.doesNotMatch(await r.innerText(), PUBLISHED, 'not published yet');
	await shot(page, 'listed');
});

test('gear > Publish to IT Glue publishes it', async () => {
	const { page, stack } = ctx;
	const main = await screen(page, 'reports');
	const r = row(main, 'Reports', TITLE);
	await r.getByRole('button', { name: 'Actions' }).click();
	const item = page.getByRole('menuitem', { name: 'Publish to IT Glue' });
	await item.waitFor();
	await shot(page, 'menu');
	await item.click();
	await waitFor(async () => {
		await page.reload();
		const m = await screen(page, 'reports');
		const x = row(m, 'Reports', TITLE);
		await x.waitFor();
		return PUBLISHED.test(await x.innerText());
	}, 'the report shown as published');
	const data = await stack.sandbox('/_sandbox/data');
	assert.equal(data.flexible_assets.length, 1, 'one flexible asset in IT Glue');
	await shot(page, 'published');
});
