// @ts-check
// A real Prometheus (the `prometheus` binary, e.g. Debian's package) scraping the simulated
// cluster's pods through its pod proxy, found by HTTP service discovery
// (`/sim/prometheus-targets`) with the `namespace` and `pod` labels a PodMonitor gives.
// Its own config and a temporary TSDB; never the system service.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The binary: $PROMETHEUS, else `prometheus` on PATH; `null` when there is none. */
export function prometheusBinary() {
  const binary = process.env.PROMETHEUS ?? 'prometheus';
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0 ? binary : null;
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts Prometheus scraping `simUrl`'s pods every `interval`. Resolves to { url, stop } once it
 * answers queries and has scraped every target at least once.
 */
export async function startPrometheus({ simUrl, interval = '1s', binary = prometheusBinary() }) {
  if (!binary) throw new Error('no prometheus binary: install it (apt-get install -y prometheus) or set PROMETHEUS');
  const dir = mkdtempSync(join(tmpdir(), 'fsm-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    `global:
  scrape_interval: ${interval}
  evaluation_interval: ${interval}
scrape_configs:
  - job_name: flux-system
    scrape_interval: ${interval}
    scrape_timeout: ${interval}
    http_sd_configs:
      - url: ${simUrl}/sim/prometheus-targets
        refresh_interval: ${interval}
`,
  );
  const port = await freePort();
  const child = spawn(
    binary,
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', '--storage.tsdb.retention.time=1d'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let said = '';
  child.stderr.on('data', (c) => (said += c));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${said}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not scrape every target within 30 s: ${said}`);
    }
    try {
      const targets = /** @type {any} */ (await (await fetch(`${url}/api/v1/targets?state=active`)).json());
      const active = targets.data.activeTargets;
      if (active.length > 0 && active.every((t) => t.health === 'up')) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop };
}
