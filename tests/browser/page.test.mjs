// The page as a person sees it: headless Chromium (playwright-core, /usr/bin/chromium)
// opens www/dist through a real `kubectl proxy --www` in front of the simulated cluster.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startProxiedCluster } from '../js/harness.mjs';
import { launch } from './chromium.mjs';

const www = fileURLToPath(new URL('../../www/dist', import.meta.url));
let env;
let browser;
let page;
const problems = [];

before(async () => {
  env = await startProxiedCluster({ www, frozen: true, slowMs: 1000, markup: true });
  browser = await launch();
  page = await browser.newPage();
  page.on('console', (m) => {
    // Chromium logs every HTTP error response; the 403 and 404 the tests provoke are expected.
    if (/^Failed to load resource: the server responded with a status of (403|404)/.test(m.text())) return;
    if (m.type() === 'error' || /Content.Security.Policy|Refused to/.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
});

after(async () => {
  await browser?.close();
  await env?.stop();
});

const url = (query = '') => `${env.proxyUrl}/shard-metrics/${query}`;
const row = (name) => page.locator(`tr[data-deployment="${name}"]`);
const cells = async (name) => (await row(name).locator('th, td').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
/** The text of one cell of a row, by its column key. */
const cell = async (name, key) => (await row(name).locator(`td.${key}`).innerText()).replace(/\s+/g, ' ').trim();
/** Why a FluxShardSet's source-controller shard is misconfigured: the source's artifact server (flux-shard-controller copies its args). */
const artifactReason = (shard) =>
  `its --storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local. names the Service source-controller, not its own (${shard}): the artifacts of its objects would be fetched from another Deployment's artifact server; its Service flux-system/${shard} does not exist, so nothing can fetch its artifacts`;

test('without parameters the page lists every shard group, by kind; choosing a shard set puts it in the URL', async () => {
  await page.goto(url());
  const links = page.locator('ul.chooser a');
  await links.first().waitFor();
  assert.deepEqual(await links.allInnerTexts(), [
    'flux-system/kustomize-controller-shardset',
    'flux-system/source-controller-shardset',
    'team-a/helm-controller-shardset',
    'team-b/notification-controller-shardset',
    'platform/image-reflector-controller',
    'team-c/image-automation-controller',
  ]);
  await links.nth(1).click();
  await row('source-controller-shard3').locator('.badge').first().waitFor();
  assert.equal(new URL(page.url()).search, '?namespace=flux-system&shardset=source-controller-shardset');
  await page.goBack();
  await links.first().waitFor();
});

test('every row with its numbers, source first, and the idle shard flagged', async () => {
  await page.goto(url('?namespace=flux-system&shardset=source-controller-shardset'));
  await row('source-controller-shard3').locator('.badge').first().waitFor();
  const names = await page.locator('table:not(.inner) > tbody > tr > th').allInnerTexts();
  assert.deepEqual(
    names.map((n) => n.replace(/^[▸▾]\s*/, '').trim()),
    ['source-controller', 'source-controller-shard1', 'source-controller-shard2', 'source-controller-shard3'],
  );
  assert.deepEqual(await page.locator('table.rows > thead th').allInnerTexts(), [
    'Deployment',
    'Shard',
    'Objects',
    'Reconciliations',
    'Errors',
    'Error ratio',
    'Rate',
    'Trend',
    'Share',
    'Pods',
    'Duration p50 / p99',
    'Status',
  ]);
  const source = await cells('source-controller');
  assert.deepEqual(source.slice(1, 6), ['source', '6', '500', '1', '0.20%']);
  assert.equal(await cell('source-controller', 'share'), '81%');
  assert.match(await cell('source-controller', 'pods'), /^1\/1 · leader \S+$/);
  assert.match(await cell('source-controller', 'duration'), /^\d+ ms \/ [\d.]+ m?s$/);
  assert.equal(await cell('source-controller', 'status'), 'ok');
  assert.deepEqual((await cells('source-controller-shard1')).slice(1, 5), ['shard1', '3', '20', '0']);
  assert.equal(await cell('source-controller-shard1', 'status'), `misconfigured artifact server ${artifactReason('source-controller-shard1')}`);
  // Its standby is not Ready (source-controller's readiness probe is the artifact server, which only the leader runs).
  assert.match(await cell('source-controller-shard1', 'pods'), /^1\/2 · leader /);
  assert.deepEqual((await cells('source-controller-shard2')).slice(2, 5), ['2', '100', '0']);
  const idle = await cells('source-controller-shard3');
  assert.deepEqual(idle.slice(2, 5), ['0', '0', '0']);
  // Idle, and misconfigured: its artifact server is the source's (a badge per flag).
  assert.equal(await cell('source-controller-shard3', 'status'), `misconfigured artifact server idle ${artifactReason('source-controller-shard3')}`);
  assert.deepEqual(
    await row('source-controller-shard3')
      .locator('td.status .badge')
      .evaluateAll((b) => b.map((x) => x.className)),
    ['badge misconfigured', 'badge artifactServer', 'badge idle'],
  );
  assert.match(await page.locator('.set-status').innerText(), /^Ready 3 shard\(s\) created · balance: objects 1\.8×, reconciliations 2\.5×$/);
  assert.equal(
    await page.locator('flux-shard-metrics .group').innerText(),
    'FluxShardSet flux-system/source-controller-shardset · source-controller sharded by sharding.fluxcd.io/key · 3 shard(s): shard1, shard2, shard3',
  );
  assert.equal(await row('source-controller-shard3').getAttribute('data-status'), 'misconfigured');
  assert.match(await row('source-controller-shard3').getAttribute('class'), /flag-misconfigured flag-artifactServer flag-idle/);
  // Before a second refresh there is no rate yet.
  assert.equal(await cell('source-controller-shard3', 'rate'), '…');
});

test('on the first load each row shows its own loading state', async () => {
  // The kustomize shard set has a pod that answers after a second: the rows are known before their numbers.
  await page.goto(url('?namespace=flux-system&shardset=kustomize-controller-shardset'));
  const loading = page.locator('tr.loading');
  await loading.first().waitFor();
  assert.equal(await loading.count(), 9);
  assert.deepEqual(await page.locator('tr.loading td').allInnerTexts(), Array(9).fill('loading…'));
  await row('kustomize-controller-shard5').locator('.badge').first().waitFor({ timeout: 15000 });
  assert.equal(await page.locator('tr.loading').count(), 0);
});

test('a failing shard shows its error while the other rows stay complete', async () => {
  await page.goto(url('?namespace=flux-system&shardset=kustomize-controller-shardset'));
  await row('kustomize-controller-shard5').locator('.badge').first().waitFor({ timeout: 15000 });
  assert.deepEqual((await cells('kustomize-controller')).slice(2, 5), ['3', '1,203', '3']);
  assert.equal(await cell('kustomize-controller', 'status'), 'ok');
  assert.deepEqual((await cells('kustomize-controller-shard1')).slice(2, 5), ['4', '300', '260']);
  // shard6 selects its objects too: overlapping is more severe than its errors, which are still flagged.
  assert.equal(
    await cell('kustomize-controller-shard1', 'status'),
    'misconfigured overlapping erroring 4 objects it selects are also selected by kustomize-controller-shard6, so they are reconciled twice (e.g. tenant-a/backend, tenant-a/cron, tenant-a/frontend, tenant-a/worker)',
  );
  const forbidden = await cell('kustomize-controller-shard3', 'status');
  assert.match(
    forbidden,
    /^unreachable pod kustomize-controller-shard3-\S+: forbidden \(HTTP 403\) .*the RBAC permission `get` on `pods\/proxy` \(API group core\) in namespace `flux-system` is missing/,
  );
  assert.match(await cell('kustomize-controller-shard2', 'status'), /^pending no ready replica yet \(0\/1\): pod kustomize-controller-shard2-\S+ is Pending$/);
  assert.match(await cell('kustomize-controller-shard5', 'status'), /^missing in spec\.shards but missing from the shard set's inventory$/);
});

test("every status is shown with its reason, and the shard set's own state above the table", async () => {
  const statusOf = async (name) => [await row(name).getAttribute('data-status'), await row(name).locator('td.status .badge').first().innerText()];
  await page.goto(url('?namespace=flux-system&shardset=kustomize-controller-shardset'));
  await row('kustomize-controller-shard7').locator('.badge').first().waitFor({ timeout: 15000 });
  const expected = {
    'kustomize-controller': 'ok',
    'kustomize-controller-shard1': 'misconfigured',
    'kustomize-controller-shard2': 'pending',
    'kustomize-controller-shard3': 'unreachable',
    // Slow (a second) but within the page's deadline.
    'kustomize-controller-shard4': 'ok',
    'kustomize-controller-shard5': 'missing',
    'kustomize-controller-shard6': 'misconfigured',
    'kustomize-controller-shard7': 'stuck',
    'kustomize-controller-shard8': 'idle',
  };
  for (const [name, status] of Object.entries(expected)) assert.deepEqual(await statusOf(name), [status, status], name);
  assert.match(await cell('kustomize-controller-shard7', 'status'), /^stuck 2 objects carry sharding\.fluxcd\.io\/key=shard7, but none was reconciled in the \d+ days since its pods started$/);
  assert.match(await cell('kustomize-controller-shard6', 'status'), /^misconfigured overlapping its manager watches --watch-label-selector=sharding\.fluxcd\.io\/key in \(shard1\)/);
  // Objects nobody reconciles (shard6's: shard6 watches shard1's key), with examples; those reconciled twice.
  const orphaned = page.locator('flux-shard-metrics .orphaned');
  assert.equal(
    await orphaned.innerText(),
    '6 object(s) reconciled by nobody — no Deployment of this group selects their sharding.fluxcd.io/key:\n' +
      'sharding.fluxcd.io/key=shard6: 3 (3 Kustomization), e.g. tenant-f/backend, tenant-f/frontend, tenant-f/worker\n' +
      'sharding.fluxcd.io/key=shard9: 3 (3 Kustomization), e.g. legacy/billing, legacy/reports, legacy/search',
  );
  assert.equal(await orphaned.getAttribute('role'), 'note');
  assert.equal(
    await page.locator('flux-shard-metrics .overlaps').innerText(),
    '4 object(s) reconciled twice — the selectors of more than one Deployment of this group select them, so each reconciles them (their rows say which selector; flux2#4500):\n' +
      'kustomize-controller-shard1 and kustomize-controller-shard6: 4 (4 Kustomization), e.g. tenant-a/backend, tenant-a/cron, tenant-a/frontend, tenant-a/worker',
  );
  // The health of a row when expanded.
  await row('kustomize-controller-shard7').locator('button.expand').click();
  const health = page.locator('tr[data-details-for="kustomize-controller-shard7"] dl.health');
  await health.waitFor();
  assert.match(await health.innerText(), /Work queue depth\s+12\s+Workers busy \/ allowed\s+4 \/ 4\s+Watches\s+sharding\.fluxcd\.io\/key in \(shard7\)/);
  // Mid-rollout: the generation the controller has not acted on yet, in the header.
  await page.goto(url('?namespace=team-a&shardset=helm-controller-shardset'));
  await row('helm-controller-c').locator('.badge').first().waitFor();
  assert.deepEqual(await statusOf('helm-controller-c'), ['pending', 'pending']);
  assert.deepEqual(await statusOf('helm-controller-a'), ['pending', 'pending']);
  assert.match(await page.locator('.set-status').innerText(), /generation 2, observed 1: the shard set controller has not caught up/);
  // A shard set its controller refuses: Ready=False and its message, quoted in the header and in the missing row.
  await page.goto(url('?namespace=team-b&shardset=notification-controller-shardset'));
  await row('notification-controller-x').locator('.badge').first().waitFor();
  assert.match(await page.locator('.set-status').innerText(), /^Ready=False failed to generate deployments: deployment team-b\/notification-controller is not configured to ignore sharding/);
  assert.deepEqual(await statusOf('notification-controller'), ['misconfigured', 'misconfigured']);
  assert.deepEqual(await statusOf('notification-controller-x'), ['missing', 'missing']);
  assert.match(await cell('notification-controller-x', 'status'), /the FluxShardSet is not Ready: failed to generate deployments/);
});

test('a label value carrying markup is shown as text and never executed', async () => {
  await page.goto(url('?namespace=flux-system&shardset=source-controller-shardset'));
  await row('source-controller-shard2').locator('button.expand').click();
  const details = page.locator('tr[data-details-for="source-controller-shard2"]');
  await details.waitFor();
  const kinds = await details.locator('td.kind').allInnerTexts();
  assert.ok(kinds.includes(`<img src=x onerror="document.title='pwned'">`), JSON.stringify(kinds));
  assert.equal(await page.locator('flux-shard-metrics img').count(), 0);
  assert.equal(await page.evaluate(() => document.title), 'source-controller-shardset · Flux shard metrics');
});

test('keyboard: sort by a column header, expand a row', async () => {
  await page.goto(url('?namespace=flux-system&shardset=source-controller-shardset'));
  await row('source-controller-shard3').locator('.badge').first().waitFor();
  const sortButton = page.locator('thead th', { hasText: 'Reconciliations' }).locator('button');
  await sortButton.focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('thead th', { hasText: 'Reconciliations' }).getAttribute('aria-sort'), 'descending');
  const order = await page.locator('table.rows > tbody > tr > td.reconciliations').allInnerTexts();
  assert.deepEqual(order, ['500', '100', '20', '0']);
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('thead th', { hasText: 'Reconciliations' }).getAttribute('aria-sort'), 'ascending');
  const expand = row('source-controller-shard1').locator('button.expand');
  await expand.focus();
  await page.keyboard.press('Enter');
  assert.equal(await row('source-controller-shard1').locator('button.expand').getAttribute('aria-expanded'), 'true');
  const pods = await page.locator('tr[data-details-for="source-controller-shard1"] tr.pod').count();
  assert.equal(pods, 2);
});

test('errors from the cluster and from the URL say what to do', async () => {
  await page.goto(url('?namespace=flux-system&shardset=nope'));
  const alert = page.locator('[role="alert"]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /FluxShardSet flux-system\/nope does not exist \(HTTP 404 for \/apis\/templates\.weave\.works\/v1alpha1\/namespaces\/flux-system\/fluxshardsets\/nope\)/);
  assert.match(await alert.innerText(), /open the page without \?shardset= to choose from the list/);
  assert.equal(await alert.getAttribute('data-kind'), 'notFound');
  await page.goto(url('?namespace=Flux%20System&shardset=x'));
  await alert.waitFor();
  assert.match(await alert.innerText(), /invalid namespace "Flux System": only lowercase letters, digits and '-' are allowed/);
});

test("an embedder's headers (fetchOptions) reach the cluster on every request, and setting them reloads", async () => {
  await page.goto(url('?namespace=flux-system&shardset=source-controller-shardset'));
  await row('source-controller-shard3').locator('.badge').first().waitFor();
  const before = env.sim.requests.length;
  await page.evaluate(() => {
    document.getElementById('view').fetchOptions = { headers: { Authorization: 'Bearer from-embedder' } };
  });
  await row('source-controller-shard3').locator('.badge').first().waitFor();
  await page.waitForFunction(() => document.getElementById('view').shadowRoot.querySelector('tr.loading') === null);
  const sent = env.sim.requests.slice(before).map((r, i) => [r, env.sim.authorizations[before + i]]);
  const scrapes = sent.filter(([r]) => r.endsWith('/proxy/metrics'));
  assert.equal(scrapes.length, 5, JSON.stringify(sent));
  assert.deepEqual([...new Set(sent.map(([, auth]) => auth))], ['Bearer from-embedder']);
});

test('CSV and JSON save the current read, the same as get -o csv and -o json', async () => {
  await page.goto(url('?namespace=flux-system&shardset=source-controller-shardset&refresh=60'));
  await row('source-controller-shard3').locator('.badge.idle').waitFor();
  const save = async (which) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`button.download.${which}`).click()]);
    assert.match(download.suggestedFilename(), new RegExp(`^flux-system-source-controller-shardset-\\d{4}-\\d\\d-\\d\\dT[\\d-]+Z\\.${which}$`));
    const { readFile } = await import('node:fs/promises');
    return readFile(await download.path(), 'utf8');
  };
  const csv = (await save('csv')).split('\r\n');
  assert.equal(csv[0], 'name,shard,reconciliations,errors,errorRatio,rate,readyPods,totalPods,durationP50,durationP99,status,statusReason');
  assert.equal(csv.length, 6);
  assert.equal(csv[4], `source-controller-shard3,shard3,0,0,,,1,1,,,misconfigured,"${artifactReason('source-controller-shard3')}"`);
  const json = JSON.parse(await save('json'));
  assert.deepEqual(
    json.deployments.map((d) => [d.name, d.reconciliations, d.status, d.flags]),
    [
      ['source-controller', 500, 'ok', []],
      ['source-controller-shard1', 20, 'misconfigured', ['misconfigured', 'artifactServer']],
      ['source-controller-shard2', 100, 'misconfigured', ['misconfigured', 'artifactServer']],
      ['source-controller-shard3', 0, 'misconfigured', ['misconfigured', 'artifactServer', 'idle']],
    ],
  );
  assert.equal(json.group.kind, 'FluxShardSet');
});

