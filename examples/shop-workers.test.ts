import { describe, expect, it } from "vitest";
import { Match, runProgram } from "taskstack/testing";
import { shopWorkers } from "./shop-workers";

describe("shop workers", () => {
  it("runs each queue on its own Deployment and keeps the nightly report on schedule", async () => {
    const plan = await runProgram(shopWorkers);

    expect(plan.resourceCount("kubernetes:apps/v1:Deployment")).toBe(2);
    plan.hasResource("kubernetes:apps/v1:Deployment", {
      metadata: { name: "shop-exports", namespace: "tasks" },
      spec: { template: { spec: { terminationGracePeriodSeconds: 1830 } } },
    });
    // The URL comes from the broker's own Secret, by reference, in the same namespace.
    plan.hasResource("kubernetes:apps/v1:Deployment", {
      metadata: { name: "shop-emails", namespace: "tasks" },
      spec: {
        template: {
          spec: {
            containers: [
              {
                env: Match.arrayWith([
                  {
                    name: "CELERY_BROKER_URL",
                    valueFrom: { secretKeyRef: { name: "celery-broker-broker", key: "url" } },
                  },
                ]),
              },
            ],
          },
        },
      },
    });
    plan.hasResource("kubernetes:keda.sh/v1alpha1:ScaledObject", {
      spec: { scaleTargetRef: { name: "shop-emails" }, minReplicaCount: 2, maxReplicaCount: 10 },
    });
    plan.hasResource("kubernetes:batch/v1:CronJob", {
      spec: {
        schedule: "0 4 * * *",
        timeZone: "Europe/Paris",
        // Half the shortest interval (23 h, the spring-forward day), at most an hour.
        startingDeadlineSeconds: 3600,
        concurrencyPolicy: "Forbid",
        jobTemplate: { spec: { ttlSecondsAfterFinished: Match.absent() } },
      },
    });
    expect(plan.outputs["deployments"]).toEqual({ emails: "shop-emails", exports: "shop-exports" });
  });
});
