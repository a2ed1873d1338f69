// 02: Admin > PSA/RMM Integration > IT Glue > Add (seed 4.2, step 6): the
// instance is added, and its API key is afterwards shown only masked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { go, login, screen, screenText, shot, useStack } from '../lib/browser.mjs';
import { DEMO_KEY } from '../lib/stack.mjs';

const ctx = useStack(import.meta.url, async (s) => {
	await s.integrationOn();
	await s.inventory();
});

test('Add opens the form with a password field for the API key', async () => {
	const { page, stack } = ctx;
	await login(page, stack);
	const main = await go(page, stack, '#/itglue', 'itglue');
	await main.getByRole('tab', { name: 'IT Glue' }).click();
	await main.getByRole('button', { name: 'Add', exact: true }).click();
	await main.getByLabel('Name', { exact: true }).fill('Demo');
	await main.getByLabel('API URL').fill(stack.sandboxUrl);
	const key = main.getByLabel('API Key');
	assert.equal(await key.getAttribute('type'), 'password', 'the API Key field is a password field');
	await key.fill(DEMO_KEY);
	await shot(page, 'add-form');
});

test('Save adds the instance; the key is shown masked, never in full', async () => {
	const { page, stack } = ctx;
	const main = await screen(page, 'itglue');
	await main.getByRole('button', { name: 'Save', exact: true }).click();
	const r = main.getByRole('row').filter({ hasText: 'Demo' });
	await r.getByRole('button', { name: 'Test Connection' }).waitFor();
	await main.getByText(/\*{4}/).first().waitFor();
	assert.ok(!(await screenText(page)).includes(DEMO_KEY), 'the full key is nowhere on the screen');
	assert.ok(!(await page.content()).includes(DEMO_KEY), 'the full key is nowhere in the page');
	const list = await stack.admin('instance.list');
	assert.match(JSON.stringify(list), /"Demo"/, 'the plugin has instance Demo');
	await shot(page, 'added');
});

test('after a reload, Edit shows the key masked and its field empty', async () => {
	const { page, stack } = ctx;
	const main = await go(page, stack, '#/itglue', 'itglue');
	const r = main.getByRole('row').filter({ hasText: 'Demo' });
	await r.getByRole('button', { name: 'Edit' }).click();
	const key = main.getByLabel('API Key');
	await key.waitFor();
	assert.equal(await key.inputValue(), '', 'the API Key field is empty');
	assert.ok(!(await page.content()).includes(DEMO_KEY), 'the full key is nowhere in the page');
	await shot(page, 'edit-masked');
	await main.getByRole('button', { name: 'Cancel' }).click();
});
