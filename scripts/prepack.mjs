#!/usr/bin/env node
// `npm pack` / `npm publish` run this first. The package is built output (the
// wasm, the TypeScript, the page): when it is missing or older than its
// sources, build it; when the build cannot run here, stop with what to do,
// rather than pack a package without its code.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const OUTPUTS = [
  'dist/index.js',
  'dist/element.js',
  'dist/cli.js',
  'pkg/flux_shard_metrics_bg.wasm',
  'pkg/flux_shard_metrics.js',
  'pkg-parse/flux_shard_metrics_parse_bg.wasm',
  'dist/parse.js',
  'www/dist/index.html',
];
const SOURCES = ['src', 'js', 'www/main.ts', 'www/index.html', 'www/style.css', 'Cargo.toml', 'Cargo.lock'];

/** The newest modification time under `path` (a file or a folder). */
function newest(path) {
  const full = join(root, path);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(full).map((name) => newest(join(path, name))));
}

const missing = OUTPUTS.filter((o) => !existsSync(join(root, o)));
const oldest = missing.length ? 0 : Math.min(...OUTPUTS.map((o) => statSync(join(root, o)).mtimeMs));
const changed = SOURCES.filter((s) => newest(s) > oldest);
if (missing.length === 0 && changed.length === 0) {
  console.log('prepack: the build is up to date');
  process.exit(0);
}
console.log(`prepack: building (${missing.length ? `missing: ${missing.join(', ')}` : `changed since the last build: ${changed.join(', ')}`})`);
const cargo = spawnSync('cargo', ['--version'], { stdio: 'ignore' });
if (cargo.error || cargo.status !== 0) {
  console.error(
    'prepack: cannot pack: the package is built from Rust and TypeScript, and cargo is not on PATH.\n' +
      'Install the toolchain with `npm run setup` (rustup, the wasm32 target, wasm-bindgen-cli), then run `npm pack` again.',
  );
  process.exit(1);
}
const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('prepack: cannot pack: `npm run build` failed (see above); nothing was packed.');
  process.exit(1);
}
const still = OUTPUTS.filter((o) => !existsSync(join(root, o)));
if (still.length) {
  console.error(`prepack: cannot pack: the build did not produce ${still.join(', ')}`);
  process.exit(1);
}
