// The page's derived numbers (shares, ratios, formats) and the one column
// table that the page and the CLI share. Statuses and rates come from the
// core and are tested there and in cluster.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { viewRows, sortBy, formatRate, formatRatio, formatDuration } from '../../dist/view-model.js';
import { COLUMNS, POD_COLUMNS, columnsOf } from '../../dist/columns.js';
import { STATUS_ORDER } from '../../dist/generated/statusOrder.js';

const pod = (name, reconciliations, errors = 0, extra = {}) => ({
  name,
  phase: 'Running',
  reason: null,
  finished: false,
  ready: true,
  restarts: 0,
  scraped: true,
  reconciliations,
  errors,
  byResult: {},
  byController: [],
  durationP50: null,
  durationP99: null,
  workqueueDepth: null,
  activeWorkers: null,
  maxWorkers: null,
  leader: true,
  startTime: 1,
  error: null,
  problem: null,
  ...extra,
});
const row = (name, pods, extra = {}) => ({
  name,
  namespace: 'ns',
  role: 'shard',
  shard: name,
  inInventory: true,
  found: true,
  replicas: pods.length,
  readyReplicas: pods.length,
  reconciliations: pods.reduce((n, p) => n + p.reconciliations, 0),
  errors: pods.reduce((n, p) => n + p.errors, 0),
  byResult: {},
  byController: [],
  durationP50: null,
  durationP99: null,
  workqueueDepth: null,
  activeWorkers: null,
  maxWorkers: null,
  pods,
  leader: pods.find((p) => p.leader)?.name ?? null,
  error: null,
  problems: [],
  status: 'ok',
  statusReason: 'reconciling',
  flags: [],
  rate: null,
  objects: { assigned: 3, notReady: 1, suspended: 0, byKind: {}, unread: [] },
  watchSelector: 'sharding.fluxcd.io/key in (a)',
  ...extra,
});
const metrics = (...deployments) => ({ shardSet: { name: 's', namespace: 'ns', sourceDeployment: 'x', shards: [], ready: true, message: null }, deployments, warnings: [], apiCalls: 0, readAt: 0 });

test('finished pods are listed but not counted as replicas', () => {
  const [v] = viewRows(metrics(row('a', [pod('a-1', 1), pod('a-old', 0, 0, { phase: 'Failed', reason: 'Evicted', finished: true, ready: false, scraped: false })])));
  assert.deepEqual([v.readyPods, v.totalPods], [1, 1]);
  assert.equal(POD_COLUMNS.find((c) => c.key === 'phase').text(v.row.pods[1]), 'Failed (Evicted), finished');
});

test('finished pods are listed but not counted as replicas', () => {
  const [v] = viewRows(metrics(row('a', [pod('a-1', 1), pod('a-old', 0, 0, { phase: 'Failed', reason: 'Evicted', finished: true, ready: false, scraped: false })])));
  assert.deepEqual([v.readyPods, v.totalPods], [1, 1]);
  assert.equal(POD_COLUMNS.find((c) => c.key === 'phase').text(v.row.pods[1]), 'Failed (Evicted), finished');
});

test('shares and error ratios', () => {
  const [a, b] = viewRows(metrics(row('a', [pod('a-1', 300, 3)]), row('b', [pod('b-1', 100)])));
  assert.equal(a.share, 0.75);
  assert.equal(a.errorRatio, 0.01);
  assert.equal(b.errorRatio, 0);
  assert.equal(viewRows(metrics(row('c', [pod('c-1', 0)])))[0].errorRatio, null);
});

test('one column table: the CLI views and the page take their columns from it', () => {
  assert.deepEqual(
    columnsOf(COLUMNS, 'table').map((c) => c.label),
    ['Deployment', 'Reconciliations', 'Errors', 'Status'],
  );
  assert.ok(columnsOf(COLUMNS, 'page').some((c) => c.key === 'duration'));
  assert.ok(columnsOf(COLUMNS, 'wide').some((c) => c.key === 'duration'));
  const [v] = viewRows(
    metrics(row('a', [pod('a-1', 1234567, 0)], { durationP50: 0.0123, durationP99: 2.5, rate: { seconds: 30, reconciliationsPerMinute: 12.4, errorsPerMinute: 0, restarted: true } })),
  );
  const text = Object.fromEntries(COLUMNS.map((c) => [c.key, c.text(v)]));
  assert.equal(text.reconciliations, '1234567');
  assert.deepEqual(COLUMNS.find((c) => c.key === 'reconciliations').cell(v), ['1,234,567']);
  assert.equal(text.duration, '12 ms / 2.5 s');
  assert.equal(text.rate, '12/min ↺');
  assert.equal(text.status, 'ok');
  assert.equal(text.objects, '3 (1 not Ready)');
  assert.equal(text.objects, '3 (1 not Ready)');
  const [erroring] = viewRows(metrics(row('e', [pod('e-1', 10, 5)], { status: 'erroring', statusReason: 'errors are 50.0 %', flags: ['erroring', 'idle'] })));
  assert.equal(COLUMNS.find((c) => c.key === 'status').text(erroring), 'erroring: errors are 50.0 %');
  // A badge per flag, a space between them (so that they read apart).
  assert.deepEqual(COLUMNS.find((c) => c.key === 'status').cell(erroring), [{ badge: 'erroring' }, ' ', { badge: 'idle' }, { problem: 'errors are 50.0 %' }]);
  const [overlapping] = viewRows(
    metrics(row('o', [pod('o-1', 10)], { status: 'misconfigured', statusReason: '2 objects it selects are also selected by x', flags: ['misconfigured', 'overlapping', 'artifactServer'] })),
  );
  assert.deepEqual(COLUMNS.find((c) => c.key === 'status').cell(overlapping), [
    { badge: 'misconfigured' },
    ' ',
    { badge: 'overlapping' },
    ' ',
    { badge: 'artifactServer' },
    { problem: '2 objects it selects are also selected by x' },
  ]);
  assert.equal(POD_COLUMNS.find((c) => c.key === 'leader').text(pod('p', 0, 0, { leader: false })), 'standby');
});

test('sorting by a column, and by status in order of severity', () => {
  const m = metrics(row('a', [pod('a-1', 5)]), row('b', [pod('b-1', 50)], { status: 'idle' }), row('c', [pod('c-1', 1)], { status: 'missing' }));
  const by = (key) => COLUMNS.find((c) => c.key === key).sort;
  assert.deepEqual(
    sortBy(viewRows(m), by('reconciliations'), true).map((r) => r.row.name),
    ['b', 'a', 'c'],
  );
  assert.deepEqual(
    sortBy(viewRows(m), by('status'), false).map((r) => r.row.name),
    ['c', 'b', 'a'],
  );
  assert.deepEqual(
    sortBy(viewRows(m), null, false).map((r) => r.row.name),
    ['a', 'b', 'c'],
  );
  assert.equal(STATUS_ORDER[0], 'missing');
  assert.equal(STATUS_ORDER.at(-1), 'ok');
});

test('formatting', () => {
  assert.equal(formatRate(null), '…');
  assert.equal(formatRate(0), '0/min');
  assert.equal(formatRate(2.25), '2.3/min');
  assert.equal(formatRate(1234.4), '1,234/min');
  assert.equal(formatRatio(null), '–');
  assert.equal(formatRatio(0.002), '0.20%');
  assert.equal(formatDuration(null), '–');
  assert.equal(formatDuration(0.0004), '400 µs');
  assert.equal(formatDuration(45), '45 s');
});
