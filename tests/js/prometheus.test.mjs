// Prometheus as the source, against a real Prometheus (Debian's package) that scrapes the simulated
// cluster's pods every second through its pod proxy, while a pod restarts and a Deployment rolls.
// The same shard set read both ways must agree: scrape totals plus what the restarted and rolled
// pods had counted (which only Prometheus still knows) against increase() over the window.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init, getShardMetrics } from '../../dist/index.js';
import { runCli, startProxiedCluster } from './harness.mjs';
import { startPrometheus } from '../../sim/prometheus.mjs';

const NS = 'flux-system';
const SET = 'source-controller-shardset';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let env;
let prometheus;
/** What the restarted and rolled pods had counted when they went, per Deployment. */
const lost = new Map();
let restarted;
let rolledFrom;
let startedAt;
let rolledAt;

before(async () => {
  await init();
  // Counters at zero and still until Prometheus has scraped every pod once: its series then start at 0.
  env = await startProxiedCluster({ fresh: true, frozen: true, speed: 10, slowMs: 1000 });
  prometheus = await startPrometheus({ simUrl: env.sim.url });
  env.sim.setService('monitoring/prometheus:9090', prometheus.url);
  env.sim.run();
  startedAt = Date.now();
  await sleep(6000);
  const pods = env.sim.cluster.pods.map((p) => p.object.metadata.name);
  restarted = pods.find((p) => p.startsWith('source-controller-shard2-'));
  lost.set('source-controller-shard2', env.sim.restartPod(restarted));
  rolledFrom = pods.filter((p) => p.startsWith('source-controller-shard1-'));
  rolledAt = Date.now();
  lost.set('source-controller-shard1', env.sim.rollDeployment(NS, 'source-controller-shard1'));
  // The new pods are found (HTTP SD every second) and scraped; then the counters stop, and
  // Prometheus scrapes their final values.
  await sleep(6000);
  env.sim.freeze();
  await sleep(3000);
});

after(async () => {
  await prometheus?.stop();
  await env?.stop();
});

const byName = (m) => Object.fromEntries(m.deployments.map((d) => [d.name, d]));

test('scrapes and Prometheus agree on what each Deployment did, across a restart and a rollout', async () => {
  const scraped = byName(await getShardMetrics({ server: env.proxyUrl, namespace: NS, name: SET }));
  const m = await getShardMetrics({ server: env.proxyUrl, namespace: NS, name: SET, prometheus: { url: prometheus.url, window: '10m' } });
  const windowed = byName(m);
  assert.equal(m.source.kind, 'prometheus');
  assert.equal(m.source.window, '10m');
  assert.equal(m.source.url, `${prometheus.url}/api/v1/query`);
  assert.deepEqual(
    m.source.queries.map((q) => q.split(') (')[0] + ')'),
    ['max by (namespace, pod, controller, result)', 'max by (namespace, pod, controller, le)', 'max by (namespace, pod, __name__, controller, name)', 'max by (namespace, pod, controller, result)'],
  );
  const report = [];
  for (const name of ['source-controller', 'source-controller-shard1', 'source-controller-shard2', 'source-controller-shard3']) {
    const truth = scraped[name].reconciliations + (lost.get(name)?.reconciliations ?? 0);
    const seen = windowed[name].reconciliations;
    // The sampling error the README states: increase() extrapolates each series to the end of the
    // window at its average slope, by up to one scrape interval (1 s here: truth / seconds of series);
    // a pod that started within the window loses what it counted before its first scrape (discovery,
    // 1 s here, plus up to one interval) and a pod that went what it counted after its last one (up to
    // one interval): 3 s at the rate of the pods that went. Plus 2 % and 1 for rounding.
    const seconds = (Date.now() - startedAt) / 1000;
    const perSecond = lost.has(name) ? (1000 * lost.get(name).reconciliations) / (rolledAt - startedAt) : 0;
    const tolerance = truth / seconds + 3 * perSecond + 0.02 * truth + 1;
    report.push(`${name}: scrape+lost ${truth}, Prometheus ${seen.toFixed(1)}, tolerance ${tolerance.toFixed(1)}`);
    assert.ok(Math.abs(seen - truth) <= tolerance, report.join('\n'));
  }
  console.log(report.join('\n'));
  // The scrape alone lost what the restarted and rolled pods had counted; Prometheus kept it.
  for (const name of lost.keys()) {
    assert.ok(lost.get(name).reconciliations > 0, name);
    assert.ok(windowed[name].reconciliations > scraped[name].reconciliations + lost.get(name).reconciliations / 3, `${name}: ${report.join(' / ')}`);
  }
  // The rolled Deployment's old leader is there as Deleted, with its counts (its standby never had a
  // reconcile series: nothing to count).
  const shard1 = windowed['source-controller-shard1'];
  const deleted = shard1.pods.filter((p) => p.phase === 'Deleted');
  assert.ok(deleted.length >= 1 && deleted.every((p) => rolledFrom.includes(p.name)), JSON.stringify(deleted.map((p) => p.name)));
  assert.ok(deleted.some((p) => p.reconciliations > 0));
  assert.equal(m.source.gonePods, deleted.length);
  assert.ok(shard1.pods.filter((p) => p.phase === 'Deleted').every((p) => p.finished && p.reconciliations >= 0));
  // The restarted pod is the same pod: its counts before and after the restart are both in the window.
  const shard2 = windowed['source-controller-shard2'].pods.find((p) => p.name === restarted);
  assert.ok(shard2.reconciliations > env.sim.countsOf(restarted).reconciliations, JSON.stringify(shard2));
  // The idle shard stays idle (its status is misconfigured: a FluxShardSet's source-controller shards
  // advertise the source's artifact server), and nobody is called unreachable or stuck.
  assert.deepEqual(windowed['source-controller-shard3'].flags, ['misconfigured', 'artifactServer', 'idle']);
  for (const d of m.deployments) assert.ok(!['unreachable', 'stuck', 'missing'].includes(d.status), `${d.name}: ${d.status}: ${d.statusReason}`);
  // Durations from the merged buckets, as histogram_quantile() would give them.
  assert.ok(windowed['source-controller'].durationP50 > 0 && windowed['source-controller'].durationP50 <= windowed['source-controller'].durationP99);
  // Only GET requests reached the cluster.
  assert.deepEqual(
    env.sim.requests.filter((r) => !r.startsWith('GET ')),
    [],
  );
});

