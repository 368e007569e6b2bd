// The data API over the Kubernetes API: getShardMetrics and listShardSets.
import { getShardMetricsJson, listShardSetsJson } from '../pkg/flux_shard_metrics.js';
import { assertInitialized } from './wasm.js';
import type { ShardMetrics } from './generated/ShardMetrics.js';
import type { ShardSetSummary } from './generated/ShardSetSummary.js';

export type { ShardMetrics } from './generated/ShardMetrics.js';
export type { ShardSetSummary } from './generated/ShardSetSummary.js';
export type { ShardSetRef } from './generated/ShardSetRef.js';
export type { DeploymentMetrics } from './generated/DeploymentMetrics.js';
export type { PodMetrics } from './generated/PodMetrics.js';
export type { ControllerCounts } from './generated/ControllerCounts.js';
export type { Role } from './generated/Role.js';

/** How to reach the Kubernetes API. Only GET requests are ever sent. */
export interface ConnectionOptions {
  /**
   * Base URL of the API: `http://127.0.0.1:8001` for `kubectl proxy`, `''` for
   * the page's own origin (a page served by `kubectl proxy --www`), or a
   * backend that serves the Kubernetes API paths under a prefix.
   */
  server: string;
  /** Extra request headers, e.g. `{ Authorization: 'Bearer …' }`. */
  headers?: Record<string, string>;
  /** Fetch credentials mode; `same-origin` by default. */
  credentials?: 'omit' | 'same-origin' | 'include';
  /** Per-request timeout in milliseconds; 10 000 by default. Requests are aborted, not left hanging. */
  timeoutMs?: number;
  /** Largest response body read, in bytes; 16 MiB by default. */
  maxBodyBytes?: number;
  /** Metrics requests at once; 8 by default. */
  concurrency?: number;
}

/** Options of {@link getShardMetrics}. */
export interface ShardMetricsOptions extends ConnectionOptions {
  /** Namespace of the FluxShardSet. */
  namespace: string;
  /** Name of the FluxShardSet. */
  name: string;
}

/** Options of {@link listShardSets}. */
export interface ListOptions extends ConnectionOptions {
  /** A namespace, or all namespaces when absent. */
  namespace?: string;
}

const CONNECTION_KEYS = ['server', 'headers', 'credentials', 'timeoutMs', 'maxBodyBytes', 'concurrency'];

function toJson(caller: string, options: object, required: readonly string[], optional: readonly string[]): string {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${caller}: options must be an object`);
  const o = options as Record<string, unknown>;
  const known = new Set([...required, ...optional, ...CONNECTION_KEYS]);
  for (const key of Object.keys(o)) {
    if (!known.has(key)) throw new TypeError(`${caller}: unknown option '${key}' (known: ${[...known].join(', ')})`);
  }
  for (const key of [...required, 'server']) {
    if (typeof o[key] !== 'string') throw new TypeError(`${caller}: option '${key}' must be a string`);
  }
  for (const key of ['timeoutMs', 'maxBodyBytes', 'concurrency']) {
    const v = o[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v > 0)) {
      throw new TypeError(`${caller}: option '${key}' must be a positive integer`);
    }
  }
  const headers = o.headers === undefined ? [] : Object.entries(o.headers as Record<string, unknown>);
  for (const [name, value] of headers) {
    if (typeof value !== 'string') throw new TypeError(`${caller}: header '${name}' must be a string`);
  }
  return JSON.stringify({ ...o, headers });
}

/**
 * Reads a FluxShardSet, finds its source and shard Deployments and their pods,
 * scrapes every running pod through the API server's pod proxy and returns
 * the reconciliations and errors per Deployment (source first, then shards).
 *
 * Rejects only when the shard set cannot be read (it does not exist, the API
 * server cannot be reached, a permission is missing); a pod that cannot be
 * scraped has an `error` on its row, and every other row is complete.
 */
export async function getShardMetrics(options: ShardMetricsOptions): Promise<ShardMetrics> {
  assertInitialized('getShardMetrics');
  const json = toJson('getShardMetrics', options, ['namespace', 'name'], []);
  return JSON.parse(await getShardMetricsJson(json)) as ShardMetrics;
}

/** Lists the FluxShardSets of a namespace, or of all namespaces. */
export async function listShardSets(options: ListOptions): Promise<ShardSetSummary[]> {
  assertInitialized('listShardSets');
  const json = toJson('listShardSets', options, [], ['namespace']);
  return JSON.parse(await listShardSetsJson(json)) as ShardSetSummary[];
}
