// `get --watch`: reads every `interval` seconds and redraws the table in place
// (on a terminal; otherwise one table after another), with the rate per minute
// since the previous read. The next read starts `interval` seconds after the
// previous one ended. Ctrl-C ends it.
import { getShardMetrics, type ConnectionOptions, type PrometheusOptions, type ShardMetrics } from '../index.js';
import { describe } from '../errors.js';
import { DEFAULT_WINDOW } from '../generated/defaults.js';
import { EXIT } from './exit.js';
import { shardMetricsTable } from './output.js';

export async function watch(options: ConnectionOptions & { prometheus?: PrometheusOptions }, namespace: string, name: string, interval: number): Promise<number> {
  const tty = process.stdout.isTTY === true;
  let previous: ShardMetrics | undefined;
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
        const m = await getShardMetrics({ ...options, namespace, name, ...(previous ? { previous } : {}) });
        previous = m;
        text = shardMetricsTable(m, 'watch') + '\n' + m.warnings.map((w) => `warning: ${w}\n`).join('');
      } catch (error) {
        text = `flux-shard-metrics: ${describe(error)}\n`;
      }
      const over = options.prometheus ? `, counts over the last ${options.prometheus.window ?? DEFAULT_WINDOW} from Prometheus` : '';
      const heading = `Every ${interval} s: ${namespace}/${name}${over}, ${new Date().toLocaleTimeString()}\n\n`;
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
