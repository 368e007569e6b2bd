// The data API over the Kubernetes API: getShardMetrics, listShardGroups and listShardSets.
// Options are checked by the wasm core (src/options.rs), with one wording for
// the JS API and the CLI; this file only carries the types.
import { getShardMetricsJson, listShardGroupsJson, listShardSetsJson, ShardMetricsSession } from '../pkg/flux_shard_metrics.js';
import { assertInitialized } from './wasm.js';
import { FluxShardMetricsError, type Problem } from './errors.js';
import type { ShardMetrics } from './generated/ShardMetrics.js';
import type { ShardSetSummary } from './generated/ShardSetSummary.js';
import type { ShardGroupSummary } from './generated/ShardGroupSummary.js';
// The defaults the docs below name, decided by the core (generated from src/options/defaults.rs).
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS, DEFAULT_WINDOW, MAX_CONCURRENCY, MAX_TIMEOUT_MS } from './generated/defaults.js';

export type { ShardMetrics } from './generated/ShardMetrics.js';
export type { ShardSetSummary } from './generated/ShardSetSummary.js';
export type { ShardSetRef } from './generated/ShardSetRef.js';
export type { DeploymentMetrics } from './generated/DeploymentMetrics.js';
export type { PodMetrics } from './generated/PodMetrics.js';
export type { ControllerCounts } from './generated/ControllerCounts.js';
export type { Counts } from './generated/Counts.js';
export type { Rate } from './generated/Rate.js';
export type { Trend } from './generated/Trend.js';
export type { TrendPoint } from './generated/TrendPoint.js';
export type { TrendSource } from './generated/TrendSource.js';
export type { Role } from './generated/Role.js';
export type { Status } from './generated/Status.js';
export type { ObjectCounts } from './generated/ObjectCounts.js';
export type { KindCounts } from './generated/KindCounts.js';
export type { Orphaned } from './generated/Orphaned.js';
export type { Balance } from './generated/Balance.js';
export type { ReadyCondition } from './generated/ReadyCondition.js';
export type { Source } from './generated/Source.js';
export type { SourceKind } from './generated/SourceKind.js';
export type { GroupRef } from './generated/GroupRef.js';
export type { GroupKind } from './generated/GroupKind.js';
export type { ShardGroupSummary } from './generated/ShardGroupSummary.js';
export type { Overlap } from './generated/Overlap.js';
export type { SplitDependency } from './generated/SplitDependency.js';
export type { ObjectRef } from './generated/ObjectRef.js';
export type { Flag } from './generated/Flag.js';
export { FluxShardMetricsError, hintFor, type Problem, type ProblemKind, type Permission } from './errors.js';

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
  /** Per-request deadline in milliseconds (1 to {@link MAX_TIMEOUT_MS}); {@link DEFAULT_TIMEOUT_MS} by default. Requests are aborted, not left hanging. */
  timeoutMs?: number;
  /** Largest response body read, in bytes; {@link DEFAULT_MAX_BODY_BYTES} (16 MiB) by default. */
  maxBodyBytes?: number;
  /** Metrics requests at once (1 to {@link MAX_CONCURRENCY}); {@link DEFAULT_CONCURRENCY} by default. */
  concurrency?: number;
}

/** Which group {@link getShardMetrics} reads: a FluxShardSet by `name`, or any shard group by a `controller` Deployment. */
export type ShardGroupTarget =
  | {
      /** Name of the FluxShardSet. */
      name: string;
      controller?: undefined;
    }
  | {
      /**
       * A Deployment of the shard group: its main controller (`source-controller`) or one of its shards
       * (`source-controller-shard1`); the group may be made by a FluxShardSet, the Flux Operator's
       * FluxInstance, or by hand.
       */
      controller: string;
      name?: undefined;
    };

/** Options of {@link getShardMetrics}. */
export type ShardMetricsOptions = ConnectionOptions & ShardGroupTarget & ShardMetricsReadOptions;

/** What {@link getShardMetrics} reads besides the group. */
export interface ShardMetricsReadOptions {
  /** Namespace of the group. */
  namespace: string;
  /** The result of the previous call for the same shard set: each row then has its `rate`, and rising errors count. */
  previous?: ShardMetrics;
  /**
   * Counts over a window from Prometheus instead of scraping each pod: what each Deployment did in the
   * last `window`, restarted and rolled pods included. Without it nothing changes.
   */
  prometheus?: PrometheusOptions;
}

