// The element chooses its advice by the problem's kind, never by the wording
// of the message: here the data API is replaced (through an import map) by one
// that rejects with reworded messages, and the right hint must still show.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launch } from './chromium.mjs';
import { serveBuild } from './static-server.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
let server;
let origin;
let browser;

// Stands in for dist/index.js: rejects with the kind the test asks for and a message that
// shares no word with the core's own wording.
const FAKE_INDEX = `
import { FluxShardMetricsError } from '/dist/errors.js';
export const init = async () => {};
export const listShardSets = async () => [];
export const listShardGroups = async () => [];
export function openShardMetrics() {
  const kind = new URLSearchParams(location.search).get('kind');
  return {
    read: async () => {
      throw new FluxShardMetricsError({ kind, message: 'Etwas ging schief (' + kind + ')', pod: null, url: null, httpStatus: null, permission: null, option: null, limitBytes: null, timeoutMs: null });
    },
    close() {},
  };
}
`;

const PAGE = (origin) => `<!doctype html><meta charset="utf-8">
<script type="importmap">{"imports": {"${origin}/dist/index.js": "/fake/index.js"}}</script>
<script type="module" src="/dist/element.js"></script>
<flux-shard-metrics namespace="flux-system" shardset="x"></flux-shard-metrics>`;

before(async () => {
  server = await serveBuild({ '/': ['text/html', PAGE], '/fake/index.js': ['text/javascript', FAKE_INDEX] });
  origin = server.origin;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

for (const [kind, hint] of [
  ['forbidden', /Ask for the missing permission named above/],
  ['unreachable', /Check that `kubectl proxy` \(or the UI backend\) is running/],
  ['notFound', /open the page without \?shardset= to choose from the list/],
]) {
  test(`a ${kind} problem shows its hint whatever its message says`, async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/?kind=${kind}`);
      const alert = page.locator('flux-shard-metrics [role="alert"]');
      await alert.waitFor();
      const text = await alert.innerText();
      assert.match(text, new RegExp(`Etwas ging schief \\(${kind}\\)`));
      assert.match(text, hint);
      assert.equal(await alert.getAttribute('data-kind'), kind);
    } finally {
      await page.close();
    }
  });
}

test('no code in js/ or www/ picks anything by matching the text of a message', async () => {
  const { readdir } = await import('node:fs/promises');
  const offenders = [];
  for (const dir of ['js', 'www']) {
    for (const file of await readdir(root + dir, { recursive: true })) {
      if (file.startsWith('dist')) continue;
      if (!file.endsWith('.ts')) continue;
      const text = await readFile(`${root}${dir}/${file}`, 'utf8');
      // A regex or substring test whose subject is a message (message, error text, describe()).
      for (const [i, line] of text.split('\n').entries()) {
        if (/\.(test|match|includes|startsWith)\((message|text|describe\()|(message|describe\([^)]*\))\.(match|includes|startsWith)\(/.test(line))
          offenders.push(`${dir}/${file}:${i + 1}: ${line.trim()}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});
