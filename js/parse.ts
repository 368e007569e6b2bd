/**
 * `flux-shard-metrics/parse`: the Prometheus/OpenMetrics parser alone, on its own
 * wasm module (pkg-parse/, a fraction of the package's: it holds no cluster
 * reading). An app that only parses imports this, and never loads or bundles
 * the package's module; the results are the same as `parseExposition` of
 * `flux-shard-metrics` (tested on every fixture).
 *
 * ```ts
 * import { init, parseExposition } from 'flux-shard-metrics/parse';
 * await init();
 * const { families, errors } = parseExposition(text, { format: 'openmetrics' });
 * ```
 */
import initWasm, { parseExpositionEncoded } from '../pkg-parse/flux_shard_metrics_parse.js';
import { parseEncodedWith, type ParseOptions } from './decode.js';
import { wasmLoader, type InitInput } from './wasm-loader.js';
import type { Exposition } from './generated/Exposition.js';

export type { InitInput, WasmSource } from './wasm-loader.js';
export type { Exposition, Family, Sample, Exemplar, MetricType, ParseError, Format, ParseOptions } from './exposition-types.js';

const parser = wasmLoader({
  glue: initWasm,
  beside: () => new URL('../pkg-parse/flux_shard_metrics_parse_bg.wasm', import.meta.url),
  file: 'pkg-parse/flux_shard_metrics_parse_bg.wasm',
});

/**
 * Loads the parser's WebAssembly module: once, before `parseExposition`. In browsers and bundlers its
 * `.wasm` is fetched from beside this module, in Node read from disk; an app that serves it passes it
 * (`import wasm from 'flux-shard-metrics/parse-wasm?url'; await init({ wasm })`).
 */
export const init: (input?: InitInput) => Promise<void> = parser.init;

/**
 * Parses a Prometheus or OpenMetrics exposition into plain objects, as `parseExposition` of
 * `flux-shard-metrics` does. Never throws for bad input text: each line that does not parse is left
 * out and reported in `errors` with its line and column. Throws only for wrong arguments or when
 * `init()` was not awaited.
 */
export function parseExposition(text: string, options: ParseOptions = {}): Exposition {
  parser.assertInitialized('parseExposition');
  return parseEncodedWith(parseExpositionEncoded, text, options.format);
}
