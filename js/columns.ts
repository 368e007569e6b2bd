// The one table of columns. Each column knows its label, whether it is a
// number, how it sorts, its plain text (CLI tables, CSV) and what the page
// shows in its cell, as data (`Part`s) the renderers (render/dom.ts) turn into
// DOM. The page, the CLI and every export take their columns from here: adding
// a column is one entry. No DOM and no Node here: the element, the view
// controller and the CLI all import it.
import type { ControllerCounts, DeploymentMetrics, PodMetrics, ShardGroupSummary, ShardSetSummary, Status } from './cluster.js';
import type { KindCounts } from './generated/KindCounts.js';
import type { Flag } from './generated/Flag.js';
import type { Trend } from './generated/Trend.js';
import { STATUS_ORDER } from './generated/statusOrder.js';
import { SHARD_KEY } from './generated/defaults.js';
import { formatCount, formatDuration, formatObjects, formatRate, formatRatio, formatSparkline, plainCount, type RowView } from './view-model.js';

/**
 * A piece of a cell on the page: text, muted text, a status badge, a share bar, or a problem. A new kind
 * of piece (as the trend chart was) is a member here and its branch in
 * `renderParts` (render/dom.ts).
 */
export type Part = string | { muted: string } | { badge: Status | Flag } | { bar: number; label: string } | { problem: string } | { trend: Trend | null };

/** Where a column appears: the page, the CLI's default table (`get`, `list`), `-o wide`, `get --watch`, CSV. */
export type View = 'page' | 'table' | 'wide' | 'watch' | 'csv';

export interface Column<T> {
  /** Stable id: the cell's class on the page, the CSV header. */
  key: string;
  /** The header. */
  label: string;
  /** Right-aligned, sorted descending first. */
  numeric?: boolean;
  /** The value sorted by. */
  sort: (item: T) => number | string;
  /** Plain text: CLI tables (and CSV, unless `csv` says otherwise). */
  text: (item: T) => string;
  /** The raw value for CSV: numbers as numbers, `null` as an empty field. */
  csv?: (item: T) => string | number | null;
  /** What the page shows; the text when absent. */
  cell?: (item: T) => Part[];
  /** A tooltip on the page. */
  title?: (item: T) => string;
  /** Where it appears. */
  in: readonly View[];
  /**
   * On the page: hidden from the table while the window is narrower than this many CSS pixels, and
   * shown in the row's details instead (render/narrow.ts makes the rules). Absent: always in the table.
   */
  hiddenBelow?: number;
}

/** The page's two narrow layouts: below `wide` the lesser columns go to the row's details, below `narrow` more. */
export const PAGE_WIDTHS = { wide: 1400, narrow: 1000 } as const;

const durations = (d: { durationP50: number | null; durationP99: number | null }): string => `${formatDuration(d.durationP50)} / ${formatDuration(d.durationP99)}`;

