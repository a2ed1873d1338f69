// import.js - #/itglue/INST/import: the Import page. "Feature to Import"
// (Organizations / Configurations), the plugin's filters, "Search" (one
// page read from IT Glue through import.preview, nothing stored), "Import
// All" / "Import Selected", "Import" (a job, with its progress), "Next" to
// the Mapping page.

import * as api from '../api.js';
import { el, field, select, button, table, text, alertBox, screen, replace,
	busy, statusLine, checkField } from '../dom.js';
import { followJob, jobBox } from '../jobs.js';
import { pager } from '../pager.js';

// [filter name, label, kind]; kinds: text, ids, org, bool.
const FILTERS = {
	organizations: [
		['name', 'Name', 'text'],
		['organization_type_id', 'Organization type', 'ids'],
		['organization_status_id', 'Organization status', 'ids'],
	],
	configurations: [
		['name', 'Name', 'text'],
		['organization_id', 'Organization', 'org'],
		['configuration_type_id', 'Configuration type', 'ids'],
		['configuration_status_id', 'Configuration status', 'ids'],
		['archived', 'Archived', 'bool'],
	],
};

function ids(v) {
	const list = v.split(/[\s,]+/).filter(Boolean);
	return list.length === 1 ? list[0] : list;
}

export async function render(root, params) {
	const instId = params.inst;
	const alert = alertBox();
	const feature = select([['organizations', 'Organizations'],
		['configurations', 'Configurations']], 'organizations');
	const filterBox = el('div', { class: 'grid3' });
	const listBox = el('div');
	const importBox = el('div');
	const title = el('p', { class: 'muted' });
	const st = { controls: [], filter: {}, selected: new Map() };
	const instName = await api.instanceName(instId);

	async function orgOptions() {
		try {
			const d = await api.get(api.inst(instId) + '/imported', {
				feature: 'organizations', limit: 500 });
			return (d.items || []).map(o => [o.id, o.name]);
		} catch (e) {
			return [];
		}
	}

	async function drawFilters() {
		st.controls = [];
		const fields = [];
		for (const [name, label, kind] of FILTERS[feature.value]) {
			let c;
			if (kind === 'org') {
				const opts = await orgOptions();
				c = select([['', 'Any']].concat(opts), '');
			} else if (kind === 'bool') {
				c = select([['', 'Any'], ['false', 'No'],
					['true', 'Yes']], '');
			} else {
				c = el('input', { type: 'text', autocomplete: 'off',
					placeholder: kind === 'ids'
						? 'IT Glue ids, comma separated' : '' });
			}
			st.controls.push([name, kind, c]);
			fields.push(field(label, c, kind === 'text'
				? 'The whole name, as IT Glue matches it.' : null));
		}
		replace(filterBox, fields);
	}

	function readFilter() {
		const f = {};
		for (const [name, kind, c] of st.controls) {
			const v = c.value.trim();
			if (v === '')
				continue;
			f[name] = kind === 'ids' ? ids(v) : kind === 'bool'
				? v === 'true' : v;
		}
		return f;
	}

	const previewJob = jobBox();

	function columns() {
		const pick = {
			title: 'Name', value: r => {
				const cb = el('input', { type: 'checkbox',
					checked: st.selected.has(String(r.id)) });
				cb.addEventListener('change', () => {
					if (cb.checked)
						st.selected.set(String(r.id), r.name);
					else
						st.selected.delete(String(r.id));
					selInfo.textContent = st.selected.size +
						' selected';
				});
				return checkField(text(r.name), cb);
			},
		};
		if (feature.value === 'organizations')
			return [pick, { title: 'IT Glue id', value: r => r.id },
				{ title: 'Short name', value: r => r.short_name },
				{ title: 'Type', value: r => r.type },
				{ title: 'Status', value: r => r.status }];
		return [pick, { title: 'IT Glue id', value: r => r.id },
			{ title: 'Host name', value: r => r.hostname },
			{ title: 'Primary IP', value: r => r.primary_ip },
			{ title: 'MAC address', value: r => r.mac_address },
			{ title: 'Type', value: r => r.type },
			{ title: 'Status', value: r => r.status },
			{ title: 'Archived', value: r => r.archived ? 'yes' : 'no' }];
	}

	const selInfo = el('span', { class: 'muted' }, '0 selected');
	const list = pager({
		search: false,
		load: async ({ offset, limit }) => {
			const { job } = await api.post(api.inst(instId) +
				'/import-preview', { feature: feature.value,
				filter: st.filter, offset, limit });
			const done = await followJob(job, previewJob);
			if (done.state !== 'done')
				throw new Error('Failed: ' + (done.result &&
					(done.result.detail || done.result.error &&
						done.result.error.message) || done.state));
			replace(previewJob);
			const r = done.result || {};
			return { total: typeof r.total === 'number' ? r.total
				: offset + (r.items || []).length, items: r.items ||
				[], skipped: r.skipped };
		},
		render: (items, answer) => el('div', null,
			answer && answer.skipped ? el('p', { class: 'muted' },
				answer.skipped + ' record(s) IT Glue sent did not ' +
				'match the filter and are left out.') : null,
			table(columns(), items, { label: 'IT Glue records',
				empty: 'IT Glue has no record that matches.' })),
	});

	const searchBtn = button('Search', () => busy(searchBtn, alert,
		async () => {
			st.filter = readFilter();
			st.selected.clear();
			selInfo.textContent = '0 selected';
			replace(listBox, el('section', { class: 'card' },
				el('h2', null, 'IT Glue records'), previewJob,
				list.node));
			await list.first();
		}), { class: 'primary' });

	const radioAll = el('input', { type: 'radio', name: 'scope',
		value: 'all', checked: true, id: 'scope-all' });
	const radioSel = el('input', { type: 'radio', name: 'scope',
		value: 'selected', id: 'scope-selected' });
	const importBtn = button('Import', () => busy(importBtn, alert,
		async () => {
			const body = { feature: feature.value,
				filter: readFilter() };
			if (radioSel.checked) {
				if (st.selected.size === 0)
					throw new Error('Select records first, or ' +
						'choose Import All.');
				body.select = [...st.selected.keys()];
			} else {
				body.select = 'all';
			}
			if (Object.keys(body.filter).length === 0)
				delete body.filter;
			const box = jobBox();
			const res = el('div');
			replace(importBox, box, res);
			const { job } = await api.post(api.inst(instId) + '/import',
				body);
			const done = await followJob(job, box);
			if (done.state === 'done' && done.result) {
				const r = done.result;
				replace(res, statusLine('Imported ' + text(r.imported) +
					', skipped ' + text(r.skipped) + ' (' +
					text(r.pages) + ' page(s), ' + text(r.requests) +
					' request(s)).', 'ok'));
			}
		}), { class: 'primary' });

	feature.addEventListener('change', async () => {
		replace(listBox);
		replace(importBox);
		st.selected.clear();
		selInfo.textContent = '0 selected';
		await drawFilters();
	});

	title.textContent = 'IT Glue instance: ' + instName;
	screen(root, 'import', 'Import', title, alert.node,
		el('section', { class: 'card' },
			el('div', { class: 'grid3' },
				field('Feature to Import', feature)), filterBox,
			el('div', { class: 'actions' }, searchBtn)),
		listBox,
		el('section', { class: 'card' },
			el('div', { class: 'radios', role: 'radiogroup',
				'aria-label': 'What to import' },
			radioAll, el('label', { for: 'scope-all' }, 'Import All'),
			radioSel, el('label', { for: 'scope-selected' },
				'Import Selected'), selInfo),
			el('div', { class: 'actions' }, importBtn,
				el('a', { class: 'button-link', href: '#/itglue/' +
					encodeURIComponent(instId) + '/mapping' }, 'Next')),
			importBox));
	await drawFilters();
}
