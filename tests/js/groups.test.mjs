// Shard groups of every kind against the simulated cluster behind a real `kubectl proxy`: the
// Flux Operator's FluxInstance (the `operator` scenario, and the demo's `platform`), shards made by
// hand (the `manual` scenario, and the demo's `team-c`), FluxShardSets (the demo's); the data API
// (`getShardMetrics({controller})`, `listShardGroups`) and the CLI (`get` by every NAME form,
// `list -A`, `--check`, `-o json`, `--watch`), each new verdict with its exact reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { init, getShardMetrics, listShardGroups } from 'flux-shard-metrics';
import { startCluster } from '../../sim/cluster.mjs';
import { runCli, startProxiedCluster } from './harness.mjs';

let demo;
let operator;
let manual;

before(async () => {
  [demo, operator, manual] = await Promise.all(['demo', 'operator', 'manual'].map((scenario) => startProxiedCluster({ scenario, frozen: true, slowMs: 1000 })));
  await init();
});
after(() => Promise.all([demo, operator, manual].map((env) => env?.stop())));

const read = (env, options) => getShardMetrics({ server: env.proxyUrl, namespace: 'flux-system', timeoutMs: 3000, ...options });
const rows = (m) => m.deployments.map((d) => [d.name, d.status, d.flags, d.statusReason]);
const cli = (env, ...args) => runCli([...args, '--server', env.proxyUrl]);
const checks = (r) => r.stderr.split('\n').filter((l) => l.startsWith('check: '));

const HELM_CHART_KEY =
  'HelmRelease apps/web carries sharding.fluxcd.io/key=shard1, but its HelmChart flux-system/apps-web does not (a HelmChart gets only the labels of .spec.chart.metadata.labels): source-controller reconciles it, not source-controller-shard1 (helm-controller#658)';
const CHART_CACHE =
  "HelmChart flux-system/apps-cache is reconciled by source-controller-shard2, but its HelmRepository flux-system/bitnami by source-controller-shard1, whose objects a shard's cache does not hold: it is never found (NotFound, source-controller#2114)";
const CHART_WEB =
  "HelmChart flux-system/apps-web is reconciled by source-controller, but its HelmRepository flux-system/podinfo by source-controller-shard1, whose objects a shard's cache does not hold: it is never found (NotFound, source-controller#2114)";
const NO_SERVICE = 'its Service flux-system/source-controller-shard2 does not exist, so nothing can fetch its artifacts';
const LEGACY_MAIN =
  "the main controller's manager watches --watch-label-selector=sharding.fluxcd.io/key notin (shard1), which does not exclude keyed objects (!sharding.fluxcd.io/key): it also reconciles the objects of shard2; 2 objects it selects are also selected by kustomize-controller-shard2, so they are reconciled twice (e.g. apps/backend, apps/worker)";
const LEGACY_SHARD2 = '2 objects it selects are also selected by kustomize-controller, so they are reconciled twice (e.g. apps/backend, apps/worker)';
const IMAGE_POLICY =
  "ImagePolicy apps/podinfo is reconciled by image-reflector-controller-shard1, but its ImageRepository apps/podinfo by image-reflector-controller, whose objects a shard's cache does not hold: it is never found (never Ready, image-reflector-controller#365)";

