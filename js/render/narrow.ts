// The page's narrower layouts, decided by the columns (columns.ts `hiddenBelow`):
// while the window is narrower than a column's width, its cells are hidden in
// the table and its value is shown in the row's details instead. The rules are
// made here from the columns, so a column's place is decided once.
import { PAGE_COLUMNS, type Column } from '../columns.js';
import type { RowView } from '../view-model.js';
import { cellOf, h } from './dom.js';

/**
 * The stylesheet rules of `columns`' narrow layouts: per width, a media query hiding those columns' cells
 * in the rows' table (`table.rows`, not the details' own tables, whose keys may be the same) and showing
 * their copies in the details.
 *
 * ```ts
 * narrowStyles([{ key: 'trend', hiddenBelow: 1000, ... }]);
 * // '@media (max-width: 999.98px) { table.rows > * > tr > .trend { display: none; } .also-trend { display: contents; } }'
 * ```
 */
export function narrowStyles<T>(columns: readonly Column<T>[]): string {
  const widths = [...new Set(columns.flatMap((c) => (c.hiddenBelow === undefined ? [] : [c.hiddenBelow])))].sort((a, b) => b - a);
  return widths
    .map((width) => {
      const keys = columns.filter((c) => c.hiddenBelow === width).map((c) => c.key);
      const cells = keys.map((k) => `table.rows > * > tr > .${k}`).join(', ');
      const copies = keys.map((k) => `.also-${k}`).join(', ');
      // Just below the width: at exactly `width` px the table has its columns.
      return `@media (max-width: ${width - 0.02}px) { ${cells} { display: none; } ${copies} { display: contents; } }`;
    })
    .join('\n');
}

/**
 * The row's values of the columns that narrower windows hide from the table, as label and value pairs for
 * the details' list; each hidden (CSS) until its column is.
 */
export function hiddenColumnsOf(v: RowView): HTMLElement[] {
  return PAGE_COLUMNS.filter((c) => c.hiddenBelow !== undefined).map((c) => h('div', { class: `also also-${c.key}` }, h('dt', {}, c.label), h('dd', {}, ...cellOf(c, v))));
}

/** The rules of the page's own columns. */
export const NARROW_STYLES = narrowStyles(PAGE_COLUMNS);
