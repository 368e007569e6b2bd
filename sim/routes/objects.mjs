// @ts-check
// The objects, as the API server lists and gets them: the core group's Pods,
// Services and Namespaces (`/api/v1/…`), and every named group the simulated
// cluster serves (`/apis/GROUP/VERSION/…`: apps' Deployments and ReplicaSets,
// FluxShardSets, the Flux Operator's FluxInstances, Flux's objects). Lists take label selectors, pages (`limit`,
// `continue`) and the Table and metadata-only forms (api.mjs); a missing object
// is a `Status` 404; an unserved resource falls through to the 404 route.
// `?watch=1&resourceVersion=RV` is a watch, as the API server serves one: a
// stream of JSON lines, the changes since RV at once (an object changed since
// is MODIFIED, or DELETED when the selector no longer selects it; a deleted one
// DELETED), then nothing until `timeoutSeconds` ends it (with a BOOKMARK when
// `allowWatchBookmarks=true`); an RV older than the compacted history is an
// ERROR event with a 410 `Status`; without an RV, every object is ADDED.
import { CORE, page, statusBody } from '../api.mjs';
import { parseSelector } from '../selectors.mjs';
import { uuid } from '../flux.mjs';
import { NEXT } from '../router.mjs';

/** @typedef {import('../router.mjs').Route} Route */
/** @typedef {import('../router.mjs').Answer} Answer */
/** @typedef {import('../router.mjs').Request} Request */

/** Built-in kinds come in lists without their own kind and apiVersion; custom resources keep theirs. */
const BUILT_IN = new Set(['pods', 'services', 'deployments', 'replicasets', 'namespaces']);