// Last but one: it moves the simulated cluster's clock, which the exact numbers above rely on.
test('rates appear after a refresh; the idle shard stays at 0/min', async () => {
  await page.goto(url('?namespace=flux-system&shardset=source-controller-shardset&refresh=2'));
  await row('source-controller').locator('td.rate', { hasText: '…' }).waitFor();
  env.sim.advance(60);
  await row('source-controller').locator('td.rate', { hasText: '/min' }).waitFor({ timeout: 10000 });
  const rate = await cell('source-controller', 'rate');
  assert.match(rate, /^[\d,.]+\/min$/);
  assert.ok(Number.parseFloat(rate.replace(/,/g, '')) > 0, rate);
  assert.equal(await cell('source-controller-shard3', 'rate'), '0/min');
  assert.equal(await cell('source-controller-shard3', 'status'), `misconfigured artifact server idle ${artifactReason('source-controller-shard3')}`);
  assert.match(await page.locator('.updated').innerText(), /^Updated /);
});

test('only GET requests reached the cluster, and the page raised no CSP or script errors', () => {
  assert.ok(env.sim.requests.length > 10);
  assert.deepEqual(
    env.sim.requests.filter((r) => !r.startsWith('GET ')),
    [],
  );
  assert.deepEqual(problems, []);
});

