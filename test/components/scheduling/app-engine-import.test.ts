import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TaskstackInputError, scheduling } from "../../../components";
import { assertExercised, failsOnlyWithInputErrors } from "../../support/properties";
import type { Outcomes } from "../../support/properties";

const targets = {
  default: { baseUrl: "https://legacy-4k7mfq2xba-ew.a.run.app", cloudRunService: "legacy" },
  worker: {
    baseUrl: "https://worker-4k7mfq2xba-ew.a.run.app",
    cloudRunService: "worker",
    invokerServiceAccountEmail: "tasks@acme-shop-dev.iam.gserviceaccount.com",
  },
};
const options = { region: "europe-west1", targets, source: "legacy/cron.yaml" };

describe("parseAppEngineSchedule", () => {
  it.each([
    ["every day 00:00", "0 0 * * *"],
    ["every monday 09:00", "0 9 * * 1"],
    ["every mon,wed,fri 17:30", "30 17 * * 1,3,5"],
    ["every day of march 10:15", "15 10 * 3 *"],
    ["every monday of sep,oct,nov 09:00", "0 9 * 9,10,11 1"],
    ["1 of jan,april,july,oct 00:00", "0 0 1 1,4,7,10 *"],
    ["1,15 of month 12:00", "0 12 1,15 * *"],
    ["every 10 minutes synchronized", "0,10,20,30,40,50 * * * *"],
    ["every 2 hours synchronized", "0 0,2,4,6,8,10,12,14,16,18,20,22 * * *"],
    ["every 1 hours from 10:00 to 14:00", "0 10,11,12,13,14 * * *"],
    ["every 30 mins from 09:00 to 17:30", "0,30 9,10,11,12,13,14,15,16,17 * * *"],
    ["Every  Monday  09:00", "0 9 * * 1"],
    // Forms groc reads that taskstack used to refuse.
    ["2nd day of month 09:00", "0 9 2 * *"],
    ["every day of 1st month of quarter 09:00", "0 9 * 1,4,7,10 *"],
    ["1 of quarter 06:00", "0 6 1 1,4,7,10 *"],
  ])("translates %j exactly to %j", (text, cron) => {
    expect(scheduling.parseAppEngineSchedule(text)).toEqual({ kind: "cron", cron });
  });

  it.each([
    [
      "every 12 hours",
      "an unsynchronized interval counts from the end of the previous run, which unix cron cannot express",
    ],
    [
      "every 7 minutes",
      "an unsynchronized interval counts from the end of the previous run, which unix cron cannot express",
    ],
    [
      "every 5 minutes from 10:00 to 14:00",
      "its run times are not one set of minutes repeated in a set of hours, which is all one unix cron line can say",
    ],
    ["2nd,third mon,wed,thu of march 17:00", 'unix cron has no "nth weekday of the month"'],
    ["1st monday of sep,oct,nov 17:00", 'unix cron has no "nth weekday of the month"'],
  ])("keeps %j in App Engine's format", (text, why) => {
    expect(scheduling.parseAppEngineSchedule(text)).toEqual({
      kind: "legacy",
      schedule: text.toLowerCase(),
      why,
    });
  });

  it("keeps a nightly run inside Berlin's daylight-saving change in App Engine's format", () => {
    expect(scheduling.parseAppEngineSchedule("every day 02:00", "Europe/Berlin")).toEqual({
      kind: "legacy",
      schedule: "every day 02:00",
      why: "its runs at 02:00-02:59 fall in Europe/Berlin's daylight-saving changes, where App Engine skips a missing time and runs a repeated one twice, and Cloud Scheduler's unix cron does not say what it does",
    });
    expect(scheduling.parseAppEngineSchedule("every 2 hours synchronized", "Europe/Paris")).toEqual(
      {
        kind: "legacy",
        schedule: "every 2 hours synchronized",
        why: "App Engine counts these runs in elapsed time from the range's start, so on Europe/Paris's daylight-saving days they move by the change, which unix cron cannot express",
      },
    );
  });

  // Each one groc (App Engine's parser) refuses too: app-engine-schedule.differential.test.ts.
  it.each([
    [
      "every 7 minutes synchronized",
      "an interval that divides 24 hours evenly with synchronized (1, 2, 3, 4, 6, 8, 12 or 24 hours, or such a number of minutes)",
    ],
    [
      "every 1 hour",
      'an App Engine schedule such as "every 12 hours", "every 5 minutes from 10:00 to 14:00", "every monday 09:00", "1st monday of sep,oct 17:00" or "1 of jan,july 00:00" ("hour" is not a word of it)',
    ],
    ["31 of feb 00:00", "a day of the month that exists in one of its months (day 31 never does)"],
  ])("refuses %j as App Engine does", (text, why) => {
    expect(scheduling.parseAppEngineSchedule(text)).toEqual({ kind: "invalid", expected: why });
  });

  it.each([
    "every monday 25:00",
    "every min",
    "every 0 minutes",
    "every funday 09:00",
    "sometimes",
    "",
    "every 5 fortnights",
  ])("refuses %j", (text) => {
    expect(scheduling.parseAppEngineSchedule(text).kind).toBe("invalid");
  });
});

