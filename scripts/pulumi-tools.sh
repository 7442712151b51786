#!/usr/bin/env bash
# Builds the real Pulumi CLI and Kubernetes provider from Go modules (tools/pulumi/), into
#   ${TASKSTACK_CACHE:-/var/cache/taskstack}/pulumi-tools/<version>/bin/
# where <version> is the locked @pulumi/pulumi's, so the CLI and the SDK match. A complete build
# there is reused as it is. The last line printed is the bin directory.
#
#   pulumi                       github.com/pulumi/pulumi/pkg/v3/cmd/pulumi (tools/pulumi/cli)
#   pulumi-resource-kubernetes   github.com/pulumi/pulumi-kubernetes/provider/v4 behind our main
#                                (tools/pulumi/kubernetes)
#   pulumi-language-nodejs       not built: the Go module proxy serves no version of
#                                github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
#                                (checked at every cold build; see language-host.txt in the cache)
#
# Go 1.26 as the machine has it; no GOTOOLCHAIN needed. Long on 2 cores: run it under nice.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
version="$(node -p 'require(process.argv[1]).version' "$repo/node_modules/@pulumi/pulumi/package.json")"
cache="${TASKSTACK_CACHE:-/var/cache/taskstack}/pulumi-tools/$version"
bin="$cache/bin"

# The build's inputs: a change to our Go module rebuilds, anything else reuses.
inputs="$(cat "$repo"/tools/pulumi/cli/go.{mod,sum} "$repo"/tools/pulumi/kubernetes/{go.mod,go.sum,main.go} | sha256sum | cut -c1-16)"
if [[ -x "$bin/pulumi" && -x "$bin/pulumi-resource-kubernetes" && "$(cat "$cache/inputs" 2>/dev/null)" == "$inputs" ]]; then
  echo "pulumi-tools: reusing $bin ($("$bin/pulumi" version))" >&2
  echo "$bin"
  exit 0
fi

pinned="$(cd "$repo/tools/pulumi/cli" && go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3)"
if [[ "$pinned" != "v$version" ]]; then
  echo "pulumi-tools: tools/pulumi/cli/go.mod requires github.com/pulumi/pulumi/pkg/v3 $pinned, but the locked @pulumi/pulumi is $version: move both to one release (go get github.com/pulumi/pulumi/pkg/v3@v$version github.com/pulumi/pulumi/sdk/v3@v$version)" >&2
  exit 2
fi

start=$SECONDS
partial="$cache/bin.partial"
rm -rf "$partial"
mkdir -p "$partial"

echo "pulumi-tools: building pulumi v$version (cold: about 8 minutes on 2 cores, then the provider about 8)" >&2
(cd "$repo/tools/pulumi/cli" && go build -trimpath -tags osusergo,grpcnotrace \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
  -o "$partial/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
cli_done=$SECONDS

echo "pulumi-tools: building pulumi-resource-kubernetes" >&2
k8s="$repo/tools/pulumi/kubernetes"
module_dir="$(cd "$k8s" && go mod download -json github.com/pulumi/pulumi-kubernetes/provider/v4 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Dir))')"
k8s_version="$(cd "$k8s" && go list -m -f '{{.Version}}' github.com/pulumi/pulumi-kubernetes/provider/v4)"
# The provider's own cmd embeds these generated from the module's files (gitignored here).
install -m 0644 "$module_dir/cmd/pulumi-resource-kubernetes/schema.json" "$k8s/schema-embed.json"
install -m 0644 "$module_dir/cmd/pulumi-resource-kubernetes/terraform-mapping.json" "$k8s/terraform-mapping-embed.json"
(cd "$k8s" && go build -trimpath \
  -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=${k8s_version#v}" \
  -o "$partial/pulumi-resource-kubernetes" .)
k8s_done=$SECONDS

# The Node.js language host: built only if the proxy serves its module.
lh=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
if lh_err="$(cd "$(mktemp -d)" && go mod download -json "$lh@v$version" 2>&1)"; then
  echo "pulumi-tools: the proxy now serves $lh@v$version: build it (tools/pulumi/) and run the program through it" >&2
else
  printf '%s@v%s: not served by the Go module proxy:\n%s\n' "$lh" "$version" "$lh_err" > "$cache/language-host.txt"
  echo "pulumi-tools: $lh@v$version is not served; the Automation API path (--client) runs the program" >&2
fi

rm -rf "$bin"
mv "$partial" "$bin"
echo "$inputs" > "$cache/inputs"
printf 'cold build: pulumi %ss, pulumi-resource-kubernetes %ss, total %ss\n' \
  "$((cli_done - start))" "$((k8s_done - cli_done))" "$((SECONDS - start))" | tee "$cache/build-times.txt" >&2
echo "$bin"
