// A row's details, shown below it when expanded: its health (the selector it
// watches, the artifact server it advertises), per controller kind, its objects
// per kind, its pods; and the columns a narrow window hides from the table
// (render/narrow.ts). The columns come from columns.ts. Its content scrolls
// sideways within the row rather than widening the table.
import { CONTROLLER_COLUMNS, HEALTH, OBJECT_COLUMNS, POD_COLUMNS } from '../columns.js';
import type { RowView } from '../view-model.js';
import { h, simpleTable } from './dom.js';
import { hiddenColumnsOf } from './narrow.js';

/** The details row of `v`, spanning `columns` cells. */
export function renderDetails(v: RowView, columns: number): HTMLTableRowElement {
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
      { colspan: String(columns) },
      h(
        'div',
        // A region that may scroll sideways: focusable, so a keyboard can scroll it.
        { class: 'details-body', tabindex: '0', role: 'region', 'aria-label': `Details of ${d.name}` },
        h(
          'dl',
          { class: 'health' },
          ...hiddenColumnsOf(v),
          ...HEALTH.flatMap(([label, value]) => {
            const text = value(d);
            return text === null ? [] : [h('dt', {}, label), h('dd', {}, text)];
          }),
        ),
        h('div', { class: 'details-grid' }, kinds, objects, pods),
      ),
    ),
  );
}
