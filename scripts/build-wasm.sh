#!/usr/bin/env bash
# Builds the wasm module into pkg/: cargo builds the wasm crate (wasm/, the
# boundary over the core; profile `wasm`: the core at opt-level 2, the rest at
# "z"; see Cargo.toml) -> wasm-bindgen (--target web, named flux_shard_metrics
# so that the JS imports pkg/flux_shard_metrics.js) -> wasm-opt -O3 with the
# features the Rust wasm32 target emits.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --profile wasm -p flux-shard-metrics-wasm --lib --target wasm32-unknown-unknown
rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name flux_shard_metrics \
  target/wasm32-unknown-unknown/wasm/flux_shard_metrics_wasm.wasm
# The npm binaryen (not Debian's 108, whose output breaks the externref table).
node_modules/.bin/wasm-opt -O3 \
  --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-multivalue --enable-mutable-globals --enable-simd \
  pkg/flux_shard_metrics_bg.wasm -o pkg/flux_shard_metrics_bg.wasm
raw=$(stat -c %s pkg/flux_shard_metrics_bg.wasm)
gz=$(gzip -9 -c pkg/flux_shard_metrics_bg.wasm | wc -c)
echo "build-wasm: pkg/flux_shard_metrics_bg.wasm $raw bytes, $gz bytes gzipped"
