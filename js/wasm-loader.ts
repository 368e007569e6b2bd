// Loads a wasm module once, the same way in Node 20 and in browsers. Each
// module names its glue and its `.wasm` (wasm.ts: the package's, every export;
// parse.ts: the parser's alone), so that an app importing one never bundles
// the other.
import { describe } from './errors.js';

/** Where the `.wasm` comes from: a URL (or path in Node), a fetch `Request`/`Response`, its bytes, or a compiled module. */
export type WasmSource = URL | string | Request | Response | BufferSource | WebAssembly.Module;

/**
 * What `init` accepts: nothing (the `.wasm` beside the package's code), or `{ wasm }` for an app that
 * serves or compiles the `.wasm` itself (`import wasmUrl from 'flux-shard-metrics/wasm?url'`). A bare
 * source is still accepted, as in earlier versions.
 */
export type InitInput = WasmSource | { wasm: WasmSource };

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** What a loader needs of its module: the glue's init, where its `.wasm` is beside the code, its path in the package. */
export interface WasmModule {
  glue: (input?: { module_or_path: WasmSource | Promise<WasmSource> }) => Promise<unknown>;
  /** `new URL('../pkg…/…_bg.wasm', import.meta.url)`, written where bundlers see it. */
  beside: () => URL;
  /** The `.wasm`'s path in the package (`pkg/flux_shard_metrics_bg.wasm`). */
  file: string;
}

/** Loads `module` once: `init` (awaited before anything else) and the check that it finished. */
export function wasmLoader(module: WasmModule): { init: (input?: InitInput) => Promise<void>; assertInitialized: (caller: string) => void } {
  let ready: Promise<void> | undefined;
  let initialized = false;

  /** The package's `.wasm` when a bundler's dev server moved the code into its cache (Vite: `node_modules/.vite/deps/`). */
  function besidePrebundledCode(): string | undefined {
    const moved = /\/node_modules\/\.vite\/deps(?:_[^/]*)?\/[^/]*$/;
    const here = import.meta.url.split(/[?#]/)[0]!;
    return moved.test(here) ? here.replace(moved, `/node_modules/flux-shard-metrics/${module.file}`) : undefined;
  }

  /** Node cannot fetch `file:` URLs or paths: read them. Hidden from bundlers: only Node reaches this. */
  async function readInNode(source: WasmSource | undefined): Promise<WasmSource | undefined> {
    const local =
      source === undefined ? module.beside() : source instanceof URL && source.protocol === 'file:' ? source : typeof source === 'string' && !/^(https?|data|blob):/.test(source) ? source : undefined;
    if (local === undefined) return source;
    const fs = 'node:fs/promises';
    const { readFile } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ fs)) as typeof import('node:fs/promises');
    return await readFile(local);
  }

  function init(input?: InitInput): Promise<void> {
    ready ??= (async () => {
      let source = sourceOf(input);
      if (isNode) source = await readInNode(source);
      else if (source === undefined) source = besidePrebundledCode();
      await module.glue(source === undefined ? undefined : { module_or_path: source });
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

  function assertInitialized(caller: string): void {
    if (!initialized) {
      throw new Error(`flux-shard-metrics: call \`await init()\` before ${caller}()`);
    }
  }

  return { init, assertInitialized };
}

function sourceOf(input: InitInput | undefined): WasmSource | undefined {
  if (input !== null && typeof input === 'object' && Object.getPrototypeOf(input) === Object.prototype && 'wasm' in input) return input.wasm;
  return input as WasmSource | undefined;
}
