import { describe, expect, it } from "vitest";
import { kubernetesCorePodDisallowHostNamespaces as policy } from "../../../../../policies/kubernetes";
import { fixtureUrn, policyCases } from "../../../../../testing";
import { changed, compliantWorkloads, types } from "../../fixtures";

const podSpec = "Deployment spec.template.spec";

describe("kubernetes-core-pod-disallow-host-namespaces", () => {
  it("is named for the resource type path, mandatory and critical", () => {
    expect(policy.name).toBe("kubernetes-core-pod-disallow-host-namespaces");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.severity).toBe("critical");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantWorkloads,
      target: "workers",
      cases: [
        {
          title: "hostNetwork true",
          set: { "spec.template.spec.hostNetwork": true },
          messages: [
            `${podSpec} sets hostNetwork: true, so its containers see the node's NETWORK namespace. Remove them.`,
          ],
        },
        {
          title: "hostPID true",
          set: { "spec.template.spec.hostPID": true },
          messages: [
            `${podSpec} sets hostPID: true, so its containers see the node's PID namespace. Remove them.`,
          ],
        },
        {
          title: "hostIPC true",
          set: { "spec.template.spec.hostIPC": true },
          messages: [
            `${podSpec} sets hostIPC: true, so its containers see the node's IPC namespace. Remove them.`,
          ],
        },
        {
          title: "all three in one message",
          set: {
            "spec.template.spec.hostNetwork": true,
            "spec.template.spec.hostPID": true,
            "spec.template.spec.hostIPC": true,
          },
          messages: [
            `${podSpec} sets hostNetwork: true, hostPID: true, hostIPC: true, so its containers see the node's NETWORK, PID, IPC namespace. Remove them.`,
          ],
        },
        {
          title: "the pod spec undefined",
          set: { "spec.template": undefined },
          messages: [],
        },
        {
          title: "all three false is accepted",
          set: {
            "spec.template.spec.hostNetwork": false,
            "spec.template.spec.hostPID": false,
            "spec.template.spec.hostIPC": false,
          },
          messages: [],
        },
        {
          title: "hostUsers false (a user namespace of its own) is accepted",
          set: { "spec.template.spec.hostUsers": false },
          messages: [],
        },
        {
          title: "a bare Pod on the host network",
          change: (rs) =>
            changed(rs, "debug", (i) => {
              (i["spec"] as Record<string, unknown>)["hostNetwork"] = true;
            }),
          urn: fixtureUrn(types.pod, "debug"),
          messages: [
            "Pod spec sets hostNetwork: true, so its containers see the node's NETWORK namespace. Remove them.",
          ],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
