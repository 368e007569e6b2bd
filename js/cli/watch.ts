// `get --watch`: reads every `interval` seconds through one reader (`openShardMetrics`: the first
// read lists, the later ones only watch what changed), with the rate per minute since the previous
// read and a sparkline of it. The next read starts `interval` seconds after the previous one ended.
// Ctrl-C ends it. Every kind of shard group: a bare NAME is resolved by the first read that succeeds
// (target.ts), then read as that.
//
// `-o` as for one read: the table (redrawn in place on a terminal; otherwise one table after
// another) or `-o wide` (its columns with the rate and trend); `-o json`, one ShardMetrics document
// per read on one line (as `kubectl get -w -o json` prints one object per event); `-o csv`, one CSV
// whose first column `readAt` tells the reads apart, the header once. With json and csv, errors and
// warnings go to stderr.
import type { ConnectionOptions, PrometheusOptions, ShardMetrics, ShardMetricsReader } from '../index.js';
import { describe } from '../errors.js';
import { toCsv } from '../export.js';
import { DEFAULT_WINDOW } from '../generated/defaults.js';
import { EXIT } from './exit.js';
import { watchTable } from './output.js';
import { ClusterError } from './kubectl.js';
import { openTarget, type Target } from './target.js';

export type WatchOutput = 'table' | 'wide' | 'json' | 'csv';

/** The lines of one read as `-o csv` streams them: `readAt` first, the header only the first time. */
function csvLines(m: ShardMetrics, header: boolean): string {
  const [head, ...rows] = toCsv(m)
    .split('\r\n')
    .filter((l) => l !== '');
  const at = new Date(m.readAt).toISOString();
  return [...(header ? [`readAt,${head}`] : []), ...rows.map((r) => `${at},${r}`)].map((l) => l + '\r\n').join('');
}

export async function watch(options: ConnectionOptions & { prometheus?: PrometheusOptions }, namespace: string, given: Target, interval: number, output: WatchOutput = 'table'): Promise<number> {
  const tty = process.stdout.isTTY === true;
  const table = output === 'table' || output === 'wide';
  let reader: ShardMetricsReader | undefined;
  let target = given;
  let csvHeader = true;
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
      let m: ShardMetrics | undefined;
      let failure = '';
      try {
        if (reader) {
          m = await reader.read();
        } else {
          const opened = await openTarget(options, namespace, target);
          ({ reader, metrics: m, target } = opened);
        }
      } catch (error) {
        failure = `flux-shard-metrics: ${describe(error)}\n` + (error instanceof ClusterError ? `hint: ${error.hint}\n` : '');
      }
      const warnings = m ? m.warnings.map((w) => `warning: ${w}\n`).join('') : '';
      if (table) {
        const text = m ? watchTable(m, output) + '\n' + warnings : failure;
        const over = options.prometheus ? `, counts over the last ${options.prometheus.window ?? DEFAULT_WINDOW} from Prometheus` : '';
        const heading = `Every ${interval} s: ${namespace}/${given.given}${over}, ${new Date().toLocaleTimeString()}\n\n`;
        process.stdout.write((tty ? '\x1b[H\x1b[2J' : '') + heading + text + (tty ? '' : '\n'));
      } else {
        if (m) process.stdout.write(output === 'json' ? JSON.stringify(m) + '\n' : csvLines(m, csvHeader));
        if (m && output === 'csv') csvHeader = false;
        process.stderr.write(failure + warnings);
      }
      if (stop) break;
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
    reader?.close();
  }
  return EXIT.ok;
}
