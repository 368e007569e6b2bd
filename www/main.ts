// The standalone page: URL parameters in, the package's custom element out.
// ?namespace=NS&shardset=NAME opens a shard set; without them the element lists
// the shard sets of all namespaces. &refresh=SECONDS and &theme=light|dark too;
// &prometheus=URL|NAMESPACE/NAME:PORT&window=1h takes the counts from Prometheus over a window.
import 'flux-shard-metrics/element';

const view = document.getElementById('view') as HTMLElementTagNameMap['flux-shard-metrics'];
const PARAMS = ['namespace', 'shardset', 'refresh', 'theme', 'prometheus', 'window'] as const;

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
// The element's own choices (the interval, the window) go into the URL, so a link shows the same view.
new MutationObserver(() => {
  const params = new URLSearchParams(location.search);
  let changed = false;
  for (const name of ['refresh', 'window'] as const) {
    const value = view.getAttribute(name);
    if (value && params.get(name) !== value) {
      params.set(name, value);
      changed = true;
    }
  }
  if (changed) history.replaceState(null, '', `?${params}`);
}).observe(view, { attributes: true, attributeFilter: ['refresh', 'window'] });
apply(new URLSearchParams(location.search));
