// The issues' targets: a shard set of 50 shards with 2 replicas each, whose
// controllers reconcile 12 kinds with 5,000 objects over them, every API call
// taking 20 ms, read in full by getShardMetrics (objects per shard included).
// The simulated cluster runs in a child process, so the time and CPU measured
// are the client's alone (in one process, serving 101 scrapes took as long as
// reading them). Prints the time, the client's CPU and the API calls (by what
// they are for), for a few concurrency settings.
// `node benches/shardset-bench.mjs` (after `npm run build`).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { init, getShardMetrics } from '../dist/index.js';

const shards = Number(process.env.SHARDS ?? 50);
const replicas = Number(process.env.REPLICAS ?? 2);
const objects = Number(process.env.OBJECTS ?? 5000);
const latencyMs = Number(process.env.LATENCY_MS ?? 20);

if (process.argv[2] === 'serve') {
  // The child: the simulated cluster; it hands over the requests it saw when asked.
  const { startCluster } = await import('../sim/cluster.mjs');
  const sim = await startCluster({ scenario: 'bench', shards, replicas, objects, latencyMs, frozen: true });
  process.on('message', () => process.send?.(sim.requests.splice(0)));
  process.send?.({ url: sim.url });
} else {
  const child = fork(fileURLToPath(import.meta.url), ['serve'], { stdio: 'inherit' });
  const next = () => new Promise((resolve) => child.once('message', resolve));
  const { url } = await next();
  /** The requests the cluster saw since the last call. */
  const requests = async () => {
    child.send('requests');
    return /** @type {string[]} */ (await next());
  };
  await init();
  console.log(
    `node ${process.version}; ${shards} shards x ${replicas} replicas, ${objects} objects over 12 kinds; every API call delayed ${latencyMs} ms by the simulated cluster (in a child process)`,
  );
  const kindOf = (request) =>
    request.includes('/proxy/metrics')
      ? 'scrapes'
      : request.includes('toolkit.fluxcd.io')
        ? 'object lists'
        : request.startsWith('GET /apis?') || request === 'GET /apis'
          ? 'discovery'
          : 'shard set, Deployments, ReplicaSets, Pods, Services';
  try {
    for (const concurrency of [4, 8, 16, 32]) {
      const times = [];
      const cpus = [];
      let result;
      let seen = [];
      for (let i = 0; i < 5; i++) {
        await requests();
        const cpu = process.cpuUsage();
        const start = performance.now();
        result = await getShardMetrics({ server: url, namespace: 'flux-system', name: 'kustomize-controller-shardset', concurrency });
        times.push(performance.now() - start);
        const used = process.cpuUsage(cpu);
        cpus.push((used.user + used.system) / 1000);
        seen = await requests();
        if (seen.length !== result.apiCalls) throw new Error(`apiCalls ${result.apiCalls} but the cluster saw ${seen.length}`);
      }
      times.sort((a, b) => a - b);
      cpus.sort((a, b) => a - b);
      const by = {};
      for (const r of seen) by[kindOf(r)] = (by[kindOf(r)] ?? 0) + 1;
      const assigned = result.deployments.reduce((n, d) => n + (d.objects?.assigned ?? 0), 0);
      console.log(
        `concurrency ${String(concurrency).padStart(2)}: median ${times[2].toFixed(0).padStart(4)} ms (min ${times[0].toFixed(0)}, max ${times[4].toFixed(0)}), ` +
          `client CPU ${cpus[2].toFixed(0)} ms, ${result.apiCalls} API calls (${Object.entries(by)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ')}), ${result.deployments.length} rows, ${assigned} objects assigned`,
      );
    }
  } finally {
    child.kill();
  }
}
