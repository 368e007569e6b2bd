// @ts-check
// The node agent: plays the kubelet (and the scheduler's binding) for one Node of the real-cluster
// harness, so that Pods made by the real Deployment and ReplicaSet controllers run the real
// controller binaries as host processes inside the harness's network namespace.
//
//   node tests/real-cluster/node-agent.mjs CONFIG.json
//
// CONFIG: { kubeconfig, controllerKubeconfig, node, ipPrefix ("10.244.0."), firstHost, stateDir,
//           images: { "<image repository>": { binary, addresses: [{ flag, port, default }], dirs: { "--flag": "subdir" } } } }
//
// For each Pod: binds it to the Node when it has none; gives it an IP of the pod CIDR; runs each
// container whose image it knows as a process with the Pod's own args, `$(VAR)` expanded from the
// container's env as the kubelet does, every address the binary listens on pointed at the Pod's IP
// (its flags appended, pflag's last occurrence wins: the port of the container port named so, else
// the binary's default; in a real pod each process has its own network namespace, here they share
// one, so nothing may listen on a wildcard address), KUBECONFIG set, and the service account's namespace file
// where controller-runtime looks for it (a private mount namespace per process); reports phase,
// podIP(s), startTime, conditions (Ready from the readiness probe) and containerStatuses with
// restartCount; runs a process again when it exits (a restart), and stops it when the Pod is deleted.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { Kube, credentialsOf } from './kube.mjs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const kube = new Kube(credentialsOf(config.kubeconfig));
const NODE = config.node;
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const log = (...a) => console.log(new Date().toISOString(), ...a);

/** @typedef {{ name: string, child?: import('node:child_process').ChildProcess, restarts: number, startedAt?: string, ready: boolean, lastExit?: {code: number|null, signal: string|null, at: string}, known: boolean }} ContainerState */
/** @typedef {{ uid: string, namespace: string, name: string, ip: string, dir: string, pod: any, containers: ContainerState[], started: string, stopping: boolean, gone: boolean, creating?: boolean, probeTimer?: NodeJS.Timeout, lastStatus?: string, reporting?: Promise<void>, reportAgain?: boolean }} PodState */

/** @type {Map<string, PodState>} by uid */
const pods = new Map();
let nextHost = config.firstHost;
const usedIps = new Set();

function allocateIp() {
  for (let i = 0; i < 240; i++) {
    const host = nextHost;
    nextHost = nextHost >= 250 ? config.firstHost : nextHost + 1;
    const ip = `${config.ipPrefix}${host}`;
    if (!usedIps.has(ip)) {
      usedIps.add(ip);
      return ip;
    }
  }
  throw new Error('pod CIDR exhausted');
}

async function registerNode() {
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: NODE, labels: { 'kubernetes.io/hostname': NODE, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } },
    spec: { podCIDR: `${config.ipPrefix}0/24`, podCIDRs: [`${config.ipPrefix}0/24`] },
  };
  const created = await kube.request('POST', '/api/v1/nodes', node);
  if (![201, 409].includes(created.status)) throw new Error(`registering node ${NODE}: HTTP ${created.status} ${created.text}`);
  await reportNode();
}

async function reportNode() {
  const now = new Date().toISOString();
  const condition = (type, status, reason, message) => ({ type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: config.startedAt ?? now });
  await kube.mergePatch(`/api/v1/nodes/${NODE}/status`, {
    status: {
      capacity: { cpu: '2', memory: '24Gi', pods: '110' },
      allocatable: { cpu: '2', memory: '24Gi', pods: '110' },
      addresses: [
        { type: 'InternalIP', address: `${config.ipPrefix}1` },
        { type: 'Hostname', address: NODE },
      ],
      conditions: [
        condition('Ready', 'True', 'KubeletReady', 'the flux-shard-metrics node agent is running pods as processes'),
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', ''),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', ''),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', ''),
      ],
      nodeInfo: {
        kubeletVersion: config.kubeletVersion ?? 'v0.0.0-node-agent',
        containerRuntimeVersion: 'process://node-agent',
        operatingSystem: 'linux',
        architecture: 'amd64',
        osImage: 'flux-shard-metrics real-cluster harness',
        kernelVersion: '',
        kubeProxyVersion: '',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
    },
  });
}

