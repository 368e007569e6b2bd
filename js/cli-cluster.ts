// `flux-shard-metrics get` and `list`: the data API, printed as tables or JSON.
import { parseArgs } from 'node:util';
import { init, getShardMetrics, listShardSets, type ConnectionOptions, type DeploymentMetrics, type ShardMetrics } from './index.js';
import { formatTable } from './table.js';
import { describe, UsageError } from './errors.js';

export const DEFAULT_SERVER = 'http://127.0.0.1:8001';

const CONNECTION = {
  server: { type: 'string', short: 's', default: DEFAULT_SERVER },
  header: { type: 'string', short: 'H', multiple: true },
  timeout: { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const;

function connection(values: { server?: string; header?: string[]; timeout?: string }): ConnectionOptions {
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header must be 'Name: value', got '${h}'`);
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  const options: ConnectionOptions = { server: values.server ?? DEFAULT_SERVER, headers };
  if (values.timeout !== undefined) {
    const ms = Number(values.timeout);
    if (!Number.isInteger(ms) || ms <= 0) throw new UsageError(`--timeout must be a positive number of milliseconds, got '${values.timeout}'`);
    options.timeoutMs = ms;
  }
  return options;
}

function output(value: string | undefined, allowed: readonly string[]): string {
  const o = value ?? 'table';
  if (!allowed.includes(o)) throw new UsageError(`-o must be ${allowed.join(', ')}, got '${o}'`);
  return o;
}

/** A count as printed: integers plainly, other values with up to 3 decimals. */
export function count(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/\.?0+$/, '');
}

function status(d: DeploymentMetrics): string {
  if (d.error) return d.error;
  if (d.role === 'shard' && d.reconciliations === 0) return 'idle: no reconciliations';
  return '';
}

export function renderShardMetrics(m: ShardMetrics, wide: boolean): string {
  const rows = m.deployments.map((d) => {
    const base = [d.name, count(d.reconciliations), count(d.errors)];
    if (!wide) return d.error ? [...base, d.error] : base;
    const leader = d.pods.find((p) => p.leader)?.name ?? '';
    const kinds = d.byController.map((c) => `${c.controller}=${count(c.reconciliations)}/${count(c.errors)}`).join(' ');
    const restarts = d.pods.reduce((n, p) => n + p.restarts, 0);
    return [d.name, d.shard ?? 'source', count(d.reconciliations), count(d.errors), `${d.readyReplicas}/${d.replicas}`, leader, String(restarts), kinds, status(d)];
  });
  if (wide) {
    return formatTable(['Controller', 'Shard', 'Reconciliations', 'Errors', 'Ready', 'Leader', 'Restarts', 'By controller (reconciliations/errors)', 'Status'], rows, {
      align: ['left', 'left', 'right', 'right', 'right', 'left', 'right', 'left', 'left'],
    });
  }
  const anyError = m.deployments.some((d) => d.error);
  const header = anyError ? ['Controller', 'Reconciliations', 'Errors', 'Status'] : ['Controller', 'Reconciliations', 'Errors'];
  return formatTable(header, rows.map((r) => (anyError && r.length === 3 ? [...r, ''] : r)), { align: ['left', 'right', 'right', 'left'] });
}

export async function runGet(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...CONNECTION, namespace: { type: 'string', short: 'n' } } });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'get needs the name of a FluxShardSet' : `get takes one FluxShardSet, got ${positionals.length}`);
  if (!values.namespace) throw new UsageError('get needs -n NAMESPACE');
  const o = output(values.output, ['table', 'wide', 'json']);
  const options = connection(values);
  await init();
  let metrics: ShardMetrics;
  try {
    metrics = await getShardMetrics({ ...options, namespace: values.namespace, name: positionals[0]! });
  } catch (error) {
    process.stderr.write(`flux-shard-metrics: ${describe(error)}\n`);
    return 1;
  }
  process.stdout.write(o === 'json' ? JSON.stringify(metrics, null, 2) + '\n' : renderShardMetrics(metrics, o === 'wide') + '\n');
  for (const w of metrics.warnings) process.stderr.write(`warning: ${w}\n`);
  return 0;
}

export async function runList(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...CONNECTION, namespace: { type: 'string', short: 'n' }, 'all-namespaces': { type: 'boolean', short: 'A' } },
  });
  if (positionals.length > 0) throw new UsageError(`list takes no arguments, got '${positionals.join(' ')}'`);
  if (values.namespace && values['all-namespaces']) throw new UsageError('use either -n NAMESPACE or -A, not both');
  const o = output(values.output, ['table', 'json']);
  const options = connection(values);
  await init();
  const namespace = values['all-namespaces'] ? undefined : (values.namespace ?? 'flux-system');
  let sets;
  try {
    sets = await listShardSets(namespace === undefined ? options : { ...options, namespace });
  } catch (error) {
    process.stderr.write(`flux-shard-metrics: cannot list FluxShardSets: ${describe(error)}\n`);
    return 1;
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
