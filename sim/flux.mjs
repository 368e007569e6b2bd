// @ts-check
// Flux's kinds as the simulated cluster serves them, and Flux objects as the
// API server returns them (tests/fixtures/real-cluster/helmrepository.json and
// gitrepository-failing.json): keys sorted, labels, finalizers, managed fields,
// spec.suspend when set, and each kind's spec and status (conditions, artifacts,
// inventories, histories: what makes real objects several KB).
import { createHash } from 'node:crypto';

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
  // GA (v1) since image-reflector-controller and image-automation-controller 1.0 (Flux 2.7).
  { kind: 'ImageRepository', group: 'image.toolkit.fluxcd.io', versions: ['v1', 'v1beta2'], plural: 'imagerepositories', controller: 'image-reflector-controller' },
  { kind: 'ImagePolicy', group: 'image.toolkit.fluxcd.io', versions: ['v1', 'v1beta2'], plural: 'imagepolicies', controller: 'image-reflector-controller' },
  { kind: 'ImageUpdateAutomation', group: 'image.toolkit.fluxcd.io', versions: ['v1', 'v1beta2'], plural: 'imageupdateautomations', controller: 'image-automation-controller' },
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

/** The Flux kind named `kind` (`Kustomization`); throws for a kind that is not Flux's. */
export function fluxKind(kind) {
  const k = FLUX_KINDS.find((k) => k.kind === kind);
  if (!k) throw new Error(`${kind} is not a Flux kind of the simulated cluster`);
  return k;
}

const CREATED = '2026-11-01T09:00:00Z';

/** A deterministic hex digest (sha256) of `text`. */
export function digest(text) {
  return createHash('sha256').update(text).digest('hex');
}

/** A UID as the API server writes them (a random UUID; here derived from `text`). */
export function uuid(text) {
  const h = digest(text);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Custom resources come back with their keys sorted (the API server stores them as unstructured JSON). */
export function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys(value[k])]),
  );
}

const condition = (type, status, reason, message, observedGeneration) => ({ lastTransitionTime: CREATED, message, observedGeneration, reason, status, type });

/** The host a source's artifacts are served from: the storage address of the source-controller (shard) that reconciles it. */
const storageHost = (o) => o.storageHost ?? 'source-controller.flux-system.svc.cluster.local.';

/** The artifact a source-controller stores for a source, with its URL on the storage address (the Service of the shard that serves it). */
function artifact(kind, o, file, revision) {
  const path = `${kind.toLowerCase()}/${o.namespace}/${o.name}/${file}`;
  return {
    digest: `sha256:${digest(`${path}/digest`)}`,
    lastUpdateTime: CREATED,
    path,
    revision,
    size: 1000 + (parseInt(digest(path).slice(0, 4), 16) % 60000),
    url: `http://${storageHost(o)}/${path}`,
  };
}

/**
 * The spec and status of a Flux object of `kind`, as its controller leaves them: Ready (with the
 * artifact of a source), or failing (a source that never fetched has no artifact and status.observedGeneration -1,
 * with the Reconciling and FetchFailed conditions source-controller sets).
 */
