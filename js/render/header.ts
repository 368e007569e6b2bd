// Above the table: what the shard group is (its kind, its maker, its
// controller, key and shards), its maker's own state (its Ready condition, a
// generation it has not acted on yet, suspension, where the counts come from,
// balance), then the findings that are no single row's: the objects nobody
// reconciles, those reconciled twice, the dependencies split across shards;
// and the warnings below it. Everything is text.
// A chart of the shards' shares would go beside the group's state (future work).
import type { ShardMetrics } from '../cluster.js';
import { h, type Child } from './dom.js';

/** How many examples of split dependencies are listed; the rest are counted. */
export const SPLIT_EXAMPLES = 10;

/** What the group is: its kind and maker, its main controller, key and shards. One line. */
export function renderGroup(m: ShardMetrics): HTMLElement {
  const g = m.group;
  const maker = g.kind === 'FluxShardSet' ? `${g.namespace}/${g.name}` : g.kind === 'FluxInstance' ? `${g.namespace}/${g.name} (the Flux Operator)` : `made by hand in ${g.namespace}`;
  const shards = g.shards.length === 0 ? 'no shards' : `${g.shards.length} shard(s): ${g.shards.join(', ')}`;
  return h(
    'p',
    { class: 'group', 'data-kind': g.kind },
    h('span', { class: 'kind-label' }, g.kind),
    ' ',
    maker,
    h('span', { class: 'muted' }, ` · ${g.controller} sharded by `),
    h('code', {}, g.key),
    h('span', { class: 'muted' }, ` · ${shards}`),
  );
}

/** What keeps the group's maker from being up to date, in its own words. */
function lag(m: ShardMetrics): string {
  const g = m.group;
  const generations = `generation ${g.generation}, observed ${g.observedGeneration ?? 'none'}`;
  if (g.kind === 'FluxInstance') {
    return g.generation !== null && g.observedGeneration !== null && g.observedGeneration >= g.generation
      ? ` · the Flux Operator is still reconciling it (${generations})`
      : ` · ${generations}: the Flux Operator has not caught up`;
  }
  return ` · ${generations}: the shard set controller has not caught up`;
}

/** The group's maker's state, one line: its Ready condition, lag, suspension, the source of the counts, balance. */
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
  if (m.shardSetBehind) parts.push(h('span', { class: 'lag' }, lag(m)));
  if (set.suspended) parts.push(h('span', { class: 'lag' }, set.kind === 'FluxInstance' ? ' · reconciliation disabled (fluxcd.controlplane.io/reconcile: disabled)' : ' · suspended'));
  if (m.source.kind === 'prometheus') {
    const gone = m.source.gonePods > 0 ? `, ${m.source.gonePods} pod(s) no longer running included` : '';
    parts.push(h('span', { class: 'muted source', title: m.source.queries.join('\n') }, ` · counts over the last ${m.source.window} from Prometheus${gone}`));
  }
  const skew = [
    m.balance.objects === null ? '' : `objects ${m.balance.objects.toFixed(1)}×`,
    m.balance.reconciliations === null ? '' : `reconciliations ${m.balance.reconciliations.toFixed(1)}×`,
  ].filter(Boolean);
  if (skew.length > 0) parts.push(h('span', { class: 'muted', title: 'the busiest shard over the mean; 1× is even' }, ` · balance: ${skew.join(', ')}`));
  // Without a Ready condition (a group made by hand), the line starts with what follows it.
  const first = parts[0];
  if (first instanceof HTMLElement && first.textContent?.startsWith(' · ')) first.textContent = first.textContent.slice(3);
  return h('p', { class: 'set-status' }, ...parts);
}

/** Counts per kind, `2 Kustomization, 1 HelmRelease`. */
const perKind = (byKind: Record<string, number>): string =>
  Object.entries(byKind)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');

/** A few examples, with `…` when there are more. */
const examplesOf = (examples: readonly string[], count: number): string => `e.g. ${examples.join(', ')}${count > examples.length ? ', …' : ''}`;

/** Objects no Deployment of the group selects: nobody reconciles them. `null` when there are none. */
export function renderOrphaned(m: ShardMetrics): HTMLElement | null {
  if (m.orphaned.length === 0) return null;
  const key = m.group.key;
  const total = m.orphaned.reduce((n, o) => n + o.count, 0);
  const items = m.orphaned.map((o) => h('li', {}, h('code', {}, `${key}=${o.key}`), `: ${o.count} (${perKind(o.byKind)}), ${examplesOf(o.examples, o.count)}`));
  return h('div', { class: 'orphaned', role: 'note' }, h('strong', {}, `${total} object(s) reconciled by nobody`), ` — no Deployment of this group selects their ${key}:`, h('ul', {}, ...items));
}

/** Objects two or more Deployments of the group select: each of them reconciles them. `null` when there are none. */
export function renderOverlaps(m: ShardMetrics): HTMLElement | null {
  if (m.overlaps.length === 0) return null;
  const total = m.overlaps.reduce((n, o) => n + o.count, 0);
  const items = m.overlaps.map((o) => h('li', {}, h('strong', {}, o.deployments.join(' and ')), `: ${o.count} (${perKind(o.byKind)}), ${examplesOf(o.examples, o.count)}`));
  return h(
    'div',
    { class: 'overlaps', role: 'note' },
    h('strong', {}, `${total} object(s) reconciled twice`),
    ' — the selectors of more than one Deployment of this group select them, so each reconciles them (their rows say which selector; flux2#4500):',
    h('ul', {}, ...items),
  );
}

/** Objects whose dependency another Deployment reconciles (or nobody), with each reason. `null` when there are none. */
export function renderSplitDependencies(m: ShardMetrics): HTMLElement | null {
  const split = m.splitDependencies;
  if (split.length === 0) return null;
  const pairs = new Map<string, number>();
  for (const s of split) pairs.set(`${s.kind} → ${s.dependency.kind}`, (pairs.get(`${s.kind} → ${s.dependency.kind}`) ?? 0) + 1);
  const counts = [...pairs].map(([pair, n]) => `${n} ${pair}`).join(', ');
  const items = split.slice(0, SPLIT_EXAMPLES).map((s) => h('li', { 'data-object': `${s.kind}/${s.namespace}/${s.name}` }, s.reason));
  if (split.length > SPLIT_EXAMPLES) items.push(h('li', { class: 'muted' }, `… and ${split.length - SPLIT_EXAMPLES} more (the JSON download lists them all)`));
  return h(
    'div',
    { class: 'split', role: 'note' },
    h('strong', {}, `${split.length} dependenc${split.length === 1 ? 'y' : 'ies'} split across shards`),
    ` (${counts}) — an object and what it depends on are reconciled by different Deployments, and a shard's cache holds only its own objects:`,
    h('ul', {}, ...items),
  );
}

/** What the read could not tell (objects not listed, kinds not served), for a person. `null` when nothing. */
export function renderWarnings(m: ShardMetrics): HTMLElement | null {
  if (m.warnings.length === 0) return null;
  return h('ul', { class: 'warnings', 'aria-label': 'Warnings' }, ...m.warnings.map((w) => h('li', {}, w)));
}
