// The same deadlines and caps in Chromium: a body that trickles for longer
// than V8's idle GC ends at the deadline, and bombs stop at the cap. The page
// imports the package from its build (dist/, pkg/) and calls the simulated
// cluster's API directly (it allows any origin).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './chromium.mjs';
import { serveBuild } from './static-server.mjs';
import { startCluster } from '../../sim/cluster.mjs';

const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
import { init, getShardMetrics } from '/dist/index.js';
window.read = async (server, timeoutMs) => { await init(); return getShardMetrics({ server, namespace: 'hostile', name: 'hostile-shardset', timeoutMs }); };
window.ready = true;
</script>`;
let server;
let origin;
let sim;
let browser;
const problems = [];

before(async () => {
  sim = await startCluster({ scenario: 'hostile', frozen: true, modes: ['trickle', 'chunked-bomb', 'gzip-bomb', 'reset-mid-body'] });
  server = await serveBuild({ '/': ['text/html', PAGE] });
  origin = server.origin;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await sim?.close();
});

test('in Chromium: a trickling body ends at the deadline, bombs at the cap, a cut body is said to be cut', async () => {
  const page = await browser.newPage();
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && problems.push(m.text()));
  await page.goto(origin);
  await page.waitForFunction(() => window.ready);
  const m = await page.evaluate(([url]) => window.read(url, 12000), [sim.url]);
  const rows = Object.fromEntries(m.deployments.map((d) => [d.shard ?? 'source', d]));
  assert.deepEqual(
    rows.trickle.problems.map((p) => [p.kind, p.timeoutMs]),
    [['timeout', 12000]],
  );
  for (const shard of ['chunked-bomb', 'gzip-bomb']) {
    assert.deepEqual(
      rows[shard].problems.map((p) => [p.kind, p.limitBytes]),
      [['tooLarge', 16 * 1024 * 1024]],
      shard,
    );
  }
  // Chromium says less than Node about why, but it is still a body cut short, after retries.
  assert.deepEqual(
    rows['reset-mid-body'].problems.map((p) => p.kind),
    ['interrupted'],
  );
  assert.equal(rows.source.reconciliations, 100);
  assert.deepEqual(problems, []);
  await page.close();
});
