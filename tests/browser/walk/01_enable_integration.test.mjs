// 01: Admin > Manager, "Enable PSA/RMM Integration" (seed 4.2, steps 1-3):
// the Admin menu shows "PSA/RMM Integration" only once it is saved on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { go, login, screen, shot, useStack } from '../lib/browser.mjs';

const ctx = useStack(import.meta.url, (s) => s.inventory());
const menuLink = (page) =>
	page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'PSA/RMM Integration' });

test('Manager shows the setting off and no "PSA/RMM Integration" in the menu', async () => {
	const { page, stack } = ctx;
	await login(page, stack);
	const main = await go(page, stack, '#/admin/manager', 'manager');
	await main.getByRole('heading', { name: 'Manager', level: 1 }).waitFor();
	const box = main.getByLabel('Enable PSA/RMM Integration');
	assert.equal(await box.isChecked(), false, 'the checkbox is not ticked');
	assert.equal(await menuLink(page).count(), 0, 'no PSA/RMM Integration link in the menu');
	await shot(page, 'manager-off');
});

test('ticking "Enable PSA/RMM Integration" and Save turns the setting on and adds the menu entry', async () => {
	const { page, stack } = ctx;
	const main = await screen(page, 'manager');
	await main.getByLabel('Enable PSA/RMM Integration').check();
	await main.getByRole('button', { name: 'Save', exact: true }).click();
	await menuLink(page).waitFor();
	const r = await stack.host(['setting', 'get', 'psa_rmm_integration']);
	assert.match(r.out, /\bon\b/, 'the host setting is on');
	await shot(page, 'manager-on');
});

test('the setting stays on after a reload, and the menu entry opens the IT Glue tab', async () => {
	const { page, stack } = ctx;
	const main = await go(page, stack, '#/admin/manager', 'manager');
	await menuLink(page).waitFor();
	assert.equal(await main.getByLabel('Enable PSA/RMM Integration').isChecked(), true);
	await menuLink(page).click();
	const it = await screen(page, 'itglue');
	await it.getByRole('tab', { name: 'IT Glue' }).waitFor();
	await shot(page, 'psa-rmm-integration');
});
