// @ts-check
// The simulated cluster's test hooks, as routes: a delay before every GET,
// paths that answer once with 429 + Retry-After or with an HTML login page,
// and the running pods as Prometheus HTTP service discovery targets.
import { NEXT } from '../router.mjs';
import { statusBody } from '../api.mjs';

/** @typedef {import('../router.mjs').Route} Route */

/** The `app` values the flux2-monitoring-example PodMonitor selects (`matchExpressions: app In …`). */
const POD_MONITOR_APPS = ['helm-controller', 'source-controller', 'kustomize-controller', 'notification-controller', 'image-automation-controller', 'image-reflector-controller'];

/** @param {import('./context.mjs').Sim} sim @returns {Route[]} */
export function hookRoutes(sim) {
  return [
    {
      method: 'GET',
      path: '*path',
      handle: () => (sim.latencyMs ? new Promise((resolve) => setTimeout(() => resolve(NEXT), sim.latencyMs)) : NEXT),
    },
    {
      method: 'GET',
      path: '*path',
      handle: ({ url, res }) => {
        if (sim.quirks.retryAfterOnce.delete(url.pathname)) {
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
          res.end(JSON.stringify(statusBody(429, 'TooManyRequests', 'too many requests, please try again later')));
          return;
        }
        if (sim.quirks.html.has(url.pathname)) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end('<!DOCTYPE html>\n<html><head><title>Sign in · Dex</title></head><body>Log in to continue</body></html>\n');
          return;
        }
        return NEXT;
      },
    },
    // Not Kubernetes: the running pods as Prometheus HTTP service discovery targets, each scraped through
    // this server's pod proxy with the `namespace` and `pod` labels a PodMonitor gives — the pods that
    // the flux2-monitoring-example PodMonitor selects, `app in (<the Flux controllers>)`: a
    // FluxShardSet's shards (which keep the source's `app`), never the Flux Operator's or hand-made
    // shards (`app: <controller>-<shard>`), whose rows the core then explains.
    // Pods whose metrics server does not listen (starting, terminating) are left out: Prometheus would only see them down.
    {
      method: 'GET',
      path: '/sim/prometheus-targets',
      handle: () => {
        const targets = sim.cluster.pods
          .filter((pod) => POD_MONITOR_APPS.includes(pod.object.metadata.labels?.app))
          .filter((pod) => sim.cluster.listener(pod, pod.behaviour.metricsPort) === 'metrics' && !['forbidden', 'slow'].includes(pod.behaviour.proxy ?? 'ok'))
          .map((pod) => {
            const { namespace, name } = pod.object.metadata;
            return {
              targets: [`127.0.0.1:${sim.port()}`],
              labels: { __metrics_path__: `/api/v1/namespaces/${namespace}/pods/${name}:${pod.behaviour.metricsPort}/proxy/metrics`, namespace, pod: name },
            };
          });
        return [200, targets];
      },
    },
  ];
}
