// `flux-shard-metrics get` and `list`: the data API, printed as tables, JSON
// or CSV. Without --server they reach the cluster through a private
// `kubectl proxy` (kubectl.ts). The columns come from columns.ts; options
// are checked by the core.
import { parseArgs } from 'node:util';
import { init, getShardMetrics, listShardSets, type ConnectionOptions, type PrometheusOptions, type ShardMetrics } from './index.js';
import { prometheusOption } from './prometheus.js';
import { formatTable } from './table.js';
import { COLUMNS, columnsOf, type View } from './columns.js';
import { viewRows } from './view-model.js';
import { toCsv } from './export.js';
import { describe, FluxShardMetricsError, hintFor, UsageError } from './errors.js';
import { DEFAULT_REFRESH_SECONDS, DEFAULT_WINDOW, MAX_REFRESH_SECONDS, MIN_REFRESH_SECONDS } from './generated/defaults.js';
import { checkReachable, ClusterError, contextNamespace, currentContext, startProxy, type KubeOptions } from './kubectl.js';

/** The namespace when neither -n nor the kubeconfig's context names one. */
export const DEFAULT_NAMESPACE = 'flux-system';

/** Flags every command that reads the cluster takes. */
export const CONNECTION = {
  server: { type: 'string', short: 's' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  header: { type: 'string', short: 'H', multiple: true },
  timeout: { type: 'string' },
  'max-body-bytes': { type: 'string' },
  output: { type: 'string', short: 'o' },
  namespace: { type: 'string', short: 'n' },
} as const;

interface ConnectionFlags {
  server?: string | undefined;
  context?: string | undefined;
  kubeconfig?: string | undefined;
  header?: string[] | undefined;
  timeout?: string | undefined;
  'max-body-bytes'?: string | undefined;
  namespace?: string | undefined;
}

/** Which flag sets each option of the JS API, to name it in messages. */
const FLAGS: Record<string, string> = {
  server: '--server',
  headers: '--header',
  timeoutMs: '--timeout',
  maxBodyBytes: '--max-body-bytes',
  namespace: '-n',
  name: 'SHARDSET',
  prometheus: '--prometheus',
  'prometheus.url': '--prometheus',
  'prometheus.service': '--prometheus',
  'prometheus.window': '--window',
  'prometheus.labels': '--prometheus-label',
  'prometheus.cluster': '--prometheus-cluster',
};

/** A number when the flag is written as one; otherwise the text, so the core names what was given. */
function numberOrText(value: string): number | string {
  return /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value.trim()) ? Number(value) : value;
}

function kubeOptions(values: ConnectionFlags): KubeOptions {
  return { context: values.context, kubeconfig: values.kubeconfig };
}

/** Where a command reads: the connection options, the namespace, and `close` to stop a private proxy. */
export interface Connection {
  options: ConnectionOptions;
  /** -n, else the kubeconfig context's namespace, else flux-system: the same rule for every command. */
  namespace: string;
  close: () => void;
}

