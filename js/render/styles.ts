// The element's stylesheet (adopted, not inline, so a strict CSP allows it).
// Light and dark follow the system unless the `theme` attribute says otherwise.
import { PAGE_WIDTHS } from '../columns.js';
import { NARROW_STYLES } from './narrow.js';

export const STYLES = `
:host {
  --bg: #ffffff; --fg: #1b1f24; --muted: #5b6570; --line: #d8dee4; --head: #f4f6f8;
  --accent: #2f6feb; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --bad-bg: #ffebe9;
  display: block; color: var(--fg); background: var(--bg);
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
}
@media (prefers-color-scheme: dark) {
  :host(:not([theme="light"])) {
    --bg: #0d1117; --fg: #e6edf3; --muted: #8d96a0; --line: #30363d; --head: #161b22;
    --accent: #4493f8; --ok: #3fb950; --warn: #d29922; --bad: #f85149; --bad-bg: #3c1618;
  }
}
:host([theme="dark"]) {
  --bg: #0d1117; --fg: #e6edf3; --muted: #8d96a0; --line: #30363d; --head: #161b22;
  --accent: #4493f8; --ok: #3fb950; --warn: #d29922; --bad: #f85149; --bad-bg: #3c1618;
}
.toolbar { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-bottom: .75rem; }
.title { font-size: 1.05rem; margin-right: auto; }
.updated { color: var(--muted); }
.updated.stale { color: var(--bad); }
button, select { font: inherit; color: inherit; background: var(--head); border: 1px solid var(--line); border-radius: 6px; padding: .2rem .6rem; cursor: pointer; }
button:focus-visible, select:focus-visible, a:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; color: var(--muted); padding: .25rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .4rem .6rem; text-align: left; vertical-align: top; }
thead th { background: var(--head); white-space: nowrap; }
th .sort { background: none; border: none; padding: 0; font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody th { font-weight: 600; white-space: nowrap; }
.expand { border: none; background: none; padding: 0 .25rem; }
.muted { color: var(--muted); }
.role { white-space: nowrap; }
.track { display: inline-block; width: 6rem; height: .6rem; background: var(--head); border: 1px solid var(--line); border-radius: 3px; vertical-align: middle; overflow: hidden; }
.bar { display: block; height: 100%; background: var(--accent); }
.shares { margin: 1rem 0 .75rem; }
.shares figcaption { color: var(--muted); margin-bottom: .3rem; }
.shares-grid { display: grid; grid-template-columns: max-content minmax(8rem, 14rem) minmax(8rem, 14rem); gap: .2rem 1rem; align-items: center; font-size: .85rem; }
.share-bar { display: inline-flex; align-items: center; }
svg.trend { display: block; overflow: visible; }
svg.trend:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
svg.trend .line { stroke: var(--accent); stroke-width: 1.5; }
svg.trend .errors { stroke: var(--bad); stroke-width: 1; stroke-dasharray: 2 1; }
svg.trend .restart { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 1 1; }
svg.trend .point { fill: var(--accent); }
.pct { margin-left: .4rem; color: var(--muted); font-variant-numeric: tabular-nums; }
.badge { display: inline-block; border-radius: 999px; padding: 0 .5rem; font-size: .8rem; font-weight: 600; border: 1px solid currentColor; }
.badge.ok { color: var(--ok); }
/* By meaning: idle is expected (neutral), pending is in progress; only failures take the warning colours. */
.badge.idle { color: var(--muted); }
.badge.pending { color: var(--accent); border-style: dashed; }
.badge.erroring, .badge.unreachable, .badge.missing, .badge.misconfigured, .badge.stuck, .badge.overlapping, .badge.artifactServer { color: var(--bad); }
tr[data-status="idle"] .row-error { color: var(--muted); }
tr[data-status="pending"] .row-error { color: var(--fg); }
tr[data-status="erroring"] > *, tr[data-status="unreachable"] > *, tr[data-status="missing"] > *, tr[data-status="misconfigured"] > *, tr[data-status="stuck"] > * { background: var(--bad-bg); }
.set-status { margin: 0 0 .5rem; }
.group { margin: 0 0 .25rem; }
.kind-label { display: inline-block; border-radius: 4px; padding: 0 .35rem; font-size: .8rem; font-weight: 600; background: var(--head); border: 1px solid var(--line); }
code { font-family: ui-monospace, monospace; font-size: .9em; }
.lag { color: var(--warn); }
.orphaned, .overlaps, .split { border: 1px solid var(--bad); border-radius: 8px; padding: .5rem .75rem; margin-bottom: .75rem; background: var(--bad-bg); }
.orphaned ul, .overlaps ul, .split ul { margin: .25rem 0 0; padding-left: 1.2rem; }
.split li { overflow-wrap: anywhere; }
.health { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0 0 .5rem; }
.health dt { color: var(--muted); }
.health dd { margin: 0; overflow-wrap: anywhere; }
.row-error { color: var(--bad); font-size: .85rem; max-width: 36rem; overflow-wrap: anywhere; }
tr.details > td { background: var(--head); }
.details-grid { display: grid; grid-template-columns: repeat(2, max-content); gap: 1rem 2rem; align-items: start; }
.details-grid > table:last-child { grid-column: 1 / -1; }
td.status { min-width: 12rem; }
/* One line of reason in the table (the whole text stays in the cell for screen readers, in its title and in the row's details). */
td.status .row-error { display: block; max-width: 18rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
/* Narrower: the columns that matter first; the rest are in the row's details (render/narrow.ts, from the columns). */
.also { display: none; }
${NARROW_STYLES}
@media (max-width: ${PAGE_WIDTHS.wide - 0.02}px) { td.status .row-error { max-width: 14rem; } }
@media (max-width: ${PAGE_WIDTHS.narrow - 0.02}px) {
  td.status .row-error { max-width: 10rem; }
  td.status { min-width: 8rem; }
  /* A long Deployment name breaks after its hyphens. */
  tbody th { white-space: normal; }
  .details-grid { grid-template-columns: minmax(0, 1fr); }
}
/* The details take the table's width and scroll within it: they never widen the table. */
.details-body { width: 0; min-width: 100%; overflow-x: auto; }
table.inner th, table.inner td { padding: .2rem .5rem; }
.kind { overflow-wrap: anywhere; }
.error-state, .empty-state { border: 1px solid var(--line); border-radius: 8px; padding: 1rem; }
.error-state { border-color: var(--bad); }
.error-title { font-weight: 600; color: var(--bad); margin: 0 0 .5rem; }
.message { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
.hint { color: var(--muted); }
.warnings { color: var(--warn); }
.chooser { padding-left: 1.2rem; }
.chooser li { margin: .15rem 0; }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
a { color: var(--accent); }
`;
