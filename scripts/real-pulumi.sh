#!/usr/bin/env bash
# taskstack's program under the real Pulumi CLI, engine and analyzer, with the real Kubernetes
# provider rendering YAML and stand-in gcp/aws/random providers (scripts/stand-in-providers/),
# held against the offline plan:
#   1 preview    pulumi preview --policy-pack policies --policy-pack-config policies/config/STACK.json
#                vs `taskstack plan STACK --preview`: resources (URN, type, parent, inputs) and verdicts
#   2 up         pulumi up --yes, then pulumi stack export vs `taskstack plan STACK`
#   3 no-changes pulumi preview --expect-no-changes
#   4 manifests  the provider's renderYamlToDirectory output vs the offline plan's manifests/
#   5 destroy    pulumi destroy --yes; on a stack with protected resources (staging, prod) the
#                engine's refusal, on protected resources only, each kept
#   6 bad input  (dev) a bad stack file: preview fails with the one-line message, declaring nothing
# Results in out/real-pulumi/STACK/ (preview.json, export.json, *-differences.json, logs), one
# summary line per step. Differences fail the run unless scripts/real-pulumi/compare.ts names them.
#
# The Node.js language host cannot be built from the Go module proxy, so the program runs through
# the Automation API's path (`--client`, scripts/real-pulumi/client.ts), and the policy pack is
# given to the CLI as an executable (scripts/real-pulumi/policy-pack/taskstack-policies) running
# @pulumi/pulumi's policy-pack runner in policies/, as the language host would: CLI v3.276.0 no
# longer falls back to a pulumi-analyzer-policy-nodejs plugin.
#
#   bash scripts/real-pulumi.sh STACK [--preview-only]
# --preview-only stops after step 1 (npm run bench times it).
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stack="${1:-}"
preview_only="${2:-}"
if [[ ! -f "$repo/stacks/Pulumi.$stack.yaml" ]]; then
  echo "real-pulumi: STACK: expected one of $(ls "$repo/stacks" | sed -n 's/^Pulumi\.\(.*\)\.yaml$/\1/p' | tr '\n' ' '), got '${stack}'" >&2
  exit 2
fi
cd "$repo"
out="$repo/out/real-pulumi/$stack"
rm -rf "$out"
mkdir -p "$out"

# shellcheck source=scripts/real-pulumi/env.sh
source scripts/real-pulumi/env.sh
real_pulumi_env "$out" "taskstack-ci-$stack" || { echo "real-pulumi: no tools" >&2; exit 1; }
echo "real-pulumi $stack: pulumi $(pulumi version), program through the Automation API path (--client), policy pack as an executable analyzer plugin"

project="$out/project"
pulumi_() { npx tsx scripts/real-pulumi/client.ts -- "$@" --stack "$stack" --cwd "$project"; }

# The stack, with CI's own secrets and the Kubernetes provider rendering YAML.
secure_paths="$(npx tsx scripts/real-pulumi/stack-copy.ts "$stack" "$project")" || exit 1
pulumi stack init "$stack" --cwd "$project" --secrets-provider passphrase > "$out/stack-init.log" 2>&1 || { cat "$out/stack-init.log"; exit 1; }
set_args=()
n=0
for p in $secure_paths; do n=$((n + 1)); set_args+=(--secret "$p=taskstack-ci-secret-$stack-$n"); done
if (( n > 0 )); then
  pulumi config set-all --path "${set_args[@]}" --stack "$stack" --cwd "$project" || exit 1
fi
pulumi config set kubernetes:renderYamlToDirectory "$out/rendered" --stack "$stack" --cwd "$project" || exit 1

failed=()
summary() { echo "[$stack] $*"; }

# The offline plans the real runs are held against, made as `npm start` makes them.
offline_plan() { node --max-semi-space-size=64 --import tsx cli/main.ts plan "$@"; }
offline_plan "$stack" --preview --out "$out/offline-preview" > "$out/offline-preview.log" 2>&1 || { tail -n 20 "$out/offline-preview.log"; exit 1; }
offline_plan "$stack" --out "$out/offline-up" > "$out/offline-up.log" 2>&1 || { tail -n 20 "$out/offline-up.log"; exit 1; }

# 1. preview with the policy pack.
t0=$(date +%s.%N)
pulumi_ preview --json --policy-pack "$repo/scripts/real-pulumi/policy-pack/taskstack-policies" \
  --policy-pack-config "$repo/policies/config/$stack.json" \
  --event-log "$out/preview-events.jsonl" > "$out/preview.json" 2> "$out/preview.log"
rc=$?
preview_seconds="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
echo "$preview_seconds" > "$out/preview-seconds"
if (( rc != 0 )); then
  tail -n 30 "$out/preview.log"; head -c 3000 "$out/preview.json"
  summary "1 preview: FAIL (pulumi preview exited $rc)"; failed+=(preview)
elif line="$(npx tsx scripts/real-pulumi/compare.ts preview "$out" "$out/offline-preview/$stack/plan.json")"; then
  echo "$line" | sed '$d'; summary "1 $(echo "$line" | tail -n 1) (${preview_seconds}s)"
else
  echo "$line" | sed '$d'; summary "1 $(echo "$line" | tail -n 1)"; failed+=(preview)