test('a load asks for nothing that is missing (no 404, the favicon included); the first Rate says it needs a second read', async () => {
  const fresh = await browser.newPage();
  const failed = [];
  fresh.on('console', (m) => {
    if (m.type() === 'error') failed.push(m.text());
  });
  fresh.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  try {
    await fresh.goto(url('?namespace=flux-system&shardset=source-controller-shardset'));
    await fresh.locator('tr[data-deployment="source-controller-shard3"] .badge').first().waitFor();
    // Before a second read, the Rate cell says why it has no figure yet.
    const rate = fresh.locator('tr[data-deployment="source-controller"] td.rate');
    assert.equal(await rate.innerText(), '…');
    assert.match((await rate.getAttribute('title')) ?? (await rate.locator('[title]').first().getAttribute('title')) ?? '', /needs a second read/);
    const icon = await fresh.evaluate(() => document.querySelector('link[rel="icon"]')?.getAttribute('href'));
    assert.ok(icon, 'a favicon link');
    const answer = await fresh.evaluate(async (href) => (await fetch(href)).status, icon);
    assert.equal(answer, 200);
    assert.deepEqual(failed, []);
  } finally {
    await fresh.close();
  }
});

test('a trend chart per row after three reads: one tab stop each, its words as its accessible name, each point titled', async () => {
  await page.goto(url('?namespace=flux-system&shardset=source-controller-shardset&refresh=2'));
  const charts = page.locator('flux-shard-metrics tbody > tr[data-deployment] td.trend svg.trend');
  // The first read has no point, the second one: a chart from the third read on.
  await page.locator('flux-shard-metrics tbody > tr[data-deployment] td.trend .muted').first().waitFor();
  await page.waitForFunction(
    () =>
      document.querySelector('flux-shard-metrics').shadowRoot?.querySelectorAll('td.trend svg.trend').length === 4 || document.querySelectorAll('flux-shard-metrics td.trend svg.trend').length === 4,
    null,
    { timeout: 20000 },
  );
  assert.equal(await charts.count(), 4);
  const first = charts.first();
  assert.equal(await first.getAttribute('tabindex'), '0');
  assert.equal(await first.getAttribute('role'), 'img');
  assert.match(await first.getAttribute('aria-label'), /^Reconciliations per minute over \d+ reads, \d\d:\d\d:\d\d to \d\d:\d\d:\d\d: from /);
  const titles = await first.locator('circle.point title').allTextContents();
  assert.ok(titles.length >= 2);
  for (const t of titles) assert.match(t, /^\d\d:\d\d:\d\d: [\d.,]+\/min, errors [\d.,]+\/min$/);
});

