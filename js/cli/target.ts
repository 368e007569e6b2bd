// What `get NAME` reads: a FluxShardSet (`fluxshardset/NAME`), the shard group
// of a Deployment (`deployment/NAME`: its main controller or one of its
// shards), or, for a bare NAME, the FluxShardSet of that name when there is
// one, else the group of the Deployment of that name. `get --watch` resolves a
// bare NAME once, by its first read that succeeds.
import { getShardMetrics, openShardMetrics, FluxShardMetricsError, type ConnectionOptions, type PrometheusOptions, type ShardMetrics, type ShardMetricsReader } from '../index.js';
import { UsageError } from '../errors.js';
import { ClusterError } from './kubectl.js';
import { NAME } from './usage.js';

/** What `get` was asked for: a FluxShardSet, a Deployment, or either (a bare NAME). */
export interface Target {
  kind: 'fluxshardset' | 'deployment' | 'either';
  name: string;
  /** The NAME as written on the command line. */
  given: string;
}

/** The resource names `get TYPE/NAME` takes, as kubectl spells them. */
const TYPES: Record<string, Target['kind']> = {
  fluxshardset: 'fluxshardset',
  fluxshardsets: 'fluxshardset',
  'fluxshardset.templates.weave.works': 'fluxshardset',
  fss: 'fluxshardset',
  deployment: 'deployment',
  deployments: 'deployment',
  'deployment.apps': 'deployment',
  deploy: 'deployment',
};

/** `NAME`, `fluxshardset/NAME` or `deployment/NAME` (and kubectl's other spellings of the two). */
export function parseTarget(arg: string): Target {
  const slash = arg.indexOf('/');
  if (slash < 0) return { kind: 'either', name: arg, given: arg };
  const type = arg.slice(0, slash).toLowerCase();
  const name = arg.slice(slash + 1);
  const kind = TYPES[type];
  if (!kind) throw new UsageError(`get takes NAME, fluxshardset/NAME or deployment/NAME, got '${arg}'`);
  if (name === '') throw new UsageError(`${type}/ needs a name, e.g. ${type}/source-controller`);
  return { kind, name, given: arg };
}

/** Options of a read besides the target. */
export type ReadOptions = ConnectionOptions & { prometheus?: PrometheusOptions; previous?: ShardMetrics };

/** Whether `error` says that the FluxShardSet asked for does not exist (or its CRD is not installed). */
function shardSetMissing(error: unknown): boolean {
  return error instanceof FluxShardMetricsError && error.kind === 'notFound' && (error.url ?? '').includes('/fluxshardsets/');
}

/**
 * Reads the group `target` names in `namespace`. A bare NAME is read as a FluxShardSet first; when that
 * does not exist, as a Deployment; when neither does, the error says so, with a hint. Resolves to the
 * read and the target it turned out to be (`fluxshardset` or `deployment`).
 */
export async function readTarget(options: ReadOptions, namespace: string, target: Target): Promise<{ metrics: ShardMetrics; target: Target }> {
  const asShardSet = () => getShardMetrics({ ...options, namespace, name: target.name });
  const asDeployment = () => getShardMetrics({ ...options, namespace, controller: target.name });
  switch (target.kind) {
    case 'fluxshardset':
      return { metrics: await asShardSet(), target };
    case 'deployment':
      return { metrics: await asDeployment(), target };
    case 'either':
      try {
        return { metrics: await asShardSet(), target: { ...target, kind: 'fluxshardset' } };
      } catch (error) {
        if (!shardSetMissing(error)) throw error;
      }
      try {
        return { metrics: await asDeployment(), target: { ...target, kind: 'deployment' } };
      } catch (error) {
        throw neither(error, namespace, target.name);
      }
  }
}

/**
 * What to say when a bare NAME is no FluxShardSet and no Deployment of a shard group: both, then the
 * core's sentence about the Deployment (that it does not exist, or that no shard group has it).
 */
function neither(error: unknown, namespace: string, name: string): unknown {
  if (!(error instanceof FluxShardMetricsError && error.kind === 'notFound')) return error;
  const hint = `\`${NAME} list -n ${namespace}\` (or -A) lists the shard groups; name one as fluxshardset/NAME or deployment/NAME (a main controller or one of its shards)`;
  return new ClusterError(`neither a FluxShardSet nor a Deployment of a shard group is named ${name} in namespace ${namespace}: ${error.message}`, hint);
}

/**
 * Opens a reader of the group `target` names (`get --watch`): its first read, the reader and the target it
 * turned out to be, resolved as {@link readTarget} resolves it. A reader whose first read failed is closed.
 */
export async function openTarget(options: ReadOptions, namespace: string, target: Target): Promise<{ reader: ShardMetricsReader; metrics: ShardMetrics; target: Target }> {
  const open = async (kind: 'fluxshardset' | 'deployment') => {
    const reader = openShardMetrics({ ...options, namespace, ...(kind === 'fluxshardset' ? { name: target.name } : { controller: target.name }) });
    try {
      return { reader, metrics: await reader.read(), target: { ...target, kind } };
    } catch (error) {
      reader.close();
      throw error;
    }
  };
  if (target.kind !== 'either') return open(target.kind);
  try {
    return await open('fluxshardset');
  } catch (error) {
    if (!shardSetMissing(error)) throw error;
  }
  try {
    return await open('deployment');
  } catch (error) {
    throw neither(error, namespace, target.name);
  }
}
