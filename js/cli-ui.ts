// `flux-shard-metrics ui`: the page that ships in the package, served by
// `kubectl proxy --www` beside the Kubernetes API, with the user's kubeconfig.
// `flux-shard-metrics demo`: the same, over the simulated cluster.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';
import { currentContext, checkReachable, startProxy, type KubeOptions } from './kubectl.js';
import { failed } from './cli-cluster.js';

/** The built page, beside the package's code. */
export const PAGE_DIR = fileURLToPath(new URL('../www/dist/', import.meta.url));
export const PAGE_PREFIX = '/shard-metrics/';

/** Opens `url` in the desktop's browser. */
function openBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`flux-shard-metrics: could not open a browser (${command}); open ${url} yourself\n`));
  child.unref();
}

function portOf(value: string | undefined): number {
  const port = value === undefined ? 8001 : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number from 0 (a free one) to 65535, got '${value}'`);
  return port;
}

interface Serve {
  kube: KubeOptions;
  port: number;
  namespace?: string | undefined;
  shardset?: string | undefined;
  open?: boolean | undefined;
}

/** Serves the page with `kubectl proxy --www` until Ctrl-C (exit 0) or until the proxy stops by itself (exit 1). */
async function serve({ kube, port, namespace, shardset, open }: Serve): Promise<number> {
  if (!existsSync(`${PAGE_DIR}index.html`)) {
    process.stderr.write(`flux-shard-metrics: the page is not built (${PAGE_DIR}): run \`npm run build\` in the repository\n`);
    return 1;
  }
  let proxy;
  try {
    const context = await currentContext(kube);
    proxy = await startProxy(kube, port, [`--www=${PAGE_DIR}`, `--www-prefix=${PAGE_PREFIX}`]);
    try {
      await checkReachable(proxy, context);
    } catch (e) {
      proxy.stop();
      throw e;
    }
    const params = new URLSearchParams();
    const ns = namespace ?? (shardset ? (context.namespace ?? 'flux-system') : undefined);
    if (ns) params.set('namespace', ns);
    if (shardset) params.set('shardset', shardset);
    const url = `${proxy.url}${PAGE_PREFIX}${params.size ? `?${params}` : ''}`;
    process.stdout.write(`Serving the page with kubectl proxy (context ${context.name}, ${context.server}):\n\n  ${url}\n\nCtrl-C stops it.\n`);
    if (open) openBrowser(url);
  } catch (error) {
    return failed(error);
  }
  const running = proxy;
  return await new Promise<number>((resolve) => {
    let stopping = false;
    const stop = () => {
      stopping = true;
      running.stop();
      resolve(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void running.exited.then((said) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (stopping) return;
      process.stderr.write(`flux-shard-metrics: kubectl proxy stopped${said ? `: ${said}` : ''}\n`);
      resolve(1);
    });
  });
}

const UI_FLAGS = {
  port: { type: 'string', short: 'p' },
  namespace: { type: 'string', short: 'n' },
  shardset: { type: 'string' },
  open: { type: 'boolean' },
} as const;

export async function runUi(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...UI_FLAGS, context: { type: 'string' }, kubeconfig: { type: 'string' } } });
  if (positionals.length > 0) throw new UsageError(`ui takes no arguments, got '${positionals.join(' ')}' (a shard set is --shardset NAME)`);
  const port = portOf(values.port);
  return await serve({ kube: { context: values.context, kubeconfig: values.kubeconfig }, port, namespace: values.namespace, shardset: values.shardset, open: values.open });
}

/** The simulated cluster that ships in the package (sim/), untyped: it is plain JavaScript. */
interface Simulation {
  url: string;
  close(): Promise<void>;
  setService(key: string, upstream: string): void;
}

export async function runDemo(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: UI_FLAGS });
  if (positionals.length > 0) throw new UsageError(`demo takes no arguments, got '${positionals.join(' ')}'`);
  const port = portOf(values.port);
  const dir = mkdtempSync(join(tmpdir(), 'flux-shard-metrics-demo-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const simulator = new URL('../sim/cluster.mjs', import.meta.url).href;
  const { startCluster } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ simulator)) as { startCluster: (o: object) => Promise<Simulation> };
  const sim = await startCluster({ kubeconfig, slowMs: 30000 });
  process.stdout.write(`A simulated cluster (not yours) is at ${sim.url}.\n`);
  // With a `prometheus` binary on PATH, a real Prometheus scrapes the simulated pods, as Service monitoring/prometheus:9090.
  const promModule = new URL('../sim/prometheus.mjs', import.meta.url).href;
  const { prometheusBinary, startPrometheus } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ promModule)) as {
    prometheusBinary: () => string | null;
    startPrometheus: (o: object) => Promise<{ url: string; stop: () => Promise<void> }>;
  };
  const prometheus = prometheusBinary() ? await startPrometheus({ simUrl: sim.url, interval: '5s' }).catch(() => null) : null;
  if (prometheus) {
    sim.setService('monitoring/prometheus:9090', prometheus.url);
    process.stdout.write(`Prometheus scrapes it (${prometheus.url}): add &prometheus=monitoring/prometheus:9090&window=5m to a shard set's URL.\n`);
  }
  try {
    return await serve({ kube: { kubeconfig }, port, namespace: values.namespace, shardset: values.shardset, open: values.open });
  } finally {
    await prometheus?.stop();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
