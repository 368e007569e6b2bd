// The element's view controller without a DOM: its reads, their schedule, the state it shows and
// what a person chose, driven by a fake clock and a data API whose answers the test gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ViewController } from '../../dist/view-controller.js';

const T0 = 1_800_000_000_000;
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** Time that moves only when told; `advance` fires the timers that fall due, in order. */
function fakeClock() {
  let now = T0;
  let next = 0;
  const timers = new Map();
  return {
    now: () => now,
    setTimeout(callback, ms) {
      timers.set(++next, { at: now + ms, callback });
      return next;
    },
    clearTimeout(id) {
      timers.delete(id);
    },
    /** The pending timers, as milliseconds from now. */
    pending: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        const [id, due] = [...timers.entries()].sort(([, a], [, b]) => a.at - b.at)[0] ?? [];
        if (!due || due.at > end) break;
        timers.delete(id);
        now = due.at;
        due.callback();
        await flush();
      }
      now = end;
      await flush();
    },
  };
}

/** A data API whose every call waits until the test answers it. */
function fakeApi() {
  const calls = [];
  const readers = [];
  const call = (what) => (options) =>
    new Promise((resolve, reject) => {
      calls.push({ what, options, resolve, reject, answered: false });
    });
  return {
    api: {
      init: async () => {},
      // A reader per session: each read is a `get` call with the options it was opened with.
      openShardMetrics: (options) => {
        const reader = { options, closed: false, read: () => call('get')(options), close: () => (reader.closed = true) };
        readers.push(reader);
        return reader;
      },
      listShardSets: call('list'),
      listShardGroups: call('groups'),
    },
    calls,
    readers,
    /** The calls not answered yet, as `what`. */
    open: () => calls.filter((c) => !c.answered).map((c) => c.what),
    /** Answers the oldest open call (of `what`) with `value`, or rejects it with `error`. */
    async answer(what, value, error) {
      const c = calls.find((x) => !x.answered && x.what === what);
      assert.ok(c, `no open ${what} call`);
      c.answered = true;
      if (error) c.reject(error);
      else c.resolve(value);
      await flush();
      return c;
    },
  };
}

const pod = (name, reconciliations) => ({ name, phase: 'Running', reason: null, finished: false, ready: true, restarts: 0, scraped: true, reconciliations, errors: 0, leader: true });
const row = (name, reconciliations, errors = 0) => ({
  name,
  shard: name === 'src' ? null : name,
  role: name === 'src' ? 'source' : 'shard',
  reconciliations,
  errors,
  pods: [pod(`${name}-1`, reconciliations)],
  rate: null,
  status: 'ok',
  statusReason: 'reconciling',
  flags: [],
  objects: null,
});
const read = (readAt, counts = { src: 50, a: 30, b: 20 }) => ({
  shardSet: { name: 'set', namespace: 'flux-system' },
  deployments: Object.entries(counts).map(([name, n]) => row(name, n)),
  warnings: [],
  readAt,
});
const SUMMARY = { name: 'set', namespace: 'flux-system', sourceDeployment: 'src', shards: ['a', 'b'], inventory: 2, deployments: ['src', 'src-a', 'src-b'], ready: true, message: null };
const SETTINGS = { namespace: 'flux-system', shardset: 'set', controller: '', server: '', fetchOptions: {}, refreshSeconds: 10, prometheus: '', window: '' };
/** A shard group as `listShardGroups` lists it (it carries a shard set summary's fields too). */
const GROUP = {
  ...SUMMARY,
  name: 'flux',
  kind: 'FluxInstance',
  controller: 'src',
  key: 'sharding.fluxcd.io/key',
  sourceDeployment: 'src',
  deployments: ['src', 'src-a', 'src-b'],
};

/** A controller over the fakes; `changes` records every change callback. */
function setup(settings = {}) {
  const clock = fakeClock();
  const data = fakeApi();
  const changes = [];
  const view = new ViewController({ api: data.api, clock, settings: { ...SETTINGS, ...settings }, onChange: (c) => changes.push(c) });
  return { view, clock, data, changes };
}

