// `flux-shard-metrics list [-n NS | -A]`: the FluxShardSets, as a table of
// SHARDSET_COLUMNS (columns.ts) or as JSON.
import { parseArgs } from 'node:util';
import { init, listShardSets, type ShardSetSummary } from '../index.js';
import { UsageError } from '../errors.js';
import { columnsOf, SHARDSET_COLUMNS } from '../columns.js';
import { connect, CONNECTION_FLAGS, type Connection } from './connection.js';
import { EXIT, failed } from './exit.js';
import { columnTable, json, OUTPUT_FLAG, outputFormat } from './output.js';

export async function runList(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...CONNECTION_FLAGS, ...OUTPUT_FLAG, 'all-namespaces': { type: 'boolean', short: 'A' } } });
  if (positionals.length > 0) throw new UsageError(`list takes no arguments, got '${positionals.join(' ')}'`);
  if (values.namespace && values['all-namespaces']) throw new UsageError('use either -n NAMESPACE or -A, not both');
  const o = outputFormat(values.output, ['table', 'json']);
  await init();
  let connection: Connection;
  try {
    connection = await connect(values);
  } catch (error) {
    return failed(error, 'cannot list FluxShardSets: ');
  }
  const namespace = values['all-namespaces'] ? undefined : connection.namespace;
  let sets: ShardSetSummary[];
  try {
    sets = await listShardSets(namespace === undefined ? connection.options : { ...connection.options, namespace });
  } catch (error) {
    return failed(error, 'cannot list FluxShardSets: ');
  } finally {
    connection.close();
  }
  if (o === 'json') process.stdout.write(json(sets));
  else if (sets.length === 0) process.stdout.write(`No FluxShardSets found${namespace ? ` in namespace ${namespace}` : ''}.\n`);
  else process.stdout.write(columnTable(columnsOf(SHARDSET_COLUMNS, 'table'), sets) + '\n');
  return EXIT.ok;
}
