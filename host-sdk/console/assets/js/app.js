// The console's entry point: a login form, then the session's state. Text
// reaches the page only through textContent.
let csrf = null;

function el(tag, attrs, ...children) {
	const node = document.createElement(tag);
	for (const [name, value] of Object.entries(attrs || {}))
		node.setAttribute(name, value);
	for (const child of children)
		node.append(typeof child === 'string' ? document.createTextNode(child) : child);
	return node;
}

async function api(method, path, body) {
	const headers = {};
	if (body !== undefined)
		headers['Content-Type'] = 'application/json';
	if (csrf && method !== 'GET')
		headers['X-CSRF-Token'] = csrf;
	const res = await fetch(path, {
		method,
		headers,
		body: body === undefined ? undefined : JSON.stringify(body),
		credentials: 'same-origin',
	});
	const data = await res.json().catch(() => ({}));
	return { status: res.status, data };
}

function show(...nodes) {
	const main = document.getElementById('app');
	main.replaceChildren(el('h1', {}, 'Open XDR console'), ...nodes);
}

function loginForm(message) {
	const password = el('input', { type: 'password', id: 'password', autocomplete: 'current-password' });
	const form = el('form', {}, el('label', { for: 'password' }, 'Password '), password, el('button', { type: 'submit' }, 'Log in'));
	const note = el('p', { class: 'error' }, message || '');
	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		const res = await api('POST', '/api/login', { password: password.value });
		password.value = '';
		if (res.status === 200) {
			csrf = res.data.csrf;
			loggedIn();
		} else {
			loginForm(res.data.error ? res.data.error.message : 'Login failed');
		}
	});
	show(form, note);
}

function loggedIn() {
	const logout = el('button', { type: 'button' }, 'Log out');
	logout.addEventListener('click', async () => {
		await api('POST', '/api/logout', {});
		csrf = null;
		loginForm();
	});
	show(el('p', { class: 'ok' }, 'Logged in.'), logout);
}

const res = await api('GET', '/api/session');
if (res.status === 200) {
	csrf = res.data.csrf;
	loggedIn();
} else {
	loginForm();
}
