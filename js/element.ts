/**
 * `<flux-shard-metrics namespace="…" shardset="…" server="…">`: the shard
 * metrics view as a custom element, registered by importing
 * `flux-shard-metrics/element`. Without `shardset` it lists the shard sets to
 * choose from and fires `flux-shard-metrics-select`.
 *
 * Everything that comes from the cluster is set as text (`textContent`),
 * never parsed as markup. Styles are a constructable stylesheet, so a page
 * with a strict Content-Security-Policy needs no inline styles. Only GET
 * requests are sent. The columns come from `columns.ts`, the statuses and
 * rates from the wasm core; this file only renders.
 *
 * Importing it where there is no DOM (server-side rendering) defines nothing
 * and throws nothing.
 */
import { init, getShardMetrics, listShardSets, type ConnectionOptions, type ShardMetrics, type ShardSetSummary } from './index.js';
import { COLUMNS, CONTROLLER_COLUMNS, HEALTH, OBJECT_COLUMNS, POD_COLUMNS, columnsOf, type Column, type Part } from './columns.js';
import { sortBy, viewRows, type RowView } from './view-model.js';
import { STYLES } from './element-styles.js';
import { describe, hintFor, kindOf } from './errors.js';
import { prometheusOption, WINDOWS } from './prometheus.js';
import { toCsv } from './export.js';
import { DEFAULT_REFRESH_SECONDS, DEFAULT_WINDOW, MAX_REFRESH_SECONDS, MIN_REFRESH_SECONDS, SHARD_KEY } from './generated/defaults.js';

const REFRESH_CHOICES = [2, 5, 10, 30, 60];
/** Attributes, each mirrored by a property of the same meaning. `api-base` is the older name of `server`. */
const ATTRIBUTES = ['namespace', 'shardset', 'server', 'api-base', 'refresh', 'theme', 'prometheus', 'window'] as const;

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

type Child = Node | string | null | undefined | false;

/** Creates an element; strings become text nodes, so nothing is ever parsed as HTML. */
function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** Turns a column's cell parts into DOM. */
function renderParts(parts: Part[]): Child[] {
  return parts.map((part) => {
    if (typeof part === 'string') return part;
    if ('muted' in part) return h('span', { class: 'muted' }, part.muted);
    if ('badge' in part) return h('span', { class: `badge ${part.badge}` }, part.badge);
    if ('problem' in part) return h('div', { class: 'row-error' }, part.problem);
    const bar = h('span', { class: 'bar' });
    bar.style.width = `${(part.bar * 100).toFixed(1)}%`;
    return h('span', { class: 'track', role: 'img', 'aria-label': part.label }, bar);
  });
}

function cellOf<T>(column: Column<T>, item: T): Child[] {
  return column.cell ? renderParts(column.cell(item)) : [column.text(item)];
}

/** A table of `items` by `columns`; the first column is each row's header when `rowHeader`. */
function simpleTable<T>(caption: string, columns: readonly Column<T>[], items: readonly T[], empty: string): HTMLTableElement {
  const head = h('tr', {}, ...columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : undefined }, c.label)));
  const body = h('tbody');
  for (const item of items) body.append(h('tr', {}, ...columns.map((c) => h('td', { class: [c.key, c.numeric ? 'num' : ''].join(' ').trim() }, ...cellOf(c, item)))));
  if (items.length === 0) body.append(h('tr', {}, h('td', { colspan: String(columns.length), class: 'muted' }, empty)));
  return h('table', { class: 'inner' }, h('caption', {}, caption), h('thead', {}, head), body);
}

let sheet: CSSStyleSheet | undefined;

// Without a DOM (server-side rendering) the class extends a stand-in and is never registered.
const Base: typeof HTMLElement = typeof HTMLElement === 'undefined' ? (class {} as unknown as typeof HTMLElement) : HTMLElement;

export class FluxShardMetricsElement extends Base {
  static observedAttributes = [...ATTRIBUTES];

