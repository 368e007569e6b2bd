/**
 * `<flux-shard-metrics namespace="…" shardset="…" server="…">` (or
 * `controller="…"` for any shard group): the shard metrics view as a custom
 * element, registered by importing `flux-shard-metrics/element`. Without
 * `shardset` and `controller` it lists every shard group to choose from and
 * fires `flux-shard-metrics-select`.
 *
 * This file is the element's lifecycle and its attributes and properties only:
 * what is read and when is the view controller's (`view-controller.ts`, no
 * DOM), the drawing is the renderers' (`render/`), which set everything from
 * the cluster as text (`textContent`), never as markup. Styles are a
 * constructable stylesheet, so a page with a strict Content-Security-Policy
 * needs no inline styles. Only GET requests are sent.
 *
 * Importing it where there is no DOM (server-side rendering) defines nothing
 * and throws nothing.
 */
import { init, openShardMetrics, listShardGroups, listShardSets, type ConnectionOptions, type GroupKind, type ShardGroupSummary, type ShardMetrics } from './index.js';
import { ViewController, type ViewSettings } from './view-controller.js';
import { View } from './render/view.js';
import { DEFAULT_REFRESH_SECONDS, DEFAULT_WINDOW, MAX_REFRESH_SECONDS, MIN_REFRESH_SECONDS } from './generated/defaults.js';

/** Attributes, each mirrored by a property of the same meaning. `api-base` is the older name of `server`. */
const ATTRIBUTES = ['namespace', 'shardset', 'controller', 'server', 'api-base', 'refresh', 'theme', 'prometheus', 'window'] as const;

/**
 * The element's attributes, for JSX typings (React 18 and 19):
 *
 * ```ts
 * declare module 'react' {
 *   namespace JSX {
 *     interface IntrinsicElements {
 *       'flux-shard-metrics': React.DetailedHTMLProps<React.HTMLAttributes<HTMLElement>, HTMLElement> & FluxShardMetricsAttributes;
 *     }
 *   }
 * }
 * ```
 */
export type FluxShardMetricsAttributes = { [A in (typeof ATTRIBUTES)[number]]?: A extends 'refresh' ? string | number : A extends 'theme' ? 'light' | 'dark' | '' : string };

/**
 * The `detail` of the `flux-shard-metrics-select` event: the shard group chosen in the list. `name` is
 * a FluxShardSet's or FluxInstance's name (for a group made by hand, its main Deployment's), as
 * `listShardGroups` gives it; a FluxShardSet opens with `shardset = name`, the others with
 * `controller = controller`.
 */
export interface SelectDetail {
  namespace: string;
  name: string;
  /** What made the group. */
  kind: GroupKind;
  /** Its main controller's Deployment. */
  controller: string;
}

// Without a DOM (server-side rendering) the class extends a stand-in and is never registered.
const Base: typeof HTMLElement = typeof HTMLElement === 'undefined' ? (class {} as unknown as typeof HTMLElement) : HTMLElement;

export class FluxShardMetricsElement extends Base {
  static observedAttributes = [...ATTRIBUTES];

  #fetchOptions: Omit<ConnectionOptions, 'server'> = {};
  readonly #controller: ViewController;
  /** Attributes are being set together (`shardset` and `controller` exclude each other): one update at the end. */
  #batching = false;