describe("importAppEngineCron", () => {
  it("imports the committed sample: exact cron where it exists, the legacy format with a note otherwise", () => {
    const text = fs.readFileSync(path.join(__dirname, "../../../stacks/legacy/cron.yaml"), "utf8");
    const jobs = scheduling.importAppEngineCron(text, options);
    // Every job: App Engine's 10-minute deadline (a note says so) and the X-Appengine-Cron note.
    expect(
      jobs.map((j) => [j.name, j.args.schedule ?? j.args.legacySchedule, j.notes.length]),
    ).toEqual([
      // 02:00 in Berlin meets the daylight-saving change: kept as App Engine text, with a note.
      ["daily-summary-job", "every day 02:00", 3],
      ["monday-morning-mailout", "0 9 * * 1", 2],
      ["cache-refresh", "0,10,20,30,40,50 * * * *", 2],
      ["stock-sync", "every 7 minutes", 3],
      ["quarterly-report", "0 6 1 1,4,7,10 *", 2],
    ]);
    expect(jobs[1]?.args).toEqual({
      region: "europe-west1",
      jobName: "monday-morning-mailout",
      description: "monday morning mailout",
      schedule: "0 9 * * 1",
      timeZone: "Europe/Berlin",
      retryCount: 2,
      minBackoffSeconds: 30,
      attemptDeadlineSeconds: 600,
      uri: "https://legacy-4k7mfq2xba-ew.a.run.app/mail/weekly",
      httpMethod: "GET",
      cloudRunService: "legacy",
    });
    expect(jobs[2]?.args.timeZone).toBe("Etc/UTC");
    expect(jobs[2]?.args.retryCount).toBe(0);
    expect(jobs[3]?.notes).toEqual([
      'schedule "every 7 minutes" kept in App Engine\'s format (an unsynchronized interval counts from the end of the previous run, which unix cron cannot express); Cloud Scheduler runs it as written',
      "attempt deadline 600 s, App Engine's 10 minutes for a cron request (Cloud Scheduler's own default is 180 s); set attemptDeadlineSeconds for this job or its target to change it (at most 1800 s)",
      "Cloud Scheduler does not send X-Appengine-Cron (App Engine did, with every cron request): a handler that checks it refuses these calls. Check the caller another way: the job calls with an OIDC token of its own account (sched-stock-sync), which only it can get through Cloud Run's or Cloud Functions' invoker check; X-CloudScheduler headers can be sent by anyone",
    ]);
  });

  it.each<[string, scheduling.AppEngineTarget, Record<string, unknown>]>([
    [
      "a 2nd gen function (the default)",
      {
        baseUrl: "https://europe-west1-acme-shop-dev.cloudfunctions.net/reports",
        cloudFunction: "reports",
      },
      { cloudFunction: "reports" },
    ],
    [
      "a 1st gen function",
      {
        baseUrl: "https://europe-west1-acme-shop-dev.cloudfunctions.net/Reports_v1",
        cloudFunction: "Reports_v1",
        cloudFunctionGeneration: 1,
      },
      { cloudFunction: "Reports_v1", cloudFunctionGeneration: 1 },
    ],
  ])("imports a cron entry calling %s", (_case, target, expectedTarget) => {
    const text = "cron:\n- url: /run\n  schedule: every day 02:00\n";
    const [job] = scheduling.importAppEngineCron(text, {
      ...options,
      targets: { default: target },
    });
    expect(job?.args).toEqual({
      region: "europe-west1",
      jobName: "run",
      schedule: "0 2 * * *",
      timeZone: "Etc/UTC",
      retryCount: 0,
      attemptDeadlineSeconds: 600,
      uri: `${target.baseUrl}/run`,
      httpMethod: "GET",
      ...expectedTarget,
    });
  });

  it("refuses a function target whose name a 2nd gen function cannot have", () => {
    const text = "cron:\n- url: /run\n  schedule: every day 02:00\n";
    expect(() =>
      scheduling.importAppEngineCron(text, {
        ...options,
        targets: {
          default: {
            baseUrl: "https://europe-west1-acme-shop-dev.cloudfunctions.net/Reports_v1",
            cloudFunction: "Reports_v1",
          },
        },
      }),
    ).toThrow(
      new TaskstackInputError([
        'legacy/cron.yaml: cron[0]: expected an entry that translates (CloudSchedulerJob "run" cloudFunction: expected a 2nd gen function name, which is also its Cloud Run service\'s name: 1–63 lowercase letters, digits or -, starting with a letter and not ending with -, got "Reports_v1". Fix the name, or set cloudFunctionGeneration: 1 for a 1st gen function), got {"url":"/run","schedule":"every day 02:00"}',
      ]),
    );
  });

  it("takes an attempt deadline per target and per job, capped at Cloud Scheduler's 30 minutes", () => {
    const text = [
      "cron:",
      "- description: nightly export",
      "  url: /export",
      "  schedule: every day 01:00",
      "- description: hourly sync",
      "  url: /sync",
      "  schedule: every 1 hours synchronized",
    ].join("\n");
    const jobs = scheduling.importAppEngineCron(text, {
      ...options,
      targets: { default: { ...targets.default, attemptDeadlineSeconds: 1200 } },
      attemptDeadlineSeconds: { "nightly-export": 1800 },
    });
    expect(jobs.map((j) => [j.name, j.args.attemptDeadlineSeconds, j.notes.length])).toEqual([
      ["nightly-export", 1800, 1],
      ["hourly-sync", 1200, 1],
    ]);
    expect(() =>
      scheduling.importAppEngineCron(text, {
        ...options,
        attemptDeadlineSeconds: { "nightly-export": 3600 },
      }),
    ).toThrow(
      new TaskstackInputError([
        "legacy/cron.yaml: import option attemptDeadlineSeconds.nightly-export: expected an integer from 15 to 1800, got 3600",
      ]),
    );
    expect(() =>
      scheduling.importAppEngineCron(text, {
        ...options,
        attemptDeadlineSeconds: { "nightly-exports": 900 },
      }),
    ).toThrow(
      new TaskstackInputError([
        "legacy/cron.yaml: import option attemptDeadlineSeconds.nightly-exports: expected a job this file declares (nightly-export, hourly-sync), got 900. Name the job as the plan shows it",
      ]),
    );
    expect(() =>
      scheduling.importAppEngineCron(text, {
        ...options,
        targets: { default: { ...targets.default, attemptDeadlineSeconds: 10 } },
      }),
    ).toThrow(
      new TaskstackInputError([
        "legacy/cron.yaml: import option targets.default.attemptDeadlineSeconds: expected an integer from 15 to 1800, got 10",
      ]),
    );
  });

  it("names every entry it cannot translate, all at once", () => {
    const text = [
      "cron:",
      "- url: /a",
      "  schedule: every monday 25:00",
      "- url: /b",
      "  schedule: every day 01:00",
      "  target: reports",
      "- url: /c",
      "  schedule: every day 01:00",
      "  retry_parameters: { job_retry_limit: 7 }",
      "  timezone: Mars/Olympus",
    ].join("\n");
    expect(() => scheduling.importAppEngineCron(text, options)).toThrow(
      new TaskstackInputError([
        'legacy/cron.yaml: cron[0].schedule: expected a time of day as HH:MM, from 00:00 to 23:59 (not "25:00"), got "every monday 25:00"',
        'legacy/cron.yaml: cron[1].target: expected a target the import knows (default, worker), got "reports". Add "reports" to the import\'s targets with the URL where that service runs now',
        'legacy/cron.yaml: cron[2].timezone: expected an IANA time zone such as Europe/Paris, got "Mars/Olympus"',
        "legacy/cron.yaml: cron[2].retry_parameters.job_retry_limit: expected an integer from 0 to 5 (Cloud Scheduler retries a run at most 5 times, and needs the count), got 7",
      ]),
    );
  });
});

