// events.js - #/events: the host's event log, filtered by event id (the
// plugin's 4018, 4019, 4021, 4022) and text.

import * as api from '../api.js';
import { el, field, select, table, text, screen, badge, when } from
	'../dom.js';
import { pager } from '../pager.js';

const IDS = [['', 'All'], ['4018', '4018 Automap failed for groups'],
	['4019', '4019 Automap failed for systems'],
	['4021', '4021 Report uploaded'], ['4022', '4022 Report upload failed']];

export async function render(root, params, ctx) {
	const id = select(IDS, ctx.query.get('id') || '');
	const list = pager({
		load: q => api.get('/api/events', Object.assign({ id: id.value },
			q)),
		render: items => table([
			{ title: 'Time', value: e => when(e.time) },
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
	screen(root, 'events', 'Events',
		el('div', { class: 'grid3' }, field('Event ID', id)), list.node);
	await list.first();
}
