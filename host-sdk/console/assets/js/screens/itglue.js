// itglue.js - #/itglue: Admin > PSA/RMM Integration, the "IT Glue" tab.
// Instances (Add, Edit, Remove, Test Connection and its green light), the
// groups an instance serves, Auto Map (a dry run shown as "Preview", then
// "Apply"), and "Next" to the Import page.

import * as api from '../api.js';
import { el, field, select, button, table, text, alertBox, screen,
	replace, busy, statusLine, checkField, stateBadge } from '../dom.js';
import { followJob, jobBox } from '../jobs.js';

const REGIONS = [['us', 'us'], ['eu', 'eu'], ['au', 'au']];

// The status line of a connection test, from an instance's last_test or a
// finished test job's result.
export function testLine(t) {
	if (!t)
		return statusLine('Not tested', 'neutral');
	if (t.ok) {
		const d = typeof t.detail === 'string' ? t.detail : '';
		return statusLine(/^connected\b/i.test(d) ? 'C' + d.slice(1)
			: 'Connected' + (d ? ': ' + d : ''), 'ok');
	}
	return statusLine('Failed: ' + text(t.detail || t.kind), 'bad');
}

export async function render(root, params, ctx) {
	const alert = alertBox();
	const formBox = el('div');
	const instBox = el('div');
	const groupBox = el('div');
	const autoBox = el('div');
	const st = { instances: [], current: null, groups: [], dirty: false };

	if (!ctx.app.integrationOn()) {
		screen(root, 'itglue', 'PSA/RMM Integration',
			statusLine('PSA/RMM Integration is off: turn on "Enable ' +
				'PSA/RMM Integration" in Admin > Manager.', 'bad'),
			el('a', { href: '#/admin/manager' }, 'Manager'));
		return;
	}

	const add = button('Add', () => showForm(null), { class: 'primary' });
	const tab = el('div', { role: 'tablist', class: 'tabs',
		'aria-label': 'Integrations' },
	el('button', { type: 'button', role: 'tab', 'aria-selected': 'true',
		id: 'tab-itglue', 'aria-controls': 'panel-itglue',
		class: 'tab' }, 'IT Glue'));
	const panel = el('section', { role: 'tabpanel', id: 'panel-itglue',
		'aria-labelledby': 'tab-itglue' },
	el('div', { class: 'toolbar' }, add), alert.node, formBox,
	el('section', { class: 'card' }, el('h2', null, 'Instances'), instBox),
	groupBox, autoBox);
	screen(root, 'itglue', 'PSA/RMM Integration', tab, panel);

	function showForm(inst) {
		const editing = inst !== null;
		const fAlert = alertBox();
		const name = el('input', { type: 'text', autocomplete: 'off',
			required: true, maxlength: '128',
			value: editing ? inst.name : '' });
		const region = select(REGIONS, editing && inst.region ?
			inst.region : 'us');
		const url = el('input', { type: 'url', autocomplete: 'off',
			placeholder: 'https://api.itglue.com (or empty: the region\'s)',
			value: editing && !inst.region && inst.url ? inst.url : '' });
		const key = el('input', { type: 'password', autocomplete: 'off',
			spellcheck: 'false', placeholder: editing ?
				text(inst.api_key) + ' (unchanged unless typed)' : '' });
		const ca = el('input', { type: 'text', autocomplete: 'off',
			value: editing && inst.ca_file ? inst.ca_file : '',
			placeholder: '/path/to/ca.pem (optional)' });
		const proxy = el('input', { type: 'text', autocomplete: 'off',
			value: editing && inst.proxy ? inst.proxy : '',
			placeholder: 'http://proxy:3128 (optional)' });
		const save = el('button', { type: 'submit', class: 'primary' },
			'Save');
		const cancel = button('Cancel', () => replace(formBox));
		const form = el('form', { class: 'card', autocomplete: 'off' },
			el('h2', null, editing ? 'Edit instance ' + inst.name
				: 'Add an IT Glue instance'),
			el('div', { class: 'grid2' },
				field('Name', name),
				field('Region', region,
					'The EU and AU regions have their own API URL.'),
				field('API URL', url,
					'Overrides the region when given.'),
				field('API Key', key, editing
					? 'Leave empty to keep the stored key.'
					: 'From the IT Glue account: Settings > API Keys.'),
				field('CA file', ca),
				field('Proxy', proxy)),
			fAlert.node, el('div', { class: 'actions' }, save, cancel));
		form.addEventListener('submit', async e => {
			e.preventDefault();
			const body = { name: name.value.trim() };
			if (url.value.trim() !== '')
				body.url = url.value.trim();
			else
				body.region = region.value;
			if (key.value !== '')
				body.api_key = key.value;
			key.value = '';
			if (ca.value.trim() !== '')
				body.ca_file = ca.value.trim();
			else if (editing && inst.ca_file)
				body.ca_file = null;
			if (proxy.value.trim() !== '')
				body.proxy = proxy.value.trim();
			else if (editing && inst.proxy)
				body.proxy = null;
			if (!editing && !body.api_key) {
				fAlert.show('The API Key is required.');
				return;
			}
			await busy(save, fAlert, async () => {
				const saved = editing
					? await api.put(api.inst(inst.id), body)
					: await api.post('/api/itglue/instances', body);
				replace(formBox);
				await loadInstances(saved && saved.id);
			});
		});
		replace(formBox, form);
		name.focus();
	}

	async function test(inst, box, btn) {
		await busy(btn, alert, async () => {
			const { job } = await api.post(api.inst(inst.id) + '/test',
				{});
			const done = await followJob(job, box);
			if (done.state === 'done' && done.result)
				replace(box, testLine(done.result));
			await loadInstances(inst.id, true);
		});
	}

	function remove(inst, cell) {
		const yes = button('Yes, remove', async () => {
			await busy(yes, alert, async () => {
				await api.del(api.inst(inst.id));
				await loadInstances();
			});
		}, { class: 'danger' });
		const no = button('Cancel', () => loadInstances(st.current &&
			st.current.id, true));
		replace(cell, el('span', null, 'Remove ' + inst.name +
			' and its mappings? '), yes, no);
	}

	function drawInstances() {
		const rows = st.instances;
		replace(instBox, table([
			{ title: 'Name', value: i => i.name },
			{ title: 'Region / API URL', value: i => i.region
				? i.region + ' (' + text(i.url) + ')' : i.url },
			{ title: 'API Key', value: i => el('code', null,
				text(i.api_key)) },
			{ title: 'Groups', value: i => (i.groups || [])
				.map(g => g.name).join(', ') || '-' },
			{ title: 'Connection', value: i => {
				const box = jobBox();
				box.appendChild(testLine(i.last_test));
				i._box = box;
				return box;
			} },
			{ title: 'Actions', class: 'actions-cell', value: i => {
				const cell = el('div', { class: 'row-actions' });
				const t = button('Test Connection', () =>
					test(i, i._box, t));
				cell.append(t,
					button('Edit', () => showForm(i)),
					button('Remove', () => remove(i, cell)),
					el('a', { href: '#/itglue/' +
						encodeURIComponent(i.id) + '/import' },
					'Import'),
					el('a', { href: '#/itglue/' +
						encodeURIComponent(i.id) + '/mapping' },
					'Mapping'),
					el('a', { href: '#/itglue/' +
						encodeURIComponent(i.id) + '/failures' },
					'Mapping failures'));
				return cell;
			} },
		], rows, { label: 'Instances', empty:
			'No IT Glue instance yet: click Add.',
		rowClass: i => st.current && i.id === st.current.id
			? 'selected' : null }));
	}

	async function loadInstances(selectId, keepGroups) {
		try {
			const data = await api.get('/api/itglue/instances');
			st.instances = data && Array.isArray(data.instances)
				? data.instances : [];
		} catch (e) {
			alert.show(e);
			st.instances = [];
		}
		st.current = st.instances.find(i => i.id === selectId) ||
			st.instances.find(i => st.current && i.id ===
				st.current.id) || st.instances[0] || null;
		drawInstances();
		if (!keepGroups || !st.dirty)
			await drawGroups();
	}

	async function drawGroups() {
		if (!st.current) {
			replace(groupBox);
			replace(autoBox);
			return;
		}
		const cur = st.current;
		try {
			const g = await api.get('/api/groups', { limit: 500 });
			st.groups = g && Array.isArray(g.items) ? g.items : [];
		} catch (e) {
			alert.show(e);
			st.groups = [];
		}
		const servedBy = new Map();
		for (const i of st.instances)
			for (const g of i.groups || [])
				servedBy.set(g.id, i);
		st.dirty = false;
		const boxes = [];
		const pick = st.instances.length > 1 ? select(
			st.instances.map(i => [i.id, i.name]), cur.id) : null;
		if (pick)
			pick.addEventListener('change', () => {
				st.current = st.instances.find(i => String(i.id) ===
					pick.value);
				drawInstances();
				drawGroups();
			});
		const saveGroups = button('Save groups', () => busy(saveGroups,
			alert, async () => {
				await putGroups();
				await loadInstances(cur.id);
			}));
		const tbl = table([
			{ title: 'Group', value: g => {
				const other = servedBy.get(g.id);
				const cb = el('input', { type: 'checkbox',
					checked: !!other && other.id === cur.id });
				cb.addEventListener('change', () => {
					st.dirty = true;
				});
				boxes.push([g, cb]);
				return checkField(g.name, cb);
			} },
			{ title: 'Customer e-mail', value: g => g.email },
			{ title: 'Served by', value: g => {
				const other = servedBy.get(g.id);
				return other ? other.name : '-';
			} },
		], st.groups, { label: 'Groups', empty: 'The host has no group.' });
		st.boxes = boxes;
		const automap = button('Auto Map', () => runAutomap(cur, automap),
			{ class: 'primary' });
		replace(groupBox, el('section', { class: 'card' },
			el('h2', null, 'Groups of ' + cur.name),
			pick ? field('Instance', pick) : null,
			el('p', { class: 'muted' }, 'Select the groups this ' +
				'instance serves, then Auto Map (a dry run first: ' +
				'nothing changes before Apply).'),
			tbl,
			el('div', { class: 'actions' }, saveGroups, automap,
				el('a', { class: 'button-link', href: '#/itglue/' +
					encodeURIComponent(cur.id) + '/import' },
				'Next'))));
		replace(autoBox);
	}

	async function putGroups() {
		const names = st.boxes.filter(([, cb]) => cb.checked)
			.map(([g]) => g.name);
		await api.put(api.inst(st.current.id) + '/groups',
			{ groups: names });
		st.dirty = false;
	}

	async function runAutomap(cur, btn) {
		await busy(btn, alert, async () => {
			if (st.dirty)
				await putGroups();
			const box = jobBox();
			const out = el('div');
			replace(autoBox, el('section', { class: 'card' },
				el('h2', null, 'Auto Map: dry run'),
				el('p', { class: 'muted' }, 'Reading IT Glue; ' +
					'nothing is written yet. It may take minutes ' +
					'with many groups and systems.'), box, out));
			const { job } = await api.post('/api/itglue/automap',
				{ instance: cur.id, dry_run: true });
			const done = await followJob(job, box);
			if (done.state !== 'done')
				return;
			replace(box); /* the Preview says it is done */
			replace(out, preview(done.result), el('p', {
				class: 'muted' }, 'Apply runs the auto-map again: ' +
				'what changed in IT Glue since this preview is ' +
				'taken into account.'), applyButton(cur));
		});
	}

	function applyButton(cur) {
		const box = jobBox();
		const res = el('div');
		const apply = button('Apply', () => busy(apply, alert,
			async () => {
				const { job } = await api.post('/api/itglue/automap',
					{ instance: cur.id });
				const done = await followJob(job, box);
				if (done.state === 'done')
					replace(res, summary(done.result), el('p', null,
						el('a', { href: '#/itglue/' +
							encodeURIComponent(cur.id) +
							'/mapping' }, 'See the Mapping page'),
						' · ', el('a', { href: '#/itglue/' +
							encodeURIComponent(cur.id) +
							'/failures' }, 'Mapping failures')));
			}), { class: 'primary' });
		return el('div', null, el('div', { class: 'actions' }, apply), box,
			res);
	}

	await loadInstances();
}

