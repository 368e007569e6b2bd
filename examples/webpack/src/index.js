// webpack's default entry. The element comes with its wasm: webpack emits the `.wasm` as an asset
// (it follows `new URL('…wasm', import.meta.url)`), with no loader or configuration.
import 'flux-shard-metrics/element';

const params = new URLSearchParams(location.search);
const view = document.createElement('flux-shard-metrics');
view.setAttribute('namespace', params.get('namespace') ?? 'flux-system');
view.setAttribute('shardset', params.get('shardset') ?? 'source-controller-shardset');
document.body.append(view);
