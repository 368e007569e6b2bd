/**
 * flux-shard-metrics: Prometheus/OpenMetrics parsing and Flux shard metrics,
 * on a Rust core compiled to WebAssembly.
 *
 * ```ts
 * import { init, parseExposition } from 'flux-shard-metrics';
 * await init();
 * const { families, errors } = parseExposition(text, { format: 'prometheus' });
 * ```
 */
import { parseExpositionEncoded } from '../pkg/flux_shard_metrics.js';
import { parseEncodedWith } from './decode.js';
import { assertInitialized } from './wasm.js';
import type { Exposition } from './generated/Exposition.js';
import type { ParseOptions } from './decode.js';

export { init, type InitInput, type WasmSource } from './wasm.js';
export type { Exposition, Family, Sample, Exemplar, MetricType, ParseError, Format, ParseOptions } from './exposition-types.js';

/**
 * Parses a Prometheus or OpenMetrics exposition into plain objects.
 *
 * Never throws for bad input text: each line that does not parse is left out
 * and reported in `errors` with its line and column. Throws only for wrong
 * arguments (a non-string, an unknown format) or when `init()` was not awaited.
 */
export function parseExposition(text: string, options: ParseOptions = {}): Exposition {
  assertInitialized('parseExposition');
  return parseEncodedWith(parseExpositionEncoded, text, options.format);
}

export * from './cluster.js';
export { prometheusOption, WINDOWS } from './prometheus.js';