// The dry run's details as the "Preview" table.
export function preview(result) {
	const rows = [];
	for (const run of result && result.runs || [])
		for (const d of run.details || [])
			rows.push(Object.assign({ instance: run.instance }, d));
	return el('div', null, el('h3', null, 'Preview'), table([
		{ title: 'Name', value: d => d.group !== undefined ? d.group
			: d.system },
		{ title: 'Kind', value: d => d.group !== undefined ? 'group'
			: 'system' },
		{ title: 'Outcome', value: d => stateBadge(d.outcome) },
		{ title: 'IT Glue id', value: d => d.organization_id ||
			d.configuration_id },
		{ title: 'Reason', value: d => d.reason },
		{ title: 'Candidates', value: d => d.candidates },
	], rows, { label: 'Preview', empty: 'Nothing to map: no group ' +
		'served, or no system.' }), summary(result));
}

function counts(o) {
	return Object.entries(o || {}).map(([k, v]) => k + ' ' + v)
		.join(', ') || '-';
}

export function summary(result) {
	return table([
		{ title: 'Instance', value: r => r.instance },
		{ title: 'Groups', value: r => counts(r.groups) },
		{ title: 'Systems', value: r => counts(r.systems) },
		{ title: 'Changes', value: r => r.changes },
		{ title: 'Events', value: r => r.events },
		{ title: 'Requests', value: r => r.requests },
	], result && result.runs || [], { label: 'Auto Map result' });
}
