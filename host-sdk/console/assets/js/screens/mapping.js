// mapping.js - #/itglue/INST/mapping: the Mapping page. "Feature to Map":
// Organization (Open XDR groups on the left, the imported IT Glue
// organizations on the right) or Configurations (a mapped "Group", its
// systems on the left, that organization's imported configurations on the
// right). Map stages pairs, Save maps them one by one (each row shows its
// result), Remove map unmaps; the mapped ones are listed in green.

import * as api from '../api.js';
import { el, field, select, button, table, text, alertBox, screen, replace,
	busy, statusLine, checkField, stateBadge, nextId } from '../dom.js';
import { followJob, jobBox } from '../jobs.js';
import { pager } from '../pager.js';
import { preview, summary } from './itglue.js';

export async function render(root, params) {
	const instId = params.inst;
	const alert = alertBox();
	const feature = select([['organizations', 'Organization'],
		['configurations', 'Configurations']], 'organizations');
	const groupSel = select([], '');
	const groupField = field('Group', groupSel,
		'Only the mapped groups are listed.');
	const left = el('div', { class: 'pane' });
	const right = el('div', { class: 'pane' });
	const stagedBox = el('div');
	const mappedBox = el('div');
	const autoBox = el('section', { class: 'card', hidden: true });
	const st = { left: new Map(), right: null, staged: [], groups: [],
		mapped: new Map() };
	const sys = () => feature.value === 'configurations';
	const mapPath = api.inst(instId) + '/mappings';

	// The mapped groups, for the Group select.
	async function loadGroups() {
		const d = await api.get(mapPath, { kind: 'groups',
			state: 'mapped', limit: 500 });
		const keep = groupSel.value;
		st.groups = d.items || [];
		replace(groupSel, st.groups.map(g => el('option',
			{ value: String(g.id) }, g.name)));
		if (st.groups.length === 0)
			groupSel.appendChild(el('option', { value: '' },
				'(no mapped group)'));
		else if (st.groups.some(g => String(g.id) === keep))
			groupSel.value = keep;
	}

	function currentGroup() {
		return st.groups.find(g => String(g.id) === groupSel.value) ||
			null;
	}

	function rowClass(r) {
		return r.state === 'mapped' ? 'ok' : r.state === 'failed' ||
			r.state === 'stale' ? 'bad' : null;
	}

	function leftPane() {
		st.left.clear();
		const label = sys() ? 'Open XDR systems' : 'Open XDR groups';
		const p = pager({
			load: q => {
				const g = currentGroup();
				if (sys() && !g)
					return Promise.resolve({ total: 0, items: [] });
				return api.get(mapPath, Object.assign({
					kind: sys() ? 'systems' : 'groups',
					group: sys() ? g.name : null }, q));
			},
			render: items => table([
				{ title: sys() ? 'System' : 'Group', value: r => {
					if (st.left.has(r.id))
						st.left.set(r.id, r); /* its state now */
					const cb = el('input', { type: 'checkbox',
						checked: st.left.has(r.id) });
					cb.addEventListener('change', () => {
						if (cb.checked)
							st.left.set(r.id, r);
						else
							st.left.delete(r.id);
					});
					return checkField(text(r.name), cb);
				} },
				sys() ? { title: 'Sensor', value: r => r.sensor } : null,
				{ title: 'State', value: r => stateBadge(r.state) },
				{ title: sys() ? 'Configuration' : 'Organization',
					value: r => sys() ? r.configuration
						: r.organization },
				{ title: 'Reason', class: 'small', value: r => r.reason },
			].filter(Boolean), items, { label, rowClass }),
		});
		replace(left, el('h2', null, label), p.node);
		st.leftPager = p;
		return p.first();
	}

	function rightPane() {
		st.right = null;
		const label = sys() ? 'IT Glue configurations'
			: 'IT Glue organizations';
		const name = nextId('pick');
		const p = pager({
			load: q => {
				const g = currentGroup();
				if (sys() && !g)
					return Promise.resolve({ total: 0, items: [] });
				return api.get(api.inst(instId) + '/imported',
					Object.assign({ feature: feature.value,
						organization_id: sys() ? g.organization_id
							: null }, q));
			},
			render: items => table([
				{ title: sys() ? 'Configuration' : 'Organization',
					value: r => {
						const rb = el('input', { type: 'radio', name,
							checked: st.right && st.right.id === r.id });
						rb.addEventListener('change', () => {
							st.right = r;
						});
						return checkField(text(r.name), rb);
					} },
				{ title: 'IT Glue id', value: r => r.id },
				sys() ? { title: 'Host name', value: r => r.hostname }
					: { title: 'Type', value: r => r.type },
				sys() ? { title: 'MAC address', value: r =>
					r.mac_address } : { title: 'Status', value: r =>
					r.status },
			], items, { label, empty: 'Nothing imported: import ' +
				'from the Import page first.' }),
		});
		replace(right, el('h2', null, label), p.node);
		st.rightPager = p;
		return p.first();
	}

	function drawStaged() {
		replace(stagedBox, el('h2', null, 'Staged'), table([
			{ title: sys() ? 'System' : 'Group', value: s => s.left.name },
			{ title: sys() ? 'Configuration' : 'Organization',
				value: s => s.right.name },
			{ title: 'Result', value: s => s.result === undefined
				? 'not saved' : s.result.ok ? statusLine('Mapped', 'ok')
					: statusLine('Failed: ' + s.result.message, 'bad') },
		], st.staged, { label: 'Staged', empty: 'Select on both sides, ' +
			'then Map.', rowClass: s => s.result === undefined ? null
			: s.result.ok ? 'ok' : 'bad' }));
	}

	async function drawMapped() {
		const label = sys() ? 'Mapped Configurations'
			: 'Mapped Organizations';
		const g = currentGroup();
		let items = [];
		if (!sys() || g) {
			const d = await api.get(mapPath, { kind: sys() ? 'systems'
				: 'groups', group: sys() ? g.name : null, state: 'mapped',
			limit: 500 });
			items = d.items || [];
		}
		st.mapped.clear();
		replace(mappedBox, el('h2', null, label), table([
			{ title: sys() ? 'System' : 'Group', value: r => {
				const cb = el('input', { type: 'checkbox' });
				cb.addEventListener('change', () => {
					if (cb.checked)
						st.mapped.set(r.id, r);
					else
						st.mapped.delete(r.id);
				});
				return checkField(text(r.name), cb);
			} },
			{ title: sys() ? 'Configuration' : 'Organization',
				value: r => el('span', { class: 'badge ok' }, text(sys()
					? r.configuration : r.organization)) },
			{ title: 'Source', value: r => r.source },
		], items, { label, rowClass: () => 'ok',
			empty: 'Nothing mapped yet.' }),
		el('p', { class: 'muted' }, 'Tick mappings here or on the ' +
			'left, then Remove map.'));
	}

	async function unmap(rows) {
		alert.hide();
		const errs = [];
		for (const r of rows) {
			const body = sys() ? { system: r.id } : { group: r.id };
			body.instance = instId;
			try {
				await api.post('/api/itglue/unmap', body);
			} catch (e) {
				errs.push(r.name + ': ' + e.message);
			}
		}
		if (errs.length)
			alert.show(errs.join('; '));
		await refresh(false);
	}

	async function refresh(all) {
		try {
			if (all && sys())
				await loadGroups();
			await Promise.all([st.leftPager ? st.leftPager.reload()
				: null, drawMapped()]);
		} catch (e) {
			alert.show(e);
		}
	}

	const mapBtn = button('Map', () => {
		alert.hide();
		if (st.left.size === 0 || !st.right) {
			alert.show('Select ' + (sys() ? 'systems' : 'groups') +
				' on the left and one ' + (sys() ? 'configuration'
				: 'organization') + ' on the right.');
			return;
		}
		for (const l of st.left.values()) {
			st.staged = st.staged.filter(s => s.left.id !== l.id);
			st.staged.push({ left: l, right: st.right });
		}
		drawStaged();
	});
	const saveBtn = button('Save', () => busy(saveBtn, alert, async () => {
		for (const s of st.staged) {
			if (s.result && s.result.ok)
				continue;
			const body = { instance: instId };
			if (sys()) {
				body.system = s.left.id;
				body.configuration_id = String(s.right.id);
			} else {
				body.group = s.left.id;
				body.organization_id = String(s.right.id);
			}
			try {
				await api.post('/api/itglue/map', body);
				s.result = { ok: true };
			} catch (e) {
				s.result = { ok: false, message: e.message };
			}
		}
		drawStaged();
		await refresh(true);
	}), { class: 'primary' });
	const removeBtn = button('Remove map', () => {
		const pick = new Map(st.mapped);
		for (const r of st.left.values())
			if (r.state === 'mapped' || r.state === 'stale')
				pick.set(r.id, r);
		if (pick.size === 0) {
			alert.show('Tick mapped ' + (sys() ? 'systems'
				: 'groups') + ' first (in the Mapped pane or on ' +
				'the left).');
			return;
		}
		for (const id of pick.keys())
			st.left.delete(id);
		return busy(removeBtn, alert, () => unmap([...pick.values()]));
	});
	const autoBtn = button('Auto Map', () => busy(autoBtn, alert,
		async () => {
			const box = jobBox();
			const out = el('div');
			replace(autoBox, el('h2', null, 'Auto Map: dry run'), box, out);
			autoBox.hidden = false;
			const { job } = await api.post('/api/itglue/automap',
				{ instance: instId, dry_run: true });
			const done = await followJob(job, box);
			if (done.state !== 'done')
				return;
			replace(box); /* the Preview says it is done */
			const abox = jobBox();
			const apply = button('Apply', () => busy(apply, alert,
				async () => {
					const r = await api.post('/api/itglue/automap',
						{ instance: instId });
					const fin = await followJob(r.job, abox);
					if (fin.state === 'done')
						replace(out, summary(fin.result));
					await refresh(true);
				}), { class: 'primary' });
			replace(out, preview(done.result),
				el('div', { class: 'actions' }, apply), abox);
		}));

	async function switchFeature() {
		st.staged = [];
		groupField.hidden = !sys();
		try {
			if (sys())
				await loadGroups();
			drawStaged();
			await Promise.all([leftPane(), rightPane(), drawMapped()]);
		} catch (e) {
			alert.show(e);
		}
	}
	feature.addEventListener('change', switchFeature);
	groupSel.addEventListener('change', switchFeature);

	const instName = await api.instanceName(instId);
	screen(root, 'mapping', 'Mapping',
		el('p', { class: 'muted' }, 'IT Glue instance: ' + instName + ' · ',
			el('a', { href: '#/itglue/' + encodeURIComponent(instId) +
				'/import' }, 'Import'), ' · ',
			el('a', { href: '#/itglue/' + encodeURIComponent(instId) +
				'/failures' }, 'Mapping failures')),
		alert.node,
		el('section', { class: 'card' },
			el('div', { class: 'grid3' }, field('Feature to Map', feature),
				groupField),
			el('div', { class: 'actions' }, mapBtn, saveBtn, removeBtn,
				autoBtn)),
		el('div', { class: 'panes' }, left, right),
		el('section', { class: 'card' }, stagedBox),
		el('section', { class: 'card' }, mappedBox), autoBox);
	await switchFeature();
}
