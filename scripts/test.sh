#!/usr/bin/env bash
# The one command that builds and tests everything (`npm test`). It installs
# what is missing first (scripts/setup.sh), then runs, in order: formatting,
# clippy for the host and wasm32, the host tests (which also compare the
# generated TypeScript in js/generated with the Rust types), the wasm build, the
# wasm tests in Node and in headless Chromium, the TypeScript checks (the package's
# consumer types, the simulated cluster), the JS,
# CLI and cluster tests in Node, the browser tests of the page, the packed
# package checked (publint, attw) and used from fresh projects as users would,
# and the tests against a real cluster (tests/real-cluster/run.sh, needs root).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "setup"
bash scripts/setup.sh

step "formatting: cargo fmt --check, prettier --check (TypeScript, JavaScript, CSS, JSON)"
cargo fmt --all -- --check
npx prettier --check . --log-level warn

step "clippy (host)"
cargo clippy --workspace --all-targets -- -D warnings

step "clippy (wasm32)"
cargo clippy --target wasm32-unknown-unknown --workspace --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown -p flux-shard-metrics-wasm --features bench-alternatives -- -D warnings

step "cargo test (host: unit, integration, property, doc tests; js/generated compared with the Rust types, the layers checked)"
cargo test

step "a bounded fuzz run of the parser (60 s, both formats; cargo-fuzz on stable with RUSTC_BOOTSTRAP=1)"
bash scripts/fuzz.sh 60

step "cross-checks against the reference parsers (Python prometheus_client)"
cargo build --quiet --example verdicts --example exposition_json
python3 tests/crosscheck/prometheus_reference.py target/debug/examples
python3 tests/crosscheck/openmetrics_reference.py 6000 target/debug/examples/verdicts | tail -4

step "build the package and the page (wasm, TypeScript, Vite; tsc strict over js/ and www/)"
npm run build --silent

step "start the simulated cluster for the wasm fetch tests"
sim_log=$(mktemp)
node sim/cluster.mjs --port 0 --frozen --slow-ms 5000 >"$sim_log" 2>&1 &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q '^simulated cluster: ' "$sim_log" && break; sleep 0.1; done
FLUX_SIM_URL=$(sed -n 's/^simulated cluster: \(http[^ ]*\).*/\1/p' "$sim_log")
[ -n "$FLUX_SIM_URL" ] || { echo "the simulated cluster did not start:"; cat "$sim_log"; exit 1; }
export FLUX_SIM_URL
echo "simulated cluster at $FLUX_SIM_URL"

step "wasm tests in Node (the wasm crate)"
cargo test -p flux-shard-metrics-wasm --target wasm32-unknown-unknown --test node

step "wasm tests in headless Chromium (the wasm crate)"
CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver} cargo test -p flux-shard-metrics-wasm --target wasm32-unknown-unknown --test browser
kill $sim_pid 2>/dev/null || true

step "TypeScript: a strict consumer of the package types; the simulated cluster (// @ts-check JavaScript)"
npx tsc -p tests/js
npx tsc -p sim

step "JS, CLI and cluster tests (node --test: the simulated cluster behind a real kubectl proxy)"
node --test --test-timeout=120000 tests/js/

step "browser tests of the page (headless Chromium through kubectl proxy --www)"
node --test --test-timeout=120000 tests/browser/

step "the package as published: npm pack, publint --strict, types under moduleResolution node10/node16/bundler (attw)"
pack_dir=$(mktemp -d)
npm pack --silent --pack-destination "$pack_dir" >/dev/null
FSM_TARBALL=$(ls "$pack_dir"/flux-shard-metrics-*.tgz)
export FSM_TARBALL
echo "$(basename "$FSM_TARBALL"): $(stat -c %s "$FSM_TARBALL") bytes, $(tar -tzf "$FSM_TARBALL" | wc -l) files"
npx publint --strict
# ./wasm and ./parse-wasm are binaries themselves (no types to resolve); require() of this ESM package works on
# Node >= 20.19 (tested in tests/package), which attw's node16-from-CJS check does not model.
npx attw "$FSM_TARBALL" --ignore-rules cjs-resolves-to-esm --exclude-entrypoints ./wasm ./parse-wasm --format table-flipped

step "the package as a user meets it: the tarball in fresh projects (CLI, ui, demo, Node, React 18/19 with Vite, webpack 5) in Chromium"
node --test --test-timeout=300000 tests/package/

step "against a real Kubernetes: etcd, kube-apiserver, kube-controller-manager, source-controller and Prometheus built from Go modules (cached), the product's tests inside the cluster's network namespace (tests/real-cluster/run.sh)"
bash tests/real-cluster/run.sh
