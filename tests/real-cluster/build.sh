#!/usr/bin/env bash
# Builds what the real cluster runs, from public Go modules at the versions of versions.env, into
# a cache that later runs reuse (a warm run builds nothing):
#   kube-apiserver, kube-controller-manager  k8s.io/kubernetes (a wrapper module: the staging
#                                            modules' local replaces mapped to their published versions)
#   etcd                                     go.etcd.io/etcd/server/v3
#   source-controller                        github.com/fluxcd/source-controller (its replaces copied)
#   kustomize-controller                     github.com/fluxcd/kustomize-controller (its replaces copied)
#   flux-operator                            github.com/controlplaneio-fluxcd/flux-operator, in a writable copy
#                                            of the module (versions.env says why; AGPL: never committed)
#   prometheus                               github.com/prometheus/prometheus (for kubernetes_sd_configs)
#   shard-controller                         tests/real-cluster/shard-controller (this project's stand-in
#                                            for weaveworks/flux-shard-controller; see its README)
# Prints the bin directory of each as NAME=PATH lines on stdout; progress goes to stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=/dev/null
. "$here/versions.env"
cache=${FSM_E2E_CACHE:-$HOME/.cache/flux-shard-metrics/e2e}
mkdir -p "$cache"
export GOFLAGS=-mod=mod CGO_ENABLED=0

say() { printf 'real-cluster build: %s\n' "$*" >&2; }

# build NAME MODULE VERSION LDFLAGS REPLACES OUT=PACKAGE... : a wrapper module in the cache, then go build.
build() {
  local name=$1 module=$2 version=$3 ldflags=$4 replaces=$5
  shift 5
  local dir="$cache/$name-$version"
  [ -z "$replaces" ] || dir="$dir-$(sha256sum <<<"$replaces" | cut -c1-8)"
  local done_all=1 target
  for target in "$@"; do [ -x "$dir/bin/${target%%=*}" ] || done_all=0; done
  if [ $done_all = 1 ]; then echo "$name=$dir/bin"; return; fi
  local start=$SECONDS
  say "$name $version: downloading $module"
  mkdir -p "$dir/wrapper" "$dir/bin"
  local upstream
  upstream=$(cd "$dir/wrapper" && go mod download -json "$module@$version" | jq -r '.Dir // error(.Error)')
  go mod edit -json "$upstream/go.mod" | # shellcheck disable=SC2086
  node "$here/wrapper-gomod.mjs" "fsm-e2e/$name" "$module" "$version" $replaces >"$dir/wrapper/go.mod"
  for target in "$@"; do
    say "$name $version: building ${target%%=*} (${target#*=})"
    (cd "$dir/wrapper" && go build -ldflags "-s -w $ldflags" -o "$dir/bin/${target%%=*}" "${target#*=}")
  done
  echo "$upstream" >"$dir/source-dir"
  say "$name $version: built in $((SECONDS - start)) s"
  echo "$name=$dir/bin"
}

minor=${KUBERNETES_VERSION#v1.}; minor=${minor%%.*}
kv="-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
build kubernetes k8s.io/kubernetes "$KUBERNETES_VERSION" "$kv" "" \
  kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver kube-controller-manager=k8s.io/kubernetes/cmd/kube-controller-manager
build etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" "" "" etcd=go.etcd.io/etcd/server/v3
build source-controller github.com/fluxcd/source-controller "$SOURCE_CONTROLLER_VERSION" "" "${SOURCE_CONTROLLER_REPLACES:-}" source-controller=github.com/fluxcd/source-controller
build kustomize-controller github.com/fluxcd/kustomize-controller "$KUSTOMIZE_CONTROLLER_VERSION" "" "" kustomize-controller=github.com/fluxcd/kustomize-controller
pv=${PROMETHEUS_VERSION#v0.}; pv="3.${pv#3}"
build prometheus github.com/prometheus/prometheus "$PROMETHEUS_VERSION" "-X github.com/prometheus/common/version.Version=$pv" "" \
  prometheus=github.com/prometheus/prometheus/cmd/prometheus

# The stand-in shard controller: this repository's own module, keyed by the hash of its sources.
sc_dir="$here/shard-controller"
sc_hash=$(cd "$sc_dir" && find . -maxdepth 1 \( -name "go.*" -o -name "*.go" ! -name "*_test.go" \) | sort | xargs cat | sha256sum | cut -c1-12)
sc_out="$cache/shard-controller-$sc_hash"
if [ ! -x "$sc_out/bin/shard-controller" ]; then
  start=$SECONDS
  say "shard-controller $sc_hash: building"
  mkdir -p "$sc_out/bin"
  (cd "$sc_dir" && GOFLAGS=-mod=readonly go build -ldflags "-s -w" -o "$sc_out/bin/shard-controller" .)
  say "shard-controller $sc_hash: built in $((SECONDS - start)) s"
fi
echo "shard-controller=$sc_out/bin"

# The Flux Operator: its own module as the main module (its replaces, its go 1.27 toolchain), built in a
# writable copy of the module directory with one replace more and a placeholder for the web UI's build
# output (versions.env). DIR/src keeps the copy: its config/crd/bases and config/data are what
# real-cluster.sh applies and gives the operator as --storage-path.
fo_dir="$cache/flux-operator-$FLUX_OPERATOR_VERSION-$(sha256sum <<<"$FLUX_OPERATOR_TOOLCHAIN $FLUX_OPERATOR_REPLACES" | cut -c1-8)"
if [ ! -x "$fo_dir/bin/flux-operator" ]; then
  start=$SECONDS
  module=github.com/controlplaneio-fluxcd/flux-operator
  say "flux-operator $FLUX_OPERATOR_VERSION: downloading $module (toolchain $FLUX_OPERATOR_TOOLCHAIN)"
  rm -rf "$fo_dir"
  mkdir -p "$fo_dir/bin"
  upstream=$(cd "$fo_dir" && GOTOOLCHAIN=$FLUX_OPERATOR_TOOLCHAIN go mod download -json "$module@$FLUX_OPERATOR_VERSION" | jq -r '.Dir // error(.Error)')
  cp -r "$upstream" "$fo_dir/src"
  chmod -R u+w "$fo_dir/src"
  mkdir -p "$fo_dir/src/web/dist"
  echo '<!-- placeholder: the web UI is not built by the flux-shard-metrics harness -->' >"$fo_dir/src/web/dist/index.html"
  for r in $FLUX_OPERATOR_REPLACES; do
    (cd "$fo_dir/src" && go mod edit -replace "$r")
  done
  say "flux-operator $FLUX_OPERATOR_VERSION: building flux-operator (./cmd/operator)"
  (cd "$fo_dir/src" && GOTOOLCHAIN=$FLUX_OPERATOR_TOOLCHAIN GOFIPS140=latest \
    go build -trimpath -ldflags "-s -w -X main.VERSION=$FLUX_OPERATOR_VERSION" -o "$fo_dir/bin/flux-operator.tmp" ./cmd/operator)
  mv "$fo_dir/bin/flux-operator.tmp" "$fo_dir/bin/flux-operator"
  echo "$fo_dir/src" >"$fo_dir/source-dir"
  say "flux-operator $FLUX_OPERATOR_VERSION: built in $((SECONDS - start)) s"
fi
echo "flux-operator=$fo_dir/bin"
