// 03: Test Connection (seed 4.2, steps 6-7): green with the right key; red
// with the reason for a wrong one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { go, hasClass, login, shot, useStack } from '../lib/browser.mjs';
import { WRONG_KEY } from '../lib/stack.mjs';

const ctx = useStack(import.meta.url, async (s) => {
	await s.ready();
	await s.addInstance('Wrong', WRONG_KEY);
});

test('Test Connection of Demo shows "Connected" in green', async () => {
	const { page, stack } = ctx;
	await login(page, stack);
	const main = await go(page, stack, '#/itglue', 'itglue');
	await shot(page, 'instances');
	const r = main.getByRole('row').filter({ hasText: 'Demo' });
	await r.getByRole('button', { name: 'Test Connection' }).click();
	const st = main.getByRole('status').filter({ hasText: /^\s*Connected/ });
	await st.first().waitFor();
	assert.equal(await hasClass(st.first(), 'ok'), true, 'the indication is green (class ok)');
	await shot(page, 'connected');
});

test('Test Connection with a wrong key shows "Failed:" and the reason in red', async () => {
	const { page } = ctx;
	const main = page.locator('main#screen');
	const r = main.getByRole('row').filter({ hasText: 'Wrong' });
	await r.getByRole('button', { name: 'Test Connection' }).click();
	const st = main.getByRole('status').filter({ hasText: /^\s*Failed:/ });
	await st.first().waitFor();
	assert.equal(await hasClass(st.first(), 'bad'), true, 'the indication is red (class bad)');
	assert.ok((await st.first().innerText()).replace(/^\s*Failed:\s*/, '').length > 0, 'a reason follows');
	await shot(page, 'failed');
});
