#!/usr/bin/env bash
# The offline engine reaches past @pulumi/pulumi's public API in the few places listed in
# testing/internals.ts. This runs the internals probe and the engine's tests against the locked
# release and against the newest 3.x release on the registry (in a scratch copy, so the checkout's
# install is untouched), and fails loudly, naming the internal that moved.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tests=(test/testing/engine.test.ts test/testing/policy-runner.test.ts test/cli/main.test.ts)
start=$SECONDS

echo "pulumi-compat: locked release"
(cd "$repo" && npx tsx scripts/probe-internals.ts)

# The registry lists versions as strings; compare them as numbers (3.270.0 > 3.96.0).
newest="$(npm view '@pulumi/pulumi@^3' version --json | node -e '
  let s = "";
  process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const all = [].concat(JSON.parse(s)).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
    const key = (v) => v.split(".").map(Number);
    all.sort((a, b) => key(a).reduce((c, x, i) => c || x - key(b)[i], 0));
    console.log(all[all.length - 1]);
  });
')"
# PULUMI_COMPAT_VERSION checks another release instead (to try the check itself).
newest="${PULUMI_COMPAT_VERSION:-$newest}"
locked="$(node -p 'require(process.argv[1]).version' "$repo/node_modules/@pulumi/pulumi/package.json")"
if [[ "$newest" == "$locked" ]]; then
  echo "pulumi-compat: the newest 3.x release is the locked one ($locked); nothing more to check"
  exit 0
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/taskstack-compat.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "pulumi-compat: newest 3.x is $newest (locked: $locked); scratch copy in $tmp"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$tmp"
cd "$tmp"
timeout 300 npm ci --silent --no-audit --no-fund --prefer-offline --ignore-scripts
timeout 120 npm install --silent --no-save --no-audit --no-fund --prefer-offline --ignore-scripts "@pulumi/pulumi@$newest"
copies="$(find node_modules -path '*/@pulumi/pulumi/package.json' | wc -l)"
if [[ "$copies" != "1" ]]; then
  echo "pulumi-compat: expected one copy of @pulumi/pulumi after installing $newest, found $copies:" >&2
  find node_modules -path '*/@pulumi/pulumi/package.json' >&2
  exit 1
fi
if ! npx tsx scripts/probe-internals.ts; then
  echo "pulumi-compat: FAIL: @pulumi/pulumi $newest breaks the offline engine (internal named above); keep peerDependencies below it or adapt testing/internals.ts" >&2
  exit 1
fi
if ! timeout 300 npx vitest run "${tests[@]}"; then
  echo "pulumi-compat: FAIL: the engine's tests fail against @pulumi/pulumi $newest (see above)" >&2
  exit 1
fi
echo "pulumi-compat: PASS against $locked and $newest ($((SECONDS - start)) s)"
