// manager.js - #/admin/manager: Admin > Manager, "Enable PSA/RMM
// Integration" (the host setting psa_rmm_integration, on or off).

import * as api from '../api.js';
import { el, checkField, alertBox, screen, busy, statusLine, replace, table,
	text, badge } from '../dom.js';

export async function render(root, params, ctx) {
	const alert = alertBox();
	const box = el('input', { type: 'checkbox', name: 'psa_rmm' });
	const save = el('button', { type: 'submit', class: 'primary' }, 'Save');
	const result = el('div');
	const plugins = el('div');
	const form = el('form', { class: 'card' },
		el('h2', null, 'PSA/RMM Integration'),
		checkField('Enable PSA/RMM Integration', box), alert.node,
		el('div', { class: 'actions' }, save), result);
	form.addEventListener('submit', async e => {
		e.preventDefault();
		replace(result);
		await busy(save, alert, async () => {
			await api.put('/api/settings/psa_rmm_integration',
				{ value: box.checked ? 'on' : 'off' });
			const on = await ctx.app.refreshIntegration();
			replace(result, statusLine(on
				? 'Saved: "PSA/RMM Integration" is now in the Admin menu.'
				: 'Saved: PSA/RMM Integration is off.', 'ok'));
		});
	});
	screen(root, 'manager', 'Manager', form,
		el('section', { class: 'card' }, el('h2', null, 'Plugins'),
			plugins));
	try {
		const s = await api.get('/api/settings/psa_rmm_integration');
		box.checked = !!s && s.value === 'on';
	} catch (e) {
		alert.show(e);
	}
	try {
		const p = await api.get('/api/plugins');
		const list = Array.isArray(p) ? p : p && (p.items || p.plugins) ||
			[];
		replace(plugins, table([
			{ title: 'Name', value: r => text(r.name || r.file) },
			{ title: 'Version', value: r => r.version },
			{ title: 'State', value: r => r.loaded
				? badge('loaded', 'ok')
				: badge('refused', 'bad') },
			{ title: 'Detail', value: r => r.error || r.description },
		], list, { label: 'Plugins', empty: 'No plugin.' }));
	} catch (e) {
		replace(plugins, el('p', { class: 'muted' }, e.message));
	}
}
