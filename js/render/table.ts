// The table of rows: a header per column of the page's view (sortable once
// read), each Deployment's row (its expand button, its cells from columns.ts),
// its details when expanded; before the first read, one loading row per
// Deployment of the skeleton. A row's trend chart is a cell part of its column
// (`{ trend }`, columns.ts), from the core's `trend`.
import { PAGE_COLUMNS } from '../columns.js';
import type { RowView } from '../view-model.js';
import type { SortState } from '../view-controller.js';
import type { ViewActions } from './actions.js';
import { renderDetails } from './details.js';
import { cellClass, cellOf, h } from './dom.js';

/** The rows of a read, sorted, with the expanded ones' details. */
export function renderTable(rows: readonly RowView[], sort: SortState, expanded: ReadonlySet<string>, actions: ViewActions): HTMLTableElement {
  const body = h('tbody');
  for (const view of rows) {
    const open = expanded.has(view.row.name);
    body.append(renderRow(view, open, actions));
    if (open) body.append(renderDetails(view, PAGE_COLUMNS.length));
  }
  return table(body, sort, actions);
}

/** Before the first read: a row per Deployment of the shard group, each loading. */
export function renderSkeleton(set: { readonly deployments: readonly string[] }, sort: SortState): HTMLTableElement {
  const body = h('tbody');
  for (const name of set.deployments) {
    const tr = h('tr', { class: 'loading', 'data-deployment': name }, h('th', { scope: 'row' }, name));
    tr.append(h('td', { colspan: String(PAGE_COLUMNS.length - 1), class: 'muted' }, 'loading…'));
    body.append(tr);
  }
  return table(body, sort, null);
}

/** The table around `body`; its headers sort when `actions` are given. */
function table(body: HTMLTableSectionElement, sort: SortState, actions: ViewActions | null): HTMLTableElement {
  const head = h('tr');
  for (const c of PAGE_COLUMNS) {
    const active = sort.key === c.key;
    const th = h('th', { scope: 'col', class: cellClass(c), 'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : 'none' });
    if (actions) {
      const b = h('button', { type: 'button', class: 'sort' }, c.label, active ? (sort.descending ? ' ▼' : ' ▲') : '');
      b.addEventListener('click', () => actions.sortBy(c.key));
      th.append(b);
    } else {
      th.append(c.label);
    }
    head.append(th);
  }
  return h('table', { class: 'rows' }, h('caption', {}, 'Reconciliations per Deployment of the shard group'), h('thead', {}, head), body);
}

function renderRow(v: RowView, expanded: boolean, actions: ViewActions): HTMLTableRowElement {
  const d = v.row;
  const tr = h('tr', { 'data-deployment': d.name, 'data-status': d.status, class: d.flags.map((f) => `flag-${f}`).join(' ') });
  const toggle = h('button', { type: 'button', class: 'expand', 'aria-expanded': String(expanded), 'aria-label': `Details of ${d.name}` }, expanded ? '▾' : '▸');
  toggle.addEventListener('click', () => actions.toggleRow(d.name));
  const [first, ...rest] = PAGE_COLUMNS;
  tr.append(h('th', { scope: 'row' }, toggle, ' ', first!.text(v)));
  for (const c of rest) {
    const title = c.title?.(v);
    tr.append(h('td', { class: cellClass(c), title: title || undefined }, ...cellOf(c, v)));
  }
  return tr;
}
