#!/usr/bin/env bash
# The Google Cloud emulator stage of .ci/run (issue 15): `npm run test:emulators` starts the
# Pub/Sub and Spanner emulators of the machine's Google Cloud SDK on loopback ports and checks the
# rules taskstack's schemas encode (names, ack deadline, retention, dead-letter attempts, backoff,
# Spanner ids and processing units) and every topic, subscription, instance and database the
# three stacks plan. Nothing is built or cached: the emulators ship with the SDK (packages
# google-cloud-cli-pubsub-emulator and google-cloud-cli-spanner-emulator); the Pub/Sub one needs
# a Java runtime, taken from Debian when missing. A suite that skipped fails this stage.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p out

if ! command -v java > /dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless > /dev/null
fi
sdk="${TASKSTACK_GCLOUD_SDK:-$(gcloud info --format='value(installation.sdk_root)')}"
for part in platform/pubsub-emulator/bin/cloud-pubsub-emulator bin/cloud_spanner_emulator/gateway_main; do
  [ -x "$sdk/$part" ] || { echo "gcp-emulators: $sdk/$part is missing"; exit 1; }
done
export TASKSTACK_GCLOUD_SDK="$sdk"
echo "gcp-emulators: Google Cloud SDK $(cat "$sdk/VERSION" 2>/dev/null || echo "at $sdk"), $(java -version 2>&1 | head -n 1)"

started=$(date +%s)
npm run --silent test:emulators -- --reporter=default --reporter=json \
  --outputFile.json=out/gcp-emulators.json
node -e '
  const r = require("./out/gcp-emulators.json");
  console.log(`gcp-emulators: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
  if (r.numFailedTests > 0 || r.numPendingTests > 0 || r.numPassedTests === 0) process.exit(1);
'
echo "gcp-emulators: $(($(date +%s) - started)) s"
