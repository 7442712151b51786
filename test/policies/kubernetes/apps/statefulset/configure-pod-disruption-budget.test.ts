import { describe, expect, it } from "vitest";
import { kubernetesAppsStatefulsetConfigurePodDisruptionBudget as policy } from "../../../../../policies/kubernetes/apps/statefulset/configure-pod-disruption-budget";
import {
  fixtureResource,
  fixtureUrn,
  policyCases,
  runProgram,
  runPolicies,
} from "../../../../../testing";
import { messaging } from "../../../../../components";
import { PDB, STS, compliantRabbitMq, labels } from "../../fixtures";

const noBudget =
  "StatefulSet tasks/broker has 3 replicas and no PodDisruptionBudget selecting its pods, so a node drain can evict a majority of them at once. Add a policy/v1 PodDisruptionBudget in namespace tasks selecting its pod labels with maxUnavailable 1 (floor((replicas-1)/2)).";
const loose = (allowed: string | number, replicas = 3, limit = 1) =>
  `PodDisruptionBudget tasks/broker lets ${allowed} of StatefulSet tasks/broker's ${replicas} pods be unavailable at once, which can lose the majority. Set maxUnavailable to ${limit} (floor((replicas-1)/2)).`;
const stsUrn = fixtureUrn(STS, "broker");
const withPdbSpec =
  (spec: Record<string, unknown>) => (resources: ReturnType<typeof compliantRabbitMq>) =>
    resources.map((r) =>
      r.name === "broker-pdb"
        ? { ...r, inputs: { ...r.inputs, spec }, outputs: { ...r.outputs, spec } }
        : r,
    );

describe(policy.name, () => {
  it("is a mandatory stack policy named for the resource type path", () => {
    expect(policy.name).toBe("kubernetes-apps-statefulset-configure-pod-disruption-budget");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect("validateStack" in policy).toBe(true);
  });

  it.each(
    policyCases(policy, {
      fixture: compliantRabbitMq,
      target: "broker-pdb",
      cases: [
        {
          title: "no PDB at all (undefined)",
          change: (rs) => rs.filter((r) => r.name !== "broker-pdb"),
          messages: [noBudget],
          urn: stsUrn,
        },
        {
          title: "a PDB in another namespace",
          set: { "metadata.namespace": "other" },
          messages: [noBudget],
          urn: stsUrn,
        },
        {
          title: "a PDB selecting other pods",
          set: { "spec.selector": { matchLabels: { app: "web" } } },
          messages: [noBudget],
          urn: stsUrn,
        },
        {
          title: "maxUnavailable above the quorum limit",
          set: { "spec.maxUnavailable": 2 },
          messages: [loose(2)],
          urn: stsUrn,
        },
        {
          title: "a percentage that rounds up past it",
          change: withPdbSpec({ maxUnavailable: "50%", selector: { matchLabels: labels } }),
          messages: [loose(2)],
          urn: stsUrn,
        },
        {
          title: "minAvailable that keeps a majority",
          change: withPdbSpec({ minAvailable: 2, selector: { matchLabels: labels } }),
          messages: [],
        },
        {
          title: "minAvailable below a majority",
          change: withPdbSpec({ minAvailable: 1, selector: { matchLabels: labels } }),
          messages: [loose(2)],
          urn: stsUrn,
        },
        {
          title: "a PDB that sets neither",
          change: withPdbSpec({ selector: { matchLabels: labels } }),
          messages: [loose("an unknown number")],
          urn: stsUrn,
        },
        {
          title: "a single replica needs none",
          change: (rs) =>
            rs
              .filter((r) => r.name !== "broker-pdb")
              .map((r) =>
                r.name === "broker"
                  ? {
                      ...r,
                      inputs: {
                        ...r.inputs,
                        spec: { ...(r.inputs["spec"] as object), replicas: 1 },
                      },
                      outputs: {
                        ...r.outputs,
                        spec: { ...(r.outputs["spec"] as object), replicas: 1 },
                      },
                    }
                  : r,
              ),
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });

  it("checks five nodes against two unavailable", async () => {
    const five = compliantRabbitMq().map((r) =>
      r.name === "broker"
        ? fixtureResource(STS, "broker", {
            ...r.inputs,
            spec: { ...(r.inputs["spec"] as object), replicas: 5 },
          })
        : r.name === "broker-pdb"
          ? fixtureResource(PDB, "broker-pdb", {
              ...r.inputs,
              spec: { maxUnavailable: 3, selector: { matchLabels: labels } },
            })
          : r,
    );
    const report = await runPolicies(
      { project: "taskstack", stack: "test", resources: five, outputs: {} },
      { policies: [policy], config: {} },
    );
    // The analyzer prefixes every message with the policy's description.
    expect(report.violations.map((v) => v.message)).toEqual([
      `${policy.description}\n${loose(3, 5, 2)}`,
    ]);
  });

  it("passes what RabbitMqCluster declares, for 1, 3 and 5 nodes", async () => {
    for (const replicas of [1, 3, 5]) {
      const plan = await runProgram(() => {
        new messaging.RabbitMqCluster("broker", { namespace: "tasks", replicas });
      });
      const report = await runPolicies(plan, { policies: [policy], config: {} });
      expect(report.violations).toEqual([]);
    }
  });
});