/** The API to use: --server, or a private `kubectl proxy` with the kubeconfig's context. */
export async function connect(values: ConnectionFlags): Promise<Connection> {
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header must be 'Name: value', got '${h}'`);
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  const options: ConnectionOptions = { server: values.server ?? '', headers };
  // The core checks the ranges and says what is wrong (see `failed`).
  if (values.timeout !== undefined) options.timeoutMs = numberOrText(values.timeout) as number;
  if (values['max-body-bytes'] !== undefined) options.maxBodyBytes = numberOrText(values['max-body-bytes']) as number;
  if (values.server !== undefined) {
    if (values.context || values.kubeconfig) throw new UsageError('--server and --context/--kubeconfig do not go together: --server names the API itself');
    const namespace = values.namespace ?? (await contextNamespace({})) ?? DEFAULT_NAMESPACE;
    return { options, namespace, close: () => {} };
  }
  const kube = kubeOptions(values);
  const context = await currentContext(kube);
  const namespace = values.namespace ?? context.namespace ?? DEFAULT_NAMESPACE;
  const proxy = await startProxy(kube, 0);
  try {
    await checkReachable(proxy, context);
  } catch (e) {
    proxy.stop();
    throw e;
  }
  options.server = proxy.url;
  return { options, namespace, close: () => proxy.stop() };
}

function output(value: string | undefined, allowed: readonly string[]): string {
  const o = value ?? 'table';
  if (!allowed.includes(o)) throw new UsageError(`-o must be ${allowed.join(', ')}, got '${o}'`);
  return o;
}

/**
 * Reports a failed call: a wrong option or name is a usage error (exit 2),
 * anything else could not be read (exit 1). The hint comes from the kind.
 */
export function failed(error: unknown, what = ''): number {
  if (error instanceof FluxShardMetricsError && (error.kind === 'invalidOption' || error.kind === 'invalidName')) {
    const flag = error.option ? FLAGS[error.option] : undefined;
    throw new UsageError(flag ? `${flag}: ${error.message}` : error.message);
  }
  if (error instanceof UsageError) throw error;
  process.stderr.write(`flux-shard-metrics: ${what}${describe(error)}\n`);
  const hint = error instanceof FluxShardMetricsError ? hintFor(error.kind) : error instanceof ClusterError ? error.hint : null;
  if (hint) process.stderr.write(`hint: ${hint}\n`);
  return 1;
}

/** The table of a read: the default view (`table`) shows Status only when a row is not ok. */
export function renderShardMetrics(m: ShardMetrics, view: Exclude<View, 'page' | 'csv'>): string {
  const rows = viewRows(m);
  const anyNotOk = m.deployments.some((d) => d.status !== 'ok');
  const columns = columnsOf(COLUMNS, view).filter((c) => view !== 'table' || c.key !== 'status' || anyNotOk);
  return formatTable(
    columns.map((c) => c.label),
    rows.map((r) => columns.map((c) => c.text(r))),
    { align: columns.map((c) => (c.numeric ? 'right' : 'left')) },
  );
}

/** What `get --check` fails on (decided by the core): rows that are not doing their work, and objects nobody reconciles. */
export function checkFailures(m: ShardMetrics): string[] {
  return m.checkFailures;
}

function print(m: ShardMetrics, o: string): string {
  switch (o) {
    case 'json':
      return JSON.stringify(m, null, 2) + '\n';
    case 'csv':
      return toCsv(m);
    default: {
      const source =
        m.source.kind === 'prometheus' ? `\nCounts over the last ${m.source.window} from Prometheus${m.source.gonePods ? `, ${m.source.gonePods} pod(s) no longer running included` : ''}.\n` : '';
      return renderShardMetrics(m, o === 'wide' ? 'wide' : 'table') + '\n' + source;
    }
  }
}

export async function runGet(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...CONNECTION,
      check: { type: 'boolean' },
      watch: { type: 'boolean', short: 'w' },
      interval: { type: 'string' },
      prometheus: { type: 'string' },
      window: { type: 'string' },
      'prometheus-label': { type: 'string', multiple: true },
      'prometheus-cluster': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'get needs the name of a FluxShardSet' : `get takes one FluxShardSet, got ${positionals.length}`);
  const o = output(values.output, ['table', 'wide', 'json', 'csv']);
  const interval = values.interval === undefined ? DEFAULT_REFRESH_SECONDS : Number(values.interval);
  if (!(Number.isFinite(interval) && interval >= MIN_REFRESH_SECONDS && interval <= MAX_REFRESH_SECONDS))
    throw new UsageError(`--interval must be a number of seconds from ${MIN_REFRESH_SECONDS} to ${MAX_REFRESH_SECONDS}, got '${values.interval}'`);
  if (values.interval !== undefined && !values.watch) throw new UsageError('--interval goes with --watch');
  const source = prometheusFlags(values);
  await init();
  let connection: Connection;
  try {
    connection = await connect(values);
  } catch (error) {
    return failed(error);
  }
  const namespace = connection.namespace;
  try {
    if (values.watch) return await watch({ ...connection.options, ...source }, namespace, positionals[0]!, interval);
    let metrics: ShardMetrics;
    try {
      metrics = await getShardMetrics({ ...connection.options, ...source, namespace, name: positionals[0]! });
    } catch (error) {
      return failed(error);
    }
    process.stdout.write(print(metrics, o));
    for (const w of metrics.warnings) process.stderr.write(`warning: ${w}\n`);
    if (values.check) {
      const failures = checkFailures(metrics);
      for (const f of failures) process.stderr.write(`check: ${f}\n`);
      if (failures.length > 0) return 1;
    }
    return 0;
  } finally {
    connection.close();
  }
}

/** `--prometheus LOCATION [--window W] [--prometheus-label KEY=NAME]… [--prometheus-cluster C]` as the `prometheus` option. */
function prometheusFlags(values: { prometheus?: string | undefined; window?: string | undefined; 'prometheus-label'?: string[] | undefined; 'prometheus-cluster'?: string | undefined }): {
  prometheus?: PrometheusOptions;
} {
  if (values.prometheus === undefined) {
    const stray = values.window !== undefined ? '--window' : values['prometheus-label'] ? '--prometheus-label' : values['prometheus-cluster'] !== undefined ? '--prometheus-cluster' : null;
    if (stray) throw new UsageError(`${stray} goes with --prometheus`);
    return {};
  }
  const option = prometheusOption(values.prometheus, values.window);
  for (const pair of values['prometheus-label'] ?? []) {
    const [key, name] = pair.split('=', 2);
    if (!key || !name) throw new UsageError(`--prometheus-label must be KEY=LABEL (e.g. namespace=exported_namespace), got '${pair}'`);
    option.labels = { ...option.labels, [key]: name };
  }
  if (values['prometheus-cluster'] !== undefined) option.cluster = values['prometheus-cluster'];
  return { prometheus: option };
}

/**
 * `get --watch`: reads every `interval` seconds and redraws the table in place (on a terminal; otherwise
 * one table after another), with the rate per minute since the previous read. Ctrl-C ends it.
 */
async function watch(options: ConnectionOptions & { prometheus?: PrometheusOptions }, namespace: string, name: string, interval: number): Promise<number> {
  const tty = process.stdout.isTTY === true;
  let previous: ShardMetrics | undefined;
  let stop = false;
  let wake: () => void = () => {};
  const onSignal = () => {
    stop = true;
    wake();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    while (!stop) {
      let text: string;
      try {
        const m = await getShardMetrics({ ...options, namespace, name, ...(previous ? { previous } : {}) });
        previous = m;
        text = renderShardMetrics(m, 'watch') + '\n' + m.warnings.map((w) => `warning: ${w}\n`).join('');
      } catch (error) {
        text = `flux-shard-metrics: ${describe(error)}\n`;
      }
      const over = options.prometheus ? `, counts over the last ${options.prometheus.window ?? DEFAULT_WINDOW} from Prometheus` : '';
      const heading = `Every ${interval} s: ${namespace}/${name}${over}, ${new Date().toLocaleTimeString()}\n\n`;
      process.stdout.write((tty ? '\x1b[H\x1b[2J' : '') + heading + text + (tty ? '' : '\n'));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval * 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}

export async function runList(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...CONNECTION, 'all-namespaces': { type: 'boolean', short: 'A' } } });
  if (positionals.length > 0) throw new UsageError(`list takes no arguments, got '${positionals.join(' ')}'`);
  if (values.namespace && values['all-namespaces']) throw new UsageError('use either -n NAMESPACE or -A, not both');
  const o = output(values.output, ['table', 'json']);
  await init();
  let connection: Connection;
  try {
    connection = await connect(values);
  } catch (error) {
    return failed(error, 'cannot list FluxShardSets: ');
  }
  const namespace = values['all-namespaces'] ? undefined : connection.namespace;
  let sets;
  try {
    sets = await listShardSets(namespace === undefined ? connection.options : { ...connection.options, namespace });
  } catch (error) {
    return failed(error, 'cannot list FluxShardSets: ');
  } finally {
    connection.close();
  }
  if (o === 'json') {
    process.stdout.write(JSON.stringify(sets, null, 2) + '\n');
  } else if (sets.length === 0) {
    process.stdout.write(`No FluxShardSets found${namespace ? ` in namespace ${namespace}` : ''}.\n`);
  } else {
    const rows = sets.map((s) => [s.namespace, s.name, s.sourceDeployment, String(s.shards.length), String(s.inventory), s.ready === null ? 'Unknown' : s.ready ? 'True' : 'False']);
    process.stdout.write(formatTable(['Namespace', 'Name', 'Source', 'Shards', 'Inventory', 'Ready'], rows, { align: ['left', 'left', 'left', 'right', 'right', 'left'] }) + '\n');
  }
  return 0;
}