test('the simulated cluster serves FluxInstances and Services as the API server does', async () => {
  const get = async (path) => {
    const r = await fetch(`${operator.sim.url}${path}`);
    return [r.status, await r.json()];
  };
  const [, instances] = await get('/apis/fluxcd.controlplane.io/v1/fluxinstances');
  assert.equal(instances.kind, 'FluxInstanceList');
  const [status, flux] = await get('/apis/fluxcd.controlplane.io/v1/namespaces/flux-system/fluxinstances/flux');
  assert.equal(status, 200);
  assert.deepEqual(flux.spec.sharding, { shards: ['shard1', 'shard2'], storage: 'ephemeral' });
  assert.deepEqual(
    flux.status.conditions.map((c) => [c.type, c.status, c.reason, c.message]),
    [['Ready', 'True', 'ReconciliationSucceeded', 'Reconciliation finished in 38s']],
  );
  assert.ok(flux.status.inventory.entries.some((e) => e.id === 'flux-system_source-controller-shard1_apps_Deployment'));
  assert.ok(flux.status.inventory.entries.some((e) => e.id === 'flux-system_source-controller-shard1__Service'));
  assert.ok(!flux.status.inventory.entries.some((e) => e.id === 'flux-system_source-controller-shard2__Service'), 'its kustomize patch deletes it');
  assert.deepEqual(await get('/apis/fluxcd.controlplane.io/v1/namespaces/team-a/fluxinstances/flux'), [
    404,
    {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'fluxinstances.fluxcd.controlplane.io "flux" not found',
      reason: 'NotFound',
      details: { name: 'flux', group: 'fluxcd.controlplane.io', kind: 'fluxinstances' },
      code: 404,
    },
  ]);
  const [, services] = await get('/api/v1/namespaces/flux-system/services');
  assert.equal(services.kind, 'ServiceList');
  assert.deepEqual(
    services.items.map((s) => [s.metadata.name, s.spec.selector.app, s.spec.ports[0].targetPort, s.metadata.annotations?.['sharding.fluxcd.io/role'] ?? null]),
    [
      ['notification-controller', 'notification-controller', 'http', null],
      ['source-controller', 'source-controller', 'http', null],
      ['source-controller-shard1', 'source-controller-shard1', 'http', 'shard'],
      ['webhook-receiver', 'notification-controller', 'http-webhook', null],
    ],
  );
  const [, one] = await get('/api/v1/namespaces/flux-system/services/source-controller-shard1');
  assert.equal(one.metadata.labels['app.kubernetes.io/managed-by'], 'flux-operator');
  // As the operator renders a source-controller shard: its own app, the role, two --storage-adv-addr (the last wins).
  const [, shard] = await get('/apis/apps/v1/namespaces/flux-system/deployments/source-controller-shard1');
  assert.deepEqual(shard.spec.selector.matchLabels, { app: 'source-controller-shard1' });
  assert.equal(shard.spec.template.metadata.labels.app, 'source-controller-shard1');
  assert.equal(shard.metadata.annotations['sharding.fluxcd.io/role'], 'shard');
  assert.equal(shard.spec.template.metadata.annotations['sharding.fluxcd.io/role'], 'shard');
  assert.equal(shard.metadata.ownerReferences, undefined);
  assert.deepEqual(shard.spec.template.spec.containers[0].args.slice(-3), [
    '--storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local.',
    '--storage-adv-addr=source-controller-shard1.$(RUNTIME_NAMESPACE).svc.cluster.local.',
    '--watch-label-selector=sharding.fluxcd.io/key=shard1',
  ]);
  assert.equal(shard.spec.template.spec.serviceAccountName, 'source-controller');
  // By hand (Flux's sharding guide): the main's selector is its first arg, a shard's --storage-adv-addr replaced.
  const byHand = async (name) => (await (await fetch(`${manual.sim.url}/apis/apps/v1/namespaces/flux-system/deployments/${name}`)).json()).spec.template.spec.containers[0].args;
  assert.equal((await byHand('kustomize-controller'))[0], '--watch-label-selector=sharding.fluxcd.io/key notin (shard1)');
  const handShard = await byHand('source-controller-shard1');
  assert.deepEqual(
    handShard.filter((a) => a.startsWith('--storage-adv-addr=') || a.startsWith('--watch-label-selector=')),
    ['--storage-adv-addr=source-controller-shard1.$(RUNTIME_NAMESPACE).svc.cluster.local.', '--watch-label-selector=sharding.fluxcd.io/key=shard1'],
  );
});

