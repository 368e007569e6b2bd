// @ts-check
// The scenarios of the simulated cluster: what the demo and the tests show
// (every status once, one shard group of each kind), the shard groups the Flux
// Operator renders (`operator`) and those made by hand (`manual`), each new
// verdict once, and the benchmarks' large shard sets.
import { Cluster, START_TIME } from './model.mjs';
import { SHARD_KEY, FLUX_KINDS } from './flux.mjs';

export { START_TIME };

const XSS = '<img src=x onerror="document.title=\'pwned\'">';

const repos = (namespace, names, key) => names.map((name) => ({ namespace, name, key }));

/** What the README's demo and the tests run: every status, one shard each. */
export function demo(options = {}) {
  const c = new Cluster(options);
  const ns = 'flux-system';

  // The design's example: 500/1, 20/0 (a leader and a standby), 100/0, 0/0 (idle: nothing assigned).
  // The source keeps an evicted pod of an older ReplicaSet, as busy clusters do.
  c.shardSet({
    namespace: ns,
    name: 'source-controller-shardset',
    source: {
      app: 'source-controller',
      pods: [{ reconciles: { gitrepository: { total: 401, error: 1, perSecond: 2 }, helmchart: { total: 99, perSecond: 0.5 } } }, { phase: 'Failed', reason: 'Evicted' }],
    },
    shards: [
      { name: 'shard1', pods: [{ reconciles: { gitrepository: { total: 20, perSecond: 0.25 } } }, { standby: true, leader: false }] },
      // With `markup` (the tests that cluster data is shown as text), a controller named with markup; never in the demo.
      { name: 'shard2', pods: [{ reconciles: { ocirepository: { total: 100, perSecond: 1 }, ...(options.markup ? { [XSS]: { total: 0 } } : {}) } }] },
      { name: 'shard3', pods: [{ reconciles: {} }] },
    ],
  });
  c.fluxObjects('GitRepository', [
    ...repos('flux-system', ['flux-system'], undefined),
    ...repos('apps', ['podinfo', 'weave-gitops'], undefined),
    ...repos('team-a', ['api', 'web', 'worker'], 'shard1'),
  ]);
  c.fluxObjects('HelmRepository', repos('apps', ['podinfo', 'bitnami'], undefined));
  c.fluxObjects('HelmChart', repos('apps', ['apps-podinfo'], undefined));
  c.fluxObjects('OCIRepository', repos('team-b', ['manifests', 'charts'], 'shard2'));

  // Everything that can go wrong, one shard each.
  c.shardSet({
    namespace: ns,
    name: 'kustomize-controller-shardset',
    source: { app: 'kustomize-controller', pods: [{ reconciles: { kustomization: { total: 1203, error: 3, perSecond: 1 } } }] },
    shards: [
      { name: 'shard1', pods: [{ reconciles: { kustomization: { total: 300, error: 260, perSecond: 1.1, errorPerSecond: 1 } } }] },
      { name: 'shard2', pods: [{ phase: 'Pending' }] },
      { name: 'shard3', pods: [{ proxy: 'forbidden', reconciles: { kustomization: { total: 5 } } }] },
      { name: 'shard4', pods: [{ proxy: 'slow', reconciles: { kustomization: { total: 7 } } }] },
      // In spec.shards, but the controller has not made it (nor put it in the inventory).
      { name: 'shard5', inInventory: false, exists: false },
      // Watches shard1's key instead of its own: its objects are never reconciled.
      { name: 'shard6', selector: `${SHARD_KEY} in (shard1)`, pods: [{ reconciles: { kustomization: { total: 40 } } }] },
      // Objects assigned, pods up for weeks, not one reconciliation.
      { name: 'shard7', pods: [{ reconciles: { kustomization: { total: 0 } }, queueDepth: 12 }] },
      // Nothing assigned, nothing done: as expected.
      { name: 'shard8', pods: [{ reconciles: { kustomization: { total: 0 } } }] },
    ],
  });
  c.fluxObjects('Kustomization', [
    ...repos('flux-system', ['flux-system', 'infrastructure', 'apps'], undefined),
    ...repos('tenant-a', ['frontend', 'backend', 'worker', 'cron'], 'shard1'),
    ...repos('tenant-b', ['frontend', 'backend'], 'shard2'),
    ...repos('tenant-c', ['frontend', 'backend', 'worker'], 'shard3'),
    ...repos('tenant-d', ['frontend', 'backend'], 'shard4'),
    ...repos('tenant-e', ['frontend'], 'shard5'),
    ...repos('tenant-f', ['frontend', 'backend', 'worker'], 'shard6'),
    ...repos('tenant-g', ['frontend', 'backend'], 'shard7'),
    // Their key names a shard that was removed: nobody reconciles them.
    ...repos('legacy', ['billing', 'reports', 'search'], 'shard9'),
  ]);

  // Another namespace, mid-rollout: shard c was just added (generation 2, not yet observed) and
  // shard a's pod has just been replaced. Metrics on a port found through the prometheus.io/port annotation.
  const team = 'team-a';
  c.shardSet({
    namespace: team,
    name: 'helm-controller-shardset',
    generation: 2,
    observedGeneration: 1,
    portName: 'metrics',
    metricsPort: 9090,
    source: { app: 'helm-controller', pods: [{ reconciles: { helmrelease: { total: 312, error: 2, perSecond: 0.5 } }, restarts: 2 }] },
    shards: [
      { name: 'a', pods: [{ reconciles: { helmrelease: { total: 0 } }, startedSecondsAgo: 20 }] },
      { name: 'b', pods: [{ reconciles: { helmrelease: { total: 75, perSecond: 0.2 } } }] },
      { name: 'c', inInventory: false, exists: false },
    ],
  });
  c.fluxObjects('HelmRelease', [...repos(team, ['podinfo'], undefined), ...repos(team, ['redis', 'postgres'], 'a'), ...repos(team, ['nginx'], 'b'), ...repos(team, ['kafka'], 'c')]);

  // A shard set its controller refuses: the source does not ignore sharding (no
  // --watch-label-selector=!sharding.fluxcd.io/key), so no shard was created.
  c.shardSet({
    namespace: 'team-b',
    name: 'notification-controller-shardset',
    source: { app: 'notification-controller', selector: null, pods: [{ reconciles: { receiver: { total: 64, perSecond: 0.1 } } }] },
    shards: [{ name: 'x', inInventory: false, exists: false }],
    ready: { status: 'False', reason: 'ReconciliationFailed', message: 'failed to generate deployments: deployment team-b/notification-controller is not configured to ignore sharding' },
  });
  c.fluxObjects('Receiver', [...repos('team-b', ['github'], undefined), ...repos('team-b', ['gitlab'], 'x')]);

  // The Flux Operator's sharding: a FluxInstance in `platform` installs image-reflector-controller
  // sharded by its own key. shard3 was just added (generation 3): the operator is still at work and has
  // not rendered it yet. The ImagePolicy of podinfo was moved to shard1, its ImageRepository was not:
  // shard1's cache never holds it, so the policy never becomes Ready (and its reconciliations fail).
  const PLATFORM_KEY = 'platform.example.com/shard';
  c.fluxInstance({
    namespace: 'platform',
    components: [
      {
        app: 'image-reflector-controller',
        pods: [{ reconciles: { imagerepository: { total: 120, perSecond: 0.2 }, imagepolicy: { total: 80, perSecond: 0.1 } } }],
        shards: {
          shard1: [{ reconciles: { imagerepository: { total: 30, perSecond: 0.05 }, imagepolicy: { total: 48, error: 24, perSecond: 0.05, errorPerSecond: 0.025 } } }],
          shard2: [{ reconciles: { imagerepository: { total: 12, perSecond: 0.02 }, imagepolicy: { total: 12, perSecond: 0.02 } } }],
        },
      },
    ],
    sharding: { key: PLATFORM_KEY, shards: ['shard1', 'shard2', 'shard3'] },
    generation: 3,
    observedGeneration: 2,
    reconciling: true,
  });
  const platform = (list) => list.map(([name, key, extra = {}]) => ({ namespace: 'apps', name, key, keyLabel: PLATFORM_KEY, ...extra }));
  c.fluxObjects('ImageRepository', platform([['podinfo'], ['redis', 'shard1'], ['nginx', 'shard2'], ['grafana', 'shard3']]));
  c.fluxObjects(
    'ImagePolicy',
    platform([
      ['podinfo', 'shard1', { ready: false, failure: { reason: 'DependencyNotReady', message: 'failed to get ImageRepository: imagerepositories.image.toolkit.fluxcd.io "podinfo" not found' } }],
      ['redis', 'shard1'],
      ['nginx', 'shard2'],
      ['grafana', 'shard3', { reconciled: false }],
    ]),
  );

  // Shards made by hand in `team-c`, with the main controller's selector of an older guide: `notin
  // (shard1)` was written before shard2 was added, so the main controller reconciles shard2's objects too.
  c.manualShards({
    namespace: 'team-c',
    app: 'image-automation-controller',
    mainSelector: `${SHARD_KEY} notin (shard1)`,
    pods: [{ reconciles: { imageupdateautomation: { total: 90, perSecond: 0.1 } } }],
    shards: [
      { name: 'shard1', pods: [{ reconciles: { imageupdateautomation: { total: 30, perSecond: 0.05 } } }] },
      { name: 'shard2', pods: [{ reconciles: { imageupdateautomation: { total: 40, perSecond: 0.05 } } }] },
    ],
  });
  c.fluxObjects('ImageUpdateAutomation', [...repos('team-c', ['fleet'], undefined), ...repos('team-c', ['apps-a'], 'shard1'), ...repos('team-c', ['apps-b', 'apps-c'], 'shard2')]);
  return c;
}

