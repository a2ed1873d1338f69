// 04: Auto Map (seed 4.2, steps 8-9): the groups chosen, a dry run's
// preview, Apply with the job's progress, then the mapped entities in green
// on the Mapping page and the failures with their reasons. The sandbox
// answers each request after 1.5 s, so the job runs long enough for its
// progress to be seen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finished, go, hasClass, login, row, screen, shot, table, useStack } from '../lib/browser.mjs';

const ctx = useStack(import.meta.url, (s) => s.ready(), { sandboxArgs: ['--latency-ms', '1500'] });

const groupState = async (stack, name) =>
	(await stack.mappings()).groups.find((g) => g.name === name).state;

test('the IT Glue tab lists the groups, ticked as the instance serves them', async () => {
	const { page, stack } = ctx;
	await login(page, stack);
	const main = await go(page, stack, '#/itglue', 'itglue');
	for (const g of ['Default', 'Globex', 'Lab'])
		assert.equal(await table(main, 'Groups').getByLabel(g, { exact: true }).isChecked(), true, `${g} is ticked`);
	await shot(page, 'groups');
});

test('Auto Map shows a preview and maps nothing yet', async () => {
	const { page, stack } = ctx;
	const main = await screen(page, 'itglue');
	await main.getByRole('button', { name: 'Auto Map' }).click();
	await row(main, 'Preview', 'Default').waitFor();
	assert.notEqual(await groupState(stack, 'Default'), 'mapped', 'the dry run mapped nothing');
	await shot(page, 'preview');
});

test('Apply runs auto-map with its progress, then says Finished', async () => {
	const { page, stack } = ctx;
	const main = await screen(page, 'itglue');
	await main.getByRole('button', { name: 'Apply' }).click();
	const bar = page.getByRole('progressbar').filter({ hasText: /RUNNING \d+\/\d+/ });
	await bar.first().waitFor();
	await shot(page, 'progress');
	await page.getByRole('progressbar').first().waitFor({ state: 'detached' });
	await finished(page);
	assert.equal(await groupState(stack, 'Default'), 'mapped', 'Default is mapped');
	await shot(page, 'finished');
});

test('Next and Next lead to Mapping, where Default and Acme Corp. are shown in green', async () => {
	const { page } = ctx;
	const main = await screen(page, 'itglue');
	await main.getByRole('link', { name: 'Next' }).click();
	const imp = await screen(page, 'import');
	await shot(page, 'import');
	await imp.getByRole('link', { name: 'Next' }).click();
	const map = await screen(page, 'mapping');
	const r = row(map, 'Mapped Organizations', 'Default');
	await r.waitFor();
	assert.match(await r.innerText(), /Acme Corp\./, 'Default is mapped to Acme Corp.');
	assert.equal(await hasClass(r, 'ok'), true, 'the mapped row is green (class ok)');
	await shot(page, 'mapping');
});

test('Mapping failures lists Globex and Lab with their reasons', async () => {
	const { page, stack } = ctx;
	const hash = new URL(page.url()).hash.replace(/\/mapping$/, '/failures');
	const main = await go(page, stack, hash, 'failures');
	const globex = row(main, 'Mapping failures', 'Globex');
	await globex.waitFor();
	assert.match(await globex.innerText(), /several organizations/, "Globex's reason is shown");
	const lab = row(main, 'Mapping failures', 'Lab');
	assert.match(await lab.innerText(), /e-mail/, "Lab's reason is shown");
	await shot(page, 'failures');
});
