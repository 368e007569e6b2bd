// The renderers' one way to make DOM: `h()` sets attributes and appends
// children, and strings become text nodes, so nothing from the cluster is ever
// parsed as markup (no innerHTML anywhere in render/). Column cells come as
// data (`Part`s of columns.ts) and become DOM here.
import type { Column, Part } from '../columns.js';
import { renderTrend } from './trend.js';

export type Child = Node | string | null | undefined | false;

/** Creates an element; strings become text nodes, so nothing is ever parsed as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** The nodes among `children` (strings and gaps left out), for `replaceChildren`. */
export function nodes(children: readonly Child[]): Node[] {
  return children.filter((c): c is Node => c instanceof Node);
}

/** A badge's words where its flag's name is not one (the class stays the flag's name). */
const BADGE_TEXT: Partial<Record<string, string>> = { artifactServer: 'artifact server' };

/** Turns a column's cell parts into DOM. */
export function renderParts(parts: readonly Part[]): Child[] {
  return parts.map((part) => {
    if (typeof part === 'string') return part;
    if ('muted' in part) return h('span', { class: 'muted' }, part.muted);
    if ('badge' in part) return h('span', { class: `badge ${part.badge}` }, BADGE_TEXT[part.badge] ?? part.badge);
    if ('problem' in part) return h('div', { class: 'row-error' }, part.problem);
    if ('trend' in part) return renderTrend(part.trend);
    const bar = h('span', { class: 'bar' });
    bar.style.width = `${(part.bar * 100).toFixed(1)}%`;
    return h('span', { class: 'track', role: 'img', 'aria-label': part.label }, bar);
  });
}

/** What a column shows in the cell of `item`: its parts, else its text. */
export function cellOf<T>(column: Column<T>, item: T): Child[] {
  return column.cell ? renderParts(column.cell(item)) : [column.text(item)];
}

/** The class of a column's cells: its key, and `num` for numbers. */
export function cellClass(column: Pick<Column<never>, 'key' | 'numeric'>): string {
  return [column.key, column.numeric ? 'num' : ''].join(' ').trim();
}

/** A small table of `items` by `columns`, with a caption and a line for none. */
export function simpleTable<T>(caption: string, columns: readonly Column<T>[], items: readonly T[], empty: string): HTMLTableElement {
  const head = h('tr', {}, ...columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : undefined }, c.label)));
  const body = h('tbody');
  for (const item of items) body.append(h('tr', {}, ...columns.map((c) => h('td', { class: cellClass(c) }, ...cellOf(c, item)))));
  if (items.length === 0) body.append(h('tr', {}, h('td', { colspan: String(columns.length), class: 'muted' }, empty)));
  return h('table', { class: 'inner' }, h('caption', {}, caption), h('thead', {}, head), body);
}
