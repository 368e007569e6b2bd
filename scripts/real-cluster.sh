#!/usr/bin/env bash
# A real Kubernetes control plane with real Flux controllers, in a private network namespace.
#
#   bash scripts/real-cluster.sh up DIR     # builds what is missing, starts everything, returns once the
#                                           # FluxShardSet is Ready, every running pod has served /metrics
#                                           # and every object a controller selects was reconciled once
#   bash scripts/real-cluster.sh down DIR   # stops every process it started and removes the network namespace
#   bash scripts/real-cluster.sh build      # only builds (tests/real-cluster/build.sh)
#
# Built from Go modules at the versions of tests/real-cluster/versions.env (cached, see build.sh):
# etcd, kube-apiserver (TLS, static tokens, RBAC), kube-controller-manager (the Deployment,
# ReplicaSet, garbage collector, service account and EndpointSlice controllers), source-controller,
# kustomize-controller, the Flux Operator, and the FluxShardSet controller (this project's stand-in:
# tests/real-cluster/shard-controller).
# No kubelet: tests/real-cluster/node-agent.mjs plays it for one Node and runs each pod's `manager`
# container as a host process with the pod's own args. Pod IPs come from 10.244.0.0/24, routed to
# `lo` inside the namespace, so the API server's pod proxy reaches them and no traffic leaves it.
#
# After `up`, DIR holds admin.kubeconfig, viewer.kubeconfig (the README's RBAC only),
# prometheus.kubeconfig (list/watch pods, for kubernetes_sd_configs), netns (the namespace's name:
# `ip netns exec "$(cat DIR/netns)" …`), versions, scenario.json, prometheus (the binary the tests
# run), logs/, agent/ (each pod's process state: agent/pods/NS_POD/{ip,manager.pid,manager.log}),
# operator/ (the Flux Operator's --storage-path: a copy of its module's config/data) and tests/ (what
# the tests write).
#
# The scenario (tests/real-cluster/scenario.mjs): a FluxShardSet in flux-system; a FluxInstance in
# flux-operated, rendered by the real Flux Operator; and two groups made by hand, flux-manual (the Flux
# docs' sharding guide, tests/real-cluster/manual/current) and flux-legacy (its older `notin` form).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/tests/real-cluster
cmd=${1:-}
dir=${2:-}
API=https://127.0.0.1:6443

usage() { echo "usage: $0 up DIR | down DIR | build" >&2; exit 2; }
say() { printf 'real-cluster: %s\n' "$*" >&2; }

[ "$(id -u)" = 0 ] || { echo "real-cluster: needs root (ip netns, mount namespaces)" >&2; exit 1; }

nsexec() { ip netns exec "$(cat "$dir/netns")" "$@"; }

# start NAME CMD...: a daemon inside the namespace, in its own session, logging to DIR/logs/NAME.log.
start() {
  local name=$1; shift
  setsid ip netns exec "$(cat "$dir/netns")" "$@" >"$dir/logs/$name.log" 2>&1 </dev/null &
  echo "$! $name" >>"$dir/pids"
}

# wait_for WHAT SECONDS CMD...: runs CMD until it succeeds.
wait_for() {
  local what=$1 limit=$2; shift 2
  local t=0
  until "$@" >/dev/null 2>&1; do
    t=$((t + 1))
    if [ $t -ge $((limit * 2)) ]; then
      say "$what did not happen within $limit s"
      return 1
    fi
    sleep 0.5
  done
}

kubeconfig() { # FILE USER TOKEN
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: real-cluster
  cluster:
    server: $API
    certificate-authority-data: $(base64 -w0 <"$dir/pki/ca.crt")
users:
- name: $2
  user:
    token: $3
contexts:
- name: $2@real-cluster
  context:
    cluster: real-cluster
    user: $2
    namespace: flux-system
current-context: $2@real-cluster
EOF
}

