// What a misbehaving cluster costs the CLI, measured: peak memory (RSS of the
// CLI process) and time for a 200 MB chunked body, a gzip bomb that unpacks
// to 200 MiB, eight of each at once, a body that trickles for ever, and a
// namespace of 20,000 unrelated pods. `node benches/hostile-bench.mjs` (after
// `npm run build`). Each case starts its own simulated cluster.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../sim/cluster.mjs';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const rss = fileURLToPath(new URL('./report-rss.mjs', import.meta.url));

function run(args) {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--import', rss, cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, ms: performance.now() - start, out, err, maxRssMb: Number(/maxrss-kb=(\d+)/.exec(err)?.[1] ?? 0) / 1024 }));
  });
}

const cases = [
  ['a 200 MB chunked body (cap 16 MiB)', { modes: ['chunked-bomb'] }, []],
  ['a gzip bomb: 0.6 MB unpacking to 200 MiB', { modes: ['gzip-bomb'] }, []],
  ['eight 200 MB chunked bodies at once', { modes: Array(8).fill('chunked-bomb') }, []],
  ['eight gzip bombs at once', { modes: Array(8).fill('gzip-bomb') }, []],
  ['a body that trickles for ever (timeout 12 s)', { modes: ['trickle'] }, ['--timeout', '12000']],
  ['20,000 unrelated pods in the namespace', { modes: [], crowd: 20000 }, []],
];
console.log(`node ${process.version}; the CLI against the simulated cluster, directly (no kubectl proxy)`);
for (const [name, options, args] of cases) {
  const sim = await startCluster({ scenario: 'hostile', frozen: true, ...options });
  try {
    const r = await run(['get', 'hostile-shardset', '-n', 'hostile', '--server', sim.url, '-o', 'json', ...args]);
    const m = JSON.parse(r.out);
    const kinds = [...new Set(m.deployments.flatMap((d) => d.problems.map((p) => p.kind)))].join(', ') || 'none';
    console.log(`${name.padEnd(46)} ${(r.ms / 1000).toFixed(2).padStart(6)} s, peak RSS ${r.maxRssMb.toFixed(0).padStart(4)} MB, ${m.apiCalls} API calls, problems: ${kinds}`);
  } finally {
    await sim.close();
  }
}
