// dashboards.js - #/dashboards: the knowledge pack's dashboards, each
// rendered by the host (/dashboards/NAME) in a sandboxed frame: no script,
// its own origin, nothing of the console reachable from it.

import * as api from '../api.js';
import { el, alertBox, screen } from '../dom.js';

export async function render(root) {
	const alert = alertBox();
	const grid = el('div', { class: 'dashboards' });
	screen(root, 'dashboards', 'Dashboards', alert.node, grid);
	let names = [];
	try {
		const d = await api.get('/api/dashboards');
		const list = Array.isArray(d) ? d : d.items || d.dashboards || [];
		names = list.map(x => typeof x === 'string' ? x : x.name)
			.filter(n => typeof n === 'string' && n !== '');
	} catch (e) {
		alert.show(e);
		return;
	}
	if (names.length === 0)
		grid.append(el('p', { class: 'muted' }, 'No dashboard: install ' +
			'the knowledge pack (xdr-host kp install).'));
	for (const name of names) {
		grid.append(el('figure', { class: 'card dash' },
			el('figcaption', null, name),
			el('iframe', { sandbox: '', title: name,
				referrerpolicy: 'no-referrer',
				src: '/dashboards/' + encodeURIComponent(name) })));
	}
}
