// @ts-check
// What each simulated controller process has counted by now, and its /metrics
// as controller-runtime writes them (controller-metrics.mjs), from its pod's
// behaviour and the simulated cluster's clock.
import { renderControllerMetrics } from './controller-metrics.mjs';
import { parseSelector } from './selectors.mjs';
import { FLUX_KINDS } from './flux.mjs';

/** @typedef {import('./model.mjs').Cluster} Cluster */
/** @typedef {{ total: number, errors: number }} Counter */

/**
 * The counters of `cluster`'s pods on `elapsed`'s clock; `now` is when the cluster was made (epoch seconds).
 * @param {Cluster} cluster @param {() => number} elapsed @param {number} now
 */
export function counters(cluster, elapsed, now) {
  /**
   * A pod's counters now, per kind: its process' totals. A pod with an `epoch` (restarted, rolled,
   * a standby that took the lease over, or every pod with `fresh`) counts from zero since then, as a
   * new process does; a stopped one (terminating) counts no more.
   * @param {any} b the pod's behaviour
   * @returns {Record<string, Counter>}
   */
  function countersOf(b) {
    const fresh = b.epoch !== undefined;
    const t = Math.max(0, Math.min(elapsed(), b.stoppedAt ?? Infinity) - (b.epoch ?? 0));
    /** @type {Record<string, Counter>} */
    const out = {};
    for (const [kind, r] of Object.entries(b.reconciles ?? {})) {
      const errors = (fresh ? 0 : (r.error ?? 0)) + Math.floor((r.errorPerSecond ?? 0) * t);
      const total = Math.max(errors, (fresh ? 0 : (r.total ?? 0)) + Math.floor((r.perSecond ?? 0) * t));
      out[kind] = { total, errors };
    }
    return out;
  }

  /** @type {Map<string | null, (labels: Record<string, string> | undefined) => boolean>} */
  const matchers = new Map();
  /**
   * The Flux objects a leader reconciled (those its --watch-label-selector selects), each about as often.
   * @param {any} b @param {Record<string, Counter>} counted
   */
  function reconciledObjects(b, counted) {
    let match = matchers.get(b.selector);
    if (!match) matchers.set(b.selector, (match = b.selector ? parseSelector(b.selector) : () => true));
    /** @type {{ kind: string, name: string, namespace: string, count: number }[]} */
    const out = [];
    for (const k of FLUX_KINDS.filter((k) => k.controller === b.app)) {
      const total = counted[k.kind.toLowerCase()]?.total ?? 0;
      const objects = total > 0 ? (cluster.objects.get(k.plural) ?? []).filter((/** @type {any} */ o) => match(o.metadata.labels)) : [];
      objects.forEach((/** @type {any} */ o, /** @type {number} */ i) =>
        out.push({ kind: k.kind, name: o.metadata.name, namespace: o.metadata.namespace, count: Math.floor(total / objects.length) + (i < total % objects.length ? 1 : 0) }),
      );
    }
    return out;
  }

  return {
    countersOf,

    /**
     * A controller's /metrics now: results mostly `requeue_after`, as Flux requeues every object on its interval.
     * @param {any} pod a pod record of the cluster
     * @returns {string}
     */
    metricsBody(pod) {
      const b = pod.behaviour;
      const t = elapsed();
      /** @type {Record<string, { success: number, error: number, requeue: number, requeue_after: number }>} */
      const reconciles = {};
      // controller-runtime starts every controller of the process, so each reports its series, at 0 until it works.
      for (const k of FLUX_KINDS.filter((k) => k.controller === b.app)) reconciles[k.kind.toLowerCase()] = { success: 0, error: 0, requeue: 0, requeue_after: 0 };
      const counted = countersOf(b);
      for (const [kind, { total, errors }] of Object.entries(counted)) {
        const ok = total - errors;
        const success = Math.floor(ok / 10);
        reconciles[kind] = { success, error: errors, requeue: 0, requeue_after: ok - success };
      }
      return renderControllerMetrics({
        controller: b.app,
        reconciles,
        leader: b.leader,
        standby: b.standby,
        lease: b.lease,
        maxConcurrent: b.maxConcurrent,
        startTime: b.startTime,
        seed: b.startTime,
        realistic: true,
        uptime: Math.max(0, b.epoch !== undefined ? t - b.epoch : now - b.startTime + t),
        objects: b.standby ? [] : reconciledObjects(b, counted),
        queueDepth: b.queueDepth === undefined ? 0 : b.queueDepth + Math.floor(t),
        activeWorkers: b.queueDepth === undefined ? 0 : 4,
      });
    },

    /**
     * What a pod's process has counted so far.
     * @param {any} b the pod's behaviour
     */
    totals(b) {
      const all = Object.values(countersOf(b));
      return { reconciliations: all.reduce((n, c) => n + c.total, 0), errors: all.reduce((n, c) => n + c.errors, 0) };
    },
  };
}

/** @typedef {ReturnType<typeof counters>} Counters */
