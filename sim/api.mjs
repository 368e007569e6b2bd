// @ts-check
// What the simulated API server serves: its resources by group and version,
// the discovery documents kubectl and flux-shard-metrics read (plain and
// aggregated), list pages (tests/fixtures/real-cluster/deployment-list-page.json,
// status-bad-continue.json), the Table and metadata-only forms of lists, and
// `Status` error bodies.
import { FLUX_KINDS, byStability, TABLE_COLUMNS, tableRow } from './flux.mjs';

/** group → version → plural → { kind, namespaced, shortNames } */
export function resources() {
  const groups = {
    apps: { v1: { deployments: { kind: 'Deployment', shortNames: ['deploy'] }, replicasets: { kind: 'ReplicaSet', shortNames: ['rs'] } } },
    'templates.weave.works': { v1alpha1: { fluxshardsets: { kind: 'FluxShardSet', shortNames: ['fss'] } } },
    // The Flux Operator's CRDs (the others it serves, FluxReport and ResourceSet, are not read here).
    'fluxcd.controlplane.io': { v1: { fluxinstances: { kind: 'FluxInstance' } } },
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

export const CORE = {
  pods: { kind: 'Pod', shortNames: ['po'] },
  services: { kind: 'Service', shortNames: ['svc'] },
  namespaces: { kind: 'Namespace', shortNames: ['ns'], cluster: true },
};

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
      { name: 'services', singularName: 'service', namespaced: true, kind: 'Service', verbs: VERBS, shortNames: ['svc'] },
      { name: 'services/proxy', singularName: '', namespaced: true, kind: 'ServiceProxyOptions', verbs: ['get'] },
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
 * What Go's encoding/json says of a body it cannot read (the first error only, as the API server
 * quotes it), e.g. `invalid character 'o' in literal null (expecting 'u')`.
 */
function goJsonError(text) {
  const i = text.search(/\S/);
  if (i < 0) return 'unexpected end of JSON input';
  const c = text[i];
  for (const literal of ['true', 'false', 'null']) {
    if (c !== literal[0]) continue;
    for (let j = 1; j < literal.length; j++) {
      if (i + j >= text.length) return 'unexpected end of JSON input';
      if (text[i + j] !== literal[j]) return `invalid character '${text[i + j]}' in literal ${literal} (expecting '${literal[j]}')`;
    }
    return `invalid character '${text[i + literal.length] ?? ''}' after top-level value`;
  }
  if (!/[[{"\-0-9]/.test(c)) return `invalid character '${c}' looking for beginning of value`;
  return 'unexpected end of JSON input';
}

/** base64.RawURLEncoding.DecodeString: the decoded text, or Go's error. */
function rawUrlBase64(token) {
  const bad = token.search(/[^A-Za-z0-9_-]/);
  if (bad >= 0) return { error: `illegal base64 data at input byte ${bad}` };
  if (token.length % 4 === 1) return { error: `illegal base64 data at input byte ${token.length - 1}` };
  return { text: Buffer.from(token, 'base64url').toString('latin1') };
}

/** The continue token of the API server (storage/continue.go): `{"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}`, base64url without padding. */
export function continueToken(rv, start) {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(rv), start: `${start}\u0000` })).toString('base64url');
}

function readContinue(token) {
  const invalid = (why) => ({ error: statusBody(400, 'BadRequest', `invalid continue token: continue key is not valid: ${why}`) });
  const decoded = rawUrlBase64(token);
  if (decoded.error) return invalid(decoded.error);
  let parsed;
  try {
    parsed = JSON.parse(/** @type {string} */ (decoded.text));
  } catch {
    return invalid(goJsonError(decoded.text));
  }
  if (parsed?.v !== 'meta.k8s.io/v1') return invalid(`server does not recognize this encoded version "${parsed?.v ?? ''}"`);
  if (!parsed.rv) return invalid('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (!parsed.start) return invalid('encoded start key empty (version meta.k8s.io/v1)');
  return { parsed };
}

/**
 * One page of a list: `limit` and `continue` as the API server reads them. Items come in etcd's key
 * order (namespace, then name); the token holds the key the next page starts after and the resource
 * version of the first page. Items of built-in kinds (`typeMeta: false`) come without their own
 * `kind` and `apiVersion`, as a real API server writes them; custom resources keep theirs.
 * @returns {[number, object]}
 */
export function page({ items, kind, apiVersion, query, accept, namespace, resourceVersion = '1000', expired = (_token) => false, typeMeta = true }) {
  const keyOf = (o) => (namespace === undefined && o.metadata.namespace !== undefined ? `/${o.metadata.namespace}/${o.metadata.name}` : `/${o.metadata.name}`);
  const keyed = items.map((o) => [keyOf(o), o]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const limit = Number(query.get('limit') ?? 0);
  let start = 0;
  let rv = resourceVersion;
  const token = query.get('continue');
  if (token) {
    const { parsed, error } = readContinue(token);
    if (error) return [400, error];
    if (expired(parsed)) {
      return [
        410,
        statusBody(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        ),
      ];
    }
    const after = parsed.start.replace(/\u0000$/, '');
    start = keyed.findIndex(([key]) => key > after);
    if (start < 0) start = keyed.length;
    rv = String(parsed.rv);
  }
  const end = limit > 0 ? Math.min(keyed.length, start + limit) : keyed.length;
  const slice = keyed.slice(start, end).map(([, o]) => o);
  const metadata = { resourceVersion: rv };
  if (end < keyed.length) {
    metadata.continue = continueToken(rv, keyed[end - 1][0]);
    metadata.remainingItemCount = keyed.length - end;
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
  const listed = typeMeta ? slice : slice.map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest);
  return [200, { kind: `${kind}List`, apiVersion, metadata, items: listed }];
}

export function statusBody(code, reason, message, details) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}
