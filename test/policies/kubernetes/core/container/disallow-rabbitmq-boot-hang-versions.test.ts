import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { messaging } from "../../../../../components";
import { kubernetesCoreContainerDisallowRabbitmqBootHangVersions as policy } from "../../../../../policies/kubernetes";
import { rabbitMqImageVersion } from "../../../../../policies/kubernetes/core/container/disallow-rabbitmq-boot-hang-versions";
import { policyCases, runPolicies, runProgram } from "../../../../../testing";
import { compliantRabbitMq } from "../../fixtures";

const broker = 'StatefulSet container "rabbitmq" (spec.template.spec.containers[0])';
const withImage = (image: unknown) => ({
  "spec.template.spec.containers": [{ name: "rabbitmq", image }],
});
/** A hand-written StatefulSet is told to change its image; a RabbitMqCluster's, its version. */
const message = (version: string, image: string, fixedIn: string, ofComponent = false) =>
  `${broker} runs RabbitMQ ${version} ("${image}"); expected ${fixedIn} or newer: on Erlang 25 a node of ${version} that rejoins after a partition or restarts in a rolling update can wait in global:sync forever (rabbitmq-server#6034, fixed in ${fixedIn}). ${ofComponent ? `Set the RabbitMqCluster's version to ${fixedIn} or newer.` : `Use a rabbitmq image of ${fixedIn} or newer.`}`;

describe("kubernetes-core-container-disallow-rabbitmq-boot-hang-versions", () => {
  it("is named for the resource type path and advisory", () => {
    expect(policy.name).toBe("kubernetes-core-container-disallow-rabbitmq-boot-hang-versions");
    expect(policy.enforcementLevel).toBe("advisory");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantRabbitMq,
      target: "broker",
      cases: [
        {
          title: "3.10.8 with the management suffix",
          set: withImage("rabbitmq:3.10.8-management"),
          messages: [message("3.10.8", "rabbitmq:3.10.8-management", "3.10.9")],
        },
        {
          title: "3.10.0 from Docker Hub by full name, pinned by digest too",
          set: withImage(`docker.io/library/rabbitmq:3.10.0@sha256:${"b".repeat(64)}`),
          messages: [
            message(
              "3.10.0",
              `docker.io/library/rabbitmq:3.10.0@sha256:${"b".repeat(64)}`,
              "3.10.9",
            ),
          ],
        },
        {
          title: "3.11.0 from a mirror",
          set: withImage("mirror.acme:5000/library/rabbitmq:3.11.0"),
          messages: [message("3.11.0", "mirror.acme:5000/library/rabbitmq:3.11.0", "3.11.1")],
        },
        { title: "3.10.9, the fix", set: withImage("rabbitmq:3.10.9"), messages: [] },
        { title: "3.11.1, the fix", set: withImage("rabbitmq:3.11.1"), messages: [] },
        { title: "3.12.0", set: withImage("rabbitmq:3.12.0-management"), messages: [] },
        { title: "a floating 3.10 tag", set: withImage("rabbitmq:3.10"), messages: [] },
        {
          title: "another image on 3.10.8",
          set: withImage("ghcr.io/acme/app:3.10.8"),
          messages: [],
        },
        { title: "no image (another policy's concern)", set: withImage(undefined), messages: [] },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });

  it("reads the version only from a rabbitmq repository's major.minor.patch tag", () => {
    expect(rabbitMqImageVersion("rabbitmq:3.10.8-management-alpine")).toBe("3.10.8");
    expect(rabbitMqImageVersion("bitnami/rabbitmq:3.11.0-debian-11-r0")).toBe("3.11.0");
    expect(rabbitMqImageVersion("rabbitmq:3.10")).toBeUndefined();
    expect(rabbitMqImageVersion("rabbitmq")).toBeUndefined();
    expect(rabbitMqImageVersion("acme/rabbitmq-exporter:3.10.8")).toBeUndefined();
    expect(rabbitMqImageVersion(`rabbitmq@sha256:${"c".repeat(64)}`)).toBeUndefined();
    fc.assert(
      fc.property(fc.string(), (image) => {
        const v = rabbitMqImageVersion(image);
        expect(v === undefined || /^\d+\.\d+\.\d+$/.test(v)).toBe(true);
      }),
    );
  });

  it("flags a RabbitMqCluster on 3.10.8 and passes its default version", async () => {
    const plan = await runProgram(() => {
      new messaging.RabbitMqCluster("broker", { namespace: "tasks" });
      new messaging.RabbitMqCluster("old", { namespace: "tasks", version: "3.10.8" });
    });
    const report = await runPolicies(plan, { policies: [policy], config: {} });
    // Only the node's container: the cookie-copying init container runs no RabbitMQ node.
    expect(report.violations.map((v) => [v.resourceName, v.enforcementLevel, v.message])).toEqual([
      [
        "old-statefulset",
        "advisory",
        `${policy.description}\n${message("3.10.8", "docker.io/library/rabbitmq:3.10.8", "3.10.9", true)}`,
      ],
    ]);
  });
});
