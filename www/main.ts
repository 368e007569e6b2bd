// The standalone page: URL parameters in, the package's custom element out.
// ?namespace=NS&shardset=NAME opens a shard set; without them the element lists
// the shard sets of all namespaces. &refresh=SECONDS and &theme=light|dark too.
import 'flux-shard-metrics/element';

const view = document.getElementById('view') as HTMLElementTagNameMap['flux-shard-metrics'];
const PARAMS = ['namespace', 'shardset', 'refresh', 'theme'] as const;

function apply(params: URLSearchParams): void {
  for (const name of PARAMS) {
    const value = params.get(name);
    if (value) view.setAttribute(name, value);
    else view.removeAttribute(name);
  }
  document.title = params.get('shardset') ? `${params.get('shardset')} · Flux shard metrics` : 'Flux shard metrics';
}

view.addEventListener('flux-shard-metrics-select', (event) => {
  const { namespace, name } = (event as CustomEvent<{ namespace: string; name: string }>).detail;
  event.preventDefault();
  const params = new URLSearchParams(location.search);
  params.set('namespace', namespace);
  params.set('shardset', name);
  history.pushState(null, '', `?${params}`);
  apply(params);
});
window.addEventListener('popstate', () => apply(new URLSearchParams(location.search)));
apply(new URLSearchParams(location.search));