test('the layout fits 1280 px without horizontal scroll, for every kind of group; reasons are one line with the whole in the title', async () => {
  const wide = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    for (const query of [
      '?namespace=flux-system&shardset=source-controller-shardset',
      '?namespace=flux-system&shardset=kustomize-controller-shardset',
      '?namespace=platform&controller=image-reflector-controller',
    ]) {
      await wide.goto(url(query));
      await wide.locator('flux-shard-metrics tbody > tr[data-deployment] .badge').first().waitFor();
      const [scroll, client] = await wide.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(scroll <= client, `${query}: ${scroll} px wide at ${client}`);
    }
    // A row expanded (the per-pod table is wide): the details scroll within the row, the page does not.
    await wide.locator('flux-shard-metrics tr[data-deployment="image-reflector-controller"] button.expand').click();
    await wide.locator('flux-shard-metrics tr.details').waitFor();
    const [expanded, at] = await wide.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(expanded <= at, `a row expanded: ${expanded} px wide at ${at}`);
    const reason = wide.locator('flux-shard-metrics tr[data-deployment="image-reflector-controller-shard3"] td.status');
    assert.match(await reason.getAttribute('title'), /^the Flux Operator has not acted on the latest spec of FluxInstance platform\/flux yet/);
    const height = await reason.evaluate((td) => td.querySelector('.row-error').getBoundingClientRect().height);
    const line = await reason.evaluate((td) => parseFloat(getComputedStyle(td.querySelector('.row-error')).lineHeight) || 20);
    assert.ok(height <= line * 1.5, `the reason is ${height} px high`);
  } finally {
    await wide.close();
  }
});