/** The image repository, without tag or digest. */
function repositoryOf(image) {
  const noDigest = image.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** The value of a container env var as the kubelet resolves it (literal or a few field refs). */
function envOf(pod, container, ip) {
  /** @type {Record<string, string>} */
  const env = {};
  const fields = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'metadata.uid': pod.metadata.uid,
    'spec.nodeName': NODE,
    'spec.serviceAccountName': pod.spec.serviceAccountName ?? 'default',
    'status.podIP': ip,
    'status.hostIP': `${config.ipPrefix}1`,
  };
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = expand(e.value, env);
    else if (e.valueFrom?.fieldRef) env[e.name] = fields[e.valueFrom.fieldRef.fieldPath] ?? '';
    else if (e.valueFrom?.resourceFieldRef) env[e.name] = e.valueFrom.resourceFieldRef.resource.startsWith('limits.memory') ? String(1 << 30) : '1';
  }
  return env;
}

/** Kubernetes' `$(VAR)` expansion: defined names replaced, `$$` an escaped `$`, the rest kept. */
function expand(text, env) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') {
      out += '$';
      i++;
    } else if (text[i] === '$' && text[i + 1] === '(') {
      const end = text.indexOf(')', i + 2);
      const name = end < 0 ? '' : text.slice(i + 2, end);
      if (end >= 0 && Object.hasOwn(env, name)) {
        out += env[name];
        i = end;
      } else out += '$';
    } else out += text[i];
  }
  return out;
}

function writeServiceAccount(state) {
  const dir = join(state.dir, 'serviceaccount');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'namespace'), state.namespace);
  writeFileSync(join(dir, 'token'), credentialsOf(config.controllerKubeconfig).token);
  writeFileSync(join(dir, 'ca.crt'), credentialsOf(config.controllerKubeconfig).ca);
  return dir;
}

/** @param {PodState} state @param {ContainerState} cs */
function startContainer(state, cs) {
  const container = state.pod.spec.containers.find((c) => c.name === cs.name);
  const image = config.images[repositoryOf(container.image)];
  const env = envOf(state.pod, container, state.ip);
  const args = [...(container.command ?? []).slice(1), ...(container.args ?? [])].map((a) => expand(a, env));
  for (const a of image.addresses ?? []) {
    const port = container.ports?.find((p) => p.name === a.port)?.containerPort ?? a.default;
    args.push(`${a.flag}=${state.ip}:${port}`);
  }
  for (const [flag, sub] of Object.entries(image.dirs ?? {})) {
    const dir = join(state.dir, sub);
    mkdirSync(dir, { recursive: true });
    args.push(`${flag}=${dir}`);
  }
  const saDir = writeServiceAccount(state);
  const home = join(state.dir, 'home');
  mkdirSync(join(home, 'tmp'), { recursive: true });
  const out = openSync(join(state.dir, `${cs.name}.log`), 'a');
  // A private mount namespace, so that controller-runtime finds the pod's namespace (leader election
  // out of a cluster), and a UTS namespace whose hostname is the pod's name, as in a pod (controller-
  // runtime's leader identity is `<hostname>_<uuid>`).
  const script = `mount --bind "$1" ${SA_DIR} && hostname "$2" && shift 2 && exec "$@"`;
  const child = spawn('unshare', ['--mount', '--uts', '--propagation', 'private', '--', 'sh', '-c', script, 'sh', saDir, state.name, image.binary, ...args], {
    env: { PATH: process.env.PATH, HOME: home, TMPDIR: join(home, 'tmp'), HOSTNAME: state.name, ...env, KUBECONFIG: config.controllerKubeconfig },
    stdio: ['ignore', out, out],
    detached: true,
  });
  cs.child = child;
  cs.startedAt = new Date().toISOString();
  cs.ready = false;
  writeFileSync(join(state.dir, `${cs.name}.pid`), String(child.pid));
  log(`started ${state.namespace}/${state.name} ${cs.name} (pid ${child.pid}) at ${state.ip}: ${image.binary} ${args.join(' ')}`);
  child.on('exit', (code, signal) => {
    cs.child = undefined;
    cs.ready = false;
    cs.lastExit = { code, signal, at: new Date().toISOString() };
    if (state.stopping || state.gone) return;
    cs.restarts++;
    log(`${state.namespace}/${state.name} ${cs.name} exited (${signal ?? code}); restart ${cs.restarts}`);
    void report(state);
    setTimeout(() => {
      if (!state.stopping && !state.gone) {
        startContainer(state, cs);
        void report(state);
      }
    }, 1000);
  });
}

