#!/usr/bin/env bash
# The peer floors: package.json promises that taskstack works with the oldest release each peer
# range allows (`^9.0.0` means 9.0.0). This installs exactly those floors into a copy of the
# repository, compiles the published sources against them (an argument a floor SDK lacks is a type
# error there) and runs the component, stack and example tests on them; then the consumer check
# (scripts/consumer-check.sh: the packed package in scratch projects, four tsconfigs compiled
# without skipLibCheck) with every peer at its floor.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/taskstack-floors.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS

cd "$repo"
# Every peer range is a caret range (`^X.Y.Z`), whose floor is X.Y.Z; anything else is refused here.
floors=$(node -e '
  const peers = require("./package.json").peerDependencies;
  console.log(Object.entries(peers).map(([name, range]) => {
    const floor = /^\^(\d+\.\d+\.\d+)$/.exec(range);
    if (!floor) throw new Error(`peerDependencies.${name}: expected a caret range such as ^1.2.3, got ${range}`);
    return `${name}@${floor[1]}`;
  }).join(" "));
')
echo "peer floors: $floors"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$tmp"
cp -a node_modules "$tmp/"
cd "$tmp"
# shellcheck disable=SC2086
npm install --no-save --no-audit --no-fund --prefer-offline --loglevel=error $floors
for spec in $floors; do
  name="${spec%@*}"
  installed=$(node -p "require('./node_modules/$name/package.json').version.replace(/^v/, '')")
  [ "$installed" = "${spec##*@}" ] || { echo "peer floors: $name is $installed, expected ${spec##*@}"; exit 1; }
done
echo "peer floors: tsc -p tsconfig.build.json against the floors"
npx tsc -p tsconfig.build.json --noEmit
echo "peer floors: component, stack and example tests on the floors"
npx vitest run test/components test/stacks examples --reporter=dot
echo "peer floors: the consumer check with every peer at its floor"
(cd "$repo" && TASKSTACK_PEERS=floors bash scripts/consumer-check.sh)
echo "peer floors: PASS ($((SECONDS - start)) s)"
