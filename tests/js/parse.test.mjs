// The package as a consumer imports it (through package.json "exports"), in Node 20.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, parseExposition } from 'flux-shard-metrics';

const fixture = (name) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

test('parseExposition before init() says what to do', () => {
  assert.throws(() => parseExposition('a 1\n'), { message: 'flux-shard-metrics: call `await init()` before parseExposition()' });
});

test('init() may be called twice and returns the same promise', async () => {
  const first = init();
  assert.equal(init(), first);
  await first;
  await init();
});

test('plain objects with the documented shape', async () => {
  await init();
  const text = '# HELP up Is it "up"?\n# TYPE up gauge\nup{job="api",instance="a:1"} 1 1700000000000\nup{job="db"} NaN\nweird +Inf\nweirder -Inf\n';
  assert.deepEqual(parseExposition(text), {
    families: [
      {
        name: 'up',
        type: 'gauge',
        help: 'Is it "up"?',
        unit: null,
        samples: [
          { name: 'up', labels: { job: 'api', instance: 'a:1' }, value: 1, timestamp: 1700000000000 },
          { name: 'up', labels: { job: 'db' }, value: 'NaN', timestamp: null },
        ],
      },
      { name: 'weird', type: 'untyped', help: null, unit: null, samples: [{ name: 'weird', labels: {}, value: '+Inf', timestamp: null }] },
      { name: 'weirder', type: 'untyped', help: null, unit: null, samples: [{ name: 'weirder', labels: {}, value: '-Inf', timestamp: null }] },
    ],
    errors: [],
  });
});

test('openmetrics: unit, float timestamps in seconds, exemplars', async () => {
  await init();
  const text = '# TYPE req_seconds histogram\n# UNIT req_seconds seconds\nreq_seconds_bucket{le="+Inf"} 3 1.5 # {trace_id="abc"} 0.2 1.25\nreq_seconds_count 3 1.5\nreq_seconds_sum 0.4 1.5\n# EOF\n';
  const { families, errors } = parseExposition(text, { format: 'openmetrics' });
  assert.deepEqual(errors, []);
  assert.equal(families[0].unit, 'seconds');
  assert.deepEqual(families[0].samples[0], {
    name: 'req_seconds_bucket',
    labels: { le: '+Inf' },
    value: 3,
    timestamp: 1.5,
    exemplar: { labels: { trace_id: 'abc' }, value: 0.2, timestamp: 1.25 },
  });
});

test('bad lines are reported and the good ones kept', async () => {
  await init();
  const { families, errors } = parseExposition('a 1\nb{x=1} 2\nc 3\n');
  assert.deepEqual(
    families.map((f) => f.name),
    ['a', 'c'],
  );
  assert.deepEqual(errors, [{ line: 2, column: 5, message: 'expected a quoted label value for `x`' }]);
});

test('non-ASCII label values survive the string table', async () => {
  await init();
  const { families } = parseExposition('x{a="日本",b="😀",c="é\\"q"} 1\ny{a="日本"} 2\n');
  assert.deepEqual(families[0].samples[0].labels, { a: '日本', b: '😀', c: 'é"q' });
  assert.deepEqual(families[1].samples[0].labels, { a: '日本' });
});

test('wrong arguments throw with a clear message', async () => {
  await init();
  assert.throws(() => parseExposition('a 1', { format: 'json' }), { message: 'unknown format `json`: expected "prometheus" or "openmetrics"' });
  assert.throws(() => parseExposition(42), { name: 'TypeError', message: 'parseExposition: text must be a string, got number' });
});

test('the realistic fixtures parse completely', async () => {
  await init();
  const source = parseExposition(fixture('source-controller.prom'));
  assert.deepEqual(source.errors, []);
  assert.equal(source.families.length, 54);
  const total = source.families.find((f) => f.name === 'controller_runtime_reconcile_total').samples.reduce((n, s) => n + s.value, 0);
  assert.equal(total, 7472);
  const busy = parseExposition(fixture('kustomize-controller-busy.prom'));
  assert.equal(busy.errors.length, 0);
  assert.equal(busy.families.find((f) => f.name === 'gotk_reconcile_duration_seconds').samples.length, 3500 * 13);
});
