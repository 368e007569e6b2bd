// openShardMetrics against the simulated cluster behind a real `kubectl proxy`, with the real wasm in
// Node: the first read lists, later reads only watch (changes to objects and pods are shown without a
// list), a compacted history (410 Gone) lists again, and two reads never overlap.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init, openShardMetrics } from 'flux-shard-metrics';
import { startProxiedCluster } from './harness.mjs';

const KEY = 'sharding.fluxcd.io/key';
let env;

before(async () => {
  env = await startProxiedCluster({ frozen: true, slowMs: 4000 });
  await init();
});
after(() => env.stop());

/** The API requests made by `read` (scrapes left out), as `path?query`. */
async function requestsOf(read) {
  const from = env.sim.requests.length;
  const m = await read();
  const made = env.sim.requests.slice(from).map((r) => r.replace(/^GET /, ''));
  return { m, api: made.filter((r) => !r.includes('/proxy/')), scrapes: made.filter((r) => r.includes('/proxy/')) };
}

const lists = (api) => api.filter((r) => !/[?&]watch=1/.test(r) && /[?&]limit=/.test(r));
const watches = (api) => api.filter((r) => /[?&]watch=1/.test(r));
const assigned = (m, name) => m.deployments.find((d) => d.name === name).objects;

test('later reads watch: relabelled, not Ready, suspended and deleted objects shown without a list', async () => {
  const reader = openShardMetrics({ server: env.proxyUrl, namespace: 'flux-system', name: 'source-controller-shardset' });
  try {
    const first = await requestsOf(() => reader.read());
    assert.ok(lists(first.api).length >= 5, first.api.join('\n'));
    assert.equal(watches(first.api).length, 0);
    assert.equal(assigned(first.m, 'source-controller-shard1').assigned, 3);

    // Nothing changed: no list, one watch per resource listed, the same counts.
    const quiet = await requestsOf(() => reader.read());
    assert.deepEqual(lists(quiet.api), []);
    assert.equal(watches(quiet.api).length, lists(first.api).length, quiet.api.join('\n'));
    for (const w of watches(quiet.api)) assert.match(w, /allowWatchBookmarks=true/);
    assert.equal(quiet.scrapes.length, first.scrapes.length);
    assert.equal(assigned(quiet.m, 'source-controller-shard1').assigned, 3);
    assert.ok(
      quiet.m.deployments.some((d) => d.rate !== null),
      'a rate from the previous read',
    );

    env.sim.editObject('gitrepositories', 'team-a', 'api', (o) => {
      o.metadata.labels[KEY] = 'shard2';
    });
    env.sim.editObject('gitrepositories', 'team-a', 'web', (o) => {
      o.status.conditions.find((c) => c.type === 'Ready').status = 'False';
    });
    env.sim.editObject('gitrepositories', 'team-a', 'worker', (o) => {
      o.spec.suspend = true;
    });
    env.sim.deleteObject('helmrepositories', 'apps', 'bitnami');
    const changed = await requestsOf(() => reader.read());
    assert.deepEqual(lists(changed.api), []);
    const shard1 = assigned(changed.m, 'source-controller-shard1');
    assert.deepEqual([shard1.assigned, shard1.notReady, shard1.suspended], [2, 1, 1]);
    assert.equal(assigned(changed.m, 'source-controller-shard2').assigned, assigned(first.m, 'source-controller-shard2').assigned + 1);
    assert.equal(assigned(changed.m, 'source-controller').assigned, assigned(first.m, 'source-controller').assigned - 1);
  } finally {
    reader.close();
  }
});

test('a pod deleted between reads is shown terminating by the pods watch', async () => {
  const reader = openShardMetrics({ server: env.proxyUrl, namespace: 'flux-system', name: 'source-controller-shardset' });
  try {
    const first = await reader.read();
    const pod = first.deployments.find((d) => d.name === 'source-controller-shard2').pods[0].name;
    env.sim.terminatePod(pod, { terminatingSeconds: Infinity });
    const next = await requestsOf(() => reader.read());
    assert.deepEqual(lists(next.api), []);
    const shown = next.m.deployments.flatMap((d) => d.pods).find((p) => p.name === pod);
    assert.equal(shown?.terminating, true, JSON.stringify(shown));
  } finally {
    reader.close();
  }
});

test('a history compacted since the last read (410 Gone) is listed again, and the counts stay right', async () => {
  const reader = openShardMetrics({ server: env.proxyUrl, namespace: 'flux-system', name: 'source-controller-shardset' });
  try {
    const first = await reader.read();
    env.sim.editObject('ocirepositories', 'team-b', 'charts', (o) => {
      o.metadata.labels[KEY] = 'shard1';
    });
    env.sim.compact();
    const next = await requestsOf(() => reader.read());
    assert.ok(lists(next.api).length > 0, next.api.join('\n'));
    assert.equal(assigned(next.m, 'source-controller-shard1').assigned, assigned(first, 'source-controller-shard1').assigned + 1);
    // Listed afresh: the read after that watches again.
    const after = await requestsOf(() => reader.read());
    assert.deepEqual(lists(after.api), []);
  } finally {
    reader.close();
  }
});

test('two reads asked for at once are one read; a closed reader refuses', async () => {
  const reader = openShardMetrics({ server: env.proxyUrl, namespace: 'flux-system', name: 'source-controller-shardset' });
  const [a, b] = [reader.read(), reader.read()];
  assert.equal(a, b);
  await a;
  reader.close();
  await assert.rejects(reader.read(), /closed/);
});
