import { describe, expect, it } from "vitest";
import { kubernetesCorePodDisallowHostPath as policy } from "../../../../../policies/kubernetes";
import { fixtureUrn, policyCases } from "../../../../../testing";
import { changed, compliantWorkloads, types } from "../../fixtures";

const fix = "(hostPath). Use a PersistentVolumeClaim, emptyDir, ConfigMap or Secret instead.";
const safeVolumes = [
  { name: "scratch", emptyDir: {} },
  { name: "settings", configMap: { name: "settings" } },
  { name: "data", persistentVolumeClaim: { claimName: "data" } },
];

describe("kubernetes-core-pod-disallow-host-path", () => {
  it("is named for the resource type path, mandatory and critical", () => {
    expect(policy.name).toBe("kubernetes-core-pod-disallow-host-path");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.severity).toBe("critical");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantWorkloads,
      target: "workers",
      cases: [
        {
          title: "a hostPath volume",
          set: {
            "spec.template.spec.volumes": [
              { name: "docker", hostPath: { path: "/var/run/docker.sock", type: "Socket" } },
            ],
          },
          messages: [
            `Deployment spec.template.spec.volumes[0] mounts the node's "/var/run/docker.sock" ${fix}`,
          ],
        },
        {
          title: "each hostPath volume among safe ones, at its own index",
          set: {
            "spec.template.spec.volumes": [
              ...safeVolumes,
              { name: "logs", hostPath: { path: "/var/log" } },
              { name: "root", hostPath: { path: "/" } },
            ],
          },
          messages: [
            `Deployment spec.template.spec.volumes[3] mounts the node's "/var/log" ${fix}`,
            `Deployment spec.template.spec.volumes[4] mounts the node's "/" ${fix}`,
          ],
        },
        {
          title: "volumes undefined",
          set: { "spec.template.spec.volumes": undefined },
          messages: [],
        },
        {
          title: "emptyDir, ConfigMap and PersistentVolumeClaim volumes are accepted",
          set: { "spec.template.spec.volumes": safeVolumes },
          messages: [],
        },
        {
          title: "a DaemonSet's hostPath volume",
          change: (rs) =>
            changed(rs, "agent", (i) => {
              const spec = (i["spec"] as { template: { spec: Record<string, unknown> } }).template
                .spec;
              spec["volumes"] = [{ name: "proc", hostPath: { path: "/proc" } }];
            }),
          urn: fixtureUrn(types.daemonSet, "agent"),
          messages: [`DaemonSet spec.template.spec.volumes[0] mounts the node's "/proc" ${fix}`],
        },
        {
          title: "a CronJob's hostPath volume",
          change: (rs) =>
            changed(rs, "report", (i) => {
              const spec = (
                i["spec"] as {
                  jobTemplate: { spec: { template: { spec: Record<string, unknown> } } };
                }
              ).jobTemplate.spec.template.spec;
              spec["volumes"] = [{ name: "etc", hostPath: { path: "/etc" } }];
            }),
          urn: fixtureUrn(types.cronJob, "report"),
          messages: [
            `CronJob spec.jobTemplate.spec.template.spec.volumes[0] mounts the node's "/etc" ${fix}`,
          ],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
