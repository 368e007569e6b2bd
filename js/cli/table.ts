// Plain-text tables for the CLI: columns padded to their widest cell, joined by " | ".

export interface TableOptions {
  /** Per column; `right` for numbers. Defaults to `left`. */
  align?: ReadonlyArray<'left' | 'right'>;
}

/** Display width of a string: code points, so "é" counts once. */
function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Renders a header and rows; cells are text (newlines and tabs shown as spaces). */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, options: TableOptions = {}): string {
  const clean = (cell: string): string => cell.replace(/[\t\n\r]/g, ' ');
  const all = [header, ...rows].map((row) => header.map((_, i) => clean(row[i] ?? '')));
  const widths = header.map((_, i) => Math.max(...all.map((row) => width(row[i]!))));
  return all
    .map((row) =>
      row
        .map((cell, i) => {
          const pad = ' '.repeat(widths[i]! - width(cell));
          const last = i === row.length - 1;
          return options.align?.[i] === 'right' ? pad + cell : last ? cell : cell + pad;
        })
        .join(' | ')
        .trimEnd(),
    )
    .join('\n');
}
