#!/usr/bin/env bash
# Builds the wasm module into pkg/: cargo (release) -> wasm-bindgen (--target web) -> wasm-opt -Oz.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --lib --target wasm32-unknown-unknown
rm -rf pkg
wasm-bindgen --target web --out-dir pkg target/wasm32-unknown-unknown/release/flux_shard_metrics.wasm
# The npm binaryen (not Debian's 108, whose output breaks the externref table).
node_modules/.bin/wasm-opt -Oz \
  --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-multivalue --enable-mutable-globals \
  pkg/flux_shard_metrics_bg.wasm -o pkg/flux_shard_metrics_bg.wasm
raw=$(stat -c %s pkg/flux_shard_metrics_bg.wasm)
gz=$(gzip -9 -c pkg/flux_shard_metrics_bg.wasm | wc -c)
echo "build-wasm: pkg/flux_shard_metrics_bg.wasm $raw bytes, $gz bytes gzipped"