test('listShardGroups: every group of the demo, whatever made it, with the fields of a shard set summary', async () => {
  const groups = await listShardGroups({ server: demo.proxyUrl });
  assert.deepEqual(
    groups.map((g) => [g.namespace, g.name, g.kind, g.controller, g.shards.length, g.key, g.ready]),
    [
      ['flux-system', 'kustomize-controller-shardset', 'FluxShardSet', 'kustomize-controller', 8, 'sharding.fluxcd.io/key', true],
      ['flux-system', 'source-controller-shardset', 'FluxShardSet', 'source-controller', 3, 'sharding.fluxcd.io/key', true],
      ['platform', 'flux', 'FluxInstance', 'image-reflector-controller', 3, 'platform.example.com/shard', false],
      ['team-a', 'helm-controller-shardset', 'FluxShardSet', 'helm-controller', 3, 'sharding.fluxcd.io/key', true],
      ['team-b', 'notification-controller-shardset', 'FluxShardSet', 'notification-controller', 1, 'sharding.fluxcd.io/key', false],
      ['team-c', 'image-automation-controller', 'Manual', 'image-automation-controller', 2, 'sharding.fluxcd.io/key', null],
    ],
  );
  assert.deepEqual(await listShardGroups({ server: demo.proxyUrl, namespace: 'platform' }), [
    {
      namespace: 'platform',
      name: 'flux',
      kind: 'FluxInstance',
      controller: 'image-reflector-controller',
      shards: ['shard1', 'shard2', 'shard3'],
      key: 'platform.example.com/shard',
      ready: false,
      message: 'Reconciliation in progress',
      deployments: ['image-reflector-controller', 'image-reflector-controller-shard1', 'image-reflector-controller-shard2', 'image-reflector-controller-shard3'],
      sourceDeployment: 'image-reflector-controller',
      inventory: 2,
    },
  ]);
});

test('a FluxInstance group of source-controller as the operator renders it: its own artifact servers, one of them without its Service, HelmCharts whose HelmRepository is on another shard', async () => {
  const m = await read(operator, { controller: 'source-controller' });
  assert.deepEqual(m.group, {
    kind: 'FluxInstance',
    name: 'flux',
    namespace: 'flux-system',
    controller: 'source-controller',
    key: 'sharding.fluxcd.io/key',
    shards: ['shard1', 'shard2'],
    ready: true,
    message: 'Reconciliation finished in 38s',
    readyCondition: { status: 'True', reason: 'ReconciliationSucceeded', message: 'Reconciliation finished in 38s' },
    suspended: false,
    behind: false,
    generation: 1,
    observedGeneration: 1,
  });
  assert.equal(m.shardSet, null);
  assert.deepEqual(rows(m), [
    ['source-controller', 'erroring', ['erroring'], 'errors are 17.9 % of reconciliations (20 of 112), at least 5.0 %'],
    ['source-controller-shard1', 'ok', [], 'reconciling: 54 reconciliations, 0 errors'],
    ['source-controller-shard2', 'misconfigured', ['misconfigured', 'artifactServer', 'erroring'], NO_SERVICE],
  ]);
  assert.deepEqual(
    m.deployments.map((d) => [d.role, d.shard, d.watchSelector, d.storageAdvAddr, d.objects.assigned]),
    [
      ['source', null, '!sharding.fluxcd.io/key', 'source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local.', 4],
      ['shard', 'shard1', 'sharding.fluxcd.io/key=shard1', 'source-controller-shard1.$(RUNTIME_NAMESPACE).svc.cluster.local.', 4],
      ['shard', 'shard2', 'sharding.fluxcd.io/key=shard2', 'source-controller-shard2.$(RUNTIME_NAMESPACE).svc.cluster.local.', 2],
    ],
  );
  assert.deepEqual(m.splitDependencies, [
    {
      kind: 'HelmChart',
      namespace: 'flux-system',
      name: 'apps-cache',
      key: 'shard2',
      dependency: { kind: 'HelmRepository', namespace: 'flux-system', name: 'bitnami', key: 'shard1' },
      reason: CHART_CACHE,
    },
    {
      kind: 'HelmChart',
      namespace: 'flux-system',
      name: 'apps-web',
      key: null,
      dependency: { kind: 'HelmRepository', namespace: 'flux-system', name: 'podinfo', key: 'shard1' },
      reason: CHART_WEB,
    },
  ]);
  assert.deepEqual([m.orphaned, m.overlaps, m.warnings], [[], [], []]);
  assert.deepEqual(m.checkFailures, ['source-controller-shard2 is misconfigured', CHART_CACHE, CHART_WEB]);
  // The Deployments, FluxShardSets and the FluxInstance (to find the group), ReplicaSets and Pods,
  // the Services (it serves artifacts), discovery, three scrapes, five kinds of objects.
  assert.equal(m.apiCalls, 3 + 2 + 1 + 1 + 3 + 5);
  // By one of its shards: the same group.
  const byShard = await read(operator, { controller: 'source-controller-shard2' });
  assert.deepEqual([byShard.group, rows(byShard)], [m.group, rows(m)]);
});

