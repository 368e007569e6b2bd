#!/usr/bin/env node
// The `flux-shard-metrics` command: the same wasm as the library, in Node.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { init, parseExposition, type Exposition, type Format } from './index.js';
import { formatTable } from './table.js';
import { describe, UsageError } from './errors.js';
import { runGet, runList } from './cli-cluster.js';
import { runDemo, runUi } from './cli-ui.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_REFRESH_SECONDS, DEFAULT_TIMEOUT_MS, DEFAULT_WINDOW, MAX_TIMEOUT_MS } from './generated/defaults.js';

/** The package's version, read without loading the wasm, so `--version` answers at once. */
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** `kubectl shard-metrics` when run as the kubectl plugin (the `kubectl-shard_metrics` bin), else the package's command. */
const NAME = basename(process.argv[1] ?? '').startsWith('kubectl-shard_metrics') ? 'kubectl shard-metrics' : 'flux-shard-metrics';

const USAGE = `Usage:
  ${NAME} ui [--port 8001] [--open] [-n NAMESPACE] [--shardset NAME] [--context C] [--kubeconfig F]
  ${NAME} get SHARDSET [-n NAMESPACE] [-o table|wide|json|csv] [--check] [-w [--interval S]]
        [--prometheus URL|svc/NS/NAME:PORT [--window ${DEFAULT_WINDOW}]]
  ${NAME} list [-n NAMESPACE | -A] [-o table|json]
  ${NAME} parse [FILE|-] [--format prometheus|openmetrics] [--json]
  ${NAME} demo [--port 8001] [--open]
  ${NAME} --version

Commands:
  ui      serve the page with \`kubectl proxy\` on 127.0.0.1 (port 0: a free one) and print its URL;
          --open opens a browser. Ctrl-C stops it.
  get     reconciliations, errors and a status for a FluxShardSet's source Deployment and every shard
  list    the FluxShardSets of a namespace, or of all namespaces (-A)
  parse   parse a Prometheus/OpenMetrics exposition and summarise its families
  demo    the page over a simulated cluster that runs in this process (needs only kubectl)

Reaching the cluster (ui, get, list): like kubectl, from the kubeconfig (KUBECONFIG, or ~/.kube/config)
and its current context, through a private \`kubectl proxy\` that stops with the command; so every
way kubectl logs in works.
      --context NAME     a context of the kubeconfig other than the current one
      --kubeconfig FILE  another kubeconfig file
  -n, --namespace NS     default: the context's namespace, else flux-system
  -s, --server URL       the Kubernetes API itself instead (a running \`kubectl proxy\`, e.g.
                         http://127.0.0.1:8001, or a backend serving the same paths); no kubectl needed
  -H, --header 'N: v'    an extra request header with --server, e.g. 'Authorization: Bearer TOKEN'
      --timeout MS       deadline of each request, its body and retries included, in milliseconds
                         (default ${DEFAULT_TIMEOUT_MS}, at most ${MAX_TIMEOUT_MS})
      --max-body-bytes N the largest body read, counted as it arrives (default ${DEFAULT_MAX_BODY_BYTES})

Options of get:
      --check            exit 1 when a row is missing, misconfigured, unreachable or stuck, or
                         objects carry a sharding key that names no shard (for CI and cron)
  -w, --watch            read again every --interval seconds (default ${DEFAULT_REFRESH_SECONDS}) and redraw the table, with
                         reconciliations per minute since the previous read; Ctrl-C ends it
  -o csv                 one row per Deployment with raw numbers, for spreadsheets
      --prometheus WHERE the counts over a window from Prometheus instead of each pod's /metrics:
                         its URL (http://prometheus:9090) or a Service through the API server
                         (svc/NAMESPACE/NAME:PORT, e.g. svc/monitoring/prometheus-operated:9090)
      --window W         the window, a PromQL duration (default ${DEFAULT_WINDOW}; 5m, 24h, 7d, …)
      --prometheus-label KEY=LABEL  label names of the series when they differ (namespace=exported_namespace)
      --prometheus-cluster C        on a store that spans clusters: the cluster label's value

Exit status: 0 on success; 1 when parse found bad lines, the cluster could not be read, or
get --check found a problem; 2 for usage or I/O errors.`;

async function readInput(path: string): Promise<string> {
  try {
    if (path === '-') {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : describe(error);
    throw new UsageError(`cannot read ${path === '-' ? 'standard input' : path}: ${reason}`);
  }
}

function summarise(result: Exposition): string {
  const rows = result.families.map((f) => [f.name, f.type, String(f.samples.length), f.help ?? '']);
  const samples = result.families.reduce((n, f) => n + f.samples.length, 0);
  const table = formatTable(['FAMILY', 'TYPE', 'SAMPLES', 'HELP'], rows, { align: ['left', 'left', 'right', 'left'] });
  const errors = result.errors.length === 0 ? 'no errors' : result.errors.length === 1 ? '1 error' : `${result.errors.length} errors`;
  return `${table}\n${result.families.length} families, ${samples} samples, ${errors}\n`;
}

async function runParse(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', short: 'f' }, json: { type: 'boolean' } },
  });
  if (positionals.length > 1) throw new UsageError(`parse takes one FILE (or -), got ${positionals.length}: ${positionals.join(' ')}`);
  const format = values.format ?? 'prometheus';
  if (format !== 'prometheus' && format !== 'openmetrics') {
    throw new UsageError(`--format must be prometheus or openmetrics, got '${format}'`);
  }
  const path = positionals[0] ?? '-';
  const text = await readInput(path);
  await init();
  const result = parseExposition(text, { format: format as Format });
  process.stdout.write(values.json ? JSON.stringify(result, null, 2) + '\n' : summarise(result));
  const name = path === '-' ? '<stdin>' : path;
  for (const e of result.errors) process.stderr.write(`${name}:${e.line}:${e.column}: ${e.message}\n`);
  return result.errors.length === 0 ? 0 : 1;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'parse':
        return await runParse(rest);
      case 'get':
        return await runGet(rest);
      case 'list':
        return await runList(rest);
      case 'ui':
      case 'serve':
        return await runUi(rest);
      case 'demo':
        return await runDemo(rest);
      case '--version':
      case '-v':
      case 'version':
        process.stdout.write(`flux-shard-metrics ${VERSION}\n`);
        return 0;
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return 0;
      case undefined:
        throw new UsageError('missing command');
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`${NAME}: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`flux-shard-metrics: ${describe(error)}\n`);
  return 2;
});
