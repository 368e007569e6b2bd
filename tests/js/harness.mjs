// Starts the simulated cluster and a real `kubectl proxy` in front of it, for tests.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from '../../sim/cluster.mjs';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/**
 * Runs the built CLI with `args` (and `env` added to the environment) in its own process, without
 * blocking this one (the simulated cluster answers from here). Resolves to { status, stdout, stderr }.
 */
export function runCli(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

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