function specAndStatus(kind, o, generation) {
  const ready = o.ready ?? true;
  /** A not-Ready object's condition: the scenario's own reason and message (a dependency on another shard), else the kind's usual failure. */
  const failure = (reason, message) => [o.failure?.reason ?? reason, o.failure?.message ?? message];
  const sha1 = digest(`${o.namespace}/${o.name}/commit`).slice(0, 40);
  const sha256 = digest(`${o.namespace}/${o.name}/index`);
  const failing = (reason, message, extra = {}) => ({
    conditions: [condition('Reconciling', 'True', 'ProgressingWithRetry', 'building artifact', generation), condition('Ready', 'False', reason, message, generation), ...(extra.conditions ?? [])],
    observedGeneration: -1,
  });
  const stored = (message, revision, file, extra = {}) => ({
    artifact: artifact(kind, o, file, revision),
    conditions: [condition('Ready', 'True', extra.reason ?? 'Succeeded', message, generation), condition('ArtifactInStorage', 'True', 'Succeeded', message, generation)],
    observedGeneration: generation,
    ...(extra.status ?? {}),
  });
  switch (kind) {
    case 'GitRepository': {
      const url = `https://github.com/example/${o.name}.git`;
      const message = `failed to checkout and determine revision: unable to clone '${url}': dial tcp 140.82.121.3:443: connect: connection refused`;
      return {
        spec: { interval: '1m0s', ref: { branch: 'main' }, timeout: '60s', url },
        status: ready
          ? stored(`stored artifact for revision 'main@sha1:${sha1}'`, `main@sha1:${sha1}`, `${sha1}.tar.gz`)
          : failing('GitOperationFailed', message, { conditions: [condition('FetchFailed', 'True', 'GitOperationFailed', message, generation)] }),
      };
    }
    case 'HelmRepository': {
      const url = `https://charts.example.com/${o.name}/`;
      const message = `failed to fetch Helm repository index: failed to cache index to temporary file: Get "${url}index.yaml": dial tcp 10.0.0.10:443: connect: connection refused`;
      const index = `http://${storageHost(o)}/helmrepository/${o.namespace}/${o.name}/index.yaml`;
      return {
        spec: { interval: '10m0s', provider: 'generic', timeout: '60s', url },
        status: ready
          ? stored(`stored artifact: revision 'sha256:${sha256}'`, `sha256:${sha256}`, `index-${sha256}.yaml`, { status: { url: index } })
          : failing('Failed', message, { conditions: [condition('FetchFailed', 'True', 'Failed', message, generation)] }),
      };
    }
    case 'HelmChart': {
      // helm-controller names the chart of HelmRelease NS/NAME `NS-NAME`; the chart is the part after the first `-`.
      const chart = o.chart ?? o.name.replace(/^[^-]+-/, '');
      const sourceRef = o.sourceRef ?? { kind: 'HelmRepository', name: chart };
      const [reason, message] = failure('NoSourceArtifact', `no artifact available for HelmRepository source '${sourceRef.name}'`);
      return {
        spec: { chart, interval: '10m0s', reconcileStrategy: 'ChartVersion', sourceRef, version: '*' },
        status: ready
          ? stored(`pulled '${chart}' chart with version '6.7.1'`, '6.7.1', `${chart}-6.7.1.tgz`, {
              reason: 'ChartPullSucceeded',
              status: {
                observedChartName: chart,
                observedSourceArtifactRevision: `sha256:${sha256}`,
                url: `http://${storageHost(o)}/helmchart/${o.namespace}/${o.name}/${chart}-latest.tgz`,
              },
            })
          : failing(reason, message, { conditions: [condition('FetchFailed', 'True', reason, message, generation)] }),
      };
    }
    case 'OCIRepository': {
      const url = `oci://ghcr.io/example/${o.name}`;
      const message = `failed to determine artifact digest: GET https://ghcr.io/v2/example/${o.name}/manifests/latest: MANIFEST_UNKNOWN: manifest unknown`;
      return {
        spec: { interval: '5m0s', provider: 'generic', ref: { tag: 'latest' }, timeout: '60s', url },
        status: ready
          ? stored(`stored artifact for digest 'latest@sha256:${sha256}'`, `latest@sha256:${sha256}`, `${sha256}.tar.gz`)
          : failing('OCIPullFailed', message, { conditions: [condition('FetchFailed', 'True', 'OCIPullFailed', message, generation)] }),
      };
    }
    case 'Bucket': {
      const message = `bucket '${o.name}' does not exist`;
      return {
        spec: { bucketName: o.name, endpoint: 'minio.minio.svc.cluster.local:9000', interval: '5m0s', provider: 'generic', timeout: '60s' },
        status: ready
          ? stored(`stored artifact: revision 'sha256:${sha256}'`, `sha256:${sha256}`, `${sha256}.tar.gz`)
          : failing('BucketOperationFailed', message, { conditions: [condition('FetchFailed', 'True', 'BucketOperationFailed', message, generation)] }),
      };
    }
    case 'Kustomization': {
      const revision = `main@sha1:${digest('flux-system/flux-system/commit').slice(0, 40)}`;
      return {
        spec: { force: false, interval: '10m0s', path: `./apps/${o.name}`, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, timeout: '5m0s', wait: true },
        status: {
          conditions: ready
            ? [condition('Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${revision}`, generation), condition('Healthy', 'True', 'Succeeded', 'Health check passed in 2.5s', generation)]
            : [
                condition('Reconciling', 'True', 'ProgressingWithRetry', `Detecting drift for revision ${revision} with a timeout of 5m0s`, generation),
                condition('Ready', 'False', 'BuildFailed', 'kustomize build failed: accumulating resources: 1 error(s) occurred', generation),
              ],
          // The objects it applied: what makes a Kustomization's status large.
          ...(ready ? { inventory: { entries: Array.from({ length: 16 }, (_, i) => ({ id: `${o.namespace}_${o.name}-${i}_apps_Deployment`, v: 'v1' })) }, lastAppliedRevision: revision } : {}),
          lastAttemptedRevision: revision,
          observedGeneration: generation,
        },
      };
    }
    case 'HelmRelease': {
      const release = `${o.namespace}/${o.name}.v4`;
      const sourceRef = o.sourceRef ?? { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' };
      // The HelmChart helm-controller makes: `<namespace>-<name>` in the chart source's namespace, with the labels of
      // .spec.chart.metadata.labels only (o.chartLabels).
      const chartNamespace = sourceRef.namespace ?? o.namespace;
      const [reason, message] = failure('ArtifactFailed', `HelmChart '${chartNamespace}/${o.namespace}-${o.name}' is not ready`);
      return {
        spec: {
          chart: {
            ...(o.chartLabels ? { metadata: { labels: o.chartLabels } } : {}),
            spec: { chart: o.chart ?? o.name, reconcileStrategy: 'ChartVersion', sourceRef, version: '*' },
          },
          interval: '10m0s',
        },
        status: {
          conditions: ready
            ? [
                condition('Ready', 'True', 'UpgradeSucceeded', `Helm upgrade succeeded for release ${release} with chart ${o.name}@6.7.1`, generation),
                condition('Released', 'True', 'UpgradeSucceeded', `Helm upgrade succeeded for release ${release} with chart ${o.name}@6.7.1`, generation),
              ]
            : o.failure
              ? [condition('Ready', 'False', reason, message, generation)]
              : [condition('Ready', 'False', 'UpgradeFailed', `Helm upgrade failed for release ${release} with chart ${o.name}@6.7.1: context deadline exceeded`, generation)],
          helmChart: `${chartNamespace}/${o.namespace}-${o.name}`,
          // The releases it made: part of what makes a HelmRelease's status large.
          history: [
            {
              appVersion: '6.7.1',
              chartName: o.name,
              chartVersion: '6.7.1',
              configDigest: `sha256:${digest(`${release}/config`)}`,
              digest: `sha256:${digest(`${release}/digest`)}`,
              firstDeployed: CREATED,
              lastDeployed: CREATED,
              name: o.name,
              namespace: o.namespace,
              status: 'deployed',
              version: 4,
            },
          ],
          lastAttemptedConfigDigest: `sha256:${digest(`${release}/config`)}`,
          lastAttemptedGeneration: generation,
          lastAttemptedReleaseAction: 'upgrade',
          lastAttemptedRevision: '6.7.1',
          observedGeneration: generation,
          storageNamespace: o.namespace,
        },
      };
    }
    case 'Receiver': {
      const path = `/hook/${digest(`${o.namespace}/${o.name}/token`)}`;
      return {
        spec: {
          events: ['ping', 'push'],
          interval: '10m0s',
          resources: [{ kind: 'GitRepository', name: 'flux-system' }],
          secretRef: { name: `${o.name}-webhook-token` },
          type: o.name === 'gitlab' ? 'gitlab' : 'github',
        },
        status: {
          conditions: [
            ready
              ? condition('Ready', 'True', 'Succeeded', `Receiver initialized for path: ${path}`, generation)
              : condition('Ready', 'False', 'TokenNotFound', `unable to read token from secret '${o.namespace}/${o.name}-webhook-token'`, generation),
          ],
          observedGeneration: generation,
          webhookPath: path,
        },
      };
    }
    case 'ImageRepository': {
      const image = o.image ?? `ghcr.io/example/${o.name}`;
      const tags = ['6.7.1', '6.7.0', '6.6.3', '6.6.2', '6.5.4'];
      const [reason, message] = failure('ReconciliationFailed', `failed to list tags of ${image}: GET https://ghcr.io/token?scope=repository%3Aexample%2F${o.name}%3Apull: DENIED: denied`);
      return {
        spec: { exclusionList: ['^.*\\.sig$'], image, interval: '5m0s', provider: 'generic' },
        status: {
          canonicalImageName: image,
          conditions: [
            ready
              ? condition('Ready', 'True', 'Succeeded', `successful scan: found ${tags.length} tags with checksum ${digest(image).slice(0, 10)}`, generation)
              : condition('Ready', 'False', reason, message, generation),
          ],
          ...(ready ? { lastScanResult: { latestTags: tags, revision: `sha256:${digest(`${image}/tags`)}`, scanTime: CREATED, tagCount: tags.length } } : {}),
          observedExclusionList: ['^.*\\.sig$'],
          observedGeneration: generation,
        },
      };
    }
    case 'ImagePolicy': {
      const repository = o.imageRepository ?? o.name;
      const image = `ghcr.io/example/${repository}`;
      const [reason, message] = failure('DependencyNotReady', `referenced ImageRepository ${o.namespace}/${repository} is not ready`);
      return {
        spec: { imageRepositoryRef: { name: repository }, policy: { semver: { range: '>=6.0.0' } } },
        status: {
          conditions: [ready ? condition('Ready', 'True', 'Succeeded', `Latest image tag for ${image} resolved to 6.7.1`, generation) : condition('Ready', 'False', reason, message, generation)],
          ...(ready ? { latestRef: { name: image, tag: '6.7.1' }, observedPolicy: { semver: { range: '>=6.0.0' } } } : {}),
          observedGeneration: generation,
        },
      };
    }
    case 'ImageUpdateAutomation': {
      const [reason, message] = failure('GitOperationFailed', "failed to push to remote: unable to access 'https://github.com/example/fleet.git/': The requested URL returned error: 403");
      return {
        spec: {
          git: {
            checkout: { ref: { branch: 'main' } },
            commit: { author: { email: 'fluxcdbot@users.noreply.github.com', name: 'fluxcdbot' }, messageTemplate: 'Automated image update' },
            push: { branch: 'main' },
          },
          interval: '30m0s',
          sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' },
          update: { path: `./apps/${o.name}`, strategy: 'Setters' },
        },
        status: {
          conditions: [ready ? condition('Ready', 'True', 'Succeeded', 'repository up-to-date', generation) : condition('Ready', 'False', reason, message, generation)],
          lastAutomationRunTime: CREATED,
          observedGeneration: generation,
          observedPolicies: {},
        },
      };
    }
    default:
      return {
        spec: { interval: '10m0s' },
        status: {
          conditions: [ready ? condition('Ready', 'True', 'Succeeded', 'reconciled', generation) : condition('Ready', 'False', 'Failed', 'reconciliation failed', generation)],
          observedGeneration: generation,
        },
      };
  }
}

/**
 * A Flux object's description in a scenario: where it is, its sharding key (`key`, the value of
 * `keyLabel`, `sharding.fluxcd.io/key` by default), whether it is Ready (`failure`: the reason and
 * message of its not-Ready condition), suspended, reconciled at all; `labels` instead of those of the
 * Kustomization that applied it (a HelmChart made by helm-controller has its own); what it refers to
 * (`sourceRef` of a HelmChart or of a HelmRelease's chart, `chartLabels`, the HelmRelease's
 * `.spec.chart.metadata.labels`, `imageRepository` of an ImagePolicy); the `storageHost` its artifact
 * URLs name (the Service of the source-controller shard that serves it); and who applied it (`manager`).
 * @typedef {object} FluxObjectSpec
 * @property {string} namespace @property {string} name
 * @property {string} [key] @property {string} [keyLabel] @property {boolean} [ready] @property {boolean} [suspended] @property {boolean} [reconciled]
 * @property {{reason: string, message: string}} [failure]
 * @property {Record<string, string>} [labels] @property {Record<string, string>} [chartLabels]
 * @property {{kind: string, name: string, namespace?: string}} [sourceRef] @property {string} [chart] @property {string} [imageRepository] @property {string} [image]
 * @property {string} [storageHost] @property {string} [manager]
 */

/**
 * A Flux object as `kubectl get -o json` shows it: its controller's finalizer, the labels of the
 * Kustomization that applied it (server-side: no last-applied annotation), `spec.suspend` only when
 * set, and the spec and status of its kind.
 * @param {string} kind
 * @param {FluxObjectSpec} o
 * @param {string} [resourceVersion]
 */
export function renderFluxObject(kind, o, resourceVersion = '48213') {
  const k = fluxKind(kind);
  /** @type {Record<string, string>} */
  const labels = { ...(o.labels ?? { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' }) };
  if (o.key) labels[o.keyLabel ?? SHARD_KEY] = o.key;
  const manager = o.manager ?? 'kustomize-controller';
  const generation = 3;
  const { spec, status } = specAndStatus(kind, o, generation);
  // An object no controller watches (its key names no shard) was never reconciled: no finalizer, no status.
  const reconciled = o.reconciled ?? true;
  const apiVersion = `${k.group}/${k.versions[0]}`;
  return sortKeys({
    apiVersion,
    kind,
    metadata: {
      name: o.name,
      namespace: o.namespace,
      uid: uuid(`${kind}/${o.namespace}/${o.name}`),
      resourceVersion,
      generation,
      creationTimestamp: CREATED,
      labels,
      ...(reconciled ? { finalizers: ['finalizers.fluxcd.io'] } : {}),
      managedFields: [
        {
          manager,
          operation: manager === 'kustomize-controller' ? 'Apply' : 'Update',
          apiVersion,
          time: CREATED,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': Object.fromEntries(Object.keys(labels).map((l) => [`f:${l}`, {}])) },
            'f:spec': Object.fromEntries(Object.keys(spec).map((f) => [`f:${f}`, {}])),
          },
        },
        ...(reconciled
          ? [
              {
                manager: k.controller,
                operation: 'Update',
                apiVersion,
                time: CREATED,
                fieldsType: 'FieldsV1',
                fieldsV1: { 'f:metadata': { 'f:finalizers': { '.': {}, 'v:"finalizers.fluxcd.io"': {} } } },
              },
              {
                manager: k.controller,
                operation: 'Update',
                apiVersion,
                time: CREATED,
                fieldsType: 'FieldsV1',
                subresource: 'status',
                fieldsV1: { 'f:status': Object.fromEntries(Object.keys(status).map((f) => [`f:${f}`, {}])) },
              },
            ]
          : []),
      ],
    },
    spec: o.suspended ? { ...spec, suspend: true } : spec,
    ...(reconciled ? { status } : {}),
  });
}

/** A Table row, as the API server prints it for `Accept: application/json;as=Table;g=meta.k8s.io;v=v1`. */
export function tableRow(object, includeObject) {
  const ready = object.status?.conditions?.find((c) => c.type === 'Ready');
  const row = { cells: [object.metadata.name, '29d', ready?.status ?? '', ready?.message ?? ''] };
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
