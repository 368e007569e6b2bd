import { useEffect, useRef } from 'react';
import 'flux-shard-metrics/element';

/** A FluxShardSet's shard metrics, e.g. as a tab of its detail page. */
export function ShardMetricsTab({ namespace, name, token }: { namespace: string; name: string; token?: string }) {
  const ref = useRef<HTMLElementTagNameMap['flux-shard-metrics']>(null);
  useEffect(() => {
    // Extra request options are a property (objects are not attributes).
    if (ref.current && token) ref.current.fetchOptions = { headers: { Authorization: `Bearer ${token}` } };
  }, [token]);
  // `server` is where the Kubernetes API paths are served: '' for this origin (a UI backend or
  // `kubectl proxy --www`), else a prefix such as '/api/kube'. `refresh` is in seconds.
  return <flux-shard-metrics ref={ref} namespace={namespace} shardset={name} server="" refresh="5" />;
}
