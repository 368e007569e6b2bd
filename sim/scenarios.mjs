// @ts-check
// The scenarios of the simulated cluster: what the demo and the tests show
// (every status once), and the benchmarks' large shard sets.
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
      { name: 'shard2', pods: [{ reconciles: { ocirepository: { total: 100, perSecond: 1 }, [XSS]: { total: 0 } } }] },
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

export const SCENARIOS = { demo, bench, hostile: hostileScenario, 'real-cluster': realCluster };
