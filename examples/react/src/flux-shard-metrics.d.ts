// The element in JSX, for React 18 and 19 (the new JSX transform reads `React.JSX`).
import type { FluxShardMetricsAttributes } from 'flux-shard-metrics/element';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'flux-shard-metrics': React.DetailedHTMLProps<React.HTMLAttributes<HTMLElement>, HTMLElement> & FluxShardMetricsAttributes;
    }
  }
}
