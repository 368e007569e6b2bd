// The same deadlines and caps in Chromium: a body that trickles for longer
// than V8's idle GC ends at the deadline, and bombs stop at the cap. The page
// imports the package from its build (dist/, pkg/) and calls the simulated
// cluster's API directly (it allows any origin).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launch } from './chromium.mjs';
import { startCluster } from '../../sim/cluster.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm' };
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
  server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    const m = /^\/(dist|pkg)\/[\w./-]+(\.js|\.wasm)$/.exec(path);
    if (m && !path.includes('..')) {
      try {
        return res.writeHead(200, { 'content-type': TYPES[m[2]] }).end(await readFile(root + path.slice(1)));
      } catch {
        // fall through
      }
    }
    res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
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
