// A row's trend as a small chart, without the DOM: the geometry of its two lines (reconciliations and
// errors per minute), its restart marks and its points, and the sentence that says the same as text
// (the chart's text alternative). render/trend.ts draws it as inline SVG.
import type { Trend } from './generated/Trend.js';
import { formatRate } from './view-model.js';

export const CHART_WIDTH = 96;
export const CHART_HEIGHT = 24;

export interface ChartPoint {
  x: number;
  y: number;
  /** The point as text: its time and values. */
  label: string;
}

export interface TrendChart {
  /** `x,y` pairs of the reconciliations line and of the errors line (empty without errors), for `points` of a polyline. */
  line: string;
  errors: string;
  points: ChartPoint[];
  /** The x of each restart within the span. */
  restarts: number[];
  /** The whole chart in words. */
  label: string;
}

const time = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/**
 * The chart of `trend`, or `null` with fewer than two points (nothing to draw yet).
 *
 * ```ts
 * const c = trendChart({ source: 'reads', stepSeconds: null, starts: [], points: [
 *   { at: 0, reconciliationsPerMinute: 0, errorsPerMinute: 0 }, { at: 60_000, reconciliationsPerMinute: 10, errorsPerMinute: 1 }] });
 * c?.label; // 'Reconciliations per minute over 2 reads, 00:00:00 to 00:01:00: from 0/min to 10/min, highest 10/min; errors per minute up to 1.0/min'
 * ```
 */
export function trendChart(trend: Trend | null | undefined): TrendChart | null {
  const points = trend?.points ?? [];
  if (!trend || points.length < 2) return null;
  const first = points[0]!.at;
  const last = points.at(-1)!.at;
  const span = Math.max(1, last - first);
  const top = Math.max(...points.map((p) => Math.max(p.reconciliationsPerMinute, p.errorsPerMinute)), 0);
  const x = (at: number) => +(((at - first) / span) * (CHART_WIDTH - 4) + 2).toFixed(1);
  const y = (v: number) => +(CHART_HEIGHT - 2 - (top > 0 ? (Math.max(0, v) / top) * (CHART_HEIGHT - 4) : 0)).toFixed(1);
  const over = trend.source === 'prometheus' ? `over the Prometheus window, ${points.length} steps` : `over ${points.length} reads`;
  const highest = Math.max(...points.map((p) => p.reconciliationsPerMinute));
  const errorsTop = Math.max(...points.map((p) => p.errorsPerMinute));
  const restarts = trend.starts.filter((s) => s >= first && s <= last);
  const label =
    `Reconciliations per minute ${over}, ${time(first)} to ${time(last)}: from ${formatRate(points[0]!.reconciliationsPerMinute)} to ${formatRate(points.at(-1)!.reconciliationsPerMinute)}, highest ${formatRate(highest)}; ` +
    `errors per minute up to ${errorsTop === 0 ? 'none' : formatRate(errorsTop)}` +
    (restarts.length ? `; ${restarts.length} restart(s), at ${restarts.map(time).join(', ')}` : '');
  return {
    line: points.map((p) => `${x(p.at)},${y(p.reconciliationsPerMinute)}`).join(' '),
    // No errors line while there are none: a line on the floor would read as an alarm.
    errors: errorsTop > 0 ? points.map((p) => `${x(p.at)},${y(p.errorsPerMinute)}`).join(' ') : '',
    points: points.map((p) => ({ x: x(p.at), y: y(p.reconciliationsPerMinute), label: `${time(p.at)}: ${formatRate(p.reconciliationsPerMinute)}, errors ${formatRate(p.errorsPerMinute)}` })),
    restarts: restarts.map(x),
    label,
  };
}
