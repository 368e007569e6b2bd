// RBAC decided by the real API server: the README's Role and ClusterRole are enough (every other test
// runs as that viewer), and each of their rules is needed where it matters — without it, the product
// names exactly the permission that is missing, or says what it could not take into account. Each case
// is a user made for it (impersonated by the admin's kubeconfig), bound to the README's rules minus one
// resource (its Role in every namespace of a shard group). A rule the README does not have is skipped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, getShardMetrics, listShardGroups } from '../../dist/index.js';
import { admin, ADMIN, TESTS_DIR, kubectl, runCli, scenario, startViewerProxy } from './harness.mjs';

const [INSTANCE] = scenario.groups.filter((g) => g.kind === 'FluxInstance');
/** Every namespace of a shard group: the README's Role is bound in each. */
const NAMESPACES = [...new Set(scenario.groups.map((g) => g.namespace))];

/** The README's Role and ClusterRole, as JSON (kubectl reads the YAML). */
async function readmeRbac() {
  const text = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const section = text.slice(text.indexOf('### RBAC: what a user needs'));
  const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).slice(0, 2);
  const file = join(TESTS_DIR, 'readme-rbac.yaml');
  writeFileSync(file, blocks.join('---\n'));
  // kubectl prints one JSON document per object.
  const items = JSON.parse(`[${(await kubectl('create', '--dry-run=client', '-o', 'json', '-f', file)).trim().replace(/\}\n\{/g, '},{')}]`);
  return { role: items.find((i) => i.kind === 'Role'), clusterRole: items.find((i) => i.kind === 'ClusterRole') };
}

let serial = 0;

/** A user bound to the README's rules with `drop(rules, kind)` applied; returns the kubeconfig that impersonates it. */
async function userWith(dropRole, dropClusterRole) {
  const { role, clusterRole } = await readmeRbac();
  const name = `probe-${process.pid}-${++serial}`;
  const user = `${name}@example.com`;
  const subjects = [{ kind: 'User', name: user, apiGroup: 'rbac.authorization.k8s.io' }];
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  for (const namespace of NAMESPACES) {
    await admin.send('POST', `${rbac}/namespaces/${namespace}/roles`, { ...role, metadata: { name, namespace }, rules: dropRole(role.rules) });
    await admin.send('POST', `${rbac}/namespaces/${namespace}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name },
      subjects,
      roleRef: { kind: 'Role', name, apiGroup: 'rbac.authorization.k8s.io' },
    });
  }
  await admin.send('POST', `${rbac}/clusterroles`, { ...clusterRole, metadata: { name }, rules: dropClusterRole(clusterRole.rules) });
  await admin.send('POST', `${rbac}/clusterrolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    subjects,
    roleRef: { kind: 'ClusterRole', name, apiGroup: 'rbac.authorization.k8s.io' },
  });
  const kubeconfig = join(TESTS_DIR, `${name}.kubeconfig`);
  // The admin's credentials, impersonating the probe user: the API server decides as for that user.
  writeFileSync(kubeconfig, readFileSync(ADMIN, 'utf8').replace(/^(\s+token: \S+)$/m, `$1\n    as: ${user}`));
  return kubeconfig;
}

const keep = (rules) => rules;
/** The rules without `resource` (`verb` only, when given): a rule left with no resource or verb goes. */
const without = (resource, verb) => (rules) =>
  rules
    .map((r) => {
      if (!r.resources.includes(resource)) return r;
      if (verb && r.verbs.length > 1) return { ...r, verbs: r.verbs.filter((v) => v !== verb) };
      return { ...r, resources: r.resources.filter((x) => x !== resource) };
    })
    .filter((r) => r.resources.length > 0 && r.verbs.length > 0);
/** Whether the README grants `verb` on `resource` in its Role or ClusterRole. */
const grants = (rules, resource, verb) => rules.some((r) => r.resources.includes(resource) && r.verbs.includes(verb));

const getAs = (kubeconfig, ...args) => runCli(['get', scenario.shardSet, '--kubeconfig', kubeconfig, ...args]);

let readme;
/** Whether the CLI reads every kind of group (else the library is used through a kubectl proxy of the probe user). */
let cliGroups = false;
const proxies = [];
before(async () => {
  readme = await readmeRbac();
  await init();
  const r = await runCli(['list', '-A', '-o', 'json', '--kubeconfig', ADMIN]);
  cliGroups = r.status === 0 && JSON.parse(r.stdout).some((g) => g.kind === 'FluxInstance');
});
after(() => proxies.forEach((p) => p.stop()));

async function proxyAs(kubeconfig) {
  const p = await startViewerProxy([`--kubeconfig=${kubeconfig}`]);
  proxies.push(p);
  return p.url;
}

