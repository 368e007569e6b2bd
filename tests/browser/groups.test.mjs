// The page with shard groups of every kind, as a person sees it in Chromium through a real
// `kubectl proxy --www`: the chooser by kind, `?controller=`, a FluxInstance group's rows and statuses,
// the overlap and split-dependency banners, the `overlapping` and `artifactServer` badges, the
// artifact server in a row's details, and the element's `controller` property.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startProxiedCluster } from '../js/harness.mjs';
import { launch } from './chromium.mjs';

const www = fileURLToPath(new URL('../../www/dist', import.meta.url));
let demo;
let operator;
let browser;
let page;
const problems = [];

before(async () => {
  [demo, operator] = await Promise.all([startProxiedCluster({ www, frozen: true, slowMs: 1000 }), startProxiedCluster({ www, scenario: 'operator', frozen: true })]);
  browser = await launch();
  page = await browser.newPage();
  page.on('console', (m) => {
    if (/^Failed to load resource: the server responded with a status of (403|404)/.test(m.text())) return;
    if (m.type() === 'error' || /Content.Security.Policy|Refused to/.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
});

after(async () => {
  await browser?.close();
  await Promise.all([demo?.stop(), operator?.stop()]);
});

const url = (env, query = '') => `${env.proxyUrl}/shard-metrics/${query}`;
const row = (name) => page.locator(`tr[data-deployment="${name}"]`);
const text = async (locator) => (await locator.innerText()).replace(/[ \t]+/g, ' ').trim();
const cell = async (name, key) => (await row(name).locator(`td.${key}`).innerText()).replace(/\s+/g, ' ').trim();
const badges = (name) =>
  row(name)
    .locator('td.status .badge')
    .evaluateAll((b) => b.map((x) => [x.className, x.textContent]));

test('without parameters: every shard group under its kind; a FluxInstance group opens by ?controller=', async () => {
  await page.goto(url(demo));
  await page.locator('ul.chooser a').first().waitFor();
  assert.deepEqual(await page.locator('flux-shard-metrics h3').allInnerTexts(), [
    'FluxShardSet — made by flux-shard-controller',
    "FluxInstance — made by the Flux Operator (a FluxInstance's spec.sharding)",
    'Manual — made by hand (overlays, as Flux’s sharding guide does it)',
  ]);
  const kinds = await page.locator('ul.chooser').evaluateAll((uls) => uls.map((ul) => [ul.dataset.kind, ul.getAttribute('aria-label'), [...ul.querySelectorAll('li')].map((li) => li.textContent)]));
  assert.deepEqual(kinds, [
    [
      'FluxShardSet',
      'FluxShardSet groups',
      [
        'flux-system/kustomize-controller-shardset — source kustomize-controller, 8 shard(s) by sharding.fluxcd.io/key',
        'flux-system/source-controller-shardset — source source-controller, 3 shard(s) by sharding.fluxcd.io/key',
        'team-a/helm-controller-shardset — source helm-controller, 3 shard(s) by sharding.fluxcd.io/key',
        'team-b/notification-controller-shardset — source notification-controller, 1 shard(s) by sharding.fluxcd.io/key',
      ],
    ],
    ['FluxInstance', 'FluxInstance groups', ['platform/image-reflector-controller — FluxInstance flux, 3 shard(s) by platform.example.com/shard']],
    ['Manual', 'Manual groups', ['team-c/image-automation-controller — 2 shard(s) by sharding.fluxcd.io/key']],
  ]);
  await page.locator('ul.chooser[data-kind="FluxInstance"] a').click();
  await row('image-reflector-controller-shard3').locator('.badge').first().waitFor();
  assert.equal(new URL(page.url()).search, '?namespace=platform&controller=image-reflector-controller');
  assert.equal(await page.evaluate(() => document.title), 'image-reflector-controller · Flux shard metrics');
  await page.goBack();
  await page.locator('ul.chooser a').first().waitFor();
  await page.locator('ul.chooser[data-kind="Manual"] a').click();
  await row('image-automation-controller-shard2').locator('.badge').first().waitFor();
  assert.equal(new URL(page.url()).search, '?namespace=team-c&controller=image-automation-controller');
});

test("a FluxInstance's source-controller group: its rows and statuses, the operator's Ready condition, the artifact server badge and the split dependencies", async () => {
  await page.goto(url(operator, '?namespace=flux-system&controller=source-controller'));
  await row('source-controller-shard2').locator('.badge').first().waitFor();
  assert.equal(await text(page.locator('.toolbar .title')), 'flux-system/source-controller');
  assert.equal(
    await text(page.locator('flux-shard-metrics .group')),
    'FluxInstance flux-system/flux (the Flux Operator) · source-controller sharded by sharding.fluxcd.io/key · 2 shard(s): shard1, shard2',
  );
  assert.match(await text(page.locator('.set-status')), /^Ready Reconciliation finished in 38s · balance: objects 1\.3×, reconciliations 1\.2×$/);
  assert.deepEqual(await page.locator('table.rows > tbody > tr[data-deployment]').evaluateAll((trs) => trs.map((tr) => [tr.dataset.deployment, tr.dataset.status, tr.className])), [
    ['source-controller', 'erroring', 'flag-erroring'],
    ['source-controller-shard1', 'ok', ''],
    ['source-controller-shard2', 'misconfigured', 'flag-misconfigured flag-artifactServer flag-erroring'],
  ]);
  assert.deepEqual(await badges('source-controller-shard2'), [
    ['badge misconfigured', 'misconfigured'],
    ['badge artifactServer', 'artifact server'],
    ['badge erroring', 'erroring'],
  ]);
  assert.equal(
    await cell('source-controller-shard2', 'status'),
    'misconfigured artifact server erroring its Service flux-system/source-controller-shard2 does not exist, so nothing can fetch its artifacts',
  );
  assert.deepEqual(await badges('source-controller-shard1'), [['badge ok', 'ok']]);
  const split = page.locator('flux-shard-metrics .split');
  assert.equal(await split.getAttribute('role'), 'note');
  assert.equal(
    await split.innerText(),
    "2 dependencies split across shards (2 HelmChart → HelmRepository) — an object and what it depends on are reconciled by different Deployments, and a shard's cache holds only its own objects:\n" +
      "HelmChart flux-system/apps-cache is reconciled by source-controller-shard2, but its HelmRepository flux-system/bitnami by source-controller-shard1, whose objects a shard's cache does not hold: it is never found (NotFound, source-controller#2114)\n" +
      "HelmChart flux-system/apps-web is reconciled by source-controller, but its HelmRepository flux-system/podinfo by source-controller-shard1, whose objects a shard's cache does not hold: it is never found (NotFound, source-controller#2114)",
  );
  assert.equal(await page.locator('flux-shard-metrics .overlaps').count(), 0);
  assert.equal(await page.locator('flux-shard-metrics .orphaned').count(), 0);
  // The effective --storage-adv-addr in the row's details (the last of the two the operator renders).
  await row('source-controller-shard2').locator('button.expand').click();
  const health = page.locator('tr[data-details-for="source-controller-shard2"] dl.health');
  await health.waitFor();
  assert.match(
    await health.innerText(),
    /Watches\s+sharding\.fluxcd\.io\/key=shard2\s+Artifact server \(--storage-adv-addr\)\s+source-controller-shard2\.\$\(RUNTIME_NAMESPACE\)\.svc\.cluster\.local\.\s+Status/,
  );
});

test("a HelmRelease whose HelmChart lacks its key, in the helm-controller group opened by a shard's name", async () => {
  await page.goto(url(operator, '?namespace=flux-system&controller=helm-controller-shard1'));
  await row('helm-controller-shard2').locator('.badge').first().waitFor();
  assert.equal(
    await page.locator('flux-shard-metrics .split').innerText(),
    "1 dependency split across shards (1 HelmRelease → HelmChart) — an object and what it depends on are reconciled by different Deployments, and a shard's cache holds only its own objects:\n" +
      'HelmRelease apps/web carries sharding.fluxcd.io/key=shard1, but its HelmChart flux-system/apps-web does not (a HelmChart gets only the labels of .spec.chart.metadata.labels): source-controller reconciles it, not source-controller-shard1 (helm-controller#658)',
  );
  // No Deployment of helm-controller serves artifacts: no such line in its details.
  await row('helm-controller').locator('button.expand').click();
  const health = page.locator('tr[data-details-for="helm-controller"] dl.health');
  await health.waitFor();
  assert.doesNotMatch(await health.innerText(), /Artifact server/);
});

test('a shard the Flux Operator has not rendered yet, and the ImagePolicy on another shard than its ImageRepository', async () => {
  await page.goto(url(demo, '?namespace=platform&controller=image-reflector-controller'));
  await row('image-reflector-controller-shard3').locator('.badge').first().waitFor();
  assert.match(await text(page.locator('.set-status')), /^Ready=Unknown Reconciliation in progress · generation 3, observed 2: the Flux Operator has not caught up · balance: /);
  assert.equal(await cell('image-reflector-controller-shard3', 'status'), 'pending the Flux Operator has not acted on the latest spec of FluxInstance platform/flux yet (generation 3, observed 2)');
  assert.equal(await cell('image-reflector-controller-shard3', 'objects'), '2 (1 not Ready)');
  assert.equal(
    await page.locator('flux-shard-metrics .split').innerText(),
    "1 dependency split across shards (1 ImagePolicy → ImageRepository) — an object and what it depends on are reconciled by different Deployments, and a shard's cache holds only its own objects:\n" +
      "ImagePolicy apps/podinfo is reconciled by image-reflector-controller-shard1, but its ImageRepository apps/podinfo by image-reflector-controller, whose objects a shard's cache does not hold: it is never found (never Ready, image-reflector-controller#365)",
  );
});

test('shards made by hand with a legacy notin main: the overlap banner and the overlapping badges', async () => {
  await page.goto(url(demo, '?namespace=team-c&controller=image-automation-controller'));
  await row('image-automation-controller-shard2').locator('.badge').first().waitFor();
  assert.equal(await text(page.locator('flux-shard-metrics .group')), 'Manual made by hand in team-c · image-automation-controller sharded by sharding.fluxcd.io/key · 2 shard(s): shard1, shard2');
  // Nothing reports a Ready condition for shards made by hand.
  assert.match(await text(page.locator('.set-status')), /^balance: objects 1\.3×, reconciliations 1\.1×$/);
  const overlaps = page.locator('flux-shard-metrics .overlaps');
  assert.equal(await overlaps.getAttribute('role'), 'note');
  assert.equal(
    await overlaps.innerText(),
    '2 object(s) reconciled twice — the selectors of more than one Deployment of this group select them, so each reconciles them (their rows say which selector; flux2#4500):\n' +
      'image-automation-controller and image-automation-controller-shard2: 2 (2 ImageUpdateAutomation), e.g. team-c/apps-b, team-c/apps-c',
  );
  for (const name of ['image-automation-controller', 'image-automation-controller-shard2']) {
    assert.deepEqual(await badges(name), [
      ['badge misconfigured', 'misconfigured'],
      ['badge overlapping', 'overlapping'],
    ]);
  }
  assert.equal(
    await cell('image-automation-controller-shard2', 'status'),
    'misconfigured overlapping 2 objects it selects are also selected by image-automation-controller, so they are reconciled twice (e.g. team-c/apps-b, team-c/apps-c)',
  );
  assert.deepEqual(await badges('image-automation-controller-shard1'), [['badge ok', 'ok']]);
});

test('the element: a controller property opens a group and clears shardset, in one read', async () => {
  await page.goto(url(demo, '?namespace=flux-system&shardset=source-controller-shardset'));
  await row('source-controller-shard3').locator('.badge').first().waitFor();
  const before = demo.sim.requests.length;
  await page.evaluate(() => {
    const el = document.getElementById('view');
    el.namespace = 'team-c';
  });
  await page.locator('flux-shard-metrics .error-state, flux-shard-metrics tr[data-deployment]').first().waitFor();
  const view = await page.evaluate(async () => {
    const el = document.getElementById('view');
    el.controller = 'image-automation-controller';
    return [el.shardset, el.getAttribute('shardset'), el.controller, el.getAttribute('controller')];
  });
  assert.deepEqual(view, ['', null, 'image-automation-controller', 'image-automation-controller']);
  await row('image-automation-controller-shard2').locator('.badge').first().waitFor();
  // Never a read with both, nor one of the chooser in between.
  const asked = demo.sim.requests.slice(before);
  assert.ok(!asked.some((r) => r === 'GET /apis/fluxcd.controlplane.io/v1/fluxinstances'), asked.join('\n'));
  assert.equal(await page.locator('flux-shard-metrics ul.chooser').count(), 0);
  assert.equal(await page.evaluate(() => document.getElementById('view').metrics.group.kind), 'Manual');
  // Both attributes at once: the core says to give one.
  await page.goto(url(demo, '?namespace=team-c&shardset=x&controller=image-automation-controller'));
  const alert = page.locator('[role="alert"]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /give either name \(a FluxShardSet\) or controller \(a Deployment of a shard group\), not both/);
  assert.equal(await alert.getAttribute('data-kind'), 'invalidOption');
});

test('only GET requests, no CSP or script errors, and nothing from the cluster parsed as markup', async () => {
  for (const env of [demo, operator]) {
    assert.deepEqual(
      env.sim.requests.filter((r) => !r.startsWith('GET ')),
      [],
    );
  }
  assert.equal(await page.locator('flux-shard-metrics img').count(), 0);
  assert.deepEqual(problems, []);
});
