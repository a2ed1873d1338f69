// The stack one test file runs against: an itglue-sandbox with the demo data
// and an xdr-host console, both on free loopback ports, in a temporary home
// of the file's own. The file reaches its precondition through the xdr-host
// command line (the calls a user would make), so each file runs alone.
//
//   const stack = await startStack();
//   await stack.integrationOn(); await stack.inventory(); ...
//   await stack.startConsole();
//   ... stack.consoleUrl ...
//   await stack.stop();
//
// Paths come from the environment: top_builddir (the build tree: xdr-host,
// itglue-sandbox, the plugin) and top_srcdir (the demo data, the examples,
// the knowledge pack's objects), as make check-browser exports them.

import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const DEMO_KEY = 'ITG.demo-us-0000000000000000';
export const EU_KEY = 'ITG.demo-eu-0000000000000000';
export const WRONG_KEY = 'ITG.wrong-us-0000000000000000';
export const PASSWORD = 'browser tests walk the console';
// Bounds of every wait on a state: generous, never a timing assertion.
export const WAIT_MS = 60000;

function envDir(name) {
	const v = process.env[name];
	if (!v)
		throw new Error(`${name} is not set: run through make check-browser, or export ${name}`);
	return resolve(v);
}

export const top_builddir = () => envDir('top_builddir');
export const top_srcdir = () => envDir('top_srcdir');

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

// waitFor(fn, what): polls fn (async, truthy when the state is reached) every
// 100 ms for WAIT_MS at most; throws naming WHAT otherwise.
export async function waitFor(fn, what, ms = WAIT_MS) {
	const end = Date.now() + ms;
	let last;
	for (;;) {
		try {
			const v = await fn();
			if (v) return v;
		} catch (e) {
			last = e;
		}
		if (Date.now() > end)
			throw new Error(`gave up waiting for ${what}` + (last ? `: ${last.message}` : ''));
		await delay(100);
	}
}

// run(cmd, args, {input, env}) -> {rc, out, err}
function run(cmd, args, opts = {}) {
	return new Promise((res, rej) => {
		const input = opts.input || '';
		const p = spawn(cmd, args, {
			env: opts.env || process.env,
			stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
		});
		let out = '', err = '';
		p.stdout.on('data', (d) => (out += d));
		p.stderr.on('data', (d) => (err += d));
		p.on('error', rej);
		p.on('close', (rc) => res({ rc, out, err }));
		if (input) {
			// A command that exits without reading its input: EPIPE,
			// its status says the rest.
			p.stdin.on('error', () => {});
			p.stdin.end(input);
		}
	});
}

// A child started in the background, its output in FILE; stop() sends
// SIGTERM and waits for it (SIGKILL after WAIT_MS).
function background(cmd, args, logFile, env) {
	const fd = openSync(logFile, 'a');
	const p = spawn(cmd, args, { env, stdio: ['ignore', fd, fd] });
	closeSync(fd);
	const exited = new Promise((r) => p.on('exit', (code, sig) => r({ code, sig })));
	let done = false;
	exited.then(() => (done = true));
	return {
		pid: p.pid,
		running: () => !done,
		exited,
		async stop() {
			if (done) return exited;
			p.kill('SIGTERM');
			const t = setTimeout(() => p.kill('SIGKILL'), WAIT_MS);
			const r = await exited;
			clearTimeout(t);
			return r;
		},
	};
}

async function portOf(file, child, logFile, what) {
	const port = await waitFor(async () => {
		if (!child.running()) {
			const log = await readFile(logFile, 'utf8').catch(() => '');
			throw new Error(`${what} exited before listening:\n${log}`);
		}
		const s = await stat(file).catch(() => null);
		if (!s || s.size === 0) return null;
		const n = parseInt((await readFile(file, 'utf8')).trim(), 10);
		return n > 0 ? n : null;
	}, `${what} to write its port file`);
	return port;
}

function cleanEnv() {
	const env = { ...process.env };
	delete env.XDR_HOME;
	delete env.XDR_PLUGIN_DIR;
	return env;
}

