#!/usr/bin/env node
// A simulated Kubernetes API server for the tests and the demo. It serves, as
// a real API server does, the paths flux-shard-metrics and kubectl use:
// discovery (plain and aggregated), FluxShardSets, Deployments, ReplicaSets,
// Pods and Flux's objects (lists with label selectors, pages, the Table and
// metadata-only forms, single objects, `Status` errors), and the pod proxy to
// each controller's /metrics, whose counters advance while it runs (unless --frozen).
// What it answers is checked against what a real cluster answered (tests/fixtures/real-cluster/,
// tests/js/real-shapes.test.mjs).
//
//   node sim/cluster.mjs [--port 0] [--scenario demo|bench|hostile|real-cluster] [--shards 50] [--replicas 2] [--objects 5000] [--crowd 20000]
//                        [--latency-ms 0] [--slow-ms 30000] [--frozen] [--kubeconfig FILE]
//
// In-process (tests): `const sim = await startCluster({ frozen: true }); sim.advance(60);`
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { SCENARIOS, START_TIME } from './scenarios.mjs';
import { parseSelector } from './selectors.mjs';
import { renderControllerMetrics } from './controller-metrics.mjs';
import { hostile } from './hostile.mjs';
import { FLUX_KINDS, uuid } from './flux.mjs';
import { resources, CORE, groupList, aggregatedGroups, resourceList, coreResourceList, page, statusBody as status } from './api.mjs';

