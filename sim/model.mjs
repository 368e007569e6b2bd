// The objects of the simulated cluster, shaped as flux-shard-controller and
// Flux really shape them (../shared/FLUX-FACTS.md): a source controller
// Deployment as Flux installs it, one Deployment per shard cloned from it
// (merged labels, an owner reference to the FluxShardSet, the manager's
// --watch-label-selector rewritten), ReplicaSets, pods and how each pod's
// metrics endpoint behaves, FluxShardSets with their inventory, conditions and
// generations, and Flux objects with their sharding keys.
import { SHARD_KEY, renderFluxObject, fluxKind } from './flux.mjs';

const CREATED = '2026-11-01T09:00:00Z';
export const START_TIME = 1793523600; // 2026-11-01T09:00:00Z

export function hash(text, length) {
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

function iso(seconds) {
  return new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * How a pod behaves:
 * - reconciles: { kind: { total, error, perSecond?, errorPerSecond? } } — most of a total counts as
 *   `requeue_after`, as on a real cluster (Flux requeues every object on its interval);
 * - leader: holds the lease (default true); standby: a replica without the lease, so without any
 *   controller_runtime_* family;
 * - phase: 'Running' | 'Pending' | 'Failed' …, reason ('Evicted'), finished pods belong to an older ReplicaSet;
 * - proxy: 'ok' | 'forbidden' | 'slow';
 * - startedSecondsAgo: relative to when the simulated cluster starts (default: started on 2026-11-01);
 * - queueDepth, activeWorkers: workqueue_depth and controller_runtime_active_workers.
 */
function pod(o) {
  return { phase: 'Running', leader: true, standby: false, proxy: 'ok', restarts: 0, reconciles: {}, ...o };
}

/** The flags of a Flux controller's manager container, as Flux's manifests set them. */
function managerArgs(selector) {
  const args = ['--events-addr=http://notification-controller.flux-system.svc.cluster.local./', '--watch-all-namespaces=true', '--log-level=info', '--log-encoding=json', '--enable-leader-election'];
  if (selector !== null) args.push(`--watch-label-selector=${selector}`);
  return args;
}

/** A pod's managedFields as kube-controller-manager and the kubelet write them. */
function managedFields(started) {
  const time = iso(started);
  return [
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'v1',
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': {
          'f:annotations': { '.': {}, 'f:prometheus.io/port': {}, 'f:prometheus.io/scrape': {} },
          'f:generateName': {},
          'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {} },
          'f:ownerReferences': { '.': {}, 'k:{"uid":"5b5b5b5b"}': {} },
        },
        'f:spec': {
          'f:containers': {
            'k:{"name":"manager"}': {
              '.': {},
              'f:args': {},
              'f:env': {},
              'f:image': {},
              'f:imagePullPolicy': {},
              'f:livenessProbe': { '.': {}, 'f:failureThreshold': {}, 'f:httpGet': { '.': {}, 'f:path': {}, 'f:port': {}, 'f:scheme': {} } },
              'f:name': {},
              'f:ports': {},
              'f:readinessProbe': {},
              'f:resources': { '.': {}, 'f:limits': {}, 'f:requests': {} },
              'f:securityContext': {},
              'f:terminationMessagePath': {},
              'f:volumeMounts': {},
            },
          },
          'f:dnsPolicy': {},
          'f:enableServiceLinks': {},
          'f:restartPolicy': {},
          'f:schedulerName': {},
          'f:securityContext': {},
          'f:serviceAccount': {},
          'f:serviceAccountName': {},
          'f:terminationGracePeriodSeconds': {},
          'f:volumes': {},
        },
      },
    },
    {
      manager: 'kubelet',
      operation: 'Update',
      apiVersion: 'v1',
      time,
      fieldsType: 'FieldsV1',
      subresource: 'status',
      fieldsV1: {
        'f:status': {
          'f:conditions': {
            'k:{"type":"ContainersReady"}': { '.': {}, 'f:lastProbeTime': {}, 'f:lastTransitionTime': {}, 'f:status': {}, 'f:type': {} },
            'k:{"type":"Initialized"}': {},
            'k:{"type":"PodReadyToStartContainers"}': {},
            'k:{"type":"Ready"}': {},
          },
          'f:containerStatuses': {},
          'f:hostIP': {},
          'f:hostIPs': {},
          'f:phase': {},
          'f:podIP': {},
          'f:podIPs': { '.': {}, 'k:{"ip":"10.244.0.10"}': {} },
          'f:startTime': {},
        },
      },
    },
  ];
}

export class Cluster {
  constructor({ now = Date.now() / 1000 } = {}) {
    this.now = now;
    this.shardSets = [];
    this.deployments = [];
    this.replicaSets = [];
    this.pods = [];
    /** plural → objects */
    this.objects = new Map();
    this.namespaces = new Set();
  }

