import { describe, expect, it } from "vitest";
import { TaskstackInputError, data, messaging, project, scheduling } from "../../../components";
import { runProgram } from "../../../testing";

const SERVICE = "gcp:projects/service:Service";

describe("ProjectApis", () => {
  it("enables each API once, never disabling it on destroy", async () => {
    // disableOnDestroy false: removing a stack must not switch off an API other things in the
    // project use (the provider's default, true, would).
    const plan = await runProgram(() => {
      const apis = new project.ProjectApis("apis", {
        project: "acme-shop-test",
        apis: [project.gcpApis.pubsub, project.gcpApis.cloudTasks, project.gcpApis.pubsub],
      });
      expect(apis.dependsOn(["pubsub.googleapis.com"])).toHaveLength(1);
      expect(() => apis.dependsOn(["spanner.googleapis.com"])).toThrow(
        "ProjectApis: spanner.googleapis.com is not one of the APIs it enables",
      );
    });
    expect(plan.findResources(SERVICE).map((s) => [s.name, s.inputs])).toEqual([
      [
        "apis-cloudtasks",
        {
          project: "acme-shop-test",
          service: "cloudtasks.googleapis.com",
          disableOnDestroy: false,
          disableDependentServices: false,
        },
      ],
      [
        "apis-pubsub",
        {
          project: "acme-shop-test",
          service: "pubsub.googleapis.com",
          disableOnDestroy: false,
          disableDependentServices: false,
        },
      ],
    ]);
  });

  it("refuses an API it does not know with one exact message", () => {
    expect(
      () => new project.ProjectApis("apis", { apis: ["compute.googleapis.com" as never] }),
    ).toThrow(TaskstackInputError);
  });
});

describe("requiredApis", () => {
  it.each([
    [
      "a plain queue",
      messaging.CloudTasksQueue.requiredApis({ location: "europe-west1", maxAttempts: 3 }),
      ["cloudtasks.googleapis.com"],
    ],
    [
      "a queue with an invoker on a Cloud Run service, alerting",
      messaging.CloudTasksQueue.requiredApis({
        location: "europe-west1",
        maxAttempts: 3,
        invokerServiceAccountEmail: "i@p-123456.iam.gserviceaccount.com",
        oidcAudience: "https://h",
        targetHost: "h.example",
        invokerCloudRunService: "h",
        alertNotificationChannels: ["c"],
      }),
      // No IAM API: producers get no actAs binding on a queue-level invoker account.
      ["cloudtasks.googleapis.com", "run.googleapis.com", "monitoring.googleapis.com"],
    ],
    [
      "an OAuth job with roles, alerting",
      scheduling.CloudSchedulerJob.requiredApis({
        project: "acme-shop-test",
        region: "europe-west1",
        schedule: "0 * * * *",
        timeZone: "Etc/UTC",
        uri: "https://run.googleapis.com/v2/projects/p/locations/l/jobs/j:run",
        roles: ["roles/run.invoker"],
        alertNotificationChannels: ["c"],
      }),
      [
        "cloudscheduler.googleapis.com",
        "iam.googleapis.com",
        "cloudresourcemanager.googleapis.com",
        "logging.googleapis.com",
        "monitoring.googleapis.com",
      ],
    ],
    [
      "function-mode backups",
      data.SpannerScheduledBackup.requiredApis({
        instance: "commerce",
        mode: "function",
        databases: [],
      }),
      [
        "spanner.googleapis.com",
        "logging.googleapis.com",
        "cloudscheduler.googleapis.com",
        "pubsub.googleapis.com",
        "iam.googleapis.com",
        "cloudresourcemanager.googleapis.com",
        "storage.googleapis.com",
        "cloudfunctions.googleapis.com",
        "run.googleapis.com",
        "cloudbuild.googleapis.com",
        "artifactregistry.googleapis.com",
        "eventarc.googleapis.com",
      ],
    ],
  ])("%s", (_what, apis, expected) => {
    expect(apis).toEqual(expected);
  });
});