/** Probes `readinessProbe.httpGet` of each running container (or counts it ready once started). */
function probe(state) {
  for (const cs of state.containers) {
    if (!cs.child) continue;
    const container = state.pod.spec.containers.find((c) => c.name === cs.name);
    const get = container.readinessProbe?.httpGet;
    if (!get) {
      cs.ready = true;
      continue;
    }
    const port = typeof get.port === 'number' ? get.port : container.ports?.find((p) => p.name === get.port)?.containerPort;
    const req = httpRequest({ host: state.ip, port, path: get.path ?? '/', timeout: 1000 }, (res) => {
      res.resume();
      const ok = (res.statusCode ?? 500) < 400;
      if (ok !== cs.ready) {
        cs.ready = ok;
        void report(state);
      }
    });
    req.on('error', () => {
      if (cs.ready) {
        cs.ready = false;
        void report(state);
      }
    });
    req.on('timeout', () => req.destroy());
    req.end();
  }
}

function statusOf(state) {
  const now = new Date().toISOString();
  const running = state.containers.filter((c) => c.known);
  const allReady = !state.creating && running.length === state.containers.length && running.every((c) => c.ready);
  const unknown = state.containers.find((c) => !c.known);
  const cond = (type, ok) => ({ type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: state.started });
  return {
    phase: unknown || state.creating ? 'Pending' : 'Running',
    hostIP: `${config.ipPrefix}1`,
    hostIPs: [{ ip: `${config.ipPrefix}1` }],
    ...(state.creating ? {} : { podIP: state.ip, podIPs: [{ ip: state.ip }] }),
    startTime: state.started,
    conditions: [cond('PodReadyToStartContainers', !state.creating), cond('Initialized', true), cond('Ready', allReady), cond('ContainersReady', allReady), cond('PodScheduled', true)],
    containerStatuses: state.containers.map((cs) => {
      const container = state.pod.spec.containers.find((c) => c.name === cs.name);
      const last = cs.lastExit ? { terminated: { exitCode: cs.lastExit.code ?? 137, signal: 0, reason: cs.lastExit.signal ? 'Error' : 'Completed', startedAt: null, finishedAt: cs.lastExit.at } } : {};
      const state_ = !cs.known
        ? { waiting: { reason: 'ErrImagePull', message: `the node agent has no binary for image ${container.image}` } }
        : state.creating
          ? { waiting: { reason: 'ContainerCreating' } }
          : cs.child
            ? { running: { startedAt: cs.startedAt ?? now } }
            : state.stopping
              ? { terminated: { exitCode: cs.lastExit?.code ?? 0, reason: 'Completed', startedAt: cs.startedAt ?? now, finishedAt: cs.lastExit?.at ?? now } }
              : { waiting: { reason: 'CrashLoopBackOff', message: 'back-off restarting the process' } };
      return {
        name: cs.name,
        image: container.image,
        imageID: `process://${container.image}`,
        containerID: cs.child ? `process://${cs.child.pid}` : '',
        ready: cs.ready,
        started: Boolean(cs.child),
        restartCount: cs.restarts,
        state: state_,
        lastState: last,
      };
    }),
  };
}

/**
 * Writes the Pod's status when it changed since the last report. One write per pod at a time: two
 * PATCHes in flight on two connections may reach the API server in either order, and an older "not
 * Ready" landing last would stay (the next report sees nothing changed). A report asked for while one
 * is in flight runs after it, with the status as it is then.
 */
async function report(state) {
  if (state.reporting) {
    state.reportAgain = true;
    return state.reporting;
  }
  state.reporting = (async () => {
    try {
      do {
        state.reportAgain = false;
        await writeStatus(state);
      } while (state.reportAgain && !state.gone);
    } finally {
      // In the same step as the last check of reportAgain: no request is left behind.
      state.reporting = undefined;
    }
  })();
  return state.reporting;
}

/** @param {PodState} state */
async function writeStatus(state) {
  if (state.gone) return;
  const status = statusOf(state);
  const key = JSON.stringify({ ...status, conditions: status.conditions.map((c) => [c.type, c.status]) });
  if (key === state.lastStatus) return;
  state.lastStatus = key;
  let a;
  try {
    a = await kube.request('PATCH', `/api/v1/namespaces/${state.namespace}/pods/${state.name}/status`, { status }, 'application/merge-patch+json');
  } catch (e) {
    state.lastStatus = undefined;
    log(`status of ${state.namespace}/${state.name}: ${e instanceof Error ? e.message : e}; tried again at the next probe`);
    return;
  }
  if (a.status === 404) {
    state.gone = true;
    log(`status of ${state.namespace}/${state.name}: HTTP 404 (the pod is gone): ${a.text.slice(0, 300)}`);
  } else if (a.status !== 200) {
    // Tried again at the next probe.
    state.lastStatus = undefined;
    log(`status of ${state.namespace}/${state.name}: HTTP ${a.status} ${a.text.slice(0, 300)}`);
  }
}

