#!/usr/bin/env bash
# The Python SDK of taskstack's components, as `pulumi package add` would write it for a Python
# program, and a Python environment to run such a program (issue 23). Prints, last, the line
#   PYTHON=<python> SITE=<dir holding the installed pulumi_taskstack>
# Steps:
#   1 a virtualenv with scripts/component-provider/python/requirements.txt (cached under
#     ${TASKSTACK_CACHE:-/var/cache/taskstack}/python/<hash>; cold about 3 minutes, 0.7 GB)
#   2 tools/pulumi/python-sdk: Pulumi's own Python code generator (pkg/codegen/python v3.276.0,
#     what pulumi-language-python's GeneratePackage runs), built with Go and cached; the Go module
#     proxy serves no pulumi-language-python at v3.276.0 to do it through the CLI
#   3 the schemas through the real CLI: `pulumi package get-schema` of the taskstack plugin (Pulumi's
#     component analyzer over the package, bound by the CLI) and of each package it refers to
#   4 the SDK generated from them, then `pip install`ed into OUT/site
# Needs the real CLI's environment (scripts/real-pulumi/env.sh) already set up by the caller.
#   bash scripts/python-sdk.sh OUT
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: scripts/python-sdk.sh OUT}"
mkdir -p "$out"
cache="${TASKSTACK_CACHE:-/var/cache/taskstack}"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
requirements="$repo/scripts/component-provider/python/requirements.txt"

# The provider SDKs on both sides must be the same releases.
for pkg in gcp aws kubernetes; do
  npm_version="$(node -p 'require(process.argv[1]).version' "$repo/node_modules/@pulumi/$pkg/package.json")"
  pinned="$(sed -n "s/^pulumi-$pkg==//p" "$requirements")"
  if [[ "$pinned" != "$npm_version" ]]; then
    echo "python-sdk: $requirements pins pulumi-$pkg==$pinned, but the locked @pulumi/$pkg is $npm_version: pin the same release" >&2
    exit 2
  fi
done

# 1. The virtualenv.
venv="$cache/python/$(cat "$requirements" | sha256sum | cut -c1-16)/venv"
if [[ ! -x "$venv/bin/python" || ! -f "$venv/.complete" ]]; then
  echo "python-sdk: creating $venv (cold: about 3 minutes)" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
  touch "$venv/.complete"
fi

# 2. The generator.
version="$(node -p 'require(process.argv[1]).version' "$repo/node_modules/@pulumi/pulumi/package.json")"
src="$repo/tools/pulumi/python-sdk"
pinned="$(cd "$src" && go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3)"
if [[ "$pinned" != "v$version" ]]; then
  echo "python-sdk: tools/pulumi/python-sdk/go.mod requires github.com/pulumi/pulumi/pkg/v3 $pinned, but the locked @pulumi/pulumi is $version: move both to one release" >&2
  exit 2
fi
generator="$cache/pulumi-tools/$version/python-sdk/$(cat "$src"/go.mod "$src"/go.sum "$src"/main.go | sha256sum | cut -c1-16)/python-sdk"
if [[ ! -x "$generator" ]]; then
  echo "python-sdk: building the generator (cold: about 1 minute after the CLI's build)" >&2
  mkdir -p "$(dirname "$generator")"
  (cd "$src" && go build -trimpath -o "$generator.partial" .)
  mv "$generator.partial" "$generator"
fi

# 3. The schemas, through the real CLI.
schemas="$out/schemas"
rm -rf "$schemas"
mkdir -p "$schemas/deps"
plugin="$repo/scripts/component-provider/bin/pulumi-resource-taskstack"
# From a directory outside the repository: the CLI looks for a project from its working directory
# up, and refuses the repository's root, which holds both a Pulumi.yaml and a PulumiPlugin.yaml.
cd "$(mktemp -d)"
pulumi package get-schema "$plugin" > "$schemas/taskstack.json" 2> "$schemas/taskstack.log" \
  || { cat "$schemas/taskstack.log" >&2; echo "python-sdk: pulumi package get-schema of the taskstack plugin failed" >&2; exit 1; }
for dep in $(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).dependencies.map((d) => d.name).join(" ")' "$schemas/taskstack.json"); do
  dep_plugin="$(command -v "pulumi-resource-$dep")" || { echo "python-sdk: no pulumi-resource-$dep on PATH" >&2; exit 1; }
  pulumi package get-schema "$dep_plugin" > "$schemas/deps/$dep.json" 2> "$schemas/deps/$dep.log" \
    || { cat "$schemas/deps/$dep.log" >&2; echo "python-sdk: pulumi package get-schema of $dep failed" >&2; exit 1; }
done

# 4. The SDK, installed as a user's `pip install` of it would.
"$generator" -schema "$schemas/taskstack.json" -deps "$schemas/deps" -out "$out/sdk/python" >&2
rm -rf "$out/site"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --no-build-isolation --no-index \
  --target "$out/site" "$out/sdk/python" >&2
echo "PYTHON=$venv/bin/python SITE=$out/site"
