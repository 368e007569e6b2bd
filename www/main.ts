// The standalone page: URL parameters in, the package's custom element out.
// ?namespace=NS&shardset=NAME opens a FluxShardSet, ?namespace=NS&controller=NAME the
// shard group of a Deployment (its main controller or a shard; made by a FluxShardSet,
// a FluxInstance or by hand); without them the element lists every shard group of all
// namespaces. &refresh=SECONDS and &theme=light|dark too;
// &prometheus=URL|NAMESPACE/NAME:PORT&window=1h takes the counts from Prometheus over a window.
import 'flux-shard-metrics/element';

const view = document.getElementById('view') as HTMLElementTagNameMap['flux-shard-metrics'];
const PARAMS = ['namespace', 'shardset', 'controller', 'refresh', 'theme', 'prometheus', 'window'] as const;

function apply(params: URLSearchParams): void {
  for (const name of PARAMS) {
    const value = params.get(name);
    if (value) view.setAttribute(name, value);
    else view.removeAttribute(name);
  }
  const opened = params.get('shardset') || params.get('controller');
  document.title = opened ? `${opened} · Flux shard metrics` : 'Flux shard metrics';
}

view.addEventListener('flux-shard-metrics-select', (event) => {
  const { namespace, name, kind, controller } = (event as CustomEvent<{ namespace: string; name: string; kind: string; controller: string }>).detail;
  event.preventDefault();
  const params = new URLSearchParams(location.search);
  params.set('namespace', namespace);
  // A FluxShardSet by its name, as before; any other group by its main controller.
  if (kind === 'FluxShardSet') {
    params.set('shardset', name);
    params.delete('controller');
  } else {
    params.set('controller', controller);
    params.delete('shardset');
  }
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
