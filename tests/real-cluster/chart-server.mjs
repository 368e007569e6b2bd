// @ts-check
// A Helm repository for the real cluster's HelmRepositories: serves an index.yaml (one chart, one
// version) so that source-controller reconciles them successfully without leaving the network
// namespace.   node tests/real-cluster/chart-server.mjs HOST PORT
import { createServer } from 'node:http';

const [host = '10.244.0.250', port = '8080'] = process.argv.slice(2);
const INDEX = `apiVersion: v1
entries:
  podinfo:
  - apiVersion: v2
    appVersion: 6.7.0
    created: "2026-11-01T00:00:00Z"
    description: A chart for the flux-shard-metrics real-cluster tests
    digest: 4f1a2f8c3a7e0a0e2b5f8a4c9d3e6b1a7c2d5e8f0a3b6c9d2e5f8a1b4c7d0e3f
    name: podinfo
    type: application
    urls:
    - podinfo-6.7.0.tgz
    version: 6.7.0
generated: "2026-11-01T00:00:00Z"
`;

createServer((req, res) => {
  if (req.url === '/index.yaml' || req.url?.startsWith('/index.yaml?')) {
    res.writeHead(200, { 'Content-Type': 'application/x-yaml', 'Content-Length': Buffer.byteLength(INDEX) });
    res.end(req.method === 'HEAD' ? undefined : INDEX);
  } else {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
  }
}).listen(Number(port), host, () => console.log(`chart server on http://${host}:${port}/`));
