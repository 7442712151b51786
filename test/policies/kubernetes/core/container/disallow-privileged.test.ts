import { describe, expect, it } from "vitest";
import { kubernetesCoreContainerDisallowPrivileged as policy } from "../../../../../policies/kubernetes";
import { fixtureUrn, policyCases } from "../../../../../testing";
import { changed, compliantWorkloads, container, firstContainer, types } from "../../fixtures";

const fix =
  "sets securityContext.privileged: true, which gives it every capability and the node's devices. Remove it, and add only the capability it needs.";
const worker = 'Deployment container "worker" (spec.template.spec.containers[0])';
const privileged = (value: unknown) => ({
  "spec.template.spec.containers": [
    { ...container("worker"), securityContext: { runAsNonRoot: true, privileged: value } },
  ],
});

describe("kubernetes-core-container-disallow-privileged", () => {
  it("is named for the resource type path, mandatory and critical", () => {
    expect(policy.name).toBe("kubernetes-core-container-disallow-privileged");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.severity).toBe("critical");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantWorkloads,
      target: "workers",
      cases: [
        {
          title: "privileged true",
          set: privileged(true),
          messages: [`${worker} ${fix}`],
        },
        {
          title: "privileged undefined (no securityContext)",
          set: {
            "spec.template.spec.containers": [
              { ...container("worker"), securityContext: undefined },
            ],
          },
          messages: [],
        },
        {
          title: "privileged false is accepted",
          set: privileged(false),
          messages: [],
        },
        {
          title:
            "privileged on the pod securityContext (no such pod field) is not a container setting",
          set: { "spec.template.spec.securityContext.privileged": true },
          messages: [],
        },
        {
          title: "a privileged init container",
          set: {
            "spec.template.spec.initContainers": [
              { ...container("sysctl"), securityContext: { privileged: true } },
            ],
          },
          messages: [`Deployment container "sysctl" (spec.template.spec.initContainers[0]) ${fix}`],
        },
        {
          title: "a DaemonSet's privileged container",
          change: (rs) =>
            changed(rs, "agent", (i) => {
              firstContainer(types.daemonSet, i)["securityContext"] = { privileged: true };
            }),
          urn: fixtureUrn(types.daemonSet, "agent"),
          messages: [`DaemonSet container "agent" (spec.template.spec.containers[0]) ${fix}`],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
