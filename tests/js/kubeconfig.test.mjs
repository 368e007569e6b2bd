// The CLI reaches the cluster the way kubectl does: from the kubeconfig, through a private
// `kubectl proxy`. Real kubectl, real proxies, the simulated cluster behind them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../../sim/cluster.mjs';
import { runCli } from './harness.mjs';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
let sim;
let other;
let dir;
let kubeconfig;

/**
 * A kubeconfig with contexts `sim` (the current one, namespace flux-system), `team-a` (another
 * cluster, namespace team-a), `no-namespace` and `down` (nothing listens).
 */
function config(server, otherServer) {
  return `apiVersion: v1
kind: Config
clusters:
- name: sim
  cluster: { server: '${server}' }
- name: other
  cluster: { server: '${otherServer}' }
- name: down
  cluster: { server: 'http://127.0.0.1:9' }
users:
- name: anonymous
  user: {}
contexts:
- name: sim
  context: { cluster: sim, user: anonymous, namespace: flux-system }
- name: team-a
  context: { cluster: other, user: anonymous, namespace: team-a }
- name: no-namespace
  context: { cluster: sim, user: anonymous }
- name: down
  context: { cluster: down, user: anonymous }
current-context: sim
`;
}

/** The CLI with this test's kubeconfig (and `env`). */
const run = (args, env = {}) => runCli(args, { KUBECONFIG: kubeconfig, ...env });

/** kubectl proxies still running with this test's kubeconfig (each command must stop its own). */
const leftoverProxies = () =>
  spawnSync('pgrep', ['-fa', 'kubectl proxy'], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((l) => l.includes(dir));

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fsm-kubeconfig-'));
  sim = await startCluster({ frozen: true, slowMs: 1000 });
  other = await startCluster({ frozen: true, slowMs: 1000 });
  kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, config(sim.url, other.url));
});

after(async () => {
  await sim?.close();
  await other?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('get with only a kubeconfig: the current context, its namespace, a private kubectl proxy that stops', async () => {
  const r = await run(['get', 'source-controller-shardset']);
  assert.equal(r.status, 0, r.stderr);
  // Misconfigured: flux-shard-controller copies the source's --storage-adv-addr into every shard.
  assert.match(r.stdout, /^source-controller-shard1 +\| +20 \| +0 \| misconfigured: its --storage-adv-addr=source-controller\./m);
  assert.deepEqual(leftoverProxies(), []);
});

test('--context: another context, its cluster and its namespace (team-a)', async () => {
  const [here, there] = [sim.requests.length, other.requests.length];
  const r = await run(['get', 'helm-controller-shardset', '--context', 'team-a']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^helm-controller-b +\| +75 \| +0 \| ok$/m);
  assert.equal(sim.requests.length, here, 'nothing went to the current context');
  assert.ok(other.requests.slice(there).includes('GET /apis/templates.weave.works/v1alpha1/namespaces/team-a/fluxshardsets/helm-controller-shardset'));
});

test('--kubeconfig instead of KUBECONFIG, and -n over the context namespace', async () => {
  const r = await run(['list', '--kubeconfig', kubeconfig, '-n', 'team-a'], { KUBECONFIG: join(dir, 'missing') });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^team-a +\| helm-controller-shardset /m);
  assert.doesNotMatch(r.stdout, /flux-system/);
});

test('-n defaults the same way for get and list: the context namespace, else flux-system', async () => {
  const teamA = await run(['list', '--context', 'team-a']);
  assert.match(teamA.stdout, /^team-a +\|/m);
  assert.doesNotMatch(teamA.stdout, /^flux-system/m);
  const none = await run(['list', '--context', 'no-namespace']);
  assert.match(none.stdout, /^flux-system +\| kustomize-controller-shardset/m);
  const get = await run(['get', 'source-controller-shardset', '--context', 'no-namespace', '-o', 'json']);
  assert.equal(JSON.parse(get.stdout).shardSet.namespace, 'flux-system');
});

test('a context that does not exist is a usage error naming it', async () => {
  const r = await run(['get', 'x', '--context', 'nope']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^flux-shard-metrics: --context nope: .*context.*nope/);
});

test('no kubeconfig at all: exit 1, which file was read, what to do', async () => {
  const missing = join(dir, 'missing');
  const r = await run(['get', 'x'], { KUBECONFIG: missing });
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`^flux-shard-metrics: no current context in the kubeconfig \\(${missing}\\): `));
  assert.match(r.stderr, /^hint: Choose a context \(`kubectl config use-context NAME`, or your cloud CLI's login\), pass --context or --kubeconfig, or point --server at the Kubernetes API\.$/m);
});

test('an unreachable cluster: the context, its server, the cause and what to do; no proxy left', async () => {
  const r = await run(['get', 'x', '--context', 'down', '--timeout', '3000']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^flux-shard-metrics: the cluster of context down \(http:\/\/127\.0\.0\.1:9\) cannot be reached through kubectl \(HTTP 50\d\): .+/);
  assert.match(r.stderr, /^hint: Check the network, the VPN, and that `kubectl get ns` works with the same context\.$/m);
  assert.deepEqual(leftoverProxies(), []);
});

test('no kubectl on PATH: says so and how to do without', async () => {
  const r = await run(['get', 'x'], { PATH: dir });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^flux-shard-metrics: kubectl is not on PATH; it is how flux-shard-metrics reaches your cluster/);
  assert.match(r.stderr, /^hint: Install kubectl \(https:\/\/kubernetes\.io\/docs\/tasks\/tools\/\), or point --server at the Kubernetes API/m);
});

