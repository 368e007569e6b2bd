#!/usr/bin/env node
// @ts-check
// A simulated Kubernetes API server for the tests and the demo. It serves, as
// a real API server does, the paths flux-shard-metrics and kubectl use:
// discovery (plain and aggregated), FluxShardSets, FluxInstances, Deployments,
// ReplicaSets, Pods, Services and Flux's objects (lists with label selectors, pages, the Table and
// metadata-only forms, single objects, `Status` errors), and the pod proxy to
// each controller's /metrics, whose counters advance while it runs (unless --frozen).
// What it answers is checked against what a real cluster answered (tests/fixtures/real-cluster/,
// tests/js/real-shapes.test.mjs).
//
// This file is the server: a route table (router.mjs) over the families of
// routes in routes/ (test hooks, discovery, objects, proxies), tried in order,
// and the test API of `startCluster`. The objects are model.mjs's, the
// scenarios scenarios.mjs's, the counters counters.mjs's.
//
//   node sim/cluster.mjs [--port 0] [--scenario demo|operator|manual|bench|hostile|real-cluster] [--shards 50] [--replicas 2] [--objects 5000] [--crowd 20000]
//                        [--latency-ms 0] [--slow-ms 30000] [--frozen] [--kubeconfig FILE]
//
// In-process (tests): `const sim = await startCluster({ frozen: true }); sim.advance(60);`
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { SCENARIOS, START_TIME } from './scenarios.mjs';
import { resources, statusBody as status } from './api.mjs';
import { dispatch, send } from './router.mjs';
import { simClock } from './clock.mjs';
import { counters } from './counters.mjs';
import { hookRoutes } from './routes/hooks.mjs';
import { discoveryRoutes } from './routes/discovery.mjs';
import { objectRoutes } from './routes/objects.mjs';
import { proxyRoutes } from './routes/proxy.mjs';

/** @typedef {import('./router.mjs').Route} Route */

/**
 * @typedef {object} ClusterOptions
 * @property {string} [scenario] `demo` (the default), `operator`, `manual`, `bench`, `hostile` or `real-cluster`
 * @property {number} [shards] @property {number} [replicas] @property {number} [objects] @property {string[]} [kinds] @property {number} [crowd] @property {string[]} [modes] the scenario's sizes and modes
 * @property {boolean} [markup] the demo's first shard set has a controller named with markup (tests that cluster data is shown as text; never the demo)
 * @property {{ retryAfterOnce?: string[], html?: string[] }} [quirks] paths answered once with 429 + Retry-After, or with an HTML page
 * @property {number} [latencyMs] a delay before every GET
 * @property {number} [slowMs] how long a `slow` pod takes to answer (30 s)
 * @property {boolean} [frozen] counters that do not run by themselves
 * @property {boolean} [fresh] every process starts now with its counters at zero
 * @property {number} [speed] counters that run this many times faster than the clock
 * @property {Record<string, string>} [services] the service proxy's upstreams, `namespace/name:port` → base URL
 * @property {number} [port] @property {string} [host] where to listen (127.0.0.1, a free port)
 * @property {string} [kubeconfig] a kubeconfig for `kubectl` to write, pointing here
 */

/**
 * The routes, in order: CORS preflights, the test hooks, discovery, the proxies, the objects, then
 * 404 for any other GET and 405 for any other method (only GETs are served).
 * @param {import('./routes/context.mjs').Sim} sim
 * @returns {Route[]}
 */
