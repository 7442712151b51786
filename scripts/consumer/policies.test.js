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
