// The element's shadow root: the toolbar and the main area, drawn from the
// view controller's state on each change (only the toolbar when only it
// changed), with the stylesheet adopted (a strict CSP allows no inline styles).
// After a sort or an expand, and when the toolbar is drawn again, the focus
// goes back to the control that had it, since its part is drawn anew.
import { opensGroup, type Change, type ViewState } from '../view-controller.js';
import type { RowView } from '../view-model.js';
import type { ViewActions } from './actions.js';
import { renderChooser } from './chooser.js';
import { h, nodes } from './dom.js';
import { renderGroup, renderOrphaned, renderOverlaps, renderSetStatus, renderSplitDependencies, renderWarnings } from './header.js';
import { renderShares } from './shares.js';
import { renderError, renderLoading } from './states.js';
import { STYLES } from './styles.js';
import { renderSkeleton, renderTable } from './table.js';
import { renderToolbar } from './toolbar.js';

let sheet: CSSStyleSheet | undefined;

/** The stylesheet, made once and shared by every element. */
function styles(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
  }
  return sheet;
}

export class View {
  readonly #root: ShadowRoot;
  readonly #toolbar: HTMLElement;
  readonly #main: HTMLElement;
  readonly #actions: ViewActions;

  constructor(root: ShadowRoot, actions: ViewActions) {
    this.#root = root;
    root.adoptedStyleSheets = [styles()];
    this.#toolbar = h('div', { class: 'toolbar', role: 'status', 'aria-live': 'polite' });
    this.#main = h('div', { class: 'main' });
    root.append(this.#toolbar, this.#main);
    this.#actions = {
      ...actions,
      sortBy: (key) => {
        actions.sortBy(key);
        this.#focus('th[aria-sort]:not([aria-sort="none"]) button');
      },
      toggleRow: (name) => {
        actions.toggleRow(name);
        this.#focus(`tr[data-deployment="${CSS.escape(name)}"] button.expand`);
      },
    };
  }

  /** Draws `state`: the toolbar always, the main area (with `rows()`, sorted) unless only the toolbar changed. */
  render(state: Readonly<ViewState>, rows: () => readonly RowView[], change: Change): void {
    // A control of the toolbar keeps the focus when the toolbar is drawn again (Pause, the interval, …).
    const focused = this.#root.activeElement;
    const control = focused && this.#toolbar.contains(focused) ? focused.getAttribute('class') : null;
    this.#toolbar.replaceChildren(...renderToolbar(state, this.#actions));
    if (control) this.#focus(`.toolbar [class="${CSS.escape(control)}"]`);
    if (change === 'all') this.#main.replaceChildren(...this.#mainOf(state, rows));
  }

  #mainOf(state: Readonly<ViewState>, rows: () => readonly RowView[]): Node[] {
    switch (state.phase) {
      case 'idle':
        return [];
      case 'loading':
        return state.skeleton ? [renderSkeleton(state.skeleton, state.sort)] : renderLoading();
      case 'failed':
        return renderError(state.error);
      case 'shown': {
        if (!opensGroup(state.settings)) return renderChooser(state.groups ?? [], state.settings.namespace, this.#actions);
        const m = state.metrics;
        if (!m) return [];
        return nodes([
          renderGroup(m),
          renderSetStatus(m),
          renderOrphaned(m),
          renderOverlaps(m),
          renderSplitDependencies(m),
          renderTable(rows(), state.sort, state.expanded, this.#actions),
          renderShares(m, rows()),
          renderWarnings(m),
        ]);
      }
    }
  }

  #focus(selector: string): void {
    (this.#root.querySelector(selector) as HTMLElement | null)?.focus();
  }
}
