// The toolbar above the view: the shard group's name, Pause/Resume, the
// interval, Refresh now, the window (with Prometheus), the downloads, and when
// the view was last updated (or that the last refresh failed).
import { opensGroup, type ViewState } from '../view-controller.js';
import { WINDOWS } from '../prometheus.js';
import { describe } from '../errors.js';
import { DEFAULT_WINDOW } from '../generated/defaults.js';
import type { ViewActions } from './actions.js';
import { renderDownloads } from './download.js';
import { h, nodes, type Child } from './dom.js';

/** The intervals offered; another one set by the attribute is offered too. */
export const REFRESH_CHOICES = [2, 5, 10, 30, 60];

export function renderToolbar(state: Readonly<ViewState>, actions: ViewActions): Node[] {
  const { settings, metrics, error, paused } = state;
  const parts: Child[] = [];
  if (opensGroup(settings)) {
    parts.push(h('strong', { class: 'title' }, `${settings.namespace}/${settings.shardset || settings.controller}`));
    const pause = h('button', { type: 'button', class: 'pause', 'aria-pressed': String(paused) }, paused ? 'Resume' : 'Pause');
    pause.addEventListener('click', () => actions.togglePause());
    const now = h('button', { type: 'button', class: 'refresh' }, 'Refresh now');
    now.addEventListener('click', () => actions.refresh());
    parts.push(pause, intervalSelector(settings.refreshSeconds, actions), now);
    if (settings.prometheus) parts.push(windowSelector(settings.window || DEFAULT_WINDOW, actions));
    if (metrics) parts.push(...renderDownloads(metrics));
  }
  const updated = metrics ? `Updated ${new Date(metrics.readAt).toLocaleTimeString()}` : '';
  const stale = error !== undefined && metrics ? ` · last refresh failed: ${describe(error)}` : '';
  parts.push(h('span', { class: 'updated' + (stale ? ' stale' : '') }, updated + stale));
  return nodes(parts);
}

function intervalSelector(seconds: number, actions: ViewActions): HTMLSelectElement {
  const select = h('select', { class: 'interval', 'aria-label': 'Refresh interval' });
  for (const s of REFRESH_CHOICES) {
    const o = h('option', { value: String(s) }, `every ${s} s`);
    if (s === seconds) o.selected = true;
    select.append(o);
  }
  if (!REFRESH_CHOICES.includes(seconds)) select.prepend(h('option', { value: String(seconds), selected: '' }, `every ${seconds} s`));
  select.addEventListener('change', () => actions.setRefresh(select.value));
  return select;
}

/** The window of the counts, with Prometheus as the source. */
function windowSelector(current: string, actions: ViewActions): HTMLSelectElement {
  const select = h('select', { class: 'window', 'aria-label': 'Window of the counts' });
  const choices: readonly string[] = WINDOWS.includes(current as (typeof WINDOWS)[number]) ? WINDOWS : [current, ...WINDOWS];
  for (const w of choices) {
    const o = h('option', { value: w }, `last ${w}`);
    if (w === current) o.selected = true;
    select.append(o);
  }
  select.addEventListener('change', () => actions.setWindow(select.value));
  return select;
}