test('--server still works without kubectl, and does not go with --context', async () => {
  const r = await run(['get', 'source-controller-shardset', '-n', 'flux-system', '--server', sim.url], { PATH: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^source-controller-shard2 +\| +100 \|/m);
  const both = await run(['get', 'x', '--server', sim.url, '--context', 'sim']);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /--server and --context\/--kubeconfig do not go together/);
});

test('ui on a port in use: kubectl proxy cannot start, with its own words and what to do', async () => {
  const busy = createServer();
  await new Promise((r) => busy.listen(0, '127.0.0.1', r));
  try {
    const r = await run(['ui', '--port', String(busy.address().port)]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^flux-shard-metrics: kubectl proxy could not start \(exit 1\): .*address already in use/m);
    assert.match(r.stderr, new RegExp(`^hint: Is port ${busy.address().port} in use\\? Choose another with --port, or 0 for a free one\\.$`, 'm'));
  } finally {
    busy.close();
  }
});

test('ui: serves the packaged page beside the API, prints the URL, stops the proxy on SIGINT', async () => {
  const child = spawn(process.execPath, [cli, 'ui', '--port', '0', '--shardset', 'source-controller-shardset'], { env: { ...process.env, KUBECONFIG: kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr.on('data', (c) => (out += c));
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (c) => {
      out += c;
      const m = /^ {2}(http:\/\/127\.0\.0\.1:\d+\/shard-metrics\/\S*)$/m.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(out)));
  });
  assert.match(url, /\/shard-metrics\/\?namespace=flux-system&shardset=source-controller-shardset$/);
  const page = await fetch(url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<title>/);
  const api = await fetch(new URL('/apis/templates.weave.works/v1alpha1/namespaces/flux-system/fluxshardsets', url));
  assert.equal((await api.json()).items.length, 2);
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  assert.equal(await exited, 0);
  assert.doesNotMatch(out, /kubectl proxy stopped/);
  assert.deepEqual(leftoverProxies(), []);
});

test('--version answers without loading the wasm, with the version of package.json and Cargo.toml', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const cargo = /^version = "([^"]+)"/m.exec(readFileSync(new URL('../../Cargo.toml', import.meta.url), 'utf8'))[1];
  assert.equal(pkg.version, cargo);
  const r = await run(['--version']);
  assert.equal(r.stdout, `flux-shard-metrics ${pkg.version}\n`);
});

