import { z } from "zod";
import {
  containerImage,
  containerResources,
  kubernetesName,
  maxKubernetesNameLength,
  plainArgs,
  plainEnv,
  runAsUser,
  secretEnv,
} from "../../lib/kubernetes-workload";
import { always, bool, expected, int, pattern, problem } from "../shared/schema";
import type { DerivedName } from "../shared/claims";

// CeleryWorkerPool's one args schema, kept beside celery-worker-pool.ts so the component file
// stays readable. The stack file's worker pools are built from its shapes and rules.

/** What a queue's Deployment gets for each setting left out (the `@default`s on its args). */
export const workerQueueDefaults = {
  concurrency: 2,
  prefetchMultiplier: 1,
  acksLate: true,
  replicas: 1,
  maxUnavailable: 1,
  /** Seconds added to the hard time limit: Celery's own shutdown after the last task ends. */
  graceMarginSeconds: 30,
  targetQueueLength: 20,
  minReplicas: 1,
} as const;

export const workerPoolDefaults = {
  queueType: "quorum",
  brokerUrlSecretKey: "url",
  heartbeatFile: "/tmp/celery-worker-heartbeat",
  heartbeatMaxAgeMinutes: 2,
} as const;

/** Seconds added to a queue's longest hold of a delivery when sizing the broker's consumer timeout. */
export const consumerTimeoutMarginSeconds = 60;

/** The longest consumer timeout a RabbitMqCluster queue takes (7 days). */
export const maxConsumerTimeoutSeconds = 604_800;

/**
 * The consumer timeout a queue's workers need: with late ack a delivery stays unacked while it
 * waits behind the tasks the worker runs before it (up to the prefetch multiplier's worth, each
 * up to the hard time limit) and then runs itself, so time limit × (prefetch + 1), plus a margin.
 * A shorter timeout closes the worker's channel with 406 PRECONDITION_FAILED in the middle of a
 * normal run, and Celery stops consuming (RabbitMQ's consumer_timeout, default 30 minutes).
 */
export function requiredConsumerTimeoutSeconds(q: {
  readonly taskTimeLimitSeconds: number;
  readonly prefetchMultiplier?: number;
}): number {
  const prefetch = q.prefetchMultiplier ?? workerQueueDefaults.prefetchMultiplier;
  return q.taskTimeLimitSeconds * (prefetch + 1) + consumerTimeoutMarginSeconds;
}

const secretKey = pattern(/^[-._a-zA-Z0-9]+$/, "a Secret key (letters, digits, -, _ or .)");

/** KEDA scaling of one queue's Deployment on the queue's length. */
export const workerAutoscalingSchema = z
  .strictObject(
    {
      minReplicas: int(0, 100).optional(),
      maxReplicas: int(1, 1000),
      targetQueueLength: int(1, 100_000).optional(),
    },
    expected("autoscaling: { maxReplicas, minReplicas?, targetQueueLength? }"),
  )
  .superRefine((a, ctx) => {
    const min = a.minReplicas ?? workerQueueDefaults.minReplicas;
    if (typeof min === "number" && typeof a.maxReplicas === "number" && min > a.maxReplicas) {
      problem(ctx, ["minReplicas"], `at most maxReplicas (${a.maxReplicas})`, min);
    }
  }, always);

/** The fields of one queue's workers. */
export const workerQueueShape = {
  name: kubernetesName,
  queueType: z.enum(["quorum", "classic"], expected("quorum or classic")).optional(),
  taskTimeLimitSeconds: int(1, 86_400),
  softTimeLimitSeconds: int(1, 86_400).optional(),
  concurrency: int(1, 64).optional(),
  prefetchMultiplier: int(1, 100).optional(),
  acksLate: bool.optional(),
  replicas: int(1, 100).optional(),
  terminationGracePeriodSeconds: int(1, 90_000).optional(),
  maxUnavailable: int(1, 100).optional(),
  resources: containerResources,
  autoscaling: workerAutoscalingSchema.optional(),
};

type QueueLike = Partial<Record<keyof typeof workerQueueShape, unknown>>;

/** Rules that span a queue's fields: time limits, the grace period and scaling. */
export function workerQueueRules(q: QueueLike, ctx: z.RefinementCtx): void {
  const hard = q.taskTimeLimitSeconds;
  if (typeof hard !== "number") return;
  if (typeof q.softTimeLimitSeconds === "number" && q.softTimeLimitSeconds >= hard) {
    problem(
      ctx,
      ["softTimeLimitSeconds"],
      `less than taskTimeLimitSeconds (${hard}), so the task can clean up before it is killed`,
      q.softTimeLimitSeconds,
    );
  }
  const grace = q.terminationGracePeriodSeconds;
  if (typeof grace === "number" && grace < hard) {
    problem(
      ctx,
      ["terminationGracePeriodSeconds"],
      `at least taskTimeLimitSeconds (${hard}): a rollout would kill tasks still within their time limit`,
      grace,
      `Raise it to ${hard + workerQueueDefaults.graceMarginSeconds} or leave it unset`,
    );
  }
  if (q.autoscaling !== undefined && q.replicas !== undefined) {
    problem(
      ctx,
      ["replicas"],
      "no fixed replicas when autoscaling is set (KEDA owns the replica count)",
      q.replicas,
      "Use autoscaling.minReplicas instead",
    );
  }
}

