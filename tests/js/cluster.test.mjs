// getShardMetrics, listShardSets and the `get` / `list` commands against the
// simulated cluster behind a real `kubectl proxy`, with the real wasm in Node.
// The FluxShardSets of the demo; the other kinds of shard group are in groups.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { init, getShardMetrics, listShardSets, FluxShardMetricsError } from 'flux-shard-metrics';
import { runCli, startProxiedCluster } from './harness.mjs';

let env;

const run = promisify(execFile);
const flux = (...args) => runCli(args);

/**
 * Why a source-controller shard of a FluxShardSet is misconfigured: flux-shard-controller (v0.1) copies
 * the source's args, --storage-adv-addr included, and makes no Service for it (the core's artifactServer finding).
 */
const artifactReason = (shard) =>
  `its --storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local. names the Service source-controller, not its own (${shard}): the artifacts of its objects would be fetched from another Deployment's artifact server; its Service flux-system/${shard} does not exist, so nothing can fetch its artifacts`;

before(async () => {
  // markup: the first shard set has a controller named with markup (never in the demo).
  env = await startProxiedCluster({ frozen: true, slowMs: 4000, markup: true });
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
  // Shard Deployments carry flux-shard-controller's labels, and their pods too (FLUX-FACTS); never the sharding key.
  const pods = await kubectl('get', 'pods', '-n', 'flux-system', '-l', 'app=source-controller,templates.weave.works/shard in (shard1)', '-o', 'name');
  assert.equal(pods.stdout.trim().split('\n').length, 2);
  const keyed = await kubectl('get', 'pods', '-A', '-l', 'sharding.fluxcd.io/key', '-o', 'name');
  assert.equal(keyed.stdout.trim(), '');
  // Flux's kinds through kubectl's own (aggregated) discovery; objects selected by their sharding key.
  const orphans = await kubectl('get', 'kustomizations', '-A', '-l', 'sharding.fluxcd.io/key=shard9', '-o', 'name');
  assert.deepEqual(orphans.stdout.trim().split('\n'), [
    'kustomization.kustomize.toolkit.fluxcd.io/billing',
    'kustomization.kustomize.toolkit.fluxcd.io/reports',
    'kustomization.kustomize.toolkit.fluxcd.io/search',
  ]);
  const alerts = await kubectl('get', '--raw', '/apis/notification.toolkit.fluxcd.io/v1beta3/alerts?limit=1');
  assert.equal(JSON.parse(alerts.stdout).kind, 'AlertList');
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
  // The set, three lists, the Services (source-controller serves artifacts), discovery, five scrapes,
  // one list per kind the controllers reconcile.
  assert.equal(m.apiCalls, 1 + 3 + 1 + 1 + 5 + 5);
  assert.deepEqual(m.shardSet, {
    name: 'source-controller-shardset',
    namespace: 'flux-system',
    sourceDeployment: 'source-controller',
    shards: ['shard1', 'shard2', 'shard3'],
    ready: true,
    message: '3 shard(s) created',
    readyCondition: { status: 'True', reason: 'ReconciliationSucceeded', message: '3 shard(s) created' },
    suspended: false,
    generation: 1,
    observedGeneration: 1,
  });
  // Every read says which group it is about; a FluxShardSet's is its set.
  assert.deepEqual(m.group, {
    kind: 'FluxShardSet',
    name: 'source-controller-shardset',
    namespace: 'flux-system',
    controller: 'source-controller',
    key: 'sharding.fluxcd.io/key',
    shards: ['shard1', 'shard2', 'shard3'],
    ready: true,
    message: '3 shard(s) created',
    readyCondition: { status: 'True', reason: 'ReconciliationSucceeded', message: '3 shard(s) created' },
    suspended: false,
    behind: false,
    generation: 1,
    observedGeneration: 1,
  });
  // The shards' artifact servers are the source's (flux-shard-controller copies its args): misconfigured.
  assert.deepEqual(
    m.deployments.map((d) => [d.status, d.flags, d.objects.assigned]),
    [
      ['ok', [], 6],
      ['misconfigured', ['misconfigured', 'artifactServer'], 3],
      ['misconfigured', ['misconfigured', 'artifactServer'], 2],
      ['misconfigured', ['misconfigured', 'artifactServer', 'idle'], 0],
    ],
  );
  assert.equal(m.deployments[3].statusReason, artifactReason('source-controller-shard3'));
  assert.deepEqual(
    m.deployments.map((d) => d.storageAdvAddr),
    Array(4).fill('source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local.'),
  );
  assert.deepEqual([m.orphaned, m.overlaps, m.splitDependencies], [[], [], []]);
  const shard1 = m.deployments[1];
  // One leader that reconciles, one standby that does not (pods are sorted by name). A source-controller
  // standby is not Ready: its readiness probe is the artifact server, which only the leader runs.
  const byLeader = shard1.pods.map((p) => [p.leader, p.reconciliations, p.phase, p.ready]).sort((a, b) => Number(b[0]) - Number(a[0]));
  assert.deepEqual(byLeader, [
    [true, 20, 'Running', true],
    [false, 0, 'Running', false],
  ]);
  assert.equal(typeof shard1.pods[0].startTime, 'number');
  // Every controller of the process reports its series, at 0 until it has work.
  assert.deepEqual(m.deployments[0].byController, [
    { controller: 'bucket', reconciliations: 0, errors: 0 },
    { controller: 'gitrepository', reconciliations: 401, errors: 1 },
    { controller: 'helmchart', reconciliations: 99, errors: 0 },
    { controller: 'helmrepository', reconciliations: 0, errors: 0 },
    { controller: 'ocirepository', reconciliations: 0, errors: 0 },
  ]);
  // Mostly requeue_after, as on a real cluster.
  assert.ok(m.deployments[0].byResult.requeue_after > m.deployments[0].byResult.success);
  // The evicted pod of an older ReplicaSet is listed as finished and is no problem.
  const evicted = m.deployments[0].pods.find((p) => p.finished);
  assert.deepEqual([evicted.phase, evicted.reason, evicted.scraped, evicted.error], ['Failed', 'Evicted', false, null]);
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
  assert.equal(rows.shard3.pods[0].problem.kind, 'forbidden');
  assert.equal(rows.shard4.problems[0].kind, 'timeout');
});

