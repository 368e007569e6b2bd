// What only a real API server answers: lists of more than one page (limit, continue), a CRD's
// structural schema pruning what it does not declare, and the pod proxy's own answer when a pod's
// metrics port does not listen. Each test removes what it made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, get, runCli, scenario, VIEWER, waitFor } from './harness.mjs';

/** Runs `fn` over `items`, `n` at a time. */
async function pool(items, n, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

test('a kind with more than 1,000 objects is read in pages of 500, every object counted', async () => {
  const ns = 'bulk';
  const count = 1100;
  await admin.send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  try {
    // Suspended, and with a key no shard serves: no controller reconciles them.
    await pool([...Array(count).keys()], 16, (i) =>
      admin.send('POST', `/apis/source.toolkit.fluxcd.io/v1/namespaces/${ns}/helmrepositories`, {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'HelmRepository',
        metadata: { name: `bulk-${String(i).padStart(4, '0')}`, labels: { [scenario.key]: 'shard9' } },
        spec: { url: 'http://10.244.0.250:8080/', interval: '1h', suspend: true },
      }),
    );
    const before = JSON.parse((await get('-o', 'json')).stdout);
    const orphaned = before.orphaned.find((o) => o.key === 'shard9');
    assert.equal(orphaned.count, count + 2);
    assert.equal(orphaned.byKind.HelmRepository, count + 1);
    // Every page of the real API server's continue tokens followed: 1,109 HelmRepositories make 3 pages.
    // The set, three lists, the Services (source-controller shards' artifact servers), discovery, 8 scrapes,
    // one page each of Bucket, GitRepository, HelmChart, OCIRepository.
    const baseline = 1 + 3 + 1 + 1 + 8 + 4;
    assert.equal(before.apiCalls, baseline + 3, `${before.apiCalls} API calls`);
  } finally {
    await admin.request('DELETE', `/api/v1/namespaces/${ns}`);
    await waitFor('namespace bulk gone', async () => (await admin.request('GET', `/api/v1/namespaces/${ns}`)).status === 404, 120000);
  }
});

test("a FluxShardSet's sourceDeploymentRef.namespace is pruned by the CRD's schema, as FLUX-FACTS says", async () => {
  const path = `/apis/templates.weave.works/v1alpha1/namespaces/${scenario.namespace}/fluxshardsets`;
  await admin.send('POST', path, {
    apiVersion: 'templates.weave.works/v1alpha1',
    kind: 'FluxShardSet',
    metadata: { name: 'pruned' },
    spec: { sourceDeploymentRef: { name: 'nowhere', namespace: 'elsewhere' }, shards: [], suspend: true },
  });
  try {
    const set = await admin.get(`${path}/pruned`);
    assert.deepEqual(set.spec.sourceDeploymentRef, { name: 'nowhere' });
    // The product reads it as it is: suspended, its source missing.
    const r = await runCli(['get', 'pruned', '-n', scenario.namespace, '--kubeconfig', VIEWER, '-o', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const m = JSON.parse(r.stdout);
    assert.equal(m.shardSet.suspended, true);
    // Never reconciled (suspended: the controller writes no status), yet its source is plainly missing.
    assert.equal(m.deployments[0].status, 'missing', m.deployments[0].statusReason);
    assert.match(m.deployments[0].statusReason, /the source Deployment flux-system\/nowhere does not exist.*the FluxShardSet is suspended/);
    // Not suspended: the controller returns without writing status when the source is missing (FLUX-FACTS).
    await admin.mergePatch(`${path}/pruned`, { spec: { suspend: false } });
    await new Promise((r) => setTimeout(r, 2000));
    const again = JSON.parse((await runCli(['get', 'pruned', '-n', scenario.namespace, '--kubeconfig', VIEWER, '-o', 'json'])).stdout);
    assert.equal(again.shardSet.observedGeneration, null);
    assert.equal(again.deployments[0].status, 'missing', again.deployments[0].statusReason);
  } finally {
    await admin.request('DELETE', `${path}/pruned`);
  }
});

test("a pod whose metrics port does not listen: the API server's 503 and its own words", async () => {
  const ns = 'probe';
  await admin.send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  try {
    await admin.send('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default-probe' } });
    const labels = { app: 'probe-controller' };
    // A source-controller watching only its namespace, whose pods announce metrics on a port nothing serves.
    await admin.send('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'probe-controller', labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8081' } },
          spec: {
            containers: [
              {
                name: 'manager',
                image: 'ghcr.io/fluxcd/source-controller:v1.9.6',
                args: ['--watch-all-namespaces=false', `--watch-label-selector=!${scenario.key}`],
                env: [{ name: 'RUNTIME_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
                ports: [
                  { containerPort: 9090, name: 'http' },
                  { containerPort: 8080, name: 'metrics' },
                  { containerPort: 9440, name: 'healthz' },
                ],
              },
            ],
          },
        },
      },
    });
    await admin.send('POST', `/apis/templates.weave.works/v1alpha1/namespaces/${ns}/fluxshardsets`, {
      apiVersion: 'templates.weave.works/v1alpha1',
      kind: 'FluxShardSet',
      metadata: { name: 'probe-shardset' },
      spec: { sourceDeploymentRef: { name: 'probe-controller' }, shards: [] },
    });
    // The viewer's Role is for flux-system only: the admin reads this namespace.
    const m = await waitFor('the pod running', async () => {
      const r = await runCli(['get', 'probe-shardset', '-n', ns, '--kubeconfig', `${process.env.FSM_REAL_CLUSTER}/admin.kubeconfig`, '-o', 'json']);
      const m = JSON.parse(r.stdout);
      return m.deployments[0].pods.some((p) => p.phase === 'Running' && p.ready) && m;
    });
    const row = m.deployments[0];
    assert.equal(row.status, 'unreachable');
    const problem = row.problems.find((p) => p.pod);
    assert.equal(problem.kind, 'proxyFailed');
    assert.equal(problem.httpStatus, 503);
    assert.match(
      problem.message,
      /^the pod did not answer through the API server proxy \(HTTP 503\) at .*\/api\/v1\/namespaces\/probe\/pods\/probe-controller-[a-z0-9]+-[a-z0-9]{5}:8081\/proxy\/metrics\. The API server said: error trying to reach service: dial tcp 10\.244\.0\.\d+:8081: connect: connection refused$/,
    );
  } finally {
    await admin.request('DELETE', `/api/v1/namespaces/${ns}`);
  }
});
