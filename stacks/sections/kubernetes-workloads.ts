import { z } from "zod";
import { kubernetesCronJobDerivedNames } from "../../components/scheduling/kubernetes-cron-job";
import {
  kubernetesCronJobRules,
  kubernetesCronJobShape,
  maxCronJobNameLength,
} from "../../components/scheduling/kubernetes-cron-job-schema";
import { kubernetesName } from "../../lib/kubernetes-workload";
import { always, expected } from "../../components/shared/schema";
import { queueDefaults } from "../../components/messaging/rabbitmq-config";
import {
  celeryWorkerPoolDerivedNames,
  celeryWorkerPoolRules,
  celeryWorkerPoolShape,
  maxConsumerTimeoutSeconds,
  requiredConsumerTimeoutSeconds,
  workerPoolDefaults,
  workerQueueDefaults,
} from "../../components/workers/celery-worker-pool-schema";
import type { StackRules } from "./rules";

/**
 * A stack file's worker pool: CeleryWorkerPool's args with `name` as the component's name and
 * the Deployments' prefix. The stack sets the namespace and the broker Secret (the RabbitMQ
 * cluster's `<cluster>-broker`), so a pool cannot point at another broker by mistake.
 */
const workerPool = z
  .strictObject({ name: kubernetesName, ...celeryWorkerPoolShape }, expected("a worker pool"))
  .superRefine(celeryWorkerPoolRules("name"), always);

/** A stack file's CronJob: KubernetesCronJob's args with `name` as the CronJob's name. */
const cronJob = z
  .strictObject(
    {
      name: kubernetesName.refine(
        (n) => n.length <= maxCronJobNameLength,
        expected(
          `at most ${maxCronJobNameLength} characters (the controller appends 11 to name each Job)`,
        ),
      ),
      ...kubernetesCronJobShape,
    },
    expected("a CronJob"),
  )
  .superRefine(kubernetesCronJobRules, always);

/** Worker pools and CronJobs of `taskstack:kubernetes`. */
export const workloadsStackShape = {
  /** Celery worker pools, one Deployment per queue, consuming the RabbitMQ cluster's queues. */
  workerPools: z.array(workerPool, expected("a list of worker pools")).default([]),
  /** Scheduled jobs (reports, backups) as Kubernetes CronJobs. */
  cronJobs: z.array(cronJob, expected("a list of CronJobs")).default([]),
};

export type WorkerPoolConfig = z.output<typeof workerPool>;
export type CronJobConfig = z.output<typeof cronJob>;

/** The RabbitMQ cluster's name, if the stack declares one (its section is RabbitMqCluster's). */
export function rabbitMqClusterName(k: Record<string, unknown>): string | undefined {
  const name = (k["rabbitmq"] as { name?: unknown } | undefined)?.name;
  return typeof name === "string" ? name : undefined;
}

/** The Secret a RabbitMqCluster named `cluster` keeps its AMQP URL in (key `url`). */
export const brokerSecretName = (cluster: string): string => `${cluster}-broker`;

/** What the workloads' rules read of one of the cluster's queues. */
interface BrokerQueue {
  readonly index: number;
  readonly type: unknown;
  readonly deadLetterExchange: unknown;
  readonly consumerTimeoutSeconds: unknown;
}

/** The queues the stack's RabbitMQ cluster declares, by name, read defensively. */
function rabbitMqQueues(k: Record<string, unknown>): Map<string, BrokerQueue> | undefined {
  const rabbitmq = k["rabbitmq"] as { queues?: unknown } | undefined;
  if (rabbitmq === undefined || rabbitmq === null) return undefined;
  const queues = Array.isArray(rabbitmq.queues) ? (rabbitmq.queues as unknown[]) : [];
  const byName = new Map<string, BrokerQueue>();
  queues.forEach((q, index) => {
    const { name, type, deadLetterExchange, consumerTimeoutSeconds } = (q ?? {}) as Record<
      string,
      unknown
    >;
    if (typeof name === "string" && !byName.has(name)) {
      byName.set(name, {
        index,
        type: type ?? queueDefaults.type,
        deadLetterExchange,
        consumerTimeoutSeconds,
      });
    }
  });
  return byName;
}

/**
 * The consumer timeout each of the cluster's queues needs for the pools that consume it (the
 * largest, when several do); a stack file's queue without one gets this.
 */
export function derivedConsumerTimeouts(
  pools: readonly { readonly queues: readonly WorkerPoolConfig["queues"][number][] }[],
): Map<string, number> {
  const needed = new Map<string, number>();
  for (const pool of pools) {
    for (const q of pool.queues) {
      needed.set(q.name, Math.max(needed.get(q.name) ?? 0, requiredConsumerTimeoutSeconds(q)));
    }
  }
  return needed;
}

const key = "taskstack:kubernetes";

/**
 * Delivery semantics of a queue's workers against the broker's queue: a consumer timeout the
 * workers' longest hold fits in, and, on a queue that dead-letters, late ack with one reserved
 * message per process. Early ack loses a task killed mid-run (it was acked before it ran), and
 * what reaches the dead-letter queue instead are the reserved-but-never-run messages that every
 * worker restart returns (each return counts towards the delivery limit); a prefetch multiplier
 * above 1 returns that many per process on every rollout.
 */