test('get --watch: a table per read with reconciliations per minute, until SIGINT (exit 0)', async () => {
  const live = await startCluster({ slowMs: 1000 });
  try {
    const child = spawn(process.execPath, [cli, 'get', 'source-controller-shardset', '-n', 'flux-system', '--server', live.url, '--watch', '--interval', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    while ((out.match(/^Every 1 s: flux-system\/source-controller-shardset, /gm) ?? []).length < 3) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    const reads = out.split(/^Every 1 s: /m).slice(1);
    // Not a terminal: one table after another, no escape codes.
    assert.doesNotMatch(out, /\x1b\[/);
    assert.match(reads[0], /^Deployment +\| Reconciliations \| Errors \| Rate +\| Status$/m);
    // The first read has no rate; the next ones do, from the counters advancing in real time.
    assert.match(reads[0], /^source-controller +\| +\d+ \| +\d+ \| +… +\| ok$/m);
    // The third has two points of a trend: a sparkline of the rate.
    assert.match(reads[2], /^Deployment +\| Reconciliations \| Errors \| +Rate \| Trend \| Status$/m);
    assert.match(reads[2], /^source-controller +\| +\d+ \| +\d+ \| +[1-9][\d.,]*\/min \| [▁▂▃▄▅▆▇█]{2} +\| ok$/m);
  } finally {
    await live.close();
  }
});

/** Runs `get --watch` with `args` until `enough(stdout)`, then SIGINT; resolves to its exit code, stdout and stderr. */
async function watchUntil(url, args, enough) {
  const child = spawn(process.execPath, [cli, 'get', 'source-controller-shardset', '-n', 'flux-system', '--server', url, '--watch', '--interval', '1', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  while (!enough(stdout)) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGINT');
  return { code: await exited, stdout, stderr };
}

test('get --watch -o json: one ShardMetrics per read, one line each; -o csv: one CSV, readAt first, the header once', async () => {
  const live = await startCluster({ slowMs: 1000 });
  try {
    const json = await watchUntil(live.url, ['-o', 'json'], (out) => out.split('\n').length > 3);
    assert.equal(json.code, 0, json.stderr);
    const docs = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(docs.length >= 3);
    assert.deepEqual(
      docs[0].deployments.map((d) => d.name),
      ['source-controller', 'source-controller-shard1', 'source-controller-shard2', 'source-controller-shard3'],
    );
    assert.ok(docs[0].readAt < docs[1].readAt);
    assert.equal(docs[0].deployments[0].rate, null);
    assert.ok(docs[2].deployments[0].rate.reconciliationsPerMinute > 0);
    assert.doesNotMatch(json.stdout, /^Every /m);

    const csv = await watchUntil(live.url, ['-o', 'csv'], (out) => out.split('\r\n').length > 9);
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.split('\r\n').filter((l) => l !== '');
    assert.equal(lines[0], 'readAt,name,shard,reconciliations,errors,errorRatio,rate,readyPods,totalPods,durationP50,durationP99,status,statusReason');
    assert.equal(lines.filter((l) => l.startsWith('readAt,')).length, 1);
    const reads = new Set(lines.slice(1).map((l) => l.split(',')[0]));
    assert.ok(reads.size >= 2, [...reads].join(' '));
    for (const at of reads) assert.match(at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const wide = await watchUntil(live.url, ['-o', 'wide'], (out) => (out.match(/^Every 1 s: /gm) ?? []).length >= 2);
    assert.equal(wide.code, 0, wide.stderr);
    assert.match(wide.stdout, /^Deployment +\|.*\| +Objects \|.*\| +Rate \|/m);
  } finally {
    await live.close();
  }
});

test('get -o csv: a header of column keys and one row per Deployment, raw numbers', async () => {
  const r = await run(['get', 'source-controller-shardset', '-o', 'csv']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\r\n');
  assert.equal(lines[0], 'name,shard,reconciliations,errors,errorRatio,rate,readyPods,totalPods,durationP50,durationP99,status,statusReason');
  assert.equal(lines.at(-1), '');
  assert.equal(lines.length, 6);
  // Ready 1 of 2: the shard's source-controller standby is not Ready (its readiness probe is the leader's artifact server).
  const why = (shard) =>
    `"its --storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local. names the Service source-controller, not its own (${shard}): the artifacts of its objects would be fetched from another Deployment's artifact server; its Service flux-system/${shard} does not exist, so nothing can fetch its artifacts"`;
  assert.match(lines[2], /^source-controller-shard1,shard1,20,0,0,,1,2,0\.00\d+,0\.0\d+,misconfigured,"/);
  assert.ok(lines[2].endsWith(`,misconfigured,${why('source-controller-shard1')}`), lines[2]);
  assert.equal(lines[4], `source-controller-shard3,shard3,0,0,,,1,1,,,misconfigured,${why('source-controller-shard3')}`);
});
