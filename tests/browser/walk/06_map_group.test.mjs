// 06: manual mapping of a group (seed 6, steps 8-12): "Default" to "Acme
// Corp.", Map stages the pair, Save maps it, and it shows in green in the
// Mapped Organizations pane.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasClass, instancePage, login, pick, row, screen, shot, useStack } from '../lib/browser.mjs';

const ctx = useStack(import.meta.url, (s) => s.imported());

test('Feature to Map "Organization" shows the groups and the imported organizations', async () => {
	const { page, stack } = ctx;
	await login(page, stack);
	const main = await instancePage(page, stack, 'mapping');
	await main.getByLabel('Feature to Map').selectOption({ label: 'Organization' });
	await row(main, 'Open XDR groups', 'Default').waitFor();
	await row(main, 'IT Glue organizations', 'Acme Corp.').waitFor();
	await shot(page, 'organizations');
});

test('Map stages Default with Acme Corp.', async () => {
	const { page } = ctx;
	const main = await screen(page, 'mapping');
	await pick(row(main, 'Open XDR groups', 'Default'));
	await pick(row(main, 'IT Glue organizations', 'Acme Corp.'));
	await main.getByRole('button', { name: 'Map', exact: true }).click();
	const staged = row(main, 'Staged', 'Default');
	await staged.waitFor();
	assert.match(await staged.innerText(), /Acme Corp\./, 'the staged pair names Acme Corp.');
	await shot(page, 'staged');
});

test('Save maps it: the pair says ok and Mapped Organizations shows it in green', async () => {
	const { page, stack } = ctx;
	const main = await screen(page, 'mapping');
	await main.getByRole('button', { name: 'Save', exact: true }).click();
	const mapped = row(main, 'Mapped Organizations', 'Default');
	await mapped.waitFor();
	assert.equal(await hasClass(mapped, 'ok'), true, 'the mapped row is green (class ok)');
	const g = (await stack.mappings()).groups.find((x) => x.name === 'Default');
	assert.equal(g.state, 'mapped', 'the plugin has Default mapped');
	assert.equal(String(g.organization_id), '1', 'to Acme Corp. (id 1)');
	assert.equal(g.source, 'manual', 'by hand');
	await shot(page, 'saved');
});
