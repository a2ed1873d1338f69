// app.js - the console's entry: the session, the hash router and the menu.
// "PSA/RMM Integration" is in the Admin menu only while the setting
// psa_rmm_integration is on (Admin > Manager).

import * as api from './api.js';
import { el, replace, alertBox, screen } from './dom.js';
import * as login from './screens/login.js';
import * as manager from './screens/manager.js';
import * as itglue from './screens/itglue.js';
import * as importScreen from './screens/import.js';
import * as mapping from './screens/mapping.js';
import * as failures from './screens/failures.js';
import * as reportConfig from './screens/report_config.js';
import * as reports from './screens/report_dashboard.js';
import * as outbox from './screens/outbox.js';
import * as events from './screens/events.js';
import * as dashboards from './screens/dashboards.js';

// [pattern, module]; :name captures one path segment.
const routes = [
	['/login', login],
	['/admin/manager', manager],
	['/itglue', itglue],
	['/itglue/outbox', outbox],
	['/itglue/:inst/import', importScreen],
	['/itglue/:inst/mapping', mapping],
	['/itglue/:inst/failures', failures],
	['/tools/report-config', reportConfig],
	['/reports', reports],
	['/events', events],
	['/dashboards', dashboards],
];

const state = { integration: false, authed: false };

export function integrationOn() {
	return state.integration;
}

function match(path) {
	const parts = path.split('/').filter(Boolean);
	for (const [pattern, mod] of routes) {
		const want = pattern.split('/').filter(Boolean);
		if (want.length !== parts.length)
			continue;
		const params = {};
		let ok = true;
		for (let i = 0; i < want.length && ok; i++) {
			if (want[i].startsWith(':')) {
				try {
					params[want[i].slice(1)] =
						decodeURIComponent(parts[i]);
				} catch (e) {
					ok = false;
				}
			} else if (want[i] !== parts[i]) {
				ok = false;
			}
		}
		if (ok)
			return { mod, params };
	}
	return null;
}

function parseHash() {
	const h = location.hash.replace(/^#/, '') || '/reports';
	const [path, qs] = h.split('?');
	return { path, query: new URLSearchParams(qs || '') };
}

function link(href, label) {
	const a = el('a', { href }, label);
	const cur = '#' + parseHash().path;
	if (cur === href)
		a.setAttribute('aria-current', 'page');
	return el('li', null, a);
}

export function drawMenu() {
	const nav = document.getElementById('menu');
	if (!state.authed) {
		nav.hidden = true;
		return;
	}
	const admin = [link('#/admin/manager', 'Manager')];
	if (state.integration)
		admin.push(link('#/itglue', 'PSA/RMM Integration'));
	const itg = state.integration ? [
		el('h2', null, 'IT Glue'),
		el('ul', null, link('#/itglue/outbox', 'Outbox')),
	] : [];
	replace(nav,
		el('h2', null, 'Admin'), el('ul', null, admin),
		el('h2', null, 'Tools'), el('ul', null,
			link('#/tools/report-config', 'Report Configuration')),
		el('h2', null, 'Reports'), el('ul', null,
			link('#/reports', 'Report Dashboard'),
			link('#/events', 'Events'),
			link('#/dashboards', 'Dashboards')),
		itg);
	nav.hidden = false;
}

// Reads the setting again and redraws the menu.
export async function refreshIntegration() {
	try {
		const s = await api.get('/api/settings/psa_rmm_integration');
		state.integration = !!s && s.value === 'on';
	} catch (e) {
		state.integration = false;
	}
	drawMenu();
	return state.integration;
}

export function loggedIn() {
	state.authed = true;
	document.getElementById('logout').hidden = false;
}

function loggedOut() {
	state.authed = false;
	state.integration = false;
	document.getElementById('logout').hidden = true;
	drawMenu();
}

let renderSeq = 0;

async function route() {
	const seq = ++renderSeq;
	const root = document.getElementById('screen');
	const { path, query } = parseHash();
	if (path === '/login') {
		loggedOut();
		login.render(root, {}, { query, app });
		return;
	}
	if (!api.hasSession()) {
		try {
			await api.session();
			loggedIn();
			await refreshIntegration();
		} catch (e) {
			if (e.status === 401) {
				api.loginRedirect();
			} else {
				const a = alertBox();
				screen(root, 'error', 'Open XDR console', a.node);
				a.show(e);
			}
			return;
		}
		if (seq !== renderSeq)
			return;
	}
	drawMenu();
	const m = match(path);
	if (!m) {
		const a = alertBox();
		screen(root, 'not-found', 'Not found', a.node);
		a.show('No screen at ' + path);
		return;
	}
	try {
		await m.mod.render(root, m.params, { query, app });
	} catch (e) {
		const a = alertBox();
		root.appendChild(a.node);
		a.show(e);
	}
}

const app = { refreshIntegration, loggedIn, integrationOn, drawMenu };

document.getElementById('logout').addEventListener('click', async () => {
	await api.logout().catch(() => {});
	location.hash = '#/login';
});
window.addEventListener('hashchange', route);
route();