/** Starts the server; resolves to { url, port, close, requests, authorizations, accepts, advance }. */
export async function startCluster(options = {}) {
  const now = Date.now() / 1000;
  const scenario = SCENARIOS[options.scenario ?? 'demo'] ?? SCENARIOS.demo;
  const cluster = scenario({ now, shards: options.shards, replicas: options.replicas, objects: options.objects, kinds: options.kinds, crowd: options.crowd, modes: options.modes });
  // API-level misbehaviour on demand: paths answered once with 429 + Retry-After, or with an HTML page.
  const quirks = { retryAfterOnce: new Set(options.quirks?.retryAfterOnce ?? []), html: new Set(options.quirks?.html ?? []) };
  const latency = options.latencyMs ?? 0;
  const slow = options.slowMs ?? 30000;
  let started = Date.now();
  let offset = 0;
  let frozen = Boolean(options.frozen);
  if (options.fresh) {
    // Every process starts now with its counters at zero (what a Prometheus that scrapes from the start sees).
    for (const pod of cluster.pods) {
      pod.behaviour.epoch = 0;
      pod.behaviour.startTime = Math.floor(now);
    }
  }
  /** Upstreams of the service proxy, `namespace/name:port` → base URL (a real Prometheus in tests). */
  const services = new Map(Object.entries(options.services ?? {}));
  // Seconds the counters have run: real time unless frozen, plus what tests add with advance().
  // `speed` runs the counters that many times faster than the clock (Prometheus tests want big numbers soon).
  const speed = options.speed ?? 1;
  const elapsed = () => (frozen ? 0 : (speed * (Date.now() - started)) / 1000) + offset;
  const requests = [];
  // The Authorization and Accept headers of each request, for tests of embedders' headers and of what is asked for.
  const authorizations = [];
  const accepts = [];
  const userAgents = [];
  const served = resources();

  const objectsOf = (resource) => {
    switch (resource) {
      case 'pods':
        return cluster.pods.map((p) => p.object);
      case 'deployments':
        return cluster.deployments;
      case 'replicasets':
        return cluster.replicaSets;
      case 'fluxshardsets':
        return cluster.shardSets;
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
  // Built-in kinds come in lists without their own kind and apiVersion; custom resources keep theirs.
  const BUILT_IN = new Set(['pods', 'deployments', 'replicasets', 'namespaces']);

  function list(req, apiVersion, kind, resource, namespace, query) {
    let items = objectsOf(resource).filter((o) => namespace === undefined || o.metadata.namespace === namespace);
    const selector = query.get('labelSelector');
    if (selector) {
      let match;
      try {
        match = parseSelector(selector);
      } catch (e) {
        return [400, status(400, 'BadRequest', e.message)];
      }
      items = items.filter((o) => match(o.metadata.labels));
    }
    return page({ items, kind, apiVersion, query, accept: req.headers.accept, namespace, resourceVersion: String(cluster.rv), typeMeta: !BUILT_IN.has(resource) });
  }

  function one(resource, group, namespace, name) {
    const found = objectsOf(resource).find((o) => o.metadata.namespace === namespace && o.metadata.name === name);
    if (found) return [200, found];
    const what = group ? `${resource}.${group}` : resource;
    return [404, status(404, 'NotFound', `${what} "${name}" not found`, { name, group, kind: resource })];
  }

  /**
   * A pod's counters now, per kind: its process' totals. A pod with an `epoch` (restarted, rolled,
   * a standby that took the lease over, or every pod with `fresh`) counts from zero since then, as a
   * new process does; a stopped one (terminating) counts no more.
   */
  function countersOf(b) {
    const fresh = b.epoch !== undefined;
    const t = Math.max(0, Math.min(elapsed(), b.stoppedAt ?? Infinity) - (b.epoch ?? 0));
    const counters = {};
    for (const [kind, r] of Object.entries(b.reconciles ?? {})) {
      const errors = (fresh ? 0 : (r.error ?? 0)) + Math.floor((r.errorPerSecond ?? 0) * t);
      const total = Math.max(errors, (fresh ? 0 : (r.total ?? 0)) + Math.floor((r.perSecond ?? 0) * t));
      counters[kind] = { total, errors };
    }
    return counters;
  }

  const matchers = new Map();
  /** The Flux objects a leader reconciled (those its --watch-label-selector selects), each about as often. */
  function reconciledObjects(b, counters) {
    if (!matchers.has(b.selector)) matchers.set(b.selector, b.selector ? parseSelector(b.selector) : () => true);
    const match = matchers.get(b.selector);
    const out = [];
    for (const k of FLUX_KINDS.filter((k) => k.controller === b.app)) {
      const total = counters[k.kind.toLowerCase()]?.total ?? 0;
      const objects = total > 0 ? (cluster.objects.get(k.plural) ?? []).filter((o) => match(o.metadata.labels)) : [];
      objects.forEach((o, i) => out.push({ kind: k.kind, name: o.metadata.name, namespace: o.metadata.namespace, count: Math.floor(total / objects.length) + (i < total % objects.length ? 1 : 0) }));
    }
    return out;
  }

  /** A controller's /metrics now: results mostly `requeue_after`, as Flux requeues every object on its interval. */
  function metricsBody(pod) {
    const b = pod.behaviour;
    const t = elapsed();
    const reconciles = {};
    // controller-runtime starts every controller of the process, so each reports its series, at 0 until it works.
    for (const k of FLUX_KINDS.filter((k) => k.controller === b.app)) reconciles[k.kind.toLowerCase()] = { success: 0, error: 0, requeue: 0, requeue_after: 0 };
    const counters = countersOf(b);
    for (const [kind, { total, errors }] of Object.entries(counters)) {
      const ok = total - errors;
      const success = Math.floor(ok / 10);
      reconciles[kind] = { success, error: errors, requeue: 0, requeue_after: ok - success };
    }
    return renderControllerMetrics({
      controller: b.app,
      reconciles,
      leader: b.leader,
      standby: b.standby,
      lease: b.lease,
      maxConcurrent: b.maxConcurrent,
      startTime: b.startTime,
      seed: b.startTime,
      realistic: true,
      uptime: Math.max(0, b.epoch !== undefined ? t - b.epoch : now - b.startTime + t),
      objects: b.standby ? [] : reconciledObjects(b, counters),
      queueDepth: b.queueDepth === undefined ? 0 : b.queueDepth + Math.floor(t),
      activeWorkers: b.queueDepth === undefined ? 0 : 4,
    });
  }

  function totals(b) {
    const counters = Object.values(countersOf(b));
    return { reconciliations: counters.reduce((n, c) => n + c.total, 0), errors: counters.reduce((n, c) => n + c.errors, 0) };
  }

  /**
   * The pod proxy: `/api/v1/namespaces/NS/pods/NAME[:PORT]/proxy/PATH`, as the API server answers it
   * (tests/fixtures/real-cluster/status-*.json): 404 for a pod that does not exist, 400 `address not
   * allowed` for one without an IP yet, the pod's own answer, or 503 `connection refused` where
   * nothing listens (a port not declared, a process not started yet or stopping, a source-controller
   * standby's artifact server). Without a port, the first one the pod declares.
   */
  async function proxy(req, res, namespace, target, path) {
    const [name, portText] = target.split(':');
    const pod = cluster.pods.find((p) => p.object.metadata.namespace === namespace && p.object.metadata.name === name);
    if (!pod) return send(res, 404, status(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }));
    const b = pod.behaviour;
    if (b.proxy === 'forbidden') {
      return send(
        res,
        403,
        status(403, 'Forbidden', `pods "${name}" is forbidden: User "system:serviceaccount:flux-system:viewer" cannot get resource "pods/proxy" in API group "" in the namespace "${namespace}"`, {
          name,
          kind: 'pods',
        }),
      );
    }
    const ip = pod.object.status.podIP;
    if (!ip) return send(res, 400, status(400, 'BadRequest', 'address not allowed'));
    const port = portText === undefined ? pod.object.spec.containers[0].ports[0].containerPort : Number(portText);
    const server = cluster.listener(pod, port);
    if (server === null) return send(res, 503, status(503, 'ServiceUnavailable', `error trying to reach service: dial tcp ${ip}:${port}: connect: connection refused`));
    const text = (code, body) => {
      res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    // Go's http.ServeMux and file server for what is not there.
    if (server === 'healthz') return ['healthz', 'readyz'].includes(path) ? text(200, 'ok') : text(404, '404 page not found\n');
    if (server === 'artifacts') return path === '' ? text(200, '') : text(404, '404 page not found\n');
    if (server === 'http' || path !== 'metrics') return text(404, '404 page not found\n');
    if (b.proxy === 'slow') await new Promise((r) => setTimeout(r, slow));
    const body = metricsBody(pod);
    const seen = (pod.seen = (pod.seen ?? 0) + 1);
    if (hostile(b.proxy, req, res, body, seen)) return;
    // controller-runtime's metrics server speaks the text format only.
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  /** The service proxy: `/api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH`, to a configured upstream. */
  async function serviceProxy(res, namespace, target, path, search) {
    const upstream = services.get(`${namespace}/${target}`);
    if (!upstream) {
      const name = target.split(':')[0];
      return send(res, 404, status(404, 'NotFound', `services "${name}" not found`, { name, kind: 'services' }));
    }
    try {
      const answer = await fetch(`${upstream}/${path}${search}`);
      const body = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/octet-stream', 'content-length': body.length });
      return res.end(body);
    } catch (e) {
      return send(res, 503, status(503, 'ServiceUnavailable', `error trying to reach service: ${e.cause?.code ?? e.message}`));
    }
  }

  function send(res, code, body, contentType = 'application/json') {
    const text = JSON.stringify(body);
    if (!res.headersSent) res.writeHead(code, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  /** Moves pods along their lives (terminating → gone, starting → serving) to now. */
  const settle = () => cluster.settle(elapsed(), Date.now() / 1000);

  async function route(req, res) {
    settle();
    const url = new URL(req.url, 'http://sim');
    const p = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    authorizations.push(req.headers.authorization ?? null);
    accepts.push(req.headers.accept ?? null);
    userAgents.push(req.headers['user-agent'] ?? null);
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      return res.end();
    }
    if (req.method !== 'GET') {
      return send(res, 405, status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${req.method} is not served by the simulated cluster)`));
    }
    if (latency) await new Promise((r) => setTimeout(r, latency));
    if (quirks.retryAfterOnce.delete(url.pathname)) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      return res.end(JSON.stringify(status(429, 'TooManyRequests', 'too many requests, please try again later')));
    }
    if (quirks.html.has(url.pathname)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end('<!DOCTYPE html>\n<html><head><title>Sign in · Dex</title></head><body>Log in to continue</body></html>\n');
    }
    // Not Kubernetes: the running pods as Prometheus HTTP service discovery targets, each scraped through
    // this server's pod proxy with the `namespace` and `pod` labels a PodMonitor gives.
    // Pods whose metrics server does not listen (starting, terminating) are left out: Prometheus would only see them down.
    if (url.pathname === '/sim/prometheus-targets') {
      const targets = cluster.pods
        .filter((pod) => cluster.listener(pod, pod.behaviour.metricsPort) === 'metrics' && !['forbidden', 'slow'].includes(pod.behaviour.proxy ?? 'ok'))
        .map((pod) => {
          const { namespace, name } = pod.object.metadata;
          return { targets: [`127.0.0.1:${port}`], labels: { __metrics_path__: `/api/v1/namespaces/${namespace}/pods/${name}:${pod.behaviour.metricsPort}/proxy/metrics`, namespace, pod: name } };
        });
      return send(res, 200, targets);
    }
    if (url.pathname === '/version') {
      return send(res, 200, {
        major: '1',
        minor: '37',
        emulationMajor: '1',
        emulationMinor: '37',
        minCompatibilityMajor: '1',
        minCompatibilityMinor: '36',
        gitVersion: 'v1.37.2',
        gitCommit: '5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b',
        gitTreeState: 'clean',
        buildDate: '2026-11-12T10:00:00Z',
        goVersion: 'go1.26.8',
        compiler: 'gc',
        platform: 'linux/amd64',
      });
    }
    if (url.pathname === '/healthz' || url.pathname === '/readyz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('ok');
    }
    if (url.pathname === '/api') return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (url.pathname === '/apis') {
      if (/as=APIGroupDiscoveryList/.test(req.headers.accept ?? '')) {
        return send(res, 200, aggregatedGroups(), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
      }
      return send(res, 200, groupList());
    }
    // Discovery: which resources each group/version serves (what `kubectl get` reads first).
    if (url.pathname === '/api/v1') return send(res, 200, coreResourceList());
    if (p[0] === 'apis' && p.length === 3) {
      const doc = resourceList(p[1], p[2]);
      if (doc) return send(res, 200, doc);
    }
    // Core group: /api/v1/...
    if (p[0] === 'api' && p[1] === 'v1') {
      const rest = p.slice(2);
      if (rest.length === 1 && CORE[rest[0]]) return send(res, ...list(req, 'v1', CORE[rest[0]].kind, rest[0], undefined, url.searchParams));
      if (rest[0] === 'namespaces' && rest.length >= 3) {
        const [, ns, resource, name, sub, ...tail] = rest;
        if (resource === 'pods' && name && sub === 'proxy') return proxy(req, res, ns, name, tail.join('/'));
        if (resource === 'services' && name && sub === 'proxy') return serviceProxy(res, ns, name, tail.join('/'), url.search);
        if (resource === 'pods' && !name) return send(res, ...list(req, 'v1', 'Pod', 'pods', ns, url.searchParams));
        if (resource === 'pods' && name && !sub) return send(res, ...one('pods', '', ns, name));
      }
    }
    // Named groups: /apis/GROUP/VERSION/...
    const version = p[0] === 'apis' ? served[p[1]]?.[p[2]] : undefined;
    if (version) {
      const [group, v] = [p[1], p[2]];
      const apiVersion = `${group}/${v}`;
      const rest = p.slice(3);
      if (rest.length === 1 && version[rest[0]]) return send(res, ...list(req, apiVersion, version[rest[0]].kind, rest[0], undefined, url.searchParams));
      if (rest[0] === 'namespaces' && version[rest[2]]) {
        const [, ns, resource, name] = rest;
        if (rest.length === 3) return send(res, ...list(req, apiVersion, version[resource].kind, resource, ns, url.searchParams));
        if (rest.length === 4) return send(res, ...one(resource, group, ns, name));
      }
    }
    return send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
  }

  let port = 0;
  const server = createServer((req, res) => {
    // Browser tests fetch this server from another origin.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'authorization, content-type, accept, user-agent');
    res.setHeader('access-control-allow-methods', 'GET');
    route(req, res).catch((e) => send(res, 500, status(500, 'InternalError', String(e?.stack ?? e))));
  });
  await new Promise((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  port = server.address().port;
  const url = `http://127.0.0.1:${port}`;
  if (options.kubeconfig) writeFileSync(options.kubeconfig, kubeconfig(url));
  return {
    url,
    port,
    requests,
    authorizations,
    accepts,
    userAgents,
    cluster,
    /** Moves the counters `seconds` ahead, as if that much time had passed. */
    advance: (seconds) => {
      offset += seconds;
    },
    /** Stops the counters where they are (`freeze`) or lets them run from there (`run`). */
    freeze: () => {
      if (!frozen) offset = elapsed();
      frozen = true;
    },
    run: () => {
      if (frozen) started = Date.now();
      frozen = false;
    },
    /** What a pod's process has counted so far: `{ reconciliations, errors }`. */
    countsOf: (name) => totals(cluster.pods.find((p) => p.object.metadata.name === name).behaviour),
    /**
     * Restarts a pod's container: its process starts again, counters at zero. Resolves to what the old
     * process had counted, which only a store that scraped it (Prometheus) still knows.
     */
    restartPod: (name) => {
      settle();
      const pod = cluster.pods.find((p) => p.object.metadata.name === name);
      const before = totals(pod.behaviour);
      pod.behaviour.epoch = elapsed();
      pod.behaviour.startTime = Math.floor(Date.now() / 1000);
      cluster.restarted(pod, Date.now() / 1000);
      return before;
    },
    /**
     * Rolls a Deployment as the Deployment controller does (Recreate, Flux's strategy): its pods
     * terminate (`terminatingSeconds`, sim seconds, default 2), then the new ReplicaSet's pods start,
     * counters at zero; with `startingSeconds` they are Running but not Ready, their ports not
     * listening, that long (Infinity: until the end). Resolves to what the old pods had counted.
     * @param {string} namespace @param {string} name
     * @param {{startingSeconds?: number, terminatingSeconds?: number}} [options]
     */
    rollDeployment: (namespace, name, { startingSeconds, terminatingSeconds } = {}) => {
      settle();
      const gone = cluster.roll(namespace, name, Date.now() / 1000, elapsed(), { startingSeconds, terminatingSeconds });
      return gone.reduce((sum, b) => ({ reconciliations: sum.reconciliations + totals(b).reconciliations, errors: sum.errors + totals(b).errors }), { reconciliations: 0, errors: 0 });
    },
    /**
     * Deletes a pod as `kubectl delete pod` does: it is Terminating (deletionTimestamp, still Running,
     * not Ready, its ports closed: the pod proxy answers 503) for `terminatingSeconds` (sim seconds,
     * default 2; Infinity: until the end), then gone; a standby takes the lease over if it led; its
     * ReplicaSet creates a replacement at once, starting for `startingSeconds` (default 0). Resolves
     * to what its process had counted.
     * @param {string} name
     * @param {{terminatingSeconds?: number, startingSeconds?: number}} [options]
     */
    terminatePod: (name, { terminatingSeconds, startingSeconds } = {}) => {
      settle();
      return totals(cluster.deletePod(name, Date.now() / 1000, elapsed(), { terminatingSeconds, startingSeconds }));
    },
    /** Serves `namespace/name:port`'s service proxy from `upstream` (a base URL). */
    setService: (key, upstream) => services.set(key, upstream),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/** A kubeconfig for `kubectl` pointing at the simulated cluster. */
export function kubeconfig(url) {
  return `apiVersion: v1
kind: Config
clusters:
- name: flux-shard-metrics-sim
  cluster:
    server: ${url}
users:
- name: sim-user
  user: {}
contexts:
- name: flux-shard-metrics-sim
  context:
    cluster: flux-shard-metrics-sim
    user: sim-user
    namespace: flux-system
current-context: flux-shard-metrics-sim
`;
}

export { START_TIME };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      scenario: { type: 'string', default: 'demo' },
      shards: { type: 'string', default: '50' },
      replicas: { type: 'string', default: '2' },
      objects: { type: 'string', default: '5000' },
      crowd: { type: 'string', default: '0' },
      modes: { type: 'string' },
      'latency-ms': { type: 'string', default: '0' },
      'slow-ms': { type: 'string', default: '30000' },
      frozen: { type: 'boolean', default: false },
      kubeconfig: { type: 'string' },
    },
  });
  if (!SCENARIOS[values.scenario]) {
    console.error(`unknown scenario '${values.scenario}': expected ${Object.keys(SCENARIOS).join(' or ')}`);
    process.exit(2);
  }
  const sim = await startCluster({
    port: Number(values.port),
    host: values.host,
    scenario: values.scenario,
    shards: Number(values.shards),
    replicas: Number(values.replicas),
    objects: Number(values.objects),
    crowd: Number(values.crowd),
    modes: values.modes?.split(','),
    latencyMs: Number(values['latency-ms']),
    slowMs: Number(values['slow-ms']),
    frozen: values.frozen,
    kubeconfig: values.kubeconfig,
  });
  console.log(`simulated cluster: ${sim.url}${values.kubeconfig ? ` (kubeconfig: ${values.kubeconfig})` : ''}`);
  const stop = () => sim.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
