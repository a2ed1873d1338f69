// events.js - #/events: the host's event log, filtered by event id (the
// plugin's 4018, 4019, 4021, 4022) and text.

import * as api from '../api.js';
import { field, select, table, text, screen, badge, when } from
	'../dom.js';
import { pager } from '../pager.js';

const IDS = [['', 'All'], ['4018', '4018'], ['4019', '4019'], ['4021', '4021'],
	['4022', '4022']];
const TITLES = {
	4018: 'IT Glue: Automap failed for groups',
	4019: 'IT Glue: Automap failed for systems',
	4021: 'IT Glue: Report uploaded',
	4022: 'IT Glue: Report upload failed',
};

export async function render(root, params, ctx) {
	const id = select(IDS, ctx.query.get('id') || '');
	for (const o of id.options)
		if (TITLES[o.value])
			o.setAttribute('title', TITLES[o.value]);
	const list = pager({
		tools: [field('Event ID', id)],
		load: q => api.get('/api/events', Object.assign({ id: id.value },
			q)),
		render: items => table([
			{ title: 'Time', class: 'nowrap', value: e => when(e.time) },
			{ title: 'Event ID', value: e => String(e.id) },
			{ title: 'Severity', value: e => badge(text(e.severity),
				e.severity === 'error' ? 'bad' : e.severity ===
				'warning' ? 'warn' : 'neutral') },
			{ title: 'Source', value: e => e.source },
			{ title: 'Category', value: e => e.category },
			{ title: 'Description', value: e => e.description,
				class: 'wrap' },
		], items, { label: 'Events', empty: 'No event.' }),
	});
	id.addEventListener('change', () => list.first());
	screen(root, 'events', 'Events', list.node);
	await list.first();
}
