// openShardMetrics (the page's and `get --watch`'s reader) against the real API server, as the viewer
// through a real `kubectl proxy`, with a recording forwarder in front of it: the first read lists, the
// later ones only watch, and an object created (suspended), relabelled to another shard and deleted
// between reads is shown at the next read without a list; a kubectl proxy restarted between two reads
// is survived. (A compacted history, 410 Gone, is tested against the simulated cluster: etcd here
// compacts every 5 minutes, and not on demand.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { init, openShardMetrics } from 'flux-shard-metrics';
import { admin, NS, scenario, startViewerProxy, waitFor } from './harness.mjs';

const KEY = 'sharding.fluxcd.io/key';
const NAME = 'watch-test';
const PATH = `/apis/source.toolkit.fluxcd.io/v1/namespaces/${NS}/gitrepositories`;

let proxy;
let upstream = '';
let forwarder;
let server = '';
/** Every request that passed the forwarder, as `path?query`. */
const seen = [];

before(async () => {
  await init();
  proxy = await startViewerProxy();
  upstream = proxy.url;
  forwarder = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    const out = http.request(new URL(req.url ?? '/', upstream), { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    out.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(out);
    res.on('close', () => out.destroy());
  });
  await new Promise((resolve) => forwarder.listen(0, '127.0.0.1', () => resolve(undefined)));
  server = `http://127.0.0.1:${forwarder.address().port}`;
  await admin.send('DELETE', `${PATH}/${NAME}`, undefined, { ok: [200, 202, 404] });
});

after(async () => {
  await admin.send('DELETE', `${PATH}/${NAME}`, undefined, { ok: [200, 202, 404] });
  forwarder?.close();
  proxy?.stop();
});

/** The API requests of one read (scrapes left out), split into lists and watches. */
async function readWith(reader) {
  const from = seen.length;
  const m = await reader.read();
  const api = seen.slice(from).filter((r) => !r.includes('/proxy/'));
  return { m, lists: api.filter((r) => !/[?&]watch=1/.test(r) && /[?&]limit=/.test(r)), watches: api.filter((r) => /[?&]watch=1/.test(r)) };
}

const objectsOf = (m, shard) => m.deployments.find((d) => (d.shard ?? 'source') === shard).objects;

test('later reads only watch; an object created (suspended), relabelled and deleted is shown at the next read', async () => {
  const reader = openShardMetrics({ server, namespace: NS, name: scenario.shardSet });
  try {
    const first = await readWith(reader);
    assert.ok(first.lists.length >= 5, first.lists.join('\n'));
    assert.deepEqual(first.watches, []);
    const base = { shard1: objectsOf(first.m, 'shard1'), shard2: objectsOf(first.m, 'shard2') };

    const quiet = await readWith(reader);
    assert.deepEqual(quiet.lists, []);
    assert.equal(quiet.watches.length, first.lists.length, quiet.watches.join('\n'));
    assert.equal(objectsOf(quiet.m, 'shard1').assigned, base.shard1.assigned);

    await admin.send('POST', PATH, {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: NAME, namespace: NS, labels: { [KEY]: 'shard1' } },
      // Suspended: no controller reconciles it, so no shard's counters change for the other tests.
      spec: { url: 'https://127.0.0.1:9/none.git', interval: '1h', suspend: true },
    });
    const created = await readWith(reader);
    assert.deepEqual(created.lists, []);
    assert.equal(objectsOf(created.m, 'shard1').assigned, base.shard1.assigned + 1);
    assert.equal(objectsOf(created.m, 'shard1').suspended, base.shard1.suspended + 1);

    await admin.mergePatch(`${PATH}/${NAME}`, { metadata: { labels: { [KEY]: 'shard2' } } });
    const moved = await readWith(reader);
    assert.deepEqual(moved.lists, []);
    assert.equal(objectsOf(moved.m, 'shard1').assigned, base.shard1.assigned);
    assert.equal(objectsOf(moved.m, 'shard1').suspended, base.shard1.suspended);
    assert.equal(objectsOf(moved.m, 'shard2').assigned, base.shard2.assigned + 1);
    assert.equal(objectsOf(moved.m, 'shard2').suspended, base.shard2.suspended + 1);

    // kubectl proxy restarted between two reads: the next read goes through the new one.
    proxy.stop();
    proxy = await startViewerProxy();
    upstream = proxy.url;
    await admin.send('DELETE', `${PATH}/${NAME}`, undefined, { ok: [200, 202] });
    // Gone once its finalizer (if its controller added one) is removed.
    await waitFor(`GitRepository ${NAME} gone`, async () => (await admin.send('GET', `${PATH}/${NAME}`, undefined, { ok: [200, 404] }))?.kind !== 'GitRepository');
    const deleted = await readWith(reader);
    assert.deepEqual(deleted.lists, []);
    assert.equal(objectsOf(deleted.m, 'shard2').assigned, base.shard2.assigned);
    assert.equal(objectsOf(deleted.m, 'shard2').suspended, base.shard2.suspended);
    for (const d of deleted.m.deployments) for (const p of d.pods.filter((p) => p.phase === 'Running' && p.ready)) assert.equal(p.scraped, true, `${p.name}: ${p.error}`);
    console.log(`a read after the first: ${quiet.watches.length} watches, no list`);
  } finally {
    reader.close();
  }
});