test('through the API server: the Service proxy of kubectl proxy, the same numbers', async () => {
  const directRead = await getShardMetrics({ server: env.proxyUrl, namespace: NS, name: SET, prometheus: { url: prometheus.url, window: '10m' } });
  const direct = byName(directRead);
  const directQueries = directRead.source.queries;
  const before = env.sim.requests.length;
  const m = await getShardMetrics({ server: env.proxyUrl, namespace: NS, name: SET, prometheus: { service: 'monitoring/prometheus:9090', window: '10m' } });
  assert.equal(m.source.url, `${env.proxyUrl}/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/api/v1/query`);
  // The same queries; asked moments later, maybe across a scrape, each series' extrapolation to the end
  // of the window moves by up to one interval at its slope: up to a ninth of the rolled Deployment's
  // new series, 9 s long here. Anything else (0 against N, another Deployment's pods) is far outside.
  assert.deepEqual(m.source.queries, directQueries);
  for (const d of m.deployments)
    assert.ok(Math.abs(d.reconciliations - direct[d.name].reconciliations) <= 0.2 * direct[d.name].reconciliations + 1, `${d.name}: ${d.reconciliations} vs ${direct[d.name].reconciliations}`);
  // Ours, not Prometheus' own scrapes of the pods, which go on.
  const sent = env.sim.requests.slice(before).filter((_, i) => !/^Prometheus\//.test(env.sim.userAgents[before + i] ?? ''));
  assert.equal(sent.filter((r) => r.includes('/services/prometheus:9090/proxy/api/v1/query?')).length, 4);
  assert.equal(sent.filter((r) => r.endsWith('/proxy/metrics')).length, 0, 'no pod scraped');
});

test('a short window counts less, and a window before anything ran counts nothing', async () => {
  const ten = byName(await getShardMetrics({ server: env.proxyUrl, namespace: NS, name: SET, prometheus: { url: prometheus.url, window: '10m' } }));
  const short = byName(await getShardMetrics({ server: env.proxyUrl, namespace: NS, name: SET, prometheus: { url: prometheus.url, window: '4s' } }));
  // The counters stopped 3 s ago: the last 4 s saw little or nothing.
  assert.ok(short['source-controller'].reconciliations < ten['source-controller'].reconciliations / 2, `${short['source-controller'].reconciliations}`);
});

test('errors are data: a refused query, an empty result, an unreachable Prometheus; the rows stay', async () => {
  const wrongLabels = await getShardMetrics({ server: env.proxyUrl, namespace: NS, name: SET, prometheus: { url: prometheus.url, labels: { namespace: 'exported_namespace' } } });
  const source = wrongLabels.deployments[0];
  assert.equal(source.status, 'unreachable');
  assert.equal(source.problems[0].kind, 'noSeries');
  assert.match(
    source.statusReason,
    /no series for controller_runtime_reconcile_total with exported_namespace="flux-system" and a pod label in the last 1h: is Flux scraped by this Prometheus, with these label names\?/,
  );
  const down = await getShardMetrics({ server: env.proxyUrl, namespace: NS, name: SET, prometheus: { url: 'http://127.0.0.1:9', window: '1h' }, timeoutMs: 2000 });
  assert.equal(down.deployments[0].problems[0].kind, 'unreachable');
  assert.equal(down.deployments.length, 4);
  const missing = await getShardMetrics({ server: env.proxyUrl, namespace: NS, name: SET, prometheus: { service: 'monitoring/nope:9090' } });
  assert.equal(missing.deployments[0].problems[0].kind, 'notFound');
  await assert.rejects(getShardMetrics({ server: env.proxyUrl, namespace: NS, name: SET, prometheus: { url: prometheus.url, window: '1 hour' } }), {
    name: 'FluxShardMetricsError',
    kind: 'invalidOption',
    option: 'prometheus.window',
    message: 'invalid option prometheus.window: must be whole numbers with units, such as 5m, 1h or 7d, got "1 hour"',
  });
});

test('CLI: get --prometheus svc/NS/NAME:PORT --window, the table and where its numbers come from', async () => {
  const r = await runCli(['get', SET, '-n', NS, '--server', env.proxyUrl, '--prometheus', 'svc/monitoring/prometheus:9090', '--window', '10m']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /^source-controller-shard3 +\| +0 \| +0 \| misconfigured: its --storage-adv-addr=source-controller\.\$\(RUNTIME_NAMESPACE\)\.svc\.cluster\.local\. names the Service source-controller, not its own \(source-controller-shard3\)/m,
  );
  assert.match(r.stdout, /^Counts over the last 10m from Prometheus, \d+ pod\(s\) no longer running included\.$/m);
});
