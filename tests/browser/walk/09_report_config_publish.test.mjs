// 09: Report Configuration with "Publish report to the IT Glue" (seed 7.1,
// step 4): refused, with the plugin's words, for a group never mapped
// ("Lab": no e-mail, so auto-map cannot map it); accepted for a mapped one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { go, login, row, screen, shot, useStack } from '../lib/browser.mjs';

const ctx = useStack(import.meta.url, async (s) => {
	await s.imported();
	await s.automap();
});

const configs = async (stack) => (await stack.host(['report', 'config', 'list', '--json'])).out;

async function fill(main, name, group) {
	await main.getByLabel('Name', { exact: true }).fill(name);
	await main.getByLabel('Group', { exact: true }).selectOption({ label: group });
	await main.getByLabel('Publish report to the IT Glue').check();
}

test('publishing for the unmapped group Lab is refused with the reason', async () => {
	const { page, stack } = ctx;
	await login(page, stack);
	const main = await go(page, stack, '#/tools/report-config', 'report-config');
	await main.getByRole('button', { name: 'Add', exact: true }).click();
	await fill(main, 'Lab Summary', 'Lab');
	await shot(page, 'form-lab');
	await main.getByRole('button', { name: 'Save', exact: true }).click();
	const alert = page.getByRole('alert').filter({ hasText: /not mapped/ });
	await alert.first().waitFor();
	assert.doesNotMatch(await configs(stack), /Lab Summary/, 'nothing was stored');
	await shot(page, 'refused');
});

test('publishing for the mapped group Default is accepted and listed', async () => {
	const { page, stack } = ctx;
	const main = await screen(page, 'report-config');
	await fill(main, 'EDR Summary Reports', 'Default');
	await main.getByRole('button', { name: 'Save', exact: true }).click();
	await row(main, 'Report configurations', 'EDR Summary Reports').waitFor();
	const list = JSON.parse(await configs(stack));
	const c = list.find((x) => x.name === 'EDR Summary Reports');
	assert.ok(c, 'the configuration is stored');
	assert.match(JSON.stringify(c), /"publish_itglue":\s*true/, 'with publishing on');
	await shot(page, 'saved');
});
