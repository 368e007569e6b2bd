// The packaged page in Chromium through `kubectl proxy --www` with the viewer's credentials, against
// the real cluster: the same rows and statuses as the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { launch } from '../browser/chromium.mjs';
import { get, rowNames, runCli, scenario, startViewerProxy, VIEWER } from './harness.mjs';

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

test('the chooser lists the real FluxShardSet (and, when the page reads them, every other group)', async () => {
  await page.goto(`${base}/shard-metrics/`);
  const links = page.locator('ul.chooser a');
  await links.first().waitFor({ timeout: 30000 });
  const texts = await links.allInnerTexts();
  assert.ok(texts.includes(`${scenario.namespace}/${scenario.shardSet}`), JSON.stringify(texts));
  const groups = await page.evaluate(() => customElements.get('flux-shard-metrics')?.observedAttributes?.includes('controller') ?? false);
  // One link per group: a FluxInstance's per controller it shards.
  if (groups)
    assert.equal(
      texts.length,
      scenario.groups.reduce((n, g) => n + g.controllers.length, 0),
      JSON.stringify(texts),
    );
  else assert.deepEqual(texts, [`${scenario.namespace}/${scenario.shardSet}`]);
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

test("a FluxInstance group's rows (?namespace=…&controller=…), when the page reads such groups", async (t) => {
  const [instance] = scenario.groups.filter((g) => g.kind === 'FluxInstance');
  await page.goto(`${base}/shard-metrics/`);
  // The element says which attributes it reads: a page without `controller` reads FluxShardSets only.
  const supported = await page.evaluate(() => customElements.get('flux-shard-metrics')?.observedAttributes?.includes('controller') ?? false);
  if (!supported) return t.skip('the page does not read FluxInstance or hand-made groups yet (no `controller` attribute on <flux-shard-metrics>)');
  const controller = 'source-controller';
  await page.goto(`${base}/shard-metrics/?namespace=${instance.namespace}&controller=${controller}`);
  const names = [controller, ...instance.shards.map((s) => `${controller}-${s}`)];
  await row(names.at(-1)).locator('.badge').first().waitFor({ timeout: 30000 });
  assert.deepEqual(await page.locator('table.rows > tbody > tr[data-deployment]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-deployment'))), names);
  const cli = JSON.parse((await runCli(['get', `deployment/${controller}`, '-n', instance.namespace, '-o', 'json', '--kubeconfig', VIEWER])).stdout);
  for (const d of cli.deployments) assert.equal(await row(d.name).getAttribute('data-status'), d.status, d.name);
  assert.deepEqual(problems, []);
});