/**
 * A cluster the Flux Operator installed in flux-system: a FluxInstance that shards source-,
 * kustomize- and helm-controller into shard1 and shard2 by the default key, as the operator renders
 * them (two --storage-adv-addr on a source-controller shard, a Service per source shard, `app:
 * <controller>-<shard>` pods); notification-controller, never sharded. Its `spec.kustomize.patches`
 * delete the Service of source-controller-shard2, so nothing can fetch that shard's artifacts. The
 * HelmRelease `web` carries shard1 but its chart template does not: its HelmChart goes to the main
 * source-controller, which cannot find the HelmRepository on shard1; the HelmChart of `cache` is on
 * shard2, its HelmRepository on shard1.
 */
export function operator(options = {}) {
  const c = new Cluster(options);
  const ns = 'flux-system';
  const pods = (reconciles) => [{ reconciles }];
  c.fluxInstance({
    namespace: ns,
    components: [
      {
        app: 'source-controller',
        pods: pods({ gitrepository: { total: 60, perSecond: 0.1 }, helmrepository: { total: 12, perSecond: 0.02 }, helmchart: { total: 40, error: 20, perSecond: 0.05, errorPerSecond: 0.02 } }),
        shards: {
          shard1: pods({ gitrepository: { total: 20, perSecond: 0.05 }, helmrepository: { total: 24, perSecond: 0.04 }, helmchart: { total: 10, perSecond: 0.02 } }),
          shard2: pods({ gitrepository: { total: 20, perSecond: 0.05 }, helmrepository: { total: 0 }, helmchart: { total: 16, error: 16, perSecond: 0.02, errorPerSecond: 0.02 } }),
        },
      },
      {
        app: 'kustomize-controller',
        pods: pods({ kustomization: { total: 100, perSecond: 0.2 } }),
        shards: { shard1: pods({ kustomization: { total: 40, perSecond: 0.1 } }), shard2: pods({ kustomization: { total: 60, perSecond: 0.1 } }) },
      },
      {
        app: 'helm-controller',
        pods: pods({ helmrelease: { total: 30, perSecond: 0.05 } }),
        shards: { shard1: pods({ helmrelease: { total: 40, error: 10, perSecond: 0.05 } }), shard2: pods({ helmrelease: { total: 20, error: 10, perSecond: 0.02 } }) },
      },
      { app: 'notification-controller', pods: pods({ alert: { total: 4 }, provider: { total: 4 }, receiver: { total: 2 } }) },
    ],
    sharding: { shards: ['shard1', 'shard2'] },
    deletedServices: ['source-controller-shard2'],
  });
  const host = (shard) => `source-controller${shard ? `-${shard}` : ''}.${ns}.svc.cluster.local.`;
  const objects = (list) => list.map(([namespace, name, key, extra = {}]) => ({ namespace, name, key, storageHost: host(key), ...extra }));
  c.fluxObjects(
    'GitRepository',
    objects([
      [ns, 'flux-system'],
      ['apps', 'frontend', 'shard1'],
      ['apps', 'backend', 'shard2'],
    ]),
  );
  c.fluxObjects(
    'HelmRepository',
    objects([
      [ns, 'podinfo', 'shard1'],
      [ns, 'bitnami', 'shard1'],
      [ns, 'prometheus-community'],
    ]),
  );
  // HelmCharts as helm-controller makes them: `<namespace>-<name>` in the source's namespace, labelled by their HelmRelease and its chart template only.
  const chart = (release, chartName, repository, key, extra = {}) => [
    ns,
    `${release.split('/')[0]}-${release.split('/')[1]}`,
    key,
    {
      chart: chartName,
      sourceRef: { kind: 'HelmRepository', name: repository },
      labels: { 'helm.toolkit.fluxcd.io/name': release.split('/')[1], 'helm.toolkit.fluxcd.io/namespace': release.split('/')[0] },
      manager: 'helm-controller',
      ...extra,
    },
  ];
  const sourceUnavailable = (repository) => ({
    ready: false,
    failure: { reason: 'SourceUnavailable', message: `failed to get source: helmrepositories.source.toolkit.fluxcd.io "${repository}" not found` },
  });
  c.fluxObjects(
    'HelmChart',
    objects([
      chart('apps/api', 'podinfo', 'podinfo', 'shard1'),
      chart('apps/web', 'podinfo', 'podinfo', undefined, sourceUnavailable('podinfo')),
      chart('apps/cache', 'redis', 'bitnami', 'shard2', sourceUnavailable('bitnami')),
      chart('flux-system/monitoring', 'kube-prometheus-stack', 'prometheus-community', undefined),
    ]),
  );
  const release = (repository, chartName, chartLabels, extra = {}) => ({
    sourceRef: { kind: 'HelmRepository', name: repository, namespace: ns },
    chart: chartName,
    ...(chartLabels ? { chartLabels } : {}),
    ...extra,
  });
  const notReady = (chartName) => ({ ready: false, failure: { reason: 'ArtifactFailed', message: `HelmChart '${chartName}' is not ready: latest generation of object has not been reconciled` } });
  c.fluxObjects('HelmRelease', [
    { namespace: 'apps', name: 'api', key: 'shard1', ...release('podinfo', 'podinfo', { [SHARD_KEY]: 'shard1' }) },
    // Its chart template carries no key: the HelmChart helm-controller makes for it has none either (helm-controller#658).
    { namespace: 'apps', name: 'web', key: 'shard1', ...release('podinfo', 'podinfo', undefined, notReady('flux-system/apps-web')) },
    { namespace: 'apps', name: 'cache', key: 'shard2', ...release('bitnami', 'redis', { [SHARD_KEY]: 'shard2' }, notReady('flux-system/apps-cache')) },
    { namespace: ns, name: 'monitoring', ...release('prometheus-community', 'kube-prometheus-stack', undefined) },
  ]);
  c.fluxObjects(
    'Kustomization',
    objects([
      [ns, 'flux-system'],
      ['apps', 'frontend', 'shard1'],
      ['apps', 'backend', 'shard2'],
      ['apps', 'cache', 'shard2'],
    ]),
  );
  return c;
}

