// A row's details, shown below it when expanded: its health (the selector it
// watches, the artifact server it advertises), per controller kind, its objects
// per kind, its pods. The columns come from columns.ts.
import { CONTROLLER_COLUMNS, HEALTH, OBJECT_COLUMNS, POD_COLUMNS } from '../columns.js';
import type { RowView } from '../view-model.js';
import { h, simpleTable } from './dom.js';

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
        'dl',
        { class: 'health' },
        ...HEALTH.flatMap(([label, value]) => {
          const text = value(d);
          return text === null ? [] : [h('dt', {}, label), h('dd', {}, text)];
        }),
      ),
      h('div', { class: 'details-grid' }, kinds, objects, pods),
    ),
  );
}