test('a FluxInstance group of kustomize-controller: every row ok; of helm-controller: a HelmRelease whose HelmChart lacks its key', async () => {
  const k = await read(operator, { controller: 'kustomize-controller-shard1' });
  assert.equal(k.group.kind, 'FluxInstance');
  assert.deepEqual(rows(k), [
    ['kustomize-controller', 'ok', [], 'reconciling: 100 reconciliations, 0 errors'],
    ['kustomize-controller-shard1', 'ok', [], 'reconciling: 40 reconciliations, 0 errors'],
    ['kustomize-controller-shard2', 'ok', [], 'reconciling: 60 reconciliations, 0 errors'],
  ]);
  assert.deepEqual(
    k.deployments.map((d) => [d.objects.assigned, d.storageAdvAddr, d.pods[0].name.startsWith(`${d.name}-`)]),
    [
      [1, null, true],
      [1, null, true],
      [2, null, true],
    ],
  );
  assert.deepEqual(k.checkFailures, []);
  const h = await read(operator, { controller: 'helm-controller' });
  assert.deepEqual(h.splitDependencies, [
    {
      kind: 'HelmRelease',
      namespace: 'apps',
      name: 'web',
      key: 'shard1',
      dependency: { kind: 'HelmChart', namespace: 'flux-system', name: 'apps-web', key: null },
      reason: HELM_CHART_KEY,
    },
  ]);
  assert.deepEqual(h.checkFailures, [HELM_CHART_KEY]);
});

test('a FluxInstance with its own key: objects by that key; a shard the operator has not rendered yet is pending; an ImagePolicy whose ImageRepository is on another shard', async () => {
  const m = await read(demo, { namespace: 'platform', controller: 'image-reflector-controller' });
  assert.deepEqual(
    [m.group.kind, m.group.key, m.group.ready, m.group.message, m.group.readyCondition, m.group.behind, m.group.generation, m.group.observedGeneration, m.shardSetBehind],
    ['FluxInstance', 'platform.example.com/shard', false, 'Reconciliation in progress', { status: 'Unknown', reason: 'Progressing', message: 'Reconciliation in progress' }, true, 3, 2, true],
  );
  assert.deepEqual(rows(m), [
    ['image-reflector-controller', 'ok', [], 'reconciling: 200 reconciliations, 0 errors'],
    ['image-reflector-controller-shard1', 'erroring', ['erroring'], 'errors are 30.8 % of reconciliations (24 of 78), at least 5.0 %'],
    ['image-reflector-controller-shard2', 'ok', [], 'reconciling: 24 reconciliations, 0 errors'],
    ['image-reflector-controller-shard3', 'pending', ['pending'], 'the Flux Operator has not acted on the latest spec of FluxInstance platform/flux yet (generation 3, observed 2)'],
  ]);
  assert.deepEqual(
    m.deployments.map((d) => [d.watchSelector, d.objects.assigned, d.found]),
    [
      ['!platform.example.com/shard', 1, true],
      ['platform.example.com/shard=shard1', 3, true],
      ['platform.example.com/shard=shard2', 2, true],
      [null, 2, false],
    ],
  );
  assert.deepEqual(
    m.splitDependencies.map((s) => [s.kind, s.name, s.key, s.dependency.kind, s.dependency.name, s.dependency.key, s.reason]),
    [['ImagePolicy', 'podinfo', 'shard1', 'ImageRepository', 'podinfo', null, IMAGE_POLICY]],
  );
  // Pending is no failure; the split dependency is.
  assert.deepEqual(m.checkFailures, [IMAGE_POLICY]);
});

