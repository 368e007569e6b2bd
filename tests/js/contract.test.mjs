// The boundary contract: real values the built wasm returns (getShardMetrics against the
// simulated cluster behind kubectl proxy, with scrapes and with a Prometheus, listShardSets,
// parseExposition, and the problems of rejected calls) checked against the TypeScript types
// generated from the Rust structs (js/generated/). Each value is written out as an object
// literal of its generated type and compiled by tsc, strict: a field of another runtime type
// (a number where a `bigint` is declared), a field the type lacks or one it has and the value
// does not, fails the compile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { init, getShardMetrics, listShardSets, parseExposition } from 'flux-shard-metrics';
import { getShardMetricsJson, listShardSetsJson } from '../../pkg/flux_shard_metrics.js';
import { startProxiedCluster } from './harness.mjs';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const generated = join(root, 'js/generated');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const fixture = (name) => readFileSync(join(root, 'tests/fixtures', name), 'utf8');

let env;
let prometheus;
/** `[type, value]`: every value the wasm returned, with the generated type it must have. */
const values = [];

/** A stand-in Prometheus: every query answered with one series per pod of the namespace, and one pod that is gone. */
async function startPrometheus(pods) {
  const server = createServer((req, res) => {
    const query = new URL(req.url, 'http://x').searchParams.get('query') ?? '';
    const series = [...pods, 'source-controller-7c9d5f8b4-q2w4z'].flatMap((pod) => {
      if (query.includes('__name__=~')) return [{ metric: { __name__: 'workqueue_depth', namespace: 'flux-system', pod, name: 'gitrepository' }, value: [1, '2'] }];
      if (query.includes('_bucket')) return [{ metric: { namespace: 'flux-system', pod, controller: 'gitrepository', le: '+Inf' }, value: [1, '12'] }];
      return ['success', 'error'].map((result) => ({ metric: { namespace: 'flux-system', pod, controller: 'gitrepository', result }, value: [1, result === 'error' ? '1' : '11.5'] }));
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: series } }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

before(async () => {
  env = await startProxiedCluster({ frozen: true, slowMs: 1500 });
  await init();
  const podList = await (await fetch(`${env.proxyUrl}/api/v1/namespaces/flux-system/pods`)).json();
  prometheus = await startPrometheus(podList.items.map((p) => p.metadata.name));
  env.sim.setService('monitoring/prometheus:9090', prometheus.url);

  const server = env.proxyUrl;
  const sets = await listShardSets({ server });
  values.push(['ShardSetSummary[]', sets]);
  for (const set of sets) {
    const first = await getShardMetrics({ server, namespace: set.namespace, name: set.name, timeoutMs: 1000 });
    values.push(['ShardMetrics', first]);
    // A second read, for rates against the first.
    values.push(['ShardMetrics', await getShardMetrics({ server, namespace: set.namespace, name: set.name, timeoutMs: 1000, previous: first })]);
  }
  values.push(['ShardMetrics', await getShardMetrics({ server, namespace: 'flux-system', name: 'source-controller-shardset', prometheus: { service: 'monitoring/prometheus:9090', window: '10m' } })]);
  values.push(['ShardMetrics', await getShardMetrics({ server, namespace: 'flux-system', name: 'source-controller-shardset', prometheus: { url: prometheus.url } })]);
  // Problems as the wasm hands them over (the rejected promise carries the same fields).
  const problem = async (json) => JSON.parse(await json).error;
  values.push(['Problem', await problem(getShardMetricsJson(JSON.stringify({ server, namespace: 'flux-system', name: 'nope' })))]);
  values.push(['Problem', await problem(getShardMetricsJson(JSON.stringify({ server, namespace: 'flux-system', name: 'x', timeoutMs: 0 })))]);
  values.push(['Problem', await problem(getShardMetricsJson(JSON.stringify({ server: 'http://127.0.0.1:9', namespace: 'flux-system', name: 'x' })))]);
  values.push(['Problem', await problem(listShardSetsJson(JSON.stringify({ server, namespace: 'Not A Namespace' })))]);
  for (const name of ['source-controller.prom', 'kustomize-controller-busy.prom']) values.push(['Exposition', parseExposition(fixture(name))]);
  const openmetrics =
    '# TYPE a histogram\n# HELP a Latency.\n# UNIT a seconds\na_bucket{le="1"} 1 # {trace_id="x"} 0.5 1700000000.5\na_bucket{le="+Inf"} 2\na_count 2\na_sum NaN\n# TYPE b gauge\nb -Inf 1700000000\nbad line\n# EOF\n';
  values.push(['Exposition', parseExposition(openmetrics, { format: 'openmetrics' })]);
  values.push(['Exposition', parseExposition('up{job="a"} +Inf 1700000000000\nbroken{\n')]);
});

after(async () => {
  await prometheus?.close();
  await env?.stop();
});

/** Compiles every value as a literal of its generated type (from `types`); resolves to tsc's output, or throws it. */
async function check(types) {
  const dir = mkdtempSync(join(tmpdir(), 'fsm-contract-'));
  try {
    const names = [...new Set(values.map(([type]) => type.replace('[]', '')))];
    const lines = names.map((n) => `import type { ${n} } from './${relative(dir, join(types, `${n}.js`))}';`);
    values.forEach(([type, value], i) => lines.push(`export const value${i}: ${type} = ${JSON.stringify(value, null, 1)};`));
    writeFileSync(join(dir, 'values.ts'), lines.join('\n') + '\n');
    const config = {
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, exactOptionalPropertyTypes: true, noEmit: true, types: [] },
      files: ['values.ts'],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
    const { stdout } = await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { maxBuffer: 1 << 26 });
    return stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every value the wasm returns has its generated TypeScript type', async () => {
  // Every kind of value was read, and what the types describe is there to check.
  const read = values.filter(([t]) => t === 'ShardMetrics');
  assert.ok(read.some(([, m]) => m.source.kind === 'prometheus' && m.deployments.some((d) => d.rate !== null)));
  assert.ok(read.some(([, m]) => m.deployments.some((d) => d.rate !== null && d.rate.window === null)));
  assert.ok(read.some(([, m]) => m.deployments.some((d) => d.pods.some((p) => p.phase === 'Deleted'))));
  assert.ok(read.some(([, m]) => m.orphaned.length > 0 && m.checkFailures.length > 0));
  assert.ok(read.some(([, m]) => m.shardSet.generation !== null && m.shardSet.readyCondition !== null));
  assert.ok(values.some(([t, p]) => t === 'Problem' && p.kind === 'invalidOption'));
  try {
    await check(generated);
  } catch (error) {
    assert.fail(`a value does not have its generated type:\n${error.stdout}`);
  }
});

test('the check catches a type the values do not have (generation typed as bigint)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fsm-bigint-'));
  try {
    cpSync(generated, dir, { recursive: true });
    const file = join(dir, 'ShardSetRef.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('generation: number | null', 'generation: bigint | null'));
    await assert.rejects(check(dir), (error) => /not assignable to type 'bigint'/.test(error.stdout));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
