// The simulated cluster against what a real one answered (tests/fixtures/real-cluster/, written by
// tests/real-cluster/capture.mjs from a real kube-apiserver 1.37, kube-controller-manager,
// source-controller v1.9.6 and a FluxShardSet controller): every JSON path of each real object is in
// the simulated one with the same JSON type (but the few subtrees EXCLUDED below), the metrics
// families flux-shard-metrics reads have the same types and labels on a leader and on a standby, the
// error bodies are the API server's, and leases are named as Flux names them. Then what the real
// cluster does while pods come and go: a pod terminating, a pod starting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startCluster } from '../../sim/cluster.mjs';

const fixture = (name) => readFileSync(new URL(`../fixtures/real-cluster/${name}`, import.meta.url), 'utf8');
const real = (name) => JSON.parse(fixture(name));
const NS = 'flux-system';

/** Subtrees of the real objects that the simulated ones need not have, each with why. Nothing flux-shard-metrics reads is here. */
const EXCLUDED = {
  'metadata.managedFields': 'server-side bookkeeping of which client wrote which field; never read',
  'metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]':
    "written by the capture's client-side `kubectl apply` (and copied into the shards); Flux applies server-side and writes none",
  'spec.template.spec.containers[manager].env[FSM_ROLLOUT]': 'the marker the real-cluster rollout test put into the template; not part of Flux',
  'spec.containers[manager].env[FSM_ROLLOUT]': 'the same marker, in the pods',
  items: 'the capture left the list page\'s items out ("(2 items left out)"): they are the Deployments compared above',
};

/**
 * How arrays are compared: element by element by the key Kubernetes merges them by (an owner by its
 * kind: UIDs differ; the service account token volume by its name without the random suffix), else
 * the first element of the real one against the first of the simulated one.
 */
const KEYS = [
  [/(^|\.)conditions$/, (e) => e.type],
  [/(^|\.)(containers|containerStatuses|env|ports|shards)$/, (e) => e.name],
  [/(^|\.)volumes$/, (e) => e.name.replace(/^kube-api-access-[a-z0-9]{5}$/, 'kube-api-access-*')],
  [/(^|\.)volumeMounts$/, (e) => e.mountPath],
  [/(^|\.)ownerReferences$/, (e) => e.kind],
  [/(^|\.)tolerations$/, (e) => e.key],
];
const keyOf = (path) => KEYS.find(([pattern]) => pattern.test(path))?.[1];
const field = (path, key) => (/^[A-Za-z0-9_]+$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`);
const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** The real value without its EXCLUDED subtrees (and without what is left empty by leaving them out). */
function strip(value, path = '') {
  if (path in EXCLUDED) return undefined;
  if (typeOf(value) === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, strip(v, field(path, k))]);
    const kept = entries.filter(([, v]) => v !== undefined);
    return kept.length === 0 && entries.length > 0 ? undefined : Object.fromEntries(kept);
  }
  if (Array.isArray(value)) {
    const key = keyOf(path);
    return value.map((e, i) => strip(e, key ? `${path}[${key(e)}]` : `${path}[${i === 0 ? '' : i}]`)).filter((e) => e !== undefined);
  }
  return value;
}

/** Every path of `want` (real) that `got` (simulated) lacks or has with another JSON type. */
function differences(want, got, path = '', out = []) {
  const [w, g] = [typeOf(want), got === undefined ? 'missing' : typeOf(got)];
  if (w !== g) {
    out.push(`${path || '(root)'}: ${g}, real: ${w}`);
    return out;
  }
  if (w === 'object') for (const [k, v] of Object.entries(want)) differences(v, got[k], field(path, k), out);
  if (w === 'array') {
    const key = keyOf(path);
    if (key)
      for (const e of want)
        differences(
          e,
          got.find((x) => key(x) === key(e)),
          `${path}[${key(e)}]`,
          out,
        );
    else if (want.length > 0) differences(want[0], got[0], `${path}[]`, out);
  }
  return out;
}

const assertShape = (fixtureName, simulated) => assert.deepEqual(differences(strip(real(fixtureName)), simulated), [], `${fixtureName}: the simulated object differs`);

/** The families of a text exposition: name → { type, samples: name → set of label-name lists }, and the raw sample lines. */
function families(text) {
  const out = new Map();
  let current;
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      current = { type: type[2], samples: new Map(), lines: [] };
      out.set(type[1], current);
      continue;
    }
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a sample: ${line}`);
    const labels = [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"/g)].map((l) => l[1]).sort();
    if (!current.samples.has(m[1])) current.samples.set(m[1], new Set());
    current.samples.get(m[1]).add(labels.join(','));
    current.lines.push(line);
  }
  return out;
}

