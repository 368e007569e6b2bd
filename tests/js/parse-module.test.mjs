// `flux-shard-metrics/parse`: the parser on its own wasm module (pkg-parse/). Read from the built
// package (dist/, pkg-parse/): it parses as the package's module does on every fixture and on the
// OpenMetrics suite, in both formats; it is the smaller module; and nothing it imports reaches the
// package's module (an app that only parses never bundles it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as parser from '../../dist/parse.js';
import * as whole from '../../dist/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every text to compare: the project's fixtures, the real cluster's scrapes, the OpenMetrics suite. */
function texts() {
  const out = [];
  for (const dir of ['tests/fixtures', 'tests/fixtures/real-cluster']) {
    for (const f of readdirSync(root + dir).filter((f) => f.endsWith('.prom'))) out.push([`${dir}/${f}`, readFileSync(`${root}${dir}/${f}`, 'utf8')]);
  }
  const suite = `${root}../shared/openmetrics-testdata/parsers`;
  if (existsSync(suite)) for (const d of readdirSync(suite)) out.push([`openmetrics ${d}`, readFileSync(`${suite}/${d}/metrics`, 'utf8')]);
  return out;
}

test('before init() it says so, as the package does', () => {
  assert.throws(() => parser.parseExposition('a 1\n'), { message: 'flux-shard-metrics: call `await init()` before parseExposition()' });
});

test('the parser module parses every fixture and the OpenMetrics suite as the package module does, in both formats', async () => {
  await parser.init();
  await whole.init();
  const all = texts();
  assert.ok(all.length > 200, `${all.length} texts`);
  let families = 0;
  for (const [name, text] of all) {
    for (const format of ['prometheus', 'openmetrics']) {
      const ours = parser.parseExposition(text, { format });
      assert.deepEqual(ours, whole.parseExposition(text, { format }), `${name} (${format})`);
      families += ours.families.length;
    }
  }
  assert.ok(families > 1000, `${families} families compared`);
  assert.throws(() => parser.parseExposition(42), { name: 'TypeError', message: 'parseExposition: text must be a string, got number' });
  assert.throws(() => parser.parseExposition('a 1\n', { format: 'xml' }), /unknown format `xml`/);
});

test('the parser module is the smaller one, at most 100 KB gzipped', () => {
  const size = (f) => gzipSync(readFileSync(root + f), { level: 9 }).length;
  const parse = size('pkg-parse/flux_shard_metrics_parse_bg.wasm');
  const full = size('pkg/flux_shard_metrics_bg.wasm');
  console.log(`parser module ${parse} bytes gzipped; the package's ${full}`);
  assert.ok(parse <= 100 * 1024, `${parse} bytes gzipped`);
  assert.ok(parse < full / 2, `${parse} against ${full}`);
});

test("nothing dist/parse.js imports reaches the package's module", () => {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(root + file, 'utf8').matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/gms)) {
      visit(posix.normalize(posix.join(posix.dirname(file), m[1])));
    }
  };
  visit('dist/parse.js');
  assert.ok(seen.has('pkg-parse/flux_shard_metrics_parse.js'), [...seen].join(', '));
  assert.deepEqual(
    [...seen].filter((f) => f.startsWith('pkg/')),
    [],
  );
  for (const f of seen) assert.doesNotMatch(readFileSync(root + f, 'utf8'), /pkg\/flux_shard_metrics_bg\.wasm/, f);
});