  #fetchOptions: Omit<ConnectionOptions, 'server'> = {};
  #root: ShadowRoot;
  #main: HTMLElement;
  #toolbar: HTMLElement;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #paused = false;
  #generation = 0;
  #current: ShardMetrics | undefined;
  #sort: { key: string | null; descending: boolean } = { key: null, descending: false };
  #expanded = new Set<string>();
  #skeleton: ShardSetSummary | undefined;
  #error: unknown;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    sheet ??= (() => {
      const s = new CSSStyleSheet();
      s.replaceSync(STYLES);
      return s;
    })();
    this.#root.adoptedStyleSheets = [sheet];
    this.#toolbar = h('div', { class: 'toolbar', role: 'status', 'aria-live': 'polite' });
    this.#main = h('div', { class: 'main' });
    this.#root.append(this.#toolbar, this.#main);
  }

  // ----- properties (React 19 and other frameworks set these rather than attributes) --------

  /** Namespace of the shard set (attribute `namespace`). */
  get namespace(): string {
    return this.getAttribute('namespace') ?? '';
  }
  set namespace(value: string) {
    this.#reflect('namespace', value);
  }
  /** Name of the shard set (attribute `shardset`); empty to list the shard sets. */
  get shardset(): string {
    return this.getAttribute('shardset') ?? '';
  }
  set shardset(value: string) {
    this.#reflect('shardset', value);
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
    if (this.isConnected) this.#restart();
  }

  /** The last successful read, if any. */
  get metrics(): ShardMetrics | undefined {
    return this.#current;
  }

  #reflect(name: string, value: string | null | undefined): void {
    if (value === null || value === undefined || value === '') this.removeAttribute(name);
    else this.setAttribute(name, value);
  }

  /** Reloads now (also what the Refresh button does). */
  reload(): Promise<void> {
    return this.#load();
  }

  connectedCallback(): void {
    this.#restart();
  }

  disconnectedCallback(): void {
    this.#stop();
  }

  attributeChangedCallback(name: string, oldValue: string | null, newValue: string | null): void {
    if (oldValue === newValue || !this.isConnected) return;
    if (name === 'refresh') {
      this.#schedule();
      this.#renderToolbar();
    } else if (name !== 'theme') {
      this.#restart();
    }
  }

  get #connection(): ConnectionOptions {
    return { ...this.#fetchOptions, server: this.server };
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#generation++;
  }

  #restart(): void {
    this.#stop();
    this.#current = undefined;
    this.#skeleton = undefined;
    this.#error = undefined;
    this.#expanded.clear();
    this.#main.replaceChildren(h('p', { class: 'note' }, 'Loading…'));
    this.#renderToolbar();
    void this.#load();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.#paused || !this.isConnected || !this.shardset) return;
    this.#timer = setTimeout(() => void this.#load(), this.refresh * 1000);
  }

  async #load(): Promise<void> {
    const generation = ++this.#generation;
    const { namespace, shardset } = this;
    try {
      await init();
      if (!shardset) {
        const sets = await listShardSets(namespace ? { ...this.#connection, namespace } : this.#connection);
        if (generation !== this.#generation) return;
        this.#renderChooser(sets, namespace);
        return;
      }
      if (this.#current === undefined && this.#skeleton === undefined) {
        // One quick call so each row can show its own loading state.
        const sets = namespace ? await listShardSets({ ...this.#connection, namespace }).catch(() => []) : [];
        if (generation !== this.#generation) return;
        this.#skeleton = sets.find((s) => s.name === shardset);
        if (this.#skeleton) this.#renderSkeleton(this.#skeleton);
      }
      const previous = this.#current;
      const prometheus = this.prometheus ? { prometheus: prometheusOption(this.prometheus, this.window) } : {};
      const metrics = await getShardMetrics({ ...this.#connection, namespace, name: shardset, ...(previous ? { previous } : {}), ...prometheus });
      if (generation !== this.#generation) return;
      this.#current = metrics;
      this.#error = undefined;
      this.#renderTable();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#error = error;
      if (this.#current === undefined) this.#renderError(error);
    } finally {
      if (generation === this.#generation) {
        this.#renderToolbar();
        this.#schedule();
      }
    }
  }

  // ----- rendering ---------------------------------------------------------

  #renderToolbar(): void {
    const parts: Child[] = [];
    if (this.shardset) {
      parts.push(h('strong', { class: 'title' }, `${this.namespace}/${this.shardset}`));
      const pause = h('button', { type: 'button', class: 'pause', 'aria-pressed': String(this.#paused) }, this.#paused ? 'Resume' : 'Pause');
      pause.addEventListener('click', () => {
        this.#paused = !this.#paused;
        this.#schedule();
        this.#renderToolbar();
      });
      const select = h('select', { class: 'interval', 'aria-label': 'Refresh interval' });
      const seconds = this.refresh;
      for (const s of REFRESH_CHOICES) {
        const o = h('option', { value: String(s) }, `every ${s} s`);
        if (s === seconds) o.selected = true;
        select.append(o);
      }
      if (!REFRESH_CHOICES.includes(seconds)) select.prepend(h('option', { value: String(seconds), selected: '' }, `every ${seconds} s`));
      select.addEventListener('change', () => this.setAttribute('refresh', select.value));
      const now = h('button', { type: 'button', class: 'refresh' }, 'Refresh now');
      now.addEventListener('click', () => void this.reload());
      parts.push(pause, select, now);
      if (this.prometheus) parts.push(this.#windowSelector());
      if (this.#current)
        parts.push(
          this.#download('csv', 'text/csv', toCsv),
          this.#download('json', 'application/json', (m) => JSON.stringify(m, null, 2) + '\n'),
        );
    }
    const updated = this.#current ? `Updated ${new Date(this.#current.readAt).toLocaleTimeString()}` : '';
    const stale = this.#error !== undefined && this.#current ? ` · last refresh failed: ${describe(this.#error)}` : '';
    parts.push(h('span', { class: 'updated' + (stale ? ' stale' : '') }, updated + stale));
    this.#toolbar.replaceChildren(...parts.filter((p): p is Node => p instanceof Node));
  }

  /** The window of the counts, with Prometheus as the source. */
  #windowSelector(): HTMLElement {
    const current = this.window || DEFAULT_WINDOW;
    const select = h('select', { class: 'window', 'aria-label': 'Window of the counts' });
    const choices: readonly string[] = WINDOWS.includes(current as (typeof WINDOWS)[number]) ? WINDOWS : [current, ...WINDOWS];
    for (const w of choices) {
      const o = h('option', { value: w }, `last ${w}`);
      if (w === current) o.selected = true;
      select.append(o);
    }
    select.addEventListener('change', () => this.setAttribute('window', select.value));
    return select;
  }

  /** A button that saves the current read as a file (the same CSV as `get -o csv`, the same JSON as `-o json`). */
  #download(extension: string, type: string, format: (m: ShardMetrics) => string): HTMLElement {
    const button = h('button', { type: 'button', class: `download ${extension}`, title: `Save this read as ${extension.toUpperCase()}` }, extension.toUpperCase());
    button.addEventListener('click', () => {
      const metrics = this.#current;
      if (!metrics) return;
      const url = URL.createObjectURL(new Blob([format(metrics)], { type }));
      const stamp = new Date(metrics.readAt).toISOString().replace(/[:.]/g, '-');
      const a = h('a', { href: url, download: `${metrics.shardSet.namespace}-${metrics.shardSet.name}-${stamp}.${extension}` });
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    });
    return button;
  }

  #renderError(error: unknown): void {
    const kind = kindOf(error);
    const hint = kind ? hintFor(kind) : null;
    this.#main.replaceChildren(
      h(
        'div',
        { class: 'error-state', role: 'alert', 'data-kind': kind ?? 'unknown' },
        h('p', { class: 'error-title' }, 'Cannot show shard metrics'),
        h('p', { class: 'message' }, describe(error)),
        hint && h('p', { class: 'hint' }, hint),
      ),
    );
  }

  #renderChooser(sets: ShardSetSummary[], namespace: string): void {
    if (sets.length === 0) {
      this.#main.replaceChildren(
        h(
          'div',
          { class: 'empty-state' },
          h('p', {}, namespace ? `No FluxShardSets in namespace ${namespace}.` : 'No FluxShardSets in any namespace.'),
          h('p', { class: 'hint' }, 'Create one with the flux-shard-controller, or open another namespace with ?namespace=NS.'),
        ),
      );
      return;
    }
    const list = h('ul', { class: 'chooser' });
    for (const s of sets) {
      const link = h('a', { href: `?namespace=${encodeURIComponent(s.namespace)}&shardset=${encodeURIComponent(s.name)}` }, `${s.namespace}/${s.name}`);
      link.addEventListener('click', (e) => {
        const select = new CustomEvent('flux-shard-metrics-select', { detail: { namespace: s.namespace, name: s.name }, cancelable: true, bubbles: true, composed: true });
        if (!this.dispatchEvent(select)) e.preventDefault();
      });
      list.append(h('li', {}, link, h('span', { class: 'muted' }, ` — source ${s.sourceDeployment}, ${s.shards.length} shard(s)`)));
    }
    this.#main.replaceChildren(h('h2', {}, 'FluxShardSets'), list);
  }

  #renderSkeleton(set: ShardSetSummary): void {
    const names = set.deployments;
    const columns = columnsOf(COLUMNS, 'page');
    const body = h('tbody');
    for (const name of names) {
      const tr = h('tr', { class: 'loading', 'data-deployment': name }, h('th', { scope: 'row' }, name));
      tr.append(h('td', { colspan: String(columns.length - 1), class: 'muted' }, 'loading…'));
      body.append(tr);
    }
    this.#main.replaceChildren(this.#table(body, false));
  }

  #table(body: HTMLTableSectionElement, sortable: boolean): HTMLTableElement {
    const head = h('tr');
    for (const c of columnsOf(COLUMNS, 'page')) {
      const active = this.#sort.key === c.key;
      const th = h('th', { scope: 'col', class: c.numeric ? 'num' : undefined, 'aria-sort': active ? (this.#sort.descending ? 'descending' : 'ascending') : 'none' });
      if (sortable) {
        const b = h('button', { type: 'button', class: 'sort' }, c.label, active ? (this.#sort.descending ? ' ▼' : ' ▲') : '');
        b.addEventListener('click', () => {
          this.#sort = { key: c.key, descending: active ? !this.#sort.descending : c.numeric === true };
          this.#renderTable();
          (this.#root.querySelector(`th[aria-sort]:not([aria-sort="none"]) button`) as HTMLButtonElement | null)?.focus();
        });
        th.append(b);
      } else {
        th.append(c.label);
      }
      head.append(th);
    }
    return h('table', { class: 'rows' }, h('caption', {}, 'Reconciliations per Deployment of the shard set'), h('thead', {}, head), body);
  }

  #renderTable(): void {
    const current = this.#current;
    if (!current) return;
    const sortColumn = COLUMNS.find((c) => c.key === this.#sort.key);
    const rows = sortBy(viewRows(current), sortColumn ? sortColumn.sort : null, this.#sort.descending);
    const body = h('tbody');
    for (const view of rows) {
      body.append(this.#row(view));
      if (this.#expanded.has(view.row.name)) body.append(this.#details(view));
    }
    const warnings = current.warnings.map((w) => h('li', {}, w));
    const warningList = warnings.length > 0 ? h('ul', { class: 'warnings', 'aria-label': 'Warnings' }, ...warnings) : '';
    this.#main.replaceChildren(this.#setStatus(current), this.#orphaned(current), this.#table(body, true), warningList);
  }

  /** The FluxShardSet's own state: its Ready condition, a generation its controller has not acted on yet, suspension, balance. */
  #setStatus(m: ShardMetrics): HTMLElement {
    const set = m.shardSet;
    const parts: Child[] = [];
    const ready = set.readyCondition;
    if (ready) {
      const ok = ready.status === 'True';
      parts.push(h('span', { class: `badge ${ok ? 'ok' : 'missing'}` }, ok ? 'Ready' : `Ready=${ready.status}`), ' ', h('span', { class: ok ? 'muted' : 'row-error' }, ready.message || ready.reason));
    } else {
      parts.push(h('span', { class: 'muted' }, 'no Ready condition yet'));
    }
    if (m.shardSetBehind) {
      parts.push(h('span', { class: 'lag' }, ` · generation ${set.generation}, observed ${set.observedGeneration ?? 'none'}: the shard set controller has not caught up`));
    }
    if (set.suspended) parts.push(h('span', { class: 'lag' }, ' · suspended'));
    if (m.source.kind === 'prometheus') {
      const gone = m.source.gonePods > 0 ? `, ${m.source.gonePods} pod(s) no longer running included` : '';
      parts.push(h('span', { class: 'muted source', title: m.source.queries.join('\n') }, ` · counts over the last ${m.source.window} from Prometheus${gone}`));
    }
    const skew = [
      m.balance.objects === null ? '' : `objects ${m.balance.objects.toFixed(1)}×`,
      m.balance.reconciliations === null ? '' : `reconciliations ${m.balance.reconciliations.toFixed(1)}×`,
    ].filter(Boolean);
    if (skew.length > 0) parts.push(h('span', { class: 'muted', title: 'the busiest shard over the mean; 1× is even' }, ` · balance: ${skew.join(', ')}`));
    return h('p', { class: 'set-status' }, ...parts);
  }

  /** Objects whose key names no shard: nobody reconciles them. */
  #orphaned(m: ShardMetrics): HTMLElement | string {
    if (m.orphaned.length === 0) return '';
    const total = m.orphaned.reduce((n, o) => n + o.count, 0);
    const items = m.orphaned.map((o) =>
      h(
        'li',
        {},
        h('code', {}, `${SHARD_KEY}=${o.key}`),
        `: ${o.count} (${Object.entries(o.byKind)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')}), e.g. ${o.examples.join(', ')}${o.count > o.examples.length ? ', …' : ''}`,
      ),
    );
    return h('div', { class: 'orphaned', role: 'note' }, h('strong', {}, `${total} object(s) reconciled by nobody`), ` — their ${SHARD_KEY} names no shard of this set:`, h('ul', {}, ...items));
  }

  #row(v: RowView): HTMLTableRowElement {
    const d = v.row;
    const expanded = this.#expanded.has(d.name);
    const tr = h('tr', { 'data-deployment': d.name, 'data-status': d.status, class: d.flags.map((f) => `flag-${f}`).join(' ') });
    const toggle = h('button', { type: 'button', class: 'expand', 'aria-expanded': String(expanded), 'aria-label': `Details of ${d.name}` }, expanded ? '▾' : '▸');
    toggle.addEventListener('click', () => {
      if (this.#expanded.has(d.name)) this.#expanded.delete(d.name);
      else this.#expanded.add(d.name);
      this.#renderTable();
      (this.#root.querySelector(`tr[data-deployment="${CSS.escape(d.name)}"] button.expand`) as HTMLButtonElement | null)?.focus();
    });
    const [first, ...rest] = columnsOf(COLUMNS, 'page');
    tr.append(h('th', { scope: 'row' }, toggle, ' ', first!.text(v)));
    for (const c of rest) {
      const title = c.title?.(v);
      tr.append(h('td', { class: [c.key, c.numeric ? 'num' : ''].join(' ').trim(), title: title || undefined }, ...cellOf(c, v)));
    }
    return tr;
  }

  #details(v: RowView): HTMLTableRowElement {
    const d = v.row;
    const kinds = simpleTable('Per controller kind', CONTROLLER_COLUMNS, d.byController, 'no controller_runtime_reconcile_total samples');
    const pods = simpleTable('Per pod', POD_COLUMNS, d.pods, 'no pods');
    if (d.pods.length > 0) for (const tr of pods.tBodies[0]!.rows) tr.classList.add('pod');
    const byKind = Object.entries(d.objects?.byKind ?? {});
    const objects = simpleTable('Objects assigned, per kind', OBJECT_COLUMNS, byKind, d.objects === null ? 'the objects could not be read' : 'no kinds');
    return h(
      'tr',
      { class: 'details', 'data-details-for': d.name },
      h(
        'td',
        { colspan: String(columnsOf(COLUMNS, 'page').length) },
        h('dl', { class: 'health' }, ...HEALTH.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value(d))])),
        h('div', { class: 'details-grid' }, kinds, objects, pods),
      ),
    );
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
