// s3: script in a value from IT Glue is shown as text. An organization is
// renamed in IT Glue to markup that would run script if a screen wrote it
// as HTML; imported, the Import and Mapping panes show it literally, and no
// script ran (window.__x stays undefined, no image element was made).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instancePage, login, row, screen, shot, useStack } from '../lib/browser.mjs';
import { waitFor } from '../lib/stack.mjs';

const NAME = '<img src=x onerror=window.__x=1><script>window.__x=2</script>';
const ctx = useStack(import.meta.url, async (s) => {
	await s.ready();
	await s.sandbox('/_sandbox/touch', { resource: 'organizations', ids: [3], set: { name: NAME } });
});

async function noScriptRan(page) {
	assert.equal(await page.evaluate(() => typeof window.__x), 'undefined', 'no script ran');
	assert.equal(await page.locator('img[src="x"]').count(), 0, 'no image element was made');
	assert.equal(
		await page.evaluate(() => document.querySelectorAll('main script').length),
		0,
		'no script element in the screen',
	);
}

test('the Import list shows the name literally', async () => {
	const { page, stack } = ctx;
	await login(page, stack);
	const main = await instancePage(page, stack, 'import');
	await main.getByLabel('Feature to Import').selectOption({ label: 'Organizations' });
	await main.getByRole('button', { name: 'Search', exact: true }).click();
	await row(main, 'IT Glue records', NAME).waitFor();
	await noScriptRan(page);
	await shot(page, 'import');
});

test('imported, the Mapping pane shows the name literally', async () => {
	const { page, stack } = ctx;
	const main = await screen(page, 'import');
	await main.getByLabel('Import All').check();
	await main.getByRole('button', { name: 'Import', exact: true }).click();
	await main.getByRole('status').filter({ hasText: /Finished/ }).first().waitFor();
	await waitFor(async () => {
		const list = await stack.admin('imported.list', { instance: 'Demo', feature: 'organizations' });
		return list.items.some((o) => o.name === NAME);
	}, 'the name stored by the plugin as it is');
	await main.getByRole('link', { name: 'Next' }).click();
	const map = await screen(page, 'mapping');
	await map.getByLabel('Feature to Map').selectOption({ label: 'Organization' });
	await row(map, 'IT Glue organizations', NAME).waitFor();
	await noScriptRan(page);
	await shot(page, 'mapping');
});
