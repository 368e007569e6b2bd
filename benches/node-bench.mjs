// Node benchmark, in one run: `parseExposition` (wasm parse, compact encoding,
// JS decoder) against the npm package parse-prometheus-text-format and against
// the other ways of handing the result over (built here with the
// `bench-alternatives` feature): one JSON.parse, serde-wasm-bindgen objects,
// and the parse alone as the lower bound. Prints MB/s and ratios.
// Prints MB/s of input text and the ratios. `npm run bench` (after `npm run build`).
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { init, parseExposition } from '../dist/index.js';
const encoder = new TextEncoder();

const root = new URL('../', import.meta.url);
const fixtures = ['source-controller.prom', 'kustomize-controller-busy.prom'];

function buildAlternative() {
  const out = new URL('target/bench-alt/', root).pathname;
  execFileSync(
    'cargo',
    ['build', '--profile', 'wasm', '-p', 'flux-shard-metrics-wasm', '--lib', '--target', 'wasm32-unknown-unknown', '--features', 'bench-alternatives', '--target-dir', 'target/bench-alt-build'],
    {
      cwd: root.pathname,
      stdio: 'inherit',
    },
  );
  execFileSync('wasm-bindgen', ['--target', 'web', '--out-dir', out, '--out-name', 'flux_shard_metrics', 'target/bench-alt-build/wasm32-unknown-unknown/wasm/flux_shard_metrics_wasm.wasm'], {
    cwd: root.pathname,
    stdio: 'inherit',
  });
  return out;
}

function time(fn, minMs = 1500) {
  fn(); // warm up
  fn();
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs || n < 5) {
    fn();
    n++;
    elapsed = performance.now() - start;
  }
  return elapsed / n;
}

await init();
let alternative;
if (process.argv.includes('--no-alternative')) {
  console.log('(serde-wasm-bindgen alternative skipped)');
} else {
  const dir = buildAlternative();
  const mod = await import(new URL('flux_shard_metrics.js', `file://${dir}`).href);
  await mod.default({ module_or_path: readFileSync(new URL('flux_shard_metrics_bg.wasm', `file://${dir}`)) });
  alternative = {
    json: (bytes) => JSON.parse(mod.parseExpositionJson(bytes, 'prometheus')),
    objects: (bytes) => mod.parseExpositionObjects(bytes, 'prometheus'),
    only: (bytes) => mod.parseOnly(bytes),
  };
}

const wasmPath = new URL('pkg/flux_shard_metrics_bg.wasm', root);
if (existsSync(wasmPath)) {
  const wasm = readFileSync(wasmPath);
  console.log(`package .wasm: ${wasm.length} bytes, ${gzipSync(wasm, { level: 9 }).length} bytes gzipped`);
}
console.log(`node ${process.version}`);
for (const name of fixtures) {
  const text = readFileSync(new URL(`tests/fixtures/${name}`, root), 'utf8');
  const mb = Buffer.byteLength(text) / 1e6;
  const ours = time(() => parseExposition(text));
  const theirs = time(() => parsePrometheusTextFormat(text));
  const rows = [
    ['parseExposition (shipped)', ours],
    ['parse-prometheus-text-format', theirs],
  ];
  if (alternative) {
    rows.push(['alt: wasm JSON + one JSON.parse', time(() => alternative.json(encoder.encode(text)))]);
    rows.push(['alt: wasm serde-wasm-bindgen objects', time(() => alternative.objects(encoder.encode(text)))]);
    rows.push(['bound: wasm parse only, no output', time(() => alternative.only(encoder.encode(text)))]);
  }
  console.log(`\n${name} (${(mb * 1000).toFixed(0)} KB)`);
  for (const [label, ms] of rows) {
    console.log(`  ${label.padEnd(36)} ${ms.toFixed(2).padStart(9)} ms  ${(mb / (ms / 1000)).toFixed(1).padStart(7)} MB/s  ${(ms / ours).toFixed(2)}x parseExposition's time`);
  }
  console.log(`  parseExposition is ${(theirs / ours).toFixed(1)}x as fast as parse-prometheus-text-format`);
}