test("at 800 px: the columns that matter in the table, the others in the row's details, no horizontal scroll with a row expanded", async () => {
  const narrow = await browser.newPage({ viewport: { width: 800, height: 800 } });
  try {
    for (const [query, name] of [
      ['?namespace=flux-system&shardset=source-controller-shardset', 'source-controller-shard1'],
      ['?namespace=flux-system&shardset=kustomize-controller-shardset', 'kustomize-controller-shard1'],
      ['?namespace=platform&controller=image-reflector-controller', 'image-reflector-controller-shard3'],
    ]) {
      await narrow.goto(url(query));
      const tr = narrow.locator(`flux-shard-metrics tr[data-deployment="${name}"]`);
      await tr.locator('.badge').first().waitFor();
      const shown = await narrow.locator('flux-shard-metrics table.rows > thead th:visible').allInnerTexts();
      assert.deepEqual(
        shown.map((t) => t.replace(/[▲▼]/g, '').trim()),
        ['Deployment', 'Objects', 'Reconciliations', 'Errors', 'Rate', 'Status'],
        query,
      );
      await tr.locator('button.expand').click();
      const details = narrow.locator(`flux-shard-metrics tr.details[data-details-for="${name}"]`);
      await details.waitFor();
      const [scroll, client] = await narrow.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(scroll <= client, `${query}, ${name} expanded: ${scroll} px wide at ${client}`);
      // What the table hides is in the details, and only there.
      const terms = (await details.locator('dl.health dt:visible').allInnerTexts()).map((t) => t.trim());
      for (const label of ['Shard', 'Error ratio', 'Trend', 'Share', 'Pods', 'Duration p50 / p99']) assert.ok(terms.includes(label), `${label} in ${terms.join(', ')}`);
      assert.match(await details.locator('.also-pods dd').innerText(), /^\d+\/\d+/);
      assert.ok(await details.locator('.also-share .track[role="img"]').isVisible());
    }
  } finally {
    await narrow.close();
  }
  // Wide, every column is in the table and the details do not repeat them.
  const wide = await browser.newPage({ viewport: { width: 1500, height: 800 } });
  try {
    await wide.goto(url('?namespace=flux-system&shardset=source-controller-shardset'));
    const tr = wide.locator('flux-shard-metrics tr[data-deployment="source-controller-shard1"]');
    await tr.locator('.badge').first().waitFor();
    assert.equal(await wide.locator('flux-shard-metrics table.rows > thead th:visible').count(), 12);
    await tr.locator('button.expand').click();
    const details = wide.locator('flux-shard-metrics tr.details[data-details-for="source-controller-shard1"]');
    await details.waitFor();
    const terms = (await details.locator('dl.health dt:visible').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(terms, ['Work queue depth', 'Workers busy / allowed', 'Watches', 'Artifact server (--storage-adv-addr)', 'Status']);
  } finally {
    await wide.close();
  }
});

test('an idle shard is not styled as a failure; failures keep the warning colours', async () => {
  await page.goto(url('?namespace=flux-system&shardset=kustomize-controller-shardset'));
  await page.locator('flux-shard-metrics tbody > tr[data-deployment] .badge').first().waitFor();
  const look = (statuses) =>
    page
      .locator(statuses.map((status) => `flux-shard-metrics tbody > tr[data-status="${status}"]`).join(', '))
      .first()
      .evaluate((tr) => {
        const badge = tr.querySelector('.badge');
        const cs = getComputedStyle(tr.querySelector('td'));
        const root = getComputedStyle(tr.getRootNode().host);
        const reason = tr.querySelector('.row-error');
        return {
          reason: reason ? getComputedStyle(reason).color : null,
          badge: getComputedStyle(badge).color,
          background: cs.backgroundColor,
          bad: root.getPropertyValue('--bad').trim(),
          badBg: root.getPropertyValue('--bad-bg').trim(),
          text: badge.textContent,
        };
      });
  const idle = await look(['idle']);
  const ok = await look(['ok']);
  const failed = await look(['unreachable', 'erroring', 'missing']);
  assert.equal(idle.text, 'idle');
  // Drawn as an ok row is, its reason not in the failures' colour.
  assert.equal(idle.background, ok.background);
  assert.notEqual(idle.reason, failed.reason);
  assert.notEqual(idle.badge, failed.badge);
  assert.notEqual(idle.background, failed.background);
  assert.match(failed.text, /^(unreachable|erroring|missing)$/);
});

test('axe-core finds no violation on the page: the chooser, a shard group with its trend charts, a row expanded', async () => {
  const { readFile } = await import('node:fs/promises');
  const axe = await readFile(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
  const audited = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const audit = async (what) => {
    // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
    await audited.evaluate(axe);
    const violations = await audited.evaluate(async () =>
      (await window.axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    );
    assert.deepEqual(violations, [], what);
  };
  try {
    await audited.goto(url());
    await audited.locator('flux-shard-metrics ul.chooser a').first().waitFor();
    await audit('the chooser');
    await audited.goto(url('?namespace=flux-system&shardset=source-controller-shardset&refresh=2'));
    await audited.waitForFunction(() => document.querySelector('flux-shard-metrics')?.shadowRoot?.querySelectorAll('td.trend svg.trend').length === 4, null, { timeout: 20000 });
    await audited.locator('flux-shard-metrics tr[data-deployment="source-controller-shard1"] button.expand').click();
    await audited.locator('flux-shard-metrics tr[data-details-for="source-controller-shard1"]').waitFor();
    await audit('a shard set with its charts and a row expanded');
  } finally {
    await audited.close();
  }
});

test("the group's shares side by side: objects and reconciliations per Deployment, each bar said as text", async () => {
  await page.goto(url('?namespace=flux-system&shardset=source-controller-shardset'));
  const figure = page.locator('flux-shard-metrics figure.shares');
  await figure.waitFor();
  assert.equal(await figure.locator('figcaption').innerText(), 'Share of the objects and of the reconciliations, per Deployment');
  const labels = await figure.locator('.track[role="img"]').evaluateAll((bars) => bars.map((b) => b.getAttribute('aria-label')));
  // Source: 6 of 11 objects, and most reconciliations (the counters moved in earlier tests); shard3: none of either (idle).
  assert.equal(labels[0], 'source-controller: 55% of the objects');
  assert.match(labels[1], /^source-controller: [5-9]\d% of the reconciliations$/);
  assert.deepEqual(labels.slice(-2), ['source-controller-shard3: 0% of the objects', 'source-controller-shard3: 0% of the reconciliations']);
});
