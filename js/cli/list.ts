// `flux-shard-metrics list [-n NS | -A]`: every shard group (a FluxShardSet's,
// a FluxInstance's, or made by hand), as a table of GROUP_COLUMNS (columns.ts)
// or as JSON (the summaries, which carry a FluxShardSet summary's fields too).
import { parseArgs } from 'node:util';
import { init, listShardGroups, type ShardGroupSummary } from '../index.js';
import { UsageError } from '../errors.js';
import { columnsOf, GROUP_COLUMNS } from '../columns.js';
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
    return failed(error, 'cannot list shard groups: ');
  }
  const namespace = values['all-namespaces'] ? undefined : connection.namespace;
  let groups: ShardGroupSummary[];
  try {
    groups = await listShardGroups(namespace === undefined ? connection.options : { ...connection.options, namespace });
  } catch (error) {
    return failed(error, 'cannot list shard groups: ');
  } finally {
    connection.close();
  }
  if (o === 'json') process.stdout.write(json(groups));
  else if (groups.length === 0) process.stdout.write(`No shard groups found${namespace ? ` in namespace ${namespace}` : ''}.\n`);
  else process.stdout.write(columnTable(columnsOf(GROUP_COLUMNS, 'table'), groups) + '\n');
  return EXIT.ok;
}
