// The trend chart's geometry and words (js/trend-chart.ts), without the DOM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trendChart, CHART_WIDTH, CHART_HEIGHT } from '../../dist/trend-chart.js';

const T0 = Date.UTC(2026, 11, 1, 8, 0, 0);
const point = (minute, rpm, epm = 0) => ({ at: T0 + minute * 60_000, reconciliationsPerMinute: rpm, errorsPerMinute: epm });

test('fewer than two points: nothing to draw', () => {
  assert.equal(trendChart(null), null);
  assert.equal(trendChart({ source: 'reads', stepSeconds: null, starts: [], points: [point(0, 5)] }), null);
});

test('two lines scaled to the highest value, inside the box; a point per read with its time and values', () => {
  const c = trendChart({ source: 'reads', stepSeconds: null, starts: [], points: [point(0, 0), point(1, 10, 2), point(2, 5)] });
  assert.equal(c.line, `2,${CHART_HEIGHT - 2} ${CHART_WIDTH / 2},2 ${CHART_WIDTH - 2},12`);
  assert.equal(c.errors, `2,22 48,18 94,22`);
  assert.deepEqual(
    c.points.map((p) => p.label),
    ['08:00:00: 0/min, errors 0/min', '08:01:00: 10/min, errors 2.0/min', '08:02:00: 5.0/min, errors 0/min'],
  );
  assert.equal(c.label, 'Reconciliations per minute over 3 reads, 08:00:00 to 08:02:00: from 0/min to 5.0/min, highest 10/min; errors per minute up to 2.0/min');
});

test('restarts within the span are marked and said; all zero lies on the floor', () => {
  const c = trendChart({ source: 'prometheus', stepSeconds: 60, starts: [T0 - 3_600_000, T0 + 60_000], points: [point(0, 0), point(2, 0)] });
  assert.deepEqual(c.restarts, [CHART_WIDTH / 2]);
  assert.equal(c.line, `2,22 94,22`);
  assert.equal(c.errors, '');
  assert.match(c.label, /over the Prometheus window, 2 steps/);
  assert.match(c.label, /errors per minute up to none; 1 restart\(s\), at 08:01:00$/);
});
