import fc from "fast-check";
import type { ICronJob } from "kubernetes-models/batch/v1/CronJob";
import { describe, expect, it } from "vitest";
import { scheduling, TaskstackInputError } from "../../../components";
import { defaultStartingDeadlineSeconds } from "../../../components/scheduling/kubernetes-cron-job-schema";
import { runProgram } from "../../../testing";
import { assertExercised, failsOnlyWithInputErrors } from "../../support/properties";
import type { Outcomes } from "../../support/properties";

const CRONJOB = "kubernetes:batch/v1:CronJob";
const resources = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "500m", memory: "512Mi" },
};
const base = {
  namespace: "taskstack",
  schedule: "0 2 * * *",
  image: "ghcr.io/acme/reports:1.4.2",
  resources,
};

describe("KubernetesCronJob defaults", () => {
  it("declares one CronJob with a starting deadline inside the interval, Forbid, history and a hardened pod", async () => {
    const plan = await runProgram(() => {
      new scheduling.KubernetesCronJob("nightly-report", base);
    });
    expect(plan.resourceCount(scheduling.KubernetesCronJob)).toBe(1);
    expect(plan.resources.filter((r) => r.custom).map((r) => `${r.type} ${r.name}`)).toEqual([
      `${CRONJOB} nightly-report-cronjob`,
    ]);
    const labels = {
      "app.kubernetes.io/name": "nightly-report",
      "app.kubernetes.io/component": "cronjob",
      "app.kubernetes.io/managed-by": "taskstack",
    };
    expect(plan.get(CRONJOB, "nightly-report-cronjob").inputs).toEqual({
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "nightly-report", namespace: "taskstack", labels },
      spec: {
        schedule: "0 2 * * *",
        timeZone: "Etc/UTC",
        startingDeadlineSeconds: 3600,
        concurrencyPolicy: "Forbid",
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        suspend: false,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 2,
            // A run that starts an hour late and uses all of it ends as the next one is due.
            activeDeadlineSeconds: 82_800,
            template: {
              metadata: { labels },
              spec: {
                restartPolicy: "Never",
                // The default service account, whose token the job has no use for.
                automountServiceAccountToken: false,
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: 65532,
                  runAsGroup: 65532,
                  fsGroup: 65532,
                  seccompProfile: { type: "RuntimeDefault" },
                },
                volumes: [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }],
                containers: [
                  {
                    name: "job",
                    image: "ghcr.io/acme/reports:1.4.2",
                    env: [],
                    resources,
                    securityContext: {
                      runAsNonRoot: true,
                      runAsUser: 65532,
                      allowPrivilegeEscalation: false,
                      readOnlyRootFilesystem: true,
                      privileged: false,
                      capabilities: { drop: ["ALL"] },
                    },
                    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                  },
                ],
              },
            },
          },
        },
      },
    });
  });

  it.each([
    [60, 30],
    [300, 150],
    [3600, 1800],
    // A nightly run still starts after a controller outage of up to an hour.
    [86_400, 3600],
  ])("a shortest interval of %i s gives a starting deadline of %i s", (interval, deadline) => {
    expect(defaultStartingDeadlineSeconds(interval)).toBe(deadline);
  });
});

