// `flux-shard-metrics get` and `list`: the data API, printed as tables or JSON.
// The columns come from columns.ts; options are checked by the core.
import { parseArgs } from 'node:util';
import { init, getShardMetrics, listShardSets, type ConnectionOptions, type ShardMetrics } from './index.js';
import { formatTable } from './table.js';
import { COLUMNS, columnsOf, type View } from './columns.js';
import { viewRows } from './view-model.js';
import { describe, FluxShardMetricsError, hintFor, UsageError } from './errors.js';
import { FAILING_STATUSES } from './generated/statusOrder.js';

export const DEFAULT_SERVER = 'http://127.0.0.1:8001';

const CONNECTION = {
  server: { type: 'string', short: 's', default: DEFAULT_SERVER },
  header: { type: 'string', short: 'H', multiple: true },
  timeout: { type: 'string' },
  'max-body-bytes': { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const;

/** Which flag sets each option of the JS API, to name it in messages. */
const FLAGS: Record<string, string> = { server: '--server', headers: '--header', timeoutMs: '--timeout', maxBodyBytes: '--max-body-bytes', namespace: '-n', name: 'SHARDSET' };

/** A number when the flag is written as one; otherwise the text, so the core names what was given. */
function numberOrText(value: string): number | string {
  return /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value.trim()) ? Number(value) : value;
}

function connection(values: { server?: string; header?: string[]; timeout?: string; 'max-body-bytes'?: string }): ConnectionOptions {
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header must be 'Name: value', got '${h}'`);
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  const options: ConnectionOptions = { server: values.server ?? DEFAULT_SERVER, headers };
  // The core checks the range and says what is wrong (see `failed`).
  if (values.timeout !== undefined) options.timeoutMs = numberOrText(values.timeout) as number;
  if (values['max-body-bytes'] !== undefined) options.maxBodyBytes = numberOrText(values['max-body-bytes']) as number;
  return options;
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
function failed(error: unknown, what = ''): number {
  if (error instanceof FluxShardMetricsError && (error.kind === 'invalidOption' || error.kind === 'invalidName')) {
    const flag = error.option ? FLAGS[error.option] : undefined;
    throw new UsageError(flag ? `${flag}: ${error.message}` : error.message);
  }
  process.stderr.write(`flux-shard-metrics: ${what}${describe(error)}\n`);
  const hint = error instanceof FluxShardMetricsError ? hintFor(error.kind) : null;
  if (hint) process.stderr.write(`hint: ${hint}\n`);
  return 1;
}

/** The table of a read: the default view (`table`) shows Status only when a row is not ok. */
export function renderShardMetrics(m: ShardMetrics, view: Exclude<View, 'page'>): string {
  const rows = viewRows(m);
  const anyNotOk = m.deployments.some((d) => d.status !== 'ok');
  const columns = columnsOf(COLUMNS, view).filter((c) => view === 'wide' || c.key !== 'status' || anyNotOk);
  return formatTable(
    columns.map((c) => c.label),
    rows.map((r) => columns.map((c) => c.text(r))),
    { align: columns.map((c) => (c.numeric ? 'right' : 'left')) },
  );
}

/** What `get --check` fails on: rows that are not doing their work, and objects nobody reconciles. */
export function checkFailures(m: ShardMetrics): string[] {
  const failures = m.deployments.filter((d) => FAILING_STATUSES.includes(d.status)).map((d) => `${d.name} is ${d.status}`);
  const orphaned = m.orphaned.reduce((n, o) => n + o.count, 0);
  if (orphaned > 0) failures.push(`${orphaned} object(s) carry a sharding.fluxcd.io/key that names no shard (${m.orphaned.map((o) => o.key).join(', ')})`);
  return failures;
}

export async function runGet(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...CONNECTION, namespace: { type: 'string', short: 'n' }, check: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'get needs the name of a FluxShardSet' : `get takes one FluxShardSet, got ${positionals.length}`);
  if (!values.namespace) throw new UsageError('get needs -n NAMESPACE');
  const o = output(values.output, ['table', 'wide', 'json']);
  const options = connection(values);
  await init();
  let metrics: ShardMetrics;
  try {
    metrics = await getShardMetrics({ ...options, namespace: values.namespace, name: positionals[0]! });
  } catch (error) {
    return failed(error);
  }
  process.stdout.write(o === 'json' ? JSON.stringify(metrics, null, 2) + '\n' : renderShardMetrics(metrics, o === 'wide' ? 'wide' : 'table') + '\n');
  for (const w of metrics.warnings) process.stderr.write(`warning: ${w}\n`);
  if (values.check) {
    const failures = checkFailures(metrics);
    for (const f of failures) process.stderr.write(`check: ${f}\n`);
    if (failures.length > 0) return 1;
  }
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
    return failed(error, 'cannot list FluxShardSets: ');
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
