// What a refresh costs after the first read (issue 18), as the page and `get --watch` read: through
// one reader (openShardMetrics). The simulated cluster runs in a child process (so the CPU measured is
// the client's alone) with 10 shards x 1 replica and 50,000 objects over 12 kinds, no added latency;
// it counts the bytes it sends, by what they are for. Prints, for the first read and for later ones
// (without changes, and with 10 objects changed between reads): wall time, the client's CPU, API bytes
// beyond the scrapes, scrape bytes, requests, and the heap after each. Then one-shot reads
// (getShardMetrics) for comparison. `node benches/refresh-bench.mjs` (after `npm run build`).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { init, getShardMetrics, openShardMetrics } from '../dist/index.js';

const SHARDS = Number(process.env.SHARDS ?? 10);
const OBJECTS = Number(process.env.OBJECTS ?? 50000);
const READS = Number(process.env.READS ?? 10);

if (process.argv[2] === 'serve') {
  // The child: the simulated cluster, its response bytes counted per kind of request.
  const { startCluster } = await import('../sim/cluster.mjs');
  const http = await import('node:http');
  const counts = { api: 0, scrapes: 0, requests: 0, lists: 0, watches: 0 };
  const { write, end } = http.ServerResponse.prototype;
  const count = (res, chunk) => {
    if (!chunk || !res.req) return;
    const n = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (res.req.url.includes('/proxy/')) counts.scrapes += n;
    else counts.api += n;
  };
  http.ServerResponse.prototype.write = function (chunk, ...rest) {
    count(this, chunk);
    return write.call(this, chunk, ...rest);
  };
  http.ServerResponse.prototype.end = function (chunk, ...rest) {
    if (typeof chunk !== 'function') count(this, chunk);
    return end.call(this, chunk, ...rest);
  };
  const sim = await startCluster({ scenario: 'bench', shards: SHARDS, replicas: 1, objects: OBJECTS, frozen: true });
  process.on('message', (m) => {
    if (m === 'counts') {
      for (const r of sim.requests.splice(0)) {
        counts.requests += 1;
        if (r.includes('watch=1')) counts.watches += 1;
        else if (r.includes('limit=')) counts.lists += 1;
      }
      process.send?.({ ...counts });
      for (const k of Object.keys(counts)) counts[k] = 0;
    } else if (m === 'change') {
      // 10 objects relabelled to another shard, as between two refreshes of a busy cluster.
      const list = sim.cluster.objects.get('kustomizations') ?? [];
      for (const o of list.slice(0, 10)) {
        sim.editObject('kustomizations', o.metadata.namespace, o.metadata.name, (x) => {
          x.metadata.labels = { ...x.metadata.labels, 'sharding.fluxcd.io/key': `shard${1 + Math.floor(Math.random() * SHARDS)}` };
        });
      }
      process.send?.('changed');
    }
  });
  process.send?.({ url: sim.url });
} else {
  const child = fork(fileURLToPath(import.meta.url), ['serve'], { stdio: 'inherit' });
  const next = () => new Promise((resolve) => child.once('message', resolve));
  const { url } = await next();
  const ask = async (m) => {
    child.send(m);
    return next();
  };
  await init();
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;
  /** One measured read: wall, the client's CPU (user + system), bytes and requests. */
  const measure = async (read) => {
    await ask('counts');
    const cpu = process.cpuUsage();
    const t = performance.now();
    const m = await read();
    const wall = performance.now() - t;
    const used = process.cpuUsage(cpu);
    const c = await ask('counts');
    return { m, wall, cpu: (used.user + used.system) / 1000, ...c, heap: process.memoryUsage().heapUsed };
  };
  const line = (what, r) =>
    `${what.padEnd(34)} ${r.wall.toFixed(0).padStart(5)} ms wall, ${r.cpu.toFixed(0).padStart(5)} ms CPU, API ${(r.api > 1048576 ? mb(r.api) : kb(r.api)).padStart(9)} beyond ${kb(r.scrapes)} of scrapes, ${r.requests} requests (${r.lists} lists, ${r.watches} watches), heap ${mb(r.heap)}`;
  console.log(`node ${process.version}; ${SHARDS} shards x 1 replica, ${OBJECTS} objects over 12 kinds, no added latency; the simulated cluster in a child process`);
  const options = { server: url, namespace: 'flux-system', name: 'kustomize-controller-shardset' };
  const reader = openShardMetrics(options);
  try {
    console.log(line('reader: first read (lists)', await measure(() => reader.read())));
    const later = [];
    for (let i = 0; i < READS; i++) later.push(await measure(() => reader.read()));
    const median = (key) => later.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(later.length / 2)];
    const med = {
      wall: median('wall'),
      cpu: median('cpu'),
      api: median('api'),
      scrapes: median('scrapes'),
      requests: median('requests'),
      lists: median('lists'),
      watches: median('watches'),
      heap: later.at(-1).heap,
    };
    console.log(line(`reader: later read (median of ${READS})`, med));
    await ask('change');
    const changed = await measure(() => reader.read());
    console.log(line('reader: later read, 10 objects moved', changed));
    const moved = changed.m.deployments.reduce((n, d) => n + (d.objects?.assigned ?? 0), 0);
    if (moved !== OBJECTS - changed.m.orphaned.reduce((n, o) => n + o.count, 0) && changed.m.overlaps.length === 0) console.log(`  (assigned ${moved})`);
  } finally {
    reader.close();
  }
  const one = await measure(() => getShardMetrics(options));
  console.log(line('getShardMetrics (one-shot, lists)', one));
  child.kill();
}
