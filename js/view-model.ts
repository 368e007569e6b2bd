// What the table shows, derived from two successive ShardMetrics: rates,
// shares and flags. Pure functions, no DOM, so they are easy to test.
import type { DeploymentMetrics, ShardMetrics } from './cluster.js';

/** Why a row stands out. */
export type Flag = 'idle' | 'erroring' | 'unreachable' | 'missing';

export interface RowView {
  row: DeploymentMetrics;
  /** Share of the shard set's reconciliations, 0..1. */
  share: number;
  /** errors / reconciliations, or null without reconciliations. */
  errorRatio: number | null;
  /** Reconciliations per minute since the previous refresh; null on the first. */
  ratePerMinute: number | null;
  /** Errors per minute since the previous refresh; null on the first. */
  errorRatePerMinute: number | null;
  /** Whether a counter went down since the previous refresh (a restart). */
  restarted: boolean;
  flags: Flag[];
  /** Ready pods / pods, and the leader's name. */
  readyPods: number;
  totalPods: number;
  leader: string | null;
}

/**
 * The increase of a counter between two reads, per pod: a counter that went
 * down was reset by a restart, so its increase is its new value (as
 * Prometheus' rate() reads resets).
 */
function increase(current: DeploymentMetrics, previous: DeploymentMetrics | undefined, pick: (p: DeploymentMetrics['pods'][number]) => number): { delta: number; reset: boolean } {
  let delta = 0;
  let reset = false;
  for (const pod of current.pods) {
    if (!pod.scraped) continue;
    const before = previous?.pods.find((p) => p.name === pod.name && p.scraped);
    const now = pick(pod);
    if (before === undefined) {
      // A pod not seen before started since the previous read.
      if (previous !== undefined) {
        delta += now;
        reset = true;
      }
      continue;
    }
    const then = pick(before);
    if (now < then) {
      delta += now;
      reset = true;
    } else {
      delta += now - then;
    }
  }
  return { delta, reset };
}

/** Rows with rates from `previous` (taken `seconds` earlier), shares and flags. */
export function viewRows(current: ShardMetrics, previous: ShardMetrics | undefined, seconds: number): RowView[] {
  const total = current.deployments.reduce((n, d) => n + d.reconciliations, 0);
  return current.deployments.map((row) => {
    const before = previous?.deployments.find((d) => d.name === row.name);
    const haveRate = previous !== undefined && before !== undefined && seconds > 0;
    const rec = increase(row, before, (p) => p.reconciliations);
    const err = increase(row, before, (p) => p.errors);
    const ratePerMinute = haveRate ? (rec.delta * 60) / seconds : null;
    const errorRatePerMinute = haveRate ? (err.delta * 60) / seconds : null;
    const flags: Flag[] = [];
    if (!row.inInventory || !row.found) flags.push('missing');
    else if (row.error !== null) flags.push('unreachable');
    if (row.found && row.reconciliations === 0 && (ratePerMinute === null || ratePerMinute === 0) && row.pods.some((p) => p.scraped)) flags.push('idle');
    if (errorRatePerMinute !== null ? errorRatePerMinute > 0 : row.errors > 0 && row.errors >= 0.05 * row.reconciliations) flags.push('erroring');
    const leader = row.pods.find((p) => p.leader === true)?.name ?? null;
    return {
      row,
      share: total > 0 ? row.reconciliations / total : 0,
      errorRatio: row.reconciliations > 0 ? row.errors / row.reconciliations : null,
      ratePerMinute,
      errorRatePerMinute,
      restarted: rec.reset && before !== undefined,
      flags,
      readyPods: row.pods.filter((p) => p.ready).length,
      totalPods: row.pods.length,
      leader,
    };
  });
}

export type SortKey = 'name' | 'role' | 'reconciliations' | 'errors' | 'errorRatio' | 'rate' | 'share' | 'pods' | 'status';

/** Sorts rows by a column; the source stays first when sorting by name ascending (the default order). */
export function sortRows(rows: RowView[], key: SortKey | null, descending: boolean): RowView[] {
  if (key === null) return rows;
  const value = (r: RowView): number | string => {
    switch (key) {
      case 'name':
        return r.row.name;
      case 'role':
        return r.row.shard ?? '';
      case 'reconciliations':
        return r.row.reconciliations;
      case 'errors':
        return r.row.errors;
      case 'errorRatio':
        return r.errorRatio ?? -1;
      case 'rate':
        return r.ratePerMinute ?? -1;
      case 'share':
        return r.share;
      case 'pods':
        return r.readyPods;
      case 'status':
        return r.flags.join(',') + (r.row.error ?? '');
    }
  };
  const sorted = [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return descending ? -c : c;
  });
  return sorted;
}

/** Numbers as the table prints them. */
export function formatCount(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

export function formatRate(n: number | null): string {
  if (n === null) return '…';
  if (n === 0) return '0/min';
  return `${n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')}/min`;
}

export function formatRatio(r: number | null): string {
  if (r === null) return '–';
  return `${(r * 100).toFixed(r < 0.01 && r > 0 ? 2 : 1)}%`;
}
