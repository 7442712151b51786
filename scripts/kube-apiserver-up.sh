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
# KUBE_UP_STACKS: a folder of stack files other than stacks/ (generated ones, test fixtures).
stacks="$(cd "${KUBE_UP_STACKS:-$repo/stacks}" && pwd)"
export KUBE_UP_STACKS="$stacks"
stack="${1:-}"
if [[ $# -ne 1 || ! -f "$stacks/Pulumi.$stack.yaml" ]]; then
  echo "kube-apiserver-up: STACK: expected one of $(ls "$stacks" | sed -n 's/^Pulumi\.\(.*\)\.yaml$/\1/p' | paste -sd, - | sed 's/,/, /g'), got '$*'" >&2
  exit 2
fi
cd "$repo"
if ! grep -q '^  taskstack:kubernetes:' "$stacks/Pulumi.$stack.yaml"; then
  echo "kube-apiserver-up: $stacks/Pulumi.$stack.yaml: expected a taskstack:kubernetes section, found none" >&2
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

# The provider drops the server's warnings (scripts/kube-warnings-proxy.ts says where), so it
# talks to the server through a proxy that records them; kube-up.ts fails a step that caused one.
export KUBE_WARNINGS="$kube_work/warnings.jsonl"
node --import tsx scripts/kube-warnings-proxy.ts "$kube_work/pki" \
  "$("${kubectl[@]}" config view -o jsonpath='{.clusters[0].cluster.server}')" \
  "$KUBE_WARNINGS" "$kube_work/proxy-port" > "$kube_work/proxy.log" 2>&1 &
kube_pids+=($!)
for _ in $(seq 100); do [[ -s "$kube_work/proxy-port" ]] && break; sleep 0.1; done
[[ -s "$kube_work/proxy-port" ]] || { echo "kube-apiserver-up: the warnings proxy did not start:" >&2; cat "$kube_work/proxy.log" >&2; exit 1; }
cp "$KUBECONFIG" "$kube_work/kubeconfig-proxy"
export KUBECONFIG="$kube_work/kubeconfig-proxy"
"${kubectl[@]}" config set-cluster taskstack-check --server "https://127.0.0.1:$(cat "$kube_work/proxy-port")" > /dev/null
# The proxy must be seen to record a warning before its silence counts: a Deployment whose pod
# template breaks Pod Security `restricted`, dry-run, in a namespace of its own.
kube_restricted_namespace taskstack-canary
"${kubectl[@]}" create deployment canary --namespace taskstack-canary --image=registry.k8s.io/pause:3.10 \
  --dry-run=server -o name > /dev/null 2>&1
if ! grep -q 'would violate PodSecurity' "$KUBE_WARNINGS"; then
  echo "kube-apiserver-up: the warnings proxy recorded no warning for a Deployment that breaks Pod Security restricted; it cannot be trusted:" >&2
  cat "$KUBE_WARNINGS" "$kube_work/proxy.log" >&2
  exit 1
fi
"${kubectl[@]}" delete namespace taskstack-canary --wait=false > /dev/null
: > "$KUBE_WARNINGS"
echo "kube-apiserver-up: the server's warnings are recorded by scripts/kube-warnings-proxy.ts (seen to record Pod Security's)"

work="$repo/out/kube-up/$stack"
rm -rf "$work"
mkdir -p "$work"
# The offline plan's manifests of a shipped stack (npm start / the plan step writes them), unless
# fixtures add objects the plan cannot show.
manifests=()
if [[ "$stacks" == "$repo/stacks" && -z "${KUBE_UP_EXTRA:-}" && -d "out/$stack/manifests" ]]; then
  manifests=("out/$stack/manifests")
fi

start=$SECONDS
if npx tsx scripts/kube-up.ts "$stack" "$work" "${manifests[@]}"; then
  echo "kube-apiserver-up $stack: every step passed in $((SECONDS - start))s"
else
  echo "kube-apiserver-up $stack: FAILED after $((SECONDS - start))s; the API server's log ends:"
  tail -n 20 "$kube_work/kube-apiserver.log"
  exit 1
fi
