import { StrictMode, useState, version } from 'react';
import { createRoot } from 'react-dom/client';
import { ShardMetricsTab } from './ShardMetricsTab';

function App() {
  const params = new URLSearchParams(location.search);
  const [name] = useState(params.get('shardset') ?? 'source-controller-shardset');
  const namespace = params.get('namespace') ?? 'flux-system';
  return (
    <main>
      <h1 data-react-version={version}>Shard metrics (React {version})</h1>
      <ShardMetricsTab namespace={namespace} name={name} />
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
