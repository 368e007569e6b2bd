// @ts-check
// The objects of the simulated cluster, shaped as the real API server, Deployment and ReplicaSet
// controllers, kubelet, flux-shard-controller and Flux shape them (../shared/FLUX-FACTS.md and
// tests/fixtures/real-cluster/, which tests/js/real-shapes.test.mjs compares with): a source
// controller Deployment as Flux installs it, one Deployment per shard cloned from it (merged labels,
// an owner reference to the FluxShardSet, the manager's --watch-label-selector rewritten),
// ReplicaSets, pods and how each pod's servers behave (a source-controller standby is not Ready: its
// readiness probe is the artifact server, which only the leader runs), FluxShardSets with their
// inventory, conditions and generations, and Flux objects with their sharding keys. Pods also
// terminate (deletionTimestamp, their ports closed, gone a moment later, replaced at once by their
// ReplicaSet) and start (Running, not Ready, ports not listening yet); Deployments roll.
// The two other ways Flux is sharded (../shared/FLUX-FACTS.md): the Flux Operator's FluxInstance
// (`fluxInstance`: every component rendered as the operator renders it, a kustomize overlay per shard
// with `nameSuffix`, `app: <controller>-<shard>`, the role annotation, appended selectors, a Service and
// its own --storage-adv-addr per source-controller shard) and overlays made by hand (`manualShards`, as
// Flux's sharding guide writes them); and the Services of the controllers that have one.
import { SHARD_KEY, renderFluxObject, fluxKind, uuid, digest, sortKeys } from './flux.mjs';

const CREATED = '2026-11-01T09:00:00Z';
export const START_TIME = 1793523600; // 2026-11-01T09:00:00Z

/** The Flux release of the controllers (their `app.kubernetes.io/version` label). */
const FLUX_VERSION = 'v2.9.0';
/** The one Node every pod runs on. */
const NODE = { name: 'kind-worker', ip: '172.18.0.2' };
/** terminationGracePeriodSeconds of Flux's controllers. */
const GRACE = 10;
/** Seconds a deleted pod stays Terminating by default: a Flux controller exits at once on SIGTERM, then the kubelet confirms. */
export const TERMINATING_SECONDS = 2;

/**
 * The Flux controllers as Flux's install manifests shape their Deployments: image, the ports beside
 * `http-prom` and `healthz`, the readiness probe (source-controller's is its artifact server, `/` on
 * `http`, which only the leader starts: its standbys are never Ready; the others' is `/readyz` on
 * `healthz`), volumes, flags, --concurrent.
 */
const CONTROLLERS = {
  'source-controller': {
    version: 'v1.9.6',
    ports: [{ name: 'http', containerPort: 9090, protocol: 'TCP' }],
    readiness: { path: '/', port: 'http' },
    volumes: [
      ['data', '/data'],
      ['tmp', '/tmp'],
    ],
    args: ['--storage-path=/data', '--storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local.'],
    env: [{ name: 'TUF_ROOT', value: '/tmp/.sigstore' }],
    cpu: '50m',
    concurrent: 2,
    events: true,
  },
  'kustomize-controller': { version: 'v1.9.3', ports: [], readiness: { path: '/readyz', port: 'healthz' }, volumes: [['temp', '/tmp']], args: [], env: [], cpu: '100m', concurrent: 4, events: true },
  'helm-controller': { version: 'v1.6.2', ports: [], readiness: { path: '/readyz', port: 'healthz' }, volumes: [['temp', '/tmp']], args: [], env: [], cpu: '100m', concurrent: 4, events: true },
  'image-reflector-controller': {
    version: 'v1.1.2',
    ports: [],
    readiness: { path: '/readyz', port: 'healthz' },
    volumes: [
      ['temp', '/tmp'],
      ['data', '/data'],
    ],
    args: [],
    env: [],
    cpu: '100m',
    concurrent: 4,
    events: true,
  },
  'image-automation-controller': {
    version: 'v1.1.1',
    ports: [],
    readiness: { path: '/readyz', port: 'healthz' },
    volumes: [['temp', '/tmp']],
    args: [],
    env: [],
    cpu: '100m',
    concurrent: 4,
    events: true,
  },
  'notification-controller': {
    version: 'v1.9.2',
    ports: [
      { name: 'http', containerPort: 9090, protocol: 'TCP' },
      { name: 'http-webhook', containerPort: 9292, protocol: 'TCP' },
    ],
    readiness: { path: '/readyz', port: 'healthz' },
    volumes: [['temp', '/tmp']],
    args: [],
    env: [],
    cpu: '100m',
    concurrent: 4,
    events: false,
  },
};
const controllerOf = (app) => CONTROLLERS[app] ?? { ...CONTROLLERS['kustomize-controller'], version: 'v1.0.0' };

