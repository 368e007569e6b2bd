// A misbehaving cluster, with the real wasm in Node: deadlines that cover the
// body (a body trickling for longer than V8's idle GC), caps counted as bytes
// arrive (chunked and gzip bombs), retries, resets, HTML pages, pages of lists
// and what the requests say about themselves. Time and memory are measured
// in benches/hostile-bench.mjs, not limited here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init, getShardMetrics, listShardSets } from 'flux-shard-metrics';
import { startCluster } from '../../sim/cluster.mjs';
import { runCli } from './harness.mjs';

const version = JSON.parse(await (await import('node:fs/promises')).readFile(new URL('../../package.json', import.meta.url), 'utf8')).version;
let sim;

const flux = (...args) => runCli(args);

before(async () => {
  sim = await startCluster({
    scenario: 'hostile',
    frozen: true,
    crowd: 20000,
    quirks: {
      retryAfterOnce: ['/apis/templates.weave.works/v1alpha1/namespaces/hostile/fluxshardsets/hostile-shardset'],
      html: ['/apis/templates.weave.works/v1alpha1/namespaces/flux-system/fluxshardsets/behind-a-login'],
    },
  });
  await init();
});
after(() => sim.close());

test('every misbehaving pod ends in its own row, at the deadline or at the cap', async () => {
  const started = sim.requests.length;
  const m = await getShardMetrics({ server: sim.url, namespace: 'hostile', name: 'hostile-shardset', timeoutMs: 12000 });
  const rows = Object.fromEntries(m.deployments.map((d) => [d.shard ?? 'source', d]));
  const kind = (shard) => rows[shard].problems.map((p) => p.kind);
  // The shard set itself answered 429 with Retry-After: 1 first, and was asked again.
  assert.equal(sim.requests.slice(started).filter((r) => r.startsWith('GET /apis/templates.weave.works/v1alpha1/namespaces/hostile/fluxshardsets/')).length, 2);
  // One byte a second for ever: the deadline (well past V8's idle GC, about 8 s) ends it.
  assert.deepEqual(kind('trickle'), ['timeout']);
  assert.equal(rows.trickle.problems[0].timeoutMs, 12000);
  // Bodies without a length, and a gzip bomb: reading stops at the cap, and says so.
  for (const shard of ['endless', 'chunked-bomb', 'gzip-bomb']) {
    assert.deepEqual(kind(shard), ['tooLarge'], shard);
    assert.equal(rows[shard].problems[0].limitBytes, 16 * 1024 * 1024);
    assert.match(rows[shard].error, /is larger than 16 MiB: reading stopped there$/);
  }
  // A reset before the answer is tried again; a body cut short is called that, not "cannot reach".
  assert.deepEqual(kind('reset-once'), []);
  assert.equal(rows['reset-once'].reconciliations, 10);
  assert.deepEqual(kind('reset'), ['unreachable']);
  assert.deepEqual(kind('reset-mid-body'), ['interrupted']);
  assert.match(rows['reset-mid-body'].error, /broke while the response was being read: terminated \(other side closed\)$/);
  assert.deepEqual(kind('retry-after-once'), []);
  assert.equal(rows.source.reconciliations, 100);
});

test("a namespace of 20,000 other pods: only the shard set's pods are listed, page by page", async () => {
  const before = sim.requests.length;
  const m = await getShardMetrics({ server: sim.url, namespace: 'hostile', name: 'hostile-shardset', timeoutMs: 3000 });
  assert.equal(m.deployments.length, 9);
  const lists = sim.requests.slice(before).filter((r) => r.includes('/namespaces/hostile/pods?') || r.includes('/namespaces/hostile/replicasets?') || r.includes('/namespaces/hostile/deployments?'));
  assert.deepEqual(
    lists.map((r) => r.replace(/^GET \/(api|apis\/apps)\/v1\/namespaces\/hostile\//, '')),
    [
      'deployments?limit=500',
      // The labels every row's Deployment selects: Flux's selector is `app: <controller>`.
      'replicasets?labelSelector=app%3Dkustomize-controller&limit=500',
      'pods?labelSelector=app%3Dkustomize-controller&limit=500',
    ],
  );
  // Listing them all would be 40 pages of 500.
  const all = await (await fetch(`${sim.url}/api/v1/namespaces/hostile/pods?limit=500`)).json();
  assert.equal(all.metadata.remainingItemCount, 20009 - 500);
});

test('requests say who sends them and what they accept', async () => {
  const ua = [];
  const before = sim.requests.length;
  await getShardMetrics({ server: sim.url, namespace: 'flux-system', name: 'source-controller-shardset' });
  const seen = sim.requests.slice(before).map((r, i) => [r, sim.accepts[before + i], sim.userAgents[before + i]]);
  for (const [r, accept, agent] of seen) {
    ua.push(agent);
    if (r.includes('/proxy/metrics')) assert.match(accept, /^application\/openmetrics-text;version=1\.0\.0,.*text\/plain;version=0\.0\.4;q=0\.5/, r);
    else if (r.startsWith('GET /apis?') || r === 'GET /apis') assert.match(accept, /as=APIGroupDiscoveryList/);
    else assert.equal(accept, 'application/json', r);
  }
  assert.deepEqual([...new Set(ua)], [`flux-shard-metrics/${version}`]);
});

test('an HTML page where the API should be is called an HTML page', async () => {
  const e = await getShardMetrics({ server: sim.url, namespace: 'flux-system', name: 'behind-a-login' }).catch((x) => x);
  assert.equal(e.kind, 'badResponse');
  assert.match(e.message, /it is an HTML page, not JSON \(it starts with "<!DOCTYPE html>\\n<html><head><title>Sign "\): is the server setting pointing at the Kubernetes API\?$/);
});

test('the CLI: a cap as a flag, a connection refused with its cause and a hint', async () => {
  const capped = await flux('get', 'notification-controller-shardset', '-n', 'team-b', '--server', sim.url, '--max-body-bytes', '20000', '-o', 'json');
  assert.equal(capped.status, 0, capped.stderr);
  const m = JSON.parse(capped.stdout);
  assert.ok(m.deployments.some((d) => d.problems.some((p) => p.kind === 'tooLarge' && p.limitBytes === 20000)));
  const bad = await flux('get', 'x', '-n', 'flux-system', '--server', sim.url, '--max-body-bytes', '0');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^flux-shard-metrics: --max-body-bytes: invalid option maxBodyBytes: must be a whole number from 1 to 1073741824, got 0\n/);
  // A port nothing listens on (a server's, once closed).
  const closed = (await import('node:net')).createServer();
  await new Promise((r) => closed.listen(0, '127.0.0.1', r));
  const port = closed.address().port;
  await new Promise((r) => closed.close(r));
  const refused = await flux('get', 'x', '-n', 'flux-system', '--server', `http://127.0.0.1:${port}`);
  assert.equal(refused.status, 1);
  const url = `http://127.0.0.1:${port}/apis/templates.weave.works/v1alpha1/namespaces/flux-system/fluxshardsets/x`;
  assert.ok(refused.stderr.startsWith(`flux-shard-metrics: cannot reach ${url}: fetch failed (connect ECONNREFUSED 127.0.0.1:${port})\nhint: `), refused.stderr);
  // listShardSets reads pages too.
  assert.ok((await listShardSets({ server: sim.url })).length >= 5);
});