export function routes(sim) {
  return [
    {
      method: 'OPTIONS',
      path: '*path',
      handle: ({ res }) => {
        res.writeHead(204);
        res.end();
      },
    },
    ...hookRoutes(sim),
    ...discoveryRoutes(),
    ...proxyRoutes(sim),
    ...objectRoutes(sim),
    { method: 'GET', path: '*path', handle: () => [404, status(404, 'NotFound', 'the server could not find the requested resource')] },
    {
      method: '*',
      path: '*path',
      handle: ({ req }) => [405, status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${req.method} is not served by the simulated cluster)`)],
    },
  ];
}

/**
 * Starts the server; resolves to its URL and the test API (what it was asked, its clock, its pods).
 * @param {ClusterOptions} [options]
 */
export async function startCluster(options = {}) {
  const now = Date.now() / 1000;
  const scenario = SCENARIOS[/** @type {keyof typeof SCENARIOS} */ (options.scenario ?? 'demo')] ?? SCENARIOS.demo;
  const cluster = scenario({
    now,
    shards: options.shards,
    replicas: options.replicas,
    objects: options.objects,
    kinds: options.kinds,
    crowd: options.crowd,
    modes: options.modes,
    markup: options.markup,
  });
  if (options.fresh) {
    // Every process starts now with its counters at zero (what a Prometheus that scrapes from the start sees).
    for (const pod of cluster.pods) {
      pod.behaviour.epoch = 0;
      pod.behaviour.startTime = Math.floor(now);
    }
  }
  const clock = simClock({ frozen: options.frozen, speed: options.speed });
  const count = counters(cluster, clock.elapsed, now);
  let port = 0;
  /** @type {import('./routes/context.mjs').Sim} */
  const sim = {
    cluster,
    served: resources(),
    clock,
    counters: count,
    services: new Map(Object.entries(options.services ?? {})),
    quirks: { retryAfterOnce: new Set(options.quirks?.retryAfterOnce ?? []), html: new Set(options.quirks?.html ?? []) },
    latencyMs: options.latencyMs ?? 0,
    slowMs: options.slowMs ?? 30000,
    port: () => port,
  };
  const table = routes(sim);
  /** Every request as `METHOD /path?query`, and its Authorization, Accept and User-Agent headers (or null). */
  const requests = /** @type {string[]} */ ([]);
  const authorizations = /** @type {(string | null)[]} */ ([]);
  const accepts = /** @type {(string | null)[]} */ ([]);
  const userAgents = /** @type {(string | null)[]} */ ([]);
  /** Moves pods along their lives (terminating → gone, starting → serving) to now. */
  const settle = () => cluster.settle(clock.elapsed(), Date.now() / 1000);

  const server = createServer((req, res) => {
    settle();
    const url = new URL(req.url ?? '/', 'http://sim');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    authorizations.push(req.headers.authorization ?? null);
    accepts.push(req.headers.accept ?? null);
    const agent = req.headers['user-agent'];
    userAgents.push(agent ?? null);
    // Browser tests fetch this server from another origin.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'authorization, content-type, accept, user-agent');
    res.setHeader('access-control-allow-methods', 'GET');
    dispatch(table, req, res).catch((e) => send(res, 500, status(500, 'InternalError', String(e?.stack ?? e))));
  });
  await new Promise((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(undefined)));
  port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  const url = `http://127.0.0.1:${port}`;
  if (options.kubeconfig) writeFileSync(options.kubeconfig, kubeconfig(url));
  /** @param {string} name */
  const podNamed = (name) => {
    const pod = cluster.pods.find((p) => p.object.metadata.name === name);
    if (!pod) throw new Error(`no pod ${name} in the simulated cluster`);
    return pod;
  };
  return {
    url,
    port,
    requests,
    authorizations,
    accepts,
    userAgents,
    cluster,
    /** Moves the counters `seconds` ahead, as if that much time had passed. */
    advance: clock.advance,
    /** Stops the counters where they are (`freeze`) or lets them run from there (`run`). */
    freeze: clock.freeze,
    run: clock.run,
    /** What a pod's process has counted so far: `{ reconciliations, errors }`. @param {string} name */
    countsOf: (name) => count.totals(podNamed(name).behaviour),
    /**
     * Restarts a pod's container: its process starts again, counters at zero. Returns what the old
     * process had counted, which only a store that scraped it (Prometheus) still knows.
     * @param {string} name
     */
    restartPod: (name) => {
      settle();
      const pod = podNamed(name);
      const before = count.totals(pod.behaviour);
      pod.behaviour.epoch = clock.elapsed();
      pod.behaviour.startTime = Math.floor(Date.now() / 1000);
      cluster.restarted(pod, Date.now() / 1000);
      return before;
    },
    /**
     * Rolls a Deployment as the Deployment controller does (Recreate, Flux's strategy): its pods
     * terminate (`terminatingSeconds`, sim seconds, default 2), then the new ReplicaSet's pods start,
     * counters at zero; with `startingSeconds` they are Running but not Ready, their ports not
     * listening, that long (Infinity: until the end). Returns what the old pods had counted.
     * @param {string} namespace @param {string} name
     * @param {{startingSeconds?: number, terminatingSeconds?: number}} [options]
     */
    rollDeployment: (namespace, name, { startingSeconds, terminatingSeconds } = {}) => {
      settle();
      const gone = cluster.roll(namespace, name, Date.now() / 1000, clock.elapsed(), { startingSeconds, terminatingSeconds });
      return gone.reduce(
        (/** @type {{ reconciliations: number, errors: number }} */ sum, /** @type {unknown} */ b) => {
          const t = count.totals(b);
          return { reconciliations: sum.reconciliations + t.reconciliations, errors: sum.errors + t.errors };
        },
        { reconciliations: 0, errors: 0 },
      );
    },
    /**
     * Deletes a pod as `kubectl delete pod` does: it is Terminating (deletionTimestamp, still Running,
     * not Ready, its ports closed: the pod proxy answers 503) for `terminatingSeconds` (sim seconds,
     * default 2; Infinity: until the end), then gone; a standby takes the lease over if it led; its
     * ReplicaSet creates a replacement at once, starting for `startingSeconds` (default 0). Returns
     * what its process had counted.
     * @param {string} name
     * @param {{terminatingSeconds?: number, startingSeconds?: number}} [options]
     */
    terminatePod: (name, { terminatingSeconds, startingSeconds } = {}) => {
      settle();
      return count.totals(cluster.deletePod(name, Date.now() / 1000, clock.elapsed(), { terminatingSeconds, startingSeconds }));
    },
    /**
     * Changes a Flux object as a write does: `edit(object)`, then the next resourceVersion (a watch
     * sees it). Throws when there is no such object.
     * @param {string} resource the plural (`kustomizations`) @param {string} namespace @param {string} name @param {(object: any) => void} edit
     */
    editObject: (resource, namespace, name, edit) => {
      const object = (cluster.objects.get(resource) ?? []).find((o) => o.metadata.namespace === namespace && o.metadata.name === name);
      if (!object) throw new Error(`no ${resource} ${namespace}/${name} in the simulated cluster`);
      edit(object);
      object.metadata.resourceVersion = cluster.nextRv();
    },
    /** Deletes a Flux object (a watch sees it DELETED). @param {string} resource @param {string} namespace @param {string} name */
    deleteObject: (resource, namespace, name) => {
      const objects = cluster.objects.get(resource) ?? [];
      const at = objects.findIndex((o) => o.metadata.namespace === namespace && o.metadata.name === name);
      if (at < 0) throw new Error(`no ${resource} ${namespace}/${name} in the simulated cluster`);
      const [object] = objects.splice(at, 1);
      cluster.deleted(resource, object);
    },
    /** Compacts the history as etcd does: a watch from any resourceVersion before now answers 410 Gone. */
    compact: () => {
      cluster.compactedRv = cluster.rv;
    },
    /** Serves `namespace/name:port`'s service proxy from `upstream` (a base URL). @param {string} key @param {string} upstream */
    setService: (key, upstream) => sim.services.set(key, upstream),
    /** @returns {Promise<void>} */
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A kubeconfig for `kubectl` pointing at the simulated cluster. @param {string} url */
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
  if (!Object.hasOwn(SCENARIOS, values.scenario)) {
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
