// The page with Prometheus as the source, in Chromium: ?prometheus=NS/NAME:PORT&window=… through
// kubectl proxy --www, a real Prometheus behind the simulated cluster's service proxy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startProxiedCluster } from '../js/harness.mjs';
import { startPrometheus } from '../../sim/prometheus.mjs';
import { launch } from './chromium.mjs';

const www = fileURLToPath(new URL('../../www/dist', import.meta.url));
let env;
let prometheus;
let browser;
let page;
const problems = [];

before(async () => {
  env = await startProxiedCluster({ www, fresh: true, speed: 10, slowMs: 1000 });
  prometheus = await startPrometheus({ simUrl: env.sim.url });
  env.sim.setService('monitoring/prometheus:9090', prometheus.url);
  browser = await launch();
  page = await browser.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of (403|404)/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
});

after(async () => {
  await browser?.close();
  await prometheus?.stop();
  await env?.stop();
});

const base = () => `${env.proxyUrl}/shard-metrics/?namespace=flux-system&shardset=source-controller-shardset`;

test('the counts over the window, where they come from, and a window selector that goes into the URL', async () => {
  await page.goto(`${base()}&prometheus=monitoring/prometheus:9090&window=5m`);
  const source = page.locator('flux-shard-metrics .set-status .source');
  await source.waitFor({ timeout: 20000 });
  assert.match(await source.innerText(), /^ · counts over the last 5m from Prometheus$/);
  assert.match(await source.getAttribute('title'), /^max by \(namespace, pod, controller, result\) \(increase\(controller_runtime_reconcile_total\{namespace="flux-system"\}\[5m\]\)\)/);
  const rows = await page.locator('flux-shard-metrics tbody > tr[data-deployment]').evaluateAll((trs) => trs.map((tr) => tr.dataset.deployment));
  assert.deepEqual(rows, ['source-controller', 'source-controller-shard1', 'source-controller-shard2', 'source-controller-shard3']);
  // The trend from the range queries: a chart without waiting for more reads, said in words.
  const chart = page.locator('flux-shard-metrics tr[data-deployment="source-controller"] td.trend svg.trend');
  await chart.waitFor({ timeout: 20000 });
  assert.match(await chart.getAttribute('aria-label'), /^Reconciliations per minute over the Prometheus window, \d+ steps, /);
  // Idle, and misconfigured: a FluxShardSet's source-controller shards advertise the source's artifact server.
  assert.equal(
    await page.locator('flux-shard-metrics tr[data-deployment="source-controller-shard3"] td.status').innerText(),
    "misconfigured artifact server idle\nits --storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local. names the Service source-controller, not its own (source-controller-shard3): the artifacts of its objects would be fetched from another Deployment's artifact server; its Service flux-system/source-controller-shard3 does not exist, so nothing can fetch its artifacts",
  );
  const select = page.locator('flux-shard-metrics select.window');
  assert.equal(await select.inputValue(), '5m');
  assert.deepEqual(await select.locator('option').allInnerTexts(), ['last 5m', 'last 1h', 'last 24h', 'last 7d']);
  await select.selectOption('1h');
  await page.locator('flux-shard-metrics .set-status .source', { hasText: 'last 1h' }).waitFor();
  assert.match(page.url(), /[?&]window=1h(&|$)/);
  assert.deepEqual(problems, []);
});

test('a window Prometheus cannot read is named, from the URL to the page', async () => {
  await page.goto(`${base()}&prometheus=monitoring/prometheus:9090&window=1%20hour`);
  const error = page.locator('flux-shard-metrics .error-state[data-kind="invalidOption"]');
  await error.waitFor();
  assert.match(await error.innerText(), /invalid option prometheus\.window: must be whole numbers with units, such as 5m, 1h or 7d, got "1 hour"/);
});
