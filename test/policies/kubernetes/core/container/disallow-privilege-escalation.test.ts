import { describe, expect, it } from "vitest";
import { kubernetesCoreContainerDisallowPrivilegeEscalation as policy } from "../../../../../policies/kubernetes";
import { fixtureUrn, policyCases } from "../../../../../testing";
import { changed, compliantWorkloads, container, firstContainer, types } from "../../fixtures";

const fix =
  "sets securityContext.allowPrivilegeEscalation: true, so a setuid binary can make it root. Set it to false.";
const worker = 'Deployment container "worker" (spec.template.spec.containers[0])';
const escalation = (allowPrivilegeEscalation: unknown) => ({
  "spec.template.spec.containers": [
    {
      ...container("worker"),
      securityContext: { runAsNonRoot: true, allowPrivilegeEscalation },
    },
  ],
});

describe("kubernetes-core-container-disallow-privilege-escalation", () => {
  it("is named for the resource type path, mandatory and high", () => {
    expect(policy.name).toBe("kubernetes-core-container-disallow-privilege-escalation");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.severity).toBe("high");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantWorkloads,
      target: "workers",
      cases: [
        {
          title: "allowPrivilegeEscalation true",
          set: escalation(true),
          messages: [`${worker} ${fix}`],
        },
        {
          title: "allowPrivilegeEscalation undefined (no securityContext)",
          set: {
            "spec.template.spec.containers": [
              { ...container("worker"), securityContext: undefined },
            ],
          },
          messages: [],
        },
        {
          title: "allowPrivilegeEscalation false is accepted",
          set: escalation(false),
          messages: [],
        },
        {
          title: 'the string "true" is not the boolean the API server takes',
          set: escalation("true"),
          messages: [],
        },
        {
          title: "an init container escalating",
          set: {
            "spec.template.spec.initContainers": [
              { ...container("shell"), securityContext: { allowPrivilegeEscalation: true } },
            ],
          },
          messages: [`Deployment container "shell" (spec.template.spec.initContainers[0]) ${fix}`],
        },
        {
          title: "a bare Pod's container escalating",
          change: (rs) =>
            changed(rs, "debug", (i) => {
              firstContainer(types.pod, i)["securityContext"] = { allowPrivilegeEscalation: true };
            }),
          urn: fixtureUrn(types.pod, "debug"),
          messages: [`Pod container "debug" (spec.containers[0]) ${fix}`],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
