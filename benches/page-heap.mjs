// The page's memory over a long session: headless Chromium (real) on www/dist through a real
// `kubectl proxy --www` in front of the simulated cluster (counters advancing), a shard group open
// at refresh=2 with a row expanded. Every MINUTES/10 it forces a garbage collection (CDP
// HeapProfiler.collectGarbage) and prints the JS heap used, the DOM nodes and the reads so far: a
// heap that keeps growing after the first minutes would be a leak (trends are bounded at 60 points).
// `MINUTES=60 node benches/page-heap.mjs` (after `npm run build`; 10 minutes by default).
import { fileURLToPath } from 'node:url';
import { startProxiedCluster } from '../tests/js/harness.mjs';
import { launch } from '../tests/browser/chromium.mjs';

const MINUTES = Number(process.env.MINUTES ?? 10);
const www = fileURLToPath(new URL('../www/dist', import.meta.url));
const env = await startProxiedCluster({ www });
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${env.proxyUrl}/shard-metrics/?namespace=flux-system&shardset=source-controller-shardset&refresh=2`);
  await page.locator('flux-shard-metrics tbody > tr[data-deployment] .badge').first().waitFor();
  await page.locator('flux-shard-metrics tr[data-deployment="source-controller-shard1"] button.expand').click();
  console.log(`Chromium, www/dist through kubectl proxy --www, the simulated cluster; refresh=2, a row expanded; ${MINUTES} min`);
  const start = Date.now();
  const requestsAtStart = env.requests?.length ?? 0;
  for (let step = 0; step <= 10; step++) {
    const due = start + (step * MINUTES * 60000) / 10;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    const minutes = ((Date.now() - start) / 60000).toFixed(1);
    const points = await page
      .locator('flux-shard-metrics svg.trend')
      .first()
      .evaluate((svg) => svg.querySelectorAll('.point').length)
      .catch(() => 0);
    console.log(
      `${minutes.padStart(5)} min: JS heap ${(m.JSHeapUsedSize / 1048576).toFixed(2)} MB, ${m.Nodes} DOM nodes, ${m.JSEventListeners} listeners, trend points ${points}, task time ${m.TaskDuration.toFixed(1)} s`,
    );
  }
  void requestsAtStart;
} finally {
  await browser.close();
  await env.stop();
}
