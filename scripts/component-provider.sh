#!/usr/bin/env bash
# taskstack's components used from another language's side of the engine (issue 23). Two programs
# declare the same components as remote components (`taskstack:index:<Component>`); the real CLI
# and engine v3.276.0 ask the `taskstack` provider plugin
# (scripts/component-provider/bin/pulumi-resource-taskstack, serving the package as Pulumi's
# Node.js language host serves a source-based component package) to construct each, and the
# children it declares go to the stand-in gcp provider and the real Kubernetes provider:
#   remote   scripts/component-provider/program.ts#remoteProgram: the remote components declared
#            by hand in Node.js, as a generated SDK declares them
#   python   scripts/component-provider/python/program.py: a Python program using the Python SDK
#            generated from the schema the plugin serves (scripts/python-sdk.sh)
# Each goes through:
#   1 preview    pulumi preview --json: every resource equal to the offline plan of the same
#                components declared in TypeScript (URN, type, parent, provider inputs)
#   2 up         pulumi up, pulumi stack export: the same against the offline plan; the remote
#                PubSubTopic's `topicId` output, read by the remote CloudSchedulerJob, as offline
#   3 no-changes pulumi preview --expect-no-changes
#   4 destroy    pulumi destroy: nothing left
# The programs run through the Automation API's path (--client), as scripts/real-pulumi.sh does:
# no language host (Node.js, Python, Go) can be built from the Go module proxy here.
# Results in out/component-provider/<program>/.
#
#   bash scripts/component-provider.sh [remote|python ...]   (both by default)
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
programs=("$@")
(( ${#programs[@]} > 0 )) || programs=(remote python)
for p in "${programs[@]}"; do
  [[ "$p" == remote || "$p" == python ]] || { echo "component-provider: expected remote or python, got \"$p\"" >&2; exit 2; }
done
rm -rf "$repo/out/component-provider"
stack=remote
failed=()

# One program through the four steps; pulumi_ runs a CLI command with the program served.
run_steps() {
  local name="$1" out="$2" project="$2/project"
  compare() { npx tsx scripts/component-provider/compare.ts "$@"; }

  # 1. preview
  if pulumi_ preview --json > "$out/preview.json" 2> "$out/preview.log"; then
    line="$(compare preview "$out/preview.json")" && echo "$name 1 preview: $line" || { echo "$name 1 preview: FAIL"; echo "$line"; failed+=("$name preview"); }
  else
    tail -n 30 "$out/preview.log"; echo "$name 1 preview: FAIL (pulumi preview exited non-zero)"; failed+=("$name preview")
  fi

  # 2. up, export, outputs
  if pulumi_ up --yes --skip-preview > "$out/up.log" 2>&1 \
    && pulumi stack export --stack "$stack" --cwd "$project" > "$out/export.json" \
    && pulumi stack output --json --stack "$stack" --cwd "$project" > "$out/outputs.json"; then
    line="$(compare export "$out/export.json" "$out/outputs.json")" && echo "$name 2 up: $line" || { echo "$name 2 up: FAIL"; echo "$line"; failed+=("$name up"); }
  else
    tail -n 30 "$out/up.log"; echo "$name 2 up: FAIL (pulumi up exited non-zero)"; failed+=("$name up")
  fi

  # 3. a second preview changes nothing
  if pulumi_ preview --expect-no-changes > "$out/no-changes.log" 2>&1; then
    echo "$name 3 no-changes: pulumi preview --expect-no-changes passed"
  else
    tail -n 30 "$out/no-changes.log"; echo "$name 3 no-changes: FAIL"; failed+=("$name no-changes")
  fi

  # 4. destroy leaves nothing
  if pulumi_ destroy --yes --skip-preview > "$out/destroy.log" 2>&1; then
    left="$(pulumi stack export --stack "$stack" --cwd "$project" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log((JSON.parse(s).deployment.resources??[]).length))')"
    if [[ "$left" == "0" ]]; then echo "$name 4 destroy: nothing left"; else echo "$name 4 destroy: FAIL ($left resources left)"; failed+=("$name destroy"); fi
  else
    tail -n 30 "$out/destroy.log"; echo "$name 4 destroy: FAIL"; failed+=("$name destroy")
  fi
}

# A project and stack of the program's runtime, with the CLI's environment, in OUT.
new_stack() {
  local out="$1" runtime="$2" project="$1/project"
  mkdir -p "$project"
  # shellcheck source=scripts/real-pulumi/env.sh
  source scripts/real-pulumi/env.sh
  real_pulumi_env "$out" taskstack-ci-remote "$repo/scripts/component-provider/bin" || { echo "component-provider: no tools" >&2; return 1; }
  export TASKSTACK_RENDER_DIR="$out/rendered"
  cat > "$project/Pulumi.yaml" <<YAML
name: taskstack-remote-components
runtime: $runtime
description: taskstack's components as remote components, as Python, Go, .NET and YAML programs use them
YAML
  pulumi stack init "$stack" --cwd "$project" --secrets-provider passphrase > "$out/stack-init.log" 2>&1 || { cat "$out/stack-init.log"; return 1; }
  pulumi config set gcp:project remote-components-ci --stack "$stack" --cwd "$project" || return 1
  pulumi config set gcp:region europe-west1 --stack "$stack" --cwd "$project" || return 1
  pulumi config set aws:region eu-west-1 --stack "$stack" --cwd "$project" || return 1
}

for program in "${programs[@]}"; do
  out="$repo/out/component-provider/$program"
  case "$program" in
    remote)
      new_stack "$out" nodejs || exit 1
      echo "component-provider: remote components declared in Node.js; pulumi $(pulumi version), program through the Automation API path (--client)"
      pulumi_() {
        npx tsx scripts/real-pulumi/client.ts --program scripts/component-provider/program.ts#remoteProgram \
          -- "$@" --stack "$stack" --cwd "$out/project"
      }
      ;;
    python)
      new_stack "$out" python || exit 1
      start=$SECONDS
      env_line="$(bash scripts/python-sdk.sh "$out" 2> "$out/python-sdk.log" | tail -n 1)" \
        || { tail -n 30 "$out/python-sdk.log"; echo "python: FAIL (scripts/python-sdk.sh)"; failed+=("python sdk"); continue; }
      python_bin="${env_line#PYTHON=}"; python_bin="${python_bin%% SITE=*}"
      site="${env_line##* SITE=}"
      echo "component-provider: a Python program using the generated SDK ($(sed -n 's/^python-sdk: \([0-9]* files\).*/\1/p' "$out/python-sdk.log"), $((SECONDS - start)) s with the schemas and pip install); $("$python_bin" -c 'import importlib.metadata as m; print(", ".join(f"{p} {m.version(p)}" for p in ("pulumi", "pulumi-gcp", "pulumi-aws", "pulumi-kubernetes")))'), program through the Automation API path (--client)"
      pulumi_() {
        PYTHONPATH="$site:$repo/scripts/component-provider/python" \
          "$python_bin" scripts/component-provider/python/client.py -- "$@" --stack "$stack" --cwd "$out/project"
      }
      ;;
  esac
  run_steps "$program" "$out"
done

if (( ${#failed[@]} > 0 )); then
  echo "component-provider: FAILED: ${failed[*]} (logs in out/component-provider/)"
  exit 1
fi
echo "component-provider: passed"
