// `flux-shard-metrics parse [FILE|-]`: an exposition parsed by the core and
// summarised per family (or printed as the API object with --json); each bad
// line on stderr as FILE:LINE:COLUMN: message.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { init, parseExposition, type Exposition } from '../index.js';
import { describe, UsageError } from '../errors.js';
import { EXIT } from './exit.js';
import { json } from './output.js';
import { formatTable } from './table.js';

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

export async function runParse(args: string[]): Promise<number> {
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
  const result = parseExposition(text, { format });
  process.stdout.write(values.json ? json(result) : summarise(result));
  const name = path === '-' ? '<stdin>' : path;
  for (const e of result.errors) process.stderr.write(`${name}:${e.line}:${e.column}: ${e.message}\n`);
  return result.errors.length === 0 ? EXIT.ok : EXIT.failed;
}