/** Starts and answers the first load (skeleton list, then the read), `ms` after the start. */
async function firstLoad({ view, clock, data }, ms = 0) {
  view.start();
  await flush();
  await data.answer('list', [SUMMARY]);
  await clock.advance(ms);
  await data.answer('get', read(T0 + ms));
}

test('first load: loading, the skeleton of rows, then the read; the next refresh due from its start', async () => {
  const s = setup();
  const { view, data, changes } = s;
  assert.equal(view.state.phase, 'idle');
  view.start();
  assert.equal(view.state.phase, 'loading');
  assert.equal(view.state.reading, true);
  await flush();
  assert.deepEqual(data.calls[0].options, { server: '', namespace: 'flux-system' });
  await data.answer('list', [{ ...SUMMARY, name: 'other' }, SUMMARY]);
  assert.equal(view.state.skeleton, SUMMARY);
  assert.equal(view.state.phase, 'loading');
  assert.deepEqual(data.calls[1].options, { server: '', namespace: 'flux-system', name: 'set' });
  await s.clock.advance(300);
  await data.answer('get', read(T0 + 300));
  assert.equal(view.state.phase, 'shown');
  assert.equal(view.state.reading, false);
  assert.equal(view.state.metrics.readAt, T0 + 300);
  assert.equal(view.state.error, undefined);
  // Due 10 s after the read started, not after it ended.
  assert.equal(view.state.nextRefreshAt, T0 + 10_000);
  assert.deepEqual(s.clock.pending(), [9_700]);
  assert.deepEqual(changes, ['all', 'all', 'all']);
  assert.deepEqual(
    view.rows().map((r) => [r.row.name, r.share]),
    [
      ['src', 0.5],
      ['a', 0.3],
      ['b', 0.2],
    ],
  );
});

test('without a skeleton (no namespace, or not listed) the rows wait for the read; a failed list is no error', async () => {
  const s = setup({ namespace: '' });
  s.view.start();
  await flush();
  assert.deepEqual(s.data.open(), ['get']);
  await s.data.answer('get', read(T0));
  assert.equal(s.view.state.skeleton, undefined);
  const t = setup();
  t.view.start();
  await flush();
  await t.data.answer('list', undefined, new Error('forbidden'));
  assert.deepEqual(t.data.open(), ['get']);
  assert.equal(t.view.state.error, undefined);
  assert.deepEqual(t.changes, ['all']);
});

test('refreshes every N s through one reader (it keeps the previous read), the list only once', async () => {
  const s = setup();
  await firstLoad(s);
  const first = s.view.state.metrics;
  await s.clock.advance(10_000);
  assert.deepEqual(s.data.open(), ['get']);
  // What was shown stays while the refresh runs; the reader, not the view, keeps the previous read.
  assert.equal(s.view.state.metrics, first);
  assert.equal(s.data.readers.length, 1);
  assert.equal(s.data.calls.at(-1).options.previous, undefined);
  assert.equal(s.view.state.reading, true);
  await s.data.answer('get', read(T0 + 10_000));
  await s.clock.advance(10_000);
  assert.equal(s.data.readers.length, 1);
  assert.deepEqual(
    s.data.calls.map((c) => c.what),
    ['list', 'get', 'get', 'get'],
  );
});

test('two reads never overlap: a refresh due during a slow read starts when it ends, and the cadence goes on from there', async () => {
  const s = setup();
  await firstLoad(s);
  await s.clock.advance(10_000);
  assert.deepEqual(s.data.open(), ['get']);
  // The read takes 25 s (a slow pod, up to the request deadline): the refreshes due at 20 s and 30 s wait.
  await s.clock.advance(25_000);
  assert.deepEqual(s.data.open(), ['get']);
  assert.equal(s.data.calls.length, 3);
  assert.deepEqual(s.clock.pending(), []);
  await s.data.answer('get', read(T0 + 35_000));
  // It ended 15 s late: the next starts at once, and the one after is due 10 s after that.
  assert.deepEqual(s.data.open(), ['get']);
  assert.equal(s.data.calls.length, 4);
  assert.equal(s.view.state.nextRefreshAt, T0 + 45_000);
});

