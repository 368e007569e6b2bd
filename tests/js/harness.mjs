// Starts the simulated cluster and a real `kubectl proxy` in front of it, for tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from '../../sim/cluster.mjs';

/** Waits for a line matching `pattern` on a child's stdout/stderr. */
function waitFor(child, pattern, what) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 15 s; it said: ${seen}`)), 15000);
    const onData = (chunk) => {
      seen += chunk;
      const m = pattern.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${seen}`));
    });
  });
}

/**
 * The simulated cluster behind `kubectl proxy`. `www` serves a folder beside
 * the API (`kubectl proxy --www`). Returns { sim, proxyUrl, kubeconfig, stop }.
 */
export async function startProxiedCluster({ www, wwwPrefix = '/shard-metrics/', ...simOptions } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'fsm-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const sim = await startCluster({ kubeconfig, ...simOptions });
  const args = ['proxy', '--port=0', `--kubeconfig=${kubeconfig}`];
  if (www) args.push(`--www=${www}`, `--www-prefix=${wwwPrefix}`);
  const proxy = spawn('kubectl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const [, port] = await waitFor(proxy, /Starting to serve on 127\.0\.0\.1:(\d+)/, 'kubectl proxy');
  return {
    sim,
    kubeconfig,
    proxyUrl: `http://127.0.0.1:${port}`,
    async stop() {
      proxy.kill();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
