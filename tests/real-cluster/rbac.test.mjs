// RBAC decided by the real API server: the README's Role and ClusterRole are enough (every other test
// runs as that viewer), and each of their rules that a source-controller shard set uses is needed —
// without it, the product names exactly the permission that is missing. Each case is a user made
// for it (impersonated by the admin's kubeconfig), bound to the README's rules minus one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { admin, ADMIN, TESTS_DIR, kubectl, runCli, scenario } from './harness.mjs';

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
  await admin.send('POST', `${rbac}/namespaces/${scenario.namespace}/roles`, { ...role, metadata: { name, namespace: scenario.namespace }, rules: dropRole(role.rules) });
  await admin.send('POST', `${rbac}/namespaces/${scenario.namespace}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name },
    subjects,
    roleRef: { kind: 'Role', name, apiGroup: 'rbac.authorization.k8s.io' },
  });
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
/** Every rule but the one that grants `resource`. */
const without = (resource) => (rules) => rules.filter((r) => !r.resources.includes(resource));

const getAs = (kubeconfig, ...args) => runCli(['get', scenario.shardSet, '--kubeconfig', kubeconfig, ...args]);

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
  const r = await getAs(await userWith(without('deployments'), keep));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /the RBAC permission `list` on `deployments` \(API group apps\) in namespace `flux-system` is missing/);
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
    assert.equal(d.status, 'unreachable', d.name);
    assert.match(d.statusReason, /the RBAC permission `get` on `pods\/proxy` \(API group core\) in namespace `flux-system` is missing/);
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
