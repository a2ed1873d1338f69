// failures.js - #/itglue/INST/failures: the groups and systems the
// auto-map could not map, with the reason (events 4018 and 4019 say the
// same), and those left to map by hand (needs_manual: syslog and other
// sensors without a MAC).

import * as api from '../api.js';
import { el, field, select, table, alertBox, screen, stateBadge } from
	'../dom.js';
import { pager } from '../pager.js';

export async function render(root, params) {
	const instId = params.inst;
	const alert = alertBox();
	const state = select([['failed', 'failed'], ['needs_manual',
		'needs_manual'], ['stale', 'stale']], 'failed');
	const kind = select([['both', 'Groups and systems'], ['groups',
		'Groups'], ['systems', 'Systems']], 'both');
	const path = api.inst(instId) + '/mappings';

	// Groups then systems, as one paged list.
	async function load({ q, offset, limit }) {
		const kinds = kind.value === 'both' ? ['groups', 'systems']
			: [kind.value];
		const out = { total: 0, items: [] };
		let off = offset;
		let want = limit;
		for (const k of kinds) {
			const d = await api.get(path, { kind: k, state: state.value,
				q, offset: want > 0 ? off : 0, limit: Math.max(want, 1) });
			const items = want > 0 ? d.items || [] : [];
			for (const r of items)
				out.items.push(Object.assign({ kind: k === 'groups'
					? 'group' : 'system' }, r));
			out.total += d.total || 0;
			off = Math.max(0, off - (d.total || 0));
			want -= items.length;
		}
		return out;
	}

	const list = pager({
		tools: [field('State', state), field('Kind', kind)],
		load,
		render: items => table([
			{ title: 'Name', value: r => r.name },
			{ title: 'Kind', value: r => r.kind },
			{ title: 'State', value: r => stateBadge(r.state) },
			{ title: 'Reason', value: r => r.reason },
			{ title: 'Group', value: r => r.kind === 'system' ? r.group
				: '-' },
			{ title: 'Customer e-mail', value: r => r.email },
		], items, { label: 'Mapping failures', rowClass: r =>
			r.state === 'needs_manual' ? null : 'bad',
		empty: 'No failure.' }),
	});
	state.addEventListener('change', () => list.first());
	kind.addEventListener('change', () => list.first());
	const instName = await api.instanceName(instId);
	screen(root, 'failures', 'Mapping failures',
		el('p', { class: 'muted' }, 'IT Glue instance: ' + instName +
			'. Map these by hand on the ',
		el('a', { href: '#/itglue/' + encodeURIComponent(instId) +
			'/mapping' }, 'Mapping page'),
		'; events 4018 and 4019 record each failure.'),
		alert.node, list.node);
	await list.first();
}
