// outbox.js - #/itglue/outbox: the reports waiting for, being, or done
// being published to IT Glue, and the failed ones with their reason and a
// "Retry" (outbox.retry).

import * as api from '../api.js';
import { el, field, select, button, table, text, alertBox, screen, replace,
	busy, stateBadge, when, statusLine } from '../dom.js';
import { followJob, jobBox } from '../jobs.js';
import { pager } from '../pager.js';

export async function render(root) {
	const alert = alertBox();
	const counts = el('div', { class: 'counts' });
	const detail = el('div');
	const state = select([['', 'All'], ['pending', 'pending'],
		['working', 'working'], ['done', 'done'], ['failed', 'failed']], '');

	async function loadCounts() {
		try {
			const s = await api.get('/api/itglue/status');
			const o = s && s.outbox;
			if (!o || typeof o !== 'object') {
				replace(counts, el('span', { class: 'muted' },
					'The outbox cannot be read now.'));
				return;
			}
			const parts = [];
			for (const [k, v] of Object.entries(o)) {
				if (typeof v === 'number')
					parts.push(el('span', { class: ['count',
						k === 'failed' && v > 0 ? 'bad' : k.startsWith(
							'done') ? 'ok' : null] },
					el('strong', null, String(v)), ' ',
					k.replace(/_/g, ' ')));
			}
			replace(counts, parts);
		} catch (e) {
			alert.show(e);
		}
	}

	async function retry(r, btn) {
		const box = jobBox();
		replace(detail, el('section', { class: 'card' },
			el('h2', null, 'Retry report ' + text(r.report_id)), box));
		await busy(btn, alert, async () => {
			const { job } = await api.post('/api/itglue/outbox/retry',
				{ report_id: r.report_id });
			const done = await followJob(job, box);
			const p = done.result || {};
			if (done.state === 'done')
				box.appendChild(statusLine('Report ' + text(p.report_id) +
					': ' + text(p.state) + (p.detail ? ' (' + p.detail +
					')' : ''), p.state === 'failed' ? 'bad' : 'ok'));
			await Promise.all([list.reload(), loadCounts()]);
		});
	}

	const list = pager({
		search: false,
		tools: [field('State', state)],
		load: q => api.get('/api/itglue/outbox', Object.assign(
			{ state: state.value }, q)),
		render: items => table([
			{ title: 'Report', value: r => String(r.report_id) },
			{ title: 'State', value: r => stateBadge(r.state) },
			{ title: 'Attempts', value: r => r.attempts },
			{ title: 'IT Glue asset', value: r => r.asset_id },
			{ title: 'Last error', value: r => r.last_error },
			{ title: 'Next attempt', value: r => when(r.next_attempt) },
			{ title: 'Updated', value: r => when(r.updated_at) },
			{ title: '', value: r => {
				if (r.state !== 'failed')
					return el('span');
				const b = button('Retry', () => retry(r, b));
				return b;
			} },
		], items, { label: 'Outbox', rowClass: r => r.state === 'failed'
			? 'bad' : r.state === 'done' ? 'ok' : null,
		empty: 'The outbox is empty.' }),
	});
	state.addEventListener('change', () => list.first());
	screen(root, 'outbox', 'Outbox', counts, alert.node, list.node, detail);
	await Promise.all([loadCounts(), list.first()]);
}
