// The rooms of js/ and what each may import (ARCHITECTURE.md, "The JS side"), read from the import
// statements of every TypeScript file, as tests/layers.rs does for the core: a file in no room, an
// import across a wall, `node:` outside the CLI, a DOM global where Node tests run the code, or markup
// parsed anywhere fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const js = fileURLToPath(new URL('../../js/', import.meta.url));
const files = readdirSync(js, { recursive: true })
  .map((f) => f.split('\\').join('/'))
  .filter((f) => f.endsWith('.ts'))
  .sort();

/** The room of a file of js/, or undefined. */
function roomOf(file) {
  if (file.startsWith('generated/')) return 'generated';
  if (['index.ts', 'parse.ts', 'exposition-types.ts', 'cluster.ts', 'wasm.ts', 'wasm-loader.ts', 'decode.ts'].includes(file)) return 'data';
  if (['errors.ts', 'prometheus.ts'].includes(file)) return 'shared';
  if (['columns.ts', 'view-model.ts', 'export.ts', 'view-controller.ts', 'trend-chart.ts'].includes(file)) return 'view';
  if (file.startsWith('render/')) return 'render';
  if (file === 'element.ts') return 'element';
  if (file === 'cli.ts' || file.startsWith('cli/')) return 'cli';
  return undefined;
}

/** Whose values each room may import (types may come from anywhere). */
const MAY_USE = {
  generated: ['generated'],
  shared: ['shared', 'generated'],
  data: ['data', 'shared', 'generated'],
  view: ['view', 'shared', 'generated'],
  render: ['render', 'view', 'shared', 'generated'],
  element: ['data', 'view', 'render', 'generated'],
  cli: ['cli', 'data', 'view', 'shared', 'generated'],
};

/** The static imports of a file: `{ from, typeOnly }`. */
function importsOf(text) {
  const out = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?([^;'"]*?)\s*from\s+['"]([^'"]+)['"]/gms)) {
    const names = /\{([^}]*)\}/.exec(m[2])?.[1];
    const allTypes = names !== undefined && !/^\s*\w/.test(m[2].replace(/\{[^}]*\}/, '')) && names.split(',').every((n) => n.trim() === '' || /^type\s/.test(n.trim()));
    out.push({ from: m[3], typeOnly: Boolean(m[1]) || allTypes });
  }
  for (const m of text.matchAll(/^import\s+['"]([^'"]+)['"]/gm)) out.push({ from: m[1], typeOnly: false });
  return out;
}

test('every file of js/ is in a room', () => {
  assert.deepEqual(
    files.filter((f) => roomOf(f) === undefined),
    [],
  );
  assert.ok(files.includes('view-controller.ts') && files.includes('render/view.ts') && files.includes('cli/get.ts'));
});

test('each room imports values only from the rooms it may use; only the CLI uses Node, only the data API the wasm', () => {
  const walls = [];
  for (const file of files) {
    const room = roomOf(file);
    for (const { from, typeOnly } of importsOf(readFileSync(js + file, 'utf8'))) {
      if (from.startsWith('node:')) {
        if (room !== 'cli') walls.push(`${file} imports ${from}`);
        continue;
      }
      const target = posix.normalize(posix.join(posix.dirname(file), from));
      if (target.startsWith('../pkg/') || target.startsWith('../pkg-parse/')) {
        if (room !== 'data') walls.push(`${file} imports the wasm glue ${from}`);
        continue;
      }
      const other = roomOf(target.replace(/\.js$/, '.ts'));
      if (other === undefined) walls.push(`${file} imports ${from}, outside js/`);
      else if (!typeOnly && !MAY_USE[room].includes(other)) walls.push(`${file} (${room}) imports ${from} (${other})`);
    }
  }
  assert.deepEqual(walls, []);
});

test('the view controller and what it uses touch no DOM (Node tests run them); nothing parses markup', () => {
  const found = [];
  for (const file of files) {
    const text = readFileSync(js + file, 'utf8').replace(/^\s*(\/\/|\*|\/\*).*$/gm, '');
    if (['view', 'shared'].includes(roomOf(file))) {
      for (const m of text.matchAll(/(?<![.\w$])(document|window|customElements|CSS|localStorage)\.|\b(HTMLElement|CSSStyleSheet|ShadowRoot|Blob|createObjectURL)\b/g))
        found.push(`${file}: ${m[1] ?? m[2]}`);
    }
    for (const m of text.matchAll(/\b(innerHTML|outerHTML|insertAdjacentHTML|DOMParser|createContextualFragment|document\.write)\b/g)) found.push(`${file}: ${m[1]}`);
  }
  assert.deepEqual(found, []);
});
