#!/usr/bin/env bash
# taskstack's components used from another language's side of the engine (issue 23): a program
# declares them as remote components (`taskstack:index:<Component>`), as a Python, Go, .NET or
# YAML program using an SDK from `pulumi package add` does; the real CLI and engine v3.276.0 ask
# the `taskstack` provider plugin (scripts/component-provider/bin/pulumi-resource-taskstack,
# serving the package as Pulumi's Node.js language host serves a source-based component package)
# to construct each, and the children it declares go to the stand-in gcp provider.
#   1 preview    pulumi preview --json: every resource equal to the offline plan of the same
#                components declared in process (URN, type, parent, provider inputs)
#   2 up         pulumi up, pulumi stack export: the same against the offline plan; the remote
#                PubSubTopic's `topicId` output, read by the remote CloudSchedulerJob, as offline
#   3 no-changes pulumi preview --expect-no-changes
#   4 destroy    pulumi destroy: nothing left
# The program runs through the Automation API's path (--client), as scripts/real-pulumi.sh does:
# no language host (Node.js, Python, Go) can be built from the Go module proxy here.
# Results in out/component-provider/.
#
#   bash scripts/component-provider.sh
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
out="$repo/out/component-provider"
rm -rf "$out"
mkdir -p "$out/project" "$out/backend"

# shellcheck source=scripts/real-pulumi/env.sh
source scripts/real-pulumi/env.sh
real_pulumi_env "$out" taskstack-ci-remote "$repo/scripts/component-provider/bin" || { echo "component-provider: no tools" >&2; exit 1; }
export TASKSTACK_RENDER_DIR="$out/rendered"

project="$out/project"
stack=remote
cat > "$project/Pulumi.yaml" <<'YAML'
name: taskstack-remote-components
runtime: nodejs
description: taskstack's components as remote components, as Python, Go, .NET and YAML programs use them
YAML
pulumi stack init "$stack" --cwd "$project" --secrets-provider passphrase > "$out/stack-init.log" 2>&1 || { cat "$out/stack-init.log"; exit 1; }
pulumi config set gcp:project remote-components-ci --stack "$stack" --cwd "$project" || exit 1
pulumi config set gcp:region europe-west1 --stack "$stack" --cwd "$project" || exit 1
echo "component-provider: pulumi $(pulumi version); program through the Automation API path (--client); components from the taskstack plugin"

pulumi_() {
  npx tsx scripts/real-pulumi/client.ts --program scripts/component-provider/program.ts#remoteProgram \
    -- "$@" --stack "$stack" --cwd "$project"
}
compare() { npx tsx scripts/component-provider/compare.ts "$@"; }
failed=()

# 1. preview
if pulumi_ preview --json > "$out/preview.json" 2> "$out/preview.log"; then
  line="$(compare preview "$out/preview.json")" && echo "1 preview: $line" || { echo "1 preview: FAIL"; echo "$line"; failed+=(preview); }
else
  tail -n 30 "$out/preview.log"; echo "1 preview: FAIL (pulumi preview exited non-zero)"; failed+=(preview)
fi

# 2. up, export, outputs
if pulumi_ up --yes --skip-preview > "$out/up.log" 2>&1 \
  && pulumi stack export --stack "$stack" --cwd "$project" > "$out/export.json" \
  && pulumi stack output --json --stack "$stack" --cwd "$project" > "$out/outputs.json"; then
  line="$(compare export "$out/export.json" "$out/outputs.json")" && echo "2 up: $line" || { echo "2 up: FAIL"; echo "$line"; failed+=(up); }
else
  tail -n 30 "$out/up.log"; echo "2 up: FAIL (pulumi up exited non-zero)"; failed+=(up)
fi

# 3. a second preview changes nothing
if pulumi_ preview --expect-no-changes > "$out/no-changes.log" 2>&1; then
  echo "3 no-changes: pulumi preview --expect-no-changes passed"
else
  tail -n 30 "$out/no-changes.log"; echo "3 no-changes: FAIL"; failed+=(no-changes)
fi

# 4. destroy leaves nothing
if pulumi_ destroy --yes --skip-preview > "$out/destroy.log" 2>&1; then
  left="$(pulumi stack export --stack "$stack" --cwd "$project" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log((JSON.parse(s).deployment.resources??[]).length))')"
  if [[ "$left" == "0" ]]; then echo "4 destroy: nothing left"; else echo "4 destroy: FAIL ($left resources left)"; failed+=(destroy); fi
else
  tail -n 30 "$out/destroy.log"; echo "4 destroy: FAIL"; failed+=(destroy)
fi

if (( ${#failed[@]} > 0 )); then
  echo "component-provider: FAILED: ${failed[*]} (logs in out/component-provider/)"
  exit 1
fi
echo "component-provider: passed"