test('each status, from the simulated cluster behind kubectl proxy', async () => {
  const read = (namespace, name) => getShardMetrics({ server: env.proxyUrl, namespace, name, timeoutMs: 1500 });
  const statuses = (m) => Object.fromEntries(m.deployments.map((d) => [d.shard ?? 'source', [d.status, d.statusReason]]));
  const kustomize = statuses(await read('flux-system', 'kustomize-controller-shardset'));
  assert.deepEqual(kustomize.source, ['ok', 'reconciling: 1203 reconciliations, 3 errors']);
  // shard6 selects shard1's objects: each of them reconciles them (overlapping, more severe than its errors).
  assert.deepEqual(kustomize.shard1, [
    'misconfigured',
    '4 objects it selects are also selected by kustomize-controller-shard6, so they are reconciled twice (e.g. tenant-a/backend, tenant-a/cron, tenant-a/frontend, tenant-a/worker)',
  ]);
  assert.match(kustomize.shard2.join(': '), /^pending: no ready replica yet \(0\/1\): pod kustomize-controller-shard2-\S+ is Pending$/);
  assert.equal(kustomize.shard3[0], 'unreachable');
  assert.equal(kustomize.shard4[0], 'unreachable');
  assert.deepEqual(kustomize.shard5, ['missing', "in spec.shards but missing from the shard set's inventory"]);
  assert.deepEqual(kustomize.shard6, [
    'misconfigured',
    'its manager watches --watch-label-selector=sharding.fluxcd.io/key in (shard1), which does not select its own objects (sharding.fluxcd.io/key=shard6): nothing reconciles them; 4 objects it selects are also selected by kustomize-controller-shard1, so they are reconciled twice (e.g. tenant-a/backend, tenant-a/cron, tenant-a/frontend, tenant-a/worker)',
  ]);
  assert.match(kustomize.shard7.join(': '), /^stuck: 2 objects carry sharding\.fluxcd\.io\/key=shard7, but none was reconciled in the \d+ days since its pods started$/);
  assert.deepEqual(kustomize.shard8, ['idle', 'no objects carry sharding.fluxcd.io/key=shard8']);
  const k = await read('flux-system', 'kustomize-controller-shardset');
  // Objects are assigned by each Deployment's actual selector: shard6's own objects are selected by nobody.
  assert.deepEqual(k.orphaned, [
    { key: 'shard6', count: 3, byKind: { Kustomization: 3 }, examples: ['tenant-f/backend', 'tenant-f/frontend', 'tenant-f/worker'] },
    { key: 'shard9', count: 3, byKind: { Kustomization: 3 }, examples: ['legacy/billing', 'legacy/reports', 'legacy/search'] },
  ]);
  assert.deepEqual(k.overlaps, [
    {
      deployments: ['kustomize-controller-shard1', 'kustomize-controller-shard6'],
      count: 4,
      byKind: { Kustomization: 4 },
      examples: ['tenant-a/backend', 'tenant-a/cron', 'tenant-a/frontend', 'tenant-a/worker'],
    },
  ]);
  assert.deepEqual(
    k.deployments.map((d) => d.objects.assigned),
    [3, 4, 2, 3, 2, 1, 4, 2, 0],
  );
  // Mid-rollout: a shard the controller has not made yet, and a pod that started seconds ago.
  const helm = await read('team-a', 'helm-controller-shardset');
  assert.equal(helm.shardSet.generation, 2);
  assert.equal(helm.shardSet.observedGeneration, 1);
  const h = statuses(helm);
  assert.deepEqual(h.c, ['pending', 'the shard set controller has not acted on the latest spec yet (generation 2, observed 1)']);
  assert.match(h.a.join(': '), /^pending: started \d+ s ago; 2 objects carry sharding\.fluxcd\.io\/key=a, none reconciled yet$/);
  // A shard set its controller refuses: its Ready message is quoted.
  const refused = await read('team-b', 'notification-controller-shardset');
  const n = statuses(refused);
  assert.equal(refused.shardSet.readyCondition.status, 'False');
  assert.deepEqual(n.x, [
    'missing',
    "in spec.shards but missing from the shard set's inventory; the FluxShardSet is not Ready: failed to generate deployments: deployment team-b/notification-controller is not configured to ignore sharding",
  ]);
  assert.equal(n.source[0], 'misconfigured');
  assert.ok(
    n.source[1].startsWith("the source's manager watches no --watch-label-selector, which does not exclude keyed objects (!sharding.fluxcd.io/key): it also reconciles the objects of x"),
    n.source[1],
  );
  // The source and shards of the first set: ok, and the shards' artifact servers the source's.
  const source = statuses(await read('flux-system', 'source-controller-shardset'));
  assert.deepEqual([source.source[0], source.shard1[0], source.shard3[0]], ['ok', 'misconfigured', 'misconfigured']);
});

