#!/usr/bin/env bash
# CI step (issue 19): the real Pulumi CLI and engine, built from Go modules, run taskstack's
# program for dev, staging and prod (scripts/real-pulumi.sh: preview with the policy pack, up,
# a second preview with no changes, the rendered Kubernetes YAML, destroy), each held against the
# offline plan. The tools are built once into ${TASKSTACK_CACHE:-/var/cache/taskstack}/pulumi-tools/
# (cold: about 16 minutes on 2 cores; warm: reused) by scripts/pulumi-tools.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

start=$SECONDS
nice -n 10 bash scripts/pulumi-tools.sh > /dev/null
echo "real-pulumi: tools ready in $((SECONDS - start))s"

status=0
for stack in dev staging prod; do
  t0=$SECONDS
  if bash scripts/real-pulumi.sh "$stack"; then
    echo "real-pulumi: $stack passed in $((SECONDS - t0))s"
  else
    echo "real-pulumi: $stack FAILED in $((SECONDS - t0))s (out/real-pulumi/$stack/)"
    status=1
  fi
done
exit "$status"
