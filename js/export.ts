// A read as CSV, for spreadsheets: one row per Deployment, the columns of the
// `csv` view of COLUMNS with raw values (numbers as numbers, durations in
// seconds). The CLI's `-o csv` and the page's download both use it.
import type { ShardMetrics } from './cluster.js';
import { COLUMNS, columnsOf } from './columns.js';
import { viewRows } from './view-model.js';

function field(value: string | number | null): string {
  if (value === null) return '';
  const cell = String(value);
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** CSV (RFC 4180, CRLF line ends) of a read. */
export function toCsv(metrics: ShardMetrics): string {
  const columns = columnsOf(COLUMNS, 'csv');
  const lines = [columns.map((c) => field(c.key)).join(',')];
  for (const row of viewRows(metrics)) lines.push(columns.map((c) => field(c.csv ? c.csv(row) : c.text(row))).join(','));
  return lines.join('\r\n') + '\r\n';
}