/**
 * Flux bootstrapped in flux-system and sharded by hand, as Flux's sharding guide does it: source-,
 * kustomize- and helm-controller each with an overlay per shard. kustomize-controller's main still has
 * the selector of an older guide, `notin (shard1)`, written before shard2 was added: it reconciles
 * shard2's Kustomizations too, and those whose key names no shard (never orphaned with `notin`).
 */
export function manual(options = {}) {
  const c = new Cluster(options);
  const ns = 'flux-system';
  const pods = (reconciles) => [{ reconciles }];
  c.manualShards({
    namespace: ns,
    app: 'source-controller',
    pods: pods({ gitrepository: { total: 50, perSecond: 0.1 }, helmrepository: { total: 0 }, helmchart: { total: 0 } }),
    shards: [{ name: 'shard1', pods: pods({ gitrepository: { total: 20, perSecond: 0.05 }, helmrepository: { total: 10, perSecond: 0.02 }, helmchart: { total: 10, perSecond: 0.02 } }) }],
  });
  c.manualShards({
    namespace: ns,
    app: 'kustomize-controller',
    mainSelector: `${SHARD_KEY} notin (shard1)`,
    pods: pods({ kustomization: { total: 200, perSecond: 0.3 } }),
    shards: [
      { name: 'shard1', pods: pods({ kustomization: { total: 40, perSecond: 0.1 } }) },
      { name: 'shard2', pods: pods({ kustomization: { total: 60, perSecond: 0.1 } }) },
    ],
  });
  c.manualShards({
    namespace: ns,
    app: 'helm-controller',
    pods: pods({ helmrelease: { total: 15, perSecond: 0.02 } }),
    shards: [{ name: 'shard1', pods: pods({ helmrelease: { total: 25, perSecond: 0.05 } }) }],
  });
  const host = (shard) => `source-controller${shard ? `-${shard}` : ''}.${ns}.svc.cluster.local.`;
  const objects = (list) => list.map(([namespace, name, key, extra = {}]) => ({ namespace, name, key, storageHost: host(key), ...extra }));
  c.fluxObjects(
    'GitRepository',
    objects([
      [ns, 'flux-system'],
      ['apps', 'frontend', 'shard1'],
    ]),
  );
  c.fluxObjects(
    'HelmRepository',
    objects([
      [ns, 'podinfo', 'shard1'],
      [ns, 'bitnami'],
    ]),
  );
  c.fluxObjects(
    'HelmChart',
    objects([
      [
        ns,
        'flux-system-redis',
        undefined,
        {
          chart: 'redis',
          sourceRef: { kind: 'HelmRepository', name: 'bitnami' },
          labels: { 'helm.toolkit.fluxcd.io/name': 'redis', 'helm.toolkit.fluxcd.io/namespace': ns },
          manager: 'helm-controller',
        },
      ],
      [
        ns,
        'apps-web',
        'shard1',
        {
          chart: 'podinfo',
          sourceRef: { kind: 'HelmRepository', name: 'podinfo' },
          labels: { 'helm.toolkit.fluxcd.io/name': 'web', 'helm.toolkit.fluxcd.io/namespace': 'apps' },
          manager: 'helm-controller',
        },
      ],
    ]),
  );
  c.fluxObjects('HelmRelease', [
    { namespace: ns, name: 'redis', sourceRef: { kind: 'HelmRepository', name: 'bitnami', namespace: ns }, chart: 'redis' },
    { namespace: 'apps', name: 'web', key: 'shard1', sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: ns }, chart: 'podinfo', chartLabels: { [SHARD_KEY]: 'shard1' } },
  ]);
  c.fluxObjects('Kustomization', [
    ...repos(ns, ['flux-system'], undefined),
    ...repos('apps', ['frontend'], 'shard1'),
    ...repos('apps', ['backend', 'worker'], 'shard2'),
    // Its key names no shard: with `notin`, the main controller takes it.
    ...repos('legacy', ['reports'], 'shard9'),
  ]);
  return c;
}

