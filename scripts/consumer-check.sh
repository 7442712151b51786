#!/usr/bin/env bash
# Consumer check: build, pack, install the tarball into a scratch CommonJS project outside the
# repository, and run scripts/consumer/*.test.* there with Node's test runner. Proves the published
# package (exports map, files list, bin) works for `require`, `import` and `taskstack/testing` users.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/taskstack-consumer.XXXXXX")"
start=$SECONDS

finish() {
  local status=$?
  rm -rf "$tmp"
  if [[ $status -eq 0 ]]; then
    echo "consumer-check: PASS ($((SECONDS - start)) s)"
  else
    echo "consumer-check: FAIL (exit $status after $((SECONDS - start)) s)" >&2
  fi
  exit "$status"
}
trap finish EXIT

cd "$repo"
# `npm pack` builds through the package's prepack script, as a release does.
echo "consumer-check: building and packing"
mkdir -p "$tmp/pack"
tarball="$tmp/pack/$(npm pack --silent --pack-destination "$tmp/pack" | tail -n 1)"
[[ -f "$tarball" ]] || { echo "consumer-check: npm pack produced no tarball" >&2; exit 1; }

echo "consumer-check: installing $(basename "$tarball") into $tmp/project"
mkdir -p "$tmp/project"
cp "$repo"/scripts/consumer/* "$tmp/project/"
cd "$tmp/project"
# The provider SDKs are optional peers: a project installs the ones it uses, at the versions this
# repository locks (so the check runs what CI tested), or with TASKSTACK_PEERS=floors at the oldest
# each peer range allows (`^9.0.0`: 9.0.0), as scripts/ci/peer-floors.sh runs it.
locked() { node -p "require('$repo/package-lock.json').packages['node_modules/$1'].version"; }
floor() { node -p "/^\\^(\\d+\\.\\d+\\.\\d+)\$/.exec(require('$repo/package.json').peerDependencies['$1'])[1]"; }
case "${TASKSTACK_PEERS:-locked}" in
  locked) version_of=locked ;;
  floors) version_of=floor ;;
  *) echo "consumer-check: TASKSTACK_PEERS: expected locked or floors, got '${TASKSTACK_PEERS}'" >&2; exit 2 ;;
esac
sdks() { for p in "$@"; do printf '%s@%s ' "$p" "$("$version_of" "$p")"; done; }
echo "consumer-check: peers (${TASKSTACK_PEERS:-locked}): $(sdks @pulumi/pulumi @pulumi/gcp @pulumi/aws @pulumi/kubernetes @pulumi/random @pulumi/policy)"
every_sdk=$(sdks @pulumi/pulumi @pulumi/gcp @pulumi/aws @pulumi/kubernetes @pulumi/random @pulumi/policy)
# shellcheck disable=SC2086
npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tarball" $every_sdk

echo "consumer-check: running the consumer tests"
node --test commonjs.test.js esm.test.mjs policies.test.js policy-pack.test.js

# Teams that use one cloud: taskstack with @pulumi/pulumi and that cloud's SDK, nothing else.
one_cloud_project() {
  local cloud="$1" sdk="$2"
  echo "consumer-check: $cloud-only project in $tmp/$cloud-only"
  mkdir -p "$tmp/$cloud-only"
  cp "$repo/scripts/consumer-$cloud-only/"* "$tmp/$cloud-only/"
  cd "$tmp/$cloud-only"
  # shellcheck disable=SC2046
  npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tarball" $(sdks @pulumi/pulumi "$sdk")
  node --test "$cloud-only.test.js"
}
one_cloud_project gcp @pulumi/gcp
one_cloud_project aws @pulumi/aws

# A project made the way `pulumi new typescript` makes one: CommonJS, classic node resolution,
# its own `pulumi.runtime.setMocks` and vitest. It installs the same tarball, as a user does before
# the package is published (README, "Installing before the first release").
echo "consumer-check: Pulumi template project in $tmp/template"
mkdir -p "$tmp/template"
cp -r "$repo"/scripts/consumer-template/. "$tmp/template/"
cd "$tmp/template"
npm install --no-audit --no-fund --prefer-offline --loglevel=error
# shellcheck disable=SC2086
npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tarball" $every_sdk
# The installed package's public entries must not reach zod's or @pulumi/policy's index types
# (they fail to compile in such projects); the check names the chain of declaration files.
(cd "$repo" && npx tsx scripts/public-types-check.ts "$tmp/template/node_modules/taskstack")
# Without skipLibCheck, so taskstack's own declaration files are compiled too: today's template
# (tsconfig.json: nodenext, since pulumi/templates 81e65225, March 2026), the classic template
# (commonjs, node resolution, no esModuleInterop; without the vitest file, whose own types need
# skipLibCheck under node resolution), a bundler setup, and an ES module program.
for config in tsconfig.json tsconfig.classic.json tsconfig.bundler.json esm/tsconfig.json; do
  echo "consumer-check: tsc -p $config"
  npx tsc -p "$config" --noEmit
done
echo "consumer-check: the template project's own vitest tests"
npx vitest run