/** The columns of a Deployment row. The first is the row's header. */
export const COLUMNS: readonly Column<RowView>[] = [
  { key: 'name', label: 'Deployment', sort: (v) => v.row.name, text: (v) => v.row.name, in: ['page', 'table', 'wide', 'watch', 'csv'] },
  { key: 'shard', label: 'Shard', sort: (v) => v.row.shard ?? '', text: (v) => v.row.shard ?? 'source', in: ['page', 'wide', 'csv'], hiddenBelow: PAGE_WIDTHS.wide },
  {
    key: 'objects',
    label: 'Objects',
    numeric: true,
    sort: (v) => v.row.objects?.assigned ?? -1,
    text: (v) => formatObjects(v.row.objects),
    title: (v) =>
      v.row.objects === null
        ? 'the objects assigned could not be read (see the warnings)'
        : v.row.watchSelector
          ? `objects its --watch-label-selector=${v.row.watchSelector} selects`
          : `objects whose ${SHARD_KEY} selects this ${v.row.role === 'source' ? 'source (none)' : 'shard'}`,
    in: ['page', 'wide'],
  },
  {
    key: 'reconciliations',
    label: 'Reconciliations',
    numeric: true,
    sort: (v) => v.row.reconciliations,
    text: (v) => plainCount(v.row.reconciliations),
    csv: (v) => v.row.reconciliations,
    cell: (v) => [formatCount(v.row.reconciliations)],
    in: ['page', 'table', 'wide', 'watch', 'csv'],
  },
  {
    key: 'errors',
    label: 'Errors',
    numeric: true,
    sort: (v) => v.row.errors,
    text: (v) => plainCount(v.row.errors),
    csv: (v) => v.row.errors,
    cell: (v) => [formatCount(v.row.errors)],
    in: ['page', 'table', 'wide', 'watch', 'csv'],
  },
  {
    key: 'errorRatio',
    label: 'Error ratio',
    numeric: true,
    sort: (v) => v.errorRatio ?? -1,
    text: (v) => formatRatio(v.errorRatio),
    csv: (v) => v.errorRatio,
    in: ['page', 'csv'],
    hiddenBelow: PAGE_WIDTHS.wide,
  },
  {
    key: 'rate',
    label: 'Rate',
    numeric: true,
    sort: (v) => v.row.rate?.reconciliationsPerMinute ?? -1,
    text: (v) => formatRate(v.row.rate?.reconciliationsPerMinute ?? null) + (v.row.rate?.restarted ? ' ↺' : ''),
    csv: (v) => v.row.rate?.reconciliationsPerMinute ?? null,
    title: (v) =>
      v.row.rate === null
        ? 'a rate needs a second read: it is the change of the counters since the previous refresh'
        : v.row.rate.restarted
          ? 'a counter went down or a pod appeared since the last refresh: a restart, counted from zero'
          : '',
    in: ['page', 'watch', 'csv'],
  },
  {
    // The trend: a sparkline in the CLI, an inline SVG chart on the page (render/trend.ts).
    key: 'trend',
    label: 'Trend',
    sort: (v) => v.row.trend?.points.at(-1)?.reconciliationsPerMinute ?? -1,
    text: (v) => formatSparkline(v.row.trend?.points.map((p) => p.reconciliationsPerMinute) ?? []),
    cell: (v) => [{ trend: v.row.trend }],
    in: ['page', 'watch', 'wide'],
    hiddenBelow: PAGE_WIDTHS.narrow,
  },
  {
    key: 'share',
    label: 'Share',
    sort: (v) => v.share,
    text: (v) => `${(v.share * 100).toFixed(0)}%`,
    cell: (v) => [{ bar: v.share, label: `${(v.share * 100).toFixed(1)}% of the shard group's reconciliations` }, { muted: `${(v.share * 100).toFixed(0)}%` }],
    in: ['page'],
    hiddenBelow: PAGE_WIDTHS.narrow,
  },
  {
    key: 'pods',
    label: 'Pods',
    sort: (v) => v.readyPods,
    text: (v) => `${v.readyPods}/${v.totalPods}`,
    cell: (v) => [`${v.readyPods}/${v.totalPods}`, ...(v.row.leader ? [{ muted: ` · leader ${v.row.leader.slice(v.row.name.length + 1) || v.row.leader}` }] : [])],
    in: ['page'],
    hiddenBelow: PAGE_WIDTHS.narrow,
  },
  // Two numbers in CSV: a spreadsheet reads "1/2" as a date.
  { key: 'readyPods', label: 'Ready pods', numeric: true, sort: (v) => v.readyPods, text: (v) => String(v.readyPods), csv: (v) => v.readyPods, in: ['csv'] },
  { key: 'totalPods', label: 'Pods', numeric: true, sort: (v) => v.totalPods, text: (v) => String(v.totalPods), csv: (v) => v.totalPods, in: ['csv'] },
  { key: 'ready', label: 'Ready', sort: (v) => v.row.readyReplicas, text: (v) => `${v.row.readyReplicas}/${v.row.replicas}`, in: ['wide'] },
  { key: 'leader', label: 'Leader', sort: (v) => v.row.leader ?? '', text: (v) => v.row.leader ?? '', in: ['wide'] },
  { key: 'restarts', label: 'Restarts', numeric: true, sort: (v) => restarts(v.row.pods), text: (v) => String(restarts(v.row.pods)), in: ['wide'] },
  {
    key: 'duration',
    label: 'Duration p50 / p99',
    numeric: true,
    sort: (v) => v.row.durationP99 ?? -1,
    text: (v) => durations(v.row),
    title: () => 'reconcile duration (controller_runtime_reconcile_time_seconds), merged over the pods',
    in: ['page', 'wide'],
    hiddenBelow: PAGE_WIDTHS.wide,
  },
  { key: 'durationP50', label: 'p50 (s)', numeric: true, sort: (v) => v.row.durationP50 ?? -1, text: (v) => String(v.row.durationP50 ?? ''), csv: (v) => v.row.durationP50, in: ['csv'] },
  { key: 'durationP99', label: 'p99 (s)', numeric: true, sort: (v) => v.row.durationP99 ?? -1, text: (v) => String(v.row.durationP99 ?? ''), csv: (v) => v.row.durationP99, in: ['csv'] },
  {
    key: 'byController',
    label: 'By controller (reconciliations/errors)',
    sort: (v) => v.row.byController.length,
    text: (v) => v.row.byController.map((c) => `${c.controller}=${plainCount(c.reconciliations)}/${plainCount(c.errors)}`).join(' '),
    in: ['wide'],
  },
  {
    key: 'status',
    label: 'Status',
    sort: (v) => STATUS_ORDER.indexOf(v.row.status),
    text: (v) => (v.row.status === 'ok' ? 'ok' : `${v.row.status}: ${v.row.statusReason}`),
    csv: (v) => v.row.status,
    // Every flag a badge (the statuses that apply, and the findings: overlapping, artifactServer), a space between.
    cell: (v) => [
      ...(v.row.flags.length === 0 ? [{ badge: 'ok' as const }] : v.row.flags.flatMap((f, i) => (i === 0 ? [{ badge: f }] : [' ', { badge: f }]))),
      ...(v.row.status === 'ok' ? [] : [{ problem: v.row.statusReason }]),
    ],
    // The reason is one line in the table: the whole of it on hover.
    title: (v) => (v.row.status === 'ok' ? '' : v.row.statusReason),
    in: ['page', 'table', 'wide', 'watch', 'csv'],
  },
  { key: 'statusReason', label: 'Reason', sort: (v) => v.row.statusReason, text: (v) => v.row.statusReason, in: ['csv'] },
];

