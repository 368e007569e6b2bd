// The package's wasm module (pkg/: every export), loaded once.
import initWasm from '../pkg/flux_shard_metrics.js';
import { wasmLoader, type InitInput } from './wasm-loader.js';

export type { InitInput, WasmSource } from './wasm-loader.js';

const whole = wasmLoader({
  glue: initWasm,
  beside: () => new URL('../pkg/flux_shard_metrics_bg.wasm', import.meta.url),
  file: 'pkg/flux_shard_metrics_bg.wasm',
});

/**
 * Loads the WebAssembly module. Call (and await) it once before anything else;
 * calling it again returns the same promise.
 *
 * In browsers and bundlers the `.wasm` is fetched from beside this module
 * (`new URL(…, import.meta.url)`, which Vite and webpack follow); in Node it
 * is read from disk. An app that serves the file itself passes it:
 *
 * ```js
 * import wasm from 'flux-shard-metrics/wasm?url'; // Vite; webpack: new URL('flux-shard-metrics/wasm', import.meta.url)
 * await init({ wasm });
 * ```
 */
export const init: (input?: InitInput) => Promise<void> = whole.init;

/** Throws a clear error when `init()` has not finished. */
export const assertInitialized: (caller: string) => void = whole.assertInitialized;
