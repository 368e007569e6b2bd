// The objects of the simulated cluster: FluxShardSets, their Deployments,
// ReplicaSets and Pods, and how each pod's metrics endpoint behaves.

const CREATED = '2026-11-01T09:00:00Z';
export const START_TIME = 1793523600; // 2026-11-01T09:00:00Z

function hash(text, length) {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.codePointAt(0), 16777619) >>> 0;
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < length; i++) {
    out += alphabet[h % alphabet.length];
    h = Math.imul(h ^ (h >>> 13), 2654435761) >>> 0;
  }
  return out;
}

/**
 * A pod's behaviour:
 * - reconciles: { kind: { success, error, successPerSecond?, errorPerSecond? } }
 * - leader: boolean; phase: 'Running' | 'Pending' | …
 * - proxy: 'ok' | 'forbidden' | 'slow' | 'refused'
 * - extraLabels: added to controller_runtime_reconcile_total samples
 */
function podSpec(o) {
  return { phase: 'Running', leader: true, proxy: 'ok', restarts: 0, ...o };
}

export class Cluster {
  constructor() {
    this.shardSets = [];
    this.deployments = [];
    this.replicaSets = [];
    this.pods = [];
    this.namespaces = new Set();
  }

  /** Adds a Deployment with one ReplicaSet and one pod per entry of `pods`. */
  deployment({ namespace, name, app, shardKey, pods, metricsPort = 8080, portName = 'http-prom', annotatePort = false }) {
    this.namespaces.add(namespace);
    const labels = { app, 'app.kubernetes.io/part-of': 'flux', ...(shardKey ? { 'sharding.fluxcd.io/key': shardKey } : {}) };
    const uid = `${hash(namespace + name, 8)}-dep-${hash(name, 4)}`;
    const templateHash = hash(`${namespace}/${name}/template`, 10);
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, uid, labels, creationTimestamp: CREATED, generation: 1, resourceVersion: '1000' },
      spec: { replicas: pods.length, selector: { matchLabels: { ...labels } }, template: { metadata: { labels } } },
      status: { replicas: pods.length, readyReplicas: pods.filter((p) => podSpec(p).phase === 'Running').length, availableReplicas: pods.filter((p) => podSpec(p).phase === 'Running').length },
    };
    const rsName = `${name}-${templateHash}`;
    const rsUid = `${hash(rsName, 8)}-rs`;
    const replicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace,
        uid: rsUid,
        labels: { ...labels, 'pod-template-hash': templateHash },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid, controller: true, blockOwnerDeletion: true }],
        creationTimestamp: CREATED,
      },
      spec: { replicas: pods.length, selector: { matchLabels: { ...labels, 'pod-template-hash': templateHash } } },
      status: { replicas: pods.length },
    };
    this.deployments.push(deployment);
    this.replicaSets.push(replicaSet);
    pods.forEach((spec, i) => {
      const p = podSpec(spec);
      const podName = `${rsName}-${hash(`${rsName}/${i}`, 5)}`;
      const ready = p.phase === 'Running';
      this.pods.push({
        object: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: podName,
            namespace,
            uid: `${hash(podName, 8)}-pod`,
            labels: { ...labels, 'pod-template-hash': templateHash },
            annotations: annotatePort ? { 'prometheus.io/port': String(metricsPort), 'prometheus.io/scrape': 'true' } : {},
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rsUid, controller: true, blockOwnerDeletion: true }],
            creationTimestamp: CREATED,
          },
          spec: {
            containers: [
              {
                name: 'manager',
                image: `ghcr.io/fluxcd/${app}:v1.4.1`,
                ports: [
                  { name: portName, containerPort: metricsPort, protocol: 'TCP' },
                  { name: 'healthz', containerPort: 9440, protocol: 'TCP' },
                ],
              },
            ],
          },
          status: {
            phase: p.phase,
            podIP: ready ? `10.244.0.${10 + this.pods.length}` : undefined,
            startTime: CREATED,
            conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
            containerStatuses: [{ name: 'manager', ready, restartCount: p.restarts }],
          },
        },
        behaviour: { ...p, app, metricsPort, startTime: START_TIME + i * 60 + p.restarts * 3600 },
      });
    });
  }

  /** A FluxShardSet over `source` with `shards`; `inventory` defaults to every shard. */
  shardSet({ namespace, name, source, shards, inventory = shards }) {
    this.namespaces.add(namespace);
    this.shardSets.push({
      apiVersion: 'templates.weave.works/v1alpha1',
      kind: 'FluxShardSet',
      metadata: { name, namespace, uid: `${hash(namespace + name, 8)}-fss`, creationTimestamp: CREATED, generation: 1 },
      spec: { sourceDeploymentRef: { name: source }, shards: shards.map((s) => ({ name: s })) },
      status: {
        observedGeneration: 1,
        conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `${inventory.length} shard(s) created`, lastTransitionTime: CREATED }],
        inventory: { entries: inventory.map((s) => ({ id: `${namespace}_${source}-${s}_apps_Deployment`, v: 'v1' })) },
      },
    });
  }
}

const XSS = '<img src=x onerror="document.title=\'pwned\'">';

