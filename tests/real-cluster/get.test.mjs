// The CLI against the real cluster, as the viewer (the README's RBAC only) through its kubeconfig
// and a private `kubectl proxy` over TLS: counts bracketed by each pod's own /metrics, statuses,
// objects per shard as kubectl counts them, orphans, --check, list -A, -o json|csv, --watch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { get, runCli, scenario, totalsOf, rowNames, kubectl, VIEWER, waitFor } from './harness.mjs';

const rows = rowNames();

/** Objects of source-controller's kinds selected by `selector`, as kubectl lists them (the admin). The
 * flux-system controllers watch all namespaces: the other groups' source objects count too. */
async function kubectlCount(selector) {
  const out = await kubectl('get', 'gitrepositories,helmrepositories,helmcharts,ocirepositories,buckets', '-A', '-l', selector, '-o', 'name');
  return out.trim() ? out.trim().split('\n').length : 0;
}

test('get -o json: per Deployment, the counts lie between what its pods said just before and just after', async () => {
  const before = await totalsOf(rows);
  const r = await get('-o', 'json');
  const after = await totalsOf(rows);
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  assert.deepEqual(
    m.deployments.map((d) => d.name),
    rows,
  );
  for (const d of m.deployments) {
    const [b, a] = [before[d.name], after[d.name]];
    assert.ok(b.reconciliations <= d.reconciliations && d.reconciliations <= a.reconciliations, `${d.name}: ${b.reconciliations} <= ${d.reconciliations} <= ${a.reconciliations}`);
    assert.ok(b.errors <= d.errors && d.errors <= a.errors, `${d.name} errors: ${b.errors} <= ${d.errors} <= ${a.errors}`);
    // Every running pod was scraped through the API server's pod proxy.
    for (const p of d.pods.filter((p) => p.phase === 'Running')) assert.equal(p.scraped, true, `${p.name}: ${p.error}`);
  }
  assert.equal(m.shardSet.ready, true);
  assert.equal(m.shardSet.message, '3 shard(s) created');
});

/** Why a source-controller shard made by the FluxShardSet controller is misconfigured: a copy of the source's args. */
const artifactReason = (shard) =>
  `its --storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local. names the Service source-controller, not its own (source-controller-${shard}): the artifacts of its objects would be fetched from another Deployment's artifact server; its Service flux-system/source-controller-${shard} does not exist, so nothing can fetch its artifacts`;

test("statuses: every shard advertises the source's artifact server; under it, the idle shard, the ok shard, the erroring rows; each leader with its standby", async () => {
  const r = await get('-o', 'json');
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  const byShard = Object.fromEntries(m.deployments.map((d) => [d.shard ?? 'source', d]));
  // flux-shard-controller copies the source's args, its --storage-adv-addr included, and makes no
  // Service: each shard's artifacts would be fetched from the source's artifact server.
  for (const shard of scenario.shards) {
    assert.equal(byShard[shard].status, 'misconfigured', shard);
    assert.equal(byShard[shard].statusReason, artifactReason(shard));
    assert.equal(byShard[shard].storageAdvAddr, 'source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local.');
  }
  // What each shard is besides, in its flags: shard3 idle, shard1 nothing more (ok), shard2 erroring.
  assert.deepEqual(byShard.shard3.flags, ['misconfigured', 'artifactServer', 'idle']);
  assert.deepEqual(byShard.shard1.flags, ['misconfigured', 'artifactServer']);
  // GitRepositories whose URL does not answer: real errors.
  assert.deepEqual(byShard.shard2.flags, ['misconfigured', 'artifactServer', 'erroring']);
  assert.equal(byShard.source.status, 'erroring', byShard.source.statusReason);
  assert.deepEqual(byShard.source.flags, ['erroring']);
  assert.ok(byShard.shard2.byResult.error > 0);
  for (const d of m.deployments) {
    // Two replicas with leader election: one leader that reconciles, one standby without the reconcile family.
    const leaders = d.pods.filter((p) => p.leader === true);
    const standbys = d.pods.filter((p) => p.leader === false);
    assert.equal(leaders.length, 1, `${d.name}: ${JSON.stringify(d.pods.map((p) => [p.name, p.leader]))}`);
    assert.equal(standbys.length, 1, d.name);
    assert.equal(d.leader, leaders[0].name);
    assert.equal(standbys[0].reconciliations, 0);
    assert.equal(standbys[0].error, null, 'a standby is no error');
  }
});

