#!/usr/bin/env bash
# CI stage (issue 20): a real Kubernetes API server judges every manifest taskstack renders.
#   1. build etcd, kube-apiserver and kubectl once (scripts/kube-tools.sh; cached, reused warm);
#   2. the check's own tests: it fails on each object the server refuses or warns about, with the
#      server's message, and passes the ones it accepts (npm run test:kube -- check; the real provider's
#      suite, up.kube, runs in scripts/ci/kube-apiserver-up.sh once the Pulumi tools are built);
#   3. the out/<stack>/manifests/ of each stack with a taskstack:kubernetes section (written by
#      the plan step before this one), the
#      examples' programs (the README shows each of them) and a sample of generated stack files,
#      server-side dry-run applied into Pod Security `restricted` namespaces.
# Run from the repository root after `npm ci` and the plan step.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

start=$SECONDS
echo "kube-apiserver: tools"
bash scripts/kube-tools.sh > /dev/null
echo "kube-apiserver: tools ready in $((SECONDS - start))s"

t=$SECONDS
npm run --silent test:kube -- check
echo "kube-apiserver: the check's own tests in $((SECONDS - t))s"

t=$SECONDS
stacks=()
for stack in $(ls stacks | sed -n 's/^Pulumi\.\(.*\)\.yaml$/\1/p'); do
  # Stacks without a Kubernetes section (docs: AWS only) render no manifest.
  grep -q '^  taskstack:kubernetes:' "stacks/Pulumi.$stack.yaml" || continue
  # The plan step wrote these; a missing folder means it did not run, which is a failure here.
  [[ -d "out/$stack/manifests" ]] || { echo "kube-apiserver: out/$stack/manifests is missing: run the plan step first"; exit 1; }
  stacks+=("out/$stack/manifests")
done
npx tsx scripts/render-manifests.ts out/kube-render "${KUBE_GENERATED_STACKS:-8}"
bash scripts/kube-apiserver-check.sh "${stacks[@]}" out/kube-render/examples out/kube-render/generated
echo "kube-apiserver: every rendered manifest checked in $((SECONDS - t))s (stage: $((SECONDS - start))s)"
