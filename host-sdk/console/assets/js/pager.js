// pager.js - a paged, searchable list: "Search" (300 ms after the last
// key), "Page size" (25, 50, 100), "Total: N", "Previous" / "Next page".
// The server pages (?q=&offset=&limit=); this keeps the state and asks.

import { el, field, select, button, replace, alertBox } from './dom.js';

// opts: {load({q, offset, limit}) -> {total, items}, render(items, answer)
// -> node, search: false to hide the box, pageSize: 25, tools: [fields
// shown before the search box, e.g. a filter]}
export function pager(opts) {
	const state = { q: '', offset: 0, limit: opts.pageSize || 25,
		total: 0, seq: 0 };
	const alert = alertBox();
	const search = el('input', { type: 'search', autocomplete: 'off',
		spellcheck: 'false', maxlength: '128' });
	const size = select(['25', '50', '100'], String(state.limit));
	const total = el('span', { class: 'total' }, 'Total: 0');
	const pageInfo = el('span', { class: 'muted page-info' });
	const prev = button('Previous', () => go(state.offset - state.limit));
	const next = button('Next page', () => go(state.offset + state.limit));
	const body = el('div', { class: 'pager-body' });
	let timer = null;

	search.addEventListener('input', () => {
		clearTimeout(timer);
		timer = setTimeout(() => {
			state.q = search.value.trim();
			go(0);
		}, 300);
	});
	search.addEventListener('keydown', e => {
		if (e.key === 'Enter') {
			clearTimeout(timer);
			state.q = search.value.trim();
			go(0);
		}
	});
	size.addEventListener('change', () => {
		state.limit = Number(size.value);
		go(0);
	});

	async function go(offset) {
		state.offset = Math.max(0, offset);
		const seq = ++state.seq;
		alert.hide();
		prev.disabled = true;
		next.disabled = true;
		let answer;
		try {
			answer = await opts.load({ q: state.q,
				offset: state.offset, limit: state.limit });
		} catch (e) {
			if (seq === state.seq)
				alert.show(e);
			return;
		}
		if (seq !== state.seq)
			return; /* a newer request answered first */
		const items = answer && Array.isArray(answer.items)
			? answer.items : [];
		state.total = answer && typeof answer.total === 'number'
			? answer.total : items.length;
		total.textContent = 'Total: ' + state.total;
		const last = state.offset + items.length;
		pageInfo.textContent = items.length
			? 'Showing ' + (state.offset + 1) + '–' + last : '';
		prev.disabled = state.offset === 0;
		next.disabled = last >= state.total;
		replace(body, opts.render(items, answer));
	}

	const tools = el('div', { class: 'pager-tools' }, opts.tools || null,
		opts.search === false ? null : field('Search', search),
		field('Page size', size), total);
	const nav = el('div', { class: 'pager-nav' }, prev, pageInfo, next);
	const node = el('section', { class: 'pager' }, tools, alert.node, body,
		nav);
	return {
		node,
		reload: () => go(state.offset),
		first: () => go(0),
		get state() {
			return state;
		},
	};
}