function restarts(pods: readonly PodMetrics[]): number {
  return pods.reduce((n, p) => n + p.restarts, 0);
}

/** The columns of the per-controller-kind breakdown of a row. */
export const CONTROLLER_COLUMNS: readonly Column<ControllerCounts>[] = [
  { key: 'kind', label: 'Controller kind', sort: (c) => c.controller, text: (c) => c.controller, in: ['page'] },
  {
    key: 'reconciliations',
    label: 'Reconciliations',
    numeric: true,
    sort: (c) => c.reconciliations,
    text: (c) => plainCount(c.reconciliations),
    cell: (c) => [formatCount(c.reconciliations)],
    in: ['page'],
  },
  { key: 'errors', label: 'Errors', numeric: true, sort: (c) => c.errors, text: (c) => plainCount(c.errors), cell: (c) => [formatCount(c.errors)], in: ['page'] },
];

const whenScraped = (p: PodMetrics, n: number, format: (n: number) => string): string => (p.scraped ? format(n) : '–');

/** The columns of the per-pod breakdown of a row. */
export const POD_COLUMNS: readonly Column<PodMetrics>[] = [
  { key: 'pod', label: 'Pod', sort: (p) => p.name, text: (p) => p.name, in: ['page'] },
  { key: 'phase', label: 'Phase', sort: (p) => p.phase, text: (p) => (p.reason ? `${p.phase} (${p.reason})` : p.phase) + (p.finished ? ', finished' : ''), in: ['page'] },
  { key: 'ready', label: 'Ready', sort: (p) => Number(p.ready), text: (p) => (p.ready ? 'yes' : 'no'), in: ['page'] },
  { key: 'leader', label: 'Leader', sort: (p) => String(p.leader), text: (p) => (p.leader === null ? '–' : p.leader ? 'leader' : 'standby'), in: ['page'] },
  { key: 'started', label: 'Started', sort: (p) => p.startTime ?? 0, text: (p) => (p.startTime === null ? '–' : new Date(p.startTime * 1000).toLocaleString()), in: ['page'] },
  { key: 'restarts', label: 'Restarts', numeric: true, sort: (p) => p.restarts, text: (p) => String(p.restarts), in: ['page'] },
  { key: 'reconciliations', label: 'Reconciliations', numeric: true, sort: (p) => p.reconciliations, text: (p) => whenScraped(p, p.reconciliations, formatCount), in: ['page'] },
  { key: 'errors', label: 'Errors', numeric: true, sort: (p) => p.errors, text: (p) => whenScraped(p, p.errors, formatCount), in: ['page'] },
  { key: 'duration', label: 'Duration p50 / p99', numeric: true, sort: (p) => p.durationP99 ?? -1, text: (p) => (p.scraped ? durations(p) : '–'), in: ['page'] },
  { key: 'problem', label: 'Problem', sort: (p) => p.error ?? '', text: (p) => p.error ?? '', cell: (p) => (p.error ? [{ problem: p.error }] : []), in: ['page'] },
];

