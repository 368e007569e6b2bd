// Without a shard set: the shard sets to choose from, each a link to
// `?namespace=…&shardset=…` that the embedder may take over (the element's
// `flux-shard-metrics-select` event, cancelable).
import type { ShardSetSummary } from '../cluster.js';
import type { ViewActions } from './actions.js';
import { h } from './dom.js';

export function renderChooser(sets: readonly ShardSetSummary[], namespace: string, actions: ViewActions): Node[] {
  if (sets.length === 0) {
    return [
      h(
        'div',
        { class: 'empty-state' },
        h('p', {}, namespace ? `No FluxShardSets in namespace ${namespace}.` : 'No FluxShardSets in any namespace.'),
        h('p', { class: 'hint' }, 'Create one with the flux-shard-controller, or open another namespace with ?namespace=NS.'),
      ),
    ];
  }
  const list = h('ul', { class: 'chooser' });
  for (const s of sets) {
    const link = h('a', { href: `?namespace=${encodeURIComponent(s.namespace)}&shardset=${encodeURIComponent(s.name)}` }, `${s.namespace}/${s.name}`);
    link.addEventListener('click', (e) => {
      if (!actions.select(s)) e.preventDefault();
    });
    list.append(h('li', {}, link, h('span', { class: 'muted' }, ` — source ${s.sourceDeployment}, ${s.shards.length} shard(s)`)));
  }
  return [h('h2', {}, 'FluxShardSets'), list];
}
