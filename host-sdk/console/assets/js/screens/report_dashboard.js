// report_dashboard.js - #/reports: the Report Dashboard. The generated
// reports (Search, Page size, Total), each with its IT Glue state and an
// "Actions" (gear) menu: "Publish to IT Glue" (by hand, e.g. after a
// failure) and "Information". "Generate report" uploads a report file, as
// the manager would generate one, so that a demo has something to publish.

import * as api from '../api.js';
import { el, field, select, table, text, alertBox, screen, replace,
	busy, statusLine, badge, when } from '../dom.js';
import { followJob, jobBox } from '../jobs.js';
import { pager } from '../pager.js';

// The outbox's states as the dashboard words them.
const STATES = { done: 'published', failed: 'failed', pending: 'pending',
	working: 'publishing' };

const TYPES = ['Security Summary', 'Executive Summary', 'Compliance Summary',
	'Extended Summary'];

let openMenu = null;

function closeMenu() {
	if (openMenu) {
		openMenu.menu.hidden = true;
		openMenu.btn.setAttribute('aria-expanded', 'false');
		openMenu = null;
	}
}

document.addEventListener('click', e => {
	if (openMenu && !openMenu.wrap.contains(e.target))
		closeMenu();
});
document.addEventListener('keydown', e => {
	if (e.key === 'Escape')
		closeMenu();
});

export async function render(root) {
	const alert = alertBox();
	const detail = el('div');

	function itglueCell(r) {
		const o = r.itglue || r.outbox;
		if (!o)
			return r.publish_itglue ? el('span', { class: 'muted' },
				'not queued') : '-';
		const node = el('span', null, badge(STATES[o.state] || text(o.state),
			o.state === 'done' ? 'ok' : o.state === 'failed' ? 'bad'
				: 'neutral'));
		if (o.asset_id)
			node.append(' asset ', text(o.asset_id));
		if (o.last_error)
			node.setAttribute('title', String(o.last_error));
		return node;
	}

	function info(r) {
		const o = r.itglue || r.outbox || {};
		const rows = [
			['Title', r.title], ['Type', r.type],
			['Configuration', r.config], ['Group', r.group],
			['Generation Type', r.config ? 'Schedule' : 'Manual'],
			['Generated On', when(r.generated_at)],
			['File', r.file_name], ['Size', r.size + ' bytes'],
			['Systems', (r.systems || []).join(', ')],
			['Publish to IT Glue', r.publish_itglue ? 'yes' : 'no'],
			['IT Glue state', STATES[o.state] || o.state],
			['IT Glue asset', o.asset_id],
			['Attempts', o.attempts], ['Last error', o.last_error],
		];
		replace(detail, el('section', { class: 'card' },
			el('h2', null, 'Information: ' + text(r.title)),
			el('dl', { class: 'info' }, rows.map(([k, v]) => [
				el('dt', null, k), el('dd', null, text(v))]))));
	}

	async function publish(r, btn) {
		const box = jobBox();
		const res = el('div');
		const pAlert = alertBox();
		replace(detail, el('section', { class: 'card' },
			el('h2', null, 'Publish to IT Glue: ' + text(r.title)),
			pAlert.node, box, res));
		await busy(btn, pAlert, async () => {
			const { job } = await api.post('/api/itglue/publish',
				{ report_id: r.id });
			const done = await followJob(job, box);
			const p = done.result || {};
			if (done.state === 'done')
				replace(res, statusLine('Report ' + text(p.report_id) +
					': ' + text(p.state) + (p.asset_id ? ', asset ' +
					p.asset_id : '') + (p.file ? ', file ' + p.file
					: '') + (p.detail ? ' (' + p.detail + ')' : ''),
				p.state === 'failed' ? 'bad' : 'ok'));
			await list.reload();
		});
	}

	function actions(r) {
		const wrap = el('div', { class: 'menu-wrap' });
		const menu = el('div', { role: 'menu', class: 'menu',
			hidden: true });
		const btn = el('button', { type: 'button', class: 'gear',
			'aria-haspopup': 'menu', 'aria-expanded': 'false' },
		'Actions');
		btn.addEventListener('click', e => {
			e.stopPropagation();
			const open = openMenu && openMenu.menu === menu;
			closeMenu();
			if (!open) {
				menu.hidden = false;
				btn.setAttribute('aria-expanded', 'true');
				openMenu = { menu, btn, wrap };
				menu.firstChild.focus();
			}
		});
		const item = (label, fn) => el('button', { type: 'button',
			role: 'menuitem', on: { click: () => {
				closeMenu();
				fn();
			} } }, label);
		menu.append(item('Publish to IT Glue', () => publish(r, btn)),
			item('Information', () => info(r)));
		wrap.append(btn, menu);
		return wrap;
	}

	const list = pager({
		load: q => api.get('/api/reports', q),
		render: items => table([
			{ title: 'Title', value: r => r.title },
			{ title: 'Type', value: r => r.type },
			{ title: 'Generation Type', value: r => r.config
				? 'Schedule' : 'Manual' },
			{ title: 'Generated On', class: 'nowrap',
				value: r => when(r.generated_at) },
			{ title: 'Size (KB)', value: r => typeof r.size === 'number'
				? String(Math.max(1, Math.round(r.size / 1024))) : '-' },
			{ title: 'IT Glue', value: itglueCell },
			{ title: 'Actions', value: actions },
		], items, { label: 'Reports', empty: 'No report yet.' }),
	});

	// "Generate report": a file sent as text/html.
	const gAlert = alertBox();
	const cfg = select([], '');
	const title = el('input', { type: 'text', autocomplete: 'off',
		maxlength: '200' });
	const type = select(TYPES, TYPES[0]);
	const file = el('input', { type: 'file', accept: '.html,.htm,text/html' });
	const gen = el('button', { type: 'submit' }, 'Generate');
	const gOut = el('div');
	const form = el('form', { class: 'card' },
		el('h2', null, 'Generate report'),
		el('div', { class: 'grid2' }, field('Configuration', cfg),
			field('Title', title), field('Type', type),
			field('Report file', file)),
		gAlert.node, el('div', { class: 'actions' }, gen), gOut);
	form.addEventListener('submit', async e => {
		e.preventDefault();
		replace(gOut);
		await busy(gen, gAlert, async () => {
			const f = file.files && file.files[0];
			if (!f)
				throw new Error('Choose the report file (HTML).');
			if (title.value.trim() === '')
				throw new Error('Give the report a title.');
			const answer = await api.request('POST', '/api/reports' +
				api.query({ config: cfg.value, title: title.value.trim(),
					type: type.value }), f,
			{ contentType: 'text/html' });
			replace(gOut, statusLine('Generated report ' +
				text(answer && (answer.id || answer.report_id)) + '.',
			'ok'));
			await list.first();
		});
	});

	screen(root, 'reports', 'Report Dashboard', alert.node, list.node,
		detail, form);
	try {
		const d = await api.get('/api/report-configs', { limit: 500 });
		const items = Array.isArray(d) ? d : d.items || [];
		replace(cfg, items.map(c => el('option', { value: c.name },
			c.name)));
	} catch (e) {
		gAlert.show(e);
	}
	await list.first();
}