function deliveryRules(
  broker: BrokerQueue,
  q: WorkerPoolConfig["queues"][number],
  at: readonly (string | number)[],
  rules: StackRules,
): void {
  const needed = requiredConsumerTimeoutSeconds(q);
  const prefetch = q.prefetchMultiplier ?? workerQueueDefaults.prefetchMultiplier;
  const why = `taskTimeLimitSeconds × (prefetchMultiplier + 1) + 60 = ${q.taskTimeLimitSeconds} × ${prefetch + 1} + 60`;
  if (needed > maxConsumerTimeoutSeconds) {
    rules.problem(
      [...at, "taskTimeLimitSeconds"],
      `a time limit whose consumer timeout (${why} = ${needed} s) is at most ${maxConsumerTimeoutSeconds} s`,
      q.taskTimeLimitSeconds,
      "Lower the time limit or the prefetch multiplier",
    );
  }
  const timeout = broker.consumerTimeoutSeconds;
  if (typeof timeout === "number" && timeout < needed) {
    rules.problem(
      [key, "rabbitmq", "queues", broker.index, "consumerTimeoutSeconds"],
      `at least ${needed} s for the workers of "${q.name}" (${why}): a task waiting behind running ones longer closes the worker's channel (406 PRECONDITION_FAILED) and Celery stops consuming`,
      timeout,
      `Raise it to ${needed} or leave it out (the stack derives it from the workers)`,
    );
  }
  if (broker.deadLetterExchange === undefined) return;
  if ((q.acksLate ?? workerQueueDefaults.acksLate) === false) {
    rules.problem(
      [...at, "acksLate"],
      `late ack on "${q.name}", which dead-letters: with early ack a task killed mid-run is lost, and only reserved tasks that never ran reach the dead-letter queue`,
      false,
      "Remove acksLate: false",
    );
  }
  if (prefetch > 1) {
    rules.problem(
      [...at, "prefetchMultiplier"],
      `1 on "${q.name}", which dead-letters: every worker restart returns each process's reserved messages, and each return counts towards the delivery limit`,
      prefetch,
      "Set prefetchMultiplier: 1 (raise concurrency for throughput)",
    );
  }
}

/**
 * What spans the workloads and the rest of the stack: every worker pool's queue is a queue of the
 * stack's RabbitMQ cluster (a worker on a queue nobody declared waits forever) of the type the
 * workers declare it with, derived names are unique, and prod runs at least two workers per queue.
 */
export function workloadsStackRules(k: Record<string, unknown>, rules: StackRules): void {
  const namespace = typeof k["namespace"] === "string" ? k["namespace"] : "taskstack";
  const pools = (k["workerPools"] ?? []) as readonly WorkerPoolConfig[];
  const cronJobs = (k["cronJobs"] ?? []) as readonly CronJobConfig[];
  const brokerQueues = rabbitMqQueues(k);
  const queues = brokerQueues === undefined ? undefined : [...brokerQueues.keys()];
  const cluster = rabbitMqClusterName(k);
  if (pools.length > 0 && cluster !== undefined) {
    const secret = brokerSecretName(cluster);
    if (!kubernetesName.safeParse(secret).success) {
      rules.problem(
        [key, "rabbitmq", "name"],
        `a cluster name whose broker Secret "${secret}" is a valid Kubernetes name (at most 63 characters)`,
        cluster,
      );
    }
  }
  pools.forEach((pool, i) => {
    const at = [key, "workerPools", i];
    for (const d of celeryWorkerPoolDerivedNames(pool.name, namespace, pool.queues)) {
      rules.claim(d.kind, d.name, [...at, "name"], `workerPools[${i}] (${pool.name})`, pool.name);
    }
    pool.queues.forEach((q, j) => {
      if (queues === undefined || !queues.includes(q.name)) {
        rules.problem(
          [...at, "queues", j, "name"],
          queues === undefined || queues.length === 0
            ? `a queue of the stack's RabbitMQ cluster (${key}.rabbitmq declares none)`
            : `a queue of the stack's RabbitMQ cluster (one of ${queues.join(", ")})`,
          q.name,
          "Declare the queue in rabbitmq.queues or fix the name",
        );
      }
      const broker = brokerQueues?.get(q.name);
      // Workers declare their queue at start; RabbitMQ refuses a declaration of another type.
      const brokerType = broker?.type;
      const workerType = q.queueType ?? workerPoolDefaults.queueType;
      if (typeof brokerType === "string" && brokerType !== workerType) {
        rules.problem(
          [...at, "queues", j, "queueType"],
          `"${brokerType}", the type rabbitmq.queues gives "${q.name}" (RabbitMQ refuses a worker's declaration of another type)`,
          workerType,
          `Set queueType: ${brokerType}`,
        );
      }
      if (broker !== undefined) deliveryRules(broker, q, [...at, "queues", j], rules);
      if (rules.environment !== "prod") return;
      const fewest = q.autoscaling ? (q.autoscaling.minReplicas ?? 1) : (q.replicas ?? 1);
      if (fewest < 2) {
        rules.problem(
          [...at, "queues", j, q.autoscaling ? "autoscaling" : "replicas"],
          "at least 2 workers per queue in prod (replicas, or autoscaling.minReplicas), so a node loss does not stop the queue",
          q.autoscaling ? q.autoscaling : (q.replicas ?? 1),
        );
      }
    });
  });
  cronJobs.forEach((c, i) => {
    for (const d of kubernetesCronJobDerivedNames(c.name, namespace)) {
      rules.claim(
        d.kind,
        d.name,
        [key, "cronJobs", i, "name"],
        `cronJobs[${i}] (${c.name})`,
        c.name,
      );
    }
  });
}
