import { describe, expect, it } from "vitest";
import { kubernetesPolicyPoddisruptionbudgetDisallowZeroDisruption as policy } from "../../../../../policies/kubernetes";
import { policyCases } from "../../../../../testing";
import { compliantRabbitMq, labels } from "../../fixtures";

const blocks = (setting: string) =>
  `PodDisruptionBudget sets ${setting}, so no pod may ever be evicted and every node drain blocks. Set maxUnavailable 1, so a drain evicts one pod at a time.`;
const selector = { matchLabels: labels };

describe("kubernetes-policy-poddisruptionbudget-disallow-zero-disruption", () => {
  it("is named for the resource type path, mandatory and medium", () => {
    expect(policy.name).toBe("kubernetes-policy-poddisruptionbudget-disallow-zero-disruption");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.severity).toBe("medium");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantRabbitMq,
      target: "broker-pdb",
      cases: [
        {
          title: "maxUnavailable 0",
          set: { spec: { maxUnavailable: 0, selector } },
          messages: [blocks("maxUnavailable 0")],
        },
        {
          title: 'maxUnavailable "0%"',
          set: { spec: { maxUnavailable: "0%", selector } },
          messages: [blocks('maxUnavailable "0%"')],
        },
        {
          title: 'minAvailable "100%"',
          set: { spec: { minAvailable: "100%", selector } },
          messages: [blocks('minAvailable "100%"')],
        },
        {
          title: "neither maxUnavailable nor minAvailable (undefined)",
          set: { "spec.maxUnavailable": undefined },
          messages: [],
        },
        {
          title: "the spec undefined",
          set: { spec: undefined },
          messages: [],
        },
        {
          title: "minAvailable 2 is accepted",
          set: { spec: { minAvailable: 2, selector } },
          messages: [],
        },
        {
          title: 'maxUnavailable "34%" is accepted',
          set: { spec: { maxUnavailable: "34%", selector } },
          messages: [],
        },
        {
          title: 'minAvailable "50%" is accepted',
          set: { spec: { minAvailable: "50%", selector } },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
