import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import { TaskstackInputError, messaging, scheduling } from "../../../components";
import * as schemas from "../../../components/schemas";
import {
  assertAnyArgsFailOnlyWithInputErrors,
  assertExercised,
  failsOnlyWithInputErrors,
} from "../../support/properties";
import type { Outcomes } from "../../support/properties";
import { declaredBeforeFailure, runProgram } from "../../../testing";

const project = "acme-shop-test";
const region = "europe-west1";
const JOB = "gcp:cloudscheduler/job:Job";
const SA = "gcp:serviceaccount/account:Account";
const RUN_IAM = "gcp:cloudrunv2/serviceIamMember:ServiceIamMember";
const FN_IAM = "gcp:cloudfunctions/functionIamMember:FunctionIamMember";
const METRIC = "gcp:logging/metric:Metric";
const ALERT = "gcp:monitoring/alertPolicy:AlertPolicy";
const retryDefaults = {
  retryCount: 3,
  minBackoffDuration: "5s",
  maxBackoffDuration: "3600s",
  maxDoublings: 5,
  maxRetryDuration: "0s",
};

describe("CloudSchedulerJob defaults", () => {
  it("publishes to a PubSubTopic with Cloud Scheduler's own agent: no account, no grant", async () => {
    const plan = await runProgram(() => {
      const topic = new messaging.PubSubTopic("ticks", { project });
      new scheduling.CloudSchedulerJob("nightly-export", {
        project,
        region,
        schedule: "0 3 * * *",
        timeZone: "UTC",
        topic,
      });
    });
    const component = plan.get(scheduling.CloudSchedulerJob, "nightly-export");
    expect(plan.children(component).map((r) => r.name)).toEqual(["nightly-export-job"]);
    expect(plan.get(JOB, "nightly-export-job").inputs).toEqual({
      project,
      region,
      name: "nightly-export",
      schedule: "0 3 * * *",
      // A bare UTC is stored as Etc/UTC by the service: sending it so avoids a perpetual diff.
      timeZone: "Etc/UTC",
      paused: false,
      retryConfig: retryDefaults,
      pubsubTarget: {
        topicName: `projects/${project}/topics/ticks`,
        data: Buffer.from("nightly-export").toString("base64"),
      },
    });
    expect(plan.resourceCount(SA)).toBe(0);
  });

  it("calls a Cloud Run service with OIDC through its own account, invoker on that service only", async () => {
    const plan = await runProgram(() => {
      new scheduling.CloudSchedulerJob("reindex", {
        project,
        region,
        schedule: "*/30 * * * *",
        timeZone: "Europe/Paris",
        uri: "https://search-4k7mfq2xba-ew.a.run.app/reindex",
        cloudRunService: "search",
      });
    });
    const email = `sched-reindex@${project}.iam.gserviceaccount.com`;
    expect(plan.get(SA, "reindex-sa").inputs).toEqual({
      project,
      accountId: "sched-reindex",
      displayName: "Cloud Scheduler job reindex",
      description:
        "Identity of one Cloud Scheduler job; holds only what its target needs (taskstack).",
    });
    expect(plan.get(RUN_IAM, "reindex-run-invoker").inputs).toEqual({
      project,
      location: region,
      name: "search",
      role: "roles/run.invoker",
      member: `serviceAccount:${email}`,
    });
    expect(plan.get(JOB, "reindex-job").inputs["httpTarget"]).toEqual({
      uri: "https://search-4k7mfq2xba-ew.a.run.app/reindex",
      httpMethod: "POST",
      oidcToken: { serviceAccountEmail: email, audience: "https://search-4k7mfq2xba-ew.a.run.app" },
    });
    expect(plan.get(JOB, "reindex-job").inputs["attemptDeadline"]).toBe("180s");
    expect(plan.resourceCount(ALERT)).toBe(0);
  });

  it("treats a Cloud Function as 2nd gen: run.invoker on the Cloud Run service of its name", async () => {
    const plan = await runProgram(() => {
      new scheduling.CloudSchedulerJob("digest", {
        project,
        region,
        schedule: "0 8 * * *",
        timeZone: "Europe/Paris",
        uri: "https://digest-4k7mfq2xba-ew.a.run.app/send",
        cloudFunction: "digest",
      });
    });
    const email = `sched-digest@${project}.iam.gserviceaccount.com`;
    expect(
      plan.children(plan.get(scheduling.CloudSchedulerJob, "digest")).map((r) => r.name),
    ).toEqual(["digest-sa", "digest-run-invoker", "digest-job"]);
    expect(plan.get(RUN_IAM, "digest-run-invoker").inputs).toEqual({
      project,
      location: region,
      name: "digest",
      role: "roles/run.invoker",
      member: `serviceAccount:${email}`,
    });
    expect(plan.resourceCount(FN_IAM)).toBe(0);
    // Called at its run.app URL, the function is the Cloud Run service: the origin, as for Cloud Run.
    expect(plan.get(JOB, "digest-job").inputs["httpTarget"]).toEqual({
      uri: "https://digest-4k7mfq2xba-ew.a.run.app/send",
      httpMethod: "POST",
      oidcToken: { serviceAccountEmail: email, audience: "https://digest-4k7mfq2xba-ew.a.run.app" },
    });
  });

  it("sends a 2nd gen function's cloudfunctions.net URL as the audience, as for 1st gen", async () => {
    const plan = await runProgram(() => {
      new scheduling.CloudSchedulerJob("digest", {
        project,
        region,
        schedule: "0 8 * * *",
        timeZone: "Europe/Paris",
        uri: "https://europe-west1-acme-shop-test.cloudfunctions.net/digest",
        cloudFunction: "digest",
        cloudFunctionGeneration: 2,
      });
    });
    expect(plan.get(RUN_IAM, "digest-run-invoker").inputs["name"]).toBe("digest");
    expect(
      (plan.get(JOB, "digest-job").inputs["httpTarget"] as { oidcToken: unknown }).oidcToken,
    ).toEqual({
      serviceAccountEmail: `sched-digest@${project}.iam.gserviceaccount.com`,
      audience: "https://europe-west1-acme-shop-test.cloudfunctions.net/digest",
    });
  });
});

