// The `prometheus` option from the one string a user writes (CLI flag, element
// attribute, page URL): a URL (`http://…`, `https://…`, `/prefix`) or a Service
// `NAMESPACE/NAME:PORT` reached through the API server. The core checks both.
import type { PrometheusOptions } from './cluster.js';
import { URL_PREFIXES } from './generated/defaults.js';

/** Windows offered by the page and the element (any PromQL duration is accepted). */
export const WINDOWS = ['5m', '1h', '24h', '7d'] as const;

/** `{ url }` or `{ service }` from what a user wrote, with the window when given. */
export function prometheusOption(location: string, window?: string | null): PrometheusOptions {
  const where = URL_PREFIXES.some((p) => location.startsWith(p)) ? { url: location } : { service: location };
  return window ? { ...where, window } : where;
}
