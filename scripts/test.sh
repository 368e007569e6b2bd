#!/usr/bin/env bash
# The one command that builds and tests everything (`npm test`). It installs
# what is missing first (scripts/setup.sh), then runs, in order: formatting,
# clippy for the host and wasm32, the host tests (which also regenerate the
# TypeScript types, checked against the committed ones), the wasm build, the
# wasm tests in Node and in headless Chromium, the TypeScript checks, the JS
# and CLI tests in Node, and the browser tests of the page.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "setup"
bash scripts/setup.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (host)"
cargo clippy --all-targets -- -D warnings

step "clippy (wasm32)"
cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --features bench-alternatives -- -D warnings

step "cargo test (host: unit, integration, property, doc tests; writes js/generated)"
cargo test

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  step "generated TypeScript types match the Rust types"
  drift=$(git status --porcelain -- js/generated)
  if [ -n "$drift" ]; then
    echo "js/generated differs from what cargo test generated; commit the regenerated files:"
    echo "$drift"
    git --no-pager diff -- js/generated | head -50
    exit 1
  fi
  echo "js/generated is up to date"
fi

step "build the package (wasm + TypeScript)"
npm run build --silent

step "wasm tests in Node"
cargo test --target wasm32-unknown-unknown --test node

step "wasm tests in headless Chromium"
CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver} cargo test --target wasm32-unknown-unknown --test browser

step "TypeScript: a strict consumer of the package types"
npx tsc -p tests/js

step "JS and CLI tests (node --test)"
node --test tests/js/
