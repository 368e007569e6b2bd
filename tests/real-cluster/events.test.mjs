// The product while the real cluster changes: a shard pod deleted and replaced by its ReplicaSet, a
// shard added to and removed from spec.shards (made and deleted by the FluxShardSet controller), a
// HelmRepository relabelled to the idle shard, a controller process killed and run again by the
// node agent (a container restart). Each test puts the cluster back as it found it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { init, getShardMetrics } from '../../dist/index.js';
import { admin, DIR, get, NS, podsOf, scenario, startViewerProxy, VIEWER, waitFor } from './harness.mjs';

const SET_PATH = `/apis/templates.weave.works/v1alpha1/namespaces/${NS}/fluxshardsets/${scenario.shardSet}`;
const shard = (name) => `${scenario.source}-${name}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function read() {
  const r = await get('-o', 'json');
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}
const rowOf = (m, name) => m.deployments.find((d) => d.name === name);
/** flux-shard-controller copies the source's --storage-adv-addr into every shard and makes no Service:
 * every shard row is misconfigured for that, and its other statuses are in its flags. */
const artifactReason = (name) =>
  `its --storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local. names the Service source-controller, not its own (${name}): the artifacts of its objects would be fetched from another Deployment's artifact server; its Service flux-system/${name} does not exist, so nothing can fetch its artifacts`;
/** A row's flags besides the artifact server's finding (when it is misconfigured, for nothing else). */
function otherFlags(row) {
  if (!row.flags.includes('artifactServer')) return row.flags;
  if (row.status === 'misconfigured' && row.statusReason !== artifactReason(row.name)) return row.flags;
  return row.flags.filter((f) => f !== 'artifactServer' && f !== 'misconfigured');
}

/** Reads every second while `during` runs and until `until(m)` holds; returns every read. */
async function observe(until, timeoutMs = 120000) {
  const reads = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = await read();
    reads.push(m);
    if (until(m)) return reads;
    if (Date.now() > deadline)
      throw new Error(`not within ${timeoutMs} ms; last: ${JSON.stringify(m.deployments.map((d) => [d.name, d.status, d.statusReason, d.pods.map((p) => [p.name, p.phase, p.scraped, p.error])]))}`);
    await sleep(1000);
  }
}

test('a shard pod deleted: its replacement appears, and the row is never unreachable meanwhile', async () => {
  const name = shard('shard1');
  const before = (await podsOf(name)).map((p) => p.metadata.name);
  const victim = before[0];
  // Reads as fast as they go (the library through the viewer's kubectl proxy), to see every moment of
  // the old pod terminating and the new one starting.
  await init();
  const proxy = await startViewerProxy();
  const reads = [];
  let done = false;
  const reading = (async () => {
    while (!done) reads.push(await getShardMetrics({ server: proxy.url, namespace: NS, name: scenario.shardSet }));
  })();
  try {
    await sleep(500);
    await admin.send('DELETE', `/api/v1/namespaces/${NS}/pods/${victim}`, undefined, { ok: [200] });
    await waitFor(
      'the replacement running and scraped',
      () => {
        const live = reads.length ? rowOf(reads.at(-1), name).pods.filter((p) => !p.finished) : [];
        return live.length === 2 && !live.some((p) => p.name === victim) && live.every((p) => p.phase === 'Running' && p.scraped);
      },
      120000,
      100,
    );
  } finally {
    done = true;
    await reading;
    proxy.stop();
  }
  // The reads saw the old pod go and the new one start.
  const phases = reads.map((m) =>
    rowOf(m, name)
      .pods.map((p) => `${p.name === victim ? 'old' : 'new'}:${p.phase}`)
      .join(','),
  );
  assert.ok(phases.some((p) => p.includes('old:')) && phases.some((p) => !p.includes('old:')), JSON.stringify(phases));
  for (const m of reads) {
    const row = rowOf(m, name);
    assert.ok(!row.flags.includes('unreachable'), `${row.flags} ${row.statusReason} — pods ${JSON.stringify(row.pods.map((p) => [p.name, p.phase, p.ready, p.error]))}`);
  }
  const after = (await podsOf(name)).map((p) => p.metadata.name);
  assert.ok(!after.includes(victim));
});

test('a shard added to spec.shards is pending, then idle (under its artifact server); removed, its row goes', async () => {
  const set = await admin.get(SET_PATH);
  const shards = set.spec.shards.map((s) => s.name);
  await admin.mergePatch(SET_PATH, { spec: { shards: [...shards, 'shard4'].map((n) => ({ name: n })) } });
  try {
    const reads = await observe((m) => {
      const row = rowOf(m, shard('shard4'));
      return row?.flags.includes('idle') && !row.flags.includes('pending');
    });
    const seen = reads.map((m) => rowOf(m, shard('shard4'))).filter(Boolean);
    // Never a failure on the way: missing only once the controller has caught up and it is still not there.
    assert.ok(
      seen.every((row) => otherFlags(row).every((f) => ['pending', 'idle'].includes(f))),
      JSON.stringify(seen.map((row) => [row.status, row.flags, row.statusReason])),
    );
    const last = reads.at(-1);
    assert.deepEqual(rowOf(last, shard('shard4')).flags, ['misconfigured', 'artifactServer', 'idle']);
    assert.equal(rowOf(last, shard('shard4')).statusReason, artifactReason(shard('shard4')));
    assert.equal(last.shardSet.message, '4 shard(s) created');
  } finally {
    await admin.mergePatch(SET_PATH, { spec: { shards: shards.map((n) => ({ name: n })) } });
  }
  const gone = await observe((m) => !rowOf(m, shard('shard4')) && m.shardSet.message === '3 shard(s) created');
  assert.deepEqual(
    gone.at(-1).deployments.map((d) => d.name),
    [scenario.source, ...scenario.shards.map(shard)],
  );
  await waitFor('the Deployment of shard4 deleted', async () => (await admin.request('GET', `/apis/apps/v1/namespaces/${NS}/deployments/${shard('shard4')}`)).status === 404);
});

