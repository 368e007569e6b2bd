// @ts-check
// Writes what the real cluster answers into tests/fixtures/real-cluster/, as the reference the
// simulated cluster (sim/) and the Rust test server (tests/support) are checked against
// (tests/js/real-shapes.test.mjs): the objects flux-shard-metrics reads, as the real API server,
// Deployment controller, node agent and FluxShardSet controller wrote them; a leader's and a
// standby's /metrics of the real source-controller; the API server's error bodies.
//
//   FSM_REAL_CLUSTER=DIR ip netns exec "$(cat DIR/netns)" node tests/real-cluster/capture.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { admin, NS, podMetrics, podsOf, scenario } from './harness.mjs';

const out = fileURLToPath(new URL('../fixtures/real-cluster/', import.meta.url));
mkdirSync(out, { recursive: true });
const write = (name, value) => writeFileSync(join(out, name), typeof value === 'string' ? value : JSON.stringify(value, null, 2) + '\n');

/** Drops what changes on every run and says nothing about shapes (managedFields are kept: they are part of the bytes). */
function scrub(o) {
  return o;
}

const deployments = await admin.get(`/apis/apps/v1/namespaces/${NS}/deployments`);
const source = deployments.items.find((d) => d.metadata.name === scenario.source);
const shard = deployments.items.find((d) => d.metadata.name === `${scenario.source}-shard1`);
write('deployment-source.json', scrub(source));
write('deployment-shard.json', scrub(shard));
const sets = await admin.get(`/apis/apps/v1/namespaces/${NS}/replicasets`);
write('replicaset-shard.json', scrub(sets.items.find((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === shard.metadata.uid))));
const pods = (await podsOf(shard.metadata.name)).filter((p) => p.status.phase === 'Running');
let leader;
let standby;
for (const p of pods) {
  const text = await podMetrics(p.status.podIP);
  if (/^leader_election_master_status\{[^}]*\} 1$/m.test(text)) leader = { pod: p, text };
  else standby = { pod: p, text };
}
if (!leader || !standby) throw new Error('capture: shard1 needs a leader and a standby');
write('pod-leader.json', scrub(leader.pod));
write('pod-standby.json', scrub(standby.pod));
write('metrics-leader.prom', leader.text);
write('metrics-standby.prom', standby.text);
write('fluxshardset.json', scrub(await admin.get(`/apis/templates.weave.works/v1alpha1/namespaces/${NS}/fluxshardsets/${scenario.shardSet}`)));
write('helmrepository.json', scrub(await admin.get('/apis/source.toolkit.fluxcd.io/v1/namespaces/team-a/helmrepositories/charts-shard1')));
write('gitrepository-failing.json', scrub(await admin.get('/apis/source.toolkit.fluxcd.io/v1/namespaces/team-a/gitrepositories/app-shard2')));
const lists = await admin.request('GET', `/apis/apps/v1/namespaces/${NS}/deployments?limit=2`);
write('deployment-list-page.json', { ...lists.body, items: `(${lists.body.items.length} items left out)` });
// Error bodies: a pod port where nothing listens, a pod that does not exist, a forbidden list.
const proxied = await admin.request('GET', `/api/v1/namespaces/${NS}/pods/${leader.pod.metadata.name}:8081/proxy/metrics`);
write('status-proxy-refused.json', { httpStatus: proxied.status, body: proxied.body });
const gone = await admin.request('GET', `/api/v1/namespaces/${NS}/pods/nope-7d9c5b-x2x4q:8080/proxy/metrics`);
write('status-pod-not-found.json', { httpStatus: gone.status, body: gone.body });
const expired = await admin.request('GET', `/apis/apps/v1/namespaces/${NS}/deployments?limit=1&continue=bm90LWEtdG9rZW4`);
write('status-bad-continue.json', { httpStatus: expired.status, body: expired.body });
const leases = await admin.get(`/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`);
write(
  'leases.json',
  leases.items.map((l) => ({ name: l.metadata.name, holderIdentity: l.spec.holderIdentity })),
);
console.log(`capture: wrote ${out}`);
