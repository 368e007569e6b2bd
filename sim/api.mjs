// What the simulated API server serves: its resources by group and version,
// the discovery documents kubectl and flux-shard-metrics read (plain and
// aggregated), list pages, and the Table and metadata-only forms of lists.
import { FLUX_KINDS, byStability, TABLE_COLUMNS, tableRow } from './flux.mjs';

/** group → version → plural → { kind, namespaced, shortNames } */
export function resources() {
  const groups = {
    apps: { v1: { deployments: { kind: 'Deployment', shortNames: ['deploy'] }, replicasets: { kind: 'ReplicaSet', shortNames: ['rs'] } } },
    'templates.weave.works': { v1alpha1: { fluxshardsets: { kind: 'FluxShardSet', shortNames: ['fss'] } } },
  };
  for (const k of FLUX_KINDS) {
    for (const v of k.versions) {
      groups[k.group] ??= {};
      groups[k.group][v] ??= {};
      groups[k.group][v][k.plural] = { kind: k.kind };
    }
  }
  return groups;
}

export const CORE = { pods: { kind: 'Pod', shortNames: ['po'] }, namespaces: { kind: 'Namespace', shortNames: ['ns'], cluster: true } };

const VERBS = ['get', 'list'];

function versionsOf(group) {
  return Object.keys(resources()[group]).sort(byStability);
}

/** `/apis` as a plain APIGroupList. */
export function groupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: Object.keys(resources()).map((name) => {
      const versions = versionsOf(name).map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions, preferredVersion: versions[0] };
    }),
  };
}

/** `/apis` as aggregated discovery (apidiscovery.k8s.io/v2): every version of every group, preferred first. */
export function aggregatedGroups() {
  const all = resources();
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: Object.keys(all).map((group) => ({
      metadata: { name: group, creationTimestamp: null },
      versions: versionsOf(group).map((version) => ({
        version,
        freshness: 'Current',
        resources: Object.entries(all[group][version]).map(([plural, r]) => ({
          resource: plural,
          responseKind: { group, version, kind: r.kind },
          scope: 'Namespaced',
          singularResource: r.kind.toLowerCase(),
          verbs: VERBS,
          ...(r.shortNames ? { shortNames: r.shortNames } : {}),
          subresources: [{ subresource: 'status', responseKind: { group, version, kind: r.kind }, verbs: ['get'] }],
        })),
      })),
    })),
  };
}

/** `/apis/GROUP/VERSION` as an APIResourceList, or undefined. */
export function resourceList(group, version) {
  const served = resources()[group]?.[version];
  if (!served) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${group}/${version}`,
    resources: Object.entries(served).flatMap(([plural, r]) => [
      { name: plural, singularName: r.kind.toLowerCase(), namespaced: true, kind: r.kind, verbs: VERBS, ...(r.shortNames ? { shortNames: r.shortNames } : {}) },
      { name: `${plural}/status`, singularName: '', namespaced: true, kind: r.kind, verbs: ['get'] },
    ]),
  };
}

/** `/api/v1`. */
export function coreResourceList() {
  return {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: VERBS, shortNames: ['po'] },
      { name: 'pods/proxy', singularName: '', namespaced: true, kind: 'PodProxyOptions', verbs: ['get'] },
      { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: VERBS, shortNames: ['ns'] },
    ],
  };
}

/** The form a list is asked for, from its Accept header. */
export function listForm(accept = '') {
  if (/as=Table/.test(accept)) return 'Table';
  if (/as=PartialObjectMetadataList/.test(accept)) return 'PartialObjectMetadataList';
  return 'List';
}

/**
 * One page of a list: `limit` and `continue` as the API server reads them (the token encodes
 * where the next page starts and the resource version of the first page).
 * @returns {[number, object]}
 */
export function page({ items, kind, apiVersion, query, accept, resourceVersion = '1000', expired = () => false }) {
  const limit = Number(query.get('limit') ?? 0);
  let start = 0;
  const token = query.get('continue');
  if (token) {
    let parsed;
    try {
      parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    } catch {
      return [400, statusBody(400, 'BadRequest', 'continue key is not valid: illegal base64 data')];
    }
    if (expired(parsed)) {
      return [
        410,
        statusBody(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results.',
        ),
      ];
    }
    start = parsed.start;
  }
  const end = limit > 0 ? Math.min(items.length, start + limit) : items.length;
  const slice = items.slice(start, end);
  const metadata = { resourceVersion };
  if (end < items.length) {
    metadata.continue = Buffer.from(JSON.stringify({ start: end, rv: resourceVersion })).toString('base64');
    metadata.remainingItemCount = items.length - end;
  }
  const form = listForm(accept);
  if (form === 'Table') {
    const include = /includeObject=(\w+)/.exec(query.toString())?.[1] ?? 'Metadata';
    return [200, { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, columnDefinitions: TABLE_COLUMNS, rows: slice.map((o) => tableRow(o, include)) }];
  }
  if (form === 'PartialObjectMetadataList') {
    return [
      200,
      { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items: slice.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata })) },
    ];
  }
  return [200, { kind: `${kind}List`, apiVersion, metadata, items: slice }];
}

export function statusBody(code, reason, message, details) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}