/** The group of Deployment `controller` in `namespace` as the probe user reads it: { status, read?, error? }. */
async function readAs(kubeconfig, namespace, controller) {
  if (cliGroups) {
    const r = await runCli(['get', `deployment/${controller}`, '-n', namespace, '-o', 'json', '--kubeconfig', kubeconfig]);
    return r.status === 0 ? { read: JSON.parse(r.stdout) } : { error: r.stderr };
  }
  try {
    return { read: await getShardMetrics({ server: await proxyAs(kubeconfig), namespace, controller }) };
  } catch (e) {
    return { error: e.message };
  }
}

/** `list -A` (or `-n NAMESPACE`) of the shard groups as the probe user: { groups?, error? }. */
async function listAs(kubeconfig, namespace) {
  if (cliGroups) {
    const r = await runCli(['list', ...(namespace ? ['-n', namespace] : ['-A']), '-o', 'json', '--kubeconfig', kubeconfig]);
    return r.status === 0 ? { groups: JSON.parse(r.stdout) } : { error: r.stderr };
  }
  try {
    return { groups: await listShardGroups({ server: await proxyAs(kubeconfig), ...(namespace ? { namespace } : {}) }) };
  } catch (e) {
    return { error: e.message };
  }
}

test('the README rules as a fresh user: get works', async () => {
  const r = await getAs(await userWith(keep, keep), '-o', 'json');
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  assert.deepEqual(m.problems, []);
  assert.ok(m.deployments.every((d) => d.objects !== null && d.status !== 'unreachable'));
});

test('without get on fluxshardsets: get fails naming it', async () => {
  const r = await getAs(await userWith(without('fluxshardsets'), keep));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /forbidden \(HTTP 403\) .*the RBAC permission `get` on `fluxshardsets` \(API group templates\.weave\.works\) in namespace `flux-system` is missing/);
});

test('without list on deployments: get fails naming it', async () => {
  // Listing the Deployments of every namespace (list -A) may come from the ClusterRole: dropped there too.
  const r = await getAs(await userWith(without('deployments'), without('deployments')));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /the RBAC permission `list` on `deployments` \(API group apps\) in namespace `flux-system` is missing/);
});

test('without list on replicasets: get fails naming it', async () => {
  const r = await getAs(await userWith(without('replicasets'), keep));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /the RBAC permission `list` on `replicasets` \(API group apps\) in namespace `flux-system` is missing/);
});

test('without list on pods: get fails naming it', async () => {
  const r = await getAs(await userWith(without('pods'), keep));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /the RBAC permission `list` on `pods` \(API group core\) in namespace `flux-system` is missing/);
});

test('without get on pods/proxy: every running pod is unreachable, naming it', async () => {
  const r = await getAs(await userWith(without('pods/proxy'), keep), '-o', 'json');
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  for (const d of m.deployments) {
    // The shards are misconfigured besides (their artifact server): unreachable is in their flags.
    assert.ok(d.flags.includes('unreachable'), `${d.name}: ${d.flags}`);
    const why = d.status === 'unreachable' ? d.statusReason : d.problems.map((p) => p.message).join('\n');
    assert.match(why, /the RBAC permission `get` on `pods\/proxy` \(API group core\) in namespace `flux-system` is missing/, d.name);
  }
});

test('without list on the source kinds (the ClusterRole): the objects are unknown, the permission named', async () => {
  const r = await getAs(await userWith(keep, without('gitrepositories')), '-o', 'json');
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  const forbidden = m.problems.filter((p) => p.kind === 'forbidden');
  assert.ok(forbidden.length > 0, JSON.stringify(m.problems));
  assert.ok(
    forbidden.some((p) => p.permission.resource === 'gitrepositories' && p.permission.group === 'source.toolkit.fluxcd.io' && p.permission.namespace === null),
    JSON.stringify(forbidden),
  );
  assert.match(
    m.warnings.join('\n'),
    /objects of kind GitRepository could not be read: forbidden \(HTTP 403\) .*`list` on `gitrepositories` \(API group source\.toolkit\.fluxcd\.io\) in all namespaces \(a ClusterRole\)/,
  );
});

test('without list on fluxshardsets in the ClusterRole: list -A fails naming it', async () => {
  const kubeconfig = await userWith(keep, without('fluxshardsets'));
  const r = await runCli(['list', '-A', '--kubeconfig', kubeconfig]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /the RBAC permission `list` on `fluxshardsets` \(API group templates\.weave\.works\) in all namespaces \(a ClusterRole\) is missing/);
  // The namespace's Role still lists the namespace's shard sets.
  const ns = await runCli(['list', '-n', scenario.namespace, '--kubeconfig', kubeconfig]);
  assert.equal(ns.status, 0, ns.stderr);
});