/** What the README's demo and the tests run: every case the page must show. */
export function demo() {
  const c = new Cluster();
  const ns = 'flux-system';
  // The issue's example: 500/1, 20/0 (leader + standby), 100/0, 0/0 (idle).
  c.deployment({
    namespace: ns,
    name: 'source-controller',
    app: 'source-controller',
    pods: [{ reconciles: { gitrepository: { success: 400, error: 1, successPerSecond: 2 }, helmchart: { success: 99, error: 0, successPerSecond: 0.5 } } }],
  });
  c.deployment({
    namespace: ns,
    name: 'source-controller-shard1',
    app: 'source-controller',
    shardKey: 'shard1',
    pods: [
      { reconciles: { gitrepository: { success: 20, error: 0, successPerSecond: 0.25 } }, leader: true },
      { reconciles: { gitrepository: { success: 0, error: 0 } }, leader: false },
    ],
  });
  c.deployment({
    namespace: ns,
    name: 'source-controller-shard2',
    app: 'source-controller',
    shardKey: 'shard2',
    pods: [{ reconciles: { ocirepository: { success: 100, error: 0, successPerSecond: 1 }, [XSS]: { success: 0, error: 0 } } }],
  });
  c.deployment({ namespace: ns, name: 'source-controller-shard3', app: 'source-controller', shardKey: 'shard3', pods: [{ reconciles: { gitrepository: { success: 0, error: 0 } } }] });
  c.shardSet({ namespace: ns, name: 'source-controller-shardset', source: 'source-controller', shards: ['shard1', 'shard2', 'shard3'] });

  // Everything that can go wrong, one shard each.
  c.deployment({ namespace: ns, name: 'kustomize-controller', app: 'kustomize-controller', pods: [{ reconciles: { kustomization: { success: 1200, error: 3, successPerSecond: 1 } } }] });
  c.deployment({
    namespace: ns,
    name: 'kustomize-controller-shard1',
    app: 'kustomize-controller',
    shardKey: 'shard1',
    pods: [{ reconciles: { kustomization: { success: 40, error: 260, successPerSecond: 0.1, errorPerSecond: 1 } } }],
  });
  c.deployment({ namespace: ns, name: 'kustomize-controller-shard2', app: 'kustomize-controller', shardKey: 'shard2', pods: [{ phase: 'Pending', reconciles: {} }] });
  c.deployment({
    namespace: ns,
    name: 'kustomize-controller-shard3',
    app: 'kustomize-controller',
    shardKey: 'shard3',
    pods: [{ proxy: 'forbidden', reconciles: { kustomization: { success: 5, error: 0 } } }],
  });
  c.deployment({
    namespace: ns,
    name: 'kustomize-controller-shard4',
    app: 'kustomize-controller',
    shardKey: 'shard4',
    pods: [{ proxy: 'slow', reconciles: { kustomization: { success: 7, error: 0 } } }],
  });
  c.shardSet({
    namespace: ns,
    name: 'kustomize-controller-shardset',
    source: 'kustomize-controller',
    shards: ['shard1', 'shard2', 'shard3', 'shard4', 'shard5'],
    inventory: ['shard1', 'shard2', 'shard3', 'shard4'],
  });

  // Another namespace; metrics on a port found through the prometheus.io/port annotation.
  const team = 'team-a';
  c.deployment({
    namespace: team,
    name: 'helm-controller',
    app: 'helm-controller',
    portName: 'metrics',
    metricsPort: 9090,
    annotatePort: true,
    pods: [{ reconciles: { helmrelease: { success: 310, error: 2, successPerSecond: 0.5 } }, restarts: 2 }],
  });
  for (const s of ['a', 'b']) {
    c.deployment({
      namespace: team,
      name: `helm-controller-${s}`,
      app: 'helm-controller',
      shardKey: s,
      portName: 'metrics',
      metricsPort: 9090,
      annotatePort: true,
      pods: [{ reconciles: { helmrelease: { success: s === 'a' ? 150 : 75, error: 0, successPerSecond: 0.2 } } }],
    });
  }
  c.shardSet({ namespace: team, name: 'helm-controller-shardset', source: 'helm-controller', shards: ['a', 'b'] });
  return c;
}

/** The benchmark's shard set: `shards` shards of `replicas` pods each. */
export function bench(shards = 50, replicas = 2) {
  const c = new Cluster();
  const ns = 'flux-system';
  const names = Array.from({ length: shards }, (_, i) => `shard${i + 1}`);
  c.deployment({ namespace: ns, name: 'kustomize-controller', app: 'kustomize-controller', pods: [{ reconciles: { kustomization: { success: 1000, error: 1 } } }] });
  names.forEach((s, i) => {
    c.deployment({
      namespace: ns,
      name: `kustomize-controller-${s}`,
      app: 'kustomize-controller',
      shardKey: s,
      pods: Array.from({ length: replicas }, (_, r) => ({ leader: r === 0, reconciles: { kustomization: { success: r === 0 ? 100 + i : 0, error: i % 7 === 0 ? 1 : 0 } } })),
    });
  });
  c.shardSet({ namespace: ns, name: 'kustomize-controller-shardset', source: 'kustomize-controller', shards: names });
  return c;
}

export const SCENARIOS = { demo, bench };
