// The element's view without the DOM: what is read and when, what is shown,
// and what a person chose (sort, expanded rows, pause). Plain state, a few
// methods, one change callback. The data API, the timers and the clock are
// passed in, so Node tests drive it with a fake clock (tests/js/view-controller.test.mjs);
// the element (element.ts) feeds it its attributes and the renderers (render/)
// draw its state.
//
// The state machine (`phase`):
//
//   idle ──start()──▶ loading ──read ok──▶ shown ◀─┐ a refresh: ok, or failed (the read stays; `error` is set)
//                        │                   └──────┘
//                        └──read failed──▶ failed ──refresh ok──▶ shown (a failed one stays failed)
//   any ──start() or update() that changes what is read──▶ loading (a new session)
//   any ──stop()──▶ (same phase, no timer, the read in flight is dropped)
//
// Reads, within one session:
// - Two reads never overlap: while one is in flight, `refresh()` returns it, and a refresh that
//   falls due waits for it and starts as soon as it ends.
// - The schedule never waits for a read: the next refresh is due `refreshSeconds` after the
//   previous one *started*, so a slow pod (bounded by the request deadline) does not push the
//   cadence back. Pause, resume and an interval change recompute that due time (now, if it passed).
// - A change of what is read (namespace, shard set or controller, server, fetch options, Prometheus,
//   its window) starts a new session at once: the old read's answer is dropped when it comes, and
//   what was shown and the expanded rows are cleared (the trends with them: they are the reader's); the sort and the pause stay.
// - The chooser (neither a shard set nor a controller: every shard group) is read once and never refreshed.
// - A session reads its group through one reader (`openShardMetrics`): the first read lists, the
//   later ones only watch what changed, so a refresh costs the scrapes, not the objects. The reader
//   is closed when the session ends (new settings, stop()).
import type { ConnectionOptions, ListOptions, ShardGroupSummary, ShardMetrics, ShardMetricsOptions, ShardMetricsReader, ShardSetSummary } from './cluster.js';
import { COLUMNS } from './columns.js';
import { prometheusOption } from './prometheus.js';
import { sortBy, viewRows, type RowView } from './view-model.js';

/** What the view reads and how often; the element's attributes and properties. */
export interface ViewSettings {
  namespace: string;
  /** A FluxShardSet; empty (and no `controller`): the shard groups to choose from. */
  shardset: string;
  /**
   * A Deployment of a shard group (its main controller or one of its shards), whatever made the group;
   * the other way to open one. Given with `shardset`, the read fails saying to give only one.
   */
  controller: string;
  /** Where the Kubernetes API paths are served. */
  server: string;
  /** Extra connection options; compared by identity, so a new object reads again. */
  fetchOptions: Omit<ConnectionOptions, 'server'>;
  /** Seconds between refreshes (already checked by the element). */
  refreshSeconds: number;
  /** Prometheus as the source of the counts (a URL or `NAMESPACE/NAME:PORT`), or empty. */
  prometheus: string;
  /** The window of the counts with `prometheus`, or empty for the default. */
  window: string;
}

/** The data API the view reads through: `init`, `openShardMetrics`, `listShardSets` and `listShardGroups` of the package. */
export interface DataApi {
  init(): Promise<unknown>;
  openShardMetrics(options: ShardMetricsOptions): ShardMetricsReader;
  listShardSets(options: ListOptions): Promise<ShardSetSummary[]>;
  listShardGroups(options: ListOptions): Promise<ShardGroupSummary[]>;
}

/** Whether the settings open a shard group (a shard set or a controller), rather than the chooser. */
export function opensGroup(s: Pick<ViewSettings, 'shardset' | 'controller'>): boolean {
  return s.shardset !== '' || s.controller !== '';
}

/** Time and timers; the system's by default, a fake one in tests. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** `idle` before the first read, `loading` until it ends, then `shown` or `failed` (nothing read yet). */
export type Phase = 'idle' | 'loading' | 'shown' | 'failed';

/** What changed: `toolbar` only (pause, interval, a refresh that failed over a read still shown), or `all`. */
export type Change = 'all' | 'toolbar';

export interface SortState {
  /** A key of `COLUMNS`, or `null` for the core's order (source first, then `spec.shards`). */
  key: string | null;
  descending: boolean;
}

