import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TaskstackInputError } from "../../components";
import { messaging, scheduling } from "../../components";
import { parseStackConfig } from "../../stacks/config";
import { jobArgsFor, queueArgsFor, stackJobArgs } from "../../stacks/scheduling";
import { importedQueues } from "../../stacks/sections/scheduling";
import { assertExercised, failsOnlyWithInputErrors } from "../support/properties";
import type { Outcomes } from "../support/properties";

const file = "stacks/Pulumi.dev.yaml";
const minimal = {
  "taskstack:environment": "dev",
  "taskstack:gcp": { project: "acme-shop-dev", region: "europe-west1" },
  // The topic the jobs below publish to: a job's topic of this project must be declared.
  "taskstack:messaging": { topics: [{ name: "ticks", subscriptions: [] }] },
};

function problems(raw: unknown): readonly string[] {
  try {
    parseStackConfig(raw, file);
  } catch (err) {
    if (err instanceof TaskstackInputError) return err.problems;
    throw err;
  }
  return [];
}

const job = { name: "nightly", schedule: "0 3 * * *", timeZone: "Etc/UTC", topic: "ticks" };

describe("queues, jobs and imports in a stack file", () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "a queue without a retry limit",
      { "taskstack:messaging": { queues: [{ name: "emails" }] } },
      [
        `${file}: taskstack:messaging.queues[0].maxAttempts: expected an integer from 1 to 100: the attempts a task gets before it is dropped, got nothing. Set it, use preset: "rate-limited-api", or set allowUnlimitedRetries: true with maxRetryDurationSeconds`,
      ],
    ],
    [
      "a queue with an OIDC invoker but no audience",
      {
        "taskstack:messaging": {
          queues: [
            {
              name: "emails",
              maxAttempts: 3,
              invokerServiceAccountEmail: "tasks@acme-shop-dev.iam.gserviceaccount.com",
              targetHost: "emails-x-ew.a.run.app",
            },
          ],
        },
      },
      [
        `${file}: taskstack:messaging.queues[0].oidcAudience: expected an OIDC audience when invokerServiceAccountEmail is set (a queue-level OIDC token needs both), got nothing. Set it to the URL the handler checks tokens against, such as https://handler-x-ew.a.run.app`,
      ],
    ],
    [
      "a job sending a body with GET",
      {
        "taskstack:scheduling": {
          jobs: [
            {
              name: "report",
              schedule: "0 7 * * 1",
              timeZone: "Europe/Berlin",
              uri: "https://reports-ew.a.run.app/run",
              cloudRunService: "reports",
              httpMethod: "GET",
              body: "{}",
            },
          ],
        },
      },
      [
        `${file}: taskstack:scheduling.jobs[0].body: expected no body with httpMethod GET (a body is only sent with POST, PUT or PATCH), got "{}". Remove the body, or use POST, PUT or PATCH`,
      ],
    ],
    [
      "a job calling a 2nd gen function by a name Cloud Run cannot take",
      {
        "taskstack:scheduling": {
          jobs: [
            {
              name: "report",
              schedule: "0 7 * * 1",
              timeZone: "Europe/Berlin",
              uri: "https://europe-west1-acme-shop-dev.cloudfunctions.net/Reports",
              cloudFunction: "Reports",
            },
          ],
        },
      },
      [
        `${file}: taskstack:scheduling.jobs[0].cloudFunction: expected a 2nd gen function name, which is also its Cloud Run service's name: 1–63 lowercase letters, digits or -, starting with a letter and not ending with -, got "Reports". Fix the name, or set cloudFunctionGeneration: 1 for a 1st gen function`,
      ],
    ],
    [
      "two queues with one id",
      {
        "taskstack:messaging": {
          queues: [
            { name: "emails", maxAttempts: 3 },
            { name: "mails", queueName: "emails", maxAttempts: 3 },
          ],
        },
      },
      [
        `${file}: taskstack:messaging.queues[1].name: expected names that no other component derives: Cloud Tasks queue "(the stack's region)/emails" is derived from both queues[0] (emails) and queues[1] (mails), got "mails". Rename one of them`,
      ],
    ],
    [
      "a job with invalid cron text",
      { "taskstack:scheduling": { jobs: [{ ...job, schedule: "0 3 * *" }] } },
      [
        `${file}: taskstack:scheduling.jobs[0].schedule: expected unix cron with five fields (minute hour day-of-month month day-of-week), not 4, got "0 3 * *"`,
      ],
    ],
    [
      "an import whose file has an unconvertible line",
      {
        "taskstack:scheduling": {
          appEngineCron: {
            file: "../test/stacks/fixtures/bad-cron.yaml",
            targets: { default: { baseUrl: "https://a-ew.a.run.app", cloudRunService: "a" } },
          },
        },
      },
      [
        // One line per problem, naming the entry by its url (or description), not its index alone.
        `${file}: taskstack:scheduling.appEngineCron: test/stacks/fixtures/bad-cron.yaml: cron[1] (url /bad).schedule: expected an App Engine schedule such as "every 12 hours", "every 5 minutes from 10:00 to 14:00", "every monday 09:00", "1st monday of sep,oct 17:00" or "1 of jan,july 00:00" ("often" is not a word of it), got "often monday 09:00"`,
      ],
    ],
    [
      "an import of a missing file",
      {
        "taskstack:scheduling": {
          appEngineCron: { file: "legacy/nope.yaml", targets: {} },
        },
      },
      [
        `${file}: taskstack:scheduling.appEngineCron: stacks/legacy/nope.yaml: no such file, or it cannot be read`,
      ],
    ],
    [
      "a Slack channel without a token",
      {
        "taskstack:monitoring": {
          slack: [{ name: "alerts", channelName: "#alerts" }],
        },
      },
      [
        `${file}: taskstack:monitoring.slack[0].authToken: expected Slack OAuth token (a secure: stack value), got nothing`,
      ],
    ],
  ])("rejects %s with one exact message", (_case, section, messages) => {
    expect(problems({ ...minimal, ...section })).toEqual(messages);
  });

  it("accepts the committed App Engine import", () => {
    const config = parseStackConfig({
      ...minimal,
      "taskstack:scheduling": {
        jobs: [job],
        appEngineCron: {
          file: "legacy/cron.yaml",
          targets: { default: { baseUrl: "https://a-ew.a.run.app", cloudRunService: "a" } },
        },
      },
    });
    expect(config["taskstack:scheduling"].jobs[0]?.name).toBe("nightly");
  });

  it("only ever fails with a TaskstackInputError, whatever its queues and jobs are", () => {
    const outcomes: Outcomes = { accepted: 0, rejected: 0 };
    assertExercised(outcomes, { accepted: 10, rejected: 10 }, (params) => {
      fc.assert(
        fc.property(
          fc.record({
            maxAttempts: fc.integer({ min: 0, max: 120 }),
            maxConcurrentDispatches: fc.integer({ min: 0, max: 6000 }),
            preset: fc.constantFrom(undefined, "rate-limited-api", "x"),
          }),
          fc.record({
            schedule: fc.oneof(fc.string(), fc.constantFrom("0 3 * * *", "*/15 * * * *")),
            timeZone: fc.constantFrom("UTC", "Europe/Paris", "Nowhere/Else"),
            retryCount: fc.integer({ min: -1, max: 7 }),
            topic: fc.oneof(fc.constant("ticks"), fc.anything()),
          }),
          (queue, j) =>
            failsOnlyWithInputErrors(
              () =>
                parseStackConfig(
                  {
                    ...minimal,
                    "taskstack:messaging": {
                      topics: minimal["taskstack:messaging"].topics,
                      queues: [{ name: "q", ...queue }],
                    },
                    "taskstack:scheduling": { jobs: [{ name: "j", ...j }] },
                  },
                  file,
                ),
              outcomes,
              (p) => p.startsWith(`${file}: `),
            ),
        ),
        { numRuns: 400, ...params },
      );
    });
  });

  it("never lets a queue or job the stack file accepts fail later inside its component", () => {
    const counts = { accepted: 0 };
    const queue = fc.record(
      {
        name: fc.constantFrom("emails", "partner-api"),
        preset: fc.constant("rate-limited-api" as const),
        maxAttempts: fc.integer({ min: 0, max: 110 }),
        allowUnlimitedRetries: fc.boolean(),
        maxRetryDurationSeconds: fc.integer({ min: 0, max: 100_000 }),
        minBackoffSeconds: fc.constantFrom(0.05, 1, 30, 4000),
        maxBackoffSeconds: fc.constantFrom(0.5, 10, 600),
        oauthServiceAccountEmail: fc.constant("a@acme-shop-dev.iam.gserviceaccount.com"),
        invokerServiceAccountEmail: fc.constant("b@acme-shop-dev.iam.gserviceaccount.com"),
        taskTokenServiceAccountEmail: fc.constantFrom(
          "c@acme-shop-dev.iam.gserviceaccount.com",
          "c@acme-shop-prod.iam.gserviceaccount.com",
        ),
        oidcAudience: fc.constantFrom("https://api.acme.example", ""),
        targetHost: fc.constantFrom("x.googleapis.com", "api.acme.example"),
        location: fc.constantFrom("europe-west1", "Europe"),
      },
      { requiredKeys: ["name"] },
    );
    const jobRecord = fc.record(
      {
        name: fc.constantFrom("nightly", "report"),
        schedule: fc.constantFrom("0 3 * * *", "*/5 * * * *", "61 * * * *"),
        legacySchedule: fc.constantFrom("every 7 minutes", "every monday 09:00"),
        timeZone: fc.constantFrom("UTC", "Europe/Paris", "Mars/Base"),
        topic: fc.constantFrom("ticks", "projects/other-proj/topics/ticks", "t"),
        uri: fc.constantFrom("https://x-ew.a.run.app/run", "https://bigquery.googleapis.com/x"),
        cloudRunService: fc.constant("svc"),
        cloudFunction: fc.constantFrom("fn", "Fn_1"),
        cloudFunctionGeneration: fc.constantFrom(1, 2),
        httpMethod: fc.constantFrom("GET", "POST", "PUT"),
        body: fc.constant("{}"),
        data: fc.constant("go"),
        attemptDeadlineSeconds: fc.integer({ min: 0, max: 2000 }),
        retryCount: fc.integer({ min: -1, max: 6 }),
      },
      { requiredKeys: ["name", "timeZone"] },
    );
    assertExercised(counts, { accepted: 20 }, (params) => {
      fc.assert(
        fc.property(
          fc.array(queue, { maxLength: 2 }),
          fc.array(jobRecord, { maxLength: 2 }),
          (queues, jobs) => {
            let config;
            try {
              config = parseStackConfig(
                {
                  ...minimal,
                  "taskstack:messaging": { queues },
                  "taskstack:scheduling": { jobs },
                },
                file,
              );
            } catch (err) {
              if (err instanceof TaskstackInputError) return true;
              throw err;
            }
            counts.accepted++;
            for (const q of config["taskstack:messaging"].queues) {
              messaging.validateCloudTasksQueueArgs(q.name, queueArgsFor(q, config, ["c"]));
            }
            for (const j of config["taskstack:scheduling"].jobs) {
              scheduling.validateCloudSchedulerJobArgs(j.name, jobArgsFor(j, config, ["c"]));
            }
            return true;
          },
        ),
        { numRuns: 500, ...params },
      );
    });
  });

  it("never lets an App Engine import the stack file accepts fail later inside its component", () => {
    const counts = { accepted: 0 };
    const target = fc.record(
      {
        baseUrl: fc.constantFrom(
          "https://legacy-shop-4k7mfq2xba-ew.a.run.app",
          "https://legacy-shop-4k7mfq2xba-ew.a.run.app",
          "http://legacy.example",
          "https://europe-west1-acme-shop-dev.cloudfunctions.net/Fn_1",
        ),
        cloudRunService: fc.constantFrom("legacy-shop", "legacy-shop", "legacy-shop", "Bad_Name"),
        invokerServiceAccountEmail: fc.constantFrom(
          "t@acme-shop-dev.iam.gserviceaccount.com",
          "t@acme-shop-dev.iam.gserviceaccount.com",
          "t@acme-shop-prod.iam.gserviceaccount.com",
          "nobody",
        ),
        attemptDeadlineSeconds: fc.integer({ min: 0, max: 2000 }),
      },
      // Mostly valid values, one wrong at a time often enough: accepted files must be common.
      { requiredKeys: ["baseUrl", "cloudRunService"] },
    );
    assertExercised(counts, { accepted: 20 }, (params) => {
      fc.assert(
        fc.property(
          target,
          fc.dictionary(
            fc.constantFrom("stock-sync", "cache-refresh", "stock-sync", "no-such-job"),
            fc.integer({ min: 0, max: 2000 }),
            { maxKeys: 1 },
          ),
          fc.array(
            fc.constantFrom("serviceAccount:a@acme-shop-dev.iam.gserviceaccount.com", "a@b"),
            {
              maxLength: 2,
            },
          ),
          (t, deadlines, enqueuers) => {
            let config;
            try {
              config = parseStackConfig(
                {
                  ...minimal,
                  "taskstack:scheduling": {
                    appEngineCron: {
                      file: "legacy/cron.yaml",
                      targets: { default: t },
                      attemptDeadlineSeconds: deadlines,
                    },
                    appEngineQueue: {
                      file: "legacy/queue.yaml",
                      targets: { default: t },
                      enqueuers,
                    },
                  },
                },
                file,
              );
            } catch (err) {
              if (err instanceof TaskstackInputError) return true;
              throw err;
            }
            counts.accepted++;
            for (const { name, args } of stackJobArgs(config, ["c"])) {
              scheduling.validateCloudSchedulerJobArgs(name, args);
            }
            const imported = config["taskstack:scheduling"].appEngineQueue;
            for (const e of imported === undefined
              ? []
              : importedQueues(imported, "europe-west1")) {
              messaging.validateCloudTasksQueueArgs(e.name, {
                ...e.args,
                project: "acme-shop-dev",
                alertNotificationChannels: ["c"],
                notes: e.notes,
              });
            }
            return true;
          },
        ),
        { numRuns: 400, ...params },
      );
    });
  });
});
