#!/usr/bin/env bash
# CI step (issue 23): SpannerScheduledBackup given its project and instance as Outputs of a
# gcp.spanner.Instance, under the real Pulumi CLI and engine (v3.276.0, built from Go modules by
# scripts/pulumi-tools.sh and cached; the gcp provider is taskstack's stand-in plugin), programs in
# scripts/spanner-outputs/program.ts, run through scripts/real-pulumi/client.ts:
#   1 same      (function mode, then native mode) `up` with strings, then
#               `preview --expect-no-changes` with Outputs on that stack:
#               switching to Outputs changes no resource; then `up` with Outputs, and every
#               resource of the backup has the same inputs and outputs in `pulumi stack export`
#               (scripts/spanner-outputs/compare.ts), the instance now among its dependencies
#   2 preview   an instance whose name the provider picks: `preview` succeeds, the names and texts
#               that contain it unknown, the rest known
#   3 refused   an instance id that is not one, as an Output: `up` fails with the schema's message
#               and creates nothing that names the instance
# Results in out/spanner-outputs/ (logs, exports), one line per check. Warm: about 1 minute.
#
#   bash scripts/ci/spanner-outputs.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
repo="$PWD"
out="$repo/out/spanner-outputs"
rm -rf "$out"
mkdir -p "$out/project"

# shellcheck source=scripts/real-pulumi/env.sh
source scripts/real-pulumi/env.sh
nice -n 10 bash scripts/pulumi-tools.sh > /dev/null || { echo "spanner-outputs: building the tools failed" >&2; exit 1; }
real_pulumi_env "$out" "taskstack-ci-spanner-outputs" || { echo "spanner-outputs: no tools" >&2; exit 1; }
printf 'name: spanner-outputs\nruntime: nodejs\n' > "$out/project/Pulumi.yaml"

# pulumi_ PROGRAM STACK ARGS...: one CLI command with one of program.ts's programs.
pulumi_() {
  local program="$1" stack="$2"
  shift 2
  npx tsx scripts/real-pulumi/client.ts --program "scripts/spanner-outputs/program.ts#$program" -- \
    "$@" --stack "$stack" --cwd "$out/project"
}
for stack in same-function same-native preview refused; do
  pulumi stack init "$stack" --cwd "$out/project" --secrets-provider passphrase > "$out/$stack-init.log" 2>&1 \
    || { cat "$out/$stack-init.log"; exit 1; }
done

failed=()
start=$SECONDS

# 1 Strings, then Outputs of the instance, on one stack: function mode, then native mode.
for mode in function native; do
  stack="same-$mode"
  if [ "$mode" = native ]; then from=nativeStrings to=nativeOutputs; else from=strings to=outputs; fi
  if pulumi_ "$from" "$stack" up --yes --skip-preview > "$out/$stack-strings-up.log" 2>&1 \
    && pulumi stack export --stack "$stack" --cwd "$out/project" --file "$out/$stack-strings.json" \
    && pulumi_ "$to" "$stack" preview --expect-no-changes --diff > "$out/$stack-no-changes.log" 2>&1 \
    && pulumi_ "$to" "$stack" up --yes --skip-preview > "$out/$stack-outputs-up.log" 2>&1 \
    && pulumi stack export --stack "$stack" --cwd "$out/project" --file "$out/$stack-outputs.json" \
    && npx tsx scripts/spanner-outputs/compare.ts "$out/$stack-strings.json" "$out/$stack-outputs.json" > "$out/$stack-compare.log" 2>&1; then
    echo "spanner-outputs $stack: no change from strings to Outputs; $(cat "$out/$stack-compare.log")"
  else
    echo "spanner-outputs $stack: FAILED (out/spanner-outputs/$stack-*.log)"
    tail -n 20 "$out/$stack"-*.log
    failed+=("$stack")
  fi
done

# 2 A preview in which the instance's name is not known yet.
if pulumi_ unknownInPreview preview preview --json > "$out/preview.json" 2> "$out/preview.err" \
  && node scripts/spanner-outputs/check-preview.mjs "$out/preview.json" > "$out/preview-check.log" 2>&1; then
  echo "spanner-outputs preview: $(cat "$out/preview-check.log")"
else
  echo "spanner-outputs preview: FAILED (out/spanner-outputs/preview*)"
  cat "$out/preview.err" "$out/preview-check.log" 2> /dev/null | tail -n 20
  failed+=(preview)
fi

# 3 A bad instance id as an Output.
message='SpannerScheduledBackup "backups" instance: expected a Spanner instance id: 6–30 lowercase letters, digits or -, starting with a letter, got "Commerce_DB"'
pulumi_ badInstance refused up --yes --skip-preview > "$out/refused-up.log" 2>&1
code=$?
pulumi stack export --stack refused --cwd "$out/project" --file "$out/refused.json" > /dev/null 2>&1
# The input is at fault, not the program: the message is printed as it is (a RunError), with no
# "unhandled exception" and no stack trace.
if [ "$code" -ne 0 ] && grep -qF "error: $message" "$out/refused-up.log" \
  && ! grep -qE '[Uu]nhandled exception|^ +at ' "$out/refused-up.log" \
  && node scripts/spanner-outputs/check-refused.mjs "$out/refused.json" > "$out/refused-check.log" 2>&1; then
  echo "spanner-outputs refused: up exits $code with the schema's message alone, no stack trace; $(cat "$out/refused-check.log")"
else
  echo "spanner-outputs refused: FAILED (exit $code; out/spanner-outputs/refused-*)"
  tail -n 20 "$out/refused-up.log" "$out/refused-check.log"
  failed+=(refused)
fi

echo "spanner-outputs: $((SECONDS - start))s"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "spanner-outputs: FAILED: ${failed[*]}"
  exit 1
fi