pki() {
  local p=$dir/pki
  mkdir -p "$p"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$p/ca.key" -out "$p/ca.crt" -days 7 -subj /CN=flux-shard-metrics-real-cluster-ca 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$p/apiserver.key" -out "$p/apiserver.csr" -subj /CN=kube-apiserver 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,IP:10.244.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\n' >"$p/apiserver.ext"
  openssl x509 -req -in "$p/apiserver.csr" -CA "$p/ca.crt" -CAkey "$p/ca.key" -CAcreateserial -days 7 -extfile "$p/apiserver.ext" -out "$p/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$p/sa.key" 2048 2>/dev/null
  openssl rsa -in "$p/sa.key" -pubout -out "$p/sa.pub" 2>/dev/null
  local admin viewer controllers kcm prometheus
  admin=$(openssl rand -hex 24); viewer=$(openssl rand -hex 24); controllers=$(openssl rand -hex 24)
  kcm=$(openssl rand -hex 24); prometheus=$(openssl rand -hex 24)
  cat >"$p/tokens.csv" <<EOF
$admin,admin,admin,"system:masters"
$kcm,system:kube-controller-manager,kcm,"system:masters"
$controllers,flux-controllers,flux-controllers,"system:masters"
$viewer,jane@example.com,jane
$prometheus,prometheus,prometheus
EOF
  kubeconfig "$dir/admin.kubeconfig" admin "$admin"
  kubeconfig "$dir/controller-manager.kubeconfig" system:kube-controller-manager "$kcm"
  kubeconfig "$dir/controllers.kubeconfig" flux-controllers "$controllers"
  kubeconfig "$dir/viewer.kubeconfig" jane@example.com "$viewer"
  kubeconfig "$dir/prometheus.kubeconfig" prometheus "$prometheus"
  chmod 600 "$dir"/*.kubeconfig
}

# The README's Role and ClusterRole (the YAML blocks of its RBAC section), bound to the viewer.
readme_rbac() {
  node -e '
    const text = require("fs").readFileSync(process.argv[1], "utf8");
    const section = text.slice(text.indexOf("### RBAC: what a user needs"));
    const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).slice(0, 2);
    // The Role "for one namespace" (and its binding) in each namespace of a shard group.
    const roles = process.argv.slice(2).map((ns) => blocks[0].replace(/^(\s*namespace:) flux-system$/gm, `$1 ${ns}`));
    process.stdout.write([blocks[0], ...roles, blocks[1]].join("---\n"));
  ' "$root/README.md" flux-operated flux-manual flux-legacy
  cat <<'EOF'
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: flux-shard-metrics-list
subjects:
  - kind: User
    name: jane@example.com
    apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: ClusterRole
  name: flux-shard-metrics-list
  apiGroup: rbac.authorization.k8s.io
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: prometheus-discovery
rules:
  - apiGroups: [""]
    resources: ["pods", "services", "endpoints", "nodes"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: prometheus-discovery
subjects:
  - kind: User
    name: prometheus
    apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: ClusterRole
  name: prometheus-discovery
  apiGroup: rbac.authorization.k8s.io
EOF
}

k() { nsexec kubectl --kubeconfig "$dir/admin.kubeconfig" "$@"; }

# Every running pod of namespace NS has served /metrics from its IP, and there are at least WANT.
all_pods_serve_metrics() {
  local ns=$1 want=$2 ips n=0 ip
  ips=$(k get pods -n "$ns" -o jsonpath='{range .items[*]}{.status.phase}{" "}{.status.podIP}{"\n"}{end}' | awk '$1 == "Running" && $2 != "" {print $2}')
  for ip in $ips; do
    nsexec curl -sf --max-time 2 -o /dev/null "http://$ip:8080/metrics" || return 1
    n=$((n + 1))
  done
  [ "$n" -ge "$want" ]
}

# Every Flux object that some controller selects has been reconciled once (it has a Ready condition,
# True or False): the counts and statuses have settled. Objects whose key no shard serves never are.
all_objects_reconciled() {
  k get gitrepositories,helmrepositories -A -l 'sharding.fluxcd.io/key notin (shard9)' -o json |
    jq -e '.items | length > 0 and all(.status.conditions // [] | any(.type == "Ready"))' >/dev/null
}

# The same for the objects of the other groups that a running controller selects (helm-controller
# never runs: its HelmReleases never are).
group_objects_reconciled() {
  k get gitrepositories,helmrepositories,helmcharts,kustomizations -n flux-operated -l 'example.com/shard notin (shard9)' -o json |
    jq -e '.items | length > 0 and all(.status.conditions // [] | any(.type == "Ready"))' >/dev/null || return 1
  local ns
  for ns in flux-manual flux-legacy; do
    k get kustomizations -n "$ns" -l 'sharding.fluxcd.io/key notin (shard9)' -o json |
      jq -e '.items | length > 0 and all(.status.conditions // [] | any(.type == "Ready"))' >/dev/null || return 1
  done
}

# The Deployments of a FluxInstance group exist (the operator applied them).
instance_deployments() {
  [ "$(k get deployments -n flux-operated -l app.kubernetes.io/managed-by=flux-operator -o name | wc -l)" -ge 9 ]
}

up() {
  [ -n "$dir" ] || usage
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ -f "$dir/netns" ]; then echo "real-cluster: $dir is up already (down it first)" >&2; exit 1; fi
  local started=$SECONDS
  for tool in openssl curl jq kubectl node go; do
    command -v $tool >/dev/null || { echo "real-cluster: $tool is missing" >&2; exit 1; }
  done
  local bins
  bins=$(bash "$here/build.sh")
  local kbin ebin scbin shbin pbin kcbin fobin
  kbin=$(sed -n 's/^kubernetes=//p' <<<"$bins"); ebin=$(sed -n 's/^etcd=//p' <<<"$bins")
  scbin=$(sed -n 's/^source-controller=//p' <<<"$bins"); shbin=$(sed -n 's/^shard-controller=//p' <<<"$bins")
  pbin=$(sed -n 's/^prometheus=//p' <<<"$bins"); kcbin=$(sed -n 's/^kustomize-controller=//p' <<<"$bins")
  fobin=$(sed -n 's/^flux-operator=//p' <<<"$bins")
  # shellcheck source=/dev/null
  . "$here/versions.env"
  local built=$SECONDS
  rm -rf "$dir/logs" "$dir/pids" "$dir/etcd" "$dir/agent" "$dir/tests" "$dir/operator"
  mkdir -p "$dir/logs" "$dir/agent" "$dir/tests" "$dir/operator"
  # The Prometheus the tests run (with kubernetes_sd_configs; see versions.env).
  ln -sfn "$pbin/prometheus" "$dir/prometheus"
  pki
  local ns="fsm-real-$$"
  ip netns add "$ns"
  echo "$ns" >"$dir/netns"
  # No DNS inside: a resolver on loopback where nothing listens, so that lookups (the controllers'
  # events to notification-controller.<ns>.svc.cluster.local.) fail at once instead of timing out.
  mkdir -p "/etc/netns/$ns"
  echo "nameserver 127.0.0.1" >"/etc/netns/$ns/resolv.conf"
  nsexec ip link set lo up
  nsexec ip route add local 10.244.0.0/24 dev lo table local
  # controller-runtime reads a pod's namespace here for leader election; each controller process
  # gets its own bind mount over it (node-agent.mjs), the host keeps an empty directory.
  mkdir -p /var/run/secrets/kubernetes.io/serviceaccount

  say "etcd"
  start etcd "$ebin/etcd" --name default --data-dir "$dir/etcd" --unsafe-no-fsync \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster default=http://127.0.0.1:2380 --log-level warn
  wait_for "etcd" 30 nsexec curl -sf http://127.0.0.1:2379/health

  say "kube-apiserver"
  local p=$dir/pki
  start kube-apiserver "$kbin/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
    --bind-address=0.0.0.0 --advertise-address=10.244.0.1 --secure-port=6443 \
    --tls-cert-file="$p/apiserver.crt" --tls-private-key-file="$p/apiserver.key" --client-ca-file="$p/ca.crt" \
    --token-auth-file="$p/tokens.csv" --authorization-mode=RBAC \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$p/sa.pub" --service-account-signing-key-file="$p/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 --allow-privileged=true --profiling=false
  wait_for "the API server" 90 k get --raw /readyz

  say "kube-controller-manager"
  start kube-controller-manager "$kbin/kube-controller-manager" --kubeconfig="$dir/controller-manager.kubeconfig" \
    --leader-elect=false --secure-port=0 --service-account-private-key-file="$p/sa.key" --root-ca-file="$p/ca.crt" \
    --controllers='*,-node-lifecycle-controller' --use-service-account-credentials=false

  say "node agent"
  cat >"$dir/agent/config.json" <<EOF
{
  "kubeconfig": "$dir/admin.kubeconfig",
  "controllerKubeconfig": "$dir/controllers.kubeconfig",
  "node": "node-1",
  "ipPrefix": "10.244.0.",
  "firstHost": 10,
  "stateDir": "$dir/agent",
  "kubeletVersion": "$KUBERNETES_VERSION",
  "images": {
    "ghcr.io/fluxcd/source-controller": {
      "binary": "$scbin/source-controller",
      "addresses": [
        { "flag": "--metrics-addr", "port": "http-prom", "default": 8080 },
        { "flag": "--health-addr", "port": "healthz", "default": 9440 },
        { "flag": "--storage-addr", "port": "http", "default": 9090 }
      ],
      "dirs": { "--storage-path": "data" }
    },
    "ghcr.io/fluxcd/kustomize-controller": {
      "binary": "$kcbin/kustomize-controller",
      "addresses": [
        { "flag": "--metrics-addr", "port": "http-prom", "default": 8080 },
        { "flag": "--health-addr", "port": "healthz", "default": 9440 }
      ]
    },
    "quay.io/prometheus/prometheus": {
      "binary": "$pbin/prometheus",
      "addresses": [{ "flag": "--web.listen-address", "port": "web", "default": 9090 }],
      "dirs": { "--storage.tsdb.path": "data" }
    }
  }
}
EOF
  start node-agent node "$here/node-agent.mjs" "$dir/agent/config.json"
  wait_for "the node to register" 30 k get node node-1
  start chart-server node "$here/chart-server.mjs" 10.244.0.250 8080

  say "CRDs, the Flux install, RBAC"
  local srcdir kcdir fodir
  srcdir=$(cat "$(dirname "$scbin")/source-dir"); kcdir=$(cat "$(dirname "$kcbin")/source-dir")
  fodir=$(cat "$(dirname "$fobin")/source-dir")
  k apply --server-side -f "$srcdir/config/crd/bases/" -f "$kcdir/config/crd/bases/" -f "$fodir/config/crd/bases/" -f "$here/crds/" >/dev/null
  wait_for "the CRDs" 30 k wait --for condition=established --timeout=5s crd --all
  node "$here/scenario.mjs" install "$SOURCE_CONTROLLER_VERSION" | k apply -f - >/dev/null
  # The namespaces of the other groups, for their viewer Roles (their manifests apply them again).
  local group_ns
  for group_ns in flux-operated flux-manual flux-legacy; do k create namespace "$group_ns" >/dev/null; done
  readme_rbac | k apply -f - >/dev/null

  say "the FluxShardSet controller"
  start shard-controller "$shbin/shard-controller" --kubeconfig="$dir/controllers.kubeconfig" \
    --metrics-bind-address=127.0.0.1:8380 --health-probe-bind-address=127.0.0.1:8381 --leader-elect=false
  node "$here/scenario.mjs" objects | k apply -f - >/dev/null
  node "$here/scenario.mjs" describe >"$dir/scenario.json"

  # The Flux Operator as a host process (like the shard controller): cluster-admin, its manifests of
  # Flux from a copy of its module's config/data, no leader election, no web UI. It reconciles only
  # the FluxInstance `flux` of RUNTIME_NAMESPACE. KUBERNETES_SERVICE_HOST is not set: its preflight
  # checks (of a container image's OS) do not run.
  say "the Flux Operator, the FluxInstance in flux-operated"
  cp -r "$fodir/config/data" "$dir/operator/data"
  chmod -R u+w "$dir/operator/data"
  start flux-operator env RUNTIME_NAMESPACE=flux-operated KUBECONFIG="$dir/admin.kubeconfig" "$fobin/flux-operator" \
    --storage-path="$dir/operator/data" --enable-leader-election=false --metrics-addr=127.0.0.1:8390 \
    --health-addr=127.0.0.1:8391 --web-server-port=0 --log-level=info
  node "$here/scenario.mjs" instance | k apply -f - >/dev/null

  # The hand-made groups, as the Flux docs' sharding guide lays out its directory: the shard overlays
  # load ../gotk-components.yaml, which kustomize-controller (load restrictor none) accepts and
  # `kubectl apply -k` refuses ("security; file … is not in or below …"): built by kubectl's kustomize
  # with the restrictor kustomize-controller uses, then applied.
  say "the hand-made groups in flux-manual and flux-legacy"
  local m
  for m in current legacy; do
    nsexec kubectl kustomize --load-restrictor=LoadRestrictionsNone "$here/manual/$m" | k apply -f - >/dev/null
  done

  say "waiting for the FluxShardSet to be Ready and every pod to serve /metrics"
  wait_for "FluxShardSet Ready" 120 k wait --for condition=Ready --timeout=5s fluxshardset/source-controller-shardset -n flux-system
  # 2 replicas of the source and of each of its 3 shards.
  wait_for "8 pods serving /metrics" 180 all_pods_serve_metrics flux-system 8
  wait_for "every object reconciled once" 120 all_objects_reconciled

  say "waiting for the FluxInstance to be Ready and its pods to serve /metrics"
  wait_for "FluxInstance Ready" 180 k wait --for condition=Ready --timeout=5s fluxinstance/flux -n flux-operated
  wait_for "the operator's Deployments" 60 instance_deployments
  # The HelmRelease kind comes with the FluxInstance (helm-controller's CRDs, from the operator's manifests).
  wait_for "the HelmRelease CRD" 60 k wait --for condition=established --timeout=5s crd/helmreleases.helm.toolkit.fluxcd.io
  node "$here/scenario.mjs" group-objects | k apply -f - >/dev/null
  # source- and kustomize-controller and their 2 shards each; helm-controller's 3 pods wait (ErrImagePull).
  wait_for "6 pods serving /metrics in flux-operated" 180 all_pods_serve_metrics flux-operated 6
  wait_for "3 pods serving /metrics in flux-manual" 120 all_pods_serve_metrics flux-manual 3
  wait_for "3 pods serving /metrics in flux-legacy" 120 all_pods_serve_metrics flux-legacy 3
  wait_for "every object of the other groups reconciled once" 120 group_objects_reconciled

  {
    echo "kubernetes $KUBERNETES_VERSION (kube-apiserver, kube-controller-manager; k8s.io/kubernetes)"
    echo "etcd $ETCD_VERSION (go.etcd.io/etcd/server/v3)"
    echo "source-controller $SOURCE_CONTROLLER_VERSION (github.com/fluxcd/source-controller; replaced: ${SOURCE_CONTROLLER_REPLACES:-none})"
    echo "kustomize-controller $KUSTOMIZE_CONTROLLER_VERSION (github.com/fluxcd/kustomize-controller)"
    echo "flux-operator $FLUX_OPERATOR_VERSION (github.com/controlplaneio-fluxcd/flux-operator; go $FLUX_OPERATOR_TOOLCHAIN; replaced: $FLUX_OPERATOR_REPLACES), rendering Flux $(k get fluxinstance flux -n flux-operated -o jsonpath='{.status.lastAppliedRevision}')"
    echo "prometheus $("$pbin/prometheus" --version 2>&1 | head -1 | awk '{print $3}') (github.com/prometheus/prometheus $PROMETHEUS_VERSION)"
    echo "flux-shard-controller stand-in $(basename "$(dirname "$shbin")") (tests/real-cluster/shard-controller)"
    echo "kubectl $(kubectl version --client -o json | jq -r .clientVersion.gitVersion)"
    echo "go $(go env GOVERSION)"
  } >"$dir/versions"
  say "up in $((SECONDS - started)) s (building: $((built - started)) s); netns $ns, API $API"
}

down() {
  [ -n "$dir" ] || usage
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd)
  [ -f "$dir/netns" ] || return 0
  local ns pid
  ns=$(cat "$dir/netns")
  if [ -f "$dir/pids" ]; then
    # The node agent first: it stops the controller processes it started.
    tac "$dir/pids" | while read -r pid _; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 40); do
      [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break
      sleep 0.25
    done
  fi
  # Whatever is left in the namespace.
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "/etc/netns/$ns"
  rm -f "$dir/netns" "$dir/pids"
  say "down ($ns removed)"
}

case "$cmd" in
  up) up ;;
  down) down ;;
  build) bash "$here/build.sh" ;;
  *) usage ;;
esac
