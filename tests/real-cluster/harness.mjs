// @ts-check
// What the real-cluster tests share: the cluster scripts/real-cluster.sh brought up (its DIR in
// FSM_REAL_CLUSTER), an admin client for setting things up and for looking behind the product's
// back, the CLI run with the viewer's kubeconfig, and each pod's own /metrics read straight from
// its IP (never through the product). The tests run inside the cluster's network namespace.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kube, credentialsOf } from './kube.mjs';

export const DIR = process.env.FSM_REAL_CLUSTER ?? '';
if (!DIR) throw new Error('FSM_REAL_CLUSTER must name the directory of `scripts/real-cluster.sh up DIR`');

/**
 * @typedef {{ kind: 'FluxShardSet' | 'FluxInstance' | 'Manual', namespace: string, name: string, controllers: string[], key: string, shards: string[], mainSelector: string, dir?: string, objects?: Record<string, string[]> }} Group
 * @type {{ namespace: string, shardSet: string, source: string, shards: string[], key: string, objects: Record<string, string[]>, orphanedKeys: string[], groups: Group[] }}
 */
export const scenario = JSON.parse(readFileSync(join(DIR, 'scenario.json'), 'utf8'));
export const admin = new Kube(credentialsOf(join(DIR, 'admin.kubeconfig')));
export const VIEWER = join(DIR, 'viewer.kubeconfig');
export const ADMIN = join(DIR, 'admin.kubeconfig');
export const NS = scenario.namespace;
/** Where a test writes its own files. */
export const TESTS_DIR = join(DIR, 'tests');
// The Prometheus built with kubernetes_sd_configs (Debian's is not).
process.env.PROMETHEUS ??= join(DIR, 'prometheus');
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Runs the built CLI with `args`; resolves to { status, stdout, stderr }. */
export function runCli(args, { env = {}, timeoutMs = 60000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** `get` as the viewer: the product reading the cluster the way a user would (kubeconfig, private kubectl proxy). */
export const get = (...args) => runCli(['get', scenario.shardSet, '--kubeconfig', VIEWER, ...args]);

/** Polls `check` until it returns a truthy value (returned) or `timeoutMs` passes (throws with `what`). */
export async function waitFor(what, check, timeoutMs = 120000, everyMs = 1000) {
  const until = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The sum of `controller_runtime_reconcile_total`, and of its `result="error"` series, in a metrics text. */
export function reconcileTotals(text) {
  let reconciliations = 0;
  let errors = 0;
  let seen = false;
  for (const line of text.split('\n')) {
    const m = /^controller_runtime_reconcile_total\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!m) continue;
    seen = true;
    const value = Number(m[2]);
    reconciliations += value;
    if (/(^|,)result="error"/.test(m[1])) errors += value;
  }
  return { reconciliations, errors, seen };
}

/** A pod's /metrics, read from its IP inside the namespace (as the product never does). */
export async function podMetrics(ip) {
  const r = await fetch(`http://${ip}:8080/metrics`, { signal: AbortSignal.timeout(5000) });
  if (!r.ok) throw new Error(`http://${ip}:8080/metrics: HTTP ${r.status}`);
  return r.text();
}

/** The pods of Deployment `name`, by owner references as the Deployment controller set them. */
export async function podsOf(name, namespace = NS) {
  const [deployments, sets, pods] = await Promise.all([
    admin.get(`/apis/apps/v1/namespaces/${namespace}/deployments`),
    admin.get(`/apis/apps/v1/namespaces/${namespace}/replicasets`),
    admin.get(`/api/v1/namespaces/${namespace}/pods`),
  ]);
  const d = deployments.items.find((x) => x.metadata.name === name);
  if (!d) return [];
  const owned = sets.items.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === d.metadata.uid)).map((rs) => rs.metadata.uid);
  return pods.items.filter((p) => p.metadata.ownerReferences?.some((o) => owned.includes(o.uid)));
}

/** Per Deployment (of `namespace`), the totals of its running pods' own /metrics. */
export async function totalsOf(names, namespace = NS) {
  /** @type {Record<string, {reconciliations: number, errors: number, pods: Record<string, {reconciliations: number, errors: number, seen: boolean}>}>} */
  const out = {};
  for (const name of names) {
    const pods = (await podsOf(name, namespace)).filter((p) => p.status.phase === 'Running' && p.status.podIP);
    const entry = { reconciliations: 0, errors: 0, pods: {} };
    for (const p of pods) {
      const t = reconcileTotals(await podMetrics(p.status.podIP));
      entry.pods[p.metadata.name] = t;
      entry.reconciliations += t.reconciliations;
      entry.errors += t.errors;
    }
    out[name] = entry;
  }
  return out;
}

/** The Deployments of the scenario's shard set: the source, then the shards. */
export function rowNames(shards = scenario.shards) {
  return [scenario.source, ...shards.map((s) => `${scenario.source}-${s}`)];
}

/** `kubectl` as the admin, inside the namespace (the tests run there). */
export function kubectl(...args) {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', ADMIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`kubectl ${args.join(' ')}: exit ${code}: ${stderr}`))));
  });
}

/** A `kubectl proxy` with the viewer's kubeconfig (TLS and its token to the API server); resolves to { url, stop }. */
export function startViewerProxy(extra = []) {
  const proxy = spawn('kubectl', ['proxy', '--port=0', `--kubeconfig=${VIEWER}`, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let said = '';
    proxy.stdout.on('data', (c) => {
      said += c;
      const m = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(said);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, stop: () => proxy.kill() });
    });
    proxy.on('exit', (code) => reject(new Error(`kubectl proxy exited ${code}: ${said}`)));
  });
}

/** The effective `--watch-label-selector` of a Deployment's manager (pflag: the last occurrence wins), as the admin reads it. */
export async function selectorOf(namespace, name) {
  const d = await admin.get(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`);
  const manager = d.spec.template.spec.containers.find((c) => c.name === 'manager');
  const flags = (manager?.args ?? []).filter((a) => a.startsWith('--watch-label-selector='));
  return flags.length ? flags.at(-1).slice('--watch-label-selector='.length) : '';
}

/** `namespace/name` of the objects of `kinds` (kubectl's resource names) that `selector` selects, in `namespace` or all (sorted). */
export async function kubectlSelected(kinds, selector, namespace) {
  const where = namespace ? ['-n', namespace] : ['-A'];
  const out = await kubectl('get', kinds.join(','), ...where, '-l', selector, '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\n"}{end}');
  return out.split('\n').filter(Boolean).sort();
}