/** A family as compared: its type and, per sample name, the label names its series have. */
const signature = (f) => ({ type: f.type, samples: Object.fromEntries([...f.samples].map(([name, sets]) => [name, [...sets].sort()])) });
/** The families flux-shard-metrics reads (src/scrape). */
const READ = /^(controller_runtime_|workqueue_)|^(leader_election_master_status|process_start_time_seconds)$/;
const read = (fams) => Object.fromEntries([...fams].filter(([name]) => READ.test(name)).map(([name, f]) => [name, signature(f)]));
const labelValues = (f, sample, label) => [...new Set(f.lines.filter((l) => l.startsWith(`${sample}{`)).map((l) => new RegExp(`${label}="([^"]*)"`).exec(l)?.[1]))];

let sim;
const get = async (path) => {
  const r = await fetch(`${sim.url}${path}`);
  const text = await r.text();
  return { status: r.status, text, body: /json/.test(r.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined };
};
const deployments = async () => (await get(`/apis/apps/v1/namespaces/${NS}/deployments`)).body.items;
const podsOf = async (deployment) => {
  const d = (await deployments()).find((x) => x.metadata.name === deployment);
  const sets = (await get(`/apis/apps/v1/namespaces/${NS}/replicasets`)).body.items.filter((rs) => rs.metadata.ownerReferences[0].uid === d.metadata.uid);
  const pods = (await get(`/api/v1/namespaces/${NS}/pods`)).body.items;
  return pods.filter((p) => sets.some((rs) => rs.metadata.uid === p.metadata.ownerReferences[0].uid));
};
const scrape = async (pod, port = 8080) => get(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}:${port}/proxy/metrics`);
/** Shard1's pods, told apart by their metrics as the capture did: the leader and the standby. */
async function leaderAndStandby() {
  const out = {};
  for (const pod of (await podsOf('source-controller-shard1')).filter((p) => p.status.phase === 'Running')) {
    const { text } = await scrape(pod);
    out[/^leader_election_master_status\{[^}]*\} 1$/m.test(text) ? 'leader' : 'standby'] = { pod, text };
  }
  return out;
}

before(async () => {
  // The real cluster's scenario (tests/real-cluster/scenario.mjs) in the simulated cluster: the same objects in the same states.
  sim = await startCluster({ scenario: 'real-cluster', frozen: true });
});
after(() => sim?.close());

test('Deployments of the source and of a shard have every field a real one has', async () => {
  const all = await deployments();
  assertShape(
    'deployment-source.json',
    all.find((d) => d.metadata.name === 'source-controller'),
  );
  assertShape(
    'deployment-shard.json',
    all.find((d) => d.metadata.name === 'source-controller-shard1'),
  );
  // As Flux installs them: `app` only on the pods and as the selector; the shard set controller's labels in all three.
  const shard = all.find((d) => d.metadata.name === 'source-controller-shard1');
  const want = real('deployment-shard.json');
  assert.deepEqual(Object.keys(shard.spec.selector.matchLabels), Object.keys(want.spec.selector.matchLabels));
  assert.deepEqual(Object.keys(shard.metadata.labels).sort(), Object.keys(want.metadata.labels).sort());
  assert.deepEqual(
    shard.spec.template.spec.containers[0].ports.map((p) => [p.name, p.containerPort]),
    want.spec.template.spec.containers[0].ports.map((p) => [p.name, p.containerPort]),
  );
  assert.deepEqual(shard.spec.template.spec.containers[0].readinessProbe, want.spec.template.spec.containers[0].readinessProbe);
});

test("a source-controller shard's standby is not Ready: its readiness probe is the artifact server, which only the leader runs", async () => {
  const shard = (await deployments()).find((d) => d.metadata.name === 'source-controller-shard1');
  const want = real('deployment-shard.json');
  assert.equal(want.spec.template.spec.containers[0].readinessProbe.httpGet.port, 'http');
  const counts = (s) => [s.replicas, s.readyReplicas, s.availableReplicas, s.unavailableReplicas];
  assert.deepEqual(counts(shard.status), counts(real('deployment-source.json').status));
  assert.deepEqual(shard.status.conditions.find((c) => c.type === 'Available').status, real('deployment-source.json').status.conditions.find((c) => c.type === 'Available').status);
  const { leader, standby } = await leaderAndStandby();
  const conditions = (p) => Object.fromEntries(p.status.conditions.map((c) => [c.type, c.status]));
  assert.deepEqual(conditions(leader.pod), conditions(real('pod-leader.json')));
  assert.deepEqual(conditions(standby.pod), conditions(real('pod-standby.json')));
  assert.equal(standby.pod.status.containerStatuses[0].ready, false);
  assert.equal(standby.pod.status.containerStatuses[0].started, true);
  // kustomize-controller's readiness is /readyz on healthz: its standbys are Ready.
  const bench = await startCluster({ scenario: 'bench', shards: 1, replicas: 2, objects: 10, frozen: true });
  try {
    const pods = (await (await fetch(`${bench.url}/api/v1/namespaces/${NS}/pods?labelSelector=templates.weave.works/shard%3Dshard1`)).json()).items;
    assert.equal(pods.length, 2);
    for (const p of pods) assert.equal(p.status.conditions.find((c) => c.type === 'Ready').status, 'True', p.metadata.name);
  } finally {
    await bench.close();
  }
});

test('a ReplicaSet and the pods of a leader and of a standby have every field real ones have', async () => {
  const shard = (await deployments()).find((d) => d.metadata.name === 'source-controller-shard1');
  const sets = (await get(`/apis/apps/v1/namespaces/${NS}/replicasets`)).body.items;
  assertShape(
    'replicaset-shard.json',
    sets.find((rs) => rs.metadata.ownerReferences[0].uid === shard.metadata.uid && rs.spec.replicas > 0),
  );
  const { leader, standby } = await leaderAndStandby();
  assertShape('pod-leader.json', leader.pod);
  assertShape('pod-standby.json', standby.pod);
});

test("the demo's shard with a leader and a standby has the same shapes (the other tests read the demo)", async () => {
  const demo = await startCluster({ frozen: true });
  try {
    const json = async (path) => (await fetch(`${demo.url}${path}`)).json();
    const shard = (await json(`/apis/apps/v1/namespaces/${NS}/deployments`)).items.find((d) => d.metadata.name === 'source-controller-shard1');
    assertShape('deployment-shard.json', shard);
    assertShape(
      'replicaset-shard.json',
      (await json(`/apis/apps/v1/namespaces/${NS}/replicasets`)).items.find((rs) => rs.metadata.ownerReferences[0].uid === shard.metadata.uid),
    );
    const pods = (await json(`/api/v1/namespaces/${NS}/pods`)).items.filter((p) => p.metadata.name.startsWith('source-controller-shard1-'));
    const leader = demo.cluster.pods.find((p) => pods.some((x) => x.metadata.name === p.object.metadata.name) && !p.behaviour.standby).object.metadata.name;
    assertShape(
      'pod-leader.json',
      pods.find((p) => p.metadata.name === leader),
    );
    assertShape(
      'pod-standby.json',
      pods.find((p) => p.metadata.name !== leader),
    );
    assertShape('fluxshardset.json', await json(`/apis/templates.weave.works/v1alpha1/namespaces/${NS}/fluxshardsets/source-controller-shardset`));
  } finally {
    await demo.close();
  }
});

test('the FluxShardSet, a Ready HelmRepository and a failing GitRepository have every field real ones have', async () => {
  assertShape('fluxshardset.json', (await get(`/apis/templates.weave.works/v1alpha1/namespaces/${NS}/fluxshardsets/source-controller-shardset`)).body);
  assertShape('helmrepository.json', (await get('/apis/source.toolkit.fluxcd.io/v1/namespaces/team-a/helmrepositories/charts-shard1')).body);
  const failing = (await get('/apis/source.toolkit.fluxcd.io/v1/namespaces/team-a/gitrepositories/app-shard2')).body;
  assertShape('gitrepository-failing.json', failing);
  // Never fetched: no artifact, observedGeneration -1, and not Ready.
  assert.equal(failing.status.artifact, undefined);
  assert.equal(failing.status.observedGeneration, -1);
  assert.notEqual(failing.status.conditions.find((c) => c.type === 'Ready').status, 'True');
  // Keys sorted, as the API server returns custom resources.
  for (const o of [failing, failing.metadata, failing.spec, failing.status]) assert.deepEqual(Object.keys(o), Object.keys(o).sort());
});

test('a list page: resourceVersion, a continue token shaped as the real one, remainingItemCount; a bad token is refused as the real one', async () => {
  const { body } = await get(`/apis/apps/v1/namespaces/${NS}/deployments?limit=2`);
  assertShape('deployment-list-page.json', body);
  const token = (t) => JSON.parse(Buffer.from(t, 'base64url').toString('utf8'));
  const [mine, theirs] = [token(body.metadata.continue), token(real('deployment-list-page.json').metadata.continue)];
  assert.deepEqual(Object.keys(mine), Object.keys(theirs));
  assert.equal(mine.v, theirs.v);
  assert.equal(String(mine.rv), body.metadata.resourceVersion);
  assert.match(mine.start, new RegExp(`^/${body.items[1].metadata.name}\\u0000$`));
  // Items of built-in kinds come without their own kind and apiVersion, as the fixtures (taken from lists) have them.
  assert.equal(body.items[0].kind, undefined);
  const next = await get(`/apis/apps/v1/namespaces/${NS}/deployments?limit=2&continue=${body.metadata.continue}`);
  assert.equal(next.status, 200);
  assert.equal(next.body.items.length, body.metadata.remainingItemCount);
  assert.equal(next.body.metadata.continue, undefined);
  assert.equal(next.body.metadata.resourceVersion, body.metadata.resourceVersion);
  const bad = real('status-bad-continue.json');
  const refused = await get(`/apis/apps/v1/namespaces/${NS}/deployments?limit=1&continue=bm90LWEtdG9rZW4`);
  assert.deepEqual([refused.status, refused.body], [bad.httpStatus, bad.body]);
});

test("the pod proxy's errors: a port where nothing listens, a pod that does not exist", async () => {
  const { leader } = await leaderAndStandby();
  const refused = real('status-proxy-refused.json');
  const answer = await scrape(leader.pod, 8081);
  assert.equal(answer.status, refused.httpStatus);
  assert.deepEqual(differences(refused.body, answer.body), []);
  const realIp = /dial tcp ([\d.]+):/.exec(refused.body.message)[1];
  assert.deepEqual(answer.body, { ...refused.body, message: refused.body.message.replace(realIp, leader.pod.status.podIP) });
  const missing = real('status-pod-not-found.json');
  const gone = await get(`/api/v1/namespaces/${NS}/pods/nope-7d9c5b-x2x4q:8080/proxy/metrics`);
  assert.deepEqual([gone.status, gone.body], [missing.httpStatus, missing.body]);
});

test("a leader's metrics: the families flux-shard-metrics reads, with the real types, labels and buckets", async () => {
  const { leader } = await leaderAndStandby();
  const [want, got] = [families(fixture('metrics-leader.prom')), families(leader.text)];
  assert.deepEqual(read(got), read(want));
  const buckets = (f) => labelValues(f.get('controller_runtime_reconcile_time_seconds'), 'controller_runtime_reconcile_time_seconds_bucket', 'le');
  assert.deepEqual(buckets(got), buckets(want));
  assert.deepEqual(labelValues(got.get('workqueue_depth'), 'workqueue_depth', 'priority'), labelValues(want.get('workqueue_depth'), 'workqueue_depth', 'priority'));
  // The others too (Flux's gotk_*, certwatcher_*, process_*, rest_client_*), but the Go runtime's own
  // go_* (client_golang's runtime/metrics collector: about 150 families that nothing reads).
  const others = (fams) => Object.fromEntries([...fams].filter(([name]) => !READ.test(name) && !name.startsWith('go_')).map(([name, f]) => [name, signature(f)]));
  assert.deepEqual(others(got), others(want));
  // Numbers as Go writes them, and families in client_golang's order.
  assert.match(got.get('process_start_time_seconds').lines[0], /^process_start_time_seconds \d\.\d+e\+09$/);
  assert.deepEqual([...got.keys()], [...got.keys()].sort());
});

test("a standby's metrics: what the real standby exposes, none of the reconcile families, the same lease at 0", async () => {
  const { leader, standby } = await leaderAndStandby();
  const [want, got] = [families(fixture('metrics-standby.prom')), families(standby.text)];
  assert.deepEqual(read(got), read(want));
  for (const name of ['controller_runtime_reconcile_total', 'controller_runtime_active_workers', 'workqueue_depth', 'gotk_reconcile_duration_seconds']) {
    assert.equal(want.has(name), false, name);
    assert.equal(got.has(name), false, name);
  }
  const lease = (text, value) => new RegExp(`^leader_election_master_status\\{name="([^"]+)"\\} ${value}$`, 'm').exec(text)?.[1];
  assert.equal(lease(fixture('metrics-standby.prom'), 0), lease(fixture('metrics-leader.prom'), 1));
  assert.equal(lease(standby.text, 0), lease(leader.text, 1));
  assert.equal(lease(leader.text, 1), lease(fixture('metrics-leader.prom'), 1));
});

