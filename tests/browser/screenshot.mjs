// `npm run screenshot`: the README's screenshots, taken in the machine's Chromium
// from the page served by `kubectl proxy --www` over the simulated cluster
// (counters advancing in real time), at 1280 px, after the trend charts are
// drawn (three reads): docs/screenshot.png (light, one row expanded) and
// docs/screenshot-statuses.png (dark, the shard set that shows every status,
// its orphaned objects and one row's health).
import { fileURLToPath } from 'node:url';
import { startProxiedCluster } from '../js/harness.mjs';
import { launch } from './chromium.mjs';

const docs = (name) => fileURLToPath(new URL(`../../docs/${name}`, import.meta.url));
const env = await startProxiedCluster({ www: fileURLToPath(new URL('../../www/dist', import.meta.url)), slowMs: 1500 });
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 640 }, colorScheme: 'light' });
  await page.goto(`${env.proxyUrl}/shard-metrics/?namespace=flux-system&shardset=source-controller-shardset&refresh=2`);
  await page.locator('tr[data-deployment="source-controller-shard3"] .badge.idle').waitFor();
  await page.locator('tr[data-deployment="source-controller"] td.rate', { hasText: '/min' }).waitFor();
  await page.locator('tr[data-deployment="source-controller-shard3"] svg.trend').waitFor({ timeout: 20000 });
  await page.locator('tr[data-deployment="source-controller-shard1"] button.expand').click();
  await page.locator('tr.details').waitFor();
  await page.locator('button.pause').click();
  await page.screenshot({ path: docs('screenshot.png'), fullPage: true });

  const dark = await browser.newPage({ viewport: { width: 1280, height: 640 }, colorScheme: 'dark' });
  await dark.goto(`${env.proxyUrl}/shard-metrics/?namespace=flux-system&shardset=kustomize-controller-shardset&refresh=2`);
  await dark.locator('tr[data-deployment="kustomize-controller-shard8"] .badge').first().waitFor({ timeout: 20000 });
  await dark.locator('tr[data-deployment="kustomize-controller"] svg.trend').waitFor({ timeout: 20000 });
  await dark.locator('button.pause').click();
  await dark.locator('tr[data-deployment="kustomize-controller-shard7"] button.expand').click();
  await dark.locator('tr.details').waitFor();
  await dark.screenshot({ path: docs('screenshot-statuses.png'), fullPage: true });
  console.log('wrote docs/screenshot.png and docs/screenshot-statuses.png');
} finally {
  await browser.close();
  await env.stop();
}