describe("CloudSchedulerJob custom", () => {
  it("calls a 1st gen Cloud Function, sets retries and deadline, and alerts on failures", async () => {
    const plan = await runProgram(() => {
      new scheduling.CloudSchedulerJob("invoice-run", {
        project,
        region,
        jobName: "monthly-invoice-run",
        description: "Monthly invoices",
        schedule: "0 6 1 * *",
        timeZone: "Europe/Berlin",
        paused: true,
        retryCount: 5,
        minBackoffSeconds: 30,
        maxBackoffSeconds: 600,
        maxDoublings: 3,
        maxRetryDurationSeconds: 3600,
        attemptDeadlineSeconds: 1800,
        uri: "https://europe-west1-acme-shop-test.cloudfunctions.net/invoices",
        httpMethod: "PUT",
        body: '{"period":"previous"}',
        headers: { "Content-Type": "application/json" },
        cloudFunction: "invoices",
        cloudFunctionGeneration: 1,
        serviceAccountId: "invoice-scheduler",
        alertNotificationChannels: ["projects/p/notificationChannels/7"],
      });
    });
    const email = `invoice-scheduler@${project}.iam.gserviceaccount.com`;
    expect(plan.get(FN_IAM, "invoice-run-function-invoker").inputs).toEqual({
      project,
      region,
      cloudFunction: "invoices",
      role: "roles/cloudfunctions.invoker",
      member: `serviceAccount:${email}`,
    });
    expect(plan.resourceCount(RUN_IAM)).toBe(0);
    expect(plan.get(JOB, "invoice-run-job").inputs).toEqual({
      project,
      region,
      name: "monthly-invoice-run",
      description: "Monthly invoices",
      schedule: "0 6 1 * *",
      timeZone: "Europe/Berlin",
      paused: true,
      attemptDeadline: "1800s",
      retryConfig: {
        retryCount: 5,
        minBackoffDuration: "30s",
        maxBackoffDuration: "600s",
        maxDoublings: 3,
        maxRetryDuration: "3600s",
      },
      httpTarget: {
        uri: "https://europe-west1-acme-shop-test.cloudfunctions.net/invoices",
        httpMethod: "PUT",
        body: Buffer.from('{"period":"previous"}').toString("base64"),
        headers: { "Content-Type": "application/json" },
        oidcToken: {
          serviceAccountEmail: email,
          audience: "https://europe-west1-acme-shop-test.cloudfunctions.net/invoices",
        },
      },
    });
    expect(plan.get(METRIC, "invoice-run-errors").inputs).toEqual({
      project,
      // One metric per region and job id: a job of the same id in another region is another job.
      name: "taskstack/scheduler-errors/europe-west1/monthly-invoice-run",
      description: "Failed attempts of Cloud Scheduler job monthly-invoice-run in europe-west1",
      filter:
        'resource.type = "cloud_scheduler_job" AND resource.labels.location = "europe-west1" AND resource.labels.job_id = "monthly-invoice-run" AND severity >= ERROR',
      metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1" },
    });
    const alert = plan.get(ALERT, "invoice-run-failure-alert");
    expect(alert.inputs["notificationChannels"]).toEqual(["projects/p/notificationChannels/7"]);
    // A run failed after its retries: 6 failed attempts (retryCount 5) within one run's span.
    // Span: 6 attempts × 1800 s deadline + backoffs 30, 60, 120, 240, 480 (doubling 3 times, then
    // linear, capped at 600: Cloud Scheduler RetryConfig.max_doublings) = 11730 s, + 300 s slack.
    // PromQL with metric validation off: a log metric created in the same update is invisible to
    // Cloud Monitoring for up to ~10 minutes (terraform-provider-google#11102).
    expect(alert.inputs["conditions"]).toEqual([
      {
        displayName:
          "monthly-invoice-run: 6 failed attempts within 201 minutes (a run and all its retries)",
        conditionPrometheusQueryLanguage: {
          query:
            '(sum(increase(logging_googleapis_com:user_taskstack_scheduler_errors_europe_west1_monthly_invoice_run{monitored_resource="cloud_scheduler_job"}[12060s])) or on() vector(0)) > 5',
          duration: "0s",
          evaluationInterval: "60s",
          disableMetricValidation: true,
        },
      },
    ]);
    expect(alert.dependsOn).toEqual([]);
    expect((alert.inputs["documentation"] as { content: string }).content).toContain("Force run");
  });

  it("uses OAuth for a Google API, and keeps an imported English-like schedule as written", async () => {
    const plan = await runProgram(() => {
      new scheduling.CloudSchedulerJob("compact", {
        region,
        legacySchedule: "every 7 minutes",
        timeZone: "Etc/UTC",
        uri: "https://bigquery.googleapis.com/bigquery/v2/projects/p/jobs",
      });
    });
    const job = plan.get(JOB, "compact-job").inputs;
    expect(job["schedule"]).toBe("every 7 minutes");
    expect(job["httpTarget"]).toEqual({
      uri: "https://bigquery.googleapis.com/bigquery/v2/projects/p/jobs",
      httpMethod: "POST",
      oauthToken: {
        serviceAccountEmail: "sched-compact@taskstack-test.iam.gserviceaccount.com",
        scope: "https://www.googleapis.com/auth/cloud-platform",
      },
    });
  });

  it("computes the next runs in the job's zone from an injected now", async () => {
    let runs: string[] = [];
    await runProgram(() => {
      const job = new scheduling.CloudSchedulerJob("j", {
        region,
        schedule: "30 3 * * *",
        timeZone: "Europe/Paris",
        topic: "projects/acme-shop-test/topics/ticks",
      });
      runs = job.nextRuns(3, new Date("2026-03-28T12:00:00Z"));
    });
    // Across the switch to summer time: the offset moves from +01:00 to +02:00, on wall-clock time.
    expect(runs).toEqual([
      "2026-03-29T03:30:00+02:00",
      "2026-03-30T03:30:00+02:00",
      "2026-03-31T03:30:00+02:00",
    ]);
  });

  it.each([
    ["abcdef", "sched-abcdef"],
    ["nightly-export", "sched-nightly-export"],
    ["a-very-long-job-name-for-exports", "sched-a-very-long-job-n-"],
  ])("derives the account id of job %s", (jobName, prefix) => {
    const id = schemas.jobServiceAccountId(jobName);
    expect(id.startsWith(prefix) || id === prefix).toBe(true);
    expect(id).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
  });
});