fi

if [[ "$preview_only" == --preview-only ]]; then
  (( ${#failed[@]} == 0 )); exit $?
fi

# 2. up, then the state against the offline plan.
if pulumi_ up --yes --skip-preview > "$out/up.log" 2>&1 && pulumi stack export --stack "$stack" --cwd "$project" --file "$out/export.json"; then
  if line="$(npx tsx scripts/real-pulumi/compare.ts export "$out" "$out/offline-up/$stack/plan.json")"; then
    echo "$line" | sed '$d'; summary "2 up: $(echo "$line" | tail -n 1)"
  else
    echo "$line" | sed '$d'; summary "2 up: $(echo "$line" | tail -n 1)"; failed+=(up)
  fi
else
  tail -n 40 "$out/up.log"; summary "2 up: FAIL (pulumi up exited non-zero; out/real-pulumi/$stack/up.log)"; failed+=(up)
fi

# 3. a second preview: nothing to change.
if pulumi_ preview --expect-no-changes > "$out/no-changes.log" 2>&1; then
  summary "3 no-changes: PASS: pulumi preview --expect-no-changes found no changes"
else
  grep -E "^\s+[~+-]|replace|update|error" "$out/no-changes.log" | head -n 30
  summary "3 no-changes: FAIL (a second preview has changes; out/real-pulumi/$stack/no-changes.log)"; failed+=(no-changes)
fi

# 4. the Kubernetes provider's rendered YAML against the offline manifests.
if line="$(npx tsx scripts/real-pulumi/compare.ts manifests "$out" "$out/offline-up/$stack/manifests" "$out/rendered")"; then
  echo "$line" | sed '$d'; summary "4 $(echo "$line" | tail -n 1)"
else
  echo "$line" | sed '$d'; summary "4 $(echo "$line" | tail -n 1)"; failed+=(manifests)
fi

# 5. destroy: everything, or, on a stack with protected resources (staging and prod set
#    taskstack:deletionProtection), the engine's refusal: only protected resources refused, each kept.
protected="$(node -e 'const s=require(process.argv[1]).deployment.resources||[]; console.log(s.filter(r=>r.protect).length)' "$out/export.json" 2>/dev/null || echo 0)"
pulumi_ destroy --yes --skip-preview > "$out/destroy.log" 2>&1
rc=$?
pulumi stack export --stack "$stack" --cwd "$project" --file "$out/after-destroy.json" || echo '{"deployment":{}}' > "$out/after-destroy.json"
if (( protected > 0 )); then
  if line="$(npx tsx scripts/real-pulumi/compare.ts destroy "$out" "$out/destroy.log" "$rc")"; then
    echo "$line" | sed '$d'; summary "5 $(echo "$line" | tail -n 1)"
  else
    echo "$line" | sed '$d'; summary "5 $(echo "$line" | tail -n 1) (out/real-pulumi/$stack/destroy.log)"; failed+=(destroy)
  fi
else
  left="$(node -e 'console.log((require(process.argv[1]).deployment.resources||[]).length)' "$out/after-destroy.json")"
  if (( rc == 0 && left == 0 )); then
    summary "5 destroy: PASS: every resource deleted (no protected resources)"
  else
    tail -n 20 "$out/destroy.log"
    summary "5 destroy: FAIL (pulumi destroy exited $rc, $left resource(s) left)"; failed+=(destroy)
  fi
fi

# 6. (dev) a bad stack file: the preview fails with taskstack's one-line message, as the user wrote
#    it and with no stack trace, and declares nothing (not even a provider).
steps=five
if [[ "$stack" == dev ]]; then
  steps=six
  message='stacks/Pulumi.dev.yaml: taskstack:environment: expected one of dev, staging, prod, got "qa"'
  pulumi config set taskstack:environment qa --stack "$stack" --cwd "$project" || exit 1
  pulumi_ preview --event-log "$out/bad-input-events.jsonl" > "$out/bad-input.log" 2>&1
  rc=$?
  pulumi config set taskstack:environment "$stack" --stack "$stack" --cwd "$project" || exit 1
  declared="$(node -e '
    const lines = require("node:fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
    const urns = lines.map((l) => JSON.parse(l).resourcePreEvent?.metadata?.urn).filter(Boolean);
    console.log(urns.filter((u) => !u.endsWith("::" + process.argv[2])).length);
  ' "$out/bad-input-events.jsonl" "taskstack-$stack" 2>/dev/null || echo unread)"
  if (( rc != 0 )) && grep -qF "error: $message" "$out/bad-input.log" \
    && ! grep -qE '[Uu]nhandled exception|^ +at ' "$out/bad-input.log" && [[ "$declared" == 0 ]]; then
    summary "6 bad input: PASS: preview exits $rc with the one-line message, no stack trace, nothing declared"
  else
    tail -n 20 "$out/bad-input.log"
    summary "6 bad input: FAIL (exit $rc, $declared resource(s) declared; out/real-pulumi/$stack/bad-input.log)"; failed+=(bad-input)
  fi
fi

if (( ${#failed[@]} > 0 )); then
  echo "real-pulumi $stack: FAILED: ${failed[*]}"
  exit 1
fi
echo "real-pulumi $stack: all $steps steps passed"
