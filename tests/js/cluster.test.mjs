// getShardMetrics, listShardSets and the `get` / `list` commands against the
// simulated cluster behind a real `kubectl proxy`, with the real wasm in Node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { init, getShardMetrics, listShardSets, FluxShardMetricsError } from 'flux-shard-metrics';
import { startProxiedCluster } from './harness.mjs';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
let env;

async function flux(...args) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { encoding: 'utf8' });
    return { status: 0, stdout, stderr };
  } catch (e) {
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

before(async () => {
  env = await startProxiedCluster({ frozen: true, slowMs: 4000 });
  await init();
});
after(() => env.stop());

test('kubectl itself reads the simulated cluster (get --raw, get -l)', async () => {
  // Async: the simulated cluster runs in this process, so a blocking call would deadlock.
  const kubectl = (...args) => run('kubectl', ['--kubeconfig', env.kubeconfig, ...args], { encoding: 'utf8' });
  const raw = await kubectl('get', '--raw', '/apis/templates.weave.works/v1alpha1/namespaces/flux-system/fluxshardsets/source-controller-shardset');
  const set = JSON.parse(raw.stdout);
  assert.equal(set.kind, 'FluxShardSet');
  assert.deepEqual(
    set.spec.shards.map((s) => s.name),
    ['shard1', 'shard2', 'shard3'],
  );
  const pods = await kubectl('get', 'pods', '-n', 'flux-system', '-l', 'app=source-controller,sharding.fluxcd.io/key in (shard1)', '-o', 'name');
  assert.equal(pods.stdout.trim().split('\n').length, 2);
  await assert.rejects(kubectl('get', '--raw', '/apis/apps/v1/namespaces/flux-system/deployments/nope'), (e) => /deployments.apps "nope" not found/.test(e.stderr));
});

test('the issue example through kubectl proxy: source first, then shards in spec order', async () => {
  const m = await getShardMetrics({ server: env.proxyUrl, namespace: 'flux-system', name: 'source-controller-shardset' });
  assert.deepEqual(
    m.deployments.map((d) => [d.name, d.role, d.shard, d.reconciliations, d.errors, d.error]),
    [
      ['source-controller', 'source', null, 500, 1, null],
      ['source-controller-shard1', 'shard', 'shard1', 20, 0, null],
      ['source-controller-shard2', 'shard', 'shard2', 100, 0, null],
      ['source-controller-shard3', 'shard', 'shard3', 0, 0, null],
    ],
  );
  assert.equal(m.apiCalls, 4 + 5);
  assert.deepEqual(m.shardSet, {
    name: 'source-controller-shardset',
    namespace: 'flux-system',
    sourceDeployment: 'source-controller',
    shards: ['shard1', 'shard2', 'shard3'],
    ready: true,
    message: '3 shard(s) created',
  });
  const shard1 = m.deployments[1];
  // One leader that reconciles, one standby that does not (pods are sorted by name).
  const byLeader = shard1.pods.map((p) => [p.leader, p.reconciliations, p.phase, p.ready]).sort((a, b) => Number(b[0]) - Number(a[0]));
  assert.deepEqual(byLeader, [
    [true, 20, 'Running', true],
    [false, 0, 'Running', true],
  ]);
  assert.equal(typeof shard1.pods[0].startTime, 'number');
  assert.deepEqual(m.deployments[0].byController, [
    { controller: 'gitrepository', reconciliations: 401, errors: 1 },
    { controller: 'helmchart', reconciliations: 99, errors: 0 },
  ]);
  // A label value with markup comes back as plain data.
  assert.ok(m.deployments[2].byController.some((c) => c.controller.startsWith('<img src=x')));
  // Only GET requests reached the cluster.
  assert.ok(env.sim.requests.length > 0);
  assert.deepEqual(
    env.sim.requests.filter((r) => !r.startsWith('GET ')),
    [],
  );
});

test('every failure stays in its row; the rest are complete', async () => {
  const m = await getShardMetrics({ server: env.proxyUrl, namespace: 'flux-system', name: 'kustomize-controller-shardset', timeoutMs: 1500 });
  const rows = Object.fromEntries(m.deployments.map((d) => [d.shard ?? 'source', d]));
  assert.equal(rows.source.reconciliations, 1203);
  assert.equal(rows.source.error, null);
  assert.equal(rows.shard1.errors, 260);
  assert.match(rows.shard2.error, /not running \(phase Pending\), so not scraped$/);
  assert.match(rows.shard3.error, /forbidden \(HTTP 403\).*the RBAC permission `get` on `pods\/proxy` \(API group core\) in namespace `flux-system` is missing/);
  assert.match(
    rows.shard4.error,
    /no answer within 1500 ms from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/flux-system\/pods\/kustomize-controller-shard4-[a-z0-9]+-[a-z0-9]+:8080\/proxy\/metrics$/,
  );
  assert.equal(rows.shard5.error, "in spec.shards but missing from the shard set's inventory");
  assert.equal(rows.shard5.inInventory, false);
  assert.equal(rows.shard3.pods[0].error.includes('pods/proxy'), true);
});

test('a port from the prometheus.io/port annotation, in another namespace', async () => {
  const m = await getShardMetrics({ server: env.proxyUrl, namespace: 'team-a', name: 'helm-controller-shardset' });
  assert.deepEqual(
    m.deployments.map((d) => [d.name, d.reconciliations, d.errors]),
    [
      ['helm-controller', 312, 2],
      ['helm-controller-a', 150, 0],
      ['helm-controller-b', 75, 0],
    ],
  );
  assert.equal(m.deployments[0].pods[0].restarts, 2);
});

test('listShardSets: one namespace or all', async () => {
  const all = await listShardSets({ server: env.proxyUrl });
  assert.deepEqual(
    all.map((s) => `${s.namespace}/${s.name}`),
    ['flux-system/kustomize-controller-shardset', 'flux-system/source-controller-shardset', 'team-a/helm-controller-shardset'],
  );
  const team = await listShardSets({ server: env.proxyUrl, namespace: 'team-a' });
  assert.deepEqual(
    team.map((s) => [s.name, s.shards, s.inventory]),
    [['helm-controller-shardset', ['a', 'b'], 2]],
  );
});

test('top-level errors reject with a message a person acts on', async () => {
  await assert.rejects(getShardMetrics({ server: env.proxyUrl, namespace: 'flux-system', name: 'nope' }), {
    message: new RegExp(`^FluxShardSet flux-system/nope does not exist \\(HTTP 404 for ${env.proxyUrl}/apis/templates\\.weave\\.works/v1alpha1/namespaces/flux-system/fluxshardsets/nope\\)$`),
  });
  await assert.rejects(getShardMetrics({ server: 'http://127.0.0.1:9', namespace: 'flux-system', name: 'x' }), { message: /^cannot reach http:\/\/127\.0\.0\.1:9\/apis\/.*fluxshardsets\/x: / });
  const before = env.sim.requests.length;
  await assert.rejects(getShardMetrics({ server: env.proxyUrl, namespace: 'flux-system', name: '../secrets' }), {
    message: "invalid FluxShardSet name \"../secrets\": only lowercase letters, digits, '-' and '.' are allowed",
  });
  assert.equal(env.sim.requests.length, before, 'an invalid name sends nothing');
  // Options are checked by the core, with one wording, and rejected as data.
  await assert.rejects(getShardMetrics({ server: env.proxyUrl, namespace: 'flux-system', name: 'x', retries: 3 }), {
    name: 'FluxShardMetricsError',
    kind: 'invalidOption',
    option: 'retries',
    message: /^invalid option retries: unknown option \(known: namespace, name, previous, server, /,
  });
  await assert.rejects(getShardMetrics({ server: env.proxyUrl, namespace: 'flux-system', name: 'x', timeoutMs: -5 }), {
    kind: 'invalidOption',
    option: 'timeoutMs',
    message: 'invalid option timeoutMs: must be a whole number from 1 to 3600000, got -5',
  });
  await assert.rejects(getShardMetrics({ server: env.proxyUrl, namespace: 'flux-system', name: 'x', timeoutMs: NaN }), {
    message: 'invalid option timeoutMs: must be a whole number from 1 to 3600000, got "NaN"',
  });
  // Every rejection is a FluxShardMetricsError with a kind and its fields.
  const notFound = await getShardMetrics({ server: env.proxyUrl, namespace: 'flux-system', name: 'nope' }).catch((e) => e);
  assert.ok(notFound instanceof FluxShardMetricsError);
  assert.equal(notFound.kind, 'notFound');
  assert.equal(notFound.httpStatus, 404);
  assert.equal(notFound.url, `${env.proxyUrl}/apis/templates.weave.works/v1alpha1/namespaces/flux-system/fluxshardsets/nope`);
  const down = await getShardMetrics({ server: 'http://127.0.0.1:9', namespace: 'flux-system', name: 'x' }).catch((e) => e);
  assert.equal(down.kind, 'unreachable');
  assert.equal(JSON.parse(JSON.stringify(down)).kind, 'unreachable');
});

test('cli get prints the table of the issue', async () => {
  const r = await flux('get', 'source-controller-shardset', '-n', 'flux-system', '--server', env.proxyUrl);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    'Deployment               | Reconciliations | Errors | Status\n' +
      'source-controller        |             500 |      1 | ok\n' +
      'source-controller-shard1 |              20 |      0 | ok\n' +
      'source-controller-shard2 |             100 |      0 | ok\n' +
      'source-controller-shard3 |               0 |      0 | idle: no reconciliations\n',
  );
});

test('cli get shows row errors in a Status column; -o wide flags the idle shard', async () => {
  const r = await flux('get', 'kustomize-controller-shardset', '-n', 'flux-system', '--server', env.proxyUrl, '--timeout', '1500');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^Deployment +\| Reconciliations \| Errors \| Status$/);
  assert.match(lines[1], /^kustomize-controller +\| +1203 \| +3 \| ok$/);
  assert.match(lines[4], /^kustomize-controller-shard3 +\| +0 \| +0 \| unreachable: pod kustomize-controller-shard3-\S+: forbidden \(HTTP 403\)/);
  const wide = await flux('get', 'source-controller-shardset', '-n', 'flux-system', '--server', env.proxyUrl, '-o', 'wide');
  assert.match(wide.stdout, /^Deployment +\| Shard +\| Reconciliations \| Errors \| Ready \| Leader +\| Restarts \| Duration p50 \/ p99 +\| By controller \(reconciliations\/errors\) +\| Status$/m);
  assert.match(wide.stdout, /^source-controller-shard1 +\| shard1 +\| +20 \| +0 \| 2\/2 +\| source-controller-shard1-\S+ +\| +0 \| +\d+ ms \/ [\d.]+ m?s \| gitrepository=20\/0 +\| ok$/m);
  assert.match(wide.stdout, /^source-controller-shard3 +\| shard3 .*\| idle: no reconciliations$/m);
});

