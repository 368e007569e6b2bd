// @ts-check
// The API server's proxies: to a pod (`/api/v1/namespaces/NS/pods/NAME[:PORT]/proxy/PATH`,
// each controller's /metrics, as the API server answers it) and to a Service
// (`/api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH`, to a configured upstream:
// a real Prometheus in tests).
import { statusBody as status } from '../api.mjs';
import { hostile } from '../hostile.mjs';
import { send } from '../router.mjs';

/** @typedef {import('../router.mjs').Route} Route */
/** @typedef {import('node:http').ServerResponse} ServerResponse */

/** @param {import('./context.mjs').Sim} sim @returns {Route[]} */
export function proxyRoutes(sim) {
  const { cluster } = sim;

  /**
   * The pod proxy, as the API server answers it (tests/fixtures/real-cluster/status-*.json): 404 for a
   * pod that does not exist, 400 `address not allowed` for one without an IP yet, the pod's own answer,
   * or 503 `connection refused` where nothing listens (a port not declared, a process not started yet
   * or stopping, a source-controller standby's artifact server). Without a port, the first one the pod declares.
   * @type {import('../router.mjs').Handler}
   */
  async function podProxy({ req, res, params }) {
    const { namespace, target, path } = params;
    const [name, portText] = target.split(':');
    const pod = cluster.pods.find((p) => p.object.metadata.namespace === namespace && p.object.metadata.name === name);
    if (!pod) return [404, status(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' })];
    const b = pod.behaviour;
    if (b.proxy === 'forbidden') {
      return [
        403,
        status(403, 'Forbidden', `pods "${name}" is forbidden: User "system:serviceaccount:flux-system:viewer" cannot get resource "pods/proxy" in API group "" in the namespace "${namespace}"`, {
          name,
          kind: 'pods',
        }),
      ];
    }
    const ip = pod.object.status.podIP;
    if (!ip) return [400, status(400, 'BadRequest', 'address not allowed')];
    const port = portText === undefined ? pod.object.spec.containers[0].ports[0].containerPort : Number(portText);
    const server = cluster.listener(pod, port);
    if (server === null) return [503, status(503, 'ServiceUnavailable', `error trying to reach service: dial tcp ${ip}:${port}: connect: connection refused`)];
    /** @param {number} code @param {string} body */
    const text = (code, body) => {
      res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    // Go's http.ServeMux and file server for what is not there.
    if (server === 'healthz') return ['healthz', 'readyz'].includes(path) ? text(200, 'ok') : text(404, '404 page not found\n');
    if (server === 'artifacts') return path === '' ? text(200, '') : text(404, '404 page not found\n');
    if (server === 'http' || path !== 'metrics') return text(404, '404 page not found\n');
    if (b.proxy === 'slow') await new Promise((r) => setTimeout(r, sim.slowMs));
    const body = sim.counters.metricsBody(pod);
    const seen = (pod.seen = (pod.seen ?? 0) + 1);
    if (hostile(b.proxy, req, res, body, seen)) return;
    // controller-runtime's metrics server speaks the text format only.
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  /** @type {import('../router.mjs').Handler} */
  async function serviceProxy({ res, url, params }) {
    const { namespace, target, path } = params;
    const upstream = sim.services.get(`${namespace}/${target}`);
    if (!upstream) {
      const name = target.split(':')[0];
      return [404, status(404, 'NotFound', `services "${name}" not found`, { name, kind: 'services' })];
    }
    try {
      const answer = await fetch(`${upstream}/${path}${url.search}`);
      const body = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/octet-stream', 'content-length': body.length });
      res.end(body);
    } catch (e) {
      const error = /** @type {Error & { cause?: { code?: string } }} */ (e);
      send(res, 503, status(503, 'ServiceUnavailable', `error trying to reach service: ${error.cause?.code ?? error.message}`));
    }
  }

  return [
    { method: 'GET', path: '/api/v1/namespaces/:namespace/pods/:target/proxy/*path', handle: podProxy },
    { method: 'GET', path: '/api/v1/namespaces/:namespace/services/:target/proxy/*path', handle: serviceProxy },
  ];
}