describe("CloudSchedulerJob validation", () => {
  const j = 'CloudSchedulerJob "j" ';
  const pubsub = { region, timeZone: "Etc/UTC", topic: "projects/acme-shop-test/topics/ticks" };
  const http = {
    region,
    timeZone: "Etc/UTC",
    schedule: "0 * * * *",
    uri: "https://x-ew.a.run.app/run",
    cloudRunService: "x",
  };
  const fn = {
    region,
    timeZone: "Etc/UTC",
    schedule: "0 * * * *",
    uri: "https://europe-west1-p.cloudfunctions.net/f",
    cloudFunction: "f",
  };
  it.each<[string, Record<string, unknown>]>([
    ["a body with POST (the default method)", { ...http, body: "{}" }],
    ["a body with PATCH", { ...http, httpMethod: "PATCH", body: "{}" }],
    ["GET without a body", { ...http, httpMethod: "GET" }],
    [
      "a 1st gen function name Cloud Run could not take",
      { ...fn, cloudFunction: "Send_Digest", cloudFunctionGeneration: 1 },
    ],
  ])("accepts %s", (_case, args) => {
    expect(() => scheduling.validateCloudSchedulerJobArgs("j", args)).not.toThrow();
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "invalid cron text",
      { ...pubsub, schedule: "61 * * * *" },
      [
        `${j}schedule: expected unix cron (the minute field's "61" is outside 0-59), got "61 * * * *"`,
      ],
    ],
    [
      "an unknown time zone",
      { ...pubsub, schedule: "0 * * * *", timeZone: "Mars/Olympus" },
      [
        `${j}timeZone: expected an IANA time zone such as Europe/Paris or Etc/UTC, got "Mars/Olympus"`,
      ],
    ],
    [
      "too many retries",
      { ...pubsub, schedule: "0 * * * *", retryCount: 6 },
      [`${j}retryCount: expected an integer from 0 to 5, got 6`],
    ],
    [
      "a deadline beyond 30 minutes",
      {
        region,
        timeZone: "Etc/UTC",
        schedule: "0 * * * *",
        uri: "https://x-ew.a.run.app/",
        cloudRunService: "x",
        attemptDeadlineSeconds: 1801,
      },
      [`${j}attemptDeadlineSeconds: expected an integer from 15 to 1800, got 1801`],
    ],
    [
      "an unauthenticated HTTP target",
      { region, timeZone: "Etc/UTC", schedule: "0 * * * *", uri: "https://hooks.acme.example/run" },
      [
        `${j}cloudRunService: expected the Cloud Run service (cloudRunService) or Cloud Function (cloudFunction) the uri invokes, exactly one: the job's OIDC identity is granted invoker on it, got nothing. HTTP targets must authenticate`,
      ],
    ],
    [
      "both targets",
      { ...pubsub, schedule: "0 * * * *", uri: "https://bigquery.googleapis.com/x" },
      [
        `${j}topic: expected one target: topic (Pub/Sub) or uri (HTTP), exactly one, got "projects/acme-shop-test/topics/ticks"`,
      ],
    ],
    [
      "a minimum backoff above the maximum",
      { ...pubsub, schedule: "0 * * * *", minBackoffSeconds: 100, maxBackoffSeconds: 10 },
      [
        `${j}minBackoffSeconds: expected at most maxBackoffSeconds (10), got 100. Lower it or raise maxBackoffSeconds`,
      ],
    ],
    [
      "a body with GET",
      { ...http, httpMethod: "GET", body: "{}" },
      [
        `${j}body: expected no body with httpMethod GET (a body is only sent with POST, PUT or PATCH), got "{}". Remove the body, or use POST, PUT or PATCH`,
      ],
    ],
    [
      "a body with DELETE",
      { ...http, httpMethod: "DELETE", body: "x" },
      [
        `${j}body: expected no body with httpMethod DELETE (a body is only sent with POST, PUT or PATCH), got "x". Remove the body, or use POST, PUT or PATCH`,
      ],
    ],
    [
      "a 2nd gen function name Cloud Run cannot take",
      { ...fn, cloudFunction: "Send_Digest" },
      [
        `${j}cloudFunction: expected a 2nd gen function name, which is also its Cloud Run service's name: 1–63 lowercase letters, digits or -, starting with a letter and not ending with -, got "Send_Digest". Fix the name, or set cloudFunctionGeneration: 1 for a 1st gen function`,
      ],
    ],
    [
      "an unknown function generation",
      { ...fn, cloudFunctionGeneration: 3 },
      [`${j}cloudFunctionGeneration: expected 1 or 2 (the function's generation), got 3`],
    ],
    [
      "a function generation without a function",
      { ...http, cloudFunctionGeneration: 1 },
      [
        `${j}cloudFunctionGeneration: expected nothing here without cloudFunction (it is the generation of that function), got 1`,
      ],
    ],
    [
      "a run inside Paris's daylight-saving changes (Google documents it may or may not run)",
      { ...pubsub, schedule: "30 2 * * *", timeZone: "Europe/Paris" },
      [
        `${j}schedule: expected local run times outside Europe/Paris's daylight-saving changes (02:00-02:59), got "30 2 * * *". As written it would not run on 2026-03-29 and would run twice on 2026-10-25. Pick a time outside 02:00-02:59, or use timeZone Etc/UTC, or set allowDaylightSavingTransitions: true to keep the scheduler's own behaviour`,
      ],
    ],
    [
      "a legacy zone name",
      { ...pubsub, schedule: "0 9 * * *", timeZone: "PST8PDT" },
      [
        `${j}timeZone: expected a city time zone such as America/Los_Angeles: PST8PDT is a legacy name whose daylight-saving rules are not a city's (write Etc/GMT±N if a fixed offset is really meant), got "PST8PDT"`,
      ],
    ],
    [
      "a legacy schedule unix cron expresses exactly",
      { ...pubsub, legacySchedule: "every monday 09:00" },
      [
        `${j}legacySchedule: expected a schedule unix cron cannot express (this one is exactly "0 9 * * 1": use schedule), got "every monday 09:00"`,
      ],
    ],
  ])("rejects %s with one exact message", (_case, args, messages) => {
    expect(() => scheduling.validateCloudSchedulerJobArgs("j", args)).toThrow(
      new TaskstackInputError(messages),
    );
  });

  it("fails on bad args before declaring anything", async () => {
    const run = runProgram(() => {
      new scheduling.CloudSchedulerJob("j", { ...pubsub, schedule: "0 0 * * * *" });
    });
    await expect(run).rejects.toBeInstanceOf(TaskstackInputError);
    const declared = declaredBeforeFailure(await run.catch((err: unknown) => err));
    expect(declared.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });

  it("only ever fails with a TaskstackInputError, whatever it is given", () => {
    const outcomes: Outcomes = { accepted: 0, rejected: 0 };
    assertExercised(outcomes, { accepted: 10, rejected: 10 }, (params) => {
      assertAnyArgsFailOnlyWithInputErrors(
        scheduling.validateCloudSchedulerJobArgs,
        outcomes,
        params,
      );
      fc.assert(
        fc.property(
          fc.oneof(fc.string(), fc.constantFrom("0 3 * * *", "*/5 * * * 1-5", "0 0 L * *")),
          fc.oneof(fc.string(), fc.constantFrom("UTC", "Europe/Paris", "europe/paris")),
          fc.integer({ min: -1, max: 7 }),
          (schedule, timeZone, retryCount) =>
            failsOnlyWithInputErrors(
              () =>
                scheduling.validateCloudSchedulerJobArgs("j", {
                  ...pubsub,
                  schedule,
                  timeZone,
                  retryCount,
                }),
              outcomes,
            ),
        ),
        { numRuns: 500, ...params },
      );
      fc.assert(
        fc.property(
          fc.record(
            {
              httpMethod: fc.oneof(fc.constantFrom("GET", "POST", "PUT", "DELETE"), fc.anything()),
              body: fc.oneof(fc.constant("{}"), fc.anything()),
              cloudFunction: fc.oneof(fc.constantFrom("f", "Send_Digest", "-x"), fc.anything()),
              cloudFunctionGeneration: fc.oneof(fc.constantFrom(1, 2, 3), fc.anything()),
            },
            { requiredKeys: [] },
          ),
          (extra) =>
            failsOnlyWithInputErrors(
              () =>
                scheduling.validateCloudSchedulerJobArgs("j", {
                  region,
                  timeZone: "Etc/UTC",
                  schedule: "0 * * * *",
                  uri: "https://europe-west1-p.cloudfunctions.net/f",
                  ...extra,
                }),
              outcomes,
            ),
        ),
        { numRuns: 300, ...params },
      );
    });
  });
});

