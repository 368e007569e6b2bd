// `flux-shard-metrics demo`: the page (ui.ts's `serve`) over the simulated
// cluster that ships in the package (sim/), in this process; with a
// `prometheus` binary on PATH, a real Prometheus scrapes it too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { portOf, serve, SERVE_FLAGS } from './ui.js';

/** The simulated cluster (sim/cluster.mjs), as much of it as the demo uses. */
interface Simulation {
  url: string;
  close(): Promise<void>;
  setService(key: string, upstream: string): void;
}

/** A module of sim/ (this file is dist/cli/demo.js), loaded at run time and left alone by bundlers. */
function simModule(file: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ new URL(`../../sim/${file}`, import.meta.url).href);
}

export async function runDemo(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: SERVE_FLAGS });
  if (positionals.length > 0) throw new UsageError(`demo takes no arguments, got '${positionals.join(' ')}'`);
  const port = portOf(values.port);
  const dir = mkdtempSync(join(tmpdir(), 'flux-shard-metrics-demo-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const { startCluster } = (await simModule('cluster.mjs')) as { startCluster: (o: object) => Promise<Simulation> };
  const sim = await startCluster({ kubeconfig, slowMs: 30000 });
  process.stdout.write(`A simulated cluster (not yours) is at ${sim.url}.\n`);
  // With a `prometheus` binary on PATH, a real Prometheus scrapes the simulated pods, as Service monitoring/prometheus:9090.
  const { prometheusBinary, startPrometheus } = (await simModule('prometheus.mjs')) as {
    prometheusBinary: () => string | null;
    startPrometheus: (o: object) => Promise<{ url: string; stop: () => Promise<void> }>;
  };
  const prometheus = prometheusBinary() ? await startPrometheus({ simUrl: sim.url, interval: '5s' }).catch(() => null) : null;
  if (prometheus) {
    sim.setService('monitoring/prometheus:9090', prometheus.url);
    process.stdout.write(`Prometheus scrapes it (${prometheus.url}): add &prometheus=monitoring/prometheus:9090&window=5m to a shard group's URL.\n`);
  }
  try {
    return await serve({ kube: { kubeconfig }, port, namespace: values.namespace, shardset: values.shardset, controller: values.controller, open: values.open });
  } finally {
    await prometheus?.stop();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
