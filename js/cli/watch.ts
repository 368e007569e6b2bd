// `get --watch`: reads every `interval` seconds and redraws the table in place
// (on a terminal; otherwise one table after another), with the rate per minute
// since the previous read. The next read starts `interval` seconds after the
// previous one ended. Ctrl-C ends it. Every kind of shard group: a bare NAME is
// resolved by the first read that succeeds (target.ts), then read as that.
import type { ConnectionOptions, PrometheusOptions, ShardMetrics } from '../index.js';
import { describe } from '../errors.js';
import { DEFAULT_WINDOW } from '../generated/defaults.js';
import { EXIT } from './exit.js';
import { shardMetricsTable } from './output.js';
import { ClusterError } from './kubectl.js';
import { readTarget, type Target } from './target.js';

export async function watch(options: ConnectionOptions & { prometheus?: PrometheusOptions }, namespace: string, given: Target, interval: number): Promise<number> {
  const tty = process.stdout.isTTY === true;
  let previous: ShardMetrics | undefined;
  let target = given;
  let stop = false;
  let wake: () => void = () => {};
  const onSignal = () => {
    stop = true;
    wake();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    while (!stop) {
      let text: string;
      try {
        const read = await readTarget({ ...options, ...(previous ? { previous } : {}) }, namespace, target);
        const m = read.metrics;
        target = read.target;
        previous = m;
        text = shardMetricsTable(m, 'watch') + '\n' + m.warnings.map((w) => `warning: ${w}\n`).join('');
      } catch (error) {
        text = `flux-shard-metrics: ${describe(error)}\n` + (error instanceof ClusterError ? `hint: ${error.hint}\n` : '');
      }
      const over = options.prometheus ? `, counts over the last ${options.prometheus.window ?? DEFAULT_WINDOW} from Prometheus` : '';
      const heading = `Every ${interval} s: ${namespace}/${given.given}${over}, ${new Date().toLocaleTimeString()}\n\n`;
      process.stdout.write((tty ? '\x1b[H\x1b[2J' : '') + heading + text + (tty ? '' : '\n'));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval * 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return EXIT.ok;
}