/** Where Prometheus is and what to ask it; give `url` or `service`. Only GET requests are sent. */
export interface PrometheusOptions {
  /** Its HTTP API: `http://prometheus.monitoring:9090`, or a backend prefix on this origin (`/api/prometheus`). */
  url?: string;
  /**
   * A Service reached through the API server's service proxy, `NAMESPACE/NAME:PORT`
   * (`monitoring/prometheus-operated:9090`); needs RBAC `get` on `services/proxy` there.
   */
  service?: string;
  /** A PromQL duration: `5m`, `1h`, `24h`, `7d`; {@link DEFAULT_WINDOW} by default. */
  window?: string;
  /** Label names of the series when a setup differs: `{ namespace: 'exported_namespace' }`. Defaults `namespace`, `pod`, `cluster`. */
  labels?: { namespace?: string; pod?: string; cluster?: string };
  /** On a store that spans clusters (Thanos, Mimir, …): the value of the cluster label to keep. */
  cluster?: string;
  /** Headers for `url` only (e.g. `X-Scope-OrgID`); the API's own headers are never sent there. */
  headers?: Record<string, string>;
}

/** Options of {@link listShardSets}. */
export interface ListOptions extends ConnectionOptions {
  /** A namespace, or all namespaces when absent. */
  namespace?: string;
}

/** JSON for the core; values JSON cannot carry (NaN, Infinity) are passed as text so the core can name them. */
function toJson(options: unknown): string {
  try {
    return JSON.stringify(options ?? null, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : typeof value === 'bigint' ? `${value}n` : value));
  } catch (error) {
    throw new FluxShardMetricsError({
      kind: 'invalidOption',
      message: `invalid option options: cannot be read (${error instanceof Error ? error.message : String(error)})`,
      pod: null,
      url: null,
      httpStatus: null,
      permission: null,
      option: 'options',
      limitBytes: null,
      timeoutMs: null,
    });
  }
}

/** Unwraps the core's `{ok}` / `{error}` envelope. */
function unwrap<T>(json: string): T {
  const result = JSON.parse(json) as { ok: T } | { error: Problem };
  if ('error' in result) throw new FluxShardMetricsError(result.error);
  return result.ok;
}

/**
 * Reads a FluxShardSet, finds its source and shard Deployments and their pods,
 * scrapes every running pod through the API server's pod proxy (or, with
 * `prometheus`, asks Prometheus for the counts over a window) and returns
 * the reconciliations and errors per Deployment (source first, then shards),
 * each with its status.
 *
 * Rejects with a {@link FluxShardMetricsError} only when the shard set cannot
 * be read (it does not exist, the API server cannot be reached, a permission
 * is missing, an option is wrong); a pod that cannot be scraped has a problem
 * in its row, and every other row is complete.
 */
export async function getShardMetrics(options: ShardMetricsOptions): Promise<ShardMetrics> {
  assertInitialized('getShardMetrics');
  return unwrap<ShardMetrics>(await getShardMetricsJson(toJson(options)));
}

/** Lists the FluxShardSets of a namespace, or of all namespaces. */
export async function listShardSets(options: ListOptions): Promise<ShardSetSummary[]> {
  assertInitialized('listShardSets');
  return unwrap<ShardSetSummary[]>(await listShardSetsJson(toJson(options)));
}

/**
 * Lists every shard group of a namespace, or of all namespaces: each controller's main Deployment and
 * its shards, whatever made them (`kind`: `FluxShardSet`, `FluxInstance`, `Manual`).
 */
export async function listShardGroups(options: ListOptions): Promise<ShardGroupSummary[]> {
  assertInitialized('listShardGroups');
  return unwrap<ShardGroupSummary[]>(await listShardGroupsJson(toJson(options)));
}

/** A read that stays open: see {@link openShardMetrics}. */
export interface ShardMetricsReader {
  /**
   * Reads the group again: the first time with lists (as {@link getShardMetrics}), then from what
   * changed since (a short watch per resource), with each row's rate since the previous read.
   * A read asked for while one runs is that one: two never overlap.
   */
  read(): Promise<ShardMetrics>;
  /** Frees what the reader keeps (its lists, in the wasm memory). */
  close(): void;
}

/**
 * Opens a read of a shard group for a view that stays open (a page, `get --watch`): each resource
 * is listed once, then watched (`watch=1&resourceVersion=…&allowWatchBookmarks=true`, a watch the
 * API server ends after a second), so a read costs the scrapes and a few small requests, however
 * many objects the controllers reconcile. A `410 Gone` lists that resource again. No connection
 * is held between reads: a browser's six connections per origin stay free for the scrapes.
 * `previous` is not needed: the reader keeps its own.
 */
export function openShardMetrics(options: ShardMetricsOptions): ShardMetricsReader {
  assertInitialized('openShardMetrics');
  const session = new ShardMetricsSession(toJson(options));
  let inflight: Promise<ShardMetrics> | undefined;
  let closed = false;
  return {
    read() {
      if (closed) return Promise.reject(new Error('flux-shard-metrics: this reader is closed'));
      inflight ??= (session.read() as Promise<string>)
        .then((json) => unwrap<ShardMetrics>(json))
        .finally(() => {
          inflight = undefined;
        });
      return inflight;
    },
    close() {
      if (closed) return;
      closed = true;
      // A read in flight keeps the session until it ends.
      void (inflight ?? Promise.resolve()).catch(() => {}).finally(() => session.free());
    },
  };
}
