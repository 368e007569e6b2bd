#!/usr/bin/env bash
# Installs what the build and the tests need, when it is missing:
# the wasm32 target, wasm-bindgen-cli at the Cargo.lock version, Chromium and
# ChromeDriver, Prometheus and the real-cluster harness's tools (Debian
# packages), and the npm packages. The real cluster's Go programs are built by
# tests/real-cluster/build.sh from the Go module proxy.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "setup: installing wasm-bindgen-cli $want (found '${have:-none}')"
  cargo install wasm-bindgen-cli --version "$want"
fi

# Chromium for the browser tests; a real Prometheus (Debian's 2.42) for the Prometheus-source tests,
# run by the tests with their own config and a temporary TSDB, never as the system service.
missing=""
command -v chromium >/dev/null && command -v chromedriver >/dev/null || missing="chromium chromium-driver"
command -v prometheus >/dev/null || missing="$missing prometheus"
# The real-cluster harness (tests/real-cluster): network namespaces, its PKI, JSON on the shell.
for tool in ip:iproute2 jq:jq openssl:openssl curl:curl unshare:util-linux; do
  command -v "${tool%%:*}" >/dev/null || missing="$missing ${tool#*:}"
done
if [ -n "$missing" ]; then
  echo "setup: installing ${missing# }"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

# The reference OpenMetrics parser, for the cross-check (tests/crosscheck).
if ! python3 -c 'import prometheus_client' 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check prometheus_client==0.26.0
fi

if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --loglevel=error
fi
