import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { TaskstackInputError } from "../../components";
import { parseOrThrow } from "../../components/shared/schema";
import { parseStackConfig } from "../../stacks/config";
import type { StackConfig } from "../../stacks/config";
import { buildEnvironment } from "../../stacks/environment";
import {
  workloadsStackRules,
  workloadsStackShape,
} from "../../stacks/sections/kubernetes-workloads";
import { stackRules } from "../../stacks/sections/rules";
import type { Environment } from "../../stacks/sections/rules";
import { runProgram } from "../../testing";
import { assertExercised, failsOnlyWithInputErrors } from "../support/properties";
import type { Outcomes } from "../support/properties";

const resources = {
  requests: { cpu: "100m", memory: "256Mi" },
  limits: { cpu: "1", memory: "1Gi" },
};
const pool = {
  name: "shop",
  image: "ghcr.io/acme/shop-worker:2.3.0",
  app: "shop.worker",
  queues: [
    { name: "fast", taskTimeLimitSeconds: 60, replicas: 2, resources },
    { name: "slow", taskTimeLimitSeconds: 1800, replicas: 2, resources },
  ],
};
const nightly = {
  name: "nightly-report",
  schedule: "0 2 * * *",
  image: "ghcr.io/acme/reports:1.0.0",
  resources,
};
/** The RabbitMQ part of the section, as RabbitMqCluster's stack shape will hold it. */
const rabbitmq = { name: "tasks", queues: [{ name: "fast" }, { name: "slow" }] };

/**
 * The workloads part with the RabbitMQ key it reads, refined by its stack rules: the RabbitMQ
 * shape is the RabbitMQ engineer's, so here it is any mapping.
 */
function section(environment: Environment) {
  const inner = z.strictObject({
    namespace: z.string().default("taskstack"),
    rabbitmq: z.unknown().optional(),
    ...workloadsStackShape,
  });
  // As in stacks/config.ts: the section's rules run on the whole config and report full paths.
  return z
    .strictObject({ "taskstack:kubernetes": inner })
    .superRefine((c, ctx) =>
      workloadsStackRules(c["taskstack:kubernetes"], stackRules(environment, ctx)),
    );
}

function problemsOf(value: unknown, environment: Environment = "dev"): readonly string[] {
  try {
    parseOrThrow(
      section(environment),
      { "taskstack:kubernetes": value },
      "stacks/Pulumi.dev.yaml: ",
    );
    return [];
  } catch (err) {
    if (err instanceof TaskstackInputError) return err.problems;
    throw err;
  }
}

/** Each field of an object as a constant arbitrary. */
function constants<T extends object>(o: T): { [K in keyof T]: fc.Arbitrary<T[K]> } {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fc.constant(v)])) as {
    [K in keyof T]: fc.Arbitrary<T[K]>;
  };
}

const at = "stacks/Pulumi.dev.yaml: taskstack:kubernetes.";