test('without list on services: the artifact servers are checked by their flags only, the permission named', async (t) => {
  if (!grants(readme.role.rules, 'services', 'list')) return t.skip('the README grants no list on services');
  const kubeconfig = await userWith(without('services'), keep);
  const warning = (ns) =>
    new RegExp(
      `^the artifact servers of the shards are checked by their flags only: the Services could not be listed: forbidden \\(HTTP 403\\) .*the RBAC permission \`list\` on \`services\` \\(API group core\\) in namespace \`${ns}\` is missing`,
    );
  // A FluxShardSet's shards: still misconfigured by their flags, their Services no longer checked.
  const set = JSON.parse((await getAs(kubeconfig, '-o', 'json')).stdout);
  assert.match(set.warnings.join('\n'), warning(scenario.namespace));
  const shard1 = set.deployments.find((d) => d.shard === 'shard1');
  assert.deepEqual(shard1.flags, ['misconfigured', 'artifactServer']);
  assert.equal(
    shard1.statusReason,
    "its --storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local. names the Service source-controller, not its own (source-controller-shard1): the artifacts of its objects would be fetched from another Deployment's artifact server",
  );
  // The FluxInstance's: their flags name their own Services, which are not checked.
  const { read, error } = await readAs(kubeconfig, INSTANCE.namespace, 'source-controller');
  assert.ok(read, error);
  assert.match(read.warnings.join('\n'), warning(INSTANCE.namespace));
  for (const d of read.deployments) assert.ok(!d.flags.includes('artifactServer'), d.name);
  // A controller that serves no artifacts does not list Services.
  const k = await readAs(kubeconfig, INSTANCE.namespace, 'kustomize-controller');
  assert.deepEqual(k.read?.warnings, [], k.error);
});

test("without get on fluxinstances: the FluxInstance's groups are read as made by hand, and said so", async (t) => {
  if (!grants(readme.role.rules, 'fluxinstances', 'get')) return t.skip('the README grants no get on fluxinstances');
  const kubeconfig = await userWith(without('fluxinstances', 'get'), keep);
  const { read, error } = await readAs(kubeconfig, INSTANCE.namespace, 'kustomize-controller');
  assert.ok(read, error);
  assert.match(
    read.warnings.join('\n'),
    new RegExp(
      `the FluxInstance could not be read, so the Flux Operator's sharding is not taken into account: forbidden \\(HTTP 403\\) .*the RBAC permission \`get\` on \`fluxinstances\` \\(API group fluxcd\\.controlplane\\.io\\) in namespace \`${INSTANCE.namespace}\` is missing`,
    ),
  );
  assert.equal(read.group.kind, 'Manual');
  assert.equal(read.group.key, INSTANCE.key, 'the key, from the selectors');
});

test('the Role alone lists the groups of its namespace; without list on fluxinstances, list -n fails naming it', async (t) => {
  if (!grants(readme.role.rules, 'fluxinstances', 'list')) return t.skip('the README grants no list on fluxinstances in its Role');
  // A user with the Role only (its ClusterRole grants nothing: the ClusterRole's list would cover every namespace).
  const none = () => [];
  const ok = await listAs(await userWith(keep, none), INSTANCE.namespace);
  assert.deepEqual(
    ok.groups?.map((g) => [g.kind, g.controller]),
    [...INSTANCE.controllers].sort().map((c) => ['FluxInstance', c]),
    ok.error,
  );
  const r = await listAs(await userWith(without('fluxinstances', 'list'), none), INSTANCE.namespace);
  assert.ok(r.error, JSON.stringify(r.groups));
  assert.match(r.error, new RegExp(`the RBAC permission \`list\` on \`fluxinstances\` \\(API group fluxcd\\.controlplane\\.io\\) in namespace \`${INSTANCE.namespace}\` is missing`));
});

test('without list on deployments or fluxinstances in the ClusterRole: list -A fails naming it', async (t) => {
  for (const resource of ['deployments', 'fluxinstances']) {
    if (!grants(readme.clusterRole.rules, resource, 'list')) {
      t.diagnostic(`the README's ClusterRole grants no list on ${resource}`);
      continue;
    }
    const r = await listAs(await userWith(keep, without(resource)));
    assert.ok(r.error, `${resource}: ${JSON.stringify(r.groups)}`);
    const group = resource === 'deployments' ? 'apps' : 'fluxcd\\.controlplane\\.io';
    assert.match(r.error, new RegExp(`the RBAC permission \`list\` on \`${resource}\` \\(API group ${group}\\) in all namespaces \\(a ClusterRole\\) is missing`));
  }
  // With the README's rules, list -A lists every group.
  const all = await listAs(await userWith(keep, keep));
  assert.deepEqual(all.error, undefined);
  assert.equal(
    all.groups.length,
    scenario.groups.reduce((n, g) => n + g.controllers.length, 0),
  );
});