test("lease names: <controller>-leader-election-<first 8 hex of sha256(selector)>, as Flux's GenerateID makes them", async () => {
  const sha = (s) => createHash('sha256').update(s).digest('hex').slice(0, 8);
  const selectors = ['!sharding.fluxcd.io/key', ...['shard1', 'shard2', 'shard3'].map((s) => `sharding.fluxcd.io/key in (${s})`)];
  const names = real('leases.json').map((l) => l.name);
  assert.deepEqual(selectors.map((s) => `source-controller-leader-election-${sha(s)}`).sort(), [...names].sort());
  for (const name of ['source-controller', 'source-controller-shard1', 'source-controller-shard2', 'source-controller-shard3']) {
    const d = (await deployments()).find((x) => x.metadata.name === name);
    const selector = d.spec.template.spec.containers[0].args.find((a) => a.startsWith('--watch-label-selector=')).slice('--watch-label-selector='.length);
    const pod = (await podsOf(name)).find((p) => p.status.phase === 'Running');
    const lease = /^leader_election_master_status\{name="([^"]+)"\}/m.exec((await scrape(pod)).text)[1];
    assert.equal(lease, `source-controller-leader-election-${sha(selector)}`, name);
    assert.ok(names.includes(lease), lease);
  }
  // Without a selector, the controller's own name (the demo's notification-controller in team-b watches none).
  const demo = await startCluster({ frozen: true });
  try {
    const [pod] = (await (await fetch(`${demo.url}/api/v1/namespaces/team-b/pods`)).json()).items;
    const text = await (await fetch(`${demo.url}/api/v1/namespaces/team-b/pods/${pod.metadata.name}:8080/proxy/metrics`)).text();
    assert.match(text, /^leader_election_master_status\{name="notification-controller-leader-election"\} 1$/m);
  } finally {
    await demo.close();
  }
});

