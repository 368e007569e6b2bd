// The issues' targets: a shard set of 50 shards with 2 replicas each, whose
// controllers reconcile 12 kinds with 5,000 objects over them, every API call
// taking 20 ms, read in full by getShardMetrics (objects per shard included).
// Prints the time and the API calls (by what they are for), for a few
// concurrency settings. `node benches/shardset-bench.mjs` (after `npm run build`).
import { startCluster } from '../sim/cluster.mjs';
import { init, getShardMetrics } from '../dist/index.js';

const shards = Number(process.env.SHARDS ?? 50);
const replicas = Number(process.env.REPLICAS ?? 2);
const objects = Number(process.env.OBJECTS ?? 5000);
const latencyMs = Number(process.env.LATENCY_MS ?? 20);
await init();
const sim = await startCluster({ scenario: 'bench', shards, replicas, objects, latencyMs, frozen: true });
console.log(`node ${process.version}; ${shards} shards x ${replicas} replicas, ${objects} objects over 12 kinds; every API call delayed ${latencyMs} ms by the simulated cluster`);
const kindOf = (request) =>
  request.includes('/proxy/metrics')
    ? 'scrapes'
    : request.includes('toolkit.fluxcd.io')
      ? 'object lists'
      : request.startsWith('GET /apis?') || request === 'GET /apis'
        ? 'discovery'
        : 'shard set, Deployments, ReplicaSets, Pods';
try {
  for (const concurrency of [4, 8, 16, 32]) {
    const times = [];
    let result;
    let seen = [];
    for (let i = 0; i < 5; i++) {
      const before = sim.requests.length;
      const start = performance.now();
      result = await getShardMetrics({ server: sim.url, namespace: 'flux-system', name: 'kustomize-controller-shardset', concurrency });
      times.push(performance.now() - start);
      seen = sim.requests.slice(before);
      if (seen.length !== result.apiCalls) throw new Error(`apiCalls ${result.apiCalls} but the cluster saw ${seen.length}`);
    }
    times.sort((a, b) => a - b);
    const by = {};
    for (const r of seen) by[kindOf(r)] = (by[kindOf(r)] ?? 0) + 1;
    const assigned = result.deployments.reduce((n, d) => n + (d.objects?.assigned ?? 0), 0);
    console.log(
      `concurrency ${String(concurrency).padStart(2)}: median ${times[2].toFixed(0).padStart(4)} ms (min ${times[0].toFixed(0)}, max ${times[4].toFixed(0)}), ` +
        `${result.apiCalls} API calls (${Object.entries(by)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')}), ${result.deployments.length} rows, ${assigned} objects assigned`,
    );
  }
} finally {
  await sim.close();
}
