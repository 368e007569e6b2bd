// @ts-check
// The real cluster's scenario: a source-controller installed as Flux installs it, sharded by a
// FluxShardSet into three shards, and Flux objects labelled for the source, shard1 and shard2
// (none for shard3, which is then idle) and for a key no shard serves (orphaned). shard1 has only
// HelmRepositories (ok); the source and shard2 also have failing GitRepositories (erroring).
//
//   node tests/real-cluster/scenario.mjs install VERSION   # the Flux install: a JSON List for kubectl apply -f -
//   node tests/real-cluster/scenario.mjs objects           # the shard set and the Flux objects
//   node tests/real-cluster/scenario.mjs instance          # the FluxInstance (the Flux Operator renders its Deployments)
//   node tests/real-cluster/scenario.mjs group-objects     # the Flux objects of the FluxInstance's and the hand-made groups
//   node tests/real-cluster/scenario.mjs describe          # scenario.json: namespace, shard set, shards, objects per key, groups
//
// Besides the FluxShardSet of flux-system, three more shard groups, each in a namespace of its own and
// each watching only it (--watch-all-namespaces=false), made the other ways Flux is sharded:
// - flux-operated: the Flux Operator's FluxInstance `flux` with spec.sharding (a custom key, two shards)
//   over source-, kustomize- and helm-controller (helm-controller cannot run here: its pods wait with
//   ErrImagePull, as without its image). HelmRepositories (main, shard1) reconcile; shard2's GitRepository
//   errors; a HelmChart of shard2 whose HelmRepository is shard1's (a dependency split across shards); a
//   HelmRelease of shard1 whose chart template lacks the key; Kustomizations per key (their sources are
//   not ready); one Kustomization whose key names no shard (orphaned: the main controller's `!key`
//   leaves it to nobody).
// - flux-manual: kustomize-controller sharded by hand as the Flux docs' sharding guide writes it
//   (manual/current, applied with kubectl's kustomize), two shards, `!key` main, one orphaned object.
// - flux-legacy: the same by the older guide, whose main controller excludes `notin (shard1)` while a
//   shard2 exists: it reconciles shard2's objects too (overlapping), and a key that names no shard.
//
// HelmRepositories point at the chart server (chart-server.mjs), so they reconcile successfully
// offline; GitRepositories point at an address of the pod CIDR where nothing listens, so every
// reconciliation is a real error ("connection refused").

export const NAMESPACE = 'flux-system';
export const SOURCE = 'source-controller';
export const SHARD_SET = 'source-controller-shardset';
export const SHARDS = ['shard1', 'shard2', 'shard3'];
export const KEY = 'sharding.fluxcd.io/key';
export const CHART_SERVER = 'http://10.244.0.250:8080/';
export const DEAD_GIT = 'http://10.244.0.251/unreachable/repository.git';

/** Objects per key ('' = no key: the source's); `shard9` names no shard. */
const OBJECTS = {
  '': [
    ['HelmRepository', 'team-a', 'charts-main'],
    ['HelmRepository', 'team-b', 'charts-main'],
    ['GitRepository', 'team-a', 'app-main'],
  ],
  shard1: [
    ['HelmRepository', 'team-a', 'charts-shard1'],
    ['HelmRepository', 'team-b', 'charts-shard1'],
    ['HelmRepository', 'team-b', 'charts-shard1-extra'],
  ],
  shard2: [
    ['HelmRepository', 'team-a', 'charts-shard2'],
    ['GitRepository', 'team-a', 'app-shard2'],
    ['GitRepository', 'team-b', 'app-shard2'],
  ],
  shard9: [
    ['HelmRepository', 'team-b', 'charts-orphan'],
    ['GitRepository', 'team-b', 'app-orphan'],
  ],
};

const fluxLabels = (version) => ({
  'app.kubernetes.io/component': SOURCE,
  'app.kubernetes.io/instance': NAMESPACE,
  'app.kubernetes.io/part-of': 'flux',
  'app.kubernetes.io/version': version,
  'control-plane': 'controller',
});

