// The README's React sample is the example app's file, which tests/package builds and renders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const readme = read('README.md');

for (const file of ['examples/react/src/ShardMetricsTab.tsx', 'examples/react/src/flux-shard-metrics.d.ts']) {
  test(`README shows ${file} as it is`, () => {
    const link = readme.indexOf(`(${file})`);
    assert.ok(link > 0, `README does not link ${file}`);
    const block = /```tsx?\n([\s\S]*?)```/.exec(readme.slice(link));
    assert.equal(block[1], read(file));
  });
}

test('README usage of the CLI matches its --help', async () => {
  const { spawnSync } = await import('node:child_process');
  const help = spawnSync(process.execPath, [new URL('../../dist/cli.js', import.meta.url).pathname, '--help'], { encoding: 'utf8' }).stdout;
  for (const command of ['ui', 'get', 'list', 'parse', 'demo']) {
    assert.match(help, new RegExp(`^  flux-shard-metrics ${command}\\b`, 'm'));
    assert.match(readme, new RegExp(`npx flux-shard-metrics ${command}\\b`));
  }
  for (const flag of ['--context', '--kubeconfig', '--watch', '--interval', '--check', '--server', '--timeout', '--max-body-bytes', '--open', '--port']) {
    assert.ok(help.includes(flag), `--help lacks ${flag}`);
    assert.ok(readme.includes(flag), `README lacks ${flag}`);
  }
});
