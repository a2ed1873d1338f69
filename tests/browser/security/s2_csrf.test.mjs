// s2: cross-site request forgery is refused. A page served from a second
// origin (another port of 127.0.0.1: the same site, so the SameSite=Strict
// cookie does travel) posts a form and sends a fetch to the console of a
// logged-in browser: each is refused and nothing changes. A request with the
// session but without the X-CSRF-Token header, or with a wrong one, is 403.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { login, screen, shot, useStack } from '../lib/browser.mjs';

const ctx = useStack(import.meta.url, (s) => s.ready());
let evil, evilUrl;

// The second origin's page: forms (one with a JSON body smuggled through
// text/plain) and a no-cors fetch, all aimed at the console.
function evilPage(c) {
	const key = 'ITG.evil-us-0000000000000000';
	return `<!doctype html><html><head><meta charset="utf-8"><title>Elsewhere</title></head><body>
<h1>Elsewhere</h1>
<form id="add" method="POST" enctype="text/plain" action="${c}/api/itglue/instances">
<input type="hidden" name='{"name":"EvilForm","url":"http://127.0.0.1:9","api_key":"${key}","x":"' value='"}'>
<button type="submit">Add by form</button></form>
<form id="logout" method="POST" action="${c}/api/logout"><button type="submit">Log out by form</button></form>
<button id="fetch" type="button">Add by fetch</button>
<p id="done"></p>
<script>
document.getElementById('fetch').onclick = async () => {
  try {
    await fetch(${JSON.stringify(c)} + '/api/itglue/instances', {method: 'POST', mode: 'no-cors',
      credentials: 'include', headers: {'Content-Type': 'text/plain'},
      body: JSON.stringify({name: 'EvilFetch', url: 'http://127.0.0.1:9', api_key: '${key}'})});
    document.getElementById('done').textContent = 'sent';
  } catch (e) { document.getElementById('done').textContent = 'blocked'; }
  try {
    await fetch(${JSON.stringify(c)} + '/api/settings/psa_rmm_integration', {method: 'PUT',
      credentials: 'include', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({value: 'off'})});
    document.getElementById('done').textContent += ' put sent';
  } catch (e) { document.getElementById('done').textContent += ' put blocked'; }
};
</script></body></html>`;
}

before(async () => {
	evil = createServer((req, res) => {
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
		res.end(evilPage(ctx.stack.consoleUrl));
	});
	await new Promise((r) => evil.listen(0, '127.0.0.1', r));
	evilUrl = `http://127.0.0.1:${evil.address().port}/`;
});
after(() => new Promise((r) => (evil ? evil.close(r) : r())));

async function unchanged(stack) {
	const list = JSON.stringify(await stack.admin('instance.list'));
	assert.match(list, /"Demo"/, 'instance Demo is still there');
	assert.doesNotMatch(list, /EvilForm|EvilFetch|NoToken|WrongToken/, 'no instance was added');
	const setting = await stack.host(['setting', 'get', 'psa_rmm_integration']);
	assert.match(setting.out, /on/, 'the integration is still on');
}

const toConsole = (c, path) => (r) => r.url() === c + path && r.request().method() !== 'GET';

test('a form posted from another origin is refused and changes nothing', async () => {
	const { page, stack } = ctx;
	await login(page, stack);
	await page.goto(evilUrl);
	await shot(page, 'second-origin');
	const [res] = await Promise.all([
		page.waitForResponse(toConsole(stack.consoleUrl, '/api/itglue/instances')),
		page.getByRole('button', { name: 'Add by form' }).click(),
	]);
	assert.ok(res.status() === 403 || res.status() === 415, `the form was refused (${res.status()})`);
	await unchanged(stack);
});

test('a fetch from another origin is refused and changes nothing', async () => {
	const { page, stack } = ctx;
	await page.goto(evilUrl);
	const seen = [];
	page.on('response', (r) => {
		if (r.url().startsWith(stack.consoleUrl) && r.request().method() !== 'GET')
			seen.push(`${r.request().method()} ${r.status()}`);
	});
	const [res] = await Promise.all([
		page.waitForResponse(toConsole(stack.consoleUrl, '/api/itglue/instances')),
		page.getByRole('button', { name: 'Add by fetch' }).click(),
	]);
	assert.ok(res.status() === 403 || res.status() === 415, `the fetch was refused (${res.status()})`);
	await page.locator('#done').filter({ hasText: 'put' }).waitFor();
	assert.ok(!seen.some((s) => /^PUT 2/.test(s)), `no PUT went through: ${seen.join(', ')}`);
	await unchanged(stack);
});

test('a logout form from another origin does not end the session', async () => {
	const { page, stack } = ctx;
	await page.goto(evilUrl);
	const [res] = await Promise.all([
		page.waitForResponse(toConsole(stack.consoleUrl, '/api/logout')),
		page.getByRole('button', { name: 'Log out by form' }).click(),
	]);
	assert.ok(res.status() === 403 || res.status() === 415, `the logout form was refused (${res.status()})`);
	await page.goto(`${stack.consoleUrl}/#/events`);
	await screen(page, 'events');
	await shot(page, 'still-logged-in');
});

test('a request of the console page without the X-CSRF-Token header is 403', async () => {
	const { page, stack } = ctx;
	await page.goto(`${stack.consoleUrl}/#/events`);
	await screen(page, 'events');
	const status = await page.evaluate(async () => {
		const r = await fetch('/api/itglue/instances', {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ name: 'NoToken', url: 'http://127.0.0.1:9', api_key: 'ITG.notoken-0000000000000000' }),
		});
		return r.status;
	});
	assert.equal(status, 403);
	await unchanged(stack);
});

test('with the session cookie: no token 403, a wrong token 403, the right one accepted', async () => {
	const { stack } = ctx;
	const s = await stack.login();
	const body = { value: 'on' };
	const path = '/api/settings/psa_rmm_integration';
	assert.equal((await stack.api('PUT', path, { cookie: s.cookie, body })).status, 403, 'no token');
	assert.equal(
		(await stack.api('PUT', path, { cookie: s.cookie, csrf: 'A'.repeat(43), body })).status,
		403,
		'a wrong token',
	);
	const other = await stack.login();
	assert.equal(
		(await stack.api('PUT', path, { cookie: s.cookie, csrf: other.csrf, body })).status,
		403,
		"another session's token",
	);
	const ok = await stack.api('PUT', path, { cookie: s.cookie, csrf: s.csrf, body });
	assert.ok(ok.status >= 200 && ok.status < 300, `the right token is accepted (${ok.status})`);
	await unchanged(stack);
});