test('objects per shard are what kubectl counts with the same selectors; the orphaned ones are named', async () => {
  const r = await get('-o', 'json');
  const m = JSON.parse(r.stdout);
  const byShard = Object.fromEntries(m.deployments.map((d) => [d.shard ?? 'source', d]));
  assert.equal(byShard.source.objects.assigned, await kubectlCount(`!${scenario.key}`));
  for (const shard of scenario.shards) assert.equal(byShard[shard].objects.assigned, await kubectlCount(`${scenario.key}=${shard}`), shard);
  assert.deepEqual(
    m.orphaned.map((o) => [o.key, o.count, o.examples]),
    [['shard9', 2, ['team-b/app-orphan', 'team-b/charts-orphan']]],
  );
});

test('the table, -o wide and -o csv', async () => {
  const table = await get();
  assert.equal(table.status, 0, table.stderr);
  const lines = table.stdout.trim().split('\n');
  assert.match(lines[0], /^Deployment\s+\|\s+Reconciliations\s+\|\s+Errors\s+\|\s+Status$/);
  assert.deepEqual(
    lines.slice(1).map((l) => l.split('|')[0].trim()),
    rows,
  );
  assert.match(lines[4], /\| misconfigured: its --storage-adv-addr=\S+ names the Service source-controller, not its own \(source-controller-shard3\): /);
  const wide = await get('-o', 'wide');
  assert.equal(wide.status, 0, wide.stderr);
  assert.match(wide.stdout.split('\n')[0], /Objects/);
  const csv = await get('-o', 'csv');
  assert.equal(csv.status, 0, csv.stderr);
  const csvLines = csv.stdout.trimEnd().split('\r\n');
  assert.equal(csvLines[0], 'name,shard,reconciliations,errors,errorRatio,rate,readyPods,totalPods,durationP50,durationP99,status,statusReason');
  assert.deepEqual(
    csvLines.slice(1).map((l) => l.split(',')[0]),
    rows,
  );
});

test('--check exits 1 on the misconfigured shards and the orphaned objects, and names them', async () => {
  const r = await get('--check');
  assert.equal(r.status, 1, r.stdout + r.stderr);
  for (const shard of scenario.shards) assert.match(r.stderr, new RegExp(`^check: source-controller-${shard} is misconfigured$`, 'm'));
  assert.match(r.stderr, /check: 2 object\(s\) carry a sharding\.fluxcd\.io\/key that names no shard \(shard9\)/);
});

test("list -A and -o json: the FluxShardSet's row", async () => {
  const r = await runCli(['list', '-A', '--kubeconfig', VIEWER]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  const line = lines.find((l) => /^flux-system\s+\|\s+source-controller-shardset\s+\|/.test(l));
  // The table of shard groups (Namespace | Name | Kind | Controller | Shards | Key | Ready), or of FluxShardSets only
  // (Namespace | Name | Source | Shards | Inventory | Ready) before the CLI listed every kind of group.
  assert.match(
    line ?? r.stdout,
    /^flux-system\s+\|\s+source-controller-shardset\s+\|\s+(FluxShardSet\s+\|\s+source-controller\s+\|\s+3\s+\|\s+sharding\.fluxcd\.io\/key|source-controller\s+\|\s+3\s+\|\s+3)\s+\|\s+True$/,
  );
  const j = await runCli(['list', '-A', '-o', 'json', '--kubeconfig', VIEWER]);
  const sets = JSON.parse(j.stdout).filter((g) => (g.kind ?? 'FluxShardSet') === 'FluxShardSet');
  assert.deepEqual(
    sets.map(({ name, namespace, sourceDeployment, shards, deployments, inventory, ready, message }) => ({ name, namespace, sourceDeployment, shards, deployments, inventory, ready, message })),
    [
      {
        name: scenario.shardSet,
        namespace: 'flux-system',
        sourceDeployment: 'source-controller',
        shards: scenario.shards,
        deployments: rows,
        inventory: 3,
        ready: true,
        message: '3 shard(s) created',
      },
    ],
  );
});

test('get --watch reads again and shows a rate per minute', async () => {
  const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
  const child = spawn(process.execPath, [cli, 'get', scenario.shardSet, '--kubeconfig', VIEWER, '--watch', '--interval', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  try {
    await waitFor('three reads', () => (out.match(/^Every 2 s: /gm) ?? []).length >= 3, 30000, 200);
  } finally {
    child.kill('SIGINT');
  }
  const last = out.slice(out.lastIndexOf('Every 2 s: '));
  assert.match(last, /Rate/);
  assert.match(last, /source-controller-shard3 .*\|\s+0\/min \|/);
});
