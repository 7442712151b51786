import { describe, expect, it } from "vitest";
import { runProgram } from "taskstack/testing";
import { partnerQueue } from "./partner-queue";

describe("partner queue", () => {
  it("dispatches one task at a time and runs the split nightly in Berlin time", async () => {
    const plan = await runProgram(partnerQueue);

    plan.hasResource("gcp:cloudtasks/queue:Queue", {
      name: "partner-chunks",
      rateLimits: { maxConcurrentDispatches: 1, maxDispatchesPerSecond: 1 },
      retryConfig: { maxAttempts: 10, minBackoff: "10s", maxBackoff: "600s" },
      httpTarget: {
        oidcToken: {
          serviceAccountEmail: "chunks-invoker@acme-shop-dev.iam.gserviceaccount.com",
          audience: "https://chunk-pusher-4k7mfq2xba-ew.a.run.app",
        },
      },
    });
    plan.hasResource("gcp:cloudtasks/queueIamMember:QueueIamMember", {
      role: "roles/cloudtasks.enqueuer",
      member: "serviceAccount:file-splitter@acme-shop-dev.iam.gserviceaccount.com",
    });
    // The invoker is the queue's: whoever deploys it names the account, the splitter does not.
    plan.resourceCountIs("gcp:serviceaccount/iAMMember:IAMMember", 0);
    plan.hasResource("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", {
      name: "file-splitter",
      role: "roles/run.invoker",
      member: "serviceAccount:sched-nightly-split@acme-shop-dev.iam.gserviceaccount.com",
    });
    expect(plan.outputs["nextRuns"]).toEqual([
      "2026-03-28T04:00:00+01:00",
      "2026-03-29T04:00:00+02:00", // the night clocks go forward: one run, an hour earlier in UTC
      "2026-03-30T04:00:00+02:00",
    ]);
  });
});
