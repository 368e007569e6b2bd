#!/usr/bin/env node
// `npm start`: the demo on a fresh machine. Builds what is missing, starts the
// simulated cluster, serves the page through a real `kubectl proxy --www` in
// front of it (a small built-in server only when kubectl is missing) and
// prints the URLs to open. Ctrl-C stops everything.
//
//   npm start [-- --port 8001] [-- --rebuild]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../sim/cluster.mjs';
import { prometheusBinary, startPrometheus } from '../sim/prometheus.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { port: { type: 'string', default: '8001' }, rebuild: { type: 'boolean', default: false } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got '${values.port}'`);
  process.exit(2);
}
const www = join(root, 'www', 'dist');
const prefix = '/shard-metrics/';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`demo: '${cmd} ${args.join(' ')}' failed`);
    process.exit(1);
  }
}

if (values.rebuild || !existsSync(join(www, 'index.html')) || !existsSync(join(root, 'dist', 'cli.js'))) {
  console.log('demo: building (first run: installs the wasm target, wasm-bindgen-cli and npm packages)…');
  run('bash', ['scripts/setup.sh']);
  run('npm', ['run', 'build', '--silent']);
}

const dir = mkdtempSync(join(tmpdir(), 'flux-shard-metrics-demo-'));
const kubeconfig = join(dir, 'kubeconfig');
const sim = await startCluster({ kubeconfig, slowMs: 30000 });
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
// With a `prometheus` binary, a real Prometheus scrapes the simulated pods, served as the Service
// monitoring/prometheus:9090 of the simulated cluster (the page reaches it through the API server).
let prometheus = null;
if (prometheusBinary()) {
  console.log('demo: starting Prometheus (it scrapes the simulated pods every 5 s)…');
  prometheus = await startPrometheus({ simUrl: sim.url, interval: '5s' }).catch((e) => {
    console.error(`demo: Prometheus did not start, going on without it: ${e.message}`);
    return null;
  });
  if (prometheus) sim.setService('monitoring/prometheus:9090', prometheus.url);
}

let base;
let stopFront;
if (hasKubectl) {
  const proxy = spawn('kubectl', ['proxy', `--port=${port}`, `--kubeconfig=${kubeconfig}`, `--www=${www}`, `--www-prefix=${prefix}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  base = await new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk) => {
      seen += chunk;
      const m = /Starting to serve on ([\d.]+):(\d+)/.exec(seen);
      if (m) resolve(`http://${m[1]}:${m[2]}`);
    };
    proxy.stdout.on('data', onData);
    proxy.stderr.on('data', onData);
    proxy.on('exit', (code) => reject(new Error(`kubectl proxy exited (${code}): ${seen.trim()} — is port ${port} in use? Try: npm start -- --port 0`)));
  });
  stopFront = () => proxy.kill();
} else {
  // No kubectl: serve the page and forward the API paths to the simulated cluster.
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://demo');
    if (url.pathname.startsWith(prefix)) {
      const file = normalize(join(www, url.pathname.slice(prefix.length) || 'index.html'));
      if (!file.startsWith(www) || !existsSync(file)) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405).end('only GET');
      return;
    }
    const upstream = request(`${sim.url}${url.pathname}${url.search}`, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    upstream.on('error', (e) => res.writeHead(502).end(String(e)));
    upstream.end();
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  stopFront = () => server.close();
}

console.log(`
Simulated cluster:  ${sim.url}   (KUBECONFIG=${kubeconfig} kubectl get fluxshardsets,fluxinstances -A)
${hasKubectl ? 'kubectl proxy' : 'Built-in server (kubectl not found)'}:      ${base}

Open the page:
  ${base}${prefix}                                                                 (every shard group, by kind)
  ${base}${prefix}?namespace=flux-system&shardset=source-controller-shardset      (a standby, an evicted pod, an idle shard; artifact servers: the source's)
  ${base}${prefix}?namespace=flux-system&shardset=kustomize-controller-shardset   (every status, one shard each; orphaned objects, overlapping shards)
  ${base}${prefix}?namespace=team-a&shardset=helm-controller-shardset             (mid-rollout: generation not yet observed)
  ${base}${prefix}?namespace=team-b&shardset=notification-controller-shardset     (Ready=False: the source does not ignore sharding)
  ${base}${prefix}?namespace=platform&controller=image-reflector-controller       (a FluxInstance: its own key, a shard not rendered yet, a split dependency)
  ${base}${prefix}?namespace=team-c&controller=image-automation-controller        (made by hand: a legacy notin main overlapping with a shard)
${
  prometheus
    ? `  ${base}${prefix}?namespace=flux-system&shardset=source-controller-shardset&prometheus=monitoring/prometheus:9090&window=5m
                                                                                  (counts over a window from Prometheus: ${prometheus.url})
`
    : '  (install prometheus to see the counts over a window from Prometheus: apt-get install prometheus)\n'
}
Or the CLI:
  node dist/cli.js get source-controller-shardset -n flux-system --server ${base}
  node dist/cli.js get kustomize-controller-shardset -n flux-system --server ${base} -o wide --check
  node dist/cli.js get image-reflector-controller -n platform --server ${base} --check
  node dist/cli.js list -A --server ${base}

Ctrl-C stops the demo.`);

const stop = async () => {
  stopFront();
  await prometheus?.stop();
  await sim.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
