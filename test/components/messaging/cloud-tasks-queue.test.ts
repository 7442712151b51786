import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TaskstackInputError, messaging } from "../../../components";
import {
  assertAnyArgsFailOnlyWithInputErrors,
  assertExercised,
  failsOnlyWithInputErrors,
} from "../../support/properties";
import type { Outcomes } from "../../support/properties";
import { declaredBeforeFailure, runProgram } from "../../../testing";

const project = "acme-shop-test";
const location = "europe-west1";
const QUEUE = "gcp:cloudtasks/queue:Queue";
const QUEUE_IAM = "gcp:cloudtasks/queueIamMember:QueueIamMember";
const SA_IAM = "gcp:serviceaccount/iAMMember:IAMMember";
const ALERT = "gcp:monitoring/alertPolicy:AlertPolicy";
const producer = "serviceAccount:orders-api@acme-shop-test.iam.gserviceaccount.com";
const invoker = "tasks-invoker@acme-shop-test.iam.gserviceaccount.com";
const loader = "bq-loader@acme-shop-test.iam.gserviceaccount.com";

describe("CloudTasksQueue defaults", () => {
  it("declares one queue with explicit rates, bounded retries, backoff and logging", async () => {
    const plan = await runProgram(() => {
      new messaging.CloudTasksQueue("emails", { project, location, maxAttempts: 5 });
    });
    expect(plan.resourceCount(messaging.CloudTasksQueue)).toBe(1);
    expect(plan.children(plan.get(messaging.CloudTasksQueue, "emails")).map((r) => r.name)).toEqual(
      ["emails-queue"],
    );
    expect(plan.get(QUEUE, "emails-queue").inputs).toEqual({
      project,
      location,
      name: "emails",
      rateLimits: { maxDispatchesPerSecond: 10, maxConcurrentDispatches: 10 },
      retryConfig: { maxAttempts: 5, minBackoff: "1s", maxBackoff: "600s", maxDoublings: 5 },
      stackdriverLoggingConfig: { samplingRatio: 1 },
    });
    expect(plan.resourceCount(ALERT)).toBe(0);
    expect(plan.resources.filter((r) => r.protect)).toEqual([]);
  });

  it("grants enqueue on the queue only, without an invoker account", async () => {
    const plan = await runProgram(() => {
      new messaging.CloudTasksQueue("emails", { project, location, maxAttempts: 5 }).grantEnqueue(
        producer,
      );
    });
    expect(
      plan.get(QUEUE_IAM, "emails-enqueuer-serviceaccount-orders-api-acme-shop-test").inputs,
    ).toEqual({
      project,
      location,
      name: "emails",
      role: "roles/cloudtasks.enqueuer",
      member: producer,
    });
    expect(plan.resourceCount(SA_IAM)).toBe(0);
  });
});