describe("KubernetesCronJob custom", () => {
  it("passes the time zone, policies, limits, env and Secret references through", async () => {
    const plan = await runProgram(() => {
      new scheduling.KubernetesCronJob("backup", {
        ...base,
        cronJobName: "db-backup",
        schedule: "*/15 * * * *",
        timeZone: "Europe/Paris",
        command: ["/app/backup"],
        args: ["--full", "--password=$(DB_PASSWORD)", "--batch-size=500"],
        env: { TARGET: "s3://backups" },
        secretEnv: { DB_PASSWORD: { name: "db", key: "password" } },
        startingDeadlineSeconds: 120,
        concurrencyPolicy: "Replace",
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 5,
        backoffLimit: 0,
        activeDeadlineSeconds: 600,
        suspend: true,
        runAsUser: 1000,
        serviceAccountName: "backup",
      });
    });
    const cronJob = plan.get(CRONJOB, "backup-cronjob").inputs as unknown as ICronJob;
    const spec = cronJob.spec!;
    expect(plan.get(CRONJOB, "backup-cronjob").inputs["metadata"]).toMatchObject({
      name: "db-backup",
    });
    expect(spec).toMatchObject({
      schedule: "*/15 * * * *",
      timeZone: "Europe/Paris",
      startingDeadlineSeconds: 120,
      concurrencyPolicy: "Replace",
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 5,
      suspend: true,
      jobTemplate: { spec: { backoffLimit: 0, activeDeadlineSeconds: 600 } },
    });
    expect(spec.jobTemplate.spec).not.toHaveProperty("ttlSecondsAfterFinished");
    const pod = spec.jobTemplate.spec!.template.spec!;
    expect(pod.serviceAccountName).toBe("backup");
    // A named account keeps its own token setting.
    expect(pod).not.toHaveProperty("automountServiceAccountToken");
    expect(pod.securityContext!.runAsUser).toBe(1000);
    expect(pod.containers[0]).toMatchObject({
      command: ["/app/backup"],
      // A reference the kubelet expands from the Secret is not a secret in plain text.
      args: ["--full", "--password=$(DB_PASSWORD)", "--batch-size=500"],
      env: [
        { name: "TARGET", value: "s3://backups" },
        { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
      ],
    });
  });

  it("takes macros and reads the interval in the schedule's zone (a 23-hour day in spring)", async () => {
    const plan = await runProgram(() => {
      new scheduling.KubernetesCronJob("daily", {
        ...base,
        schedule: "@daily",
        timeZone: "Europe/Paris",
      });
    });
    expect(plan.get(CRONJOB, "daily-cronjob").inputs["spec"]).toMatchObject({
      schedule: "@daily",
      timeZone: "Europe/Paris",
      startingDeadlineSeconds: 3600,
      jobTemplate: { spec: { activeDeadlineSeconds: 79_200 } },
    });
  });
});

describe("KubernetesCronJob daylight saving", () => {
  it("keeps the controller's behaviour when asked, and a fixed offset written as Etc/GMT+5", async () => {
    const plan = await runProgram(() => {
      new scheduling.KubernetesCronJob("paris", {
        ...base,
        schedule: "0 2 * * *",
        timeZone: "Europe/Paris",
        allowDaylightSavingTransitions: true,
      });
      new scheduling.KubernetesCronJob("fixed", { ...base, timeZone: "Etc/GMT+5" });
    });
    // The shortest interval is the hour between the two runs of 2026-10-25.
    expect(plan.get(CRONJOB, "paris-cronjob").inputs["spec"]).toMatchObject({
      schedule: "0 2 * * *",
      startingDeadlineSeconds: 1800,
      jobTemplate: { spec: { activeDeadlineSeconds: 1800 } },
    });
    expect(plan.get(CRONJOB, "fixed-cronjob").inputs["spec"]).toMatchObject({
      timeZone: "Etc/GMT+5",
    });
  });
});

describe("KubernetesCronJob resources", () => {
  it("takes decimal-kilo memory quantities (lowercase k) and compares them to the limit", async () => {
    const plan = await runProgram(() => {
      new scheduling.KubernetesCronJob("small", {
        ...base,
        resources: {
          requests: { cpu: "100m", memory: "500k" },
          limits: { cpu: "500m", memory: "512Mi" },
        },
      });
    });
    const cronJob = plan.get(CRONJOB, "small-cronjob").inputs as unknown as ICronJob;
    expect(cronJob.spec!.jobTemplate.spec!.template.spec!.containers[0]!.resources).toEqual({
      requests: { cpu: "100m", memory: "500k" },
      limits: { cpu: "500m", memory: "512Mi" },
    });
    expect(() =>
      scheduling.validateKubernetesCronJobArgs("small", {
        ...base,
        resources: {
          requests: { cpu: "100m", memory: "600000k" },
          limits: { cpu: "500m", memory: "512Mi" },
        },
      }),
    ).toThrow(
      'KubernetesCronJob "small" resources.requests.memory: expected at most limits.memory (512Mi), got "600000k"',
    );
  });
});

describe("KubernetesCronJob bad input", () => {
  const fails = (name: string, args: unknown) => () =>
    new scheduling.KubernetesCronJob(name, args as scheduling.KubernetesCronJobArgs);

  it.each([
    [
      "a starting deadline under 10 s",
      { startingDeadlineSeconds: 5 },
      'KubernetesCronJob "job" startingDeadlineSeconds: expected an integer from 10 to 31622400, got 5',
    ],
    [
      "a starting deadline as long as the interval",
      { schedule: "*/5 * * * *", startingDeadlineSeconds: 300 },
      `KubernetesCronJob "job" startingDeadlineSeconds: expected an integer from 10 to 299 (shorter than the schedule's shortest interval, 300 s), got 300. A deadline that long lets a late run start after the next one was due`,
    ],
    [
      "a CRON_TZ= schedule",
      { schedule: "CRON_TZ=Europe/Paris 0 2 * * *" },
      'KubernetesCronJob "job" schedule: expected a schedule without a time zone prefix (set the timeZone field instead of CRON_TZ=/TZ=), got "CRON_TZ=Europe/Paris 0 2 * * *"',
    ],
    [
      "missing limits",
      { resources: { requests: resources.requests } },
      'KubernetesCronJob "job" resources.limits: expected limits: cpu and memory, got nothing',
    ],
    [
      "a request above its limit",
      { resources: { ...resources, requests: { cpu: "1", memory: "128Mi" } } },
      'KubernetesCronJob "job" resources.requests.cpu: expected at most limits.cpu (500m), got "1"',
    ],
    [
      "a :latest image",
      { image: "ghcr.io/acme/reports:latest" },
      'KubernetesCronJob "job" image: expected an image with a version tag or digest, not :latest, got "ghcr.io/acme/reports:latest"',
    ],
    [
      "a plain-text password",
      { env: { DB_PASSWORD: "hunter2" } },
      'KubernetesCronJob "job" env.DB_PASSWORD: expected a value that is not a secret (secrets come from a Secret through secretEnv), got "[redacted]". Move it to secretEnv: { NAME: { name: <secret>, key: <key> } }',
    ],
    [
      "a password in the arguments",
      { args: ["--full", "--db-password=hunter2"] },
      'KubernetesCronJob "job" args[1]: expected an argument without a secret in it (an argument is readable by anyone who can read the workload), got "[redacted]". Read the secret through secretEnv and refer to it as $(NAME) in the argument',
    ],
    [
      "a URL with credentials in an sh -c command",
      { command: ["sh", "-c", "pg_dump postgres://backup:hunter2@db:5432/shop > /tmp/dump"] },
      'KubernetesCronJob "job" command[2]: expected an argument without a secret in it (an argument is readable by anyone who can read the workload), got "[redacted]". Read the secret through secretEnv and refer to it as $(NAME) in the argument',
    ],
    [
      "a memory quantity with an uppercase K (Kubernetes' kilo is k)",
      { resources: { ...resources, requests: { cpu: "100m", memory: "128000K" } } },
      'KubernetesCronJob "job" resources.requests.memory: expected a memory quantity such as "256Mi" or "1Gi", got "128000K"',
    ],
    [
      "a nightly run in Paris's daylight-saving window (robfig skips it on one day, runs it twice on another)",
      { schedule: "0 2 * * *", timeZone: "Europe/Paris" },
      `KubernetesCronJob "job" schedule: expected local run times outside Europe/Paris's daylight-saving changes (02:00-02:59), got "0 2 * * *". As written it would not run on 2026-03-29 and would run twice on 2026-10-25. Pick a time outside 02:00-02:59, or use timeZone Etc/UTC, or set allowDaylightSavingTransitions: true to keep the scheduler's own behaviour`,
    ],
    [
      "a Sunday run in Chicago's repeated hour",
      { schedule: "30 1 * * 0", timeZone: "America/Chicago" },
      `KubernetesCronJob "job" schedule: expected local run times outside America/Chicago's daylight-saving changes (01:00-01:59), got "30 1 * * 0". As written it would run twice on 2026-11-01. Pick a time outside 01:00-01:59, or use timeZone Etc/UTC, or set allowDaylightSavingTransitions: true to keep the scheduler's own behaviour`,
    ],
    [
      "a legacy zone name with no daylight saving",
      { timeZone: "EST" },
      'KubernetesCronJob "job" timeZone: expected a city time zone such as America/New_York: EST is a legacy name whose daylight-saving rules are not a city\'s (write Etc/GMT±N if a fixed offset is really meant), got "EST"',
    ],
    [
      "a run deadline that overlaps the next run",
      { schedule: "0 * * * *", activeDeadlineSeconds: 3600 },
      `KubernetesCronJob "job" activeDeadlineSeconds: expected an integer from 1 to 1800 (the shortest interval, 3600 s, less the starting deadline, 1800 s), got 3600. A run that starts late and uses all of it would still be running when the next is due`,
    ],
    [
      "a day of week of 7 (robfig reads 0-6)",
      { schedule: "0 4 * * 7" },
      `KubernetesCronJob "job" schedule: expected unix cron (the day of week field's "7" is outside 0-6), got "0 4 * * 7"`,
    ],
    [
      "an unknown time zone",
      { timeZone: "Mars/Olympus" },
      'KubernetesCronJob "job" timeZone: expected an IANA time zone such as Europe/Paris or Etc/UTC, got "Mars/Olympus"',
    ],
  ])("refuses %s with one clear error", (_title, change, message) => {
    expect(fails("job", { ...base, ...change })).toThrow(new TaskstackInputError([message]));
  });

  it("refuses a name the controller cannot suffix", () => {
    expect(fails("a".repeat(53), base)).toThrow(
      /cronJobName: expected at most 52 characters \(the controller appends 11 to name each Job\)/,
    );
  });

  it("lists every problem at once and declares nothing", async () => {
    let problems: readonly string[] = [];
    const plan = await runProgram(() => {
      try {
        fails("job", {
          ...base,
          startingDeadlineSeconds: 5,
          schedule: "TZ=UTC @daily",
          resources: {},
        })();
      } catch (err) {
        problems = (err as TaskstackInputError).problems;
      }
    });
    expect(problems).toEqual([
      'KubernetesCronJob "job" schedule: expected a schedule without a time zone prefix (set the timeZone field instead of CRON_TZ=/TZ=), got "TZ=UTC @daily"',
      'KubernetesCronJob "job" resources.requests: expected requests: cpu and memory, got nothing',
      'KubernetesCronJob "job" resources.limits: expected limits: cpu and memory, got nothing',
      'KubernetesCronJob "job" startingDeadlineSeconds: expected an integer from 10 to 31622400, got 5',
    ]);
    expect(plan.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
  });

  it("fails only with input errors, for any deadline and schedule", () => {
    const outcomes: Outcomes = { accepted: 0, rejected: 0 };
    const schedules = [
      "* * * * *",
      "*/5 * * * *",
      "0 * * * *",
      "@daily",
      "0 2 * * 1",
      "bad",
      "CRON_TZ=UTC * * * * *",
    ];
    assertExercised(outcomes, { accepted: 10, rejected: 10 }, (params) => {
      fc.assert(
        fc.property(
          fc.constantFrom(...schedules),
          fc.oneof(fc.integer({ min: -5, max: 100_000 }), fc.constant(undefined), fc.string()),
          fc.constantFrom(undefined, "Europe/Paris", "Nowhere/Land", "UTC"),
          (schedule, startingDeadlineSeconds, timeZone) =>
            failsOnlyWithInputErrors(
              () =>
                scheduling.validateKubernetesCronJobArgs("job", {
                  ...base,
                  schedule,
                  startingDeadlineSeconds,
                  timeZone,
                }),
              outcomes,
            ),
        ),
        { numRuns: 80, ...params },
      );
    });
  });
});
