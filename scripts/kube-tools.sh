#!/usr/bin/env bash
# Builds the real Kubernetes parts that scripts/kube-apiserver-check.sh runs, from Go modules, by
# taskstack's own module in tools/kube: kube-apiserver and kubectl from k8s.io/kubernetes (each
# staging module k8s.io/X replaced by its published v0.N.M, kubernetes/kubernetes#79384) and
# taskstack-etcd, a small main around go.etcd.io/etcd/server/v3/embed at the etcd release the
# chosen Kubernetes release pairs with. Output: ${TASKSTACK_CACHE:-/var/cache/taskstack}/kube-tools/
# <kubernetes version>/bin/. Built when missing (or when tools/kube changed), reused when present.
# Prints the bin directory on stdout; progress goes to stderr. Needs Go >= 1.24 (built on 1.26.8).
set -euo pipefail
export GOFLAGS="${GOFLAGS:--buildvcs=false}"

src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tools/kube" && pwd)"
version="$(cd "$src" && go list -m -f '{{.Version}}' k8s.io/kubernetes)"
root="${TASKSTACK_CACHE:-/var/cache/taskstack}/kube-tools/$version"
bin="$root/bin"
# The build's inputs: a change to any of them rebuilds.
stamp="$(cat "$src/go.mod" "$src/go.sum" "$src"/cmd/*/*.go | sha256sum | cut -c1-16)"

if [[ -x "$bin/kube-apiserver" && -x "$bin/kubectl" && -x "$bin/taskstack-etcd" && "$(cat "$root/stamp" 2>/dev/null)" == "$stamp" ]]; then
  echo "kube-tools: reusing $bin (Kubernetes $version)" >&2
  echo "$bin"
  exit 0
fi

mkdir -p "$root"
# One build at a time: a second caller waits for the first, then reuses its output.
exec 9> "$root/.lock"
flock 9
if [[ -x "$bin/kube-apiserver" && -x "$bin/kubectl" && -x "$bin/taskstack-etcd" && "$(cat "$root/stamp" 2>/dev/null)" == "$stamp" ]]; then
  echo "$bin"
  exit 0
fi

echo "kube-tools: building Kubernetes $version (kube-apiserver, kubectl) and etcd into $bin; cold, this takes a while" >&2
start=$SECONDS
tmp="$root/bin.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
cd "$src"
# -trimpath and no debug info: smaller binaries, and the same bytes whatever the checkout's path.
# The version stamp is what Kubernetes' own build sets (hack/lib/version.sh), so /version and
# `kubectl version` report the release instead of v0.0.0-master.
v=k8s.io/component-base/version
minor="${version#v1.}"
minor="${minor%%.*}"
ldflags="-s -w -X $v.gitVersion=$version -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean"
flags=(-trimpath "-ldflags=$ldflags")
nice -n 10 go build "${flags[@]}" -o "$tmp/taskstack-etcd" ./cmd/taskstack-etcd
nice -n 10 go build "${flags[@]}" -o "$tmp/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
nice -n 10 go build "${flags[@]}" -o "$tmp/kubectl" k8s.io/kubernetes/cmd/kubectl
rm -rf "$bin"
mv "$tmp" "$bin"
echo "$stamp" > "$root/stamp"
echo "kube-tools: built in $((SECONDS - start))s" >&2
echo "$bin"