test('a pod deleted: Terminating (deletionTimestamp, still Running, not Ready, the proxy refused), replaced at once, its standby the leader, then gone', async () => {
  const live = await startCluster({ frozen: true });
  const real503 = real('status-proxy-refused.json');
  try {
    const fetchJson = async (path) => (await fetch(`${live.url}${path}`)).json();
    const shard1 = () => fetchJson(`/api/v1/namespaces/${NS}/pods?labelSelector=${encodeURIComponent('app=source-controller,templates.weave.works/shard=shard1')}`);
    const before = (await shard1()).items;
    const leaderName = live.cluster.pods.find((p) => before.some((b) => b.metadata.name === p.object.metadata.name) && !p.behaviour.standby).object.metadata.name;
    const counted = live.terminatePod(leaderName);
    assert.equal(counted.reconciliations, 20);
    const during = (await shard1()).items;
    assert.equal(during.length, 3);
    const old = during.find((p) => p.metadata.name === leaderName);
    assert.equal(typeof old.metadata.deletionTimestamp, 'string');
    assert.equal(old.metadata.deletionGracePeriodSeconds, 10);
    assert.equal(old.status.phase, 'Running');
    assert.equal(old.status.conditions.find((c) => c.type === 'Ready').status, 'False');
    assert.deepEqual(Object.keys(old.status.containerStatuses[0].state), ['terminated']);
    const refused = await (await fetch(`${live.url}/api/v1/namespaces/${NS}/pods/${leaderName}:8080/proxy/metrics`)).json();
    assert.deepEqual(refused, { ...real503.body, message: `error trying to reach service: dial tcp ${old.status.podIP}:8080: connect: connection refused` });
    // The standby took the lease: its controllers started, counting from zero; the replacement is the standby now.
    const others = during.filter((p) => p.metadata.name !== leaderName);
    const texts = await Promise.all(others.map(async (p) => [p, await (await fetch(`${live.url}/api/v1/namespaces/${NS}/pods/${p.metadata.name}:8080/proxy/metrics`)).text()]));
    const heir = texts.find(([p]) => before.some((b) => b.metadata.name === p.metadata.name));
    const replacement = texts.find(([p]) => !before.some((b) => b.metadata.name === p.metadata.name));
    assert.match(heir[1], /^leader_election_master_status\{name="source-controller-leader-election-7ee98f29"\} 1$/m);
    assert.match(heir[1], /^controller_runtime_reconcile_total\{controller="gitrepository",result="requeue_after"\} 0$/m);
    assert.equal(heir[0].status.conditions.find((c) => c.type === 'Ready').status, 'True');
    assert.match(replacement[1], /^leader_election_master_status\{name="source-controller-leader-election-7ee98f29"\} 0$/m);
    assert.doesNotMatch(replacement[1], /^controller_runtime_reconcile_total/m);
    assert.equal(replacement[0].metadata.ownerReferences[0].name, old.metadata.ownerReferences[0].name);
    const deployment = await fetchJson(`/apis/apps/v1/namespaces/${NS}/deployments/source-controller-shard1`);
    assert.deepEqual([deployment.status.replicas, deployment.status.readyReplicas, deployment.status.terminatingReplicas], [2, 1, 1]);
    // A moment later (sim seconds) it is gone.
    live.advance(3);
    const after = (await shard1()).items;
    assert.equal(after.length, 2);
    assert.ok(!after.some((p) => p.metadata.name === leaderName));
    const done = await fetchJson(`/apis/apps/v1/namespaces/${NS}/deployments/source-controller-shard1`);
    assert.equal(done.status.terminatingReplicas, 0);
    assert.equal((await fetch(`${live.url}/api/v1/namespaces/${NS}/pods/${leaderName}:8080/proxy/metrics`)).status, 404);
  } finally {
    await live.close();
  }
});

