// s1: no access without a login. Every screen's address shows the login
// screen; every route of the API (and a dashboard page) answers 401 without
// a session, and an unauthenticated write changes nothing; a wrong password
// is refused; after logout the session is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, screen, shot, useStack } from '../lib/browser.mjs';

const ctx = useStack(import.meta.url, (s) => s.ready());

const SCREENS = [
	'#/admin/manager',
	'#/itglue',
	'#/itglue/Demo/import',
	'#/itglue/Demo/mapping',
	'#/itglue/Demo/failures',
	'#/tools/report-config',
	'#/reports',
	'#/itglue/outbox',
	'#/events',
	'#/dashboards',
];

// Every route of host-sdk/console/handlers.h but POST /api/login and the
// assets, with a body where the route takes one.
const J = { name: 'Evil', url: 'http://127.0.0.1:9', api_key: 'ITG.evil-us-0000000000000000' };
const ROUTES = [
	['GET', '/api/session'],
	['POST', '/api/logout', {}],
	['GET', '/api/settings/psa_rmm_integration'],
	['PUT', '/api/settings/psa_rmm_integration', { value: 'off' }],
	['GET', '/api/plugins'],
	['GET', '/api/groups'],
	['GET', '/api/systems?group=Default'],
	['GET', '/api/report-configs'],
	['POST', '/api/report-configs', { name: 'Evil', group: 'Default', publish_itglue: false }],
	['PUT', '/api/report-configs/1', { publish_itglue: true }],
	['GET', '/api/reports'],
	['POST', '/api/reports?config=Evil&title=Evil', '<p>evil</p>', 'text/html'],
	['GET', '/api/events'],
	['GET', '/api/events?id=4021'],
	['GET', '/api/dashboards'],
	['GET', '/dashboards/IT%20Glue%20-%20Report%20uploaded'],
	['GET', '/api/itglue/status'],
	['GET', '/api/itglue/instances'],
	['POST', '/api/itglue/instances', J],
	['PUT', '/api/itglue/instances/Demo', { api_key: J.api_key }],
	['DELETE', '/api/itglue/instances/Demo'],
	['PUT', '/api/itglue/instances/Demo/groups', { groups: [] }],
	['POST', '/api/itglue/instances/Demo/test', {}],
	['POST', '/api/itglue/instances/Demo/import-preview', { feature: 'organizations' }],
	['POST', '/api/itglue/instances/Demo/import', { feature: 'organizations' }],
	['GET', '/api/itglue/instances/Demo/imported?feature=organizations'],
	['GET', '/api/itglue/instances/Demo/mappings'],
	['POST', '/api/itglue/automap', { instance: 'Demo' }],
	['GET', '/api/itglue/jobs/1'],
	['POST', '/api/itglue/map', { instance: 'Demo', group: 'Default', organization_id: 1 }],
	['POST', '/api/itglue/unmap', { instance: 'Demo', group: 'Default' }],
	['GET', '/api/itglue/publish-check?group=Default'],
	['POST', '/api/itglue/publish', { report_id: 1 }],
	['GET', '/api/itglue/outbox'],
	['POST', '/api/itglue/outbox/retry', {}],
	['GET', '/api/itglue/config'],
	['PUT', '/api/itglue/config', { automap_interval_hours: 1 }],
];

test('every screen opened without a session shows the login screen', async () => {
	const { page, stack } = ctx;
	for (const hash of SCREENS) {
		await page.goto(`${stack.consoleUrl}/${hash}`);
		const main = await screen(page, 'login');
		await main.getByLabel('Password').waitFor();
		await shot(page, `${hash.replace(/[#/]+/g, '_').replace(/^_|_$/g, '')}-login`);
	}
});

test('every API route answers 401 without a session', async () => {
	const wrong = [];
	for (const [method, path, body, type] of ROUTES) {
		const r = await ctx.stack.api(method, path, {
			body,
			headers: type ? { 'Content-Type': type } : {},
		});
		if (r.status !== 401) wrong.push(`${method} ${path}: ${r.status} ${r.text.slice(0, 200)}`);
	}
	assert.deepEqual(wrong, [], 'routes that did not answer 401');
});

test('a made-up session cookie is refused with 401', async () => {
	const r = await ctx.stack.api('GET', '/api/itglue/instances', {
		cookie: 'xdr_console=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
	});
	assert.equal(r.status, 401);
});

test('the writes refused without a session changed nothing', async () => {
	const { stack } = ctx;
	const list = await stack.admin('instance.list');
	const names = JSON.stringify(list);
	assert.match(names, /"Demo"/, 'instance Demo is still there');
	assert.doesNotMatch(names, /Evil/, 'no instance Evil was added');
	const setting = await stack.host(['setting', 'get', 'psa_rmm_integration']);
	assert.match(setting.out, /on/, 'the integration is still on');
	const rc = await stack.host(['report', 'config', 'list', '--json']);
	assert.doesNotMatch(rc.out, /Evil/, 'no report configuration Evil was added');
});

test('a wrong password shows "Wrong password" and stays on the login screen', async () => {
	const { page, stack } = ctx;
	await page.goto(`${stack.consoleUrl}/#/login`);
	const main = await screen(page, 'login');
	await main.getByLabel('Password').fill('not the password at all');
	await main.getByRole('button', { name: 'Log in' }).click();
	await page.getByRole('alert').filter({ hasText: 'Wrong password' }).waitFor();
	await screen(page, 'login');
	await shot(page, 'wrong-password');
});

test('after a login the screen opens; after logout the API answers 401 again', async () => {
	const { page, stack } = ctx;
	await login(page, stack);
	await page.goto(`${stack.consoleUrl}/#/events`);
	await screen(page, 'events');
	const s = await stack.login();
	assert.equal((await stack.api('GET', '/api/session', { cookie: s.cookie })).status, 200);
	const out = await stack.api('POST', '/api/logout', { cookie: s.cookie, csrf: s.csrf, body: {} });
	assert.ok(out.status >= 200 && out.status < 300, `logout answered ${out.status}`);
	assert.equal((await stack.api('GET', '/api/session', { cookie: s.cookie })).status, 401);
});
