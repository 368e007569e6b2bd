// Two builds of the package compared in one process, so that the machine's noise hits both alike:
// `parseExposition` on the two fixtures (time ratio, median of 25 alternations) and reads of one
// simulated cluster (refresh-bench's: 10 shards, 50,000 objects; in a child process), later reads
// and one-shot reads alternating between the builds. Each build is a directory holding `dist/` and
// `pkg/` (copy the repository's after `npm run build`, then build the other variant into another).
// `node benches/ab-builds.mjs DIR_A DIR_B` prints the A/B figures that chose the wasm profile
// (README, ".wasm size"). A's first read is the process's first (the engine still warming up).
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dirs = process.argv.slice(2, 4);
if (dirs.length !== 2) {
  console.error('usage: node benches/ab-builds.mjs DIR_A DIR_B (each with dist/ and pkg/)');
  process.exit(2);
}
const [a, b] = dirs.map((d) => resolve(d));
const builds = {};
for (const dir of [a, b]) {
  builds[dir] = await import(pathToFileURL(`${dir}/dist/index.js`).href);
  await builds[dir].init();
}
const median = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
const quartiles = (xs) => {
  const s = [...xs].sort((p, q) => p - q);
  return [s[Math.floor(s.length / 4)], s[Math.floor(s.length / 2)], s[Math.floor((3 * s.length) / 4)]];
};
console.log(`A = ${a}\nB = ${b}`);

for (const [fixture, reps] of [
  ['source-controller.prom', 200],
  ['kustomize-controller-busy.prom', 4],
]) {
  const text = readFileSync(new URL(`../tests/fixtures/${fixture}`, import.meta.url), 'utf8');
  const time = (m) => {
    const start = performance.now();
    for (let i = 0; i < reps; i++) m.parseExposition(text);
    return (performance.now() - start) / reps;
  };
  time(builds[a]);
  time(builds[b]);
  const ratios = [];
  for (let i = 0; i < 25; i++) ratios.push(time(builds[a]) / time(builds[b]));
  const [q1, m, q3] = quartiles(ratios);
  console.log(`parseExposition ${fixture}: A/B time ${m.toFixed(3)} (quartiles ${q1.toFixed(3)}–${q3.toFixed(3)})`);
}

const child = fork(fileURLToPath(new URL('refresh-bench.mjs', import.meta.url)), ['serve'], { stdio: 'inherit' });
const { url } = await new Promise((done) => child.once('message', done));
const cpu = async (read) => {
  const before = process.cpuUsage();
  await read();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};
const options = { server: url, namespace: 'flux-system', name: 'kustomize-controller-shardset' };
const readers = {};
const first = {};
const later = { [a]: [], [b]: [] };
const oneShot = { [a]: [], [b]: [] };
try {
  for (const dir of [a, b]) {
    readers[dir] = builds[dir].openShardMetrics(options);
    first[dir] = await cpu(() => readers[dir].read());
  }
  for (let i = 0; i < 20; i++) for (const dir of i % 2 ? [a, b] : [b, a]) later[dir].push(await cpu(() => readers[dir].read()));
  for (let i = 0; i < 6; i++) for (const dir of i % 2 ? [a, b] : [b, a]) oneShot[dir].push(await cpu(() => builds[dir].getShardMetrics(options)));
} finally {
  for (const reader of Object.values(readers)) reader.close();
  child.kill();
}
for (const [name, dir] of [
  ['A', a],
  ['B', b],
]) {
  console.log(`${name}: first read ${first[dir].toFixed(0)} ms CPU, later read ${median(later[dir]).toFixed(0)} ms (median of 20), one-shot ${median(oneShot[dir]).toFixed(0)} ms (median of 6)`);
}
