// The CSV and JSON buttons: the current read saved as a file, the same CSV as
// `get -o csv` (export.ts) and the same JSON as `get -o json`.
import type { ShardMetrics } from '../cluster.js';
import { toCsv } from '../export.js';
import { h } from './dom.js';

interface Format {
  extension: string;
  type: string;
  write: (m: ShardMetrics) => string;
}

const FORMATS: readonly Format[] = [
  { extension: 'csv', type: 'text/csv', write: toCsv },
  { extension: 'json', type: 'application/json', write: (m) => JSON.stringify(m, null, 2) + '\n' },
];

/**
 * The file name of a read: `NAMESPACE-NAME-<readAt as ISO, without : and .>.EXT`, NAME the FluxShardSet's,
 * or the main controller's (after the FluxInstance's name, `flux-source-controller`: one instance has many groups).
 */
export function fileName(metrics: ShardMetrics, extension: string): string {
  const stamp = new Date(metrics.readAt).toISOString().replace(/[:.]/g, '-');
  const g = metrics.group;
  const name = g.kind === 'FluxShardSet' || g.name === g.controller ? g.name : `${g.name}-${g.controller}`;
  return `${g.namespace}-${name}-${stamp}.${extension}`;
}

/** One button per format, each saving `metrics` (the toolbar is drawn again with every read). */
export function renderDownloads(metrics: ShardMetrics): HTMLElement[] {
  return FORMATS.map(({ extension, type, write }) => {
    const button = h('button', { type: 'button', class: `download ${extension}`, title: `Save this read as ${extension.toUpperCase()}` }, extension.toUpperCase());
    button.addEventListener('click', () => {
      const url = URL.createObjectURL(new Blob([write(metrics)], { type }));
      h('a', { href: url, download: fileName(metrics, extension) }).click();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    });
    return button;
  });
}