/**
 * The benchmark's shard set: `shards` shards of `replicas` pods each, whose controllers reconcile
 * twelve kinds (or the `kinds` named), and `objects` Flux objects spread over those kinds and shards
 * (one in 51 without a key).
 */
export function bench(options = {}) {
  const { shards = 50, replicas = 2, objects = 5000, kinds: kindNames } = options;
  const c = new Cluster(options);
  const ns = 'flux-system';
  const kinds = kindNames ? FLUX_KINDS.filter((k) => kindNames.includes(k.kind)) : FLUX_KINDS.slice(0, 12);
  const names = Array.from({ length: shards }, (_, i) => `shard${i + 1}`);
  const reconciles = (n, errors = 0) => Object.fromEntries(kinds.map((k, i) => [k.kind.toLowerCase(), { total: i === 0 ? n : 0, error: i === 0 ? errors : 0, perSecond: i === 0 ? 0.5 : 0 }]));
  c.shardSet({
    namespace: ns,
    name: 'kustomize-controller-shardset',
    source: { app: 'kustomize-controller', pods: [{ reconciles: reconciles(1000, 1) }] },
    shards: names.map((name, i) => ({
      name,
      pods: Array.from({ length: replicas }, (_, r) => (r === 0 ? { reconciles: reconciles(100 + i, i % 7 === 0 ? 1 : 0) } : { standby: true, leader: false })),
    })),
  });
  for (const [k, kind] of kinds.entries()) {
    const list = [];
    for (let i = k; i < objects; i += kinds.length) {
      list.push({ namespace: `tenant-${i % 40}`, name: `${kind.kind.toLowerCase()}-${i}`, key: i % 51 === 0 ? undefined : names[i % names.length] });
    }
    c.fluxObjects(kind.kind, list);
  }
  return c;
}

