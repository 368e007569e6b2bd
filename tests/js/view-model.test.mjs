// The page's derived numbers: rates between refreshes, resets, shares, flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { viewRows, sortRows, formatRate, formatRatio } from '../../dist/view-model.js';

const pod = (name, reconciliations, errors = 0, extra = {}) => ({ name, phase: 'Running', ready: true, restarts: 0, scraped: true, reconciliations, errors, byResult: {}, byController: [], leader: true, startTime: 1, error: null, ...extra });
const row = (name, pods, extra = {}) => ({
  name, namespace: 'ns', role: 'shard', shard: name, inInventory: true, found: true, replicas: pods.length, readyReplicas: pods.length,
  reconciliations: pods.reduce((n, p) => n + p.reconciliations, 0), errors: pods.reduce((n, p) => n + p.errors, 0),
  byResult: {}, byController: [], pods, error: null, ...extra,
});
const metrics = (...deployments) => ({ shardSet: { name: 's', namespace: 'ns', sourceDeployment: 'x', shards: [], ready: true, message: null }, deployments, warnings: [], apiCalls: 0 });

test('rate per minute from the change between two reads', () => {
  const before = metrics(row('a', [pod('a-1', 100)]), row('b', [pod('b-1', 0)]));
  const after = metrics(row('a', [pod('a-1', 130)]), row('b', [pod('b-1', 0)]));
  const [a, b] = viewRows(after, before, 30);
  assert.equal(a.ratePerMinute, 60);
  assert.equal(b.ratePerMinute, 0);
  assert.deepEqual(b.flags, ['idle']);
  assert.equal(a.share, 1);
  assert.equal(viewRows(after, undefined, 0)[0].ratePerMinute, null);
});

test('a counter that goes down is a restart, not a negative rate', () => {
  const before = metrics(row('a', [pod('a-1', 500), pod('a-2', 40)]));
  const after = metrics(row('a', [pod('a-1', 6), pod('a-2', 50)]));
  const [a] = viewRows(after, before, 60);
  assert.equal(a.ratePerMinute, 6 + 10);
  assert.equal(a.restarted, true);
});

test('a replaced pod counts from zero', () => {
  const before = metrics(row('a', [pod('a-old', 500)]));
  const after = metrics(row('a', [pod('a-new', 12)]));
  assert.equal(viewRows(after, before, 60)[0].ratePerMinute, 12);
});

test('flags: missing, unreachable, erroring', () => {
  const m = metrics(
    row('gone', [], { inInventory: false, error: 'in spec.shards but missing' }),
    row('down', [pod('down-1', 0, 0, { scraped: false, error: 'HTTP 403' })], { error: 'pod down-1: HTTP 403' }),
    row('bad', [pod('bad-1', 100, 50)]),
  );
  assert.deepEqual(viewRows(m, undefined, 0).map((r) => r.flags), [['missing'], ['unreachable'], ['erroring']]);
});

test('sorting and formatting', () => {
  const m = metrics(row('a', [pod('a-1', 5)]), row('b', [pod('b-1', 50)]), row('c', [pod('c-1', 1)]));
  assert.deepEqual(sortRows(viewRows(m, undefined, 0), 'reconciliations', true).map((r) => r.row.name), ['b', 'a', 'c']);
  assert.deepEqual(sortRows(viewRows(m, undefined, 0), 'name', false).map((r) => r.row.name), ['a', 'b', 'c']);
  assert.equal(formatRate(null), '…');
  assert.equal(formatRate(0), '0/min');
  assert.equal(formatRate(2.25), '2.3/min');
  assert.equal(formatRate(1234.4), '1,234/min');
  assert.equal(formatRatio(null), '–');
  assert.equal(formatRatio(0.002), '0.20%');
});
