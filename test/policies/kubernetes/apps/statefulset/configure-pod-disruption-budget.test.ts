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

/** The advice agrees with RabbitMqCluster's own budget: one pod at a time. */
const rabbitAdvice = (replicas: number) =>
  `maxUnavailable 1, which keeps ${replicas - 1} of ${replicas} up (a quorum is floor(n/2)+1 = ${Math.floor(replicas / 2) + 1}, and each quorum queue keeps two of its three replicas)`;
const noBudget = `StatefulSet tasks/broker has 3 replicas and no PodDisruptionBudget selecting its pods, so a node drain can evict a majority of them at once. Add a policy/v1 PodDisruptionBudget in namespace tasks selecting its pod labels with ${rabbitAdvice(3)}.`;
const loose = (allowed: string | number, replicas = 3) =>
  `PodDisruptionBudget tasks/broker lets ${allowed} of StatefulSet tasks/broker's ${replicas} pods be unavailable at once, which can lose the majority. Set ${rabbitAdvice(replicas)}.`;
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

  /** The compliant RabbitMQ fixture at five replicas, its budget's spec replaced, on `image`. */
  const fiveNodes = (pdbSpec: Record<string, unknown>, image = "rabbitmq:4.1.4") =>
    compliantRabbitMq().map((r) => {
      if (r.name === "broker-pdb") {
        return fixtureResource(PDB, "broker-pdb", {
          ...r.inputs,
          spec: { ...pdbSpec, selector: { matchLabels: labels } },
        });
      }
      if (r.name !== "broker") return r;
      const spec = r.inputs["spec"] as { template: { spec: { containers: object[] } } };
      return fixtureResource(STS, "broker", {
        ...r.inputs,
        spec: {
          ...spec,
          replicas: 5,
          template: {
            ...spec.template,
            spec: { ...spec.template.spec, containers: [{ name: "node", image }] },
          },
        },
      });
    });
  const check = async (resources: ReturnType<typeof fiveNodes>) =>
    (
      await runPolicies(
        { project: "taskstack", stack: "test", resources, outputs: {} },
        { policies: [policy], config: {} },
      )
    ).violations.map((v) => v.message);

  it("tells a two-replica StatefulSet without a budget to allow one at a time, never zero", async () => {
    const two = compliantRabbitMq()
      .filter((r) => r.name !== "broker-pdb")
      .map((r) =>
        r.name === "broker"
          ? fixtureResource(STS, "broker", {
              ...r.inputs,
              spec: { ...(r.inputs["spec"] as object), replicas: 2 },
            })
          : r,
      );
    expect(await check(two)).toEqual([
      `${policy.description}\nStatefulSet tasks/broker has 2 replicas and no PodDisruptionBudget selecting its pods, so a node drain can evict a majority of them at once. Add a policy/v1 PodDisruptionBudget in namespace tasks selecting its pod labels with maxUnavailable 1 (0 would block every node drain).`,
    ]);
  });

  it("holds a five-node RabbitMQ to one unavailable: two evicted together can hold two of a quorum queue's three replicas", async () => {
    // The analyzer prefixes every message with the policy's description.
    expect(await check(fiveNodes({ maxUnavailable: 2 }))).toEqual([
      `${policy.description}\n${loose(2, 5)}`,
    ]);
    expect(await check(fiveNodes({ maxUnavailable: 1 }))).toEqual([]);
  });

  it("lets five nodes of another clustered store lose two (a quorum of three stays up), and advises the same one at a time", async () => {
    expect(await check(fiveNodes({ maxUnavailable: 2 }, "quay.io/coreos/etcd:v3.5.17"))).toEqual(
      [],
    );
    expect(await check(fiveNodes({ maxUnavailable: 3 }, "quay.io/coreos/etcd:v3.5.17"))).toEqual([
      `${policy.description}\nPodDisruptionBudget tasks/broker lets 3 of StatefulSet tasks/broker's 5 pods be unavailable at once, which can lose the majority. Set maxUnavailable 1, which keeps 4 of 5 up (a quorum is floor(n/2)+1 = 3).`,
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