describe("reading legacy YAML", () => {
  it("refuses an unknown tag instead of reading it as plain text", () => {
    const text = ["cron:", "- url: /a", "  schedule: !weekly every monday 09:00"].join("\n");
    expect(() => scheduling.importAppEngineCron(text, options)).toThrow(
      new TaskstackInputError([
        "legacy/cron.yaml: expected YAML (Unresolved tag: !weekly at line 3, column 13:)",
      ]),
    );
  });
});

describe("importAppEngineQueues", () => {
  it("translates rates, concurrency, retries and targets", () => {
    const text = [
      "queue:",
      "- name: partner-push",
      "  rate: 1/s",
      "  max_concurrent_requests: 1",
      "  target: worker",
      "  retry_parameters:",
      "    task_retry_limit: 9",
      "    min_backoff_seconds: 10",
      "    max_backoff_seconds: 600",
      "    max_doublings: 4",
      "- name: digests",
      "  rate: 30/m",
      "  retry_parameters: { task_age_limit: 2d }",
    ].join("\n");
    expect(scheduling.importAppEngineQueues(text, options)).toEqual([
      {
        name: "partner-push",
        notes: [],
        args: {
          location: "europe-west1",
          queueName: "partner-push",
          maxDispatchesPerSecond: 1,
          maxConcurrentDispatches: 1,
          maxAttempts: 10,
          minBackoffSeconds: 10,
          maxBackoffSeconds: 600,
          maxDoublings: 4,
          targetHost: "worker-4k7mfq2xba-ew.a.run.app",
          invokerServiceAccountEmail: "tasks@acme-shop-dev.iam.gserviceaccount.com",
          // Cloud Tasks takes a queue-level OIDC account only with an audience: the target's origin.
          oidcAudience: "https://worker-4k7mfq2xba-ew.a.run.app",
          // The account calls the target's Cloud Run service, so it gets run.invoker there.
          invokerCloudRunService: "worker",
        },
      },
      {
        name: "digests",
        notes: [],
        args: {
          location: "europe-west1",
          queueName: "digests",
          maxDispatchesPerSecond: 0.5,
          maxConcurrentDispatches: 1000,
          allowUnlimitedRetries: true,
          maxRetryDurationSeconds: 172_800,
          minBackoffSeconds: 0.1,
          maxBackoffSeconds: 3600,
          maxDoublings: 16,
        },
      },
    ]);
  });

  it("keeps task_retry_limit and task_age_limit together, with a note that both must be reached", () => {
    const text = [
      "queue:",
      "- name: exports",
      "  rate: 2/s",
      "  target: worker",
      "  retry_parameters: { task_retry_limit: 4, task_age_limit: 1h }",
    ].join("\n");
    expect(scheduling.importAppEngineQueues(text, options)).toEqual([
      {
        name: "exports",
        notes: [
          "task_retry_limit and task_age_limit kept together as maxAttempts 5 and maxRetryDurationSeconds 3600: as in App Engine, a failing task is retried until both are reached, so the age limit lengthens retries rather than cutting them short",
        ],
        args: {
          location: "europe-west1",
          queueName: "exports",
          maxDispatchesPerSecond: 2,
          maxConcurrentDispatches: 1000,
          maxAttempts: 5,
          maxRetryDurationSeconds: 3600,
          minBackoffSeconds: 0.1,
          maxBackoffSeconds: 3600,
          maxDoublings: 16,
          targetHost: "worker-4k7mfq2xba-ew.a.run.app",
          invokerServiceAccountEmail: "tasks@acme-shop-dev.iam.gserviceaccount.com",
          oidcAudience: "https://worker-4k7mfq2xba-ew.a.run.app",
          invokerCloudRunService: "worker",
        },
      },
    ]);
  });

  it("accepts bucket_size and drops it with a note: Cloud Tasks picks the burst size", () => {
    // RateLimits.max_burst_size is output only in the Cloud Tasks API (and "(Output)" in the
    // provider): no queue taskstack declares can carry it.
    const text = ["queue:", "- name: bursty", "  rate: 5/s", "  bucket_size: 20"].join("\n");
    const [queue] = scheduling.importAppEngineQueues(
      `${text}\n  retry_parameters: { task_retry_limit: 3 }`,
      options,
    );
    expect(queue?.notes).toEqual([
      "bucket_size 20 dropped: Cloud Tasks picks a queue's burst size itself from its rate (5/s), and its API takes none",
    ]);
    expect(Object.keys(queue?.args ?? {})).not.toContain("maxBurstSize");
  });

  it("refuses a pull queue, a bucket size App Engine would refuse and unbounded retries with the nearest alternative", () => {
    const text = [
      "queue:",
      "- name: pulled",
      "  mode: pull",
      "- name: bursty",
      "  rate: 5/s",
      "  bucket_size: 501",
      "  retry_parameters: { task_retry_limit: 3 }",
      "- name: forever",
      "  rate: 5/s",
    ].join("\n");
    expect(() =>
      scheduling.importAppEngineQueues(text, { ...options, source: "queue.yaml" }),
    ).toThrow(
      new TaskstackInputError([
        'queue.yaml: queue[0].mode: expected a push queue (Cloud Tasks has no pull queues), got "pull". Use a Pub/Sub topic with a pull subscription (messaging.PubSubTopic) instead',
        "queue.yaml: queue[1].bucket_size: expected an integer from 0 to 500, as App Engine took it, got 501",
        "queue.yaml: queue[2].retry_parameters.task_retry_limit: expected a retry limit (without task_retry_limit or task_age_limit a task is retried forever), got nothing. Set task_retry_limit, or task_age_limit to bound retries by time",
      ]),
    );
  });
});

