// report_config.js - #/tools/report-config: Tools > Summary Report Config,
// the "Report Configuration" tab. Add (Name, Group, "Publish report to
// the IT Glue", Save) or Edit (Update). Publishing is refused for a group
// that no IT Glue organization is mapped to: the server says why.

import * as api from '../api.js';
import { el, field, select, button, table, alertBox, screen, replace, busy,
	statusLine, checkField, badge } from '../dom.js';

export async function render(root) {
	const alert = alertBox();
	const formBox = el('div');
	const listBox = el('div');
	let groups = [];

	async function loadGroups() {
		try {
			const d = await api.get('/api/groups', { limit: 500 });
			groups = d.items || [];
		} catch (e) {
			alert.show(e);
		}
	}

	function showForm(cfg) {
		const editing = cfg !== null;
		const fAlert = alertBox();
		const name = el('input', { type: 'text', autocomplete: 'off',
			maxlength: '200', required: true,
			value: editing ? cfg.name : '', readOnly: editing });
		const group = select(groups.map(g => [g.name, g.name]),
			editing ? cfg.group : undefined, { disabled: editing });
		const publish = el('input', { type: 'checkbox',
			checked: editing && !!cfg.publish_itglue });
		const submit = el('button', { type: 'submit', class: 'primary' },
			editing ? 'Update' : 'Save');
		const note = el('div');
		const form = el('form', { class: 'card' },
			el('h2', null, editing ? 'Edit ' + cfg.name
				: 'Add a report configuration'),
			el('div', { class: 'grid3' }, field('Name', name),
				field('Group', group)),
			checkField('Publish report to the IT Glue', publish),
			el('p', { class: 'muted' }, 'Publishing needs the group ' +
				'mapped to an IT Glue organization (the Mapping page).'),
			fAlert.node, note,
			el('div', { class: 'actions' }, submit,
				button('Cancel', () => replace(formBox))));
		form.addEventListener('submit', async e => {
			e.preventDefault();
			await busy(submit, fAlert, async () => {
				const answer = editing
					? await api.put('/api/report-configs/' +
						encodeURIComponent(cfg.id),
					{ publish_itglue: publish.checked })
					: await api.post('/api/report-configs', {
						name: name.value.trim(), group: group.value,
						publish_itglue: publish.checked });
				replace(formBox, answer && answer.warning
					? statusLine('Saved, with a warning: ' +
						answer.warning, 'bad')
					: statusLine(editing ? 'Updated.' : 'Saved.', 'ok'));
				await loadList();
			});
		});
		replace(formBox, form);
		(editing ? publish : name).focus();
	}

	async function loadList() {
		let items = [];
		try {
			const d = await api.get('/api/report-configs', { limit: 500 });
			items = Array.isArray(d) ? d : d.items || d.configs || [];
		} catch (e) {
			alert.show(e);
		}
		replace(listBox, table([
			{ title: 'Name', value: c => c.name },
			{ title: 'Group', value: c => c.group },
			{ title: 'Publish report to the IT Glue', value: c =>
				c.publish_itglue ? badge('on', 'ok')
					: badge('off', 'neutral') },
			{ title: '', value: c => button('Edit', () => showForm(c)) },
		], items, { label: 'Report configurations',
			empty: 'No report configuration yet: click Add.' }));
	}

	screen(root, 'report-config', 'Report Configuration',
		el('div', { role: 'tablist', class: 'tabs',
			'aria-label': 'Executive Summary' },
		el('button', { type: 'button', role: 'tab', class: 'tab',
			'aria-selected': 'true' }, 'Report Configuration')),
		el('div', { class: 'toolbar' }, button('Add', () =>
			showForm(null), { class: 'primary' })),
		alert.node, formBox, listBox);
	await loadGroups();
	await loadList();
}
