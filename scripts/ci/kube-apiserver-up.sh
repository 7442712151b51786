#!/usr/bin/env bash
# CI stage (issue 20): the real Kubernetes provider applies each stack's Kubernetes half to a real
# API server (scripts/kube-apiserver-up.sh: pulumi up, kubectl lookups, the objects against the
# offline plan, preview --expect-no-changes with and without --refresh, destroy), then the
# suite that shows it failing where it must (npm run test:kube -- up.kube: a refused object, a
# warning the provider drops, a second run with changes; and a stack with KEDA scaling passing).
#   1. etcd, kube-apiserver, kubectl: scripts/kube-tools.sh (cached; the step before built them);
#   2. the Pulumi CLI and the Kubernetes provider: scripts/pulumi-tools.sh, idempotent (it reuses
#      ${TASKSTACK_CACHE:-/var/cache/taskstack}/pulumi-tools/<version>/bin, or builds it). If they
#      are still absent after it, this stage fails: a skipped run is not a pass;
#   3. each stack with a taskstack:kubernetes section, against out/<stack>/manifests from the plan
#      step.
# Run from the repository root after `npm ci` and the plan step.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

start=$SECONDS
bash scripts/kube-tools.sh > /dev/null
bin="$(bash scripts/pulumi-tools.sh | tail -n 1)" || {
  echo "kube-apiserver-up: FAIL: scripts/pulumi-tools.sh could not build the Pulumi CLI and Kubernetes provider; the real-provider run did not happen (NOT a pass)"
  exit 1
}
for tool in pulumi pulumi-resource-kubernetes; do
  [[ -x "$bin/$tool" ]] || {
    echo "kube-apiserver-up: FAIL: $bin/$tool is absent after scripts/pulumi-tools.sh; the real-provider run did not happen (NOT a pass)"
    exit 1
  }
done
export PULUMI_TOOLS_BIN="$bin"
echo "kube-apiserver-up: tools ready in $((SECONDS - start))s ($("$bin/pulumi" version), $bin)"

failed=()
for stack in $(ls stacks | sed -n 's/^Pulumi\.\(.*\)\.yaml$/\1/p'); do
  # Stacks without a Kubernetes section (docs: AWS only) have nothing to apply.
  grep -q '^  taskstack:kubernetes:' "stacks/Pulumi.$stack.yaml" || continue
  [[ -d "out/$stack/manifests" ]] || { echo "kube-apiserver-up: out/$stack/manifests is missing: run the plan step first"; exit 1; }
  t=$SECONDS
  # Only the steps' lines: the servers' own logs are printed when a run fails.
  if bash scripts/kube-apiserver-up.sh "$stack" > "out/kube-up-$stack.log" 2>&1; then
    grep -E '^kube-(up|apiserver-up)' "out/kube-up-$stack.log"
  else
    cat "out/kube-up-$stack.log"
    failed+=("$stack")
  fi
  echo "kube-apiserver-up: $stack in $((SECONDS - t))s"
done

t=$SECONDS
KUBE_UP_REQUIRE_TOOLS=1 npm run --silent test:kube -- up.kube || failed+=("npm run test:kube -- up.kube")
echo "kube-apiserver-up: the run's own tests in $((SECONDS - t))s"

if ((${#failed[@]})); then
  echo "kube-apiserver-up: FAILED: ${failed[*]} (stage: $((SECONDS - start))s)"
  exit 1
fi
echo "kube-apiserver-up: every stack applied, unchanged on a second run, destroyed (stage: $((SECONDS - start))s)"
