// The target: a shard set of 50 shards with 2 replicas each, every API
// call taking 20 ms, read in full by getShardMetrics. Prints the time and the
// number of API calls, for a few concurrency settings. `node benches/shardset-bench.mjs`
// (after `npm run build`).
import { startCluster } from '../sim/cluster.mjs';
import { init, getShardMetrics } from '../dist/index.js';

const shards = Number(process.env.SHARDS ?? 50);
const replicas = Number(process.env.REPLICAS ?? 2);
const latencyMs = Number(process.env.LATENCY_MS ?? 20);
await init();
const sim = await startCluster({ scenario: 'bench', shards, replicas, latencyMs, frozen: true });
console.log(`node ${process.version}; ${shards} shards x ${replicas} replicas; every API call delayed ${latencyMs} ms by the simulated cluster`);
try {
  for (const concurrency of [4, 8, 16, 32]) {
    const times = [];
    let result;
    for (let i = 0; i < 5; i++) {
      const before = sim.requests.length;
      const start = performance.now();
      result = await getShardMetrics({ server: sim.url, namespace: 'flux-system', name: 'kustomize-controller-shardset', concurrency });
      times.push(performance.now() - start);
      if (sim.requests.length - before !== result.apiCalls) throw new Error(`apiCalls ${result.apiCalls} but the cluster saw ${sim.requests.length - before}`);
    }
    times.sort((a, b) => a - b);
    const pods = result.deployments.reduce((n, d) => n + d.pods.length, 0);
    console.log(
      `concurrency ${String(concurrency).padStart(2)}: median ${times[2].toFixed(0).padStart(4)} ms (min ${times[0].toFixed(0)}, max ${times[4].toFixed(0)}), ` +
        `${result.apiCalls} API calls (4 + ${pods} pods), ${result.deployments.length} rows`,
    );
  }
} finally {
  await sim.close();
}