describe("CloudTasksQueue custom", () => {
  it("applies the rate-limited-api preset, OIDC dispatch and alerts; producers of a queue-level token get no actAs", async () => {
    const plan = await runProgram(() => {
      const q = new messaging.CloudTasksQueue("partner-api", {
        project,
        location,
        queueName: "partner-api-v2",
        preset: "rate-limited-api",
        maxAttempts: 8,
        maxRetryDurationSeconds: 86_400,
        loggingSamplingRatio: 0.5,
        invokerServiceAccountEmail: invoker,
        oidcAudience: "https://chunks.acme.example",
        targetHost: "chunks.acme.example",
        depthAlertThreshold: 80,
        alertNotificationChannels: ["projects/p/notificationChannels/1"],
        protect: true,
      });
      q.grantEnqueue(producer);
    });
    expect(plan.get(QUEUE, "partner-api-queue").inputs).toEqual({
      project,
      location,
      name: "partner-api-v2",
      rateLimits: { maxDispatchesPerSecond: 1, maxConcurrentDispatches: 1 },
      retryConfig: {
        maxAttempts: 8,
        maxRetryDuration: "86400s",
        minBackoff: "10s",
        maxBackoff: "600s",
        maxDoublings: 4,
      },
      stackdriverLoggingConfig: { samplingRatio: 0.5 },
      httpTarget: {
        oidcToken: { serviceAccountEmail: invoker, audience: "https://chunks.acme.example" },
        uriOverride: { host: "chunks.acme.example" },
      },
    });
    expect(plan.get(QUEUE, "partner-api-queue").protect).toBe(true);
    // The token is the queue's: CreateQueue/UpdateQueue names the account (whoever deploys needs
    // actAs on it), a producer's CreateTask names none (Cloud Tasks' OidcToken: "The caller must
    // have iam.serviceAccounts.actAs permission for the service account").
    expect(plan.resourceCount(SA_IAM)).toBe(0);
    expect(
      plan.findResources(QUEUE_IAM).map((r) => [r.name, r.inputs["role"], r.inputs["member"]]),
    ).toEqual([
      [
        "partner-api-enqueuer-serviceaccount-orders-api-acme-shop-test",
        "roles/cloudtasks.enqueuer",
        producer,
      ],
    ]);
    const depth = plan.get(ALERT, "partner-api-depth-alert").inputs;
    expect(depth["notificationChannels"]).toEqual(["projects/p/notificationChannels/1"]);
    expect(JSON.stringify(depth["conditions"])).toContain('"thresholdValue":80');
    expect(JSON.stringify(depth["conditions"])).toContain(
      'resource.labels.location = \\"europe-west1\\" AND resource.labels.queue_id = \\"partner-api-v2\\" AND metric.type = \\"cloudtasks.googleapis.com/queue/depth\\"',
    );
    // Loss, not noise: a failure ratio over 30 minutes held 10 minutes, never a single attempt (a
    // 429 from the rate-limited partner is retried). The response_code value "OK" is unconfirmed.
    const failures = plan.get(ALERT, "partner-api-failure-alert").inputs;
    const attempts = (extra: string) =>
      `sum(increase(cloudtasks_googleapis_com:queue_task_attempt_count{monitored_resource="cloud_tasks_queue",location="europe-west1",queue_id="partner-api-v2"${extra}}[1800s]))`;
    expect(failures["conditions"]).toEqual([
      {
        displayName: "more than 50% of attempts failed over 30 minutes, for 10 minutes",
        conditionPrometheusQueryLanguage: {
          query: `${attempts(',response_code!="OK"')} / ${attempts("")} > 0.5`,
          duration: "600s",
          evaluationInterval: "60s",
        },
      },
    ]);
    expect((failures["documentation"] as { content: string }).content).toMatch(
      /^More than 50% of the attempts to dispatch tasks from queue partner-api-v2/,
    );
  });

  it("sends OAuth tokens to a Google API host and allows unlimited attempts bounded by time", async () => {
    const plan = await runProgram(() => {
      new messaging.CloudTasksQueue("bq-loads", {
        project,
        location,
        allowUnlimitedRetries: true,
        maxRetryDurationSeconds: 3600,
        oauthServiceAccountEmail: loader,
        targetHost: "bigquery.googleapis.com",
      }).grantEnqueue(producer);
    });
    const inputs = plan.get(QUEUE, "bq-loads-queue").inputs;
    expect(inputs["retryConfig"]).toEqual({
      maxAttempts: -1,
      maxRetryDuration: "3600s",
      minBackoff: "1s",
      maxBackoff: "600s",
      maxDoublings: 5,
    });
    expect(inputs["httpTarget"]).toEqual({
      oauthToken: {
        serviceAccountEmail: loader,
        scope: "https://www.googleapis.com/auth/cloud-platform",
      },
      uriOverride: { host: "bigquery.googleapis.com" },
    });
    // A queue-level OAuth account, like a queue-level OIDC one, is named by whoever deploys the
    // queue, not by producers: no actAs for them (Cloud Tasks' OAuthToken).
    expect(plan.resourceCount(SA_IAM)).toBe(0);
    expect(
      plan.get(QUEUE_IAM, "bq-loads-enqueuer-serviceaccount-orders-api-acme-shop-test").inputs[
        "role"
      ],
    ).toBe("roles/cloudtasks.enqueuer");
  });

  it("binds actAs for producers on the account their tasks' own tokens name", async () => {
    // Per-task tokens: the producer's CreateTask names the account, so Cloud Tasks checks the
    // producer may act as it (OidcToken/OAuthToken.service_account_email, google/cloud/tasks/v2/
    // target.proto).
    const plan = await runProgram(() => {
      const q = new messaging.CloudTasksQueue("webhooks", {
        project,
        location,
        maxAttempts: 5,
        taskTokenServiceAccountEmail: invoker,
      });
      q.grantEnqueue(producer);
      q.grantEnqueue("group:ops@acme.example");
    });
    expect(plan.get(QUEUE, "webhooks-queue").inputs["httpTarget"]).toBeUndefined();
    expect(
      plan
        .findResources(SA_IAM)
        .map((r) => [r.name, r.inputs["serviceAccountId"], r.inputs["role"], r.inputs["member"]]),
    ).toEqual([
      [
        "webhooks-token-user-serviceaccount-orders-api-acme-shop-test",
        `projects/-/serviceAccounts/${invoker}`,
        "roles/iam.serviceAccountUser",
        producer,
      ],
      [
        "webhooks-token-user-group-ops-acme-example",
        `projects/-/serviceAccounts/${invoker}`,
        "roles/iam.serviceAccountUser",
        "group:ops@acme.example",
      ],
    ]);
    expect(
      plan.findResources(QUEUE_IAM).map((r) => [r.inputs["role"], r.inputs["member"]]),
    ).toEqual([
      ["roles/cloudtasks.enqueuer", producer],
      ["roles/cloudtasks.enqueuer", "group:ops@acme.example"],
    ]);
    expect(
      messaging.CloudTasksQueue.requiredApis({
        location,
        maxAttempts: 5,
        taskTokenServiceAccountEmail: invoker,
      }),
    ).toEqual(["cloudtasks.googleapis.com", "iam.googleapis.com"]);
  });

  it("asks for a stable id when the granted member is an Output", async () => {
    await expect(
      runProgram(() => {
        new messaging.CloudTasksQueue("q", { location, maxAttempts: 3 }).grantEnqueue(
          pulumi.output(producer),
        );
      }),
    ).rejects.toThrow(
      'CloudTasksQueue "q" grantEnqueue id: expected a stable id for a member that is an Output, got nothing. Pass it as the last argument',
    );
  });
});