  constructor() {
    super();
    const view = new View(this.attachShadow({ mode: 'open' }), {
      togglePause: () => this.#controller.setPaused(!this.#controller.state.paused),
      setRefresh: (seconds) => this.setAttribute('refresh', seconds),
      setWindow: (window) => this.setAttribute('window', window),
      refresh: () => void this.reload(),
      sortBy: (key) => this.#controller.sortBy(key),
      toggleRow: (name) => this.#controller.toggleRow(name),
      select: (set) => this.#select(set),
    });
    this.#controller = new ViewController({
      api: { init, openShardMetrics, listShardSets, listShardGroups },
      settings: this.#settings(),
      onChange: (change) => view.render(this.#controller.state, () => this.#controller.rows(), change),
    });
  }

  // ----- properties (React 19 and other frameworks set these rather than attributes) --------

  /** Namespace of the shard set (attribute `namespace`). */
  get namespace(): string {
    return this.getAttribute('namespace') ?? '';
  }
  set namespace(value: string) {
    this.#reflect('namespace', value);
  }
  /**
   * Name of a FluxShardSet (attribute `shardset`); empty, and without `controller`, to list every shard
   * group. Setting it clears `controller`.
   */
  get shardset(): string {
    return this.getAttribute('shardset') ?? '';
  }
  set shardset(value: string) {
    this.#exclusive('shardset', value, 'controller');
  }
  /**
   * A Deployment of a shard group, whatever made it (attribute `controller`): its main controller
   * (`source-controller`) or one of its shards. Setting it clears `shardset`.
   */
  get controller(): string {
    return this.getAttribute('controller') ?? '';
  }
  set controller(value: string) {
    this.#exclusive('controller', value, 'shardset');
  }
  /** Where the Kubernetes API paths are served (attribute `server`, or its older name `api-base`). */
  get server(): string {
    return this.getAttribute('server') ?? this.getAttribute('api-base') ?? '';
  }
  set server(value: string) {
    this.#reflect('server', value);
  }
  /** Seconds between refreshes (attribute `refresh`; {@link DEFAULT_REFRESH_SECONDS} by default, from {@link MIN_REFRESH_SECONDS} to {@link MAX_REFRESH_SECONDS}). */
  get refresh(): number {
    const n = Number(this.getAttribute('refresh') ?? DEFAULT_REFRESH_SECONDS);
    return Number.isFinite(n) && n >= MIN_REFRESH_SECONDS && n <= MAX_REFRESH_SECONDS ? n : DEFAULT_REFRESH_SECONDS;
  }
  set refresh(value: number | string) {
    this.#reflect('refresh', value === null || value === undefined ? null : String(value));
  }
  /** `light`, `dark`, or empty to follow the system (attribute `theme`). */
  get theme(): string {
    return this.getAttribute('theme') ?? '';
  }
  set theme(value: string) {
    this.#reflect('theme', value);
  }

  /**
   * Prometheus as the source of the counts (attribute `prometheus`): its URL (`http://…`, or a path on
   * this origin) or a Service `NAMESPACE/NAME:PORT` through the API server; empty to scrape the pods.
   */
  get prometheus(): string {
    return this.getAttribute('prometheus') ?? '';
  }
  set prometheus(value: string) {
    this.#reflect('prometheus', value);
  }

  /** The window of the counts with `prometheus` (attribute `window`): a PromQL duration, {@link DEFAULT_WINDOW} by default. */
  get window(): string {
    return this.getAttribute('window') ?? '';
  }
  set window(value: string) {
    this.#reflect('window', value);
  }

  /** Extra connection options (headers, credentials, timeoutMs…) for embedders; setting them reloads. */
  get fetchOptions(): Omit<ConnectionOptions, 'server'> {
    return this.#fetchOptions;
  }
  set fetchOptions(value: Omit<ConnectionOptions, 'server'>) {
    this.#fetchOptions = { ...value };
    this.#controller.update(this.#settings());
  }

  /** The last successful read, if any. */
  get metrics(): ShardMetrics | undefined {
    return this.#controller.state.metrics;
  }

  /** Reloads now (also what the Refresh button does); while a read is in flight, resolves when it ends. */
  reload(): Promise<void> {
    return this.#controller.refresh();
  }

  // ----- lifecycle ---------------------------------------------------------

  connectedCallback(): void {
    this.#controller.start(this.#settings());
  }

  disconnectedCallback(): void {
    this.#controller.stop();
  }

  attributeChangedCallback(_name: string, oldValue: string | null, newValue: string | null): void {
    // The controller tells a change of what is read from one of the interval; `theme` is only CSS.
    if (oldValue !== newValue && !this.#batching) this.#controller?.update(this.#settings());
  }

  #settings(): ViewSettings {
    return {
      namespace: this.namespace,
      shardset: this.shardset,
      controller: this.controller,
      server: this.server,
      fetchOptions: this.#fetchOptions,
      refreshSeconds: this.refresh,
      prometheus: this.prometheus,
      window: this.window,
    };
  }

  #reflect(name: string, value: string | null | undefined): void {
    if (value === null || value === undefined || value === '') this.removeAttribute(name);
    else this.setAttribute(name, value);
  }

  /** Sets `name` and, when it is set to something, removes `other`: one update for both. */
  #exclusive(name: 'shardset' | 'controller', value: string | null | undefined, other: 'shardset' | 'controller'): void {
    const clearing = value !== null && value !== undefined && value !== '' && this.hasAttribute(other);
    if (!clearing) return this.#reflect(name, value);
    this.#batching = true;
    try {
      this.#reflect(name, value);
      this.removeAttribute(other);
    } finally {
      this.#batching = false;
    }
    this.#controller.update(this.#settings());
  }

  /** Fires `flux-shard-metrics-select`; false when the embedder cancelled it (the link is then not followed). */
  #select(group: ShardGroupSummary): boolean {
    const detail: SelectDetail = { namespace: group.namespace, name: group.name, kind: group.kind, controller: group.controller };
    return this.dispatchEvent(new CustomEvent('flux-shard-metrics-select', { detail, cancelable: true, bubbles: true, composed: true }));
  }
}

if (typeof customElements !== 'undefined' && typeof HTMLElement !== 'undefined' && !customElements.get('flux-shard-metrics')) {
  customElements.define('flux-shard-metrics', FluxShardMetricsElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'flux-shard-metrics': FluxShardMetricsElement;
  }
}