export interface ViewState {
  settings: ViewSettings;
  phase: Phase;
  /** A read is in flight (the first one or a refresh). */
  reading: boolean;
  paused: boolean;
  /** When the next refresh is due (the clock's milliseconds), or `null`: paused, stopped, the chooser. */
  nextRefreshAt: number | null;
  /** The last read of the shard group. */
  metrics: ShardMetrics | undefined;
  /** The shard set or group as listed, before its first read: its rows' names, each shown loading. */
  skeleton: Pick<ShardSetSummary, 'deployments'> | undefined;
  /** The chooser's shard groups (without `shardset` and `controller`), of every kind. */
  groups: ShardGroupSummary[] | undefined;
  /** Why the last read failed; `undefined` once a read succeeds. */
  error: unknown;
  sort: SortState;
  /** Rows shown with their details, by Deployment name. */
  expanded: ReadonlySet<string>;
}

export interface ViewControllerOptions {
  api: DataApi;
  settings: ViewSettings;
  /** Called after every change of the state, with what changed. */
  onChange?: (change: Change) => void;
  clock?: Clock;
}

/** The settings that decide what a read returns: a change of any of them reads anew. */
function readKey(s: ViewSettings): readonly unknown[] {
  return [s.namespace, s.shardset, s.controller, s.server, s.fetchOptions, s.prometheus, s.prometheus ? s.window : ''];
}

function sameRead(a: ViewSettings, b: ViewSettings): boolean {
  const x = readKey(a);
  const y = readKey(b);
  return x.every((v, i) => v === y[i]);
}

export class ViewController {
  readonly #api: DataApi;
  readonly #clock: Clock;
  readonly #onChange: (change: Change) => void;
  readonly #state: ViewState;
  /** Timers may run (between start() and stop()). */
  #running = false;
  /** Bumped by every new session and by stop(): a read of an older session is dropped. */
  #session = 0;
  #inFlight: Promise<void> | undefined;
  #startedAt: number | undefined;
  #timer: unknown;
  /** A refresh fell due while a read was in flight: it starts when that read ends. */
  #due = false;
  /** The session's reader of its group, opened by its first read. */
  #reader: ShardMetricsReader | undefined;

