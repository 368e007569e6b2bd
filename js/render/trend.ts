// A row's trend drawn as inline SVG (no chart library): its reconciliations line, its errors line,
// restart marks, and a point per read or step, each with its time and values as a <title>. The chart is
// one tab stop, an image whose accessible name says in words what it shows (trend-chart.ts); all text
// is set as text, never parsed as markup.
import type { Trend } from '../generated/Trend.js';
import { CHART_HEIGHT, CHART_WIDTH, trendChart } from '../trend-chart.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag: string, attrs: Record<string, string | number>, title?: string): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (title !== undefined) {
    const t = document.createElementNS(SVG, 'title');
    t.textContent = title;
    el.append(t);
  }
  return el;
}

/** The chart of a row's trend, or a muted note while it has fewer than two points. */
export function renderTrend(trend: Trend | null): Element {
  const chart = trendChart(trend);
  if (!chart) {
    const none = document.createElement('span');
    none.className = 'muted';
    none.title = 'a trend needs three reads (or Prometheus): a point per read after the first';
    none.textContent = '…';
    return none;
  }
  const root = svg(
    'svg',
    { class: 'trend', viewBox: `0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`, width: CHART_WIDTH, height: CHART_HEIGHT, role: 'img', 'aria-label': chart.label, tabindex: 0 },
    chart.label,
  );
  for (const x of chart.restarts) root.append(svg('line', { class: 'restart', x1: x, x2: x, y1: 0, y2: CHART_HEIGHT }));
  if (chart.errors) root.append(svg('polyline', { class: 'errors', points: chart.errors, fill: 'none' }));
  root.append(svg('polyline', { class: 'line', points: chart.line, fill: 'none' }));
  for (const p of chart.points) root.append(svg('circle', { class: 'point', cx: p.x, cy: p.y, r: 1.5 }, p.label));
  return root;
}
