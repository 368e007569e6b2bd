#!/usr/bin/env bash
# Builds the wasm module into pkg/: cargo builds the wasm crate (wasm/, the
# boundary over the core; profile `wasm`: the core at opt-level 2, the rest at
# "z"; see Cargo.toml) -> wasm-bindgen (--target web, named flux_shard_metrics
# so that the JS imports pkg/flux_shard_metrics.js) -> wasm-opt -O3 with the
# features the Rust wasm32 target emits. Then the parser's module alone (the
# `parse` feature) into pkg-parse/, for `flux-shard-metrics/parse`.
set -euo pipefail
cd "$(dirname "$0")/.."
# One module: cargo (features $1) -> wasm-bindgen into $2 as $3 -> wasm-opt; prints its size.
build() {
  cargo build --profile wasm -p flux-shard-metrics-wasm --lib --target wasm32-unknown-unknown $1
  rm -rf "$2"
  wasm-bindgen --target web --out-dir "$2" --out-name "$3" \
    target/wasm32-unknown-unknown/wasm/flux_shard_metrics_wasm.wasm
  # The npm binaryen (not Debian's 108, whose output breaks the externref table).
  node_modules/.bin/wasm-opt -O3 \
    --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-multivalue --enable-mutable-globals --enable-simd \
    "$2/$3_bg.wasm" -o "$2/$3_bg.wasm"
  raw=$(stat -c %s "$2/$3_bg.wasm")
  gz=$(gzip -9 -c "$2/$3_bg.wasm" | wc -c)
  echo "build-wasm: $2/$3_bg.wasm $raw bytes, $gz bytes gzipped"
}
build "--no-default-features --features parse" pkg-parse flux_shard_metrics_parse
build "" pkg flux_shard_metrics