test('"Refresh now" during a read is that read; after it, it reads at once and the cadence starts again', async () => {
  const s = setup();
  await firstLoad(s);
  await s.clock.advance(10_000);
  const inFlight = s.view.refresh();
  assert.equal(s.view.refresh(), inFlight);
  assert.equal(s.data.calls.length, 3);
  await s.data.answer('get', read(T0 + 10_000));
  await inFlight;
  await s.clock.advance(4_000);
  const now = s.view.refresh();
  await flush();
  assert.equal(s.data.calls.length, 4);
  assert.equal(s.view.state.nextRefreshAt, T0 + 24_000);
  await s.data.answer('get', read(T0 + 14_000));
  await now;
  assert.deepEqual(s.clock.pending(), [10_000]);
});

test('pause stops the refreshes (a read in flight still shows); resume makes the next due 10 s after the last start, or now', async () => {
  const s = setup();
  await firstLoad(s);
  await s.clock.advance(2_000);
  s.view.setPaused(true);
  assert.equal(s.view.state.paused, true);
  assert.equal(s.view.state.nextRefreshAt, null);
  assert.deepEqual(s.clock.pending(), []);
  await s.clock.advance(60_000);
  assert.equal(s.data.calls.length, 2);
  s.view.setPaused(false);
  assert.equal(s.view.state.nextRefreshAt, T0 + 62_000);
  await s.clock.advance(0);
  assert.deepEqual(s.data.open(), ['get']);
  // Paused during a read: the read ends and is shown, nothing follows.
  s.view.setPaused(true);
  await s.data.answer('get', read(T0 + 62_000));
  assert.equal(s.view.state.metrics.readAt, T0 + 62_000);
  assert.deepEqual(s.clock.pending(), []);
  // Resumed 3 s after that read started: due 7 s later.
  await s.clock.advance(3_000);
  s.view.setPaused(false);
  assert.deepEqual(s.clock.pending(), [7_000]);
  assert.deepEqual(s.changes.slice(-4), ['toolbar', 'toolbar', 'all', 'toolbar']);
});

test('an interval change moves the next refresh, counted from the last start, without reading again', async () => {
  const s = setup();
  await firstLoad(s);
  await s.clock.advance(5_000);
  s.view.update({ ...SETTINGS, refreshSeconds: 30 });
  assert.equal(s.view.state.nextRefreshAt, T0 + 30_000);
  assert.deepEqual(s.clock.pending(), [25_000]);
  assert.equal(s.view.state.metrics.readAt, T0);
  assert.equal(s.changes.at(-1), 'toolbar');
  s.view.update({ ...SETTINGS, refreshSeconds: 2 });
  assert.equal(s.view.state.nextRefreshAt, T0 + 5_000);
  await s.clock.advance(0);
  assert.deepEqual(s.data.open(), ['get']);
  // Settings that change nothing read (the theme is not one) change nothing.
  const before = s.changes.length;
  s.view.update({ ...SETTINGS, refreshSeconds: 2 });
  assert.equal(s.changes.length, before);
  // A refresh fell due during this slow read; a longer interval makes it not due yet.
  await s.clock.advance(3_000);
  s.view.update({ ...SETTINGS, refreshSeconds: 60 });
  assert.equal(s.view.state.nextRefreshAt, T0 + 65_000);
  await s.data.answer('get', read(T0 + 5_000));
  assert.deepEqual(s.data.open(), []);
  assert.deepEqual(s.clock.pending(), [57_000]);
});

