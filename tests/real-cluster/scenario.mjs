// @ts-check
// The real cluster's scenario: a source-controller installed as Flux installs it, sharded by a
// FluxShardSet into three shards, and Flux objects labelled for the source, shard1 and shard2
// (none for shard3, which is then idle) and for a key no shard serves (orphaned). shard1 has only
// HelmRepositories (ok); the source and shard2 also have failing GitRepositories (erroring).
//
//   node tests/real-cluster/scenario.mjs install VERSION   # the Flux install: a JSON List for kubectl apply -f -
//   node tests/real-cluster/scenario.mjs objects           # the shard set and the Flux objects
//   node tests/real-cluster/scenario.mjs describe          # scenario.json: namespace, shard set, shards, objects per key
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
  };
}

const list = (items) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 1);

if (import.meta.url === `file://${process.argv[1]}`) {
  const [what, version] = process.argv.slice(2);
  if (what === 'install') console.log(list(install(version)));
  else if (what === 'objects') console.log(list(objects()));
  else if (what === 'describe') console.log(JSON.stringify(describe(), null, 2));
  else {
    console.error('usage: scenario.mjs install VERSION | objects | describe');
    process.exit(2);
  }
}