export const workerQueueSchema = z
  .strictObject(workerQueueShape, expected("a queue: a mapping with a name"))
  .superRefine(workerQueueRules, always);

/** The pool-level fields a stack file holds too (the stack adds `name`, sets the broker Secret). */
export const celeryWorkerPoolShape = {
  image: containerImage,
  app: pattern(
    /^[A-Za-z_][A-Za-z0-9_.:]*$/,
    'a Celery app as `celery --app` takes it, such as "shop.worker" or "shop.worker:app"',
  ),
  command: plainArgs.min(1, expected("a non-empty command")).optional(),
  queues: z
    .array(workerQueueSchema, expected("a list of queues"))
    .min(1, expected("one queue or more")),
  env: plainEnv.optional(),
  secretEnv: secretEnv.optional(),
  runAsUser: runAsUser.optional(),
  serviceAccountName: kubernetesName.optional(),
  heartbeatFile: pattern(/^\/tmp\/[A-Za-z0-9._/-]+$/, "a file under /tmp").optional(),
  heartbeatMaxAgeMinutes: int(1, 60).optional(),
  heartbeatBootstep: bool.optional(),
};

/**
 * Rules that span a pool: queue names unique, and each Deployment's name (`<prefix>-<queue>`)
 * a valid Kubernetes name. `prefixKey` is where the prefix sits: `deploymentNamePrefix` in
 * component args, `name` in a stack file.
 */
export function celeryWorkerPoolRules(prefixKey: string) {
  return (p: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const prefix = p[prefixKey];
    const queues = Array.isArray(p["queues"]) ? (p["queues"] as unknown[]) : [];
    const seen = new Set<string>();
    queues.forEach((q, i) => {
      const queue = (q as { name?: unknown } | null)?.name;
      if (typeof queue !== "string") return;
      if (seen.has(queue)) {
        problem(
          ctx,
          ["queues", i, "name"],
          "a queue named once per pool (one Deployment per queue; slow and fast tasks never share one)",
          queue,
        );
      }
      seen.add(queue);
      if (typeof prefix === "string") {
        const deployment = `${prefix}-${queue}`;
        if (deployment.length > maxKubernetesNameLength) {
          problem(
            ctx,
            ["queues", i, "name"],
            `a shorter name: the Deployment "${deployment}" would be ${deployment.length} characters, over Kubernetes' ${maxKubernetesNameLength}`,
            queue,
          );
        }
      }
    });
  };
}

/** CeleryWorkerPool's args, as its constructor checks them (`deploymentNamePrefix` defaulted). */
export const celeryWorkerPoolArgsSchema = z
  .strictObject(
    {
      namespace: kubernetesName,
      deploymentNamePrefix: kubernetesName.optional(),
      brokerUrlSecret: z.strictObject(
        { name: kubernetesName, key: secretKey.optional() },
        expected("the broker URL's Secret: { name, key? }"),
      ),
      ...celeryWorkerPoolShape,
    },
    expected("CeleryWorkerPool args: a mapping"),
  )
  .superRefine(celeryWorkerPoolRules("deploymentNamePrefix"), always);

/** The ConfigMap holding a pool's Celery bootstrap module. */
export const celeryBootstrapConfigMapName = (prefix: string): string =>
  `${prefix}-celery-bootstrap`;

/**
 * The Kubernetes objects (namespace/name) and logical names a CeleryWorkerPool named `name`
 * declares, for uniqueness checks across a stack.
 */
export function celeryWorkerPoolDerivedNames(
  name: string,
  namespace: string,
  queues: readonly { readonly name: string; readonly autoscaling?: object }[],
  prefix: string = name,
): DerivedName[] {
  // The ConfigMap is named without its namespace, as RabbitMqCluster's are: in a stack both live
  // in the one namespace, and their ConfigMap names must not meet.
  const names: DerivedName[] = [
    { kind: "Kubernetes ConfigMap", name: celeryBootstrapConfigMapName(prefix) },
    { kind: "ConfigMap resource", name: `${name}-celery-bootstrap` },
  ];
  const autoscaled = queues.some((q) => q.autoscaling !== undefined);
  if (autoscaled) {
    names.push(
      { kind: "TriggerAuthentication", name: `${namespace}/${prefix}-broker` },
      { kind: "TriggerAuthentication resource", name: `${name}-keda-auth` },
    );
  }
  for (const q of queues) {
    const object = `${namespace}/${prefix}-${q.name}`;
    names.push(
      { kind: "Deployment", name: object },
      { kind: "PodDisruptionBudget", name: object },
      { kind: "Deployment resource", name: `${name}-${q.name}-deployment` },
      { kind: "PodDisruptionBudget resource", name: `${name}-${q.name}-pdb` },
    );
    if (q.autoscaling !== undefined) {
      names.push(
        { kind: "ScaledObject", name: object },
        { kind: "ScaledObject resource", name: `${name}-${q.name}-scaledobject` },
      );
    }
  }
  return names;
}
