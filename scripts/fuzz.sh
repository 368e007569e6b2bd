#!/usr/bin/env bash
# A bounded fuzz run of the parser (both formats, and reading a scrape):
# `bash scripts/fuzz.sh [SECONDS]` (default 60). Installs cargo-fuzz at a
# pinned version when missing; runs on the stable toolchain with
# RUSTC_BOOTSTRAP=1 (no nightly can be fetched here). The corpus starts from
# fuzz/seeds and the OpenMetrics conformance cases beside the project
# (read in place, not copied into it). Fails on any crash.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
if ! cargo fuzz --version 2>/dev/null | grep -q '0.13.1'; then
  echo "fuzz: installing cargo-fuzz 0.13.1"
  cargo install cargo-fuzz --version 0.13.1 --locked --quiet
fi
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
cp fuzz/seeds/* "$corpus/"
cases=${OPENMETRICS_TESTDATA:-../shared/openmetrics-testdata/parsers}
if [ -d "$cases" ]; then
  for d in "$cases"/*/; do
    f="$d/metrics"
    [ -f "$f" ] && cp "$f" "$corpus/conformance-$(basename "$d")"
  done
fi
RUSTC_BOOTSTRAP=1 cargo fuzz run parse "$corpus" -- -max_total_time="$seconds" -max_len=65536 2>&1 | tail -5
