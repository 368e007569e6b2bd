// The CLI reaches a cluster the way kubectl does, through kubectl itself: it
// reads the kubeconfig (current context, or --context / --kubeconfig /
// KUBECONFIG) and starts a private `kubectl proxy` on a free port, so every
// way kubectl authenticates (tokens, client certificates, exec plugins such
// as cloud login helpers) works. The proxy stops with the command.
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { UsageError } from '../errors.js';

const run = promisify(execFile);

/** Which kubeconfig and context to use; both optional (kubectl's defaults, KUBECONFIG included). */
export interface KubeOptions {
  context?: string | undefined;
  kubeconfig?: string | undefined;
}

/** A problem reaching the cluster (exit status 1), with what to do. */
export class ClusterError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

function kubeArgs(o: KubeOptions): string[] {
  const args: string[] = [];
  if (o.kubeconfig) args.push(`--kubeconfig=${o.kubeconfig}`);
  if (o.context) args.push(`--context=${o.context}`);
  return args;
}

const NO_KUBECTL = new ClusterError(
  'kubectl is not on PATH; it is how flux-shard-metrics reaches your cluster with your kubeconfig',
  'Install kubectl (https://kubernetes.io/docs/tasks/tools/), or point --server at the Kubernetes API (a running `kubectl proxy`, e.g. http://127.0.0.1:8001).',
);

/** The current context of the kubeconfig: its name, API server and namespace. */
export interface Context {
  name: string;
  server: string;
  namespace: string | null;
}

/** Reads the context kubectl would use; a context that does not exist is a usage error. */
export async function currentContext(o: KubeOptions): Promise<Context> {
  let stdout: string;
  try {
    ({ stdout } = await run('kubectl', ['config', 'view', '--minify', '-o', 'json', ...kubeArgs(o)], { encoding: 'utf8' }));
  } catch (e) {
    const error = e as NodeJS.ErrnoException & { stderr?: string };
    if (error.code === 'ENOENT') throw NO_KUBECTL;
    const said = (error.stderr ?? '').trim().replace(/^error: /, '');
    // A context named on the command line that is not there: the command line is wrong.
    if (o.context) throw new UsageError(`--context ${o.context}: ${said || 'kubectl config view failed'}`);
    const where = o.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config';
    throw new ClusterError(
      `no current context in the kubeconfig (${where}): ${said || 'kubectl config view failed'}`,
      "Choose a context (`kubectl config use-context NAME`, or your cloud CLI's login), pass --context or --kubeconfig, or point --server at the Kubernetes API.",
    );
  }
  const view = JSON.parse(stdout) as { 'current-context'?: string; contexts?: { name: string; context?: { namespace?: string } }[]; clusters?: { cluster?: { server?: string } }[] };
  const context = view.contexts?.[0];
  return {
    name: context?.name ?? view['current-context'] ?? '',
    server: view.clusters?.[0]?.cluster?.server ?? '',
    namespace: context?.context?.namespace || null,
  };
}

/** The namespace of the current context, or `null`; never fails (no kubectl, no kubeconfig). */
export async function contextNamespace(o: KubeOptions): Promise<string | null> {
  try {
    return (await currentContext(o)).namespace;
  } catch {
    return null;
  }
}

/** A running `kubectl proxy`. */
export interface Proxy {
  url: string;
  port: number;
  /** Stops it. */
  stop(): void;
  /** Resolves when it exits by itself, with what it said. */
  exited: Promise<string>;
}

/**
 * Starts `kubectl proxy` on `port` (0: a free one) with `extra` arguments (`--www=…`), and waits until it
 * serves. Fails with the cause and what to do when kubectl is missing or the proxy cannot start.
 */
export async function startProxy(o: KubeOptions, port: number, extra: string[] = []): Promise<Proxy> {
  const child = spawn('kubectl', ['proxy', `--port=${port}`, '--address=127.0.0.1', ...kubeArgs(o), ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  const exited = new Promise<string>((resolve) => child.on('exit', () => resolve(said.replace(/Starting to serve on \S+/, '').trim())));
  const served = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      said += chunk.toString();
      const m = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(said);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? NO_KUBECTL : e));
    child.on('exit', (code) => {
      const output = said.trim().replace(/^error: /, '');
      const hint = port ? `Is port ${port} in use? Choose another with --port, or 0 for a free one.` : 'Check the kubeconfig with `kubectl config view --minify`.';
      reject(new ClusterError(`kubectl proxy could not start (exit ${code}): ${output}`, hint));
    });
  });
  return { url: `http://127.0.0.1:${served}`, port: served, stop: () => child.kill(), exited };
}

/**
 * Checks that the cluster answers through `proxy` (GET /version). kubectl proxy starts even when the
 * cluster is down, and then answers 5xx to everything: this says so once, with the context's server.
 */
export async function checkReachable(proxy: Proxy, context: Context): Promise<void> {
  let status = 0;
  let body = '';
  try {
    const r = await fetch(`${proxy.url}/version`, { signal: AbortSignal.timeout(15000) });
    status = r.status;
    body = (await r.text()).trim().slice(0, 300);
  } catch (e) {
    body = e instanceof Error ? e.message : String(e);
  }
  if (status === 200) return;
  if (status === 401 || status === 403) {
    throw new ClusterError(
      `the cluster of context ${context.name} (${context.server}) refused the credentials (HTTP ${status}): ${body}`,
      'Log in again (your cloud CLI or `kubectl` login), then retry.',
    );
  }
  throw new ClusterError(
    `the cluster of context ${context.name} (${context.server}) cannot be reached through kubectl${status ? ` (HTTP ${status})` : ''}: ${body}`,
    'Check the network, the VPN, and that `kubectl get ns` works with the same context.',
  );
}
