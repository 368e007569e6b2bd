/**
 * `<flux-shard-metrics namespace="…" shardset="…" api-base="…">`: the shard
 * metrics view as a custom element, registered by importing
 * `flux-shard-metrics/element`. Without `shardset` it lists the shard sets to
 * choose from and fires `flux-shard-metrics-select`.
 *
 * Everything that comes from the cluster is set as text (`textContent`),
 * never parsed as markup. Styles are a constructable stylesheet, so a page
 * with a strict Content-Security-Policy needs no inline styles. Only GET
 * requests are sent.
 */
import { init, getShardMetrics, listShardSets, type ConnectionOptions, type ShardMetrics, type ShardSetSummary } from './index.js';
import { formatCount, formatRate, formatRatio, sortRows, viewRows, type RowView, type SortKey } from './view-model.js';
import { STYLES } from './element-styles.js';
import { describe } from './errors.js';

const DEFAULT_REFRESH_SECONDS = 10;
const REFRESH_CHOICES = [2, 5, 10, 30, 60];

type Child = Node | string | null | undefined | false;

/** Creates an element; strings become text nodes, so nothing is ever parsed as HTML. */
function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

interface Column {
  key: SortKey;
  label: string;
  numeric?: boolean;
}

const COLUMNS: Column[] = [
  { key: 'name', label: 'Controller' },
  { key: 'role', label: 'Role' },
  { key: 'reconciliations', label: 'Reconciliations', numeric: true },
  { key: 'errors', label: 'Errors', numeric: true },
  { key: 'errorRatio', label: 'Error ratio', numeric: true },
  { key: 'rate', label: 'Rate', numeric: true },
  { key: 'share', label: 'Share' },
  { key: 'pods', label: 'Pods' },
  { key: 'status', label: 'Status' },
];

const FLAG_TEXT: Record<string, string> = {
  idle: 'idle',
  erroring: 'erroring',
  unreachable: 'unreachable',
  missing: 'missing',
};

let sheet: CSSStyleSheet | undefined;

export class FluxShardMetricsElement extends HTMLElement {
  static observedAttributes = ['namespace', 'shardset', 'api-base', 'refresh', 'theme'];

  #fetchOptions: Omit<ConnectionOptions, 'server'> = {};

  /** Extra connection options (headers, credentials, timeoutMs…) for embedders; setting them reloads. */
  get fetchOptions(): Omit<ConnectionOptions, 'server'> {
    return this.#fetchOptions;
  }

  set fetchOptions(value: Omit<ConnectionOptions, 'server'>) {
    this.#fetchOptions = { ...value };
    if (this.isConnected) this.#restart();
  }

