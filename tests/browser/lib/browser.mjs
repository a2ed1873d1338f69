// Debian's chromium driven by playwright-core: a fresh headless browser per
// test file, the console's login, screenshots kept as artefacts, and a watch
// that fails the test on any Content Security Policy violation or uncaught
// page error.
//
//   const b = await openBrowser(import.meta.url);
//   await login(b.page, stack);
//   await shot(b.page, 'manager');     // prints "# screenshot: PATH" in TAP
//   b.assertClean();                   // afterEach: no CSP violation, no error
//   await b.close();

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before } from 'node:test';
import { PASSWORD, WAIT_MS, startStack } from './stack.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// The flags a closed network needs: no background connections to Google's
// hosts, no QUIC, no GPU, no first-run; no sandbox (CI runs as root).
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const here = fileURLToPath(new URL('.', import.meta.url));
export const ARTEFACTS = resolve(process.env.BROWSER_ARTEFACTS || join(here, '..', 'artefacts'));

let current = 'browser';

export async function openBrowser(fileUrl) {
	current = basename(fileURLToPath(fileUrl)).replace(/(\.test)?\.m?js$/, '');
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
	});
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	context.setDefaultTimeout(WAIT_MS);
	const problems = [];
	// A violation is reported to the page's console by chromium ("Refused
	// to ... because it violates the following Content Security Policy
	// directive") and as a securitypolicyviolation event, caught by this
	// script, which the browser runs outside the page's CSP.
	await context.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) => {
			console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
		});
	});
	const watch = (page) => {
		// confirm() before a removal: the user says yes.
		page.on('dialog', (d) => d.accept());
		page.on('console', (m) => {
			const text = m.text();
			if (/Content Security Policy|CSP violation/i.test(text))
				problems.push(`CSP: ${text}`);
		});
		page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
	};
	context.on('page', watch);
	const page = await context.newPage();
	return {
		browser,
		context,
		page,
		problems,
		// Throws when the page reported a CSP violation or an error since
		// the last call.
		assertClean() {
			const p = problems.splice(0);
			if (p.length) throw new Error(`the page reported:\n${p.join('\n')}`);
		},
		async close() {
			await browser.close();
		},
	};
}

// shot(page, name): a full-page screenshot kept as
// $BROWSER_ARTEFACTS/<test file>-<name>.png; its path goes to the TAP output.
export async function shot(page, name) {
	mkdirSync(ARTEFACTS, { recursive: true });
	const file = join(ARTEFACTS, `${current}-${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	console.log(`screenshot: ${file}`);
	return file;
}

// screen(page, name): the <main id="screen"> once it shows the screen NAME
// (its data-screen).
export async function screen(page, name) {
	const main = page.locator(`main#screen[data-screen="${name}"]`);
	await main.waitFor({ state: 'visible' });
	return main;
}

// go(page, stack, hash, name): opens #HASH and waits for the screen NAME.
export async function go(page, stack, hash, name) {
	await page.goto(`${stack.consoleUrl}/${hash}`);
	return screen(page, name);
}

// login(page, stack): the login screen, the password, "Log in", then any
// screen but login.
export async function login(page, stack, password = PASSWORD) {
	await page.goto(`${stack.consoleUrl}/#/login`);
	const main = await screen(page, 'login');
	await main.getByLabel('Password').fill(password);
	await main.getByRole('button', { name: 'Log in' }).click();
	await page.locator('main#screen[data-screen]:not([data-screen="login"])').waitFor();
}

// useStack(import.meta.url, setup): the before/after hooks of a test file:
// its stack (setup(stack) runs the CLI preconditions before the console
// starts), its browser, and after each test the CSP/page-error check.
// Returns an object whose stack, b and page are set once before has run.
export function useStack(fileUrl, setup, opts = {}) {
	const ctx = {};
	before(async () => {
		ctx.stack = await startStack(opts);
		if (setup) await setup(ctx.stack);
		await ctx.stack.startConsole();
		ctx.b = await openBrowser(fileUrl);
		ctx.page = ctx.b.page;
	});
	afterEach(() => ctx.b?.assertClean());
	after(async () => {
		await ctx.b?.close();
		if (ctx.stack && process.env.BROWSER_VERBOSE) console.log(await ctx.stack.consoleLog());
		await ctx.stack?.stop();
	});
	return ctx;
}

// The screens' parts as a user sees them (console-ui-contract.md).
export const table = (scope, label) => scope.getByRole('table', { name: label, exact: true });

// row(scope, label, name): the row of table LABEL whose item is NAME (a
// cell, or a label in it, whose text is exactly NAME).
export function row(scope, label, name) {
	const t = table(scope, label);
	return t.getByRole('row').filter({ has: t.page().getByText(name, { exact: true }) });
}

// pick(row): selects a row as a user would: its checkbox or radio when it
// has one, else a click on it.
export async function pick(r) {
	await r.waitFor();
	const box = r.locator('input[type=checkbox], input[type=radio]');
	if ((await box.count()) > 0) await box.first().check();
	else await r.getByRole('cell').first().click();
}

// hasClass(locator, name): the element carries class NAME (ok: green,
// bad: red), the only classes the tests look at.
export const hasClass = (loc, name) => loc.evaluate((e, n) => e.classList.contains(n), name);

// finished(scope): the job's result line once it says "Finished".
export async function finished(scope, what = /^\s*Finished/) {
	const s = scope.getByRole('status').filter({ hasText: what });
	await s.first().waitFor();
	return s.first();
}

// screenText(page): all the text the page shows (for "never shown" checks).
export const screenText = (page) => page.evaluate(() => document.body.innerText);

// instancePage(page, stack, 'import' | 'mapping'): from the IT Glue tab
// through "Next" (Import) and "Next" again (Mapping), as the seed goes; a
// screenshot of each screen passed through.
export async function instancePage(page, stack, name) {
	const it = await go(page, stack, '#/itglue', 'itglue');
	await shot(page, 'itglue');
	await it.getByRole('link', { name: 'Next' }).click();
	const imp = await screen(page, 'import');
	if (name === 'import') return imp;
	await shot(page, 'import');
	await imp.getByRole('link', { name: 'Next' }).click();
	return screen(page, 'mapping');
}
