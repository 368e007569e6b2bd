// What the view shows instead of a table: loading, and a read that failed
// before any succeeded (its message and, by its kind, what to do).
import { describe, hintFor, kindOf } from '../errors.js';
import { h } from './dom.js';

export function renderLoading(): Node[] {
  return [h('p', { class: 'note' }, 'Loading…')];
}

export function renderError(error: unknown): Node[] {
  const kind = kindOf(error);
  const hint = kind ? hintFor(kind) : null;
  return [
    h(
      'div',
      { class: 'error-state', role: 'alert', 'data-kind': kind ?? 'unknown' },
      h('p', { class: 'error-title' }, 'Cannot show shard metrics'),
      h('p', { class: 'message' }, describe(error)),
      hint && h('p', { class: 'hint' }, hint),
    ),
  ];
}
