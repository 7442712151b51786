import { describe, expect, it } from "vitest";
import { kubernetesAppsStatefulsetConfigureAntiAffinity as policy } from "../../../../../policies/kubernetes/apps/statefulset/configure-anti-affinity";
import { policyCases, runPolicies, runProgram } from "../../../../../testing";
import { messaging } from "../../../../../components";
import { compliantRabbitMq, labels } from "../../fixtures";

const message = (kind: "no required" | "only a preferred") =>
  `StatefulSet tasks/broker has 3 replicas and ${kind} pod anti-affinity on kubernetes.io/hostname for its own pods, so two of them can run on one node and fail together. Add affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution with topologyKey kubernetes.io/hostname and a labelSelector matching its pod labels.`;
const term = { labelSelector: { matchLabels: labels }, topologyKey: "kubernetes.io/hostname" };
const preferred = {
  preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }],
};

describe(policy.name, () => {
  it("is mandatory, named for the resource type path, with a typed knob", () => {
    expect(policy.name).toBe("kubernetes-apps-statefulset-configure-anti-affinity");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.configSchema?.properties).toEqual({
      allowPreferred: { type: "boolean", default: false },
    });
  });

  it.each(
    policyCases(policy, {
      fixture: compliantRabbitMq,
      target: "broker",
      cases: [
        {
          title: "no affinity (undefined)",
          set: { "spec.template.spec.affinity": undefined },
          messages: [message("no required")],
        },
        {
          title: "only preferred anti-affinity",
          set: { "spec.template.spec.affinity": { podAntiAffinity: preferred } },
          messages: [message("only a preferred")],
        },
        {
          title: "a zone instead of the host",
          set: {
            "spec.template.spec.affinity": {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { ...term, topologyKey: "topology.kubernetes.io/zone" },
                ],
              },
            },
          },
          messages: [message("no required")],
        },
        {
          title: "anti-affinity to other pods",
          set: {
            "spec.template.spec.affinity": {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { ...term, labelSelector: { matchLabels: { app: "web" } } },
                ],
              },
            },
          },
          messages: [message("no required")],
        },
        {
          title: "one replica",
          set: { "spec.replicas": 1, "spec.template.spec.affinity": undefined },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });

  it.each(
    policyCases(policy, {
      fixture: compliantRabbitMq,
      target: "broker",
      config: { allowPreferred: true },
      cases: [
        {
          title: "preferred, where the stack allows it",
          set: { "spec.template.spec.affinity": { podAntiAffinity: preferred } },
          messages: [],
        },
        {
          title: "none, even where preferred is allowed",
          set: { "spec.template.spec.affinity": undefined },
          messages: [message("no required")],
        },
      ],
    }),
  )("allowPreferred: $title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });

  it("passes RabbitMqCluster's default and flags its preferred mode", async () => {
    const plan = await runProgram(() => {
      new messaging.RabbitMqCluster("broker", { namespace: "tasks" });
      new messaging.RabbitMqCluster("loose", { namespace: "tasks", antiAffinity: "preferred" });
    });
    const report = await runPolicies(plan, { policies: [policy], config: {} });
    expect(report.violations.map((v) => v.resourceName)).toEqual(["loose-statefulset"]);
  });
});