const TOLERATIONS = ['not-ready', 'unreachable'].map((t) => ({ key: `node.kubernetes.io/${t}`, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }));
const SERVICE_ACCOUNT_SOURCES = [
  { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
  { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
  { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
];

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

const isoCache = new Map();
/** An RFC 3339 time in whole seconds, as the API server writes them (cached: many pods share their times). */
function iso(seconds) {
  let text = isoCache.get(seconds);
  if (text === undefined) {
    text = new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    if (isoCache.size < 100000) isoCache.set(seconds, text);
  }
  return text;
}

const imageIds = {};
const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
/** Drops the zero counts Kubernetes leaves out (`omitempty`), but those in `keep`. */
const omitZeros = (o, keep = []) => Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== 0 || keep.includes(k)));
const finished = (phase) => phase === 'Succeeded' || phase === 'Failed';

/**
 * A leader-election lease name as fluxcd/pkg runtime/leaderelection.GenerateID makes it: the
 * controller's, with the first 8 hex digits of sha256(selector) when it watches a label selector.
 */
export function leaseName(app, selector) {
  return selector ? `${app}-leader-election-${digest(selector).slice(0, 8)}` : `${app}-leader-election`;
}

/**
 * How a pod behaves:
 * - reconciles: { kind: { total, error, perSecond?, errorPerSecond? } } — most of a total counts as
 *   `requeue_after`, as on a real cluster (Flux requeues every object on its interval);
 * - leader: holds the lease (default true); standby: a replica without the lease, so without any
 *   controller_runtime_* family (and, for source-controller, not Ready);
 * - phase: 'Running' | 'Pending' | 'Failed' …, reason ('Evicted'), finished pods belong to an older ReplicaSet;
 * - proxy: 'ok' | 'forbidden' | 'slow' | a hostile mode (hostile.mjs);
 * - startedSecondsAgo: relative to when the simulated cluster starts (default: started on 2026-11-01);
 * - queueDepth, activeWorkers: workqueue_depth and controller_runtime_active_workers.
 */
function pod(o) {
  return { phase: 'Running', leader: true, standby: false, proxy: 'ok', restarts: 0, reconciles: {}, ...o };
}

/** The flags of a Flux controller's manager container, as Flux's manifests set them, with `selector` appended. */
function managerArgs(app, selector) {
  const args = installedArgs(app);
  if (selector !== null) args.push(`--watch-label-selector=${selector}`);
  return args;
}

/** The flags of a Flux controller's manager container as Flux's manifests set them, without a selector. */
function installedArgs(app) {
  const c = controllerOf(app);
  return [
    ...(c.events ? ['--events-addr=http://notification-controller.$(RUNTIME_NAMESPACE).svc.cluster.local./'] : []),
    '--watch-all-namespaces=true',
    '--log-level=info',
    '--log-encoding=json',
    '--enable-leader-election',
    ...c.args,
  ];
}

/** A source-controller's storage address: the Service `service` in its own namespace. */
const storageAddr = (service) => `--storage-adv-addr=${service}.$(RUNTIME_NAMESPACE).svc.cluster.local.`;

/** The Services of a Flux controller (source-controller's artifact server, notification-controller's events and webhooks): `[name suffix, port name]`. */
const SERVICES = {
  'source-controller': [['', 'http']],
  'notification-controller': [
    ['', 'http'],
    ['webhook-receiver', 'http-webhook'],
  ],
};

/** The labels the Flux Operator puts on every object it applies (its labels transformer and ssa owner labels). */
function operatorLabels(namespace, app) {
  return {
    'app.kubernetes.io/component': app,
    'app.kubernetes.io/instance': namespace,
    'app.kubernetes.io/managed-by': 'flux-operator',
    'app.kubernetes.io/part-of': 'flux',
    'app.kubernetes.io/version': FLUX_VERSION,
    'control-plane': 'controller',
    'fluxcd.controlplane.io/name': 'flux',
    'fluxcd.controlplane.io/namespace': namespace,
  };
}

/** The annotations the Flux Operator puts on every object it applies. */
const OPERATOR_ANNOTATIONS = { 'kustomize.toolkit.fluxcd.io/prune': 'Disabled', 'kustomize.toolkit.fluxcd.io/ssa': 'Ignore' };
/** The annotation of a shard's Deployment, pod template and Service (the Flux Operator's overlays and Flux's sharding guide). */
const ROLE = { 'sharding.fluxcd.io/role': 'shard' };

const probe = (path, port) => ({ httpGet: { path, port, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });

/** A pod's managedFields as kube-controller-manager and the kubelet write them (one per ReplicaSet: bookkeeping nothing reads). */
function podManagedFields(rsUid, time) {
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
          'f:ownerReferences': { '.': {}, [`k:{"uid":"${rsUid}"}`]: {} },
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
      fieldsV1: {
        'f:status': {
          'f:conditions': Object.fromEntries(
            ['ContainersReady', 'Initialized', 'PodReadyToStartContainers', 'Ready'].map((t) => [
              `k:{"type":"${t}"}`,
              { '.': {}, 'f:lastProbeTime': {}, 'f:lastTransitionTime': {}, 'f:status': {}, 'f:type': {} },
            ]),
          ),
          'f:containerStatuses': {},
          'f:hostIP': {},
          'f:hostIPs': {},
          'f:phase': {},
          'f:podIP': {},
          'f:podIPs': {},
          'f:startTime': {},
        },
      },
      subresource: 'status',
    },
  ];
}

/** A Deployment's or ReplicaSet's managedFields: who applied it, and kube-controller-manager's status. */
function workloadManagedFields(manager, time) {
  const f = (keys) => Object.fromEntries(keys.map((k) => [`f:${k}`, {}]));
  return [
    {
      manager,
      operation: manager === 'kube-controller-manager' ? 'Update' : 'Apply',
      apiVersion: 'apps/v1',
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': f(['labels', 'annotations']), 'f:spec': f(['replicas', 'selector', 'template']) },
    },
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': f(['availableReplicas', 'conditions', 'observedGeneration', 'readyReplicas', 'replicas', 'terminatingReplicas', 'updatedReplicas']) },
      subresource: 'status',
    },
  ];
}

export class Cluster {
  constructor({ now = Date.now() / 1000 } = {}) {
    this.now = now;
    this.shardSets = [];
    /** The Flux Operator's FluxInstances (one per namespace, named `flux`). */
    this.instances = [];
    this.services = [];
    this.deployments = [];
    this.replicaSets = [];
    /** { object, behaviour, state }: the Pod as served, how its process behaves, where it is in its life. */
    this.pods = [];
    /** plural → objects */
    this.objects = new Map();
    this.namespaces = new Set();
    /** The cluster's resource version: every write takes the next. */
    this.rv = 1000;
    /** Deleted objects, `{ resource, object }` (the object as deleted, its resourceVersion that of the deletion), for watches. */
    this.tombstones = [];
    /** Watches from a resourceVersion below this answer 410 Gone (etcd compacted the history before it). */
    this.compactedRv = 0;
    this.ips = 0;
    /** Deployment uid → what its controller keeps: { app, selector, matchLabels, templateLabels, annotations, template, revision, current (ReplicaSet uid), progress, pendingRoll, seq } */
    this.workloads = new Map();
    /** Pods with a transition due (starting → running, terminating → gone). */
    this.timed = new Set();
  }

  nextRv() {
    return String(++this.rv);
  }

  /** Records the deletion of `object` (of the plural `resource`) for watches: it takes the next resourceVersion. */
  deleted(resource, object) {
    object.metadata.resourceVersion = this.nextRv();
    this.tombstones.push({ resource, object });
  }

  nextIp() {
    const n = this.ips++;
    return `10.244.${1 + Math.floor(n / 250)}.${(n % 250) + 2}`;
  }