/** The columns of a view. */
export function columnsOf<T>(columns: readonly Column<T>[], view: View): Column<T>[] {
  return columns.filter((c) => c.in.includes(view));
}

/** The page's columns of a Deployment row, in order (its table, its narrow layouts). */
export const PAGE_COLUMNS: readonly Column<RowView>[] = columnsOf(COLUMNS, 'page');

/** The per-kind objects of a row: `[kind, counts]`. */
export const OBJECT_COLUMNS: readonly Column<[string, KindCounts]>[] = [
  { key: 'kind', label: 'Kind', sort: ([k]) => k, text: ([k]) => k, in: ['page'] },
  { key: 'assigned', label: 'Assigned', numeric: true, sort: ([, c]) => c.assigned, text: ([, c]) => String(c.assigned), in: ['page'] },
  { key: 'notReady', label: 'Not Ready', numeric: true, sort: ([, c]) => c.notReady, text: ([, c]) => String(c.notReady), in: ['page'] },
  { key: 'suspended', label: 'Suspended', numeric: true, sort: ([, c]) => c.suspended, text: ([, c]) => String(c.suspended), in: ['page'] },
];

const orDash = (n: number | null): string => (n === null ? '–' : plainCount(n));

/**
 * The health of a Deployment, merged over its pods, as the expanded row lists it; an entry whose value is
 * `null` is left out (the artifact server of a controller that serves none).
 */
export const HEALTH: ReadonlyArray<readonly [string, (d: DeploymentMetrics) => string | null]> = [
  ['Work queue depth', (d) => orDash(d.workqueueDepth)],
  ['Workers busy / allowed', (d) => `${orDash(d.activeWorkers)} / ${orDash(d.maxWorkers)}`],
  ['Watches', (d) => (d.watchSelector === null ? 'every object (no --watch-label-selector)' : d.watchSelector)],
  ['Artifact server (--storage-adv-addr)', (d) => d.storageAdvAddr ?? (d.flags.includes('artifactServer') ? 'none: its pods advertise their own hostname' : null)],
  ['Status', (d) => `${d.status}: ${d.statusReason}`],
];

const readyText = (ready: boolean | null): string => (ready === null ? 'Unknown' : ready ? 'True' : 'False');

/** The columns of a FluxShardSet as `listShardSets` lists it (`list` before shard groups; kept for embedders). */
export const SHARDSET_COLUMNS: readonly Column<ShardSetSummary>[] = [
  { key: 'namespace', label: 'Namespace', sort: (s) => s.namespace, text: (s) => s.namespace, in: ['table'] },
  { key: 'name', label: 'Name', sort: (s) => s.name, text: (s) => s.name, in: ['table'] },
  { key: 'source', label: 'Source', sort: (s) => s.sourceDeployment, text: (s) => s.sourceDeployment, in: ['table'] },
  { key: 'shards', label: 'Shards', numeric: true, sort: (s) => s.shards.length, text: (s) => String(s.shards.length), in: ['table'] },
  { key: 'inventory', label: 'Inventory', numeric: true, sort: (s) => s.inventory, text: (s) => String(s.inventory), in: ['table'] },
  { key: 'ready', label: 'Ready', sort: (s) => readyText(s.ready), text: (s) => readyText(s.ready), in: ['table'] },
];

/** What a shard group's maker says of it: its Ready condition's status; `-` for a group made by hand (nothing reports it). */
const groupReady = (g: ShardGroupSummary): string => (g.kind === 'Manual' ? '-' : readyText(g.ready));

/** The columns of a shard group as `list` prints it (a `-o wide` of it would be the columns `in` `wide`). */
export const GROUP_COLUMNS: readonly Column<ShardGroupSummary>[] = [
  { key: 'namespace', label: 'Namespace', sort: (g) => g.namespace, text: (g) => g.namespace, in: ['table'] },
  { key: 'name', label: 'Name', sort: (g) => g.name, text: (g) => g.name, in: ['table'] },
  { key: 'kind', label: 'Kind', sort: (g) => g.kind, text: (g) => g.kind, in: ['table'] },
  { key: 'controller', label: 'Controller', sort: (g) => g.controller, text: (g) => g.controller, in: ['table'] },
  { key: 'shards', label: 'Shards', numeric: true, sort: (g) => g.shards.length, text: (g) => String(g.shards.length), in: ['table'] },
  { key: 'key', label: 'Key', sort: (g) => g.key, text: (g) => g.key, in: ['table'] },
  { key: 'ready', label: 'Ready', sort: (g) => groupReady(g), text: (g) => groupReady(g), in: ['table'] },
];
