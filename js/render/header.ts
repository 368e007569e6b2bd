// Above the table: the FluxShardSet's own state (its Ready condition, a
// generation its controller has not acted on yet, suspension, where the counts
// come from, balance), the objects nobody reconciles, and the warnings below it.
// A chart of the shards' shares would go beside the set's state (future work).
import type { ShardMetrics } from '../cluster.js';
import { SHARD_KEY } from '../generated/defaults.js';
import { h, type Child } from './dom.js';

/** The shard set's state, one line. */
export function renderSetStatus(m: ShardMetrics): HTMLElement {
  const set = m.group;
  const parts: Child[] = [];
  const ready = set.readyCondition;
  if (ready) {
    const ok = ready.status === 'True';
    parts.push(h('span', { class: `badge ${ok ? 'ok' : 'missing'}` }, ok ? 'Ready' : `Ready=${ready.status}`), ' ', h('span', { class: ok ? 'muted' : 'row-error' }, ready.message || ready.reason));
  } else if (set.kind !== 'Manual') {
    parts.push(h('span', { class: 'muted' }, 'no Ready condition yet'));
  }
  if (m.shardSetBehind) {
    parts.push(h('span', { class: 'lag' }, ` · generation ${set.generation}, observed ${set.observedGeneration ?? 'none'}: the shard set controller has not caught up`));
  }
  if (set.suspended) parts.push(h('span', { class: 'lag' }, ' · suspended'));
  if (m.source.kind === 'prometheus') {
    const gone = m.source.gonePods > 0 ? `, ${m.source.gonePods} pod(s) no longer running included` : '';
    parts.push(h('span', { class: 'muted source', title: m.source.queries.join('\n') }, ` · counts over the last ${m.source.window} from Prometheus${gone}`));
  }
  const skew = [
    m.balance.objects === null ? '' : `objects ${m.balance.objects.toFixed(1)}×`,
    m.balance.reconciliations === null ? '' : `reconciliations ${m.balance.reconciliations.toFixed(1)}×`,
  ].filter(Boolean);
  if (skew.length > 0) parts.push(h('span', { class: 'muted', title: 'the busiest shard over the mean; 1× is even' }, ` · balance: ${skew.join(', ')}`));
  return h('p', { class: 'set-status' }, ...parts);
}

/** Objects whose key names no shard: nobody reconciles them. `null` when there are none. */
export function renderOrphaned(m: ShardMetrics): HTMLElement | null {
  if (m.orphaned.length === 0) return null;
  const total = m.orphaned.reduce((n, o) => n + o.count, 0);
  const items = m.orphaned.map((o) =>
    h(
      'li',
      {},
      h('code', {}, `${SHARD_KEY}=${o.key}`),
      `: ${o.count} (${Object.entries(o.byKind)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}), e.g. ${o.examples.join(', ')}${o.count > o.examples.length ? ', …' : ''}`,
    ),
  );
  return h('div', { class: 'orphaned', role: 'note' }, h('strong', {}, `${total} object(s) reconciled by nobody`), ` — their ${SHARD_KEY} names no shard of this set:`, h('ul', {}, ...items));
}

/** What the read could not tell (objects not listed, kinds not served), for a person. `null` when nothing. */
export function renderWarnings(m: ShardMetrics): HTMLElement | null {
  if (m.warnings.length === 0) return null;
  return h('ul', { class: 'warnings', 'aria-label': 'Warnings' }, ...m.warnings.map((w) => h('li', {}, w)));
}