async function bind(pod) {
  const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name, uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: NODE } };
  const a = await kube.request('POST', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/binding`, binding);
  if (![201, 409, 404].includes(a.status)) log(`binding ${pod.metadata.namespace}/${pod.metadata.name}: HTTP ${a.status} ${a.text.slice(0, 200)}`);
}

function admit(pod) {
  const ip = allocateIp();
  const dir = join(config.stateDir, 'pods', `${pod.metadata.namespace}_${pod.metadata.name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  /** @type {PodState} */
  const state = {
    uid: pod.metadata.uid,
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    ip,
    dir,
    pod,
    started: new Date().toISOString(),
    stopping: false,
    gone: false,
    containers: pod.spec.containers.map((c) => ({ name: c.name, restarts: 0, ready: false, known: Boolean(config.images[repositoryOf(c.image)]) })),
  };
  pods.set(state.uid, state);
  writeFileSync(join(dir, 'ip'), ip);
  // As a kubelet does, the containers start a moment after the pod is bound (sandbox, image): the pod
  // is Pending (ContainerCreating) until then.
  state.creating = true;
  void report(state);
  setTimeout(() => {
    state.creating = false;
    if (state.stopping || state.gone) return;
    for (const cs of state.containers) if (cs.known) startContainer(state, cs);
    void report(state);
  }, config.containerStartDelayMs ?? 1000);
  state.probeTimer = setInterval(() => {
    probe(state);
    void report(state);
  }, 1000);
}

/** Stops the Pod's processes (TERM, then KILL after its grace period, at most 10 s), then removes it as the kubelet does. */
async function stop(state, deleteObject) {
  if (state.stopping) return;
  state.stopping = true;
  clearInterval(state.probeTimer);
  const grace = Math.min(state.pod.spec.terminationGracePeriodSeconds ?? 30, 10) * 1000;
  await Promise.all(
    state.containers.map(
      (cs) =>
        new Promise((resolve) => {
          const child = cs.child;
          if (!child || child.pid === undefined) return resolve(undefined);
          const pid = child.pid;
          child.once('exit', resolve);
          try {
            process.kill(-pid, 'SIGTERM');
          } catch {}
          setTimeout(() => {
            try {
              process.kill(-pid, 'SIGKILL');
            } catch {}
          }, grace).unref();
        }),
    ),
  );
  // Its containers have exited: not Ready any more, as the kubelet reports until the pod is gone.
  if (deleteObject) await report(state);
  usedIps.delete(state.ip);
  pods.delete(state.uid);
  log(`stopped ${state.namespace}/${state.name}`);
  if (deleteObject) {
    // A kubelet confirms the deletion at its next sync, not at once: the pod stays Terminating meanwhile.
    await new Promise((r) => setTimeout(r, config.deleteDelayMs ?? 1000));
    const a = await kube.request('DELETE', `/api/v1/namespaces/${state.namespace}/pods/${state.name}`, {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: 0,
      preconditions: { uid: state.uid },
    });
    if (![200, 404, 409].includes(a.status)) log(`deleting ${state.namespace}/${state.name}: HTTP ${a.status}`);
  }
}

function onPod(type, pod) {
  const state = pods.get(pod.metadata.uid);
  if (type === 'DELETED') {
    if (state) {
      state.gone = true;
      void stop(state, false);
    }
    return;
  }
  if (!pod.spec.nodeName) {
    if (!pod.metadata.deletionTimestamp) void bind(pod);
    return;
  }
  if (pod.spec.nodeName !== NODE) return;
  if (pod.metadata.deletionTimestamp) {
    if (state) void stop(state, true);
    else void kube.request('DELETE', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 });
    return;
  }
  if (state) {
    state.pod = pod;
    return;
  }
  if (['Succeeded', 'Failed'].includes(pod.status?.phase)) return;
  admit(pod);
}

async function main() {
  config.startedAt = new Date().toISOString();
  await registerNode();
  setInterval(() => void reportNode().catch((e) => log('node status:', e.message)), 10000).unref();
  log(`node ${NODE} registered`);
  const stopAll = async () => {
    await Promise.all([...pods.values()].map((s) => stop(s, false)));
    process.exit(0);
  };
  process.on('SIGTERM', stopAll);
  process.on('SIGINT', stopAll);
  await kube.inform(
    '/api/v1/pods',
    (items) => {
      const seen = new Set(items.map((p) => p.metadata.uid));
      for (const state of [...pods.values()]) if (!seen.has(state.uid)) onPod('DELETED', state.pod);
      for (const p of items) onPod('ADDED', p);
    },
    (e) => onPod(e.type, e.object),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