describe("taskstack:kubernetes workloads", () => {
  it("accepts pools on the cluster's queues and CronJobs", () => {
    expect(problemsOf({ rabbitmq, workerPools: [pool], cronJobs: [nightly] }, "prod")).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, Environment, string[]]>([
    [
      "a queue the cluster does not declare",
      { rabbitmq, workerPools: [{ ...pool, queues: [{ ...pool.queues[0], name: "fsat" }] }] },
      "dev",
      [
        `${at}workerPools[0].queues[0].name: expected a queue of the stack's RabbitMQ cluster (one of fast, slow), got "fsat". Declare the queue in rabbitmq.queues or fix the name`,
      ],
    ],
    [
      "a pool without a cluster",
      { workerPools: [{ ...pool, queues: [pool.queues[0]] }] },
      "dev",
      [
        `${at}workerPools[0].queues[0].name: expected a queue of the stack's RabbitMQ cluster (taskstack:kubernetes.rabbitmq declares none), got "fast". Declare the queue in rabbitmq.queues or fix the name`,
      ],
    ],
    [
      "one worker per queue in prod",
      {
        rabbitmq,
        workerPools: [
          {
            ...pool,
            queues: [
              { ...pool.queues[0], replicas: 1 },
              {
                name: "slow",
                taskTimeLimitSeconds: 60,
                resources,
                autoscaling: { maxReplicas: 4 },
              },
            ],
          },
        ],
      },
      "prod",
      [
        `${at}workerPools[0].queues[0].replicas: expected at least 2 workers per queue in prod (replicas, or autoscaling.minReplicas), so a node loss does not stop the queue, got 1`,
        `${at}workerPools[0].queues[1].autoscaling: expected at least 2 workers per queue in prod (replicas, or autoscaling.minReplicas), so a node loss does not stop the queue, got {"maxReplicas":4}`,
      ],
    ],
    [
      "two CronJobs with one name",
      { cronJobs: [nightly, nightly] },
      "dev",
      [
        `${at}cronJobs[1].name: expected names that no other component derives: CronJob "taskstack/nightly-report" is derived from both cronJobs[0] (nightly-report) and cronJobs[1] (nightly-report), got "nightly-report". Rename one of them`,
      ],
    ],
    [
      "a starting deadline as long as the schedule's interval",
      { cronJobs: [{ ...nightly, schedule: "*/10 * * * *", startingDeadlineSeconds: 600 }] },
      "dev",
      [
        `${at}cronJobs[0].startingDeadlineSeconds: expected an integer from 10 to 599 (shorter than the schedule's shortest interval, 600 s), got 600. A deadline that long lets a late run start after the next one was due`,
      ],
    ],
    [
      "a CRON_TZ= schedule and a deadline under 10 s",
      { cronJobs: [{ ...nightly, schedule: "CRON_TZ=UTC 0 2 * * *", startingDeadlineSeconds: 9 }] },
      "dev",
      [
        `${at}cronJobs[0].schedule: expected a schedule without a time zone prefix (set the timeZone field instead of CRON_TZ=/TZ=), got "CRON_TZ=UTC 0 2 * * *"`,
        `${at}cronJobs[0].startingDeadlineSeconds: expected an integer from 10 to 31622400, got 9`,
      ],
    ],
    [
      "a worker queue type other than the cluster's",
      {
        rabbitmq: { name: "tasks", queues: [{ name: "fast", type: "classic" }, { name: "slow" }] },
        workerPools: [
          { ...pool, queues: [pool.queues[0], { ...pool.queues[1], queueType: "classic" }] },
        ],
      },
      "dev",
      [
        `${at}workerPools[0].queues[0].queueType: expected "classic", the type rabbitmq.queues gives "fast" (RabbitMQ refuses a worker's declaration of another type), got "quorum". Set queueType: classic`,
        `${at}workerPools[0].queues[1].queueType: expected "quorum", the type rabbitmq.queues gives "slow" (RabbitMQ refuses a worker's declaration of another type), got "classic". Set queueType: quorum`,
      ],
    ],
    [
      "a password in a CronJob's command",
      { cronJobs: [{ ...nightly, command: ["report", "--smtp-password=hunter2"] }] },
      "dev",
      [
        `${at}cronJobs[0].command[1]: expected an argument without a secret in it (an argument is readable by anyone who can read the workload), got "[redacted]". Read the secret through secretEnv and refer to it as $(NAME) in the argument`,
      ],
    ],
    [
      "a grace period below the task time limit",
      {
        rabbitmq,
        workerPools: [
          { ...pool, queues: [{ ...pool.queues[1], terminationGracePeriodSeconds: 30 }] },
        ],
      },
      "dev",
      [
        `${at}workerPools[0].queues[0].terminationGracePeriodSeconds: expected at least taskTimeLimitSeconds (1800): a rollout would kill tasks still within their time limit, got 30. Raise it to 1830 or leave it unset`,
      ],
    ],
    [
      "a consumer timeout below the workers' longest hold",
      {
        rabbitmq: { ...rabbitmq, queues: [{ name: "fast", consumerTimeoutSeconds: 120 }] },
        workerPools: [{ ...pool, queues: [{ ...pool.queues[0], prefetchMultiplier: 2 }] }],
      },
      "dev",
      [
        `${at}rabbitmq.queues[0].consumerTimeoutSeconds: expected at least 240 s for the workers of "fast" (taskTimeLimitSeconds × (prefetchMultiplier + 1) + 60 = 60 × 3 + 60): a task waiting behind running ones longer closes the worker's channel (406 PRECONDITION_FAILED) and Celery stops consuming, got 120. Raise it to 240 or leave it out (the stack derives it from the workers)`,
      ],
    ],
    [
      "early ack and a prefetch above 1 on a queue that dead-letters, and a time limit too long for any consumer timeout",
      {
        rabbitmq: {
          ...rabbitmq,
          queues: [{ name: "fast", deadLetterExchange: "dlx" }, { name: "slow" }],
        },
        workerPools: [
          {
            ...pool,
            queues: [
              { ...pool.queues[0], acksLate: false, prefetchMultiplier: 4 },
              { ...pool.queues[1], taskTimeLimitSeconds: 86_400, prefetchMultiplier: 8 },
            ],
          },
        ],
      },
      "dev",
      [
        `${at}workerPools[0].queues[0].acksLate: expected late ack on "fast", which dead-letters: with early ack a task killed mid-run is lost, and only reserved tasks that never ran reach the dead-letter queue, got false. Remove acksLate: false`,
        `${at}workerPools[0].queues[0].prefetchMultiplier: expected 1 on "fast", which dead-letters: every worker restart returns each process's reserved messages, and each return counts towards the delivery limit, got 4. Set prefetchMultiplier: 1 (raise concurrency for throughput)`,
        `${at}workerPools[0].queues[1].taskTimeLimitSeconds: expected a time limit whose consumer timeout (taskTimeLimitSeconds × (prefetchMultiplier + 1) + 60 = 86400 × 9 + 60 = 777660 s) is at most 604800 s, got 86400. Lower the time limit or the prefetch multiplier`,
      ],
    ],
  ])("refuses %s", (_title, k, environment, expected) => {
    expect(problemsOf(k, environment)).toEqual(expected);
  });

  it("is part of the stack file's kubernetes section", () => {
    const config = parseStackConfig({
      "taskstack:environment": "dev",
      "taskstack:gcp": { project: "acme-shop-dev", region: "europe-west1" },
      "taskstack:kubernetes": { cronJobs: [nightly] },
    });
    expect(config["taskstack:kubernetes"]?.cronJobs.map((c) => c.name)).toEqual(["nightly-report"]);
    expect(config["taskstack:kubernetes"]?.workerPools).toEqual([]);
  });

  it("wires pools to the cluster's broker Secret and CronJobs into the namespace", async () => {
    const base = parseStackConfig({
      "taskstack:environment": "dev",
      "taskstack:gcp": { project: "acme-shop-dev", region: "europe-west1" },
    });
    const config = {
      ...base,
      "taskstack:kubernetes": {
        namespace: "shop",
        rabbitmq,
        workerPools: [pool],
        cronJobs: [nightly],
      },
    } as unknown as StackConfig;
    const plan = await runProgram(() => buildEnvironment(config));
    expect(plan.outputs["workerDeployments"]).toEqual({
      "shop/fast": "shop-fast",
      "shop/slow": "shop-slow",
    });
    expect(plan.outputs["cronJobs"]).toEqual(["nightly-report"]);
    const deployment = plan.get("kubernetes:apps/v1:Deployment", "shop-fast-deployment");
    expect(deployment.inputs).toMatchObject({
      metadata: { name: "shop-fast", namespace: "shop" },
      spec: {
        template: {
          spec: {
            containers: [
              {
                command: ["celery", "--app", "taskstack_celery", "worker"],
                env: [
                  { name: "PYTHONPATH", value: "/etc/taskstack/celery" },
                  { name: "TASKSTACK_CELERY_QUEUE", value: "fast" },
                  {
                    name: "CELERY_BROKER_URL",
                    valueFrom: { secretKeyRef: { name: "tasks-broker", key: "url" } },
                  },
                ],
              },
            ],
          },
        },
      },
    });
    plan.hasResource("kubernetes:core/v1:ConfigMap", {
      metadata: { name: "shop-celery-bootstrap", namespace: "shop" },
    });
    plan.hasResource("kubernetes:batch/v1:CronJob", {
      metadata: { name: "nightly-report", namespace: "shop" },
    });
  });

  it("a section that validates never fails later inside a component", async () => {
    const outcomes: Outcomes = { accepted: 0, rejected: 0 };
    const base = parseStackConfig({
      "taskstack:environment": "dev",
      "taskstack:gcp": { project: "acme-shop-dev", region: "europe-west1" },
    });
    const queue = fc.record({
      name: fc.constantFrom("fast", "slow", "other"),
      queueType: fc.option(fc.constantFrom("quorum", "classic", "stream"), { nil: undefined }),
      taskTimeLimitSeconds: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constant("x")),
      terminationGracePeriodSeconds: fc.option(fc.integer({ min: 0, max: 5000 }), {
        nil: undefined,
      }),
      concurrency: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
      resources: fc.constantFrom(resources, { requests: resources.requests }),
    });
    const cron = fc.record({
      name: fc.constantFrom("a", "b", "nightly-report"),
      schedule: fc.constantFrom("* * * * *", "@hourly", "0 2 * * *", "61 * * * *", "TZ=UTC @daily"),
      startingDeadlineSeconds: fc.option(fc.integer({ min: 0, max: 4000 }), { nil: undefined }),
      image: fc.constantFrom("ghcr.io/acme/r:1", "ghcr.io/acme/r:latest", "r"),
      resources: fc.constant(resources),
    });
    const candidates: unknown[] = [];
    assertExercised(outcomes, { accepted: 10, rejected: 10 }, (params) => {
      fc.assert(
        fc.property(
          fc.array(fc.record({ ...constants(pool), queues: fc.array(queue, { maxLength: 3 }) }), {
            maxLength: 2,
          }),
          fc.array(cron, { maxLength: 2 }),
          (workerPools, cronJobs) =>
            failsOnlyWithInputErrors(() => {
              const c = parseOrThrow(
                section("dev"),
                { "taskstack:kubernetes": { rabbitmq, workerPools, cronJobs } },
                "",
              );
              candidates.push(c["taskstack:kubernetes"]);
            }, outcomes),
        ),
        { numRuns: 100, ...params },
      );
    });
    // Every accepted section declares its components without an error.
    for (const k of candidates.slice(0, 8)) {
      const config = { ...base, "taskstack:kubernetes": k } as unknown as StackConfig;
      await expect(runProgram(() => buildEnvironment(config))).resolves.toBeDefined();
    }
  });
});
