// What a row shows beyond the core's data: its share of the shard set's work,
// its error ratio and its pods. Pure functions, no DOM. Statuses, rates and the
// leader are decided by the wasm core (src/verdict/rules.rs, src/rates.rs) and only
// read here.
import type { DeploymentMetrics, ShardMetrics } from './cluster.js';

export interface RowView {
  row: DeploymentMetrics;
  /** Share of the shard set's reconciliations, 0..1. */
  share: number;
  /** Share of the objects assigned in the group, 0..1; null when the objects were not counted. */
  objectShare: number | null;
  /** errors / reconciliations, or null without reconciliations. */
  errorRatio: number | null;
  /** Ready pods and pods, finished pods (evicted, completed) left out. */
  readyPods: number;
  totalPods: number;
}

/** The rows of a read, with their shares. */
export function viewRows(metrics: ShardMetrics): RowView[] {
  const total = metrics.deployments.reduce((n, d) => n + d.reconciliations, 0);
  const objects = metrics.deployments.reduce((n, d) => n + (d.objects?.assigned ?? 0), 0);
  return metrics.deployments.map((row) => ({
    row,
    share: total > 0 ? row.reconciliations / total : 0,
    objectShare: row.objects && objects > 0 ? row.objects.assigned / objects : null,
    errorRatio: row.reconciliations > 0 ? row.errors / row.reconciliations : null,
    readyPods: row.pods.filter((p) => p.ready && !p.finished).length,
    totalPods: row.pods.filter((p) => !p.finished).length,
  }));
}

/** Sorts by a sort value; `null` keeps the core's order (source first, then spec order). */
export function sortBy<T>(items: readonly T[], value: ((item: T) => number | string) | null, descending: boolean): T[] {
  if (value === null) return [...items];
  return [...items].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return descending ? -c : c;
  });
}

/** Numbers as the page prints them. */
export function formatCount(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** A count as the CLI prints it: integers plainly, other values with up to 3 decimals. */
export function plainCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/\.?0+$/, '');
}

export function formatRate(n: number | null): string {
  if (n === null) return '…';
  if (n === 0) return '0/min';
  return `${n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')}/min`;
}

/** The bars of a sparkline, lowest first. */
export const SPARK_BARS = '▁▂▃▄▅▆▇█';

/**
 * A row's reconciliations per minute over its trend as a sparkline, the last `width` points, scaled
 * from 0 to the highest (all ▁ when none reconciled); empty with fewer than two points.
 *
 * ```ts
 * formatSparkline([0, 5, 10]); // '▁▅█'
 * ```
 */
export function formatSparkline(values: readonly number[], width = 20): string {
  const shown = values.slice(-width);
  if (shown.length < 2) return '';
  const top = Math.max(...shown);
  const last = SPARK_BARS.length - 1;
  return shown.map((v) => SPARK_BARS[top > 0 ? Math.round((Math.max(0, v) / top) * last) : 0]).join('');
}

export function formatRatio(r: number | null): string {
  if (r === null) return '–';
  return `${(r * 100).toFixed(r < 0.01 && r > 0 ? 2 : 1)}%`;
}

/** Objects assigned, and how many are not Ready: `12 (2 not Ready)`; `?` when unknown. */
export function formatObjects(objects: DeploymentMetrics['objects']): string {
  if (objects === null) return '?';
  const parts = [String(objects.assigned)];
  const notes = [
    objects.notReady > 0 ? `${objects.notReady} not Ready` : '',
    objects.suspended > 0 ? `${objects.suspended} suspended` : '',
    objects.unread.length > 0 ? `${objects.unread.join(', ')} unread` : '',
  ].filter(Boolean);
  return notes.length > 0 ? `${parts[0]} (${notes.join(', ')})` : parts[0]!;
}

/** A duration in seconds: `850 µs`, `12 ms`, `1.5 s`; `–` when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 0.001) return `${Math.round(seconds * 1e6)} µs`;
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
}