test('a HelmRepository relabelled to shard3: shard3 leaves idle; labelled back, it is idle again', async () => {
  const path = '/apis/source.toolkit.fluxcd.io/v1/namespaces/team-b/helmrepositories/charts-shard1-extra';
  await admin.mergePatch(path, { metadata: { labels: { [scenario.key]: 'shard3' } } });
  try {
    // No longer idle: nothing besides its artifact server's finding.
    const reads = await observe((m) => otherFlags(rowOf(m, shard('shard3'))).length === 0);
    const last = reads.at(-1);
    assert.equal(rowOf(last, shard('shard3')).objects.assigned, 1);
    assert.ok(rowOf(last, shard('shard3')).reconciliations > 0);
    assert.equal(rowOf(last, shard('shard1')).objects.assigned, 2);
  } finally {
    await admin.mergePatch(path, { metadata: { labels: { [scenario.key]: 'shard1' } } });
  }
  // shard3 counted its reconciliations of the object: no longer "nothing", but nothing assigned.
  const back = await observe((m) => rowOf(m, shard('shard3')).objects.assigned === 0);
  assert.equal(rowOf(back.at(-1), shard('shard1')).objects.assigned, 3);
});

test('a controller process killed: run again, its restart counted, its counts from zero (↺ in --watch)', async () => {
  const name = shard('shard2');
  const m = await read();
  const leader = rowOf(m, name).leader;
  assert.ok(leader, 'shard2 has a leader');
  const pidFile = join(DIR, 'agent', 'pods', `${NS}_${leader}`, 'manager.pid');
  const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
  const watch = spawn(process.execPath, [cli, 'get', scenario.shardSet, '--kubeconfig', VIEWER, '--watch', '--interval', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  watch.stdout.on('data', (c) => (out += c));
  try {
    await waitFor('two reads', () => (out.match(/^Every 2 s: /gm) ?? []).length >= 2, 30000, 200);
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    await waitFor('the restart in a --watch frame', () => /source-controller-shard2 .*↺/.test(out.slice(out.lastIndexOf('Every 2 s: '))), 60000, 500);
  } finally {
    watch.kill('SIGINT');
  }
  const after = await observe((x) => rowOf(x, name).pods.some((p) => p.name === leader && p.restarts === 1 && p.scraped));
  const pod = rowOf(after.at(-1), name).pods.find((p) => p.name === leader);
  assert.equal(pod.restarts, 1);
  assert.equal(pod.phase, 'Running');
});

test('a rollout of the source: the shard set controller copies it into every shard, all roll, no row fails on the way', async () => {
  const path = `/apis/apps/v1/namespaces/${NS}/deployments/${scenario.source}`;
  const names = [scenario.source, ...scenario.shards.map(shard)];
  const oldPods = new Set((await Promise.all(names.map((n) => podsOf(n)))).flat().map((p) => p.metadata.name));
  const source = await admin.get(path);
  const env = source.spec.template.spec.containers[0].env;
  const patch = (value) => ({ spec: { template: { spec: { containers: [{ ...source.spec.template.spec.containers[0], env: [...env, { name: 'FSM_ROLLOUT', value }] }] } } } });
  // A strategic merge patch would merge the containers by name; the JSON merge patch replaces the list.
  await admin.mergePatch(path, patch(String(Date.now())));
  const reads = await observe((m) => {
    const live = m.deployments.flatMap((d) => d.pods.filter((p) => !p.finished));
    return live.length === 8 && live.every((p) => !oldPods.has(p.name) && p.phase === 'Running' && p.scraped) && m.deployments.every((d) => d.leader);
  }, 180000);
  const statuses = reads.map((m) => m.deployments.map((d) => `${d.shard ?? 'source'}:${d.status}`).join(' '));
  // The shards are misconfigured all along for their artifact server, and for nothing else.
  for (const m of reads)
    for (const d of m.deployments) assert.ok(!otherFlags(d).some((f) => ['unreachable', 'missing', 'misconfigured'].includes(f)), `${d.name} ${d.flags}: ${d.statusReason}\n${statuses.join('\n')}`);
  // Every shard has its pods of a new ReplicaSet, the env copied by the shard set controller.
  for (const name of scenario.shards.map(shard)) {
    const d = await admin.get(`/apis/apps/v1/namespaces/${NS}/deployments/${name}`);
    assert.ok(
      d.spec.template.spec.containers[0].env.some((e) => e.name === 'FSM_ROLLOUT'),
      name,
    );
  }
});
