import { describe, expect, it } from "vitest";
import { kubernetesCoreContainerDisallowAddedCapabilities as policy } from "../../../../../policies/kubernetes";
import { fixtureUrn, policyCases } from "../../../../../testing";
import { changed, compliantWorkloads, container, firstContainer, types } from "../../fixtures";

const why =
  "(securityContext.capabilities.add); beyond the baseline set they let a compromised process take the node. Drop them, or run the work outside the cluster's shared nodes.";
const worker = 'Deployment container "worker" (spec.template.spec.containers[0])';
const adding = (add: unknown) => ({
  "spec.template.spec.containers": [
    {
      ...container("worker"),
      securityContext: { runAsNonRoot: true, capabilities: { drop: ["ALL"], add } },
    },
  ],
});

describe("kubernetes-core-container-disallow-added-capabilities", () => {
  it("is named for the resource type path, mandatory and high", () => {
    expect(policy.name).toBe("kubernetes-core-container-disallow-added-capabilities");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.severity).toBe("high");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantWorkloads,
      target: "workers",
      cases: [
        {
          title: "SYS_ADMIN added",
          set: adding(["SYS_ADMIN"]),
          messages: [`${worker} adds capabilities ["SYS_ADMIN"] ${why}`],
        },
        {
          title: "ALL added",
          set: adding(["ALL"]),
          messages: [`${worker} adds capabilities ["ALL"] ${why}`],
        },
        {
          title: "only the extra ones named among baseline ones, CAP_ prefix included",
          set: adding(["NET_BIND_SERVICE", "CAP_NET_ADMIN", "CHOWN", "SYS_PTRACE"]),
          messages: [`${worker} adds capabilities ["CAP_NET_ADMIN","SYS_PTRACE"] ${why}`],
        },
        {
          title: "a non-string entry",
          set: adding([42]),
          messages: [`${worker} adds capabilities [42] ${why}`],
        },
        {
          title: "capabilities undefined",
          set: {
            "spec.template.spec.containers": [
              { ...container("worker"), securityContext: undefined },
            ],
          },
          messages: [],
        },
        {
          title: "add undefined with drop ALL",
          set: adding(undefined),
          messages: [],
        },
        {
          title: "baseline capabilities, with or without the CAP_ prefix, are accepted",
          set: adding(["NET_BIND_SERVICE", "CAP_CHOWN", "SETUID", "SETGID", "KILL"]),
          messages: [],
        },
        {
          title: "an empty add list is accepted",
          set: adding([]),
          messages: [],
        },
        {
          title: "an init container adding NET_ADMIN",
          set: {
            "spec.template.spec.initContainers": [
              {
                ...container("setup"),
                securityContext: { capabilities: { add: ["NET_ADMIN"] } },
              },
            ],
          },
          messages: [
            `Deployment container "setup" (spec.template.spec.initContainers[0]) adds capabilities ["NET_ADMIN"] ${why}`,
          ],
        },
        {
          title: "a CronJob's container adding SYS_PTRACE",
          change: (rs) =>
            changed(rs, "report", (i) => {
              firstContainer(types.cronJob, i)["securityContext"] = {
                capabilities: { add: ["SYS_PTRACE"] },
              };
            }),
          urn: fixtureUrn(types.cronJob, "report"),
          messages: [
            `CronJob container "report" (spec.jobTemplate.spec.template.spec.containers[0]) adds capabilities ["SYS_PTRACE"] ${why}`,
          ],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