test('a rollout (Recreate): the old pods terminate, then the new ones start (Running, not Ready, the proxy refused), then serve', async () => {
  const live = await startCluster({ frozen: true });
  try {
    const pods = async () =>
      (await (await fetch(`${live.url}/api/v1/namespaces/${NS}/pods?labelSelector=${encodeURIComponent('templates.weave.works/shard=shard2,app=source-controller')}`)).json()).items;
    const [old] = await pods();
    const counted = live.rollDeployment(NS, 'source-controller-shard2', { startingSeconds: 30 });
    assert.equal(counted.reconciliations, 100);
    // Recreate: while the old pod terminates, no new one.
    const terminating = await pods();
    assert.deepEqual(
      terminating.map((p) => [p.metadata.name, typeof p.metadata.deletionTimestamp]),
      [[old.metadata.name, 'string']],
    );
    live.advance(3);
    const [started] = await pods();
    assert.notEqual(started.metadata.name, old.metadata.name);
    assert.equal(started.status.phase, 'Running');
    assert.equal(started.status.conditions.find((c) => c.type === 'Ready').status, 'False');
    assert.ok(Date.now() / 1000 - Date.parse(started.status.startTime) / 1000 < 60);
    const starting = await fetch(`${live.url}/api/v1/namespaces/${NS}/pods/${started.metadata.name}:8080/proxy/metrics`);
    assert.equal(starting.status, 503);
    assert.match((await starting.json()).message, /^error trying to reach service: dial tcp [\d.]+:8080: connect: connection refused$/);
    const deployment = await (await fetch(`${live.url}/apis/apps/v1/namespaces/${NS}/deployments/source-controller-shard2`)).json();
    assert.deepEqual([deployment.metadata.generation, deployment.status.observedGeneration, deployment.status.readyReplicas, deployment.status.unavailableReplicas], [2, 2, undefined, 1]);
    assert.equal(deployment.metadata.annotations['deployment.kubernetes.io/revision'], '2');
    // Started: Ready, its counters from zero.
    live.advance(30);
    const [ready] = await pods();
    assert.equal(ready.status.conditions.find((c) => c.type === 'Ready').status, 'True');
    const text = await (await fetch(`${live.url}/api/v1/namespaces/${NS}/pods/${ready.metadata.name}:8080/proxy/metrics`)).text();
    assert.match(text, /^controller_runtime_reconcile_total\{controller="ocirepository",result="requeue_after"\} \d+$/m);
    assert.ok(live.countsOf(ready.metadata.name).reconciliations < 100);
  } finally {
    await live.close();
  }
});