describe("CloudSchedulerJob OAuth roles", () => {
  const runJob =
    "https://run.googleapis.com/v2/projects/acme-shop-test/locations/europe-west1/jobs/export:run";
  it("grants the job's own account the roles its Google API checks", async () => {
    // A Google API checks the caller's IAM permissions: a job starting a Cloud Run job needs
    // run.jobs.run (roles/run.invoker) or every run is a 403.
    const plan = await runProgram(() => {
      new scheduling.CloudSchedulerJob("export", {
        project,
        region,
        schedule: "0 3 * * *",
        timeZone: "Etc/UTC",
        uri: runJob,
        roles: ["roles/run.invoker"],
      });
    });
    expect(plan.findResources("gcp:projects/iAMMember:IAMMember").map((r) => r.inputs)).toEqual([
      {
        project,
        role: "roles/run.invoker",
        member: `serviceAccount:sched-export@${project}.iam.gserviceaccount.com`,
      },
    ]);
  });

  it("warns in the plan when the account holds no role", async () => {
    const warn = vi.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
    try {
      await runProgram(() => {
        new scheduling.CloudSchedulerJob("export", {
          project,
          region,
          schedule: "0 3 * * *",
          timeZone: "Etc/UTC",
          uri: runJob,
        });
      });
      expect(warn.mock.calls.map((c) => c[0])).toEqual([
        `CloudSchedulerJob "export": its account sched-export holds no role, so ${runJob} will refuse its calls with 403. Give it the roles the API checks with roles (for a Cloud Run job run, roles/run.invoker).`,
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it("refuses roles for a target that is not a Google API", () => {
    expect(
      () =>
        new scheduling.CloudSchedulerJob("report", {
          project,
          region,
          schedule: "0 3 * * *",
          timeZone: "Etc/UTC",
          uri: "https://reports-x-ew.a.run.app/run",
          cloudRunService: "reports",
          roles: ["roles/run.invoker"],
        }),
    ).toThrow(
      'CloudSchedulerJob "report" roles: expected nothing here: roles are for a *.googleapis.com uri (other targets get the invoker role on cloudRunService or cloudFunction), got ["roles/run.invoker"]',
    );
  });
});