  constructor({ api, settings, onChange = () => {}, clock = SYSTEM_CLOCK }: ViewControllerOptions) {
    this.#api = api;
    this.#clock = clock;
    this.#onChange = onChange;
    this.#state = {
      settings,
      phase: 'idle',
      reading: false,
      paused: false,
      nextRefreshAt: null,
      metrics: undefined,
      skeleton: undefined,
      groups: undefined,
      error: undefined,
      sort: { key: null, descending: false },
      expanded: new Set(),
    };
  }

  /** The state now (read it; change it through the methods). */
  get state(): Readonly<ViewState> {
    return this.#state;
  }

  /** The rows of the last read, sorted as chosen; none before the first read. */
  rows(): RowView[] {
    const { metrics, sort } = this.#state;
    if (!metrics) return [];
    const column = COLUMNS.find((c) => c.key === sort.key);
    return sortBy(viewRows(metrics), column ? column.sort : null, sort.descending);
  }

  /** Starts (the element is connected): a new session with `settings`, read at once, then refreshed. */
  start(settings: ViewSettings = this.#state.settings): void {
    this.#state.settings = settings;
    this.#running = true;
    this.#newSession();
  }

  /** Stops (the element is disconnected): no more timers, and the read in flight is dropped. What is shown stays. */
  stop(): void {
    this.#running = false;
    this.#session++;
    this.#closeReader();
    this.#clearTimer();
    this.#due = false;
    this.#inFlight = undefined;
    this.#state.reading = false;
    this.#state.nextRefreshAt = null;
  }

  /**
   * New settings: a change of what is read starts a new session; a change of the interval only moves
   * the next refresh. Anything else (the theme is not a setting) changes nothing.
   */
  update(settings: ViewSettings): void {
    const before = this.#state.settings;
    this.#state.settings = settings;
    if (!this.#running) return;
    if (!sameRead(before, settings)) {
      this.#newSession();
    } else if (before.refreshSeconds !== settings.refreshSeconds) {
      this.#schedule();
      this.#onChange('toolbar');
    }
  }

  /** Reads now ("Refresh now", `reload()`); while a read is in flight, that read is the refresh. */
  refresh(): Promise<void> {
    return this.#inFlight ?? this.#read();
  }

  /** Pauses or resumes the refreshes; a read in flight still ends and is shown. */
  setPaused(paused: boolean): void {
    if (this.#state.paused === paused) return;
    this.#state.paused = paused;
    this.#schedule();
    this.#onChange('toolbar');
  }

  /** Sorts by a column of `COLUMNS`: the same column again flips the order; numbers sort descending first. */
  sortBy(key: string): void {
    const column = COLUMNS.find((c) => c.key === key);
    if (!column) return;
    const { sort } = this.#state;
    this.#state.sort = { key, descending: sort.key === key ? !sort.descending : column.numeric === true };
    this.#onChange('all');
  }

  /** Shows or hides a row's details. */
  toggleRow(name: string): void {
    const expanded = new Set(this.#state.expanded);
    if (!expanded.delete(name)) expanded.add(name);
    this.#state.expanded = expanded;
    this.#onChange('all');
  }

  #closeReader(): void {
    this.#reader?.close();
    this.#reader = undefined;
  }

  #newSession(): void {
    this.#session++;
    this.#closeReader();
    this.#clearTimer();
    this.#due = false;
    this.#inFlight = undefined;
    Object.assign(this.#state, {
      phase: 'loading',
      reading: false,
      nextRefreshAt: null,
      metrics: undefined,
      skeleton: undefined,
      groups: undefined,
      error: undefined,
      expanded: new Set(),
    } satisfies Partial<ViewState>);
    this.#onChange('all');
    void this.#read();
  }

  /** Starts a read of this session and schedules the next refresh from its start. */
  #read(): Promise<void> {
    const session = this.#session;
    const state = this.#state;
    state.reading = true;
    this.#startedAt = this.#clock.now();
    this.#schedule();
    if (state.phase === 'idle') {
      state.phase = 'loading';
      this.#onChange('all');
    }
    const read = this.#readOnce(session).then((change) => {
      if (session !== this.#session) return;
      this.#inFlight = undefined;
      state.reading = false;
      if (this.#due) void this.#read();
      this.#onChange(change);
    });
    this.#inFlight = read;
    return read;
  }

  /** One read: the chooser's list, or the shard group (its skeleton first, the first time). Resolves to what changed. */
  async #readOnce(session: number): Promise<Change> {
    const state = this.#state;
    const { namespace, shardset, controller, server, fetchOptions, prometheus, window } = state.settings;
    const connection: ConnectionOptions = { ...fetchOptions, server };
    const current = () => session === this.#session;
    try {
      await this.#api.init();
      if (!opensGroup(state.settings)) {
        const groups = await this.#api.listShardGroups(namespace ? { ...connection, namespace } : connection);
        if (current()) Object.assign(state, { groups, error: undefined, phase: 'shown' } satisfies Partial<ViewState>);
        return 'all';
      }
      if (state.metrics === undefined && state.skeleton === undefined && namespace) {
        // One quick call so that each row can show its own loading state: the namespace's shard sets,
        // or its shard groups (a little more: its Deployments, FluxShardSets and FluxInstance).
        const skeleton = shardset
          ? (await this.#api.listShardSets({ ...connection, namespace }).catch(() => [])).find((s) => s.name === shardset)
          : (await this.#api.listShardGroups({ ...connection, namespace }).catch(() => [])).find((g) => g.deployments.includes(controller));
        if (!current()) return 'all';
        state.skeleton = skeleton;
        if (state.skeleton && state.phase === 'loading') this.#onChange('all');
      }
      // Both given: the core rejects it, saying to give one.
      const target = shardset && controller ? { name: shardset, controller } : shardset ? { name: shardset } : { controller };
      // Opened by the session it reads for: a read of an older session that got here late must not
      // leave its reader (its settings) to the new one.
      if (!current()) return 'all';
      this.#reader ??= this.#api.openShardMetrics({
        ...connection,
        namespace,
        ...(target as { name: string }),
        ...(prometheus ? { prometheus: prometheusOption(prometheus, window) } : {}),
      });
      const metrics = await this.#reader.read();
      if (current()) {
        Object.assign(state, { metrics, error: undefined, phase: 'shown' } satisfies Partial<ViewState>);
      }
      return 'all';
    } catch (error) {
      if (!current()) return 'all';
      state.error = error;
      // Over a read still shown, a failed refresh is a note in the toolbar; before any, it is the view.
      if (state.metrics !== undefined) return 'toolbar';
      state.phase = 'failed';
      return 'all';
    }
  }

  /**
   * The next refresh, due `refreshSeconds` after the last read started (now, if that has passed). It
   * replaces one that fell due during the read in flight: with a longer interval, that one is not due yet.
   */
  #schedule(): void {
    this.#clearTimer();
    this.#due = false;
    const state = this.#state;
    if (!this.#running || state.paused || !opensGroup(state.settings) || this.#startedAt === undefined) {
      state.nextRefreshAt = null;
      return;
    }
    const now = this.#clock.now();
    const at = Math.max(now, this.#startedAt + state.settings.refreshSeconds * 1000);
    state.nextRefreshAt = at;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      // Never two reads at once: a refresh due while one is in flight starts when it ends.
      if (this.#inFlight) this.#due = true;
      else void this.#read();
    }, at - now);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