test('shards made by hand: a clean source-controller overlay with its own Service, a legacy notin main that overlaps with a shard it leaves in', async () => {
  const s = await read(manual, { controller: 'source-controller' });
  assert.equal(s.group.kind, 'Manual');
  assert.deepEqual([s.group.name, s.group.ready, s.group.message, s.group.readyCondition], ['source-controller', null, null, null]);
  assert.deepEqual(rows(s), [
    ['source-controller', 'ok', [], 'reconciling: 50 reconciliations, 0 errors'],
    ['source-controller-shard1', 'ok', [], 'reconciling: 40 reconciliations, 0 errors'],
  ]);
  assert.equal(s.deployments[1].storageAdvAddr, 'source-controller-shard1.$(RUNTIME_NAMESPACE).svc.cluster.local.');
  assert.deepEqual(s.checkFailures, []);
  const k = await read(manual, { controller: 'kustomize-controller' });
  assert.deepEqual(rows(k), [
    ['kustomize-controller', 'misconfigured', ['misconfigured', 'overlapping'], LEGACY_MAIN],
    ['kustomize-controller-shard1', 'ok', [], 'reconciling: 40 reconciliations, 0 errors'],
    ['kustomize-controller-shard2', 'misconfigured', ['misconfigured', 'overlapping'], LEGACY_SHARD2],
  ]);
  assert.deepEqual(k.overlaps, [{ deployments: ['kustomize-controller', 'kustomize-controller-shard2'], count: 2, byKind: { Kustomization: 2 }, examples: ['apps/backend', 'apps/worker'] }]);
  // With `notin`, an object whose key names no shard goes to the main controller: never orphaned.
  assert.deepEqual(k.orphaned, []);
  assert.equal(k.deployments[0].objects.assigned, 4);
  assert.deepEqual(k.checkFailures, [
    'kustomize-controller is misconfigured',
    'kustomize-controller-shard2 is misconfigured',
    '2 object(s) are reconciled by each of kustomize-controller, kustomize-controller-shard2',
  ]);
  // The demo's group made by hand.
  const d = await read(demo, { namespace: 'team-c', controller: 'image-automation-controller-shard2' });
  assert.deepEqual(
    [d.group.kind, d.overlaps],
    ['Manual', [{ deployments: ['image-automation-controller', 'image-automation-controller-shard2'], count: 2, byKind: { ImageUpdateAutomation: 2 }, examples: ['team-c/apps-b', 'team-c/apps-c'] }]],
  );
});

