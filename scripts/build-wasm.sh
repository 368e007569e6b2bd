#!/usr/bin/env bash
# Builds the wasm module into pkg/: cargo (profile `wasm`: this crate at
# opt-level 2, dependencies at "z"; see Cargo.toml) -> wasm-bindgen (--target web)
# -> wasm-opt -O3 with the features the Rust wasm32 target emits.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --profile wasm --lib --target wasm32-unknown-unknown
rm -rf pkg
wasm-bindgen --target web --out-dir pkg target/wasm32-unknown-unknown/wasm/flux_shard_metrics.wasm
# The npm binaryen (not Debian's 108, whose output breaks the externref table).
node_modules/.bin/wasm-opt -O3 \
  --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-multivalue --enable-mutable-globals --enable-simd \
  pkg/flux_shard_metrics_bg.wasm -o pkg/flux_shard_metrics_bg.wasm
raw=$(stat -c %s pkg/flux_shard_metrics_bg.wasm)
gz=$(gzip -9 -c pkg/flux_shard_metrics_bg.wasm | wc -c)
echo "build-wasm: pkg/flux_shard_metrics_bg.wasm $raw bytes, $gz bytes gzipped"
