// 12: the events the integration wrote (seed 4.2 notes, 7.1 notes: 4018 for
// a group auto-map could not map, 4021 for a report uploaded) and the
// knowledge pack's dashboards (seed 10.5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { go, login, screen, shot, table, useStack } from '../lib/browser.mjs';

const TITLE = 'EDR Summary Reports';
const ctx = useStack(import.meta.url, async (s) => {
	await s.imported();
	await s.automap();
	await s.host(['report', 'config', 'add', TITLE, '--group', 'Default', '--publish-itglue']);
	await s.host(['report', 'generate', '--config', TITLE, '--title', TITLE, '--file', s.reportFile]);
});

const bodyRows = (t) => t.getByRole('row').filter({ has: t.page().getByRole('cell') });

test('Events filtered by 4021 shows the upload of the report', async () => {
	const { page, stack } = ctx;
	await login(page, stack);
	const main = await go(page, stack, '#/events', 'events');
	await shot(page, 'all');
	await main.getByLabel('Event ID').selectOption('4021');
	const rows = bodyRows(table(main, 'Events'));
	await rows.filter({ hasText: TITLE }).first().waitFor();
	for (const text of await rows.allInnerTexts()) assert.match(text, /4021/, 'every row is a 4021');
	await shot(page, '4021');
});

test('Events filtered by 4018 shows the groups auto-map could not map', async () => {
	const { page } = ctx;
	const main = await screen(page, 'events');
	await main.getByLabel('Event ID').selectOption('4018');
	const rows = bodyRows(table(main, 'Events'));
	await rows.filter({ hasText: 'Globex' }).first().waitFor();
	await rows.filter({ hasText: 'Lab' }).first().waitFor();
	for (const text of await rows.allInnerTexts()) assert.match(text, /4018/, 'every row is a 4018');
	await shot(page, '4018');
});

test('Search on Events keeps the events that hold the text', async () => {
	const { page, stack } = ctx;
	const all = JSON.parse((await stack.host(['events', '--json'])).out);
	const want = all.filter((e) => e.description.includes('Globex')).length;
	assert.ok(want > 0 && want < all.length, 'some events name Globex, not all');
	const main = await screen(page, 'events');
	await main.getByLabel('Event ID').selectOption('');
	await main.getByLabel('Search').fill('Globex');
	await main.getByText(`Total: ${want}`, { exact: true }).waitFor();
	const rows = bodyRows(table(main, 'Events'));
	for (const text of await rows.allInnerTexts()) assert.match(text, /Globex/, 'every row left names Globex');
	await shot(page, 'search');
});

test('Dashboards shows the four dashboards of the pack, "Report uploaded" counting the upload', async () => {
	const { page, stack } = ctx;
	await go(page, stack, '#/dashboards', 'dashboards');
	for (const name of [
		'IT Glue - Automap failed for groups',
		'IT Glue - Automap failed for systems',
		'IT Glue - Report upload failed',
		'IT Glue - Report uploaded',
	]) {
		const frame = page.getByTitle(name, { exact: true });
		await frame.waitFor();
		assert.notEqual(await frame.getAttribute('sandbox'), null, `${name} is in a sandboxed iframe`);
	}
	const up = page.getByTitle('IT Glue - Report uploaded', { exact: true }).contentFrame();
	await up.locator('body').getByText(/\S/).first().waitFor();
	await shot(page, 'dashboards');
});
