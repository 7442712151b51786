import { describe, expect, it } from "vitest";
import { kubernetesCoreContainerConfigureResources as policy } from "../../../../../policies/kubernetes";
import { fixtureUrn, policyCases } from "../../../../../testing";
import { changed, compliantWorkloads, container, firstContainer, types } from "../../fixtures";

const fix =
  "Set resources.requests and resources.limits for cpu and memory: an unlimited container can starve its node.";
const worker = 'Deployment container "worker" (spec.template.spec.containers[0])';

describe("kubernetes-core-container-configure-resources", () => {
  it("is named for the resource type path and mandatory", () => {
    expect(policy.name).toBe("kubernetes-core-container-configure-resources");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantWorkloads,
      target: "workers",
      cases: [
        {
          title: "undefined resources",
          set: {
            "spec.template.spec.containers": [{ ...container("worker"), resources: undefined }],
          },
          messages: [
            `${worker} has no resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory. ${fix}`,
          ],
        },
        {
          title: "no memory limit",
          set: {
            "spec.template.spec.containers": [
              {
                ...container("worker"),
                resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1" } },
              },
            ],
          },
          messages: [`${worker} has no resources.limits.memory. ${fix}`],
        },
        {
          title: "an init container without limits",
          set: {
            "spec.template.spec.initContainers": [
              { ...container("wait"), resources: { requests: { cpu: "1", memory: "1Gi" } } },
            ],
          },
          messages: [
            `Deployment container "wait" (spec.template.spec.initContainers[0]) has no resources.limits.cpu, resources.limits.memory. ${fix}`,
          ],
        },
        {
          title: "a CronJob's container without resources",
          change: (rs) =>
            changed(rs, "report", (i) => delete firstContainer(types.cronJob, i)["resources"]),
          urn: fixtureUrn(types.cronJob, "report"),
          messages: [
            `CronJob container "report" (spec.jobTemplate.spec.template.spec.containers[0]) has no resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory. ${fix}`,
          ],
        },
        {
          title: "a bare Pod's container without resources",
          change: (rs) =>
            changed(rs, "debug", (i) => delete firstContainer(types.pod, i)["resources"]),
          urn: fixtureUrn(types.pod, "debug"),
          messages: [
            `Pod container "debug" (spec.containers[0]) has no resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory. ${fix}`,
          ],
        },
        { title: "an undefined pod spec", set: { spec: undefined }, messages: [] },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
