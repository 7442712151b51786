import { describe, expect, it } from "vitest";
import { Match, runProgram } from "taskstack/testing";
import { celeryBroker } from "./celery-broker";

describe("celery broker", () => {
  it("runs three pause_minority nodes that keep quorum through a drain", async () => {
    const plan = await runProgram(celeryBroker);

    plan.hasResource("kubernetes:apps/v1:StatefulSet", {
      metadata: { name: "celery-broker", namespace: "tasks" },
      spec: { replicas: 3, podManagementPolicy: "Parallel" },
    });
    plan.hasResource("kubernetes:policy/v1:PodDisruptionBudget", {
      spec: { maxUnavailable: 1 },
    });
    plan.hasResource("kubernetes:core/v1:ConfigMap", {
      data: {
        "rabbitmq.conf": Match.stringLikeRegexp(/^cluster_partition_handling = pause_minority$/m),
      },
    });
    expect(plan.outputs["brokerSecret"]).toEqual({ name: "celery-broker-broker", key: "url" });
  });
});
