import { describe, expect, it } from "vitest";
import { taskstackPolicies } from "../../policies/rules";

describe("the taskstack pack", () => {
  it.each(taskstackPolicies.map((p) => [p.name, p] as const))(
    "%s has a severity, an enforcement level and a <provider>-<module>-<resource>-<verb> name",
    (name, policy) => {
      expect(["low", "medium", "high", "critical"]).toContain(policy.severity);
      expect(["advisory", "mandatory"]).toContain(policy.enforcementLevel);
      expect(name).toMatch(
        /^(gcp|aws|kubernetes)-[a-z0-9]+-[a-z0-9]+-(configure|enable|disallow|enforce)-/,
      );
    },
  );

  it("names each policy once", () => {
    const names = taskstackPolicies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
