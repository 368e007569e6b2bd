// Without a shard set or a controller: every shard group to choose from, under
// its kind (a FluxShardSet's, a FluxInstance's, made by hand), each a link to
// `?namespace=…&shardset=…` (a FluxShardSet) or `?namespace=…&controller=…`
// that the embedder may take over (the element's `flux-shard-metrics-select`
// event, cancelable).
import type { GroupKind, ShardGroupSummary } from '../cluster.js';
import type { ViewActions } from './actions.js';
import { h } from './dom.js';

/** The kinds in the order they are listed, each with what makes it. */
const KINDS: ReadonlyArray<readonly [GroupKind, string]> = [
  ['FluxShardSet', 'made by flux-shard-controller'],
  ['FluxInstance', "made by the Flux Operator (a FluxInstance's spec.sharding)"],
  ['Manual', 'made by hand (overlays, as Flux’s sharding guide does it)'],
];

/** The link that opens a group: by its FluxShardSet, or by its main controller's Deployment. */
export function groupHref(g: Pick<ShardGroupSummary, 'kind' | 'namespace' | 'name' | 'controller'>): string {
  const ns = `?namespace=${encodeURIComponent(g.namespace)}`;
  return g.kind === 'FluxShardSet' ? `${ns}&shardset=${encodeURIComponent(g.name)}` : `${ns}&controller=${encodeURIComponent(g.controller)}`;
}

/** What the list says of a group besides its link. */
function describeGroup(g: ShardGroupSummary): string {
  const shards = `${g.shards.length} shard(s) by ${g.key}`;
  switch (g.kind) {
    case 'FluxShardSet':
      return ` — source ${g.controller}, ${shards}`;
    case 'FluxInstance':
      return ` — FluxInstance ${g.name}, ${shards}`;
    case 'Manual':
      return ` — ${shards}`;
  }
}

export function renderChooser(groups: readonly ShardGroupSummary[], namespace: string, actions: ViewActions): Node[] {
  if (groups.length === 0) {
    return [
      h(
        'div',
        { class: 'empty-state' },
        h('p', {}, namespace ? `No shard groups in namespace ${namespace}.` : 'No shard groups in any namespace.'),
        h(
          'p',
          { class: 'hint' },
          "A shard group is a controller's Deployment and its shard Deployments, made by a FluxShardSet, by the Flux Operator (a FluxInstance's spec.sharding) or by hand. Open another namespace with ?namespace=NS.",
        ),
      ),
    ];
  }
  const out: Node[] = [h('h2', {}, 'Shard groups')];
  for (const [kind, madeBy] of KINDS) {
    const ofKind = groups.filter((g) => g.kind === kind);
    if (ofKind.length === 0) continue;
    const list = h('ul', { class: 'chooser', 'data-kind': kind, 'aria-label': `${kind} groups` });
    for (const g of ofKind) {
      // A FluxShardSet by its name; the others by their main controller (a FluxInstance is always `flux`).
      const link = h('a', { href: groupHref(g) }, `${g.namespace}/${g.kind === 'FluxShardSet' ? g.name : g.controller}`);
      link.addEventListener('click', (e) => {
        if (!actions.select(g)) e.preventDefault();
      });
      list.append(h('li', {}, link, h('span', { class: 'muted' }, describeGroup(g))));
    }
    out.push(h('h3', {}, `${kind} `, h('span', { class: 'muted' }, `— ${madeBy}`)), list);
  }
  return out;
}