test('cli get by every NAME form, for each kind of group', async () => {
  const json = async (env, ...args) => {
    const r = await cli(env, 'get', ...args, '-o', 'json');
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    const m = JSON.parse(r.stdout);
    return [m.group.kind, m.group.name, m.group.controller, m.deployments.map((d) => d.name)];
  };
  const set = ['FluxShardSet', 'source-controller-shardset', 'source-controller', ['source-controller', 'source-controller-shard1', 'source-controller-shard2', 'source-controller-shard3']];
  // A FluxShardSet: by its name (bare or named), or by a Deployment of its group (bare or named).
  assert.deepEqual(await json(demo, 'source-controller-shardset', '-n', 'flux-system'), set);
  assert.deepEqual(await json(demo, 'fluxshardset/source-controller-shardset', '-n', 'flux-system'), set);
  assert.deepEqual(await json(demo, 'source-controller', '-n', 'flux-system'), set);
  assert.deepEqual(await json(demo, 'deployment/source-controller-shard2', '-n', 'flux-system'), set);
  // A FluxInstance's group and one made by hand.
  const platform = [
    'FluxInstance',
    'flux',
    'image-reflector-controller',
    ['image-reflector-controller', 'image-reflector-controller-shard1', 'image-reflector-controller-shard2', 'image-reflector-controller-shard3'],
  ];
  assert.deepEqual(await json(demo, 'image-reflector-controller', '-n', 'platform'), platform);
  assert.deepEqual(await json(demo, 'deployment/image-reflector-controller-shard3', '-n', 'platform'), platform);
  const byHand = ['Manual', 'image-automation-controller', 'image-automation-controller', ['image-automation-controller', 'image-automation-controller-shard1', 'image-automation-controller-shard2']];
  assert.deepEqual(await json(demo, 'image-automation-controller-shard1', '-n', 'team-c'), byHand);
  assert.deepEqual(await json(demo, 'deploy/image-automation-controller', '-n', 'team-c'), byHand);
  // The default table of a FluxInstance's group.
  const table = await cli(operator, 'get', 'kustomize-controller');
  assert.equal(table.status, 0, table.stderr);
  assert.equal(
    table.stdout,
    'Deployment                  | Reconciliations | Errors\n' +
      'kustomize-controller        |             100 |      0\n' +
      'kustomize-controller-shard1 |              40 |      0\n' +
      'kustomize-controller-shard2 |              60 |      0\n',
  );
  // fluxshardset/NAME is a FluxShardSet only.
  const notASet = await cli(demo, 'get', 'fluxshardset/image-reflector-controller', '-n', 'platform');
  assert.equal(notASet.status, 1);
  assert.match(notASet.stderr, /^flux-shard-metrics: FluxShardSet platform\/image-reflector-controller does not exist \(HTTP 404 for /);
});

test('cli get: a bare NAME that is both a FluxShardSet and a Deployment is the FluxShardSet', async () => {
  // A FluxShardSet named after another controller's Deployment (kustomize-controller), whose source is source-controller.
  const sim = await startCluster({ scenario: 'operator', frozen: true });
  try {
    sim.cluster.shardSets.push({
      apiVersion: 'templates.weave.works/v1alpha1',
      kind: 'FluxShardSet',
      metadata: { name: 'kustomize-controller', namespace: 'flux-system', uid: 'a7e3b0c2-1d4f-4c8e-9a6b-5f2d8e7c1b30', generation: 1, resourceVersion: '1', creationTimestamp: '2026-11-01T09:00:00Z' },
      spec: { sourceDeploymentRef: { name: 'source-controller' }, shards: [{ name: 'shard1' }, { name: 'shard2' }] },
      status: {
        observedGeneration: 1,
        conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: '0 shard(s) created', lastTransitionTime: '2026-11-01T09:00:00Z', observedGeneration: 1 }],
      },
    });
    const get = async (name) => {
      const r = await runCli(['get', name, '-n', 'flux-system', '--server', sim.url, '-o', 'json']);
      assert.equal(r.status, 0, r.stderr);
      const m = JSON.parse(r.stdout);
      return [m.group.kind, m.group.name, m.group.controller];
    };
    assert.deepEqual(await get('kustomize-controller'), ['FluxShardSet', 'kustomize-controller', 'source-controller']);
    assert.deepEqual(await get('deployment/kustomize-controller'), ['FluxInstance', 'flux', 'kustomize-controller']);
  } finally {
    await sim.close();
  }
});

test('cli get: what is no group, and wrong forms', async () => {
  // A Deployment that is in no shard group (notification-controller is never sharded).
  const none = await cli(operator, 'get', 'notification-controller');
  assert.equal(none.status, 1);
  assert.equal(
    none.stderr,
    `flux-shard-metrics: neither a FluxShardSet nor a Deployment of a shard group is named notification-controller in namespace flux-system: a shard group of Deployment flux-system/notification-controller (no Deployment shards it, or is its shard) does not exist (HTTP 404 for ${operator.proxyUrl}/apis/apps/v1/namespaces/flux-system/deployments/notification-controller)\n` +
      'hint: `flux-shard-metrics list -n flux-system` (or -A) lists the shard groups; name one as fluxshardset/NAME or deployment/NAME (a main controller or one of its shards)\n',
  );
  const missing = await cli(operator, 'get', 'deployment/nope');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^flux-shard-metrics: Deployment flux-system\/nope does not exist \(HTTP 404 for .*\/apis\/apps\/v1\/namespaces\/flux-system\/deployments\/nope\)\nhint: /);
  for (const [arg, message] of [
    ['pod/x', "get takes NAME, fluxshardset/NAME or deployment/NAME, got 'pod/x'"],
    ['deployment/', 'deployment/ needs a name, e.g. deployment/source-controller'],
  ]) {
    const r = await cli(operator, 'get', arg);
    assert.equal(r.status, 2, r.stderr);
    assert.ok(r.stderr.startsWith(`flux-shard-metrics: ${message}\n`), r.stderr);
  }
  const both = await runCli(['ui', '--shardset', 'a', '--controller', 'b']);
  assert.equal(both.status, 2);
  assert.ok(both.stderr.startsWith('flux-shard-metrics: use either --shardset NAME or --controller NAME, not both\n'), both.stderr);
});