  #root: ShadowRoot;
  #main: HTMLElement;
  #status: HTMLElement;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #paused = false;
  #generation = 0;
  #previous: { metrics: ShardMetrics; at: number } | undefined;
  #current: { metrics: ShardMetrics; at: number } | undefined;
  #sort: { key: SortKey | null; descending: boolean } = { key: null, descending: false };
  #expanded = new Set<string>();
  #skeleton: ShardSetSummary | undefined;
  #error: string | undefined;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    sheet ??= (() => {
      const s = new CSSStyleSheet();
      s.replaceSync(STYLES);
      return s;
    })();
    this.#root.adoptedStyleSheets = [sheet];
    this.#status = h('div', { class: 'toolbar', role: 'status', 'aria-live': 'polite' });
    this.#main = h('div', { class: 'main' });
    this.#root.append(this.#status, this.#main);
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

  get #refreshSeconds(): number {
    const n = Number(this.getAttribute('refresh') ?? DEFAULT_REFRESH_SECONDS);
    return Number.isFinite(n) && n >= 1 ? n : DEFAULT_REFRESH_SECONDS;
  }

  get #connection(): ConnectionOptions {
    return { ...this.#fetchOptions, server: this.getAttribute('api-base') ?? '' };
  }

  /** Reloads now (also what the Refresh button does). */
  refresh(): Promise<void> {
    return this.#load();
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#generation++;
  }

  #restart(): void {
    this.#stop();
    this.#previous = undefined;
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
    if (this.#paused || !this.isConnected || !this.getAttribute('shardset')) return;
    this.#timer = setTimeout(() => void this.#load(), this.#refreshSeconds * 1000);
  }

  async #load(): Promise<void> {
    const generation = ++this.#generation;
    const namespace = this.getAttribute('namespace') ?? '';
    const shardset = this.getAttribute('shardset');
    try {
      await init();
      if (!shardset) {
        const sets = await listShardSets(namespace ? { ...this.#connection, namespace } : this.#connection);
        if (generation !== this.#generation) return;
        this.#renderChooser(sets, namespace);
        return;
      }
      if (!namespace) throw new Error('the namespace attribute is required with shardset (for the page: ?namespace=NS&shardset=NAME)');
      if (this.#current === undefined && this.#skeleton === undefined) {
        // One quick call so each row can show its own loading state.
        const sets = await listShardSets({ ...this.#connection, namespace }).catch(() => []);
        if (generation !== this.#generation) return;
        this.#skeleton = sets.find((s) => s.name === shardset);
        if (this.#skeleton) this.#renderSkeleton(this.#skeleton);
      }
      const metrics = await getShardMetrics({ ...this.#connection, namespace, name: shardset });
      if (generation !== this.#generation) return;
      this.#previous = this.#current;
      this.#current = { metrics, at: Date.now() };
      this.#error = undefined;
      this.#renderTable();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#error = describe(error);
      if (this.#current === undefined) this.#renderError(this.#error);
    } finally {
      if (generation === this.#generation) {
        this.#renderToolbar();
        this.#schedule();
      }
    }
  }

  // ----- rendering ---------------------------------------------------------

  #renderToolbar(): void {
    const shardset = this.getAttribute('shardset');
    const parts: Child[] = [];
    if (shardset) {
      parts.push(h('strong', { class: 'title' }, `${this.getAttribute('namespace') ?? ''}/${shardset}`));
      const pause = h('button', { type: 'button', class: 'pause', 'aria-pressed': String(this.#paused) }, this.#paused ? 'Resume' : 'Pause');
      pause.addEventListener('click', () => {
        this.#paused = !this.#paused;
        this.#schedule();
        this.#renderToolbar();
      });
      const select = h('select', { class: 'interval', 'aria-label': 'Refresh interval' });
      for (const s of REFRESH_CHOICES) {
        const o = h('option', { value: String(s) }, `every ${s} s`);
        if (s === this.#refreshSeconds) o.selected = true;
        select.append(o);
      }
      if (!REFRESH_CHOICES.includes(this.#refreshSeconds)) select.prepend(h('option', { value: String(this.#refreshSeconds), selected: '' }, `every ${this.#refreshSeconds} s`));
      select.addEventListener('change', () => this.setAttribute('refresh', select.value));
      const now = h('button', { type: 'button', class: 'refresh' }, 'Refresh now');
      now.addEventListener('click', () => void this.refresh());
      parts.push(pause, select, now);
    }
    const updated = this.#current ? `Updated ${new Date(this.#current.at).toLocaleTimeString()}` : '';
    const stale = this.#error && this.#current ? ` · last refresh failed: ${this.#error}` : '';
    parts.push(h('span', { class: 'updated' + (stale ? ' stale' : '') }, updated + stale));
    this.#status.replaceChildren(...parts.filter((p): p is Node => p instanceof Node));
  }

  #renderError(message: string): void {
    const hint = /HTTP 403/.test(message)
      ? 'Ask for the missing permission named above (the README lists a minimal Role), or use an account that has it.'
      : /cannot reach|Failed to fetch|NetworkError/.test(message)
        ? 'Check that `kubectl proxy` (or the UI backend) is running and that api-base points at it.'
        : /does not exist/.test(message)
          ? 'Check the namespace and the name, or open the page without ?shardset= to choose from the list.'
          : null;
    this.#main.replaceChildren(h('div', { class: 'error-state', role: 'alert' }, h('p', { class: 'error-title' }, 'Cannot show shard metrics'), h('p', { class: 'message' }, message), hint && h('p', { class: 'hint' }, hint)));
  }

  #renderChooser(sets: ShardSetSummary[], namespace: string): void {
    if (sets.length === 0) {
      this.#main.replaceChildren(
        h('div', { class: 'empty-state' }, h('p', {}, namespace ? `No FluxShardSets in namespace ${namespace}.` : 'No FluxShardSets in any namespace.'), h('p', { class: 'hint' }, 'Create one with the flux-shard-controller, or open another namespace with ?namespace=NS.')),
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
    const names = [set.sourceDeployment, ...set.shards.map((s) => `${set.sourceDeployment}-${s}`)];
    const body = h('tbody');
    for (const name of names) {
      const tr = h('tr', { class: 'loading', 'data-deployment': name }, h('th', { scope: 'row' }, name));
      tr.append(h('td', { colspan: String(COLUMNS.length - 1), class: 'muted' }, 'loading…'));
      body.append(tr);
    }
    this.#main.replaceChildren(this.#table(body, false));
  }

  #table(body: HTMLTableSectionElement, sortable: boolean): HTMLTableElement {
    const head = h('tr');
    for (const c of COLUMNS) {
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
    return h('table', {}, h('caption', {}, 'Reconciliations per Deployment of the shard set'), h('thead', {}, head), body);
  }

  #renderTable(): void {
    const current = this.#current;
    if (!current) return;
    const seconds = this.#previous ? (current.at - this.#previous.at) / 1000 : 0;
    const rows = sortRows(viewRows(current.metrics, this.#previous?.metrics, seconds), this.#sort.key, this.#sort.descending);
    const body = h('tbody');
    for (const view of rows) {
      body.append(this.#row(view));
      if (this.#expanded.has(view.row.name)) body.append(this.#details(view));
    }
    const warnings = current.metrics.warnings.map((w) => h('li', {}, w));
    const warningList = warnings.length > 0 ? h('ul', { class: 'warnings', 'aria-label': 'Warnings' }, ...warnings) : '';
    this.#main.replaceChildren(this.#table(body, true), warningList);
  }

  #row(v: RowView): HTMLTableRowElement {
    const d = v.row;
    const expanded = this.#expanded.has(d.name);
    const tr = h('tr', { 'data-deployment': d.name, class: v.flags.map((f) => `flag-${f}`).join(' ') });
    const toggle = h('button', { type: 'button', class: 'expand', 'aria-expanded': String(expanded), 'aria-label': `Details of ${d.name}` }, expanded ? '▾' : '▸');
    toggle.addEventListener('click', () => {
      if (this.#expanded.has(d.name)) this.#expanded.delete(d.name);
      else this.#expanded.add(d.name);
      this.#renderTable();
      (this.#root.querySelector(`tr[data-deployment="${CSS.escape(d.name)}"] button.expand`) as HTMLButtonElement | null)?.focus();
    });
    tr.append(h('th', { scope: 'row' }, toggle, ' ', d.name));
    tr.append(h('td', { class: 'role' }, d.role === 'source' ? 'source' : (d.shard ?? '')));
    tr.append(h('td', { class: 'num reconciliations' }, formatCount(d.reconciliations)));
    tr.append(h('td', { class: 'num errors' }, formatCount(d.errors)));
    tr.append(h('td', { class: 'num ratio' }, formatRatio(v.errorRatio)));
    tr.append(h('td', { class: 'num rate', title: v.restarted ? 'a counter went down since the last refresh: a restart' : '' }, formatRate(v.ratePerMinute), v.restarted ? ' ↺' : ''));
    const bar = h('span', { class: 'bar' });
    bar.style.width = `${(v.share * 100).toFixed(1)}%`;
    tr.append(h('td', { class: 'share' }, h('span', { class: 'track', role: 'img', 'aria-label': `${(v.share * 100).toFixed(1)}% of the shard set's reconciliations` }, bar), h('span', { class: 'pct' }, `${(v.share * 100).toFixed(0)}%`)));
    const leader = v.leader ? h('span', { class: 'muted' }, ` · leader ${v.leader.slice(d.name.length + 1) || v.leader}`) : null;
    tr.append(h('td', { class: 'pods' }, `${v.readyPods}/${v.totalPods}`, leader));
    const status = h('td', { class: 'status' });
    for (const f of v.flags) status.append(h('span', { class: `badge ${f}` }, FLAG_TEXT[f] ?? f), ' ');
    if (v.flags.length === 0) status.append(h('span', { class: 'badge ok' }, 'ok'));
    if (d.error) status.append(h('div', { class: 'row-error' }, d.error));
    tr.append(status);
    return tr;
  }

  #details(v: RowView): HTMLTableRowElement {
    const d = v.row;
    const kinds = h('table', { class: 'inner' }, h('caption', {}, 'Per controller kind'), h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Controller'), h('th', { scope: 'col', class: 'num' }, 'Reconciliations'), h('th', { scope: 'col', class: 'num' }, 'Errors'))));
    const kb = h('tbody');
    for (const c of d.byController) kb.append(h('tr', {}, h('td', { class: 'kind' }, c.controller), h('td', { class: 'num' }, formatCount(c.reconciliations)), h('td', { class: 'num' }, formatCount(c.errors))));
    if (d.byController.length === 0) kb.append(h('tr', {}, h('td', { colspan: '3', class: 'muted' }, 'no controller_runtime_reconcile_total samples')));
    kinds.append(kb);
    const pods = h('table', { class: 'inner' }, h('caption', {}, 'Per pod'), h('thead', {}, h('tr', {}, ...['Pod', 'Phase', 'Ready', 'Leader', 'Started', 'Restarts', 'Reconciliations', 'Errors', 'Problem'].map((t, i) => h('th', { scope: 'col', class: i >= 5 && i <= 7 ? 'num' : undefined }, t)))));
    const pb = h('tbody');
    for (const p of d.pods) {
      pb.append(
        h(
          'tr',
          { class: 'pod' },
          h('td', {}, p.name),
          h('td', {}, p.phase),
          h('td', {}, p.ready ? 'yes' : 'no'),
          h('td', {}, p.leader === null ? '–' : p.leader ? 'leader' : 'standby'),
          h('td', {}, p.startTime === null ? '–' : new Date(p.startTime * 1000).toLocaleString()),
          h('td', { class: 'num' }, String(p.restarts)),
          h('td', { class: 'num' }, p.scraped ? formatCount(p.reconciliations) : '–'),
          h('td', { class: 'num' }, p.scraped ? formatCount(p.errors) : '–'),
          h('td', { class: 'row-error' }, p.error ?? ''),
        ),
      );
    }
    if (d.pods.length === 0) pb.append(h('tr', {}, h('td', { colspan: '9', class: 'muted' }, 'no pods')));
    pods.append(pb);
    return h('tr', { class: 'details', 'data-details-for': d.name }, h('td', { colspan: String(COLUMNS.length) }, h('div', { class: 'details-grid' }, kinds, pods)));
  }
}

if (typeof customElements !== 'undefined' && !customElements.get('flux-shard-metrics')) {
  customElements.define('flux-shard-metrics', FluxShardMetricsElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'flux-shard-metrics': FluxShardMetricsElement;
  }
}