/** source-controller as Flux's install manifests shape it (FLUX-FACTS), 2 replicas with leader election. */
export function install(version) {
  const labels = fluxLabels(version);
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE, labels: { 'app.kubernetes.io/instance': NAMESPACE, 'app.kubernetes.io/part-of': 'flux' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SOURCE, namespace: NAMESPACE, labels } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: SOURCE, namespace: NAMESPACE, labels: { ...labels, 'control-plane': 'controller' } },
      spec: { type: 'ClusterIP', selector: { app: SOURCE }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: SOURCE, namespace: NAMESPACE, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: SOURCE } },
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels: { app: SOURCE, ...labels }, annotations: { 'prometheus.io/port': '8080', 'prometheus.io/scrape': 'true' } },
          spec: {
            serviceAccountName: SOURCE,
            terminationGracePeriodSeconds: 10,
            securityContext: { fsGroup: 1337 },
            containers: [
              {
                name: 'manager',
                image: `ghcr.io/fluxcd/source-controller:${version}`,
                imagePullPolicy: 'IfNotPresent',
                args: [
                  '--events-addr=http://notification-controller.$(RUNTIME_NAMESPACE).svc.cluster.local./',
                  '--watch-all-namespaces=true',
                  '--log-level=info',
                  '--log-encoding=json',
                  '--enable-leader-election',
                  '--storage-path=/data',
                  '--storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local.',
                  `--watch-label-selector=!${KEY}`,
                ],
                env: [
                  { name: 'RUNTIME_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                  { name: 'TUF_ROOT', value: '/tmp/.sigstore' },
                  { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { containerName: 'manager', resource: 'limits.cpu' } } },
                  { name: 'GOMEMLIMIT', valueFrom: { resourceFieldRef: { containerName: 'manager', resource: 'limits.memory' } } },
                ],
                ports: [
                  { containerPort: 9090, name: 'http', protocol: 'TCP' },
                  { containerPort: 8080, name: 'http-prom', protocol: 'TCP' },
                  { containerPort: 9440, name: 'healthz', protocol: 'TCP' },
                ],
                livenessProbe: { httpGet: { path: '/healthz', port: 'healthz' } },
                readinessProbe: { httpGet: { path: '/', port: 'http' } },
                resources: { limits: { cpu: '1000m', memory: '1Gi' }, requests: { cpu: '50m', memory: '64Mi' } },
                volumeMounts: [
                  { name: 'data', mountPath: '/data' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'data', emptyDir: {} },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    },
  ];
}

/** One Flux object of the scenario. */
function fluxObject([kind, namespace, name], key) {
  const metadata = { name, namespace, ...(key ? { labels: { [KEY]: key } } : {}) };
  if (kind === 'HelmRepository') return { apiVersion: 'source.toolkit.fluxcd.io/v1', kind, metadata, spec: { url: CHART_SERVER, interval: '15s', timeout: '10s' } };
  return { apiVersion: 'source.toolkit.fluxcd.io/v1', kind, metadata, spec: { url: DEAD_GIT, interval: '30s', timeout: '5s', ref: { branch: 'main' } } };
}

export function shardSet(shards = SHARDS) {
  return {
    apiVersion: 'templates.weave.works/v1alpha1',
    kind: 'FluxShardSet',
    metadata: { name: SHARD_SET, namespace: NAMESPACE },
    spec: { sourceDeploymentRef: { name: SOURCE }, shards: shards.map((name) => ({ name })) },
  };
}

export function objects() {
  return [shardSet(), ...Object.entries(OBJECTS).flatMap(([key, list]) => list.map((o) => fluxObject(o, key)))];
}

export function describe() {
  return {
    namespace: NAMESPACE,
    shardSet: SHARD_SET,
    source: SOURCE,
    shards: SHARDS,
    key: KEY,
    objects: Object.fromEntries(Object.entries(OBJECTS).map(([key, list]) => [key, list.map(([kind, ns, name]) => `${kind}/${ns}/${name}`)])),
    orphanedKeys: Object.keys(OBJECTS).filter((k) => k && !SHARDS.includes(k)),
    groups: groups(),
  };
}

/** The FluxInstance's group: one FluxInstance per operator (it reconciles only `flux` in its own namespace). */
export const OPERATED = {
  namespace: 'flux-operated',
  instance: 'flux',
  key: 'example.com/shard',
  shards: ['shard1', 'shard2'],
  components: ['source-controller', 'kustomize-controller', 'helm-controller'],
  version: '2.9.x',
};
/** The groups made by hand (tests/real-cluster/manual/DIR). */
export const MANUAL = [
  { namespace: 'flux-manual', dir: 'manual/current', controller: 'kustomize-controller', key: KEY, shards: ['shard1', 'shard2'], mainSelector: `!${KEY}` },
  { namespace: 'flux-legacy', dir: 'manual/legacy', controller: 'kustomize-controller', key: KEY, shards: ['shard1', 'shard2'], mainSelector: `${KEY} notin (shard1)` },
];

const kustomization = (source) => ({ interval: '1m', path: './deploy', prune: false, sourceRef: { kind: 'GitRepository', name: source } });
const helmRelease = (repository, chartLabels) => ({
  interval: '10m',
  chart: { ...(chartLabels ? { metadata: { labels: chartLabels } } : {}), spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: repository } } },
});

