#!/usr/bin/env node
// The `flux-shard-metrics` command: the same wasm as the library, in Node.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { init, parseExposition, type Exposition, type Format } from './index.js';
import { formatTable } from './table.js';
import { describe, UsageError } from './errors.js';
import { runGet, runList } from './cli-cluster.js';

const USAGE = `Usage:
  flux-shard-metrics get SHARDSET -n NAMESPACE [--server URL] [-o table|wide|json] [--check]
  flux-shard-metrics list [-n NAMESPACE | -A] [--server URL] [-o table|json]
  flux-shard-metrics parse [FILE|-] [--format prometheus|openmetrics] [--json]

Commands:
  get     reconciliations and errors of a FluxShardSet's source Deployment and of every shard
  list    the FluxShardSets of a namespace (default flux-system), or of all namespaces (-A)
  parse   parse a Prometheus/OpenMetrics exposition and summarise its families

Options of get and list:
  -s, --server URL       the Kubernetes API (default http://127.0.0.1:8001, what \`kubectl proxy\` serves)
  -H, --header 'N: v'    an extra request header, e.g. 'Authorization: Bearer TOKEN' (repeatable)
      --timeout MS       deadline of each request, its body and retries included, in milliseconds
                         (default 10000, at most 3600000)
      --max-body-bytes N the largest body read, counted as it arrives (default 16777216)

Options of get:
      --check            exit 1 when a row is missing, misconfigured, unreachable or stuck, or
                         objects carry a sharding key that names no shard (for CI and cron)

Exit status: 0 on success; 1 when parse found bad lines, get/list could not read the cluster, or
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
      process.stderr.write(`flux-shard-metrics: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`flux-shard-metrics: ${describe(error)}\n`);
  return 2;
});