test('a change of what is read (the window, the shard set, the fetch options) starts again at once; the old answer is dropped', async () => {
  const PROM = { prometheus: 'monitoring/prometheus:9090', window: '5m' };
  const s = setup(PROM);
  await firstLoad(s);
  s.view.sortBy('errors');
  s.view.toggleRow('a');
  await s.clock.advance(10_000);
  assert.deepEqual(s.data.calls.at(-1).options.prometheus, { service: 'monitoring/prometheus:9090', window: '5m' });
  s.view.update({ ...SETTINGS, ...PROM, window: '1h' });
  assert.equal(s.view.state.phase, 'loading');
  assert.equal(s.view.state.metrics, undefined);
  assert.deepEqual([...s.view.state.expanded], []);
  assert.deepEqual(s.view.state.sort, { key: 'errors', descending: true });
  await flush();
  // The read of the 5m window answers late: dropped.
  await s.data.answer('get', read(T0 + 10_000));
  assert.equal(s.view.state.metrics, undefined);
  await s.data.answer('list', [SUMMARY]);
  assert.deepEqual(s.data.calls.at(-1).options, { server: '', namespace: 'flux-system', name: 'set', prometheus: { service: 'monitoring/prometheus:9090', window: '1h' } });
  await s.data.answer('get', read(T0 + 10_000, { src: 1 }));
  assert.deepEqual(
    s.view.rows().map((r) => r.row.name),
    ['src'],
  );
  // Without Prometheus the window reads nothing different: no new read.
  const t = setup();
  await firstLoad(t);
  t.view.update({ ...SETTINGS, window: '1h' });
  assert.equal(t.view.state.phase, 'shown');
  // The fetch options are compared by identity: a new object reads again.
  t.view.update({ ...SETTINGS, window: '1h', fetchOptions: { headers: { Authorization: 'Bearer x' } } });
  assert.equal(t.view.state.phase, 'loading');
  await flush();
  await t.data.answer('list', [SUMMARY]);
  assert.deepEqual(t.data.calls.at(-1).options.headers, { Authorization: 'Bearer x' });
});

test('errors: a first read that fails is the view, retried every N s; a failed refresh keeps the read shown and says so', async () => {
  const s = setup();
  s.view.start();
  await flush();
  await s.data.answer('list', []);
  const forbidden = new Error('forbidden');
  await s.data.answer('get', undefined, forbidden);
  assert.equal(s.view.state.phase, 'failed');
  assert.equal(s.view.state.error, forbidden);
  assert.deepEqual(s.changes, ['all', 'all']);
  await s.clock.advance(10_000);
  // Still failed while the retry runs; the skeleton is asked for again, since none was found.
  assert.equal(s.view.state.phase, 'failed');
  await s.data.answer('list', [SUMMARY]);
  await s.data.answer('get', read(T0 + 10_000));
  assert.equal(s.view.state.phase, 'shown');
  assert.equal(s.view.state.error, undefined);
  await s.clock.advance(10_000);
  const timeout = new Error('timeout');
  await s.data.answer('get', undefined, timeout);
  assert.equal(s.view.state.phase, 'shown');
  assert.equal(s.view.state.error, timeout);
  assert.equal(s.view.state.metrics.readAt, T0 + 10_000);
  assert.equal(s.changes.at(-1), 'toolbar');
  await s.clock.advance(10_000);
  assert.equal(s.data.readers.length, 1);
});

test('sort and expanded rows', async () => {
  const s = setup();
  await firstLoad(s);
  const names = () => s.view.rows().map((r) => r.row.name);
  s.view.sortBy('reconciliations');
  assert.deepEqual(s.view.state.sort, { key: 'reconciliations', descending: true });
  assert.deepEqual(names(), ['src', 'a', 'b']);
  s.view.sortBy('reconciliations');
  assert.deepEqual(names(), ['b', 'a', 'src']);
  s.view.sortBy('name');
  assert.deepEqual(s.view.state.sort, { key: 'name', descending: false });
  assert.deepEqual(names(), ['a', 'b', 'src']);
  const before = s.changes.length;
  s.view.sortBy('no-such-column');
  assert.equal(s.changes.length, before);
  s.view.toggleRow('a');
  s.view.toggleRow('b');
  s.view.toggleRow('a');
  assert.deepEqual([...s.view.state.expanded], ['b']);
  // A refresh keeps both.
  await s.clock.advance(10_000);
  await s.data.answer('get', read(T0 + 10_000));
  assert.deepEqual([...s.view.state.expanded], ['b']);
  assert.deepEqual(names(), ['a', 'b', 'src']);
});

