// Flux's kinds as the simulated cluster serves them, and Flux objects as the
// API server returns them: labels, managed fields, spec.suspend, a Ready
// condition, and the status fields that make real objects several KB.

export const SHARD_KEY = 'sharding.fluxcd.io/key';

/** Every kind Flux's controllers reconcile: group, served versions (preferred first), plural, printer columns. */
export const FLUX_KINDS = [
  { kind: 'GitRepository', group: 'source.toolkit.fluxcd.io', versions: ['v1', 'v1beta2'], plural: 'gitrepositories', controller: 'source-controller' },
  { kind: 'HelmRepository', group: 'source.toolkit.fluxcd.io', versions: ['v1', 'v1beta2'], plural: 'helmrepositories', controller: 'source-controller' },
  { kind: 'HelmChart', group: 'source.toolkit.fluxcd.io', versions: ['v1', 'v1beta2'], plural: 'helmcharts', controller: 'source-controller' },
  { kind: 'OCIRepository', group: 'source.toolkit.fluxcd.io', versions: ['v1', 'v1beta2'], plural: 'ocirepositories', controller: 'source-controller' },
  { kind: 'Bucket', group: 'source.toolkit.fluxcd.io', versions: ['v1', 'v1beta2'], plural: 'buckets', controller: 'source-controller' },
  { kind: 'Kustomization', group: 'kustomize.toolkit.fluxcd.io', versions: ['v1', 'v1beta2'], plural: 'kustomizations', controller: 'kustomize-controller' },
  { kind: 'HelmRelease', group: 'helm.toolkit.fluxcd.io', versions: ['v2', 'v2beta2'], plural: 'helmreleases', controller: 'helm-controller' },
  // Alert and Provider are only in v1beta3; the group prefers v1 (Receiver).
  { kind: 'Alert', group: 'notification.toolkit.fluxcd.io', versions: ['v1beta3'], plural: 'alerts', controller: 'notification-controller' },
  { kind: 'Provider', group: 'notification.toolkit.fluxcd.io', versions: ['v1beta3'], plural: 'providers', controller: 'notification-controller' },
  { kind: 'Receiver', group: 'notification.toolkit.fluxcd.io', versions: ['v1', 'v1beta3'], plural: 'receivers', controller: 'notification-controller' },
  { kind: 'ImageRepository', group: 'image.toolkit.fluxcd.io', versions: ['v1beta2'], plural: 'imagerepositories', controller: 'image-reflector-controller' },
  { kind: 'ImagePolicy', group: 'image.toolkit.fluxcd.io', versions: ['v1beta2'], plural: 'imagepolicies', controller: 'image-reflector-controller' },
  { kind: 'ImageUpdateAutomation', group: 'image.toolkit.fluxcd.io', versions: ['v1beta2'], plural: 'imageupdateautomations', controller: 'image-automation-controller' },
];

/** The version a group prefers: the first of its kinds' first versions, with v1-like versions before betas. */
export function preferredVersion(group) {
  const versions = [...new Set(FLUX_KINDS.filter((k) => k.group === group).flatMap((k) => k.versions))];
  return versions.sort(byStability)[0];
}