describe("CloudTasksQueue invoker", () => {
  it("binds run.invoker for its OIDC account on the Cloud Run service it names", async () => {
    // Cloud Run refuses a token whose account lacks run.invoker on the service: without this
    // binding every dispatch is a 403 (Cloud Run, "Authenticating service-to-service").
    const plan = await runProgram(() => {
      new messaging.CloudTasksQueue("emails", {
        project,
        location,
        maxAttempts: 3,
        invokerServiceAccountEmail: invoker,
        oidcAudience: "https://mailer-x-ew.a.run.app",
        targetHost: "mailer-x-ew.a.run.app",
        invokerCloudRunService: "mailer",
      });
    });
    expect(
      plan.get("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "emails-run-invoker").inputs,
    ).toEqual({
      project,
      location,
      name: "mailer",
      role: "roles/run.invoker",
      member: `serviceAccount:${invoker}`,
    });
  });
});

describe("CloudTasksQueue validation", () => {
  const q = 'CloudTasksQueue "q" ';
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "no retry limit",
      { location },
      [
        `${q}maxAttempts: expected an integer from 1 to 100: the attempts a task gets before it is dropped, got nothing. Set it, use preset: "rate-limited-api", or set allowUnlimitedRetries: true with maxRetryDurationSeconds`,
      ],
    ],
    [
      "unlimited retries without a duration",
      { location, allowUnlimitedRetries: true },
      [
        `${q}maxRetryDurationSeconds: expected a retry duration in seconds when allowUnlimitedRetries is true (unlimited attempts must end somewhere), got nothing`,
      ],
    ],
    [
      "a per-task token account beside the queue's own",
      {
        location,
        maxAttempts: 3,
        invokerServiceAccountEmail: invoker,
        oidcAudience: "https://h.example",
        targetHost: "h.example",
        taskTokenServiceAccountEmail: loader,
      },
      [
        `${q}taskTokenServiceAccountEmail: expected no per-task token account beside the queue's own (invokerServiceAccountEmail): every dispatch already carries the queue's token, got "${loader}". Remove one of the two`,
      ],
    ],
    [
      "too many dispatches per second",
      { location, maxAttempts: 3, maxDispatchesPerSecond: 501 },
      [`${q}maxDispatchesPerSecond: expected a number above 0, at most 500, got 501`],
    ],
    [
      "too many concurrent dispatches",
      { location, maxAttempts: 3, maxConcurrentDispatches: 5001 },
      [`${q}maxConcurrentDispatches: expected an integer from 1 to 5000, got 5001`],
    ],
    [
      "a minimum backoff above the maximum",
      { location, maxAttempts: 3, minBackoffSeconds: 60, maxBackoffSeconds: 30 },
      [
        `${q}minBackoffSeconds: expected at most maxBackoffSeconds (30), got 60. Lower it or raise maxBackoffSeconds`,
      ],
    ],
    [
      "OAuth to a host that is not a Google API",
      {
        location,
        maxAttempts: 3,
        oauthServiceAccountEmail: invoker,
        targetHost: "api.acme.example",
      },
      [
        `${q}targetHost: expected a *.googleapis.com host with oauthServiceAccountEmail (OAuth tokens are for Google APIs; use invokerServiceAccountEmail for your own handlers), got "api.acme.example"`,
      ],
    ],
    [
      "an OIDC invoker without an audience",
      { location, maxAttempts: 3, invokerServiceAccountEmail: invoker, targetHost: "h.example" },
      [
        `${q}oidcAudience: expected an OIDC audience when invokerServiceAccountEmail is set (a queue-level OIDC token needs both), got nothing. Set it to the URL the handler checks tokens against, such as https://handler-x-ew.a.run.app`,
      ],
    ],
    [
      // Item 10: a queue-level token goes to whatever URL a producer chose unless the host is pinned.
      "an OIDC invoker without a pinned host",
      { location, maxAttempts: 3, invokerServiceAccountEmail: invoker, oidcAudience: "https://h" },
      [
        `${q}targetHost: expected the handler's host when invokerServiceAccountEmail is set: every task carries a Google-signed token, and only a pinned host keeps a producer's wrong or hostile URL from receiving it, got nothing. Set it to the host of the handler, such as handler-x-ew.a.run.app`,
      ],
    ],
    [
      "an invoker service without an invoker account",
      { location, maxAttempts: 3, invokerCloudRunService: "mailer" },
      [
        `${q}invokerCloudRunService: expected nothing here without invokerServiceAccountEmail (it is the service that account invokes), got "mailer"`,
      ],
    ],
    [
      "an audience without an OIDC invoker",
      { location, maxAttempts: 3, oidcAudience: "https://h-x-ew.a.run.app" },
      [
        `${q}invokerServiceAccountEmail: expected a service account email when oidcAudience is set, got nothing`,
      ],
    ],
    [
      "an unknown preset",
      { location, preset: "fast", maxAttempts: 3 },
      [`${q}preset: expected one of rate-limited-api, got "fast"`],
    ],
  ])("rejects %s with one exact message", (_case, args, messages) => {
    expect(() => messaging.validateCloudTasksQueueArgs("q", args)).toThrow(
      new TaskstackInputError(messages),
    );
  });

  it("fails on bad args before declaring anything", async () => {
    const run = runProgram(() => {
      new messaging.CloudTasksQueue("q", { location, maxAttempts: 0 });
    });
    await expect(run).rejects.toBeInstanceOf(TaskstackInputError);
    const declared = declaredBeforeFailure(await run.catch((err: unknown) => err));
    expect(declared.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });

  it("only ever fails with a TaskstackInputError, whatever it is given", () => {
    const outcomes: Outcomes = { accepted: 0, rejected: 0 };
    assertExercised(outcomes, { accepted: 10, rejected: 10 }, (params) => {
      assertAnyArgsFailOnlyWithInputErrors(messaging.validateCloudTasksQueueArgs, outcomes, params);
      fc.assert(
        fc.property(
          fc.oneof(
            // Valid queues with one numeric setting anywhere in or out of range.
            fc.record({
              maxAttempts: fc.integer({ min: -2, max: 120 }),
              maxConcurrentDispatches: fc.integer({ min: 0, max: 6000 }),
            }),
            fc.record(
              {
                preset: fc.constantFrom("rate-limited-api", "fast"),
                maxAttempts: fc.integer({ min: -2, max: 120 }),
                allowUnlimitedRetries: fc.oneof(fc.boolean(), fc.anything()),
                maxRetryDurationSeconds: fc.integer({ min: -5, max: 100_000 }),
                maxDispatchesPerSecond: fc.double({ min: -1, max: 600, noNaN: true }),
                maxConcurrentDispatches: fc.integer({ min: 0, max: 6000 }),
                minBackoffSeconds: fc.double({ min: 0, max: 4000, noNaN: true }),
                maxBackoffSeconds: fc.double({ min: 0, max: 4000, noNaN: true }),
                oauthServiceAccountEmail: fc.constantFrom(invoker, "x"),
                invokerServiceAccountEmail: fc.constantFrom(invoker, "x"),
                oidcAudience: fc.constantFrom("https://h-x-ew.a.run.app", ""),
                targetHost: fc.oneof(fc.constantFrom("a.googleapis.com", "a.example"), fc.string()),
              },
              { requiredKeys: [] },
            ),
          ),
          (args) =>
            failsOnlyWithInputErrors(
              () => messaging.validateCloudTasksQueueArgs("q", { location, ...args }),
              outcomes,
            ),
        ),
        { numRuns: 500, ...params },
      );
    });
  });
});