test('cli list -A: the three kinds of group, a row each; -o json the summaries', async () => {
  const op = await cli(operator, 'list', '-A');
  assert.equal(op.status, 0, op.stderr);
  assert.equal(
    op.stdout,
    'Namespace   | Name | Kind         | Controller           | Shards | Key                    | Ready\n' +
      'flux-system | flux | FluxInstance | helm-controller      |      2 | sharding.fluxcd.io/key | True\n' +
      'flux-system | flux | FluxInstance | kustomize-controller |      2 | sharding.fluxcd.io/key | True\n' +
      'flux-system | flux | FluxInstance | source-controller    |      2 | sharding.fluxcd.io/key | True\n',
  );
  const byHand = await cli(manual, 'list', '-A');
  assert.equal(
    byHand.stdout,
    'Namespace   | Name                 | Kind   | Controller           | Shards | Key                    | Ready\n' +
      'flux-system | helm-controller      | Manual | helm-controller      |      1 | sharding.fluxcd.io/key | -\n' +
      'flux-system | kustomize-controller | Manual | kustomize-controller |      2 | sharding.fluxcd.io/key | -\n' +
      'flux-system | source-controller    | Manual | source-controller    |      1 | sharding.fluxcd.io/key | -\n',
  );
  const j = await cli(demo, 'list', '-n', 'team-c', '-o', 'json');
  assert.equal(j.status, 0, j.stderr);
  assert.deepEqual(JSON.parse(j.stdout), [
    {
      namespace: 'team-c',
      name: 'image-automation-controller',
      kind: 'Manual',
      controller: 'image-automation-controller',
      shards: ['shard1', 'shard2'],
      key: 'sharding.fluxcd.io/key',
      ready: null,
      message: null,
      deployments: ['image-automation-controller', 'image-automation-controller-shard1', 'image-automation-controller-shard2'],
      sourceDeployment: 'image-automation-controller',
      inventory: 2,
    },
  ]);
  // Today's fields of a FluxShardSet's entry are all there.
  const sets = JSON.parse((await cli(demo, 'list', '-n', 'team-a', '-o', 'json')).stdout);
  assert.deepEqual(sets, [
    {
      namespace: 'team-a',
      name: 'helm-controller-shardset',
      kind: 'FluxShardSet',
      controller: 'helm-controller',
      shards: ['a', 'b', 'c'],
      key: 'sharding.fluxcd.io/key',
      ready: true,
      message: '2 shard(s) created',
      deployments: ['helm-controller', 'helm-controller-a', 'helm-controller-b', 'helm-controller-c'],
      sourceDeployment: 'helm-controller',
      inventory: 2,
    },
  ]);
});

test('cli get --check: exit 1 and a line for each new verdict, exit 0 without one', async () => {
  const overlap = await cli(manual, 'get', 'kustomize-controller', '--check');
  assert.equal(overlap.status, 1, overlap.stderr);
  assert.deepEqual(checks(overlap), [
    'check: kustomize-controller is misconfigured',
    'check: kustomize-controller-shard2 is misconfigured',
    'check: 2 object(s) are reconciled by each of kustomize-controller, kustomize-controller-shard2',
  ]);
  // The table still printed, with the reasons.
  assert.ok(overlap.stdout.includes(`| misconfigured: ${LEGACY_SHARD2}\n`), overlap.stdout);
  const split = await cli(operator, 'get', 'helm-controller', '--check');
  assert.equal(split.status, 1, split.stderr);
  assert.deepEqual(checks(split), [`check: ${HELM_CHART_KEY}`]);
  const artifacts = await cli(operator, 'get', 'deployment/source-controller-shard1', '--check');
  assert.equal(artifacts.status, 1, artifacts.stderr);
  assert.deepEqual(checks(artifacts), ['check: source-controller-shard2 is misconfigured', `check: ${CHART_CACHE}`, `check: ${CHART_WEB}`]);
  const policy = await cli(demo, 'get', 'image-reflector-controller', '-n', 'platform', '--check');
  assert.equal(policy.status, 1, policy.stderr);
  assert.deepEqual(checks(policy), [`check: ${IMAGE_POLICY}`]);
  for (const [env, name] of [
    [manual, 'source-controller'],
    [operator, 'kustomize-controller'],
  ]) {
    const clean = await cli(env, 'get', name, '--check');
    assert.equal(clean.status, 0, clean.stderr);
    assert.deepEqual(checks(clean), []);
  }
});

