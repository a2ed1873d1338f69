// dom.js - building the page. Text is only ever set with textContent, form
// values with .value, attributes with setAttribute of names written here in
// the code: data from the server (IT Glue's names above all) is never
// parsed as HTML.

let uid = 0;

// A fresh id for label/field pairs.
export function nextId(prefix) {
	uid += 1;
	return (prefix || 'f') + '-' + uid;
}

const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden',
	'multiple', 'required', 'readOnly']);

// el('button', {class: 'primary', type: 'button', on: {click: fn}}, 'Save')
// attrs: "class", "text" (textContent), "on" (listeners), the properties of
// PROPS, anything else through setAttribute. Children: nodes, strings
// (text nodes), arrays, null/undefined/false (skipped).
export function el(tag, attrs, ...children) {
	const node = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === null || v === undefined || v === false &&
			!PROPS.has(k))
			continue;
		if (k === 'class')
			node.className = Array.isArray(v) ? v.filter(Boolean)
				.join(' ') : v;
		else if (k === 'text')
			node.textContent = String(v);
		else if (k === 'on')
			for (const [ev, fn] of Object.entries(v))
				node.addEventListener(ev, fn);
		else if (PROPS.has(k))
			node[k] = v;
		else if (/^on.|^style$|^srcdoc$/i.test(k))
			throw new Error('el: attribute ' + k + ' is not allowed');
		else
			node.setAttribute(k, v === true ? '' : String(v));
	}
	append(node, children);
	return node;
}

export function append(node, children) {
	for (const c of children) {
		if (c === null || c === undefined || c === false)
			continue;
		if (Array.isArray(c))
			append(node, c);
		else if (c instanceof Node)
			node.appendChild(c);
		else
			node.appendChild(document.createTextNode(String(c)));
	}
	return node;
}

export function clear(node) {
	while (node.firstChild)
		node.removeChild(node.firstChild);
	return node;
}

export function replace(node, ...children) {
	clear(node);
	return append(node, children);
}

// A value as text: null/undefined become "-".
export function text(v) {
	if (v === null || v === undefined || v === '')
		return '-';
	if (typeof v === 'object')
		return JSON.stringify(v);
	return String(v);
}

// A badge: class ok (green) or bad (red), or neutral.
export function badge(label, kind) {
	return el('span', { class: ['badge', kind || 'neutral'] }, label);
}

// The badge of a mapping/outbox/job state.
export function stateBadge(state) {
	const ok = ['mapped', 'done', 'connected', 'ok', 'published'];
	const bad = ['failed', 'stale', 'bad', 'cancelled'];
	const kind = ok.includes(state) ? 'ok' : bad.includes(state) ? 'bad'
		: state === 'needs_manual' ? 'warn' : 'neutral';
	return badge(text(state), kind);
}

// A table. columns: [{title, value: row => node|string, class?}];
// opts: {label (aria-label), rowClass: row => class, empty: text}.
export function table(columns, rows, opts = {}) {
	const head = el('tr', null, columns.map(c =>
		el('th', { scope: 'col', class: c.class }, c.title)));
	const body = el('tbody');
	for (const row of rows) {
		const tr = el('tr', { class: opts.rowClass ? opts.rowClass(row)
			: null });
		for (const c of columns) {
			const v = c.value(row);
			tr.appendChild(el('td', { class: c.class },
				v instanceof Node ? v : text(v)));
		}
		body.appendChild(tr);
	}
	const t = el('table', { 'aria-label': opts.label, class: 'grid' },
		el('thead', null, head), body);
	if (rows.length === 0 && opts.empty !== null) {
		body.appendChild(el('tr', { class: 'empty' },
			el('td', { colspan: String(columns.length) },
				opts.empty || 'Nothing to show.')));
	}
	return t;
}

// A labelled field: [label, control] in a div.field.
export function field(labelText, control, hint) {
	if (!control.id)
		control.id = nextId('f');
	return el('div', { class: 'field' },
		el('label', { for: control.id }, labelText), control,
		hint ? el('small', { class: 'muted' }, hint) : null);
}

// A checkbox with its label after it.
export function checkField(labelText, input) {
	if (!input.id)
		input.id = nextId('c');
	return el('div', { class: 'field check' }, input,
		el('label', { for: input.id }, labelText));
}

export function select(options, value, attrs) {
	const s = el('select', attrs || {});
	for (const o of options) {
		const [v, label] = Array.isArray(o) ? o : [o, o];
		s.appendChild(el('option', { value: String(v) }, label));
	}
	if (value !== undefined && value !== null)
		s.value = String(value);
	return s;
}

export function button(label, onClick, attrs) {
	return el('button', Object.assign({ type: 'button',
		on: { click: onClick } }, attrs || {}), label);
}

// The alert box of a screen: show(err|string), hide().
export function alertBox() {
	const node = el('div', { role: 'alert', class: 'alert', hidden: true });
	return {
		node,
		show(e) {
			node.textContent = typeof e === 'string' ? e :
				e && e.message ? e.message : String(e);
			node.hidden = false;
		},
		hide() {
			node.textContent = '';
			node.hidden = true;
		},
	};
}

// A status line (role=status) with an ok/bad class.
export function statusLine(textValue, kind) {
	return el('p', { role: 'status', class: ['status', kind] }, textValue);
}

// A screen's frame: the h1 and the body.
export function screen(root, name, title, ...children) {
	root.setAttribute('data-screen', name);
	replace(root, el('h1', null, title), ...children);
	document.title = title + ' - Open XDR console';
	return root;
}

// A Unix time (seconds) or RFC 3339 text as local text; 0 or none: "-".
export function when(v) {
	if (v === null || v === undefined || v === '' || v === 0)
		return '-';
	const d = typeof v === 'number' ? new Date(v * 1000) : new Date(v);
	if (Number.isNaN(d.getTime()))
		return String(v);
	return d.toLocaleString(undefined, { year: 'numeric', month: 'short',
		day: '2-digit', hour: '2-digit', minute: '2-digit',
		second: '2-digit' });
}

// Runs an async action with BUTTON disabled, errors to ALERT.
export async function busy(btn, alert, fn) {
	if (btn)
		btn.disabled = true;
	if (alert)
		alert.hide();
	try {
		return await fn();
	} catch (e) {
		if (alert)
			alert.show(e);
		return undefined;
	} finally {
		if (btn)
			btn.disabled = false;
	}
}
