// api.js - the console's one way to the server: JSON over fetch, with the
// session's CSRF token on every request that changes something. The token
// lives in this module only (never in web storage, never in a cookie the page
// reads); a 401 sends the user to the login screen.

let csrf = null;

export class ApiError extends Error {
	constructor(status, code, message, body) {
		super(message);
		this.status = status;
		this.code = code;
		this.body = body;
	}
}

export function setCsrf(token) {
	csrf = typeof token === 'string' && token !== '' ? token : null;
}

export function hasSession() {
	return csrf !== null;
}

// The query string of PARAMS, skipping null, undefined and "".
export function query(params) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params || {})) {
		if (v === null || v === undefined || v === '')
			continue;
		q.set(k, String(v));
	}
	const s = q.toString();
	return s === '' ? '' : '?' + s;
}

export function loginRedirect() {
	csrf = null;
	if (!location.hash.startsWith('#/login')) {
		const back = location.hash && location.hash !== '#/login'
			? location.hash : '';
		location.hash = '#/login' + (back ? '?next=' +
			encodeURIComponent(back) : '');
	}
}

// fetch PATH with METHOD; BODY an object (sent as JSON) or, with
// opts.contentType, a string/Blob sent as is. Answers the parsed JSON.
export async function request(method, path, body, opts = {}) {
	const headers = { Accept: 'application/json' };
	const init = { method, headers, credentials: 'same-origin',
		cache: 'no-store', redirect: 'error' };
	if (method !== 'GET' && method !== 'HEAD') {
		if (csrf !== null)
			headers['X-CSRF-Token'] = csrf;
		if (opts.contentType) {
			headers['Content-Type'] = opts.contentType;
			init.body = body;
		} else {
			headers['Content-Type'] = 'application/json';
			init.body = JSON.stringify(body === undefined ? {} : body);
		}
	}
	let res;
	try {
		res = await fetch(path, init);
	} catch (e) {
		throw new ApiError(0, 'network',
			'The console server cannot be reached: ' + e.message);
	}
	let data = null;
	const type = res.headers.get('Content-Type') || '';
	if (type.includes('json')) {
		try {
			data = await res.json();
		} catch (e) {
			data = null;
		}
	}
	if (res.status === 401 && !opts.noRedirect) {
		loginRedirect();
	}
	if (!res.ok || (data && data.error)) {
		const err = data && data.error ? data.error : {};
		const code = typeof err.code === 'string' ? err.code : 'http_' +
			res.status;
		const msg = typeof err.message === 'string' && err.message !== ''
			? err.message : res.status + ' ' + res.statusText;
		throw new ApiError(res.status, code, msg, data);
	}
	return data;
}

export const get = (path, params) => request('GET', path + query(params));
export const post = (path, body) => request('POST', path, body);
export const put = (path, body) => request('PUT', path, body);
export const del = (path, body) => request('DELETE', path, body);

// The session: the login answer and GET /api/session give the CSRF token.
export async function login(password) {
	const data = await request('POST', '/api/login', { password },
		{ noRedirect: true });
	setCsrf(data && data.csrf);
	return data;
}

export async function session() {
	const data = await request('GET', '/api/session', undefined,
		{ noRedirect: true });
	setCsrf(data && data.csrf);
	return data;
}

export async function logout() {
	try {
		await request('POST', '/api/logout', {}, { noRedirect: true });
	} finally {
		setCsrf(null);
	}
}

// An instance's path segment.
export function inst(id) {
	return '/api/itglue/instances/' + encodeURIComponent(String(id));
}

// The name of instance ID (an id or a name, as the routes take it); ID
// itself when it cannot be read.
export async function instanceName(id) {
	try {
		const data = await get('/api/itglue/instances');
		const list = data && Array.isArray(data.instances)
			? data.instances : [];
		const key = String(id).toLowerCase();
		const i = list.find(x => String(x.id) === String(id) ||
			String(x.name).toLowerCase() === key);
		return i ? i.name : String(id);
	} catch (e) {
		return String(id);
	}
}
