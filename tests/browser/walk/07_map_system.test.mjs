// 07: manual mapping of a system (seed 6, steps 13-18): Configurations,
// the group's drop-down of mapped groups, "ACME-FW01" (a syslog sensor:
// auto-map cannot map it) to its configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasClass, instancePage, login, pick, row, screen, shot, table, useStack } from '../lib/browser.mjs';

const ctx = useStack(import.meta.url, async (s) => {
	await s.imported();
	await s.map({ group: 'Default', organization_id: 1 });
});

test('Configurations offers only the mapped groups; Default lists its systems', async () => {
	const { page, stack } = ctx;
	await login(page, stack);
	const main = await instancePage(page, stack, 'mapping');
	await main.getByLabel('Feature to Map').selectOption({ label: 'Configurations' });
	const group = main.getByLabel('Group', { exact: true });
	await group.getByRole('option', { name: 'Default', exact: true }).waitFor({ state: 'attached' });
	const options = await group.locator('option').allInnerTexts();
	assert.ok(options.some((o) => o.trim() === 'Default'), 'Default is offered');
	assert.ok(!options.some((o) => /^(Globex|Lab)$/.test(o.trim())), 'unmapped groups are not offered');
	await group.selectOption({ label: 'Default' });
	await row(main, 'Open XDR systems', 'ACME-FW01').waitFor();
	await shot(page, 'systems');
});

test('Search finds the configuration; Map stages the pair', async () => {
	const { page } = ctx;
	const main = await screen(page, 'mapping');
	const right = table(main, 'IT Glue configurations');
	await right.waitFor();
	await main.getByLabel('Search').last().fill('FW01');
	await row(main, 'IT Glue configurations', 'ACME-FW01').waitFor();
	await pick(row(main, 'Open XDR systems', 'ACME-FW01'));
	await pick(row(main, 'IT Glue configurations', 'ACME-FW01'));
	await main.getByRole('button', { name: 'Map', exact: true }).click();
	await row(main, 'Staged', 'ACME-FW01').waitFor();
	await shot(page, 'staged');
});

test('Save maps ACME-FW01: shown in green under Mapped Configurations', async () => {
	const { page, stack } = ctx;
	const main = await screen(page, 'mapping');
	await main.getByRole('button', { name: 'Save', exact: true }).click();
	const mapped = row(main, 'Mapped Configurations', 'ACME-FW01');
	await mapped.waitFor();
	assert.equal(await hasClass(mapped, 'ok'), true, 'the mapped row is green (class ok)');
	const s = (await stack.mappings()).systems.find((x) => x.name === 'ACME-FW01');
	assert.equal(s.state, 'mapped', 'the plugin has ACME-FW01 mapped');
	assert.equal(String(s.configuration_id), '104', 'to configuration 104');
	await shot(page, 'saved');
});
