import { describe, expect, it } from "vitest";
import { kubernetesCoreContainerEnforceNonRoot as policy } from "../../../../../policies/kubernetes";
import { fixtureUrn, policyCases } from "../../../../../testing";
import { changed, compliantWorkloads, container, firstContainer, types } from "../../fixtures";

const fix =
  "Set securityContext.runAsNonRoot: true and a non-zero runAsUser (on the pod or the container).";
const worker = 'Deployment container "worker" (spec.template.spec.containers[0])';

describe("kubernetes-core-container-enforce-non-root", () => {
  it("is named for the resource type path and mandatory", () => {
    expect(policy.name).toBe("kubernetes-core-container-enforce-non-root");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantWorkloads,
      target: "workers",
      cases: [
        {
          title: "runAsNonRoot undefined on both pod and container",
          set: {
            "spec.template.spec.securityContext": undefined,
            "spec.template.spec.containers": [{ ...container("worker"), securityContext: {} }],
          },
          messages: [
            `${worker} has runAsNonRoot unset, so it runs as root if the image says so. ${fix}`,
          ],
        },
        {
          title: "the container overriding the pod with false",
          set: {
            "spec.template.spec.containers": [
              { ...container("worker"), securityContext: { runAsNonRoot: false } },
            ],
          },
          messages: [
            `${worker} has runAsNonRoot false, so it runs as root if the image says so. ${fix}`,
          ],
        },
        {
          title: "user 0",
          set: {
            "spec.template.spec.containers": [
              { ...container("worker"), securityContext: { runAsNonRoot: true, runAsUser: 0 } },
            ],
          },
          messages: [`${worker} runs as user 0 (root). ${fix}`],
        },
        {
          title: "non-root set on the pod only is enough",
          set: {
            "spec.template.spec.containers": [{ ...container("worker"), securityContext: {} }],
          },
          messages: [],
        },
        {
          title: "a StatefulSet's root container",
          change: (rs) =>
            changed(rs, "db", (i) => {
              firstContainer(types.statefulSet, i)["securityContext"] = { runAsUser: 0 };
            }),
          urn: fixtureUrn(types.statefulSet, "db"),
          messages: [
            `StatefulSet container "db" (spec.template.spec.containers[0]) runs as user 0 (root). ${fix}`,
          ],
        },
        {
          title: "a DaemonSet's container without non-root",
          change: (rs) =>
            changed(rs, "agent", (i) => {
              firstContainer(types.daemonSet, i)["securityContext"] = { runAsNonRoot: false };
            }),
          urn: fixtureUrn(types.daemonSet, "agent"),
          messages: [
            `DaemonSet container "agent" (spec.template.spec.containers[0]) has runAsNonRoot false, so it runs as root if the image says so. ${fix}`,
          ],
        },
        {
          title: "a Job's root container",
          change: (rs) =>
            changed(rs, "migrate", (i) => {
              firstContainer(types.job, i)["securityContext"] = { runAsUser: 0 };
            }),
          urn: fixtureUrn(types.job, "migrate"),
          messages: [
            `Job container "migrate" (spec.template.spec.containers[0]) runs as user 0 (root). ${fix}`,
          ],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