test('cli get -o json: the group, no shardSet but for a FluxShardSet, overlaps, split dependencies, flags, the artifact server', async () => {
  const r = await cli(operator, 'get', 'source-controller', '-o', 'json');
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  for (const key of [
    'group',
    'shardSet',
    'deployments',
    'warnings',
    'problems',
    'orphaned',
    'overlaps',
    'splitDependencies',
    'balance',
    'source',
    'apiCalls',
    'readAt',
    'shardSetBehind',
    'checkFailures',
  ])
    assert.ok(key in m, key);
  assert.equal(m.shardSet, null);
  assert.deepEqual(Object.keys(m.group), ['kind', 'name', 'namespace', 'controller', 'key', 'shards', 'ready', 'message', 'readyCondition', 'suspended', 'behind', 'generation', 'observedGeneration']);
  assert.deepEqual(m.deployments[2].flags, ['misconfigured', 'artifactServer', 'erroring']);
  assert.equal(m.deployments[2].storageAdvAddr, 'source-controller-shard2.$(RUNTIME_NAMESPACE).svc.cluster.local.');
  assert.equal(m.splitDependencies.length, 2);
  const byHand = JSON.parse((await cli(manual, 'get', 'kustomize-controller', '-o', 'json')).stdout);
  assert.deepEqual(byHand.deployments[0].flags, ['misconfigured', 'overlapping']);
  assert.equal(byHand.overlaps[0].count, 2);
});

test('cli get --watch works for a group of any kind, resolving a bare NAME once', async () => {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('../../dist/cli.js', import.meta.url)), 'get', 'image-reflector-controller', '-n', 'platform', '--server', demo.proxyUrl, '-w', '--interval', '1'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  const before = demo.sim.requests.length;
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      if ((out.match(/^Every 1 s: /gm) ?? []).length >= 3) {
        clearInterval(timer);
        resolve(undefined);
      }
    }, 100);
  });
  child.kill('SIGINT');
  const status = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(status, 0);
  const reads = out.split(/^Every 1 s: /m).slice(1);
  assert.match(reads[0], /^platform\/image-reflector-controller, /);
  assert.match(
    reads[0],
    /^image-reflector-controller-shard3 +\| +0 \| +0 \| +… +\| pending: the Flux Operator has not acted on the latest spec of FluxInstance platform\/flux yet \(generation 3, observed 2\)$/m,
  );
  // The third read has a trend of two points: flat, as the demo's counters are frozen.
  assert.match(reads[2], /^image-reflector-controller-shard1 +\| +78 \| +24 \| +0\/min \| ▁▁ +\| erroring: /m);
  // Asked once whether it is a FluxShardSet; then read as the group of the Deployment.
  const asked = demo.sim.requests.slice(before).filter((r) => r.includes('/fluxshardsets/image-reflector-controller'));
  assert.equal(asked.length, 1);
});

test("the demo's first shard set carries no test fixture: no warning, no controller named with markup", async () => {
  const m = await getShardMetrics({ server: demo.proxyUrl, namespace: 'flux-system', name: 'source-controller-shardset' });
  assert.deepEqual(m.warnings, []);
  for (const d of m.deployments) for (const c of d.byController) assert.doesNotMatch(c.controller, /[<>]/, d.name);
});
