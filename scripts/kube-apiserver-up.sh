#!/usr/bin/env bash
# The real Kubernetes provider applies a stack's Kubernetes half to a real API server:
#
#   scripts/kube-apiserver-up.sh STACK
#
# starts etcd and kube-apiserver (scripts/kube-apiserver-lib.sh: loopback only, certificates of
# this run, Pod Security `restricted` by default for every namespace), applies KEDA's CRDs, then
# runs scripts/kube-up.ts: `pulumi up` of stacks/Pulumi.<STACK>.yaml's Kubernetes half with the
# real Pulumi CLI and Kubernetes provider (scripts/pulumi-tools.sh builds them; the random
# provider is the stand-in of scripts/stand-in-providers/), every object of the state looked up
# with kubectl, the objects held against the offline plan's out/<STACK>/manifests/ (when that
# folder exists), `pulumi preview --expect-no-changes`, and `pulumi destroy` (refused where the
# stack protects its resources). Any warning the engine or the server reports fails it.
# Everything started is stopped however this ends; the engine's logs stay in out/kube-up/<STACK>/.
#
# Exit 0 when every step passes, 1 when one fails, 2 on bad arguments.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stack="${1:-}"
if [[ $# -ne 1 || ! -f "$repo/stacks/Pulumi.$stack.yaml" ]]; then
  echo "kube-apiserver-up: STACK: expected one of $(ls "$repo/stacks" | sed -n 's/^Pulumi\.\(.*\)\.yaml$/\1/p' | tr '\n' ' '), got '$*'" >&2
  exit 2
fi
cd "$repo"
if ! grep -q '^  taskstack:kubernetes:' "stacks/Pulumi.$stack.yaml"; then
  echo "kube-apiserver-up: stacks/Pulumi.$stack.yaml: expected a taskstack:kubernetes section, found none" >&2
  exit 2
fi

# PULUMI_TOOLS_BIN: a folder holding pulumi and pulumi-resource-kubernetes built elsewhere.
pulumi_bin="${PULUMI_TOOLS_BIN:-$(bash scripts/pulumi-tools.sh | tail -n 1)}"
export PATH="$pulumi_bin:$repo/scripts/stand-in-providers/bin:$PATH"

# shellcheck source=scripts/kube-apiserver-lib.sh
source scripts/kube-apiserver-lib.sh
kube_apiserver_start
kube_keda_crds
export KUBECTL="${kubectl[0]}"

work="$repo/out/kube-up/$stack"
rm -rf "$work"
mkdir -p "$work"
manifests=()
[[ ! -d "out/$stack/manifests" ]] || manifests=("out/$stack/manifests")

start=$SECONDS
if npx tsx scripts/kube-up.ts "$stack" "$work" "${manifests[@]}"; then
  echo "kube-apiserver-up $stack: every step passed in $((SECONDS - start))s"
else
  echo "kube-apiserver-up $stack: FAILED after $((SECONDS - start))s; the API server's log ends:"
  tail -n 20 "$kube_work/kube-apiserver.log"
  exit 1
fi
