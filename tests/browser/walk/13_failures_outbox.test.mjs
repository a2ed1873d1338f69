// 13: a failed upload (seed 7.1 notes: event 4022): IT Glue refuses every
// request while the report is generated, the Outbox shows the failed row in
// red with the reason, Retry publishes it once IT Glue answers again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { go, hasClass, login, shot, table, useStack } from '../lib/browser.mjs';
import { waitFor } from '../lib/stack.mjs';

const TITLE = 'EDR Summary Reports';
const ctx = useStack(import.meta.url, async (s) => {
	await s.imported();
	await s.automap();
	await s.host(['report', 'config', 'add', TITLE, '--group', 'Default', '--publish-itglue']);
	await s.sandbox('/_sandbox/faults', { fail_every: { n: 1, kind: '422' } });
	// The upload fails: the command says so on stderr (not an error of it).
	await s.host(['report', 'generate', '--config', TITLE, '--title', TITLE, '--file', s.reportFile], {
		check: false,
	});
	await s.sandbox('/_sandbox/faults', {});
});

const failedRow = (main) =>
	table(main, 'Outbox').getByRole('row').filter({ hasText: /failed/i }).first();

test('the Outbox shows the failed upload in red with its reason', async () => {
	const { page, stack } = ctx;
	await login(page, stack);
	const main = await go(page, stack, '#/itglue/outbox', 'outbox');
	const r = failedRow(main);
	await r.waitFor();
	assert.match(await r.innerText(), /422/, 'the reason names what IT Glue answered');
	const red = (await hasClass(r, 'bad')) || (await r.locator('.bad').count()) > 0;
	assert.ok(red, 'the failed row is red (class bad)');
	const ev = JSON.parse((await stack.host(['events', '--json'])).out);
	assert.ok(ev.some((e) => e.id === 4022), 'event 4022 was written');
	await shot(page, 'failed');
});

test('Retry publishes it: the row is done and IT Glue has the asset', async () => {
	const { page, stack } = ctx;
	const main = page.locator('main#screen');
	await failedRow(main).getByRole('button', { name: 'Retry' }).click();
	await waitFor(async () => {
		const list = await stack.admin('outbox.list', {});
		return list.items[0].state === 'done';
	}, 'the outbox row done');
	await waitFor(async () => {
		await page.reload();
		const m = await go(page, stack, '#/itglue/outbox', 'outbox');
		await table(m, 'Outbox').waitFor();
		return (await failedRow(m).count()) === 0;
	}, 'no failed row on the Outbox');
	const data = await stack.sandbox('/_sandbox/data');
	assert.equal(data.flexible_assets.length, 1, 'one flexible asset in IT Glue');
	await shot(page, 'retried');
});
