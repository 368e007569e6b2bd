// Loads the wasm module once, the same way in Node 20 and in browsers.
import initWasm from '../pkg/flux_shard_metrics.js';
import { describe } from './errors.js';

let ready: Promise<void> | undefined;
let initialized = false;

/** What `init` accepts: nothing (find the `.wasm` beside this file), a URL, bytes or a compiled module. */
export type InitInput = URL | string | Request | Response | BufferSource | WebAssembly.Module;

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/**
 * Loads the WebAssembly module. Call (and await) it once before anything else;
 * calling it again returns the same promise.
 *
 * In browsers and bundlers the `.wasm` is fetched from beside this module
 * (`new URL(…, import.meta.url)`); in Node it is read from disk.
 */
export function init(input?: InitInput): Promise<void> {
  ready ??= (async () => {
    let source: InitInput | undefined = input;
    if (source === undefined && isNode) {
      // Hidden from bundlers: only Node reaches this branch.
      const fs = 'node:fs/promises';
      const { readFile } = (await import(/* @vite-ignore */ fs)) as typeof import('node:fs/promises');
      source = await readFile(new URL('../pkg/flux_shard_metrics_bg.wasm', import.meta.url));
    }
    await initWasm(source === undefined ? undefined : { module_or_path: source });
    initialized = true;
  })().catch((error: unknown) => {
    ready = undefined;
    throw new Error(`flux-shard-metrics: could not load the WebAssembly module: ${describe(error)}`, { cause: error });
  });
  return ready;
}

/** Throws a clear error when `init()` has not finished. */
export function assertInitialized(caller: string): void {
  if (!initialized) {
    throw new Error(`flux-shard-metrics: call \`await init()\` before ${caller}()`);
  }
}