/** Every way a pod can misbehave, one shard each; and, with `crowd`, that many unrelated pods beside them. */
export const HOSTILE_MODES = ['trickle', 'endless', 'chunked-bomb', 'gzip-bomb', 'reset-once', 'reset', 'reset-mid-body', 'retry-after-once'];

export function hostileScenario(options = {}) {
  const c = demo(options);
  const ns = 'hostile';
  // `modes` picks the shards (a mode given n times makes n shards, `MODE-1` … `MODE-n`).
  const modes = options.modes ?? HOSTILE_MODES;
  const names = modes.map((mode, i) => (modes.filter((m) => m === mode).length > 1 ? `${mode}-${modes.slice(0, i + 1).filter((m) => m === mode).length}` : mode));
  c.shardSet({
    namespace: ns,
    name: 'hostile-shardset',
    source: { app: 'kustomize-controller', pods: [{ reconciles: { kustomization: { total: 100 } } }] },
    shards: modes.map((mode, i) => ({ name: names[i], pods: [{ proxy: mode, reconciles: { kustomization: { total: 10 } } }] })),
  });
  if (options.crowd) {
    c.controller({ namespace: ns, name: 'busy-app', app: 'busy-app', selector: null, pods: Array.from({ length: options.crowd }, () => ({})) });
  }
  return c;
}