test('a port from the prometheus.io/port annotation, in another namespace', async () => {
  const m = await getShardMetrics({ server: env.proxyUrl, namespace: 'team-a', name: 'helm-controller-shardset' });
  assert.deepEqual(
    m.deployments.map((d) => [d.name, d.reconciliations, d.errors]),
    [
      ['helm-controller', 312, 2],
      ['helm-controller-a', 0, 0],
      ['helm-controller-b', 75, 0],
      ['helm-controller-c', 0, 0],
    ],
  );
  assert.equal(m.deployments[0].pods[0].restarts, 2);
});

test('listShardSets: one namespace or all', async () => {
  const all = await listShardSets({ server: env.proxyUrl });
  assert.deepEqual(
    all.map((s) => `${s.namespace}/${s.name}`),
    ['flux-system/kustomize-controller-shardset', 'flux-system/source-controller-shardset', 'team-a/helm-controller-shardset', 'team-b/notification-controller-shardset'],
  );
  const team = await listShardSets({ server: env.proxyUrl, namespace: 'team-a' });
  assert.deepEqual(
    team.map((s) => [s.name, s.shards, s.inventory]),
    [['helm-controller-shardset', ['a', 'b', 'c'], 2]],
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
    message: /^invalid option retries: unknown option \(known: namespace, name, controller, previous, prometheus, server, /,
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
      `source-controller-shard1 |              20 |      0 | misconfigured: ${artifactReason('source-controller-shard1')}\n` +
      `source-controller-shard2 |             100 |      0 | misconfigured: ${artifactReason('source-controller-shard2')}\n` +
      `source-controller-shard3 |               0 |      0 | misconfigured: ${artifactReason('source-controller-shard3')}\n`,
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
  assert.match(
    wide.stdout,
    /^Deployment +\| Shard +\| Objects \| Reconciliations \| Errors \| Ready \| Leader +\| Restarts \| Duration p50 \/ p99 +\| By controller \(reconciliations\/errors\) +\| Status$/m,
  );
  assert.match(
    wide.stdout,
    /^source-controller-shard1 +\| shard1 +\| +3 \| +20 \| +0 \| 1\/2 +\| source-controller-shard1-\S+ +\| +0 \| +\d+ ms \/ \d+ ms \| bucket=0\/0 gitrepository=20\/0 helmchart=0\/0 helmrepository=0\/0 ocirepository=0\/0 +\| misconfigured: its --storage-adv-addr=/m,
  );
  assert.ok(wide.stdout.includes(`source-controller-shard3 | shard3 `) && wide.stdout.trimEnd().endsWith(`| misconfigured: ${artifactReason('source-controller-shard3')}`), wide.stdout);
  // --check fails on rows that do not do their work and on orphaned objects, and still prints the table.
  const check = await flux('get', 'kustomize-controller-shardset', '-n', 'flux-system', '--server', env.proxyUrl, '--timeout', '1500', '--check');
  assert.equal(check.status, 1, check.stderr);
  assert.match(check.stdout, /^kustomize-controller-shard7 /m);
  assert.deepEqual(
    check.stderr.split('\n').filter((l) => l.startsWith('check: ')),
    [
      'check: kustomize-controller-shard1 is misconfigured',
      'check: kustomize-controller-shard3 is unreachable',
      'check: kustomize-controller-shard4 is unreachable',
      'check: kustomize-controller-shard5 is missing',
      'check: kustomize-controller-shard6 is misconfigured',
      'check: kustomize-controller-shard7 is stuck',
      'check: 6 object(s) carry a sharding.fluxcd.io/key that names no shard (shard6, shard9)',
      'check: 4 object(s) are reconciled by each of kustomize-controller-shard1, kustomize-controller-shard6',
    ],
  );
  // The source-controller shards' artifact servers are the source's: the check fails on them too.
  const artifacts = await flux('get', 'source-controller-shardset', '-n', 'flux-system', '--server', env.proxyUrl, '--check');
  assert.equal(artifacts.status, 1, artifacts.stderr);
  assert.deepEqual(
    artifacts.stderr.split('\n').filter((l) => l.startsWith('check: ')),
    ['check: source-controller-shard1 is misconfigured', 'check: source-controller-shard2 is misconfigured', 'check: source-controller-shard3 is misconfigured'],
  );
  const passes = await flux('get', 'helm-controller-shardset', '-n', 'team-a', '--server', env.proxyUrl, '--check');
  assert.equal(passes.status, 0, passes.stderr);
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
  // A bare NAME that is neither a FluxShardSet nor a Deployment (get.test in groups.test.mjs has the other forms).
  assert.equal(
    r.stderr,
    `flux-shard-metrics: neither a FluxShardSet nor a Deployment of a shard group is named nope in namespace flux-system: Deployment flux-system/nope does not exist (HTTP 404 for ${env.proxyUrl}/apis/apps/v1/namespaces/flux-system/deployments/nope)\n` +
      'hint: `flux-shard-metrics list -n flux-system` (or -A) lists the shard groups; name one as fluxshardset/NAME or deployment/NAME (a main controller or one of its shards)\n',
  );
  const named = await flux('get', 'fluxshardset/nope', '-n', 'flux-system', '--server', env.proxyUrl);
  assert.equal(named.status, 1);
  assert.match(named.stderr, /^flux-shard-metrics: FluxShardSet flux-system\/nope does not exist \(HTTP 404 for /);
  assert.match(named.stderr, /\nhint: Check the namespace and the name/);
  const down = await flux('get', 'x', '-n', 'flux-system', '--server', 'http://127.0.0.1:9');
  assert.equal(down.status, 1);
  assert.match(down.stderr, /^flux-shard-metrics: cannot reach http:\/\/127\.0\.0\.1:9\//);
  const usage = await flux('get');
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /get needs the name of a FluxShardSet or of a Deployment of a shard group \(NAME, fluxshardset\/NAME or deployment\/NAME\)/);
  const badOutput = await flux('get', 'x', '-n', 'y', '-o', 'yaml');
  assert.equal(badOutput.status, 2);
  assert.match(badOutput.stderr, /-o must be table, wide, json, csv, got 'yaml'/);
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

test('cli list -A and -n: every shard group, whatever made it', async () => {
  const r = await flux('list', '-A', '--server', env.proxyUrl);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    'Namespace   | Name                             | Kind         | Controller                  | Shards | Key                        | Ready\n' +
      'flux-system | kustomize-controller-shardset    | FluxShardSet | kustomize-controller        |      8 | sharding.fluxcd.io/key     | True\n' +
      'flux-system | source-controller-shardset       | FluxShardSet | source-controller           |      3 | sharding.fluxcd.io/key     | True\n' +
      'platform    | flux                             | FluxInstance | image-reflector-controller  |      3 | platform.example.com/shard | False\n' +
      'team-a      | helm-controller-shardset         | FluxShardSet | helm-controller             |      3 | sharding.fluxcd.io/key     | True\n' +
      'team-b      | notification-controller-shardset | FluxShardSet | notification-controller     |      1 | sharding.fluxcd.io/key     | False\n' +
      'team-c      | image-automation-controller      | Manual       | image-automation-controller |      2 | sharding.fluxcd.io/key     | -\n',
  );
  const none = await flux('list', '-n', 'empty', '--server', env.proxyUrl);
  assert.equal(none.stdout, 'No shard groups found in namespace empty.\n');
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
