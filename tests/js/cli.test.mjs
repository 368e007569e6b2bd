// The CLI as a user runs it: a real Node process, exit codes, stdout and stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/source-controller.prom', import.meta.url));
const run = (args, input) => spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8' });

test('parse FILE prints a summary and exits 0', () => {
  const r = run(['parse', fixture]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^FAMILY +\| TYPE +\| SAMPLES \| HELP$/m);
  assert.match(r.stdout, /^controller_runtime_reconcile_total +\| counter +\| +20 \| Total number of reconciliations per controller$/m);
  assert.match(r.stdout, /^54 families, 477 samples, no errors$/m);
  assert.equal(r.stderr, '');
});

test('parse - reads stdin; errors go to stderr with positions and exit 1', () => {
  const r = run(['parse', '-'], 'a 1\nb{x=1} 2\nc{y="\\t"} 3\n');
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^1 families, 1 samples, 2 errors$/m);
  assert.equal(r.stderr, '<stdin>:2:5: expected a quoted label value for `x`\n<stdin>:3:6: invalid escape in label value: only `\\\\`, `\\"` and `\\n` are allowed\n');
});

test('parse --json prints the API object', () => {
  const r = run(['parse', '--json', '--format', 'openmetrics'], '# TYPE a gauge\na 1.5\n# EOF\n');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    families: [{ name: 'a', type: 'gauge', help: null, unit: null, samples: [{ name: 'a', labels: {}, value: 1.5, timestamp: null }] }],
    errors: [],
  });
});

test('usage and I/O errors exit 2 with a message', () => {
  for (const [args, message] of [
    [['parse', '/nonexistent/file'], 'cannot read /nonexistent/file: no such file'],
    [['parse', '--format', 'xml', fixture], "--format must be prometheus or openmetrics, got 'xml'"],
    [['parse', 'a', 'b'], 'parse takes one FILE (or -), got 2: a b'],
    [['parse', '--bogus'], "Unknown option '--bogus'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [[], 'missing command'],
  ]) {
    const r = run(args, '');
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.startsWith('flux-shard-metrics: '), r.stderr);
    assert.ok(r.stderr.includes(message), `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.includes('Usage:'));
  }
});
