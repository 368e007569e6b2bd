// The shard group's balance as a picture: each Deployment's share of the objects assigned and of the
// reconciliations, side by side, so a shard that has its objects but does not work (or works for
// others) stands out. Each bar says its share as text to a screen reader; the figure has a caption.
import type { ShardMetrics } from '../cluster.js';
import type { RowView } from '../view-model.js';
import { h } from './dom.js';

const percent = (share: number) => `${(share * 100).toFixed(0)}%`;

function bar(share: number | null, what: string, name: string): HTMLElement {
  if (share === null) return h('span', { class: 'muted' }, 'not counted');
  const fill = h('span', { class: 'bar' });
  fill.style.width = `${(share * 100).toFixed(1)}%`;
  return h('span', { class: 'share-bar' }, h('span', { class: 'track', role: 'img', 'aria-label': `${name}: ${percent(share)} of the ${what}` }, fill), h('span', { class: 'pct' }, percent(share)));
}

/** The shares chart of a read with more than one row, or null. */
export function renderShares(m: ShardMetrics, rows: readonly RowView[]): HTMLElement | null {
  if (m.deployments.length < 2) return null;
  const total = m.deployments.reduce((n, d) => n + d.reconciliations, 0);
  if (total === 0 && rows.every((r) => r.objectShare === null)) return null;
  const grid = h('div', { class: 'shares-grid' }, h('span', { class: 'muted' }, 'Deployment'), h('span', { class: 'muted' }, 'objects'), h('span', { class: 'muted' }, 'reconciliations'));
  for (const r of rows) grid.append(h('span', {}, r.row.name), bar(r.objectShare, 'objects', r.row.name), bar(r.share, 'reconciliations', r.row.name));
  return h('figure', { class: 'shares' }, h('figcaption', {}, 'Share of the objects and of the reconciliations, per Deployment'), grid);
}
