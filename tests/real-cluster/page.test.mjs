// The packaged page in Chromium through `kubectl proxy --www` with the viewer's credentials, against
// the real cluster: the same rows and statuses as the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { launch } from '../browser/chromium.mjs';
import { get, rowNames, scenario, startViewerProxy } from './harness.mjs';

const www = fileURLToPath(new URL('../../www/dist', import.meta.url));
let proxy;
let base;
let browser;
let page;
const problems = [];

before(async () => {
  proxy = await startViewerProxy([`--www=${www}`, '--www-prefix=/shard-metrics/']);
  base = proxy.url;
  browser = await launch();
  page = await browser.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (/^Failed to load resource/.test(m.text())) return;
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
});

after(async () => {
  await browser?.close();
  proxy?.stop();
});

const row = (name) => page.locator(`tr[data-deployment="${name}"]`);

test('the chooser lists the real FluxShardSet', async () => {
  await page.goto(`${base}/shard-metrics/`);
  const links = page.locator('ul.chooser a');
  await links.first().waitFor({ timeout: 30000 });
  assert.deepEqual(await links.allInnerTexts(), [`${scenario.namespace}/${scenario.shardSet}`]);
});

test('the same rows and statuses as the CLI', async () => {
  const cli = JSON.parse((await get('-o', 'json')).stdout);
  await page.goto(`${base}/shard-metrics/?namespace=${scenario.namespace}&shardset=${scenario.shardSet}`);
  await row(rowNames().at(-1)).locator('.badge').first().waitFor({ timeout: 30000 });
  const names = await page.locator('table.rows > tbody > tr[data-deployment]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-deployment')));
  assert.deepEqual(names, rowNames());
  for (const d of cli.deployments) {
    assert.equal(await row(d.name).getAttribute('data-status'), d.status, d.name);
  }
  assert.match(await page.locator('.set-status').innerText(), /^Ready 3 shard\(s\) created/);
  assert.match(await page.locator('flux-shard-metrics .orphaned').innerText(), /sharding\.fluxcd\.io\/key=shard9: 2/);
  // Only the leader of each Deployment reconciles: its pods cell names it.
  assert.match(await row(scenario.source).locator('td.pods').innerText(), /^1\/2 · leader \S+$/);
  assert.deepEqual(problems, []);
});