  /**
   * A controller Deployment with one current ReplicaSet (and an older one for finished pods).
   * @param {object} o
   * @param {string} o.namespace
   * @param {string} o.name
   * @param {string} o.app       the controller (`source-controller`), its pods' `app` label and selector
   * @param {string|null} o.selector  the manager's --watch-label-selector (null: none)
   * @param {object[]} o.pods    pod behaviours
   * @param {object} [o.extraLabels]  merged into the labels, selector and pod labels (shards)
   * @param {object} [o.owner]   an owner reference (shards: the FluxShardSet)
   * @param {number} [o.metricsPort]  the metrics port (8080)
   * @param {string} [o.portName]  its name (`http-prom`)
   * @param {boolean} [o.annotatePort]  whether the pods carry `prometheus.io/port` (and `scrape`)
   * @param {'Recreate'|'RollingUpdate'} [o.strategy]  Flux's controllers are Recreate
   * @param {string} [o.podApp]  the `app` of its selector and pods (`<controller>-<shard>` for the Flux Operator's and hand-made shards)
   * @param {Record<string, string>} [o.labels]  its own labels instead of those `flux install` gives (the Flux Operator's)
   * @param {Record<string, string>} [o.templateLabels]  its pods' labels besides `app` (the install's by default)
   * @param {Record<string, string>} [o.annotations]  more annotations of the Deployment and its pod template (a shard's role)
   * @param {Record<string, string>} [o.deploymentAnnotations]  more annotations of the Deployment only (the Flux Operator's)
   * @param {string[]} [o.args]  the manager's flags instead of Flux's with `selector` appended
   * @param {string} [o.manager]  who applied it (its managed fields)
   */
  controller({
    namespace,
    name,
    app,
    selector,
    pods,
    extraLabels = {},
    owner,
    metricsPort = 8080,
    portName = 'http-prom',
    annotatePort = true,
    strategy = 'Recreate',
    podApp = app,
    labels: ownLabels,
    templateLabels: podLabels,
    annotations: extraAnnotations = {},
    deploymentAnnotations = {},
    args,
    manager,
  }) {
    this.namespaces.add(namespace);
    const c = controllerOf(app);
    // As Flux installs them: `app` only on the pods and as the selector; the shard set controller merges its labels into all three.
    const base = {
      'app.kubernetes.io/component': app,
      'app.kubernetes.io/instance': 'flux-system',
      'app.kubernetes.io/part-of': 'flux',
      'app.kubernetes.io/version': FLUX_VERSION,
      'control-plane': 'controller',
    };
    const labels = sorted({ ...(ownLabels ?? base), ...extraLabels });
    const matchLabels = sorted({ app: podApp, ...extraLabels });
    const templateLabels = sorted({ app: podApp, ...(podLabels ?? base), ...extraLabels });
    const uid = uuid(`deployment/${namespace}/${name}`);
    const specs = pods.map(pod);
    const live = specs.filter((p) => !finished(p.phase));
    const container = {
      name: 'manager',
      image: `ghcr.io/fluxcd/${app}:${c.version}`,
      args: args ?? managerArgs(app, selector),
      ports: [...c.ports, { name: portName, containerPort: metricsPort, protocol: 'TCP' }, { name: 'healthz', containerPort: 9440, protocol: 'TCP' }],
      env: [
        { name: 'RUNTIME_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
        ...c.env,
        { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { containerName: 'manager', resource: 'limits.cpu', divisor: '0' } } },
        { name: 'GOMEMLIMIT', valueFrom: { resourceFieldRef: { containerName: 'manager', resource: 'limits.memory', divisor: '0' } } },
      ],
      resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: c.cpu, memory: '64Mi' } },
      volumeMounts: c.volumes.map(([volume, mountPath]) => ({ name: volume, mountPath })),
      livenessProbe: probe('/healthz', 'healthz'),
      readinessProbe: probe(c.readiness.path, c.readiness.port),
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
    };
    const template = {
      volumes: c.volumes.map(([volume]) => ({ name: volume, emptyDir: {} })),
      containers: [container],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: GRACE,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: app,
      serviceAccount: app,
      securityContext: { fsGroup: 1337 },
      schedulerName: 'default-scheduler',
    };
    const annotations = sorted({ ...(annotatePort ? { 'prometheus.io/port': String(metricsPort), 'prometheus.io/scrape': 'true' } : {}), ...extraAnnotations });
    const revision = live.length < specs.length ? 2 : 1;
    const deployment = {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: {
        name,
        namespace,
        uid,
        resourceVersion: this.nextRv(),
        generation: revision,
        creationTimestamp: CREATED,
        labels,
        annotations: sorted({ 'deployment.kubernetes.io/revision': String(revision), ...deploymentAnnotations, ...extraAnnotations }),
        ...(owner ? { ownerReferences: [{ ...owner, blockOwnerDeletion: true }] } : {}),
        managedFields: workloadManagedFields(manager ?? (owner ? 'flux-shard-controller' : 'kustomize-controller'), CREATED),
      },
      spec: {
        replicas: live.length,
        selector: { matchLabels },
        template: { metadata: { labels: templateLabels, annotations }, spec: template },
        strategy: strategy === 'Recreate' ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {},
    };
    this.deployments.push(deployment);
    const workload = {
      app,
      selector,
      matchLabels,
      templateLabels,
      annotations,
      template,
      revision,
      metricsPort,
      current: /** @type {string | undefined} */ (undefined),
      progress: { since: START_TIME, complete: false, conditions: {} },
      seq: new Map(),
    };
    this.workloads.set(uid, workload);
    for (const current of [false, true]) {
      const group = specs.filter((p) => !finished(p.phase) === current);
      if (!current && group.length === 0) continue;
      const rs = this.replicaSet(deployment, {
        templateHash: hash(`${namespace}/${name}/template${current ? '' : '/old'}`, 10),
        revision: current ? revision : 1,
        replicas: current ? group.length : 0,
        created: START_TIME,
      });
      if (current) workload.current = rs.metadata.uid;
      group.forEach((p, i) => {
        const started = p.startedSecondsAgo === undefined ? START_TIME + i * 60 + p.restarts * 3600 : Math.floor(this.now - p.startedSecondsAgo);
        this.addPod(deployment, rs, p, { started, index: i });
      });
    }
    this.refresh(uid);
  }

  /** A ReplicaSet of `deployment` for its current template. */
  replicaSet(deployment, { templateHash, revision, replicas, created }) {
    const { name, namespace, uid } = deployment.metadata;
    const w = this.workloads.get(uid);
    const rsName = `${name}-${templateHash}`;
    const hashed = (labels) => sorted({ ...labels, 'pod-template-hash': templateHash });
    const rs = {
      kind: 'ReplicaSet',
      apiVersion: 'apps/v1',
      metadata: {
        name: rsName,
        namespace,
        uid: uuid(`replicaset/${namespace}/${rsName}`),
        resourceVersion: this.nextRv(),
        generation: 1,
        creationTimestamp: iso(created),
        labels: hashed(w.templateLabels),
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(deployment.spec.replicas),
          'deployment.kubernetes.io/max-replicas': String(deployment.spec.replicas + (deployment.spec.strategy.type === 'Recreate' ? 0 : Math.ceil(deployment.spec.replicas / 4))),
          'deployment.kubernetes.io/revision': String(revision),
        },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid, controller: true, blockOwnerDeletion: true }],
        managedFields: workloadManagedFields('kube-controller-manager', iso(created)),
      },
      spec: { replicas, selector: { matchLabels: hashed(w.matchLabels) }, template: { metadata: { labels: hashed(w.templateLabels), annotations: w.annotations }, spec: w.template } },
      status: { replicas: 0 },
    };
    this.replicaSets.push(rs);
    return rs;
  }

  /**
   * A pod of ReplicaSet `rs`, as the ReplicaSet controller creates it, the API server admits it (its
   * service account volume, tolerations, priority) and the kubelet reports it.
   * @param {any} deployment
   * @param {any} rs
   * @param {any} p  its behaviour (see `pod`)
   * @param {{started: number, index?: number, starting?: number}} o  created and started at `started`
   *        (seconds); `index` names it (else the next free name); `starting`: it runs but is not Ready
   *        and does not listen until then (sim seconds)
   */
  addPod(deployment, rs, p, { started, index, starting }) {
    const w = this.workloads.get(deployment.metadata.uid);
    const seq = index ?? (w.seq.get(rs.metadata.uid) ?? rs.spec.replicas) + 1;
    w.seq.set(rs.metadata.uid, Math.max(seq, w.seq.get(rs.metadata.uid) ?? 0));
    const rsName = rs.metadata.name;
    const name = `${rsName}-${hash(`${rsName}/${seq}`, 5)}`;
    const tokenVolume = `kube-api-access-${hash(`${name}/token`, 5)}`;
    const [container] = w.template.containers;
    const phase = p.phase;
    const running = phase === 'Running';
    const object = {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: {
        name,
        generateName: `${rsName}-`,
        namespace: deployment.metadata.namespace,
        uid: uuid(`pod/${deployment.metadata.namespace}/${name}`),
        resourceVersion: this.nextRv(),
        generation: 1,
        creationTimestamp: iso(started),
        labels: rs.spec.template.metadata.labels,
        annotations: rs.spec.template.metadata.annotations,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }],
        managedFields: (rs.podManagedFields ??= podManagedFields(rs.metadata.uid, rs.metadata.creationTimestamp)),
      },
      spec: {
        volumes: [...w.template.volumes, { name: tokenVolume, projected: { sources: SERVICE_ACCOUNT_SOURCES, defaultMode: 420 } }],
        containers: [{ ...container, volumeMounts: [...container.volumeMounts, { name: tokenVolume, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }],
        restartPolicy: w.template.restartPolicy,
        terminationGracePeriodSeconds: w.template.terminationGracePeriodSeconds,
        dnsPolicy: w.template.dnsPolicy,
        serviceAccountName: w.template.serviceAccountName,
        serviceAccount: w.template.serviceAccount,
        nodeName: NODE.name,
        securityContext: w.template.securityContext,
        schedulerName: w.template.schedulerName,
        tolerations: TOLERATIONS,
        priority: 0,
        enableServiceLinks: true,
        preemptionPolicy: 'PreemptLowerPriority',
      },
      status: {},
    };
    const state = {
      deployment: deployment.metadata.uid,
      rs: rs.metadata.uid,
      // A pod that has run keeps its IP; a Pending one has none yet, an evicted one none any more.
      ip: running ? this.nextIp() : undefined,
      created: started,
      containerStarted: started,
      life: finished(phase) ? 'finished' : phase === 'Pending' ? 'pending' : starting !== undefined ? 'starting' : 'running',
      readyAt: starting,
      conditions: {},
      containerId: `containerd://${digest(`${name}/0`)}`,
    };
    const b = { ...p, app: w.app, metricsPort: w.metricsPort, startTime: started, selector: w.selector, lease: leaseName(w.app, w.selector), maxConcurrent: controllerOf(w.app).concurrent };
    const record = { object, behaviour: b, state };
    this.pods.push(record);
    if (starting !== undefined) this.timed.add(record);
    this.renderStatus(record, started);
    return record;
  }

  /** Whether the pod's readiness probe passes: its process serves, and source-controller's artifact server runs only on the leader. */
  isReady(record) {
    const { behaviour: b, state: s } = record;
    if (s.life !== 'running' || b.phase !== 'Running') return false;
    return controllerOf(b.app).readiness.port !== 'http' || (b.leader !== false && !b.standby);
  }

  /**
   * What listens on `port` of the pod: 'metrics' (its metrics server), 'healthz', 'artifacts'
   * (source-controller's artifact server, on the leader), 'http' (another server of the controller),
   * or null (connection refused: not started yet, terminating, or no such port).
   */
  listener(record, port) {
    const { behaviour: b, state: s } = record;
    if (!s.ip || b.phase !== 'Running' || s.life === 'terminating') return null;
    if (port === 9440) return 'healthz';
    if (s.life !== 'running') return null;
    if (port === b.metricsPort) return 'metrics';
    const declared = record.object.spec.containers[0].ports.find((p) => p.containerPort === port);
    if (!declared) return null;
    if (b.app === 'source-controller' && declared.name === 'http') return b.leader !== false && !b.standby ? 'artifacts' : null;
    return 'http';
  }

  /** Writes the pod's status as the kubelet reports it now (conditions keep when they last changed). */
  renderStatus(record, now) {
    const { object, behaviour: b, state: s } = record;
    const ready = this.isReady(record);
    const pending = s.life === 'pending';
    const done = s.life === 'finished';
    const stopped = s.life === 'terminating' || done;
    const notReady = done ? { reason: 'PodFailed' } : { reason: 'ContainersNotReady', message: 'containers with unready status: [manager]' };
    const condition = (type, ok, why = {}) => {
      const status = ok ? 'True' : 'False';
      const seen = s.conditions[type];
      if (!seen || seen.status !== status) s.conditions[type] = { status, at: seen ? now : type === 'Ready' || type === 'ContainersReady' ? s.containerStarted : s.created };
      return { type, status, lastProbeTime: null, lastTransitionTime: iso(s.conditions[type].at), ...(ok ? {} : why) };
    };
    const evicted = b.reason === 'Evicted';
    const message = evicted ? 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki.' : undefined;
    const conditions = [
      ...(evicted ? [{ type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: iso(s.created + 3600), reason: 'TerminationByKubelet', message }] : []),
      condition('PodReadyToStartContainers', !pending && !done),
      condition('Initialized', true),
      condition('Ready', ready, notReady),
      condition('ContainersReady', ready, notReady),
      condition('PodScheduled', true),
    ];
    const [container] = object.spec.containers;
    const imageID = (imageIds[container.image] ??= `${container.image.replace(/:[^:/]+$/, '')}@sha256:${digest(container.image)}`);
    const containerState = pending
      ? { waiting: { reason: 'ContainerCreating' } }
      : stopped
        ? {
            terminated: {
              exitCode: done ? 137 : 0,
              reason: done ? 'Error' : 'Completed',
              startedAt: iso(s.containerStarted),
              finishedAt: iso(s.stoppedAt ?? s.created + 3600),
              containerID: s.containerId,
            },
          }
        : { running: { startedAt: iso(s.containerStarted) } };
    object.status = {
      phase: b.phase,
      conditions,
      ...(b.reason ? { message, reason: b.reason } : {}),
      hostIP: NODE.ip,
      hostIPs: [{ ip: NODE.ip }],
      ...(s.ip ? { podIP: s.ip, podIPs: [{ ip: s.ip }] } : {}),
      startTime: iso(s.created),
      containerStatuses: [
        {
          name: container.name,
          state: containerState,
          lastState: s.lastState ?? {},
          ready,
          restartCount: b.restarts,
          image: container.image,
          imageID: pending ? '' : imageID,
          ...(pending ? {} : { containerID: s.containerId }),
          started: !pending && !stopped,
        },
      ],
      qosClass: 'Burstable',
    };
    object.metadata.resourceVersion = this.nextRv();
  }

  /** The pods of Deployment `uid` (of all its ReplicaSets). */
  podsOf(uid) {
    return this.pods.filter((p) => p.state.deployment === uid);
  }

  /** Writes the statuses of Deployment `uid` and its ReplicaSets as kube-controller-manager computes them from the pods. */
  refresh(uid, now = this.now) {
    const deployment = this.deployments.find((d) => d.metadata.uid === uid);
    const w = this.workloads.get(uid);
    const sets = this.replicaSets.filter((rs) => rs.metadata.ownerReferences[0].uid === uid);
    const pods = this.podsOf(uid);
    let replicas = 0;
    let updated = 0;
    let available = 0;
    let terminating = 0;
    let desired = 0;
    for (const rs of sets) {
      const mine = pods.filter((p) => p.state.rs === rs.metadata.uid);
      const active = mine.filter((p) => !['finished', 'terminating'].includes(p.state.life));
      const ready = active.filter((p) => this.isReady(p)).length;
      const gone = mine.filter((p) => p.state.life === 'terminating').length;
      const status = omitZeros(
        { replicas: active.length, fullyLabeledReplicas: active.length, readyReplicas: ready, availableReplicas: ready, terminatingReplicas: gone, observedGeneration: rs.metadata.generation },
        ['replicas', 'terminatingReplicas'],
      );
      if (JSON.stringify(status) !== JSON.stringify(rs.status)) {
        rs.status = status;
        rs.metadata.resourceVersion = this.nextRv();
      }
      replicas += active.length;
      if (rs.metadata.uid === w.current) updated += active.length;
      available += ready;
      terminating += gone;
      desired += rs.spec.replicas;
    }
    const want = deployment.spec.replicas;
    const currentName = sets.find((rs) => rs.metadata.uid === w.current)?.metadata.name ?? sets.at(-1)?.metadata.name;
    if (!w.pendingRoll && updated === want && available === want && replicas === want) w.progress.complete = true;
    const maxUnavailable = deployment.spec.strategy.type === 'Recreate' ? 0 : Math.floor(want / 4);
    const condition = (type, status, reason, message) => {
      const seen = w.progress.conditions[type];
      const at = seen ? now : w.progress.since;
      const changed = !seen || seen.status !== status;
      const updatedAt = !seen || changed || seen.reason !== reason ? at : seen.updated;
      w.progress.conditions[type] = { status, reason, at: changed ? at : seen.at, updated: updatedAt };
      return { type, status, lastUpdateTime: iso(updatedAt), lastTransitionTime: iso(w.progress.conditions[type].at), reason, message };
    };
    const conditions = [
      available >= want - maxUnavailable
        ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
        : condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'),
      w.progress.complete
        ? condition('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${currentName}" has successfully progressed.`)
        : now - w.progress.since <= deployment.spec.progressDeadlineSeconds
          ? condition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${currentName}" is progressing.`)
          : condition('Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${currentName}" has timed out progressing.`),
    ];
    const status = {
      observedGeneration: deployment.metadata.generation,
      ...omitZeros({ replicas, updatedReplicas: updated, readyReplicas: available, availableReplicas: available, unavailableReplicas: Math.max(0, desired - available) }),
      terminatingReplicas: terminating,
      conditions,
    };
    if (JSON.stringify(status) !== JSON.stringify(deployment.status)) {
      deployment.status = status;
      deployment.metadata.resourceVersion = this.nextRv();
    }
  }

  /**
   * Deletes a pod as the API server and the kubelet do: `deletionTimestamp` (now + its grace period),
   * its process told to stop (it exits at once: its ports close, it is no longer Ready, its counters
   * stop at `t`), gone `seconds` later (sim seconds; Infinity: until the end).
   */
  terminate(record, now, t, seconds = TERMINATING_SECONDS) {
    const { object, state: s, behaviour: b } = record;
    if (s.life === 'terminating') return;
    object.metadata.deletionTimestamp = iso(Math.floor(now) + GRACE);
    object.metadata.deletionGracePeriodSeconds = GRACE;
    object.metadata.generation += 1;
    // Key order as the API server writes ObjectMeta: deletionTimestamp after creationTimestamp.
    const { name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, ...rest } = object.metadata;
    object.metadata = { name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, ...rest };
    if (s.life === 'finished' || s.life === 'pending') {
      // Nothing runs: the kubelet confirms the deletion at once.
      this.pods = this.pods.filter((p) => p !== record);
      this.deleted('pods', object);
      return;
    }
    s.life = 'terminating';
    s.stoppedAt = Math.floor(now);
    s.goneAt = t + seconds;
    b.stoppedAt = t;
    this.timed.add(record);
    this.renderStatus(record, Math.floor(now));
  }

  /**
   * Moves pods along (sim seconds `t`, wall seconds `now`): terminating pods whose time is up are
   * gone, starting pods become Ready and serve, and a Recreate rollout whose old pods are all gone
   * gets its new ReplicaSet and pods.
   */
  settle(t, now) {
    const touched = new Set();
    for (const record of [...this.timed]) {
      const s = record.state;
      if (s.life === 'terminating' && s.goneAt <= t) {
        this.pods = this.pods.filter((p) => p !== record);
        this.deleted('pods', record.object);
        this.timed.delete(record);
        touched.add(s.deployment);
      } else if (s.life === 'starting' && s.readyAt <= t) {
        s.life = 'running';
        this.timed.delete(record);
        this.renderStatus(record, Math.floor(now));
        touched.add(s.deployment);
      }
    }
    for (const [uid, w] of this.workloads) {
      if (w.pendingRoll && !this.podsOf(uid).some((p) => p.state.life !== 'finished')) {
        this.rollOut(uid, w.pendingRoll, now, t);
        touched.add(uid);
      }
    }
    for (const uid of touched) this.refresh(uid, now);
  }

  /** Creates a rollout's new ReplicaSet and pods (processes starting now, counters from zero). */
  rollOut(uid, { behaviours, startingSeconds }, now, t) {
    const deployment = this.deployments.find((d) => d.metadata.uid === uid);
    const w = this.workloads.get(uid);
    w.pendingRoll = undefined;
    const templateHash = hash(`${deployment.metadata.namespace}/${deployment.metadata.name}/template/${w.revision}`, 10);
    const rs = this.replicaSet(deployment, { templateHash, revision: w.revision, replicas: behaviours.length, created: Math.floor(now) });
    w.current = rs.metadata.uid;
    behaviours.forEach((before, i) => {
      const starting = startingSeconds > 0 ? t + startingSeconds : undefined;
      const { stoppedAt, startTime, epoch, ...rest } = before;
      this.addPod(deployment, rs, { ...rest, restarts: 0, epoch: starting ?? t }, { started: Math.floor(now), index: i, starting });
    });
  }

  /**
   * Rolls Deployment `namespace/name` as the Deployment controller does on a template change: a new
   * revision; with Recreate (Flux's strategy) the old ReplicaSet is scaled to zero and kept, its pods
   * terminate, and only once they are gone the new ReplicaSet's pods are created (RollingUpdate: at
   * once). The new pods' processes start then, counters at zero; with `startingSeconds` they run
   * that long before they are Ready and listen. Returns the behaviours of the pods it stopped.
   */
  roll(namespace, name, now, t, { startingSeconds = 0, terminatingSeconds = TERMINATING_SECONDS } = {}) {
    const deployment = this.deployments.find((d) => d.metadata.namespace === namespace && d.metadata.name === name);
    if (!deployment) throw new Error(`no Deployment ${namespace}/${name}`);
    const uid = deployment.metadata.uid;
    const w = this.workloads.get(uid);
    const current = this.replicaSets.find((rs) => rs.metadata.uid === w.current);
    const old = this.podsOf(uid).filter((p) => p.state.rs === current.metadata.uid && !['finished', 'terminating'].includes(p.state.life));
    deployment.metadata.generation += 1;
    w.revision =
      Math.max(w.revision, ...this.replicaSets.filter((rs) => rs.metadata.ownerReferences[0].uid === uid).map((rs) => Number(rs.metadata.annotations['deployment.kubernetes.io/revision']))) + 1;
    deployment.metadata.annotations = { ...deployment.metadata.annotations, 'deployment.kubernetes.io/revision': String(w.revision) };
    w.progress = { since: Math.floor(now), complete: false, conditions: w.progress.conditions };
    current.spec.replicas = 0;
    current.metadata.generation += 1;
    const behaviours = old.map((p) => p.behaviour);
    for (const p of old) this.terminate(p, now, t, terminatingSeconds);
    w.pendingRoll = { behaviours, startingSeconds };
    if (deployment.spec.strategy.type !== 'Recreate' || terminatingSeconds <= 0) this.rollOut(uid, w.pendingRoll, now, t);
    this.settle(t, now);
    this.refresh(uid, now);
    return behaviours;
  }

  /**
   * Deletes pod `name` (as `kubectl delete pod` does): it terminates (see `terminate`); if it held
   * the lease, a standby of its Deployment takes it over (its controllers start, counters from zero);
   * its ReplicaSet creates a replacement at once (terminating pods are not its replicas), which
   * starts for `startingSeconds`, then serves: as the leader if nobody else is, else as a standby.
   * Returns the stopped pod's behaviour.
   */
  deletePod(name, now, t, { terminatingSeconds = TERMINATING_SECONDS, startingSeconds = 0 } = {}) {
    const record = this.pods.find((p) => p.object.metadata.name === name);
    if (!record) throw new Error(`no pod ${name}`);
    const { deployment: uid, rs: rsUid } = record.state;
    const deployment = this.deployments.find((d) => d.metadata.uid === uid);
    const rs = this.replicaSets.find((r) => r.metadata.uid === rsUid);
    const b = record.behaviour;
    const wasLive = !['finished', 'terminating'].includes(record.state.life);
    const led = wasLive && b.leader !== false && !b.standby && b.phase === 'Running';
    this.terminate(record, now, t, terminatingSeconds);
    let leaderFound = !led;
    if (led) {
      const heir = this.podsOf(uid).find((p) => p !== record && p.state.life === 'running' && p.behaviour.standby);
      if (heir) {
        Object.assign(heir.behaviour, { leader: true, standby: false, reconciles: b.reconciles, queueDepth: b.queueDepth, epoch: t });
        this.renderStatus(heir, Math.floor(now));
        leaderFound = true;
      }
    }
    if (wasLive && rs.spec.replicas > 0) {
      const starting = startingSeconds > 0 ? t + startingSeconds : undefined;
      const role = leaderFound ? { leader: false, standby: true, reconciles: {}, queueDepth: undefined } : { leader: true, standby: false };
      const { stoppedAt, startTime, epoch, phase, reason, ...rest } = b;
      this.addPod(deployment, rs, { ...rest, ...role, phase: 'Running', restarts: 0, epoch: starting ?? t }, { started: Math.floor(now), starting });
    }
    this.refresh(uid, now);
    return b;
  }

  /** A pod's container restarted (its process exited and the kubelet ran it again): same pod, a new process. */
  restarted(record, now) {
    const s = record.state;
    s.lastState = { terminated: { exitCode: 2, reason: 'Error', startedAt: iso(s.containerStarted), finishedAt: iso(Math.floor(now)), containerID: s.containerId } };
    s.containerStarted = Math.floor(now);
    record.behaviour.restarts += 1;
    s.containerId = `containerd://${digest(`${record.object.metadata.name}/${record.behaviour.restarts}`)}`;
    this.renderStatus(record, Math.floor(now));
    this.refresh(s.deployment, now);
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
   * @param {boolean} [o.suspend]  spec.suspend
   * @param {Array<{name: string, pods: object[], selector?: string|null}>} [o.strangers]  Deployments of a shard's name that the controller did not make
   * @param {number} [o.metricsPort] @param {string} [o.portName] @param {boolean} [o.annotatePort]  the controllers' metrics port (see `controller`)
   */
  shardSet({ namespace, name, source, shards, generation = 1, observedGeneration = generation, ready, suspend, strangers = [], metricsPort, portName, annotatePort }) {
    const port = { metricsPort, portName, annotatePort };
    for (const k of Object.keys(port)) if (port[k] === undefined) delete port[k];
    const uid = uuid(`fluxshardset/${namespace}/${name}`);
    this.controller({ namespace, name: source.app, app: source.app, selector: source.selector === undefined ? `!${SHARD_KEY}` : source.selector, pods: source.pods, ...port });
    // The source's Services as Flux installs them; flux-shard-controller (v0.1) clones the Deployment only.
    this.controllerServices(namespace, source.app);
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
    const apiVersion = 'templates.weave.works/v1alpha1';
    this.shardSets.push(
      sortKeys({
        apiVersion,
        kind: 'FluxShardSet',
        metadata: {
          name,
          namespace,
          uid,
          creationTimestamp: CREATED,
          generation,
          resourceVersion: this.nextRv(),
          managedFields: [
            {
              manager: 'kustomize-controller',
              operation: 'Apply',
              apiVersion,
              time: CREATED,
              fieldsType: 'FieldsV1',
              fieldsV1: { 'f:spec': { 'f:shards': {}, 'f:sourceDeploymentRef': { 'f:name': {} } } },
            },
            {
              manager: 'flux-shard-controller',
              operation: 'Update',
              apiVersion,
              time: CREATED,
              fieldsType: 'FieldsV1',
              fieldsV1: { 'f:status': { 'f:conditions': {}, 'f:inventory': {}, 'f:observedGeneration': {} } },
              subresource: 'status',
            },
          ],
        },
        spec: { sourceDeploymentRef: { name: source.app }, shards: shards.map((s) => ({ name: s.name })), ...(suspend ? { suspend: true } : {}) },
        status: {
          observedGeneration,
          conditions: [
            {
              type: 'Ready',
              lastTransitionTime: CREATED,
              observedGeneration,
              ...(ready ?? { status: 'True', reason: 'ReconciliationSucceeded', message: `${inventory.length} shard(s) created` }),
            },
          ],
          ...(inventory.length > 0 ? { inventory: { entries: inventory } } : {}),
        },
      }),
    );
  }

  /**
   * A Service as the API server returns it (a ClusterIP, its families and policies filled in).
   * @param {object} o
   * @param {string} o.namespace @param {string} o.name
   * @param {string} o.app  the `app` it selects
   * @param {string} o.targetPort  the named container port it forwards port 80 to
   * @param {Record<string, string>} o.labels
   * @param {Record<string, string>} [o.annotations]
   * @param {string} [o.manager]  who applied it
   */
  service({ namespace, name, app, targetPort, labels, annotations, manager = 'kustomize-controller' }) {
    if (this.services.some((s) => s.metadata.namespace === namespace && s.metadata.name === name)) return;
    this.namespaces.add(namespace);
    const h = parseInt(digest(`service/${namespace}/${name}`).slice(0, 4), 16);
    const clusterIP = `10.96.${h >> 8}.${h & 255 || 1}`;
    this.services.push({
      kind: 'Service',
      apiVersion: 'v1',
      metadata: {
        name,
        namespace,
        uid: uuid(`service/${namespace}/${name}`),
        resourceVersion: this.nextRv(),
        creationTimestamp: CREATED,
        labels: sorted(labels),
        ...(annotations ? { annotations: sorted(annotations) } : {}),
        managedFields: [
          {
            manager,
            operation: 'Apply',
            apiVersion: 'v1',
            time: CREATED,
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:metadata': { 'f:labels': {} }, 'f:spec': { 'f:ports': {}, 'f:selector': {}, 'f:type': {} } },
          },
        ],
      },
      spec: {
        ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort }],
        selector: { app },
        clusterIP,
        clusterIPs: [clusterIP],
        type: 'ClusterIP',
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: {} },
    });
  }

  /**
   * The Services of controller `app` (source-controller's artifact server, notification-controller's
   * two), the first named after `name` (its Deployment: `<controller>-<shard>` for a shard), selecting its pods (`app: <name>`).
   * @param {string} namespace @param {string} app
   * @param {{name?: string, labels?: Record<string, string>, annotations?: Record<string, string>, manager?: string}} [o]
   */
  controllerServices(namespace, app, { name = app, labels, annotations, manager } = {}) {
    for (const [suffix, targetPort] of SERVICES[app] ?? []) {
      const base = {
        'app.kubernetes.io/component': app,
        'app.kubernetes.io/instance': 'flux-system',
        'app.kubernetes.io/part-of': 'flux',
        'app.kubernetes.io/version': FLUX_VERSION,
        'control-plane': 'controller',
      };
      this.service({ namespace, name: suffix || name, app: name, targetPort, labels: labels ?? base, annotations, manager });
    }
  }

  /**
   * A FluxInstance (`fluxcd.controlplane.io/v1`, always named `flux`) and what the Flux Operator renders of
   * it: each component's Deployment as Flux's manifests shape it with the operator's labels and
   * annotations; with `sharding`, the main controllers of the sharded components watch
   * `--watch-label-selector=!<key>` (appended), and each shard is a kustomize overlay (`nameSuffix:
   * -<shard>`, annotation `sharding.fluxcd.io/role: shard`, selector and pod label `app:
   * <controller>-<shard>`, `--watch-label-selector=<key>=<shard>` appended; for source-controller a Service
   * `source-controller-<shard>` and a second `--storage-adv-addr` naming it, after the main one). Shards
   * reuse the main ServiceAccount and have no owner reference.
   * @param {object} o
   * @param {string} o.namespace
   * @param {Array<{app: string, pods: object[], shards?: Record<string, object[]>}>} o.components  in `spec.components` order; `shards`: the pods of each shard Deployment rendered so far
   * @param {{key?: string, shards: string[]}} [o.sharding]  `spec.sharding` (`key` left out: the default)
   * @param {{status: string, reason: string, message: string}} [o.ready]  its Ready condition (True, "Reconciliation finished in 38s" by default)
   * @param {boolean} [o.reconciling]  the operator is at work on the latest spec (Reconciling=True)
   * @param {number} [o.generation]  metadata.generation; the Ready condition's observedGeneration is `observedGeneration`
   * @param {number} [o.observedGeneration]
   * @param {string[]} [o.deletedServices]  Services its `spec.kustomize.patches` delete (`$patch: delete`)
   */
  fluxInstance({ namespace, components, sharding, ready, reconciling = false, generation = 1, observedGeneration = generation, deletedServices = [] }) {
    this.namespaces.add(namespace);
    const key = sharding?.key ?? SHARD_KEY;
    const sharded = ['source-controller', 'kustomize-controller', 'helm-controller', 'image-reflector-controller', 'image-automation-controller', 'source-watcher'];
    /** @type {string[]} */
    const inventory = [];
    const common = { namespace, manager: 'flux-operator', deploymentAnnotations: OPERATOR_ANNOTATIONS };
    for (const { app, pods, shards = {} } of components) {
      const shardable = sharding !== undefined && sharded.includes(app);
      const labels = operatorLabels(namespace, app);
      const podLabels = { 'app.kubernetes.io/component': app, 'control-plane': 'controller' };
      const mainSelector = shardable ? `!${key}` : null;
      this.controller({ ...common, name: app, app, selector: mainSelector, pods, labels, templateLabels: podLabels, args: managerArgs(app, mainSelector) });
      inventory.push(`${namespace}_${app}_apps_Deployment`, `${namespace}_${app}__ServiceAccount`);
      for (const [suffix] of SERVICES[app] ?? []) {
        const name = suffix || app;
        if (!deletedServices.includes(name)) inventory.push(`${namespace}_${name}__Service`);
      }
      this.controllerServices(namespace, app, { labels, annotations: OPERATOR_ANNOTATIONS, manager: 'flux-operator' });
      if (!shardable) continue;
      for (const [shard, shardPods] of Object.entries(shards)) {
        const name = `${app}-${shard}`;
        const selector = `${key}=${shard}`;
        const args = installedArgs(app);
        if (app === 'source-controller') args.push(storageAddr(name));
        args.push(`--watch-label-selector=${selector}`);
        this.controller({ ...common, name, app, podApp: name, selector, pods: shardPods, labels, templateLabels: podLabels, annotations: ROLE, args });
        inventory.push(`${namespace}_${name}_apps_Deployment`);
        if (SERVICES[app] && app === 'source-controller' && !deletedServices.includes(name)) {
          this.controllerServices(namespace, app, { name, labels, annotations: { ...OPERATOR_ANNOTATIONS, ...ROLE }, manager: 'flux-operator' });
          inventory.push(`${namespace}_${name}__Service`);
        }
      }
    }
    inventory.push(
      `${namespace}_allow-egress_networking.k8s.io_NetworkPolicy`,
      `${namespace}_allow-scraping_networking.k8s.io_NetworkPolicy`,
      `${namespace}_allow-webhooks_networking.k8s.io_NetworkPolicy`,
    );
    const apiVersion = 'fluxcd.controlplane.io/v1';
    const revision = `${FLUX_VERSION}@sha256:${digest(`${namespace}/flux/${FLUX_VERSION}`)}`;
    const condition = (type, c) => ({ type, lastTransitionTime: CREATED, observedGeneration, ...c });
    const patches = deletedServices.map((name) => ({ target: { kind: 'Service', name }, patch: '$patch: delete\napiVersion: v1\nkind: Service\nmetadata:\n  name: all\n' }));
    this.instances.push(
      sortKeys({
        apiVersion,
        kind: 'FluxInstance',
        metadata: {
          name: 'flux',
          namespace,
          uid: uuid(`fluxinstance/${namespace}/flux`),
          creationTimestamp: CREATED,
          generation,
          resourceVersion: this.nextRv(),
          annotations: { 'fluxcd.controlplane.io/reconcileEvery': '1h', 'fluxcd.controlplane.io/reconcileTimeout': '5m' },
          finalizers: ['fluxcd.controlplane.io/finalizer'],
          managedFields: [
            { manager: 'kubectl', operation: 'Apply', apiVersion, time: CREATED, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:components': {}, 'f:distribution': {}, 'f:sharding': {} } } },
            {
              manager: 'flux-operator',
              operation: 'Update',
              apiVersion,
              time: CREATED,
              fieldsType: 'FieldsV1',
              fieldsV1: { 'f:status': { 'f:components': {}, 'f:conditions': {}, 'f:inventory': {}, 'f:lastAppliedRevision': {} } },
              subresource: 'status',
            },
          ],
        },
        spec: {
          distribution: { artifact: 'oci://ghcr.io/controlplaneio-fluxcd/flux-operator-manifests', registry: 'ghcr.io/fluxcd', version: '2.9.x' },
          components: components.map((c) => c.app),
          cluster: { domain: 'cluster.local', multitenant: false, networkPolicy: true, type: 'kubernetes' },
          ...(sharding ? { sharding: { ...(sharding.key ? { key: sharding.key } : {}), shards: sharding.shards, storage: 'ephemeral' } } : {}),
          ...(patches.length > 0 ? { kustomize: { patches } } : {}),
          migrateResources: true,
          wait: true,
        },
        status: {
          conditions: [
            condition(
              'Ready',
              ready ??
                (reconciling
                  ? { status: 'Unknown', reason: 'Progressing', message: 'Reconciliation in progress' }
                  : { status: 'True', reason: 'ReconciliationSucceeded', message: 'Reconciliation finished in 38s' }),
            ),
            ...(reconciling ? [condition('Reconciling', { status: 'True', reason: 'Progressing', message: 'Reconciliation in progress' })] : []),
          ],
          components: components.map(({ app }) => ({
            name: app,
            repository: `ghcr.io/fluxcd/${app}`,
            tag: controllerOf(app).version,
            digest: `sha256:${digest(`ghcr.io/fluxcd/${app}:${controllerOf(app).version}`)}`,
          })),
          inventory: { entries: inventory.sort().map((id) => ({ id, v: 'v1' })) },
          lastAppliedRevision: revision,
          lastArtifactRevision: `sha256:${digest(`${namespace}/flux/artifact`)}`,
          lastAttemptedRevision: revision,
        },
      }),
    );
  }

  /**
   * One controller sharded by hand, as Flux's sharding guide writes it over the bootstrap's
   * gotk-components.yaml: the main Deployment gets `--watch-label-selector=<mainSelector>` **inserted as
   * its first arg** (a patch with `annotationSelector: "!sharding.fluxcd.io/role"`); each shard is an
   * overlay (`nameSuffix: -<shard>`, `commonAnnotations: sharding.fluxcd.io/role: shard`, the `app`
   * labels set to `<controller>-<shard>`, `--watch-label-selector=sharding.fluxcd.io/key=<shard>` appended;
   * for source-controller `--storage-adv-addr` replaced by its own and its Service `source-controller-<shard>`).
   * @param {object} o
   * @param {string} o.namespace @param {string} o.app
   * @param {string} [o.mainSelector]  `!sharding.fluxcd.io/key`, or a legacy `sharding.fluxcd.io/key notin (shard1, shard2)`
   * @param {object[]} o.pods  the main controller's pods
   * @param {Array<{name: string, pods: object[]}>} o.shards
   */
  manualShards({ namespace, app, mainSelector = `!${SHARD_KEY}`, pods, shards }) {
    this.controller({ namespace, name: app, app, selector: mainSelector, pods, args: [`--watch-label-selector=${mainSelector}`, ...installedArgs(app)] });
    this.controllerServices(namespace, app);
    for (const shard of shards) {
      const name = `${app}-${shard.name}`;
      const selector = `${SHARD_KEY}=${shard.name}`;
      const args = installedArgs(app).map((a) => (app === 'source-controller' && a.startsWith('--storage-adv-addr=') ? storageAddr(name) : a));
      args.push(`--watch-label-selector=${selector}`);
      this.controller({ namespace, name, app, podApp: name, selector, pods: shard.pods, annotations: ROLE, args });
      if (app === 'source-controller') this.controllerServices(namespace, app, { name, annotations: ROLE });
    }
  }

  /** Flux objects of `kind` (see `FluxObjectSpec` of flux.mjs). */
  fluxObjects(kind, list) {
    const { plural } = fluxKind(kind);
    const objects = this.objects.get(plural) ?? [];
    for (const o of list) {
      this.namespaces.add(o.namespace);
      objects.push(renderFluxObject(kind, o, this.nextRv()));
    }
    this.objects.set(plural, objects);
  }
}
