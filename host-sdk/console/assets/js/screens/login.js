// login.js - #/login: the console's password ("xdr-host console passwd").

import * as api from '../api.js';
import { el, field, alertBox, screen, busy } from '../dom.js';

export function render(root, params, ctx) {
	const alert = alertBox();
	const pw = el('input', { type: 'password', autocomplete: 'off',
		required: true, name: 'password' });
	const submit = el('button', { type: 'submit', class: 'primary' },
		'Log in');
	const form = el('form', { class: 'card narrow', novalidate: true },
		field('Password', pw), alert.node,
		el('div', { class: 'actions' }, submit));
	form.addEventListener('submit', async e => {
		e.preventDefault();
		const value = pw.value;
		pw.value = '';
		await busy(submit, alert, async () => {
			try {
				await api.login(value);
			} catch (err) {
				if (err.status === 401 || err.code === 'bad_password' ||
					err.code === 'unauthorized')
					throw new Error('Wrong password');
				if (err.status === 429)
					throw new Error('Too many attempts: ' +
						err.message);
				throw err;
			}
			ctx.app.loggedIn();
			await ctx.app.refreshIntegration();
			const next = ctx.query.get('next');
			location.hash = next && next.startsWith('#/') &&
				!next.startsWith('#/login') ? next : '#/reports';
		});
		pw.focus();
	});
	screen(root, 'login', 'Open XDR console',
		el('p', { class: 'muted' },
			'Sign in with the console password set by ' +
			'"xdr-host console passwd".'), form);
	pw.focus();
}
