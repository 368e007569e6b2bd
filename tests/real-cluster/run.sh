#!/usr/bin/env bash
# The real-cluster tests, as CI runs them (scripts/test.sh): the stand-in shard controller's own
# Go tests, then the cluster up, each test file in order inside its network namespace (the files
# that change the cluster last), and the cluster down, whatever happened.
#   bash tests/real-cluster/run.sh [DIR]      (DIR: a fresh temporary directory by default)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
dir=${1:-$(mktemp -d -t fsm-real-cluster-XXXX)}

echo "real-cluster: the stand-in FluxShardSet controller's unit tests"
(cd tests/real-cluster/shard-controller && go vet ./... && go test ./...)

trap 'bash scripts/real-cluster.sh down "$dir"' EXIT
start=$SECONDS
bash scripts/real-cluster.sh up "$dir"
echo "real-cluster: up after $((SECONDS - start)) s"
netns=$(cat "$dir/netns")
failed=0
for file in get groups page rbac prometheus api events watch; do
  t=$SECONDS
  if ! FSM_REAL_CLUSTER=$dir ip netns exec "$netns" node --test --test-timeout=300000 "tests/real-cluster/$file.test.mjs"; then
    failed=1
    echo "real-cluster: $file.test.mjs failed; the cluster's logs are in $dir/logs and $dir/agent/pods"
    tail -n 20 "$dir"/logs/*.log || true
  fi
  echo "real-cluster: $file.test.mjs took $((SECONDS - t)) s"
done
echo "real-cluster: tests took $((SECONDS - start)) s with the cluster up"
exit $failed
