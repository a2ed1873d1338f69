// s4: the session cookie is out of the page's reach (HttpOnly,
// SameSite=Strict: document.cookie does not show it), and no answer the
// page got, while an instance was added, tested, listed and edited through
// the screens, holds the API key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { go, login, screen, shot, useStack } from '../lib/browser.mjs';
import { DEMO_KEY } from '../lib/stack.mjs';

const ctx = useStack(import.meta.url, async (s) => {
	await s.integrationOn();
	await s.inventory();
});
const answers = [];
const sent = [];

test('the session cookie is HttpOnly and SameSite=Strict, unseen by document.cookie', async () => {
	const { page, stack, b } = ctx;
	page.on('response', async (r) => {
		if (!r.url().startsWith(stack.consoleUrl)) return;
		const body = await r.text().catch(() => '');
		answers.push({ url: r.url(), body, headers: JSON.stringify(await r.allHeaders()) });
	});
	page.on('request', (r) => sent.push(r.postData() || ''));
	await login(page, stack);
	const cookies = await b.context.cookies(stack.consoleUrl);
	const session = cookies.find((c) => /xdr_console/.test(c.name));
	assert.ok(session, 'a session cookie is set');
	assert.equal(session.httpOnly, true, 'HttpOnly');
	assert.equal(session.sameSite, 'Strict', 'SameSite=Strict');
	const seen = await page.evaluate(() => document.cookie);
	assert.ok(!seen.includes(session.value), 'document.cookie does not hold the session');
	assert.doesNotMatch(seen, /xdr_console/, 'document.cookie does not name it');
	const raw = (await stack.login()).setCookie;
	assert.match(raw, /;\s*HttpOnly/i, 'Set-Cookie says HttpOnly');
	assert.match(raw, /;\s*SameSite=Strict/i, 'Set-Cookie says SameSite=Strict');
	await shot(page, 'logged-in');
});

test('adding, testing, listing and editing an instance: no answer holds the key', async () => {
	const { page, stack } = ctx;
	const main = await go(page, stack, '#/itglue', 'itglue');
	await main.getByRole('button', { name: 'Add', exact: true }).click();
	await main.getByLabel('Name', { exact: true }).fill('Demo');
	await main.getByLabel('API URL').fill(stack.sandboxUrl);
	await main.getByLabel('API Key').fill(DEMO_KEY);
	await main.getByRole('button', { name: 'Save', exact: true }).click();
	const r = main.getByRole('row').filter({ hasText: 'Demo' });
	await r.getByRole('button', { name: 'Test Connection' }).click();
	await main.getByRole('status').filter({ hasText: /^\s*Connected/ }).first().waitFor();
	await go(page, stack, '#/itglue', 'itglue');
	await page.locator('main#screen').getByRole('row').filter({ hasText: 'Demo' })
		.getByRole('button', { name: 'Edit' }).click();
	await screen(page, 'itglue');
	await shot(page, 'edit');
	assert.ok(sent.some((b) => b.includes(DEMO_KEY)), 'the key was sent once, by the Add form');
	assert.ok(answers.length > 5, `the page got answers (${answers.length})`);
	const leaks = answers.filter((a) => a.body.includes(DEMO_KEY) || a.headers.includes(DEMO_KEY));
	assert.deepEqual(leaks.map((a) => a.url), [], 'answers holding the key');
	assert.ok(!(await page.content()).includes(DEMO_KEY), 'the page does not hold the key');
	const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
	assert.ok(!stored.includes(DEMO_KEY), 'nor its storage');
});
