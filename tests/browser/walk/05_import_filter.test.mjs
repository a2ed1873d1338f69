// 05: Import (seed 6, steps 2-7): Organizations filtered by name and
// imported with Import Selected; then Configurations with Import All.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finished, go, login, pick, row, screen, shot, table, useStack } from '../lib/browser.mjs';
import { waitFor } from '../lib/stack.mjs';

const ctx = useStack(import.meta.url, (s) => s.ready());

const imported = async (stack, feature) =>
	(await stack.admin('imported.list', { instance: 'Demo', feature })).total;

test('Organizations filtered by Name shows only that organization', async () => {
	const { page, stack } = ctx;
	await login(page, stack);
	const it = await go(page, stack, '#/itglue', 'itglue');
	await shot(page, 'itglue');
	await it.getByRole('link', { name: 'Next' }).click();
	const main = await screen(page, 'import');
	await main.getByLabel('Feature to Import').selectOption({ label: 'Organizations' });
	await main.getByLabel('Name', { exact: true }).fill('Acme Corp.');
	await main.getByRole('button', { name: 'Search', exact: true }).click();
	await row(main, 'IT Glue records', 'Acme Corp.').waitFor();
	const rows = table(main, 'IT Glue records').getByRole('row').filter({ has: page.getByRole('cell') });
	assert.equal(await rows.count(), 1, 'one organization is listed');
	await shot(page, 'organizations-filtered');
});

test('Import Selected imports the selected organization only', async () => {
	const { page, stack } = ctx;
	const main = await screen(page, 'import');
	await pick(row(main, 'IT Glue records', 'Acme Corp.'));
	await main.getByLabel('Import Selected').check();
	await main.getByRole('button', { name: 'Import', exact: true }).click();
	await finished(main);
	await waitFor(async () => (await imported(stack, 'organizations')) > 0, 'the import done');
	assert.equal(await imported(stack, 'organizations'), 1, 'one organization imported');
	await shot(page, 'organizations-imported');
});

test('Configurations with Import All imports every configuration', async () => {
	const { page, stack } = ctx;
	const main = await screen(page, 'import');
	await main.getByLabel('Feature to Import').selectOption({ label: 'Configurations' });
	await main.getByRole('button', { name: 'Search', exact: true }).click();
	await row(main, 'IT Glue records', 'ACME-DC01').waitFor();
	await shot(page, 'configurations');
	await main.getByLabel('Import All').check();
	await main.getByRole('button', { name: 'Import', exact: true }).click();
	await main.getByRole('status').filter({ hasText: /Finished/ }).last().waitFor();
	await waitFor(async () => (await imported(stack, 'configurations')) === 8, 'the 8 configurations imported');
	await shot(page, 'configurations-imported');
});
