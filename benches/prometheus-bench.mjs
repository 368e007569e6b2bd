// One refresh of a shard set of 50 shards x 2 replicas (5,000 objects over 12 kinds, every API
// call delayed 20 ms), both ways: scraping every pod through the API server, and asking a real
// Prometheus (which scrapes the same pods) for the counts over a window, directly and through the
// API server's service proxy. Prints the median of 7 and the requests each makes.
// `node benches/prometheus-bench.mjs` (after `npm run build`; needs the `prometheus` binary).
import { startCluster } from '../sim/cluster.mjs';
import { startPrometheus } from '../sim/prometheus.mjs';
import { init, getShardMetrics } from '../dist/index.js';

const shards = Number(process.env.SHARDS ?? 50);
const replicas = Number(process.env.REPLICAS ?? 2);
const objects = Number(process.env.OBJECTS ?? 5000);
const latencyMs = Number(process.env.LATENCY_MS ?? 20);
await init();
const sim = await startCluster({ scenario: 'bench', shards, replicas, objects, latencyMs });
const prometheus = await startPrometheus({ simUrl: sim.url, interval: '2s' });
sim.setService('monitoring/prometheus:9090', prometheus.url);
await new Promise((r) => setTimeout(r, 5000));
console.log(`node ${process.version}; ${shards} shards x ${replicas} replicas, ${objects} objects over 12 kinds; every API call delayed ${latencyMs} ms; Prometheus scrapes every pod every 2 s`);
const base = { server: sim.url, namespace: 'flux-system', name: 'kustomize-controller-shardset' };
const ways = [
  ['scrape every pod', base],
  ['Prometheus, URL', { ...base, prometheus: { url: prometheus.url, window: '1h' } }],
  ['Prometheus, service proxy', { ...base, prometheus: { service: 'monitoring/prometheus:9090', window: '1h' } }],
];
try {
  for (const [what, options] of ways) {
    const times = [];
    let result;
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      result = await getShardMetrics(options);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const total = result.deployments.reduce((n, d) => n + d.reconciliations, 0);
    console.log(
      `${what.padEnd(26)} median ${times[3].toFixed(0).padStart(4)} ms (min ${times[0].toFixed(0)}, max ${times[6].toFixed(0)}), ` +
        `${result.apiCalls} Kubernetes API calls${result.source.kind === 'prometheus' ? ` (4 queries to Prometheus ${result.source.url.includes('/services/') ? 'among them' : 'besides'})` : ''}, ` +
        `${result.deployments.length} rows, ${total.toFixed(0)} reconciliations${result.source.window ? ` in the last ${result.source.window}` : ''}`,
    );
  }
} finally {
  await prometheus.stop();
  await sim.close();
}