/**
 * What the real-cluster harness runs (tests/real-cluster/scenario.mjs), so that the simulated cluster
 * can be compared with what the real one answered (tests/fixtures/real-cluster/) like for like: a
 * source-controller of 2 replicas (a leader and a standby) sharded into three shards of 2 replicas;
 * HelmRepositories that reconcile, GitRepositories that fail, objects of shard9 that nobody reconciles.
 */
export function realCluster(options = {}) {
  const c = new Cluster(options);
  const replicas = (reconciles) => [{ reconciles }, { standby: true, leader: false }];
  c.shardSet({
    namespace: 'flux-system',
    name: 'source-controller-shardset',
    source: { app: 'source-controller', pods: replicas({ helmrepository: { total: 48, perSecond: 2 / 15 }, gitrepository: { total: 40, error: 40, perSecond: 1 / 30, errorPerSecond: 1 / 30 } }) },
    shards: [
      { name: 'shard1', pods: replicas({ helmrepository: { total: 72, perSecond: 3 / 15 } }) },
      { name: 'shard2', pods: replicas({ helmrepository: { total: 24, perSecond: 1 / 15 }, gitrepository: { total: 80, error: 80, perSecond: 2 / 30, errorPerSecond: 2 / 30 } }) },
      { name: 'shard3', pods: replicas({}) },
    ],
  });
  const objects = (key, list, extra = {}) => list.map(([namespace, name]) => ({ namespace, name, key, ...extra }));
  c.fluxObjects('HelmRepository', [
    ...objects(undefined, [
      ['team-a', 'charts-main'],
      ['team-b', 'charts-main'],
    ]),
    ...objects('shard1', [
      ['team-a', 'charts-shard1'],
      ['team-b', 'charts-shard1'],
      ['team-b', 'charts-shard1-extra'],
    ]),
    ...objects('shard2', [['team-a', 'charts-shard2']]),
    ...objects('shard9', [['team-b', 'charts-orphan']], { reconciled: false }),
  ]);
  c.fluxObjects('GitRepository', [
    ...objects(undefined, [['team-a', 'app-main']], { ready: false }),
    ...objects(
      'shard2',
      [
        ['team-a', 'app-shard2'],
        ['team-b', 'app-shard2'],
      ],
      { ready: false },
    ),
    ...objects('shard9', [['team-b', 'app-orphan']], { reconciled: false }),
  ]);
  return c;
}

export const SCENARIOS = { demo, operator, manual, bench, hostile: hostileScenario, 'real-cluster': realCluster };