test('the chooser: every shard group of the namespace (or of all), read once, never refreshed', async () => {
  const s = setup({ shardset: '' });
  s.view.start();
  await flush();
  assert.deepEqual(s.data.open(), ['groups']);
  assert.deepEqual(s.data.calls[0].options, { server: '', namespace: 'flux-system' });
  await s.data.answer('groups', [GROUP]);
  assert.equal(s.view.state.phase, 'shown');
  assert.deepEqual(s.view.state.groups, [GROUP]);
  assert.equal(s.view.state.nextRefreshAt, null);
  assert.deepEqual(s.clock.pending(), []);
  const all = setup({ shardset: '', namespace: '' });
  all.view.start();
  await flush();
  assert.deepEqual(all.data.calls[0].options, { server: '' });
  await all.data.answer('groups', undefined, new Error('unreachable'));
  assert.equal(all.view.state.phase, 'failed');
});

test("a group by its controller: the skeleton from the namespace's groups, the read by `controller`, refreshed like a shard set", async () => {
  const s = setup({ shardset: '', controller: 'src-a' });
  s.view.start();
  await flush();
  assert.deepEqual(s.data.open(), ['groups']);
  assert.deepEqual(s.data.calls[0].options, { server: '', namespace: 'flux-system' });
  // The group of which the Deployment is a row (here a shard), not one of another controller.
  await s.data.answer('groups', [{ ...GROUP, controller: 'other', deployments: ['other', 'other-a'] }, GROUP]);
  assert.equal(s.view.state.skeleton, GROUP);
  assert.deepEqual(s.data.calls[1].options, { server: '', namespace: 'flux-system', controller: 'src-a' });
  await s.data.answer('get', read(T0));
  assert.equal(s.view.state.phase, 'shown');
  assert.equal(s.view.state.nextRefreshAt, T0 + 10_000);
  await s.clock.advance(10_000);
  assert.deepEqual(s.data.open(), ['get']);
  assert.equal(s.data.calls.at(-1).options.controller, 'src-a');
  assert.equal(s.data.readers.length, 1);
  // Another controller is another read: a new session.
  s.view.update({ ...SETTINGS, shardset: '', controller: 'other' });
  assert.equal(s.view.state.metrics, undefined);
  assert.equal(s.data.readers[0].closed, true);
  await flush();
  assert.deepEqual(s.data.open(), ['get', 'groups']);
  // Both given: passed on as they are, for the core to refuse.
  const both = setup({ controller: 'src' });
  both.view.start();
  await flush();
  await both.data.answer('list', []);
  assert.deepEqual(both.data.calls[1].options, { server: '', namespace: 'flux-system', name: 'set', controller: 'src' });
});

test('stop: no more timers, the read in flight is dropped, what was shown stays; start reads anew', async () => {
  const s = setup();
  await firstLoad(s);
  await s.clock.advance(10_000);
  s.view.stop();
  assert.equal(s.view.state.reading, false);
  assert.deepEqual(s.clock.pending(), []);
  await s.data.answer('get', read(T0 + 10_000));
  assert.equal(s.view.state.metrics.readAt, T0);
  // Settings changed while stopped are kept, and read on start.
  s.view.update({ ...SETTINGS, shardset: 'other' });
  assert.equal(s.data.open().length, 0);
  s.view.start();
  assert.equal(s.view.state.metrics, undefined);
  await flush();
  await s.data.answer('list', [SUMMARY]);
  assert.equal(s.data.calls.at(-1).options.name, 'other');
});

test('a session changed while the old one waits for init: the reader is opened with the new settings only', async () => {
  // The page sets its attributes after the element connected: the first session (no namespace yet)
  // is replaced before its read gets past init().
  const s = setup({ namespace: '' });
  s.view.start();
  s.view.update({ ...SETTINGS });
  await flush();
  await s.data.answer('list', [SUMMARY]);
  assert.deepEqual(
    s.data.readers.map((r) => r.options.namespace),
    ['flux-system'],
  );
  s.view.stop();
  assert.equal(s.data.readers[0].closed, true);
});
