// 08: Remove map (seed 4.2 step 10, 6 step 19): the mapping auto-map made
// is removed from the Mapping page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasClass, instancePage, login, pick, row, screen, shot, useStack } from '../lib/browser.mjs';
import { waitFor } from '../lib/stack.mjs';

const ctx = useStack(import.meta.url, async (s) => {
	await s.imported();
	await s.automap();
});

test('Mapped Organizations shows Default, mapped by auto-map, in green', async () => {
	const { page, stack } = ctx;
	await login(page, stack);
	const main = await instancePage(page, stack, 'mapping');
	await main.getByLabel('Feature to Map').selectOption({ label: 'Organization' });
	const r = row(main, 'Mapped Organizations', 'Default');
	await r.waitFor();
	assert.equal(await hasClass(r, 'ok'), true);
	await shot(page, 'mapped');
});

test('Default picked among the groups, Remove map unmaps it: gone from the pane and from the plugin', async () => {
	const { page, stack } = ctx;
	const main = await screen(page, 'mapping');
	await pick(row(main, 'Open XDR groups', 'Default'));
	await main.getByRole('button', { name: 'Remove map' }).click();
	await row(main, 'Mapped Organizations', 'Default').waitFor({ state: 'detached' });
	await waitFor(
		async () => (await stack.mappings()).groups.find((g) => g.name === 'Default').state !== 'mapped',
		'Default unmapped in the plugin',
	);
	await shot(page, 'removed');
});