test('Deployments the Flux Operator renders and those made by hand have every field a real Flux Deployment has', async () => {
  // What the Flux Operator's labels transformer leaves alone: it writes metadata/labels only (its
  // fieldSpecs), so its pods keep the labels of Flux's manifests (`app`, component, control-plane).
  const operatorPods = ['app.kubernetes.io/instance', 'app.kubernetes.io/part-of', 'app.kubernetes.io/version'].map((l) => `spec.template.metadata.labels["${l}"]`);
  for (const [scenario, skip] of [
    ['operator', operatorPods],
    ['manual', []],
  ]) {
    const s = await startCluster({ scenario, frozen: true });
    try {
      const items = (await (await fetch(`${s.url}/apis/apps/v1/namespaces/${NS}/deployments`)).json()).items;
      for (const name of ['source-controller', 'source-controller-shard1', 'kustomize-controller-shard1']) {
        const d = items.find((x) => x.metadata.name === name);
        // A source-controller's metadata and spec (the fixture's); the status depends on the pods' state (the fixture's source has a standby that is not Ready).
        if (name.startsWith('source-controller')) {
          const found = differences(strip(real('deployment-source.json')), d).filter((p) => !p.startsWith('status.') && !skip.some((k) => p.startsWith(`${k}:`)));
          assert.deepEqual(found, [], `${scenario}: ${name}`);
        }
        // Never the shard key as a label, never an owner (FLUX-FACTS): the role annotation marks a shard.
        assert.equal(d.metadata.ownerReferences, undefined, name);
        assert.equal(d.metadata.annotations['sharding.fluxcd.io/role'], name.endsWith('-shard1') ? 'shard' : undefined, name);
        assert.ok(!Object.keys(d.spec.template.metadata.labels).includes('sharding.fluxcd.io/key'), name);
        assert.equal(d.spec.selector.matchLabels.app, name, `${scenario}: a shard's pods have an app of their own`);
      }
    } finally {
      await s.close();
    }
  }
});
