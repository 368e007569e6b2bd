// Loads the wasm module once, the same way in Node 20 and in browsers.
import initWasm from '../pkg/flux_shard_metrics.js';
import { describe } from './errors.js';

let ready: Promise<void> | undefined;
let initialized = false;

/** Where the `.wasm` comes from: a URL (or path in Node), a fetch `Request`/`Response`, its bytes, or a compiled module. */
export type WasmSource = URL | string | Request | Response | BufferSource | WebAssembly.Module;

/**
 * What `init` accepts: nothing (the `.wasm` beside the package's code), or `{ wasm }` for an app that
 * serves or compiles the `.wasm` itself (`import wasmUrl from 'flux-shard-metrics/wasm?url'`). A bare
 * source is still accepted, as in earlier versions.
 */
export type InitInput = WasmSource | { wasm: WasmSource };

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** The package's `.wasm` when a bundler's dev server moved the code into its cache (Vite: `node_modules/.vite/deps/`). */
function besidePrebundledCode(): string | undefined {
  const moved = /\/node_modules\/\.vite\/deps(?:_[^/]*)?\/[^/]*$/;
  const here = import.meta.url.split(/[?#]/)[0]!;
  return moved.test(here) ? here.replace(moved, '/node_modules/flux-shard-metrics/pkg/flux_shard_metrics_bg.wasm') : undefined;
}

function sourceOf(input: InitInput | undefined): WasmSource | undefined {
  if (input !== null && typeof input === 'object' && Object.getPrototypeOf(input) === Object.prototype && 'wasm' in input) return input.wasm;
  return input as WasmSource | undefined;
}

/** Node cannot fetch `file:` URLs or paths: read them. Hidden from bundlers: only Node reaches this. */
async function readInNode(source: WasmSource | undefined): Promise<WasmSource | undefined> {
  const local =
    source === undefined
      ? new URL('../pkg/flux_shard_metrics_bg.wasm', import.meta.url)
      : source instanceof URL && source.protocol === 'file:'
        ? source
        : typeof source === 'string' && !/^(https?|data|blob):/.test(source)
          ? source
          : undefined;
  if (local === undefined) return source;
  const fs = 'node:fs/promises';
  const { readFile } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ fs)) as typeof import('node:fs/promises');
  return await readFile(local);
}

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
export function init(input?: InitInput): Promise<void> {
  ready ??= (async () => {
    let source = sourceOf(input);
    if (isNode) source = await readInNode(source);
    else if (source === undefined) source = besidePrebundledCode();
    await initWasm(source === undefined ? undefined : { module_or_path: source });
    initialized = true;
  })().catch((error: unknown) => {
    ready = undefined;
    // Not WebAssembly where the `.wasm` should be: typically an HTML page from a dev server's fallback.
    const moved =
      error instanceof WebAssembly.CompileError && sourceOf(input) === undefined
        ? " (what was fetched is not WebAssembly: the code was probably moved away from its .wasm by a bundler. With Vite, add `optimizeDeps: { exclude: ['flux-shard-metrics'] }` to vite.config; or serve the .wasm yourself and pass it: init({ wasm: url }))"
        : '';
    throw new Error(`flux-shard-metrics: could not load the WebAssembly module: ${describe(error)}${moved}`, { cause: error });
  });
  return ready;
}

/** Throws a clear error when `init()` has not finished. */
export function assertInitialized(caller: string): void {
  if (!initialized) {
    throw new Error(`flux-shard-metrics: call \`await init()\` before ${caller}()`);
  }
}
