// The package as its users meet it: the tarball `npm pack` makes, installed into fresh
// projects in a temporary folder, then used from there: the CLI with only a kubeconfig, the
// page from `ui` and `demo` in Chromium, server-side import, require(), init() forms, and the
// example apps (React 19 and 18 with Vite dev and build, webpack 5 with its defaults) built
// and rendered in Chromium against the simulated cluster behind a real kubectl proxy.
//
// Needs the network or an npm cache for the examples' dependencies. Set FSM_TARBALL to test an
// existing tarball instead of packing one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProxiedCluster } from '../js/harness.mjs';
import { launch } from '../browser/chromium.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'fsm-user-'));
let tarball;
let env;
let browser;

/**
 * Runs a command to completion; resolves to { status, stdout, stderr }, and rejects with its output
 * when it fails unless `allowFailure`. Never spawnSync: the simulated cluster answers from this process.
 */
function sh(cwd, command, args, extraEnv = {}, allowFailure = false) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (status) => {
      if (status !== 0 && !allowFailure) reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${status}:\n${stdout}\n${stderr}`));
      else resolve({ status, stdout, stderr });
    });
  });
}

const npmInstall = (cwd, ...specs) => sh(cwd, 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs]);

/** A fresh project with the tarball (and `specs`) installed. */
async function project(name, from, ...specs) {
  const dir = join(work, name);
  if (from) cpSync(join(repo, 'examples', from), dir, { recursive: true, filter: (p) => !/node_modules|dist$/.test(p) });
  else {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  }
  await npmInstall(dir, tarball, ...specs);
  return dir;
}

/** Starts a long-running command and waits for `pattern` in its output; resolves to { match, child, output }. */
function startUntil(cwd, command, args, pattern, extraEnv = {}) {
  // Its own process group, so that stop() also ends what it started (npx, vite's workers).
  const child = spawn(command, args, { cwd, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} ${args.join(' ')}: no ${pattern} within 60 s:\n${output}`)), 60000);
    const onData = (chunk) => {
      output += chunk;
      const m = pattern.exec(output.replace(/\x1b\[[0-9;]*m/g, ''));
      if (m) {
        clearTimeout(timer);
        resolve({ match: m, child, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`));
    });
  });
}

/** Stops a child started by startUntil (and its process group) and waits for its exit code. */
function stop(child, signal = 'SIGINT') {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
      resolve(code);
    });
    child.kill(signal);
  });
}

/**
 * Opens `url` in Chromium and waits until the element shows the rows of source-controller-shardset;
 * fails on any page error or console error (except HTTP errors for a missing favicon).
 * Resolves to { interval, rows, heading }.
 */
async function render(url) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 404/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() === 404 && !r.url().endsWith('/favicon.ico')) problems.push(`404: ${r.url()}`);
  });
  try {
    await page.goto(url);
    await page.locator('flux-shard-metrics tr[data-deployment="source-controller-shard3"] .badge.idle').waitFor({ timeout: 30000 });
    const rows = await page.locator('flux-shard-metrics tbody > tr[data-deployment]').evaluateAll((trs) => trs.map((tr) => tr.dataset.deployment));
    const interval = await page.locator('flux-shard-metrics select.interval').inputValue();
    const heading = (await page.locator('h1').count()) ? await page.locator('h1').innerText() : '';
    // The Refresh button calls a method React 19 did not overwrite.
    await page.locator('flux-shard-metrics button.refresh').click();
    await page.locator('flux-shard-metrics .updated').waitFor();
    assert.deepEqual(problems, []);
    return { rows, interval, heading };
  } finally {
    await page.close();
  }
}

const SHARD_ROWS = ['source-controller', 'source-controller-shard1', 'source-controller-shard2', 'source-controller-shard3'];

before(async () => {
  if (process.env.FSM_TARBALL) tarball = process.env.FSM_TARBALL;
  else {
    const packed = await sh(repo, 'npm', ['pack', '--silent', '--pack-destination', work]);
    tarball = join(work, packed.stdout.trim().split('\n').at(-1));
  }
  env = await startProxiedCluster({ frozen: true, slowMs: 1000 });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await env?.stop();
  rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the code, the wasm, the page, the licence and what the README shows', async () => {
  const files = (await sh(work, 'tar', ['-tzf', tarball])).stdout.split('\n').filter(Boolean);
  for (const f of [
    'package/LICENSE',
    'package/README.md',
    'package/dist/index.js',
    'package/dist/element.js',
    'package/dist/cli.js',
    'package/pkg/flux_shard_metrics_bg.wasm',
    'package/dist/parse.js',
    'package/pkg-parse/flux_shard_metrics_parse_bg.wasm',
    'package/pkg-parse/flux_shard_metrics_parse.js',
    'package/www/dist/index.html',
    'package/sim/cluster.mjs',
  ]) {
    assert.ok(files.includes(f), `${f} is missing from the tarball`);
  }
  assert.ok(!files.some((f) => /^package\/(src|tests|target|node_modules)\//.test(f)), 'sources or tests were packed');
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const { version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.ok(images.length >= 1);
  for (const src of images) {
    // Absolute, pinned to this version, and a file of the package: it resolves on the registry's page.
    const m = /^https:\/\/cdn\.jsdelivr\.net\/npm\/flux-shard-metrics@([^/]+)\/(.+)$/.exec(src);
    assert.ok(m, `README image ${src} is not a URL of the published package`);
    assert.equal(m[1], version, src);
    assert.ok(files.includes(`package/${m[2]}`), `README image ${m[2]} is not in the tarball`);
  }
});

test('npm pack refuses without the toolchain instead of packing an empty package', (t) => {
  const clone = join(work, 'clone');
  cpSync(repo, clone, { recursive: true, filter: (p) => !/\/(node_modules|target|dist|pkg|fuzz|\.git)$/.test(p) });
  // Node and npm, but no cargo (rustup puts it in ~/.cargo/bin).
  const PATH = [join(process.execPath, '..'), '/usr/bin', '/bin'].join(':');
  if (spawnSync('cargo', ['--version'], { env: { PATH } }).status === 0) return t.skip('cargo is installed system-wide here: the refusal cannot be shown');
  const r = spawnSync('npm', ['pack', '--dry-run'], { cwd: clone, encoding: 'utf8', env: { ...process.env, PATH } });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /prepack: cannot pack: the package is built from Rust and TypeScript, and cargo is not on PATH/);
  assert.doesNotMatch(r.stdout + r.stderr, /Tarball Contents/);
});

test('CLI from the installed package: get with only a kubeconfig, --version, the kubectl plugin', async () => {
  const app = await project('cli');
  const bin = join(app, 'node_modules', '.bin');
  const kube = { KUBECONFIG: env.kubeconfig };
  const get = await sh(app, join(bin, 'flux-shard-metrics'), ['get', 'source-controller-shardset'], kube);
  // Misconfigured: flux-shard-controller copies the source's --storage-adv-addr into its shards.
  assert.match(get.stdout, /^source-controller-shard1 +\| +20 \| +0 \| misconfigured: its --storage-adv-addr=source-controller\./m);
  // A group of another kind, by its main controller's Deployment.
  const instance = await sh(app, join(bin, 'flux-shard-metrics'), ['get', 'image-reflector-controller', '-n', 'platform'], kube);
  assert.match(instance.stdout, /^image-reflector-controller-shard2 +\| +24 \| +0 \| ok$/m);
  const { version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  assert.equal((await sh(app, 'npx', ['flux-shard-metrics', '--version'])).stdout, `flux-shard-metrics ${version}\n`);
  // kubectl finds `kubectl-shard_metrics` on PATH and runs it as `kubectl shard-metrics`.
  const plugin = await sh(app, 'kubectl', ['shard-metrics', 'list'], { ...kube, PATH: `${bin}:${process.env.PATH}` });
  assert.match(plugin.stdout, /^flux-system +\| source-controller-shardset +\| FluxShardSet +\| source-controller /m);
  const usage = await sh(app, 'kubectl', ['shard-metrics', 'nope'], { PATH: `${bin}:${process.env.PATH}` }, true);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /^kubectl shard-metrics: unknown command 'nope'/);
  assert.match(usage.stderr, /^ {2}kubectl shard-metrics get NAME\|fluxshardset\/NAME\|deployment\/NAME/m);
});

test('ui from the installed package: the page in Chromium, stopped by Ctrl-C', async () => {
  const app = join(work, 'cli');
  const { match, child } = await startUntil(
    app,
    join(app, 'node_modules', '.bin', 'flux-shard-metrics'),
    ['ui', '--port', '0', '--shardset', 'source-controller-shardset'],
    /^ {2}(http:\/\/127\.0\.0\.1:\d+\/shard-metrics\/\S*)$/m,
    {
      KUBECONFIG: env.kubeconfig,
    },
  );
  try {
    const { rows } = await render(match[1]);
    assert.deepEqual(rows, SHARD_ROWS);
  } finally {
    assert.equal(await stop(child), 0);
  }
});

test('demo: one command on a fresh machine reaches the page over the simulated cluster', async () => {
  const app = join(work, 'cli');
  const { match, child } = await startUntil(
    app,
    'npx',
    ['flux-shard-metrics', 'demo', '--port', '0', '--shardset', 'source-controller-shardset'],
    /^ {2}(http:\/\/127\.0\.0\.1:\d+\/shard-metrics\/\S*)$/m,
    {
      KUBECONFIG: join(work, 'no-such-kubeconfig'),
    },
  );
  try {
    const { rows } = await render(match[1]);
    assert.deepEqual(rows, SHARD_ROWS);
  } finally {
    await stop(child, 'SIGTERM');
  }
});

test('Node: ESM import, require() on Node >= 20.19, init() forgotten, init({ wasm }), SSR import of the element, the parser alone', async () => {
  const app = join(work, 'cli');
  const script = `
    import assert from 'node:assert/strict';
    import { createRequire } from 'node:module';
    import { init, parseExposition } from 'flux-shard-metrics';
    assert.throws(() => parseExposition('a 1\\n'), { message: 'flux-shard-metrics: call \`await init()\` before parseExposition()' });
    // Server-side rendering: importing the element defines nothing and throws nothing.
    const element = await import('flux-shard-metrics/element');
    assert.equal(typeof element.FluxShardMetricsElement, 'function');
    assert.equal(typeof globalThis.customElements, 'undefined');
    // The .wasm is exported; an app that loads it itself passes it.
    const wasm = new URL(import.meta.resolve('flux-shard-metrics/wasm'));
    assert.match(wasm.pathname, /flux_shard_metrics_bg\\.wasm$/);
    await init({ wasm });
    assert.equal(parseExposition('a 1\\n').families[0].samples[0].value, 1);
    // The parser alone, on its own module, loaded from beside its code.
    const parse = await import('flux-shard-metrics/parse');
    await parse.init();
    assert.deepEqual(parse.parseExposition('a 1\\n'), parseExposition('a 1\\n'));
    assert.match(new URL(import.meta.resolve('flux-shard-metrics/parse-wasm')).pathname, /pkg-parse\\/flux_shard_metrics_parse_bg\\.wasm$/);
    const require = createRequire(import.meta.url);
    const cjs = require('flux-shard-metrics');
    assert.equal(typeof cjs.getShardMetrics, 'function');
    assert.equal(require('flux-shard-metrics/package.json').name, 'flux-shard-metrics');
    console.log('ok');
  `;
  writeFileSync(join(app, 'check.mjs'), script);
  assert.equal((await sh(app, process.execPath, ['check.mjs'])).stdout, 'ok\n');
  // Compiled modules and bytes work as sources too; a wrong source says what failed.
  const forms = `
    import assert from 'node:assert/strict';
    import { readFile } from 'node:fs/promises';
    import { init, parseExposition } from 'flux-shard-metrics';
    const bytes = await readFile(new URL(import.meta.resolve('flux-shard-metrics/wasm')));
    await assert.rejects(init({ wasm: new Uint8Array([60, 33, 100, 111]) }), { message: /^flux-shard-metrics: could not load the WebAssembly module: / });
    await init({ wasm: await WebAssembly.compile(bytes) });
    assert.equal(parseExposition('b 2\\n').families[0].name, 'b');
    console.log('ok');
  `;
  writeFileSync(join(app, 'forms.mjs'), forms);
  assert.equal((await sh(app, process.execPath, ['forms.mjs'])).stdout, 'ok\n');
});

/** Serves `dir` beside the API with kubectl proxy --www and renders it; resolves to what render() found. */
async function renderStatic(dir, path = '') {
  const served = await startProxiedCluster({ www: dir, wwwPrefix: '/app/', frozen: true, slowMs: 1000 });
  try {
    return await render(`${served.proxyUrl}/app/${path}?namespace=flux-system&shardset=source-controller-shardset`);
  } finally {
    await served.stop();
  }
}

for (const react of ['19', '18']) {
  test(`React ${react} example: type-checks, builds with Vite and renders; the refresh attribute holds`, async () => {
    const dir = await project(`react${react}`, 'react', `react@${react}`, `react-dom@${react}`, `@types/react@${react}`, `@types/react-dom@${react}`);
    await sh(dir, 'npx', ['tsc', '--noEmit']);
    const build = await sh(dir, 'npx', ['vite', 'build']);
    assert.doesNotMatch(build.stdout + build.stderr, /warn/i);
    const { rows, interval, heading } = await renderStatic(join(dir, 'dist'));
    assert.deepEqual(rows, SHARD_ROWS);
    assert.equal(interval, '5');
    assert.match(heading, new RegExp(`React ${react}\\.`));
  });
}

test('React 19 example in the Vite dev server, with no configuration for the package', async () => {
  const dir = join(work, 'react19');
  assert.doesNotMatch(readFileSync(join(dir, 'vite.config.ts'), 'utf8'), /optimizeDeps\s*:/);
  const { match, child } = await startUntil(dir, 'npx', ['vite', '--host', '127.0.0.1', '--port', '0'], /Local: +(http:\/\/127\.0\.0\.1:\d+\/)/, { K8S_API: env.proxyUrl });
  try {
    const { rows, interval } = await render(`${match[1]}?namespace=flux-system&shardset=source-controller-shardset`);
    assert.deepEqual(rows, SHARD_ROWS);
    assert.equal(interval, '5');
    // The dev server pre-bundled the package (the case that used to load index.html as the wasm).
    assert.ok(existsSync(join(dir, 'node_modules', '.vite', 'deps')), 'Vite did not pre-bundle');
  } finally {
    await stop(child, 'SIGTERM');
  }
});

test('Vite: an app that only parses bundles the parser module alone, and parses in Chromium', async () => {
  const dir = await project('parse-only', null, 'vite@7');
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>parse</title><output id="out">…</output><script type="module" src="./main.js"></script>\n');
  writeFileSync(
    join(dir, 'main.js'),
    "import { init, parseExposition } from 'flux-shard-metrics/parse';\n" +
      'await init();\n' +
      'const m = parseExposition(\'# TYPE up gauge\\nup{job="a"} 1\\nbad line\\n\');\n' +
      "document.getElementById('out').textContent = `${m.families[0].name} ${m.families[0].samples[0].value} ${m.errors.length}`;\n",
  );
  const build = await sh(dir, 'npx', ['vite', 'build', '--base', './']);
  assert.doesNotMatch(build.stdout + build.stderr, /warn/i);
  const assets = readdirSync(join(dir, 'dist', 'assets'));
  const wasm = assets.filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, assets.join(', '));
  const parser = readFileSync(join(dir, 'node_modules', 'flux-shard-metrics', 'pkg-parse', 'flux_shard_metrics_parse_bg.wasm'));
  assert.equal(readFileSync(join(dir, 'dist', 'assets', wasm[0])).length, parser.length, 'the bundled .wasm is the parser module');
  for (const js of assets.filter((f) => f.endsWith('.js'))) assert.doesNotMatch(readFileSync(join(dir, 'dist', 'assets', js), 'utf8'), /getShardMetricsJson/, js);
  const served = await startProxiedCluster({ www: join(dir, 'dist'), wwwPrefix: '/app/', frozen: true });
  const page = await browser.newPage();
  try {
    await page.goto(`${served.proxyUrl}/app/`);
    await page.locator('#out', { hasText: /^up / }).waitFor({ timeout: 30000 });
    assert.equal(await page.locator('#out').innerText(), 'up 1 1');
  } finally {
    await page.close();
    await served.stop();
  }
});

test('webpack 5 with its default configuration: no warning but the size hint, and it renders', async () => {
  const dir = await project('webpack', 'webpack');
  const build = await sh(dir, 'npx', ['webpack', '--mode', 'production']);
  const warnings = [...(build.stdout + build.stderr).matchAll(/^WARNING in (.*)$/gm)].map((m) => m[1]);
  // webpack's performance hints fire for any asset over 244 KiB, the wasm (460 KB) included.
  assert.deepEqual(
    warnings.filter((w) => !/^(asset size limit|entrypoint size limit|webpack performance recommendations)/.test(w)),
    [],
    build.stdout,
  );
  assert.doesNotMatch(build.stdout + build.stderr, /Critical dependency/);
  const { rows } = await renderStatic(dir);
  assert.deepEqual(rows, SHARD_ROWS);
});
