// A real Prometheus that finds the pods through the real API server (kubernetes_sd_configs, role
// pod, with the prometheus.io/* annotations as kube-prometheus and Flux's docs set it up) and scrapes
// them at their IPs: `--prometheus` counts agree with what the pods' own /metrics counted over the
// same window, within the bound the README states; by URL and through the API server's service proxy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { admin, DIR, get, podsOf, rowNames, TESTS_DIR, totalsOf, waitFor } from './harness.mjs';

const INTERVAL_S = 1;
const MON = 'monitoring';
let url;

// Prometheus as kube-prometheus runs it: a pod (the node agent runs the binary built with
// kubernetes_sd_configs), found through its Service; the API server's service proxy only proxies
// to endpoints that are pods.
before(async () => {
  const config = join(TESTS_DIR, 'prometheus.yml');
  writeFileSync(
    config,
    `global:
  scrape_interval: ${INTERVAL_S}s
  scrape_timeout: ${INTERVAL_S}s
scrape_configs:
  - job_name: kubernetes-pods
    kubernetes_sd_configs:
      - role: pod
        kubeconfig_file: ${join(DIR, 'prometheus.kubeconfig')}
    relabel_configs:
      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
        action: keep
        regex: "true"
      - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
        action: replace
        regex: ([^:]+)(?::\\d+)?;(\\d+)
        replacement: $1:$2
        target_label: __address__
      - source_labels: [__meta_kubernetes_namespace]
        target_label: namespace
      - source_labels: [__meta_kubernetes_pod_name]
        target_label: pod
`,
  );
  const labels = { app: 'prometheus' };
  await admin.send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: MON } }, { ok: [201, 409] });
  await admin.send('POST', `/apis/apps/v1/namespaces/${MON}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'prometheus', labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'prometheus',
              image: 'quay.io/prometheus/prometheus:v3.16.0',
              args: [`--config.file=${config}`, '--log.level=warn'],
              ports: [{ name: 'web', containerPort: 9090 }],
              readinessProbe: { httpGet: { path: '/-/ready', port: 'web' } },
            },
          ],
        },
      },
    },
  });
  await admin.send('POST', `/api/v1/namespaces/${MON}/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'prometheus', labels },
    spec: { selector: labels, ports: [{ name: 'web', port: 9090, targetPort: 'web' }] },
  });
  // The README's Role for the service proxy, in Prometheus' namespace, for the viewer.
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  await admin.send('POST', `${rbac}/namespaces/${MON}/roles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'prometheus-proxy' },
    rules: [{ apiGroups: [''], resources: ['services/proxy'], verbs: ['get'] }],
  });
  await admin.send('POST', `${rbac}/namespaces/${MON}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'prometheus-proxy' },
    subjects: [{ kind: 'User', name: 'jane@example.com', apiGroup: 'rbac.authorization.k8s.io' }],
    roleRef: { kind: 'Role', name: 'prometheus-proxy', apiGroup: 'rbac.authorization.k8s.io' },
  });
  const ip = await waitFor('the Prometheus pod ready', async () => {
    const [pod] = await podsOf('prometheus', MON);
    return pod?.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && pod.status.podIP;
  });
  url = `http://${ip}:9090`;
  // Every pod of the shard set is discovered through the API server and scraped.
  await waitFor(
    'Prometheus scraping the 8 pods',
    async () => {
      const t = await (await fetch(`${url}/api/v1/targets?state=active`)).json();
      return t.data.activeTargets.filter((x) => x.health === 'up' && x.labels.namespace === 'flux-system').length >= 8;
    },
    60000,
    500,
  );
});

after(async () => {
  await admin.request('DELETE', `/api/v1/namespaces/${MON}`);
});

/**
 * Reads the counts over the last `window` with `--prometheus WHERE` and compares them with what the
 * pods themselves counted over the same seconds (their own /metrics at the start and at the end).
 */
async function compare(where, windowSeconds) {
  const names = rowNames();
  const start = await totalsOf(names);
  const startedAt = Date.now();
  // The pods' own counts every second over the window: source-controller reconciles in bursts, and
  // a burst in the gaps increase() extrapolates over (at either end) is counted by one and not the other.
  const samples = [{ at: startedAt, totals: start }];
  while (Date.now() - startedAt < windowSeconds * 1000) {
    await new Promise((r) => setTimeout(r, Math.min(1000, startedAt + windowSeconds * 1000 - Date.now())));
    samples.push({ at: Date.now(), totals: await totalsOf(names) });
  }
  const end = samples.at(-1).totals;
  /** The most a row counted between two samples a second apart: its largest burst. */
  const burst = (name) => Math.max(0, ...samples.slice(1).map((s, i) => s.totals[name].reconciliations - samples[i].totals[name].reconciliations));
  const r = await get('--prometheus', where, '--window', `${windowSeconds}s`, '-o', 'json');
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  assert.equal(m.source.kind, 'prometheus');
  const skew = (Date.now() - startedAt) / 1000 - windowSeconds;
  const report = [];
  for (const d of m.deployments) {
    assert.notEqual(d.status, 'unreachable', `${d.name}: ${d.statusReason}`);
    const truth = end[d.name].reconciliations - start[d.name].reconciliations;
    const perSecond = truth / windowSeconds;
    // The README's bound: increase() extrapolates by up to one scrape interval at the series' slope at
    // each end; plus the seconds between our two reads of the pods and Prometheus' evaluation, and 1;
    // and one burst of the row's (at most one falls in those few seconds of a 30-40 s window).
    const tolerance = perSecond * (2 * INTERVAL_S + Math.max(0, skew) + 2) + burst(d.name) + 1;
    report.push(`${d.name}: pods ${truth}, Prometheus ${d.reconciliations.toFixed(1)}, tolerance ${tolerance.toFixed(1)}`);
    assert.ok(Math.abs(d.reconciliations - truth) <= tolerance, report.join('\n'));
  }
  console.log(`${where}:\n${report.join('\n')}`);
  return m;
}

test('--prometheus URL: the counts over the window agree with the pods', async () => {
  const m = await compare(url, 40);
  assert.equal(m.source.url, `${url}/api/v1/query`);
});

test('--prometheus svc/NS/NAME:PORT through the API server, with the README Role for services/proxy', async () => {
  await compare('svc/monitoring/prometheus:9090', 30);
});