  /**
   * A controller Deployment with one current ReplicaSet (and an older one for finished pods).
   * @param {object} o
   * @param {string} o.namespace
   * @param {string} o.name
   * @param {string} o.app       the controller (`source-controller`), its `app` label
   * @param {string|null} o.selector  the manager's --watch-label-selector (null: none)
   * @param {object[]} o.pods    pod behaviours
   * @param {object} [o.extraLabels]  merged into the labels (shards)
   * @param {object} [o.owner]   an owner reference (shards: the FluxShardSet)
   */
  controller({ namespace, name, app, selector, pods, extraLabels = {}, owner, metricsPort = 8080, portName = 'http-prom', annotatePort = true }) {
    this.namespaces.add(namespace);
    const base = { app, 'control-plane': 'controller', 'app.kubernetes.io/component': app, 'app.kubernetes.io/instance': 'flux-system', 'app.kubernetes.io/part-of': 'flux' };
    const labels = { ...base, ...extraLabels };
    const uid = `${hash(namespace + name, 8)}-dep-${hash(name, 4)}`;
    const live = pods.filter((p) => !['Succeeded', 'Failed'].includes(pod(p).phase));
    const ports = [
      { name: portName, containerPort: metricsPort, protocol: 'TCP' },
      { name: 'healthz', containerPort: 9440, protocol: 'TCP' },
      ...(app === 'source-controller' ? [{ name: 'http', containerPort: 9090, protocol: 'TCP' }] : []),
    ];
    const container = {
      name: 'manager',
      image: `ghcr.io/fluxcd/${app}:v1.4.1`,
      args: managerArgs(selector),
      ports,
      env: [{ name: 'RUNTIME_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
    };
    const annotations = annotatePort ? { 'prometheus.io/port': String(metricsPort), 'prometheus.io/scrape': 'true' } : {};
    const ready = live.filter((p) => pod(p).phase === 'Running').length;
    this.deployments.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, uid, labels, creationTimestamp: CREATED, generation: 1, resourceVersion: '1000', ...(owner ? { ownerReferences: [owner] } : {}) },
      spec: {
        replicas: live.length,
        selector: { matchLabels: labels },
        strategy: { type: 'Recreate' },
        template: { metadata: { labels, annotations }, spec: { containers: [container], serviceAccountName: app } },
      },
      status: { observedGeneration: 1, replicas: live.length, readyReplicas: ready, availableReplicas: ready },
    });
    for (const current of [true, false]) {
      const group = pods.filter((p) => live.includes(p) === current);
      if (!current && group.length === 0) continue;
      const templateHash = hash(`${namespace}/${name}/template${current ? '' : '/old'}`, 10);
      const rsName = `${name}-${templateHash}`;
      const rsUid = `${hash(rsName, 8)}-rs`;
      this.replicaSets.push({
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
        spec: { replicas: current ? group.length : 0, selector: { matchLabels: { ...labels, 'pod-template-hash': templateHash } } },
        status: { replicas: current ? group.length : 0 },
      });
      group.forEach((spec, i) => {
        const p = pod(spec);
        const podName = `${rsName}-${hash(`${rsName}/${i}`, 5)}`;
        const running = p.phase === 'Running';
        const started = p.startedSecondsAgo === undefined ? START_TIME + i * 60 + p.restarts * 3600 : Math.floor(this.now - p.startedSecondsAgo);
        this.pods.push({
          object: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              name: podName,
              namespace,
              uid: `${hash(podName, 8)}-pod`,
              labels: { ...labels, 'pod-template-hash': templateHash },
              annotations,
              ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rsUid, controller: true, blockOwnerDeletion: true }],
              creationTimestamp: iso(started),
            },
            spec: { containers: [container], nodeName: 'kind-worker', serviceAccountName: app },
            status: {
              phase: p.phase,
              ...(p.reason ? { reason: p.reason, message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki.' } : {}),
              podIP: running ? `10.244.0.${10 + this.pods.length}` : undefined,
              startTime: iso(started),
              conditions: [{ type: 'Ready', status: running ? 'True' : 'False', lastTransitionTime: iso(started) }],
              containerStatuses: [{ name: 'manager', ready: running, restartCount: p.restarts, image: container.image }],
            },
          },
          behaviour: { ...p, app, metricsPort, startTime: started },
        });
      });
    }
  }

  /**
   * Rolls Deployment `namespace/name` as the Deployment controller does on a template change: a new
   * ReplicaSet (a new pod-template-hash), the old one scaled to zero and kept, its pods replaced by new
   * ones whose processes start at `now` (seconds) with counters at zero from `epoch` (the simulation's
   * elapsed seconds). Returns the behaviours of the pods it removed.
   */
  roll(namespace, name, now, epoch) {
    const deployment = this.deployments.find((d) => d.metadata.namespace === namespace && d.metadata.name === name);
    if (!deployment) throw new Error(`no Deployment ${namespace}/${name}`);
    const owned = (rs) => rs.metadata.ownerReferences?.some((o) => o.uid === deployment.metadata.uid);
    const current = this.replicaSets.find((rs) => owned(rs) && rs.spec.replicas > 0);
    const revision = this.replicaSets.filter(owned).length + 1;
    const templateHash = hash(`${namespace}/${name}/template/${revision}`, 10);
    const rsName = `${name}-${templateHash}`;
    const rs = structuredClone(current);
    rs.metadata.name = rsName;
    rs.metadata.uid = `${hash(rsName, 8)}-rs`;
    rs.metadata.labels['pod-template-hash'] = templateHash;
    rs.spec.selector.matchLabels['pod-template-hash'] = templateHash;
    rs.metadata.creationTimestamp = iso(Math.floor(now));
    current.spec.replicas = 0;
    current.status.replicas = 0;
    this.replicaSets.push(rs);
    const old = this.pods.filter((p) => p.object.metadata.ownerReferences?.[0]?.uid === current.metadata.uid);
    this.pods = this.pods.filter((p) => !old.includes(p));
    old.forEach((before, i) => {
      const pod = structuredClone(before.object);
      const podName = `${rsName}-${hash(`${rsName}/${i}`, 5)}`;
      pod.metadata.name = podName;
      pod.metadata.uid = `${hash(podName, 8)}-pod`;
      pod.metadata.labels['pod-template-hash'] = templateHash;
      pod.metadata.ownerReferences = [{ ...pod.metadata.ownerReferences[0], name: rsName, uid: rs.metadata.uid }];
      pod.metadata.creationTimestamp = iso(Math.floor(now));
      pod.status.startTime = iso(Math.floor(now));
      pod.status.containerStatuses[0].restartCount = 0;
      this.pods.push({ object: pod, behaviour: { ...before.behaviour, epoch, startTime: Math.floor(now), restarts: 0 } });
    });
    return old.map((p) => p.behaviour);
  }

  /**
   * A FluxShardSet and what flux-shard-controller makes of it.
   * @param {object} o
   * @param {string} o.namespace
   * @param {string} o.name
   * @param {{app: string, pods: object[], selector?: string|null}} o.source  the source Deployment (selector defaults to `!sharding.fluxcd.io/key`)
   * @param {Array<{name: string, pods?: object[], selector?: string|null, inInventory?: boolean, exists?: boolean}>} o.shards
   * @param {number} [o.generation] @param {number} [o.observedGeneration]
   * @param {{status: string, reason: string, message: string}} [o.ready]  defaults to True / "N shard(s) created"
   * @param {Array<{name: string, pods: object[]}>} [o.strangers]  Deployments of a shard's name that the controller did not make
   */
  shardSet({ namespace, name, source, shards, generation = 1, observedGeneration = generation, ready, suspend, strangers = [], metricsPort, portName, annotatePort }) {
    const port = { metricsPort, portName, annotatePort };
    for (const k of Object.keys(port)) if (port[k] === undefined) delete port[k];
    const uid = `${hash(namespace + name, 8)}-fss`;
    this.controller({ namespace, name: source.app, app: source.app, selector: source.selector === undefined ? `!${SHARD_KEY}` : source.selector, pods: source.pods, ...port });
    const owner = { apiVersion: 'templates.weave.works/v1alpha1', kind: 'FluxShardSet', name, uid };
    for (const s of shards) {
      if (s.exists === false) continue;
      this.controller({
        namespace,
        name: `${source.app}-${s.name}`,
        app: source.app,
        selector: s.selector === undefined ? `${SHARD_KEY} in (${s.name})` : s.selector,
        pods: s.pods ?? [],
        owner,
        extraLabels: { 'app.kubernetes.io/managed-by': 'flux-shard-controller', 'templates.weave.works/shard-set': name, 'templates.weave.works/shard': s.name, 'sharding.fluxcd.io/role': 'shard' },
        ...port,
      });
    }
    for (const d of strangers) this.controller({ namespace, name: d.name, app: source.app, selector: d.selector ?? null, pods: d.pods, ...port });
    const inventory = shards
      .filter((s) => s.inInventory !== false)
      .map((s) => ({ id: `${namespace}_${source.app}-${s.name}_apps_Deployment`, v: 'v1' }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    this.namespaces.add(namespace);
    this.shardSets.push({
      apiVersion: 'templates.weave.works/v1alpha1',
      kind: 'FluxShardSet',
      metadata: { name, namespace, uid, creationTimestamp: CREATED, generation, resourceVersion: '2000' },
      spec: { sourceDeploymentRef: { name: source.app }, shards: shards.map((s) => ({ name: s.name })), ...(suspend ? { suspend: true } : {}) },
      status: {
        observedGeneration,
        lastHandledReconcileAt: CREATED,
        conditions: [
          { type: 'Ready', lastTransitionTime: CREATED, observedGeneration, ...(ready ?? { status: 'True', reason: 'ReconciliationSucceeded', message: `${inventory.length} shard(s) created` }) },
        ],
        ...(inventory.length > 0 ? { inventory: { entries: inventory } } : {}),
      },
    });
  }

  /** Flux objects of `kind`: `{namespace, name, key?, ready?, suspended?}`. */
  fluxObjects(kind, list) {
    const { plural } = fluxKind(kind);
    const objects = this.objects.get(plural) ?? [];
    for (const o of list) {
      this.namespaces.add(o.namespace);
      objects.push(renderFluxObject(kind, o));
    }
    this.objects.set(plural, objects);
  }
}
