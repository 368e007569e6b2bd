// `flux-shard-metrics ui`: the page that ships in the package, served by
// `kubectl proxy --www` beside the Kubernetes API, with the user's kubeconfig.
// `serve` is also how `demo` (demo.ts) serves it over the simulated cluster.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { EXIT, failed } from './exit.js';
import { currentContext, checkReachable, startProxy, type KubeOptions } from './kubectl.js';

/** The built page, beside the package's code (this file is dist/cli/ui.js). */
export const PAGE_DIR = fileURLToPath(new URL('../../www/dist/', import.meta.url));
export const PAGE_PREFIX = '/shard-metrics/';

/** The flags of `ui` and `demo`. */
export const SERVE_FLAGS = {
  port: { type: 'string', short: 'p' },
  namespace: { type: 'string', short: 'n' },
  shardset: { type: 'string' },
  controller: { type: 'string' },
  open: { type: 'boolean' },
} as const;

/** Opens `url` in the desktop's browser. */
function openBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`flux-shard-metrics: could not open a browser (${command}); open ${url} yourself\n`));
  child.unref();
}

/** --port: 8001 by default, 0 for a free one. */
export function portOf(value: string | undefined): number {
  const port = value === undefined ? 8001 : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number from 0 (a free one) to 65535, got '${value}'`);
  return port;
}

export interface Serve {
  kube: KubeOptions;
  port: number;
  namespace?: string | undefined;
  shardset?: string | undefined;
  /** A Deployment of a shard group (`?controller=`). */
  controller?: string | undefined;
  open?: boolean | undefined;
}

/** Serves the page with `kubectl proxy --www` until Ctrl-C (exit 0) or until the proxy stops by itself (exit 1). */
export async function serve({ kube, port, namespace, shardset, controller, open }: Serve): Promise<number> {
  if (shardset && controller) throw new UsageError('use either --shardset NAME or --controller NAME, not both');
  if (!existsSync(`${PAGE_DIR}index.html`)) {
    process.stderr.write(`flux-shard-metrics: the page is not built (${PAGE_DIR}): run \`npm run build\` in the repository\n`);
    return EXIT.failed;
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
    const ns = namespace ?? (shardset || controller ? (context.namespace ?? 'flux-system') : undefined);
    if (ns) params.set('namespace', ns);
    if (shardset) params.set('shardset', shardset);
    if (controller) params.set('controller', controller);
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
      resolve(EXIT.ok);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void running.exited.then((said) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (stopping) return;
      process.stderr.write(`flux-shard-metrics: kubectl proxy stopped${said ? `: ${said}` : ''}\n`);
      resolve(EXIT.failed);
    });
  });
}

export async function runUi(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...SERVE_FLAGS, context: { type: 'string' }, kubeconfig: { type: 'string' } } });
  if (positionals.length > 0) throw new UsageError(`ui takes no arguments, got '${positionals.join(' ')}' (a shard set is --shardset NAME, a shard group --controller NAME)`);
  const port = portOf(values.port);
  return await serve({
    kube: { context: values.context, kubeconfig: values.kubeconfig },
    port,
    namespace: values.namespace,
    shardset: values.shardset,
    controller: values.controller,
    open: values.open,
  });
}
