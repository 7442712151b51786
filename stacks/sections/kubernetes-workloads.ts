import { z } from "zod";
import {
  kubernetesCronJobDerivedNames,
  kubernetesCronJobRules,
  kubernetesCronJobShape,
  maxCronJobNameLength,
} from "../../components/scheduling/kubernetes-cron-job";
import { kubernetesName } from "../../lib/kubernetes-workload";
import { always, expected } from "../../components/shared/schema";
import { queueDefaults } from "../../components/messaging/rabbitmq-config";
import {
  celeryWorkerPoolDerivedNames,
  celeryWorkerPoolRules,
  celeryWorkerPoolShape,
  workerPoolDefaults,
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

/** The queues the stack's RabbitMQ cluster declares, name → type, read defensively. */
function rabbitMqQueueTypes(k: Record<string, unknown>): Map<string, unknown> | undefined {
  const rabbitmq = k["rabbitmq"] as { queues?: unknown } | undefined;
  if (rabbitmq === undefined || rabbitmq === null) return undefined;
  const queues = Array.isArray(rabbitmq.queues) ? (rabbitmq.queues as unknown[]) : [];
  const types = new Map<string, unknown>();
  for (const q of queues) {
    const { name, type } = (q ?? {}) as { name?: unknown; type?: unknown };
    if (typeof name === "string") types.set(name, type ?? queueDefaults.type);
  }
  return types;
}

const key = "taskstack:kubernetes";

/**
 * What spans the workloads and the rest of the stack: every worker pool's queue is a queue of the
 * stack's RabbitMQ cluster (a worker on a queue nobody declared waits forever) of the type the
 * workers declare it with, derived names are unique, and prod runs at least two workers per queue.
 */
export function workloadsStackRules(k: Record<string, unknown>, rules: StackRules): void {
  const namespace = typeof k["namespace"] === "string" ? k["namespace"] : "taskstack";
  const pools = (k["workerPools"] ?? []) as readonly WorkerPoolConfig[];
  const cronJobs = (k["cronJobs"] ?? []) as readonly CronJobConfig[];
  const queueTypes = rabbitMqQueueTypes(k);
  const queues = queueTypes === undefined ? undefined : [...queueTypes.keys()];
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
      // Workers declare their queue at start; RabbitMQ refuses a declaration of another type.
      const brokerType = queueTypes?.get(q.name);
      const workerType = q.queueType ?? workerPoolDefaults.queueType;
      if (typeof brokerType === "string" && brokerType !== workerType) {
        rules.problem(
          [...at, "queues", j, "queueType"],
          `"${brokerType}", the type rabbitmq.queues gives "${q.name}" (RabbitMQ refuses a worker's declaration of another type)`,
          workerType,
          `Set queueType: ${brokerType}`,
        );
      }
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