describe("the importers", () => {
  it("only ever fail with a TaskstackInputError, whatever text they are given", () => {
    const outcomes: Outcomes = { accepted: 0, rejected: 0 };
    const scheduleText = fc.oneof(
      fc.string(),
      fc
        .tuple(
          fc.constantFrom("every", "1st", "2nd,third", "1,15", "every 5", "every 2", "every 90"),
          fc.constantFrom(
            "minutes",
            "hours",
            "day",
            "monday",
            "mon,wed",
            "of",
            "synchronized",
            "mins",
          ),
          fc.constantFrom("", " of march", " of month", " from 10:00 to 14:00", " synchronized"),
          fc.constantFrom(" 09:00", " 25:00", "", " 23:59"),
        )
        .map(([a, b, c, d]) => `${a} ${b}${c}${d}`),
    );
    assertExercised(outcomes, { accepted: 10, rejected: 10 }, (params) => {
      fc.assert(
        fc.property(scheduleText, (schedule) =>
          failsOnlyWithInputErrors(
            () =>
              scheduling.importAppEngineCron(
                `cron:\n- url: /x\n  schedule: ${JSON.stringify(schedule)}\n`,
                options,
              ),
            outcomes,
          ),
        ),
        { numRuns: 500, ...params },
      );
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string(),
            fc.jsonValue().map((v) => JSON.stringify(v)),
          ),
          (text) =>
            failsOnlyWithInputErrors(
              () => scheduling.importAppEngineCron(text, options),
              outcomes,
            ) &&
            failsOnlyWithInputErrors(
              () => scheduling.importAppEngineQueues(text, options),
              outcomes,
            ),
        ),
        { numRuns: 300, ...params },
      );
      fc.assert(
        fc.property(
          fc.record(
            {
              name: fc.oneof(fc.constant("q1"), fc.string()),
              rate: fc.oneof(fc.constantFrom("5/s", "1/d", "0/s", "600/s", "3/m"), fc.anything()),
              max_concurrent_requests: fc.anything(),
              mode: fc.constantFrom("push", "pull", 3),
              retry_parameters: fc.oneof(
                fc.record({ task_retry_limit: fc.integer({ min: -1, max: 120 }) }),
                fc.anything(),
              ),
            },
            { requiredKeys: ["name", "rate", "retry_parameters"] },
          ),
          (queue) =>
            failsOnlyWithInputErrors(
              () => scheduling.importAppEngineQueues(JSON.stringify({ queue: [queue] }), options),
              outcomes,
            ),
        ),
        { numRuns: 300, ...params },
      );
    });
  });
});
