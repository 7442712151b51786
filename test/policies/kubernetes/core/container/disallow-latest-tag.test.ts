import { describe, expect, it } from "vitest";
import { kubernetesCoreContainerDisallowLatestTag as policy } from "../../../../../policies/kubernetes";
import { fixtureUrn, policyCases } from "../../../../../testing";
import { changed, compliantWorkloads, container, firstContainer, types } from "../../fixtures";

const fix = "Pin the image to a version tag or a digest (@sha256:…).";
const worker = 'Deployment container "worker" (spec.template.spec.containers[0])';
const withImage = (image: unknown) => ({
  "spec.template.spec.containers": [{ ...container("worker"), image }],
});

describe("kubernetes-core-container-disallow-latest-tag", () => {
  it("is named for the resource type path and mandatory", () => {
    expect(policy.name).toBe("kubernetes-core-container-disallow-latest-tag");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantWorkloads,
      target: "workers",
      cases: [
        {
          title: ":latest",
          set: withImage("ghcr.io/acme/app:latest"),
          messages: [
            `${worker} image is "ghcr.io/acme/app:latest"; expected an image with a version tag or digest, not :latest. ${fix}`,
          ],
        },
        {
          title: "an untagged image (a registry port is not a tag)",
          set: withImage("registry.acme:5000/app"),
          messages: [
            `${worker} image is "registry.acme:5000/app"; expected an image with a version tag or digest (untagged means :latest). ${fix}`,
          ],
        },
        {
          title: "an undefined image",
          set: withImage(undefined),
          messages: [`${worker} image is undefined; expected a container image. ${fix}`],
        },
        {
          title: "a digest is fine",
          set: withImage(`ghcr.io/acme/app@sha256:${"a".repeat(64)}`),
          messages: [],
        },
        {
          title: "a CronJob's :latest image",
          change: (rs) =>
            changed(rs, "report", (i) => {
              firstContainer(types.cronJob, i)["image"] = "reports:latest";
            }),
          urn: fixtureUrn(types.cronJob, "report"),
          messages: [
            `CronJob container "report" (spec.jobTemplate.spec.template.spec.containers[0]) image is "reports:latest"; expected an image with a version tag or digest, not :latest. ${fix}`,
          ],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
