// `flux-shard-metrics get NAME`: one read of a shard group printed as a table,
// `-o wide`, JSON or CSV; `--check` fails on what the core says fails
// (`checkFailures`); `--watch` reads again and again (watch.ts). NAME is a
// FluxShardSet or a Deployment of a shard group (its main controller or one of
// its shards), `fluxshardset/NAME` and `deployment/NAME` say which; a bare NAME
// is the FluxShardSet when there is one (target.ts).
import { parseArgs } from 'node:util';
import { init, type ShardMetrics } from '../index.js';
import { UsageError } from '../errors.js';
import { DEFAULT_REFRESH_SECONDS, MAX_REFRESH_SECONDS, MIN_REFRESH_SECONDS } from '../generated/defaults.js';
import { connect, CONNECTION_FLAGS, type Connection } from './connection.js';
import { EXIT, failed } from './exit.js';
import { formatShardMetrics, OUTPUT_FLAG, outputFormat } from './output.js';
import { PROMETHEUS_FLAGS, prometheusFromFlags } from './prometheus-flags.js';
import { parseTarget, readTarget } from './target.js';
import { watch } from './watch.js';

export async function runGet(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...CONNECTION_FLAGS, ...OUTPUT_FLAG, ...PROMETHEUS_FLAGS, check: { type: 'boolean' }, watch: { type: 'boolean', short: 'w' }, interval: { type: 'string' } },
  });
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'get needs the name of a FluxShardSet or of a Deployment of a shard group (NAME, fluxshardset/NAME or deployment/NAME)'
        : `get takes one NAME (a FluxShardSet or a Deployment), got ${positionals.length}`,
    );
  const target = parseTarget(positionals[0]!);
  const o = outputFormat(values.output, ['table', 'wide', 'json', 'csv']);
  const interval = values.interval === undefined ? DEFAULT_REFRESH_SECONDS : Number(values.interval);
  if (!(Number.isFinite(interval) && interval >= MIN_REFRESH_SECONDS && interval <= MAX_REFRESH_SECONDS))
    throw new UsageError(`--interval must be a number of seconds from ${MIN_REFRESH_SECONDS} to ${MAX_REFRESH_SECONDS}, got '${values.interval}'`);
  if (values.interval !== undefined && !values.watch) throw new UsageError('--interval goes with --watch');
  const source = prometheusFromFlags(values);
  await init();
  let connection: Connection;
  try {
    connection = await connect(values);
  } catch (error) {
    return failed(error);
  }
  const namespace = connection.namespace;
  try {
    if (values.watch) return await watch({ ...connection.options, ...source }, namespace, target, interval, o);
    let metrics: ShardMetrics;
    try {
      metrics = (await readTarget({ ...connection.options, ...source }, namespace, target)).metrics;
    } catch (error) {
      return failed(error);
    }
    process.stdout.write(formatShardMetrics(metrics, o));
    for (const w of metrics.warnings) process.stderr.write(`warning: ${w}\n`);
    if (values.check) {
      // What fails the check is the core's rule (src/check.rs), one sentence each.
      for (const f of metrics.checkFailures) process.stderr.write(`check: ${f}\n`);
      if (metrics.checkFailures.length > 0) return EXIT.failed;
    }
    return EXIT.ok;
  } finally {
    connection.close();
  }
}
