// taskstack/policies publishes the policy arrays, never the pack (constructing one starts a server).
"use strict";
const assert = require("node:assert/strict");
const { test } = require("node:test");

test("taskstack/policies exposes the policy arrays", () => {
  const policies = require("taskstack/policies");
  assert.equal(typeof policies, "object");
  for (const exported of ["taskstackPolicies", "gcpPolicies"]) {
    const list = policies[exported];
    assert.ok(
      Array.isArray(list) && list.length > 0,
      `${exported}: expected a non-empty array, got ${list}`,
    );
    for (const policy of list) {
      assert.equal(typeof policy.name, "string", `${exported}: a policy without a name`);
      assert.equal(typeof policy.description, "string", `${policy.name}: no description`);
    }
  }
  assert.equal(
    policies.taskstackPolicies.length,
    new Set(policies.taskstackPolicies.map((p) => p.name)).size,
  );
});

/** Runs a snippet in a fresh Node process; returns its status, stdout and stderr. */
function node(code) {
  const { spawnSync } = require("node:child_process");
  const result = spawnSync(process.execPath, ["-e", code], { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

for (const cloud of ["gcp", "aws", "kubernetes"]) {
  test(`taskstack/policies/${cloud} loads that cloud's SDK and no other`, () => {
    const run = node(`
      const p = require("taskstack/policies/${cloud}");
      const loaded = Object.keys(require.cache)
        .map((f) => /node_modules[\\\\/](@pulumi[\\\\/][a-z]+)[\\\\/]/.exec(f)?.[1])
        .filter(Boolean).map((m) => m.replace("\\\\", "/"));
      const list = p["${cloud}Policies"];
      console.log(JSON.stringify({
        sdks: [...new Set(loaded)].sort(),
        count: list.length,
        prefixed: list.every((x) => x.name.startsWith("${cloud}-")),
        exemptions: typeof p.withExemptions,
      }));
    `);
    assert.equal(run.status, 0, run.stderr);
    const got = JSON.parse(run.stdout);
    assert.deepEqual(got.sdks, ["@pulumi/policy", "@pulumi/pulumi", `@pulumi/${cloud}`].sort());
    assert.ok(got.count > 0 && got.prefixed, run.stdout);
    assert.equal(got.exemptions, "function");
  });
}