/** Objects of the other groups, per namespace and key ('' = none): [kind, name, spec?]. */
const GROUP_OBJECTS = {
  'flux-operated': {
    '': [
      ['HelmRepository', 'charts-main'],
      ['Kustomization', 'apps-main', kustomization('app-shard2')],
      ['HelmRelease', 'podinfo-main', helmRelease('charts-main')],
    ],
    shard1: [
      ['HelmRepository', 'charts-shard1'],
      ['Kustomization', 'apps-shard1', kustomization('app-shard2')],
      // Its chart template carries no key: the HelmChart helm-controller would make has none (helm-controller#658).
      ['HelmRelease', 'podinfo', helmRelease('charts-shard1')],
      ['HelmRelease', 'podinfo-keyed', helmRelease('charts-shard1', { [OPERATED.key]: 'shard1' })],
    ],
    shard2: [
      ['GitRepository', 'app-shard2'],
      // Its HelmRepository is shard1's: shard2's cache does not hold it (source-controller#2114).
      ['HelmChart', 'podinfo-split', { chart: 'podinfo', version: '6.7.0', interval: '1m', sourceRef: { kind: 'HelmRepository', name: 'charts-shard1' } }],
      ['Kustomization', 'apps-shard2', kustomization('app-shard2')],
      ['Kustomization', 'infra-shard2', kustomization('app-shard2')],
    ],
    shard9: [['Kustomization', 'apps-orphan', kustomization('app-shard2')]],
  },
  'flux-manual': {
    '': [['Kustomization', 'apps', kustomization('nowhere')]],
    shard1: [['Kustomization', 'apps-shard1', kustomization('nowhere')]],
    shard2: [
      ['Kustomization', 'apps-shard2', kustomization('nowhere')],
      ['Kustomization', 'infra-shard2', kustomization('nowhere')],
    ],
    shard9: [['Kustomization', 'apps-orphan', kustomization('nowhere')]],
  },
  'flux-legacy': {
    '': [['Kustomization', 'apps', kustomization('nowhere')]],
    shard1: [['Kustomization', 'apps-shard1', kustomization('nowhere')]],
    shard2: [
      ['Kustomization', 'apps-shard2', kustomization('nowhere')],
      ['Kustomization', 'infra-shard2', kustomization('nowhere')],
    ],
    shard9: [['Kustomization', 'apps-other', kustomization('nowhere')]],
  },
};

