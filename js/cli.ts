#!/usr/bin/env node
// The `flux-shard-metrics` command (and `kubectl shard-metrics`): the same wasm
// as the library, in Node. This file only picks the command; each lives in
// cli/ (get, list, parse, ui, demo), with what they share beside them
// (connection, exit, output, kubectl, table).
import { readFileSync } from 'node:fs';
import { describe, UsageError } from './errors.js';
import { runGet } from './cli/get.js';
import { runList } from './cli/list.js';
import { runParse } from './cli/parse.js';
import { runUi } from './cli/ui.js';
import { runDemo } from './cli/demo.js';
import { EXIT } from './cli/exit.js';
import { NAME, USAGE } from './cli/usage.js';

/** The package's version, read without loading the wasm, so `--version` answers at once. */
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

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
        return EXIT.ok;
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return EXIT.ok;
      case undefined:
        throw new UsageError('missing command');
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`${NAME}: ${error.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`flux-shard-metrics: ${describe(error)}\n`);
  return EXIT.usage;
});
