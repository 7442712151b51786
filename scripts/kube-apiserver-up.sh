#!/usr/bin/env bash
# The real Kubernetes provider applies a stack's Kubernetes half to a real API server:
#
#   scripts/kube-apiserver-up.sh STACK
#
# starts etcd and kube-apiserver (scripts/kube-apiserver-lib.sh, loopback only, certificates of
# this run, Pod Security `restricted` for every namespace by default) with KEDA's CRDs, then runs
# scripts/kube-up.ts: `pulumi up` of stacks/Pulumi.<STACK>.yaml's Kubernetes half with the real
# Pulumi CLI and Kubernetes provider (scripts/pulumi-tools.sh builds them; the random provider is
# the stand-in of scripts/stand-in-providers/), then `pulumi preview --expect-no-changes`. Last,
# every object the offline plan wrote to out/<STACK>/manifests/ (when that folder exists) must
# be on the server. Everything started is stopped however this ends.
#
# UNFINISHED (issue 20): not yet run end to end. When it was written, the Kubernetes provider of
# scripts/pulumi-tools.sh was still building, so neither `pulumi up` against this server nor the
# second preview has been seen to pass; it is not a CI step yet. Its server part is the one
# scripts/kube-apiserver-check.sh runs.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stack="${1:-}"
if [[ $# -ne 1 || ! -f "$repo/stacks/Pulumi.$stack.yaml" ]]; then
  echo "kube-apiserver-up: STACK: expected one of $(ls "$repo/stacks" | sed -n 's/^Pulumi\.\(.*\)\.yaml$/\1/p' | tr '\n' ' '), got '$*'" >&2
  exit 2
fi
cd "$repo"

# PULUMI_TOOLS_BIN: a folder holding pulumi and pulumi-resource-kubernetes built elsewhere.
pulumi_bin="${PULUMI_TOOLS_BIN:-$(bash scripts/pulumi-tools.sh | tail -n 1)}"
export PATH="$pulumi_bin:$repo/scripts/stand-in-providers/bin:$PATH"

# shellcheck source=scripts/kube-apiserver-lib.sh
source scripts/kube-apiserver-lib.sh
kube_apiserver_start
kube_keda_crds

start=$SECONDS
npx tsx scripts/kube-up.ts "$stack" "$kube_work/pulumi"
if [[ -d "out/$stack/manifests" ]]; then
  # The objects the offline plan shows are the objects the real run made.
  missing="$("${kubectl[@]}" get -f "out/$stack/manifests" -o name 2>&1 >/dev/null || true)"
  if [[ -n "$missing" ]]; then
    echo "kube-apiserver-up $stack: objects of out/$stack/manifests missing on the server:"
    echo "$missing"
    exit 1
  fi
  echo "kube-apiserver-up $stack: all $(find "out/$stack/manifests" -name '*.yaml' | wc -l) objects of out/$stack/manifests are on the server"
fi
echo "kube-apiserver-up $stack: up and a clean second preview in $((SECONDS - start))s"