/** @param {import('./context.mjs').Sim} sim @returns {Route[]} */
export function objectRoutes(sim) {
  const { cluster, served } = sim;

  /** @param {string} resource @returns {any[]} */
  const objectsOf = (resource) => {
    switch (resource) {
      case 'pods':
        return cluster.pods.map((p) => p.object);
      case 'deployments':
        return cluster.deployments;
      case 'replicasets':
        return cluster.replicaSets;
      case 'services':
        return cluster.services;
      case 'fluxshardsets':
        return cluster.shardSets;
      case 'fluxinstances':
        return cluster.instances;
      case 'namespaces':
        return [...cluster.namespaces].sort().map((name) => ({
          kind: 'Namespace',
          apiVersion: 'v1',
          metadata: { name, uid: uuid(`namespace/${name}`), resourceVersion: '100', creationTimestamp: '2026-11-01T08:00:00Z', labels: { 'kubernetes.io/metadata.name': name } },
          spec: { finalizers: ['kubernetes'] },
          status: { phase: 'Active' },
        }));
      default:
        return cluster.objects.get(resource) ?? [];
    }
  };

  /**
   * A list (of a namespace, or of all when `namespace` is undefined), as the request asks for it.
   * @param {Request} request @param {string} apiVersion @param {string} kind @param {string} resource @param {string | undefined} namespace
   * @returns {Answer | void}
   */
  function list(request, apiVersion, kind, resource, namespace) {
    const { req, url } = request;
    const inNamespace = (/** @type {any} */ o) => namespace === undefined || o.metadata.namespace === namespace;
    let items = objectsOf(resource).filter(inNamespace);
    const selector = url.searchParams.get('labelSelector');
    /** @type {(labels: Record<string, string> | undefined) => boolean} */
    let match = () => true;
    if (selector) {
      try {
        match = parseSelector(selector);
      } catch (e) {
        return [400, statusBody(400, 'BadRequest', e instanceof Error ? e.message : String(e))];
      }
    }
    if (['1', 'true'].includes(url.searchParams.get('watch') ?? '')) return watch(request, apiVersion, kind, items, resource, inNamespace, match);
    items = items.filter((o) => match(o.metadata.labels));
    return page({ items, kind, apiVersion, query: url.searchParams, accept: req.headers.accept, namespace, resourceVersion: String(cluster.rv), typeMeta: !BUILT_IN.has(resource) });
  }

  /**
   * A watch of `items` (the resource's objects in the namespace asked for) from the request's resourceVersion.
   * @param {Request} request @param {string} apiVersion @param {string} kind @param {any[]} items @param {string} resource
   * @param {(o: any) => boolean} inNamespace @param {(labels: Record<string, string> | undefined) => boolean} match
   * @returns {void}
   */
  function watch({ req, res, url }, apiVersion, kind, items, resource, inNamespace, match) {
    const q = url.searchParams;
    const since = Number(q.get('resourceVersion') ?? '0');
    const timeout = Math.min(Number(q.get('timeoutSeconds') ?? '1800') || 1800, 1800);
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // As the API server does: the headers at once, before any event.
    res.flushHeaders();
    const typed = (/** @type {any} */ o) => ({ kind, apiVersion, ...o });
    const send = (/** @type {string} */ type, /** @type {unknown} */ object) => res.write(JSON.stringify({ type, object }) + '\n');
    if (!(since > 0)) {
      for (const o of items.filter((o) => match(o.metadata.labels))) send('ADDED', typed(o));
    } else if (since < cluster.compactedRv) {
      send('ERROR', statusBody(410, 'Expired', `too old resource version: ${since} (${cluster.compactedRv})`));
      res.end();
      return;
    } else {
      const rvOf = (/** @type {any} */ o) => Number(o.metadata.resourceVersion);
      const changed = items.filter((o) => rvOf(o) > since).map((o) => [rvOf(o), match(o.metadata.labels) ? 'MODIFIED' : 'DELETED', o]);
      const deleted = cluster.tombstones.filter((t) => t.resource === resource && inNamespace(t.object) && rvOf(t.object) > since).map((t) => [rvOf(t.object), 'DELETED', t.object]);
      for (const [, type, o] of [...changed, ...deleted].sort((a, b) => a[0] - b[0])) send(type, typed(o));
    }
    const end = setTimeout(() => {
      if (q.get('allowWatchBookmarks') === 'true') send('BOOKMARK', { kind, apiVersion, metadata: { resourceVersion: String(cluster.rv) } });
      res.end();
    }, timeout * 1000);
    req.on('close', () => clearTimeout(end));
  }

  /** @param {string} resource @param {string} group @param {string} namespace @param {string} name @returns {Answer} */
  function one(resource, group, namespace, name) {
    const found = objectsOf(resource).find((o) => o.metadata.namespace === namespace && o.metadata.name === name);
    if (found) return [200, found];
    const what = group ? `${resource}.${group}` : resource;
    return [404, statusBody(404, 'NotFound', `${what} "${name}" not found`, { name, group, kind: resource })];
  }

  /** A kind the named group version serves, or undefined. @param {Record<string, string>} params */
  const kindOf = ({ group, version, resource }) => /** @type {Record<string, Record<string, Record<string, { kind: string }>>>} */ (served)[group]?.[version]?.[resource]?.kind;

  return [
    // The core group.
    {
      method: 'GET',
      path: '/api/v1/:resource',
      handle: (r) => {
        const core = /** @type {Record<string, { kind: string }>} */ (CORE)[r.params.resource];
        return core ? list(r, 'v1', core.kind, r.params.resource, undefined) : NEXT;
      },
    },
    { method: 'GET', path: '/api/v1/namespaces/:namespace/pods', handle: (r) => list(r, 'v1', 'Pod', 'pods', r.params.namespace) },
    { method: 'GET', path: '/api/v1/namespaces/:namespace/pods/:name', handle: ({ params }) => one('pods', '', params.namespace, params.name) },
    { method: 'GET', path: '/api/v1/namespaces/:namespace/services', handle: (r) => list(r, 'v1', 'Service', 'services', r.params.namespace) },
    { method: 'GET', path: '/api/v1/namespaces/:namespace/services/:name', handle: ({ params }) => one('services', '', params.namespace, params.name) },
    // The named groups.
    {
      method: 'GET',
      path: '/apis/:group/:version/:resource',
      handle: (r) => {
        const kind = kindOf(r.params);
        return kind ? list(r, `${r.params.group}/${r.params.version}`, kind, r.params.resource, undefined) : NEXT;
      },
    },
    {
      method: 'GET',
      path: '/apis/:group/:version/namespaces/:namespace/:resource',
      handle: (r) => {
        const kind = kindOf(r.params);
        return kind ? list(r, `${r.params.group}/${r.params.version}`, kind, r.params.resource, r.params.namespace) : NEXT;
      },
    },
    {
      method: 'GET',
      path: '/apis/:group/:version/namespaces/:namespace/:resource/:name',
      handle: ({ params }) => (kindOf(params) ? one(params.resource, params.group, params.namespace, params.name) : NEXT),
    },
  ];
}