const API_VERSIONS = { Kustomization: 'kustomize.toolkit.fluxcd.io/v1', HelmRelease: 'helm.toolkit.fluxcd.io/v2' };

/** The key label of a namespace's group. */
const keyOf = (namespace) => (namespace === OPERATED.namespace ? OPERATED.key : KEY);

function groupObject(namespace, key, [kind, name, spec]) {
  const metadata = { name, namespace, ...(key ? { labels: { [keyOf(namespace)]: key } } : {}) };
  if (kind === 'HelmRepository' || kind === 'GitRepository') return { ...fluxObject([kind, namespace, name], ''), metadata };
  return { apiVersion: API_VERSIONS[kind] ?? 'source.toolkit.fluxcd.io/v1', kind, metadata, spec };
}

export function groupObjects() {
  return Object.entries(GROUP_OBJECTS).flatMap(([namespace, byKey]) => Object.entries(byKey).flatMap(([key, list]) => list.map((o) => groupObject(namespace, key, o))));
}

/**
 * The FluxInstance: Flux 2.9.x from the operator's own manifests, three components sharded by a custom
 * key, no NetworkPolicies, and every Deployment's manager watching only the instance's namespace
 * (appended: pflag's last occurrence wins over the operator's --watch-all-namespaces=true). `wait: false`:
 * helm-controller's pods never start here, and the health check would hold the instance not Ready.
 */
export function instance() {
  return {
    apiVersion: 'fluxcd.controlplane.io/v1',
    kind: 'FluxInstance',
    metadata: { name: OPERATED.instance, namespace: OPERATED.namespace },
    spec: {
      distribution: { version: OPERATED.version, registry: 'ghcr.io/fluxcd' },
      components: OPERATED.components,
      cluster: { type: 'kubernetes', networkPolicy: false, domain: 'cluster.local' },
      sharding: { key: OPERATED.key, shards: OPERATED.shards },
      wait: false,
      kustomize: {
        patches: [
          {
            target: { kind: 'Deployment' },
            patch: '- op: add\n  path: /spec/template/spec/containers/0/args/-\n  value: --watch-all-namespaces=false\n',
          },
        ],
      },
    },
  };
}

/** The groups of every kind, as scenario.json describes them. */
export function groups() {
  const objectsOf = (namespace) => Object.fromEntries(Object.entries(GROUP_OBJECTS[namespace]).map(([key, list]) => [key, list.map(([kind, name]) => `${kind}/${namespace}/${name}`)]));
  return [
    { kind: 'FluxShardSet', namespace: NAMESPACE, name: SHARD_SET, controllers: [SOURCE], key: KEY, shards: SHARDS, mainSelector: `!${KEY}` },
    {
      kind: 'FluxInstance',
      namespace: OPERATED.namespace,
      name: OPERATED.instance,
      controllers: OPERATED.components,
      key: OPERATED.key,
      shards: OPERATED.shards,
      mainSelector: `!${OPERATED.key}`,
      objects: objectsOf(OPERATED.namespace),
    },
    ...MANUAL.map((m) => ({
      kind: 'Manual',
      namespace: m.namespace,
      name: m.controller,
      controllers: [m.controller],
      key: m.key,
      shards: m.shards,
      mainSelector: m.mainSelector,
      dir: m.dir,
      objects: objectsOf(m.namespace),
    })),
  ];
}

const list = (items) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 1);

if (import.meta.url === `file://${process.argv[1]}`) {
  const [what, version] = process.argv.slice(2);
  if (what === 'install') console.log(list(install(version)));
  else if (what === 'objects') console.log(list(objects()));
  else if (what === 'instance') console.log(JSON.stringify(instance(), null, 1));
  else if (what === 'group-objects') console.log(list(groupObjects()));
  else if (what === 'describe') console.log(JSON.stringify(describe(), null, 2));
  else {
    console.error('usage: scenario.mjs install VERSION | objects | instance | group-objects | describe');
    process.exit(2);
  }
}