// opts.sandboxArgs: more options for itglue-sandbox (e.g. --latency-ms).
export async function startStack(opts = {}) {
	const build = top_builddir();
	const src = top_srcdir();
	const bin = {
		host: process.env.XDR_HOST_BIN || join(build, 'host-sdk/xdr-host/xdr-host'),
		sandbox: process.env.XDR_SANDBOX_BIN || join(build, 'host-sdk/sandbox/itglue-sandbox'),
		plugin: join(build, 'plugin/.libs/itglue.so'),
	};
	const tmp = await mkdtemp(join(tmpdir(), 'xdr-browser-'));
	const home = join(tmp, 'home');
	const plugins = join(tmp, 'plugins');
	await mkdir(plugins);
	const env = cleanEnv();
	const s = {
		tmp,
		home,
		plugins,
		src,
		build,
		inventoryFile: join(src, 'host-sdk/examples/inventory.json'),
		reportFile: join(src, 'host-sdk/examples/edr-summary.html'),
		sandboxUrl: null,
		consoleUrl: null,
		children: [],
	};

	// stop(): both servers stopped, the home removed (kept with
	// BROWSER_KEEP_HOME=1, for a look after a failure).
	s.stop = async () => {
		for (const c of s.children.reverse()) await c.stop();
		s.children = [];
		if (!process.env.BROWSER_KEEP_HOME) await rm(tmp, { recursive: true, force: true });
	};

	// host(args, input) -> {rc, out, err}; throws when the command fails
	// unless {ok: false} is asked.
	s.host = async (args, { input = '', check = true } = {}) => {
		const r = await run(bin.host, ['--home', home, '--plugin-dir', plugins, ...args], {
			input,
			env,
		});
		if (check && r.rc !== 0)
			throw new Error(`xdr-host ${args.join(' ')}: status ${r.rc}\n${r.err}${r.out}`);
		return r;
	};
	// admin(action, request): the plugin's admin action, its answer parsed.
	// The request goes on standard input ("-"), as an API key must.
	s.admin = async (action, request = {}, opts = {}) => {
		const r = await s.host(['admin', 'itglue', action, '-'], {
			input: JSON.stringify(request),
			...opts,
		});
		try {
			return JSON.parse(r.out);
		} catch {
			return { raw: r.out, rc: r.rc, err: r.err };
		}
	};

	// The sandbox with the demo data.
	const sbLog = join(tmp, 'sandbox.log');
	const sbPort = join(tmp, 'sandbox.port');
	const sb = background(
		bin.sandbox,
		['--data', join(src, 'host-sdk/sandbox/demo.json'), '--port', '0', '--port-file', sbPort, '--quiet', ...(opts.sandboxArgs || [])],
		sbLog,
		env,
	);
	s.children.push(sb);
	try {
		s.sandboxUrl = `http://127.0.0.1:${await portOf(sbPort, sb, sbLog, 'itglue-sandbox')}`;
	} catch (e) {
		await s.stop();
		throw e;
	}

	// sandbox(path, body?): the sandbox's control routes (/_sandbox/...),
	// GET without a body, POST with one; the answer parsed.
	s.sandbox = async (path, body) => {
		const r = await fetch(s.sandboxUrl + path, body === undefined ? {} : {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
		const text = await r.text();
		if (!r.ok) throw new Error(`sandbox ${path}: ${r.status} ${text}`);
		return text ? JSON.parse(text) : null;
	};

	// The knowledge pack of this build (the plugin and the dashboards),
	// installed as a user would: it puts the plugin into the plugin directory.
	const kp = join(tmp, 'itglue.kp');
	try {
		const b = await run('sh', [
			join(src, 'packaging/kp-build.sh'), kp, 'openxdr-itglue', '0.0.0', bin.plugin,
			join(src, 'packaging/knowledge-pack'),
		], { env });
		if (b.rc !== 0) throw new Error(`kp-build.sh: ${b.err}`);
		await s.host(['kp', 'install', kp]);
	} catch (e) {
		await s.stop();
		throw e;
	}

	// The preconditions, each a CLI call of the seed's walk-through.
	s.integrationOn = () => s.host(['setting', 'set', 'psa_rmm_integration', 'on']);
	s.inventory = () => s.host(['inventory', 'load', s.inventoryFile]);
	s.addInstance = (name = 'Demo', key = DEMO_KEY) =>
		s.admin('instance.add', { name, url: s.sandboxUrl, api_key: key });
	s.groups = (groups = ['Default', 'Globex', 'Lab'], instance = 'Demo') =>
		s.admin('instance.groups', { instance, groups });
	s.importAll = (feature, instance = 'Demo') => s.admin('import', { instance, feature });
	s.automap = (instance = 'Demo') => s.admin('automap', { instance });
	s.map = (req) => s.admin('map', { instance: 'Demo', ...req });
	s.mappings = (req = {}) => s.admin('mappings', { instance: 'Demo', ...req });
	// ready(): integration on, the inventory, instance "Demo" on the
	// sandbox for the demo's three groups (the seed up to Test Connection).
	s.ready = async () => {
		await s.integrationOn();
		await s.inventory();
		await s.addInstance();
		await s.groups();
	};
	// imported(): ready() and both features imported (the seed up to Mapping).
	s.imported = async () => {
		await s.ready();
		await s.importAll('organizations');
		await s.importAll('configurations');
	};

	// The console, with its password set from standard input. It does not
	// tick (--tick-seconds 0): a scheduled auto-map would otherwise map
	// the groups behind the walk-through's back.
	s.startConsole = async () => {
		await s.host(['console', 'passwd'], { input: PASSWORD + '\n' });
		const log = join(tmp, 'console.log');
		const pf = join(tmp, 'console.port');
		await rm(pf, { force: true });
		const c = background(
			bin.host,
			['--home', home, '--plugin-dir', plugins, 'console', '--listen', '127.0.0.1:0', '--port-file', pf, '--tick-seconds', '0'],
			log,
			env,
		);
		s.children.push(c);
		s.consoleUrl = `http://127.0.0.1:${await portOf(pf, c, log, 'xdr-host console')}`;
		return s.consoleUrl;
	};
	s.consoleLog = () => readFile(join(tmp, 'console.log'), 'utf8').catch(() => '');

	// api(method, path, {cookie, csrf, body}): one request to the console,
	// as a script outside the browser would send it.
	s.api = async (method, path, { cookie, csrf, body, headers = {} } = {}) => {
		const h = { ...headers };
		if (cookie) h.Cookie = cookie;
		if (csrf) h['X-CSRF-Token'] = csrf;
		if (body !== undefined && !h['Content-Type']) h['Content-Type'] = 'application/json';
		const r = await fetch(s.consoleUrl + path, {
			method,
			headers: h,
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
			redirect: 'manual',
		});
		const text = await r.text();
		let json = null;
		try {
			json = JSON.parse(text);
		} catch {}
		return { status: r.status, headers: r.headers, text, json };
	};
	// login() -> {cookie, csrf}: a session for s.api.
	s.login = async () => {
		const r = await s.api('POST', '/api/login', { body: { password: PASSWORD } });
		if (r.status !== 200) throw new Error(`login: ${r.status} ${r.text}`);
		const set = r.headers.get('set-cookie') || '';
		return { cookie: set.split(';')[0], csrf: r.json && r.json.csrf, setCookie: set };
	};

	s.writeFile = (name, data) => writeFile(join(tmp, name), data);
	return s;
}
