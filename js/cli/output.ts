// The output formats of the commands (-o): tables whose columns come from
// columns.ts (the text of each cell, numbers right-aligned), JSON, and CSV
// (export.ts, the page's download too).
import type { ShardMetrics } from '../cluster.js';
import { COLUMNS, columnsOf, type Column, type View } from '../columns.js';
import { toCsv } from '../export.js';
import { UsageError } from '../errors.js';
import { viewRows, type RowView } from '../view-model.js';
import { formatTable } from './table.js';

/** The -o flag. */
export const OUTPUT_FLAG = { output: { type: 'string', short: 'o' } } as const;

/** The -o value, `table` by default, checked against what a command offers. */
export function outputFormat<O extends string>(value: string | undefined, allowed: readonly O[]): O {
  const o = value ?? 'table';
  if (!allowed.includes(o as O)) throw new UsageError(`-o must be ${allowed.join(', ')}, got '${o}'`);
  return o as O;
}

/** A value as the JSON outputs print it: indented, one newline at the end. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** A plain-text table of `items` by `columns`: their labels, their text, numbers right-aligned. */
export function columnTable<T>(columns: readonly Column<T>[], items: readonly T[]): string {
  return formatTable(
    columns.map((c) => c.label),
    items.map((item) => columns.map((c) => c.text(item))),
    { align: columns.map((c) => (c.numeric ? 'right' : 'left')) },
  );
}

/**
 * The table of a read: the default view (`table`) shows Status only when a row is not ok; the Trend
 * column is left out when no row has two points of a trend yet.
 */
export function shardMetricsTable(m: ShardMetrics, view: Exclude<View, 'page' | 'csv'>): string {
  return columnTable(shownColumns(m, columnsOf(COLUMNS, view), view), viewRows(m));
}

function shownColumns(m: ShardMetrics, columns: readonly Column<RowView>[], view: Exclude<View, 'page' | 'csv'>): Column<RowView>[] {
  const anyNotOk = m.deployments.some((d) => d.status !== 'ok');
  const anyTrend = m.deployments.some((d) => (d.trend?.points.length ?? 0) >= 2);
  return columns.filter((c) => (view !== 'table' || c.key !== 'status' || anyNotOk) && (c.key !== 'trend' || anyTrend));
}

/** The table `get --watch` redraws: the `watch` view, or with `-o wide` the wide columns and the watch's own (rate, trend). */
export function watchTable(m: ShardMetrics, o: 'table' | 'wide'): string {
  if (o === 'table') return shardMetricsTable(m, 'watch');
  const columns = COLUMNS.filter((c) => c.in.includes('wide') || c.in.includes('watch'));
  return columnTable(shownColumns(m, columns, 'wide'), viewRows(m));
}

/** A read as `get -o FORMAT` prints it. */
export function formatShardMetrics(m: ShardMetrics, o: 'table' | 'wide' | 'json' | 'csv'): string {
  switch (o) {
    case 'json':
      return json(m);
    case 'csv':
      return toCsv(m);
    default: {
      const source =
        m.source.kind === 'prometheus' ? `\nCounts over the last ${m.source.window} from Prometheus${m.source.gonePods ? `, ${m.source.gonePods} pod(s) no longer running included` : ''}.\n` : '';
      return shardMetricsTable(m, o) + '\n' + source;
    }
  }
}