/** Kubernetes' version order: GA before beta before alpha, higher first. */
export function byStability(a, b) {
  const rank = (v) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0];
    return [m[2] === 'alpha' ? 2 : m[2] === 'beta' ? 1 : 0, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

export function fluxKind(kind) {
  return FLUX_KINDS.find((k) => k.kind === kind);
}

const CREATED = '2026-11-01T09:00:00Z';

/**
 * A Flux object as `kubectl get -o json` shows it.
 * @param {string} kind
 * @param {{namespace: string, name: string, key?: string, ready?: boolean, suspended?: boolean}} o
 */
export function renderFluxObject(kind, o) {
  const k = fluxKind(kind);
  const labels = { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' };
  if (o.key) labels[SHARD_KEY] = o.key;
  const ready = o.ready ?? true;
  const revision = 'main@sha1:5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b';
  const status = {
    observedGeneration: 3,
    conditions: [
      {
        type: 'Ready',
        status: ready ? 'True' : 'False',
        reason: ready ? 'ReconciliationSucceeded' : 'ReconciliationFailed',
        message: ready ? `Applied revision: ${revision}` : 'kustomize build failed: accumulating resources: 1 error(s) occurred',
        lastTransitionTime: CREATED,
        observedGeneration: 3,
      },
      { type: 'Healthy', status: 'True', reason: 'Succeeded', message: 'Health check passed in 2.5s', lastTransitionTime: CREATED, observedGeneration: 3 },
    ],
    lastHandledReconcileAt: CREATED,
  };
  if (kind === 'Kustomization') {
    status.lastAppliedRevision = revision;
    status.lastAttemptedRevision = revision;
    // The objects it applied: what makes a Kustomization's status large.
    status.inventory = { entries: Array.from({ length: 16 }, (_, i) => ({ id: `${o.namespace}_${o.name}-${i}_apps_Deployment`, v: 'v1' })) };
  }
  if (kind === 'HelmRelease') {
    status.history = [
      {
        chartName: o.name,
        chartVersion: '6.7.1',
        appVersion: '6.7.1',
        configDigest: 'sha256:' + 'c'.repeat(64),
        digest: 'sha256:' + 'd'.repeat(64),
        firstDeployed: CREATED,
        lastDeployed: CREATED,
        name: o.name,
        namespace: o.namespace,
        status: 'deployed',
        version: 4,
      },
    ];
  }
  if (k.group === 'source.toolkit.fluxcd.io') {
    status.artifact = {
      path: `${kind.toLowerCase()}/${o.namespace}/${o.name}/5b5b5b.tar.gz`,
      url: `http://source-controller.flux-system.svc.cluster.local./${kind.toLowerCase()}/${o.namespace}/${o.name}/5b5b5b.tar.gz`,
      revision,
      digest: 'sha256:' + 'e'.repeat(64),
      lastUpdateTime: CREATED,
      size: 55302,
    };
  }
  return {
    apiVersion: `${k.group}/${k.versions[0]}`,
    kind,
    metadata: {
      name: o.name,
      namespace: o.namespace,
      uid: `${o.namespace}-${o.name}-${kind}`.toLowerCase().slice(0, 36),
      resourceVersion: '48213',
      generation: 3,
      creationTimestamp: CREATED,
      labels,
      finalizers: ['finalizers.fluxcd.io'],
      managedFields: [
        {
          manager: 'kustomize-controller',
          operation: 'Apply',
          apiVersion: `${k.group}/${k.versions[0]}`,
          time: CREATED,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': Object.fromEntries(Object.keys(labels).map((l) => [`f:${l}`, {}])) },
            'f:spec': { 'f:interval': {}, 'f:path': {}, 'f:prune': {}, 'f:sourceRef': { 'f:kind': {}, 'f:name': {} } },
          },
        },
        {
          manager: k.controller,
          operation: 'Update',
          apiVersion: `${k.group}/${k.versions[0]}`,
          time: CREATED,
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:metadata': { 'f:finalizers': { '.': {}, 'v:"finalizers.fluxcd.io"': {} } } },
        },
        {
          manager: k.controller,
          operation: 'Update',
          apiVersion: `${k.group}/${k.versions[0]}`,
          time: CREATED,
          fieldsType: 'FieldsV1',
          subresource: 'status',
          fieldsV1: { 'f:status': { 'f:conditions': {}, 'f:observedGeneration': {}, 'f:lastHandledReconcileAt': {} } },
        },
      ],
    },
    spec: { interval: '10m', timeout: '5m', suspend: o.suspended ?? false, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, path: `./apps/${o.name}`, prune: true },
    status,
  };
}

/** A Table row, as the API server prints it for `Accept: application/json;as=Table;g=meta.k8s.io;v=v1`. */
export function tableRow(object, includeObject) {
  const ready = object.status.conditions.find((c) => c.type === 'Ready');
  const row = { cells: [object.metadata.name, '29d', ready.status, ready.message] };
  if (includeObject === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
  if (includeObject === 'Object') row.object = object;
  return row;
}

export const TABLE_COLUMNS = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
  { name: 'Age', type: 'date', format: '', description: '', priority: 0 },
  { name: 'Ready', type: 'string', format: '', description: '', priority: 0 },
  { name: 'Status', type: 'string', format: '', description: '', priority: 0 },
];
