import { describe, expect, it } from "vitest";
import { kubernetesCoreConfigmapConfigureRabbitmqPartitionHandling as policy } from "../../../../../policies/kubernetes/core/configmap/configure-rabbitmq-partition-handling";
import { policyCases, runPolicies, runProgram } from "../../../../../testing";
import { messaging } from "../../../../../components";
import { compliantRabbitMq, conf } from "../../fixtures";

const fix = "Set cluster_partition_handling = pause_minority.";

describe(policy.name, () => {
  it("is mandatory and named for the resource type path", () => {
    expect(policy.name).toBe("kubernetes-core-configmap-configure-rabbitmq-partition-handling");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantRabbitMq,
      target: "broker-config",
      cases: [
        {
          title: "no partition handling (undefined: RabbitMQ's ignore)",
          change: (rs) =>
            rs.map((r) =>
              r.name === "broker-config"
                ? {
                    ...r,
                    inputs: {
                      ...r.inputs,
                      data: {
                        "rabbitmq.conf": conf.replace(
                          "cluster_partition_handling = pause_minority\n",
                          "",
                        ),
                      },
                    },
                    outputs: {
                      ...r.outputs,
                      data: {
                        "rabbitmq.conf": conf.replace(
                          "cluster_partition_handling = pause_minority\n",
                          "",
                        ),
                      },
                    },
                  }
                : r,
            ),
          messages: [
            `RabbitMQ config rabbitmq.conf does not set cluster_partition_handling, so RabbitMQ uses ignore and both sides of a network partition keep accepting writes (split brain). ${fix}`,
          ],
        },
        {
          title: "autoheal",
          change: (rs) =>
            rs.map((r) =>
              r.name === "broker-config"
                ? {
                    ...r,
                    inputs: {
                      ...r.inputs,
                      data: { "10-app.conf": conf.replace("pause_minority", "autoheal") },
                    },
                    outputs: {
                      ...r.outputs,
                      data: { "10-app.conf": conf.replace("pause_minority", "autoheal") },
                    },
                  }
                : r,
            ),
          messages: [
            `RabbitMQ config 10-app.conf sets cluster_partition_handling = autoheal; only pause_minority stops the minority side from accepting writes a heal would throw away. ${fix}`,
          ],
        },
        {
          title: "an even target cluster size",
          change: (rs) =>
            rs.map((r) =>
              r.name === "broker-config"
                ? {
                    ...r,
                    inputs: {
                      ...r.inputs,
                      data: { "rabbitmq.conf": conf.replace("hint = 3", "hint = 4") },
                    },
                    outputs: {
                      ...r.outputs,
                      data: { "rabbitmq.conf": conf.replace("hint = 3", "hint = 4") },
                    },
                  }
                : r,
            ),
          messages: [
            "RabbitMQ config rabbitmq.conf targets 4 nodes (cluster_formation.target_cluster_size_hint); with an even count a split can leave two equal halves and pause_minority pauses both. Use 3 or 5 nodes.",
          ],
        },
        {
          title: "a later line overriding pause_minority",
          change: (rs) =>
            rs.map((r) =>
              r.name === "broker-config"
                ? {
                    ...r,
                    inputs: {
                      ...r.inputs,
                      data: { "rabbitmq.conf": `${conf}cluster_partition_handling = ignore\n` },
                    },
                    outputs: {
                      ...r.outputs,
                      data: { "rabbitmq.conf": `${conf}cluster_partition_handling = ignore\n` },
                    },
                  }
                : r,
            ),
          messages: [
            `RabbitMQ config rabbitmq.conf sets cluster_partition_handling = ignore; only pause_minority stops the minority side from accepting writes a heal would throw away. ${fix}`,
          ],
        },
        {
          title: "a ConfigMap that is not a RabbitMQ config",
          set: { data: { "nginx.conf": "server { listen 80; }" } },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });

  it("passes the configuration RabbitMqCluster renders, for every version it supports", async () => {
    const plan = await runProgram(() => {
      for (const version of ["3.10.8", "3.13.7", "4.1.4"]) {
        new messaging.RabbitMqCluster(`b${version.replace(/\./g, "-")}`, {
          namespace: "tasks",
          version,
        });
      }
    });
    const report = await runPolicies(plan, { policies: [policy], config: {} });
    expect(report.violations).toEqual([]);
  });
});