test('cli get -o json has the documented fields', async () => {
  const r = await flux('get', 'source-controller-shardset', '-n', 'flux-system', '--server', env.proxyUrl, '-o', 'json');
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  for (const d of m.deployments) {
    for (const key of ['name', 'namespace', 'role', 'shard', 'reconciliations', 'errors', 'error', 'pods']) assert.ok(key in d, key);
    for (const p of d.pods) for (const key of ['name', 'reconciliations', 'errors', 'error']) assert.ok(key in p, key);
  }
});

test('cli get: a shard set that cannot be read exits 1 with the reason', async () => {
  const r = await flux('get', 'nope', '-n', 'flux-system', '--server', env.proxyUrl);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^flux-shard-metrics: FluxShardSet flux-system\/nope does not exist \(HTTP 404 for /);
  const down = await flux('get', 'x', '-n', 'flux-system', '--server', 'http://127.0.0.1:9');
  assert.equal(down.status, 1);
  assert.match(down.stderr, /^flux-shard-metrics: cannot reach http:\/\/127\.0\.0\.1:9\//);
  const usage = await flux('get', 'x');
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /get needs -n NAMESPACE/);
  const badOutput = await flux('get', 'x', '-n', 'y', '-o', 'yaml');
  assert.equal(badOutput.status, 2);
  assert.match(badOutput.stderr, /-o must be table, wide, json, got 'yaml'/);
  // Hints come from the problem's kind.
  assert.match(r.stderr, /\nhint: Check the namespace and the name/);
  // A wrong namespace or flag value is a usage error (2), named by the core, before any request.
  const badNamespace = await flux('get', 'x', '-n', 'Flux System', '--server', env.proxyUrl);
  assert.equal(badNamespace.status, 2, badNamespace.stderr);
  assert.match(badNamespace.stderr, /^flux-shard-metrics: invalid namespace "Flux System": only lowercase letters, digits and '-' are allowed\n/);
  for (const [value, shown] of [
    ['2147483648', '2147483648'],
    ['abc', '"abc"'],
    ['0', '0'],
  ]) {
    const badTimeout = await flux('get', 'x', '-n', 'flux-system', '--server', env.proxyUrl, '--timeout', value);
    assert.equal(badTimeout.status, 2, badTimeout.stderr);
    assert.ok(badTimeout.stderr.startsWith(`flux-shard-metrics: --timeout: invalid option timeoutMs: must be a whole number from 1 to 3600000, got ${shown}\n`), badTimeout.stderr);
  }
});

test('cli list -A and -n', async () => {
  const r = await flux('list', '-A', '--server', env.proxyUrl);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    'Namespace   | Name                          | Source               | Shards | Inventory | Ready\n' +
      'flux-system | kustomize-controller-shardset | kustomize-controller |      5 |         4 | True\n' +
      'flux-system | source-controller-shardset    | source-controller    |      3 |         3 | True\n' +
      'team-a      | helm-controller-shardset      | helm-controller      |      2 |         2 | True\n',
  );
  const none = await flux('list', '-n', 'empty', '--server', env.proxyUrl);
  assert.equal(none.stdout, 'No FluxShardSets found in namespace empty.\n');
  const both = await flux('list', '-A', '-n', 'x');
  assert.equal(both.status, 2);
});

test('counters advance while the simulated cluster runs', async () => {
  const live = await startProxiedCluster({});
  try {
    const read = async () => (await getShardMetrics({ server: live.proxyUrl, namespace: 'flux-system', name: 'source-controller-shardset' })).deployments[0].reconciliations;
    const first = await read();
    await new Promise((r) => setTimeout(r, 1100));
    const second = await read();
    assert.ok(second > first, `${second} > ${first}`);
  } finally {
    await live.stop();
  }
});
