// `--prometheus LOCATION [--window W] [--prometheus-label KEY=NAME]… [--prometheus-cluster C]`
// as the `prometheus` option of the JS API (checked by the core).
import type { PrometheusOptions } from '../cluster.js';
import { UsageError } from '../errors.js';
import { prometheusOption } from '../prometheus.js';

export const PROMETHEUS_FLAGS = {
  prometheus: { type: 'string' },
  window: { type: 'string' },
  'prometheus-label': { type: 'string', multiple: true },
  'prometheus-cluster': { type: 'string' },
} as const;

export interface PrometheusFlags {
  prometheus?: string | undefined;
  window?: string | undefined;
  'prometheus-label'?: string[] | undefined;
  'prometheus-cluster'?: string | undefined;
}

/** `{ prometheus }` from the flags, or `{}` without --prometheus (where the other flags are a usage error). */
export function prometheusFromFlags(values: PrometheusFlags): { prometheus?: PrometheusOptions } {
  if (values.prometheus === undefined) {
    const stray = values.window !== undefined ? '--window' : values['prometheus-label'] ? '--prometheus-label' : values['prometheus-cluster'] !== undefined ? '--prometheus-cluster' : null;
    if (stray) throw new UsageError(`${stray} goes with --prometheus`);
    return {};
  }
  const option = prometheusOption(values.prometheus, values.window);
  for (const pair of values['prometheus-label'] ?? []) {
    const [key, name] = pair.split('=', 2);
    if (!key || !name) throw new UsageError(`--prometheus-label must be KEY=LABEL (e.g. namespace=exported_namespace), got '${pair}'`);
    option.labels = { ...option.labels, [key]: name };
  }
  if (values['prometheus-cluster'] !== undefined) option.cluster = values['prometheus-cluster'];
  return { prometheus: option };
}
