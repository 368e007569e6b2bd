#!/usr/bin/env node
// `npm run demo:real`: the page over the real cluster of scripts/real-cluster.sh (a real API server,
// kube-controller-manager, source-controller sharded by a FluxShardSet, a FluxInstance rendered by the
// real Flux Operator, shards made by hand), as its viewer (the README's RBAC). The cluster lives in its
// own network namespace: `kubectl proxy --www` runs inside it on a Unix socket, and a relay on
// 127.0.0.1 here passes the browser's connections to that socket, so no traffic leaves the machine's
// loopback. Ctrl-C stops everything and removes the namespace.
//
//   sudo npm run demo:real [-- --port 8001] [-- --dir DIR]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { port: { type: 'string', default: '8001' }, dir: { type: 'string' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got '${values.port}'`);
  process.exit(2);
}
if (process.getuid?.() !== 0) {
  console.error('demo:real: needs root (it makes a network namespace): sudo npm run demo:real');
  process.exit(1);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`demo:real: '${cmd} ${args.join(' ')}' failed`);
    process.exit(1);
  }
}

const www = join(root, 'www', 'dist');
if (!existsSync(join(www, 'index.html'))) {
  console.log('demo:real: building the page first…');
  run('bash', ['scripts/setup.sh']);
  run('npm', ['run', 'build', '--silent']);
}

const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'flux-shard-metrics-real-'));
console.log(`demo:real: bringing up the real cluster in ${dir} (the first run builds it from Go modules: about 30 minutes)…`);
run('bash', ['scripts/real-cluster.sh', 'up', dir]);
const netns = readFileSync(join(dir, 'netns'), 'utf8').trim();
const socket = join(dir, 'proxy.sock');
rmSync(socket, { force: true });
const proxy = spawn('ip', ['netns', 'exec', netns, 'kubectl', 'proxy', `--unix-socket=${socket}`, `--kubeconfig=${join(dir, 'viewer.kubeconfig')}`, `--www=${www}`, '--www-prefix=/shard-metrics/'], {
  stdio: ['ignore', 'pipe', 'pipe'],
});
await new Promise((resolve, reject) => {
  let said = '';
  const onData = (c) => {
    said += c;
    if (/Starting to serve on/.test(said)) resolve(undefined);
  };
  proxy.stdout.on('data', onData);
  proxy.stderr.on('data', onData);
  proxy.on('exit', (code) => reject(new Error(`kubectl proxy exited (${code}): ${said}`)));
});
const relay = createServer((client) => {
  const upstream = connect(socket);
  client.pipe(upstream).pipe(client);
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
});
await new Promise((resolve, reject) => {
  relay.once('error', (e) => reject(new Error(`port ${port}: ${e.message} — try --port 0`)));
  relay.listen(port, '127.0.0.1', resolve);
});
const address = relay.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/shard-metrics/`;
const scenario = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8'));
// The other groups (a FluxInstance's, the hand-made ones), by a Deployment of theirs: `?controller=`.
const others = (scenario.groups ?? [])
  .filter((g) => g.kind !== 'FluxShardSet')
  .flatMap((g) => g.controllers.map((c) => `  ${base}?namespace=${g.namespace}&controller=${c}   (${g.kind === 'Manual' ? 'made by hand' : `${g.kind} ${g.name}`})`));
console.log(`
The real cluster (${readFileSync(join(dir, 'versions'), 'utf8').split('\n')[0]}), as the README's viewer:
  ${base}?namespace=${scenario.namespace}&shardset=${scenario.shardSet}
${others.join('\n')}
  ${base}                                   (every shard group)
kubectl as its admin: sudo ip netns exec ${netns} kubectl --kubeconfig ${join(dir, 'admin.kubeconfig')} get pods -A
Ctrl-C stops it.`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  relay.close();
  proxy.kill();
  run('bash', ['scripts/real-cluster.sh', 'down', dir]);
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
