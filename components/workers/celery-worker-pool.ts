import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import {
  containerEnv,
  containerSecurityContext,
  defaultRunAsUser,
  podSecurityContext,
  serviceAccountSettings,
  tmpMount,
  kubernetesName,
  tmpVolume,
} from "../../lib/kubernetes-workload";
import type { ContainerResources, SecretKeyRef } from "../../lib/kubernetes-quantity";
import type { QueueType } from "../messaging/rabbitmq-config";
import { childName } from "../shared/naming";
import { claimDerivedNames, namesWhenKnown } from "../shared/claims";
import { checkedWhenResolved } from "../shared/resolved";
import { validateArgs } from "../shared/schema";
import type { Known, SameShape } from "../shared/schema";
import {
  celeryBootstrap,
  celeryBootstrapHash,
  celeryQueueEnv,
  renderCeleryBootstrap,
} from "./celery-bootstrap";
import {
  celeryBootstrapConfigMapName,
  celeryWorkerPoolArgsSchema,
  celeryWorkerPoolDerivedNames,
  workerPoolDefaults,
  workerQueueDefaults,
} from "./celery-worker-pool-schema";

/** One queue's workers: a Deployment of their own. */
export interface CeleryWorkerQueue {
  /** The RabbitMQ queue consumed; also the Deployment's suffix (`<prefix>-<name>`). */
  readonly name: string;
  /**
   * The queue's type as the broker declares it; the workers declare it the same (RabbitMQ refuses
   * a redeclaration with other arguments). @default "quorum"
   */
  readonly queueType?: QueueType;
  /** Celery's hard time limit (`--time-limit`): a task running longer is killed. */
  readonly taskTimeLimitSeconds: number;
  /** Celery's soft time limit (`--soft-time-limit`), below the hard one. @default - none */
  readonly softTimeLimitSeconds?: number;
  /** Worker processes per pod (`--concurrency`). @default 2 */
  readonly concurrency?: number;
  /** Messages reserved per process (`--prefetch-multiplier`); 1 keeps long tasks from hoarding. @default 1 */
  readonly prefetchMultiplier?: number;
  /**
   * Ack a task after it ran (`task_acks_late` with `task_reject_on_worker_lost`), so a task whose
   * worker dies mid-run is returned to the queue instead of lost; its redeliveries count towards
   * the queue's delivery limit, which dead-letters it. `false` acks before the task runs: a
   * killed task is gone. @default true
   */
  readonly acksLate?: boolean;
  /** Pods, when not autoscaled. @default 1 */
  readonly replicas?: number;
  /**
   * Seconds a pod has to finish its tasks after SIGTERM (Celery's warm shutdown); at least
   * `taskTimeLimitSeconds`. @default - taskTimeLimitSeconds + 30
   */
  readonly terminationGracePeriodSeconds?: number;
  /** Pods of this queue a voluntary disruption (drain, rollout) may take at once. @default 1 */
  readonly maxUnavailable?: number;
  /** CPU and memory requests and limits of each worker pod, all required. */
  readonly resources: ContainerResources;
  /** Scale on the queue's length with KEDA (needs KEDA in the cluster). @default - fixed replicas */
  readonly autoscaling?: CeleryAutoscaling;
}

/** KEDA scaling of one queue's workers on the queue's length. */
export interface CeleryAutoscaling {
  /** Fewest pods; 0 lets an idle queue scale to zero. @default 1 */
  readonly minReplicas?: number;
  /** Most pods. */
  readonly maxReplicas: number;
  /** Ready messages per pod KEDA aims for. @default 20 */
  readonly targetQueueLength?: number;
}

/**
 * The Secret holding the AMQP broker URL: a RabbitMqCluster's `brokerSecret`, or any Secret's
 * name and key.
 */
export interface CeleryBrokerSecret {
  /** The Secret's name; an Output is checked once it resolves. */
  readonly name: pulumi.Input<string>;
  /** The key holding the URL. @default "url" */
  readonly key?: string;
}

export interface CeleryWorkerPoolArgs {
  /**
   * Namespace of every object, e.g. a `k8s.core.v1.Namespace`'s `metadata.name` (created by the
   * stack, not here). An Output is checked once it resolves.
   */
  readonly namespace: pulumi.Input<string>;
  /** Prefix of each Deployment's name (`<prefix>-<queue>`). @default - the component name */
  readonly deploymentNamePrefix?: string;
  /**
   * The Secret holding the AMQP broker URL, in `namespace`: a RabbitMqCluster's `brokerSecret`
   * (`brokerUrlSecret: cluster.brokerSecret`), or any `{ name, key }`. Read through
   * `valueFrom.secretKeyRef`, never written into the pod spec.
   */
  readonly brokerUrlSecret: CeleryBrokerSecret;
  /** The worker image, pinned by tag or digest (never `:latest`). */
  readonly image: pulumi.Input<string>;
  /**
   * The Celery app (5.5 or newer), as `celery --app` takes it (`shop.worker`). The workers start
   * through a generated module, `taskstack_celery`, that imports it and declares each queue as
   * the broker has it.
   */
  readonly app: string;
  /**
   * The entrypoint before the queue's options; it must end up running
   * `celery --app taskstack_celery worker` (the module is on PYTHONPATH).
   * @default ["celery", "--app", "taskstack_celery", "worker"]
   */
  readonly command?: string[];
  /** One Deployment per queue; slow and fast tasks belong on different queues. */
  readonly queues: CeleryWorkerQueue[];
  /**
   * Plain environment variables; secret-looking ones are refused (use `secretEnv`). PYTHONPATH is
   * the bootstrap module's directory, then a `PYTHONPATH` given here (the image's own is replaced).
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment variables read from Secrets. @default {} */
  readonly secretEnv?: Readonly<Record<string, SecretKeyRef>>;
  /** Non-root uid the workers run as. @default 65532 */
  readonly runAsUser?: number;
  /**
   * Service account of the pods. @default - the namespace's default account, its token not
   * mounted (workers do not call the Kubernetes API)
   */
  readonly serviceAccountName?: string;
  /**
   * The file the worker touches from its event loop, which liveness checks. @default "/tmp/celery-worker-heartbeat"
   */
  readonly heartbeatFile?: string;
  /**
   * Install the bootstep that touches `heartbeatFile` (in the generated module). `false` when the
   * image installs its own; the probes then read the file it touches. @default true
   */
  readonly heartbeatBootstep?: boolean;
  /** Minutes without a touch before the worker counts as hung. @default 2 */
  readonly heartbeatMaxAgeMinutes?: number;
}

// The documented interface and the schema must describe the same args.
const argsMatchSchema: SameShape<
  Known<CeleryWorkerPoolArgs>,
  z.input<typeof celeryWorkerPoolArgsSchema>
> = true;
void argsMatchSchema;

/**
 * Checks CeleryWorkerPool args with {@link celeryWorkerPoolArgsSchema} before anything is
 * declared: returns nothing or throws one TaskstackInputError listing every problem.
 */
export function validateCeleryWorkerPoolArgs(name: unknown, args: unknown): void {
  const withPrefix =
    typeof args === "object" && args !== null && !Array.isArray(args)
      ? {
          ...args,
          deploymentNamePrefix:
            (args as { deploymentNamePrefix?: unknown }).deploymentNamePrefix ?? name,
        }
      : args;
  validateArgs("CeleryWorkerPool", name, celeryWorkerPoolArgsSchema, withPrefix);
}

/** The environment variable Celery reads its broker URL from. */
export const brokerUrlEnv = "CELERY_BROKER_URL";

/** The worker's plain environment: the caller's, with the bootstrap module's directory first on PYTHONPATH. */
export function workerEnv(env: Readonly<Record<string, string>> = {}): Record<string, string> {
  const pythonPath = env["PYTHONPATH"];
  return {
    ...env,
    PYTHONPATH: pythonPath ? `${celeryBootstrap.dir}:${pythonPath}` : celeryBootstrap.dir,
  };
}

/** Celery's worker options for one queue, in a stable order. */
export function workerArgs(q: CeleryWorkerQueue): string[] {
  return [
    `--queues=${q.name}`,
    `--hostname=${q.name}@%h`,
    `--concurrency=${q.concurrency ?? workerQueueDefaults.concurrency}`,
    `--prefetch-multiplier=${q.prefetchMultiplier ?? workerQueueDefaults.prefetchMultiplier}`,
    `--time-limit=${q.taskTimeLimitSeconds}`,
    ...(q.softTimeLimitSeconds !== undefined
      ? [`--soft-time-limit=${q.softTimeLimitSeconds}`]
      : []),
    // Gossip and mingle make every worker talk to every other through the broker at start and
    // on each event; a pool of single-queue Deployments needs neither.
    "--without-gossip",
    "--without-mingle",
    "--loglevel=INFO",
  ];
}

/**
 * The startup and liveness check: the heartbeat file was touched within the last N minutes. The
 * worker's own event loop touches it (the generated module's bootstep, on the worker's timer), so
 * a hung worker stops touching it. Python, which every Celery image has, reads the file's age:
 * no shell or `find`, which distroless images lack. Not `celery inspect ping`: that loads Celery
 * and opens a broker connection per probe per pod, and when the broker is briefly down every
 * worker fails liveness at once and is killed mid-task, though nothing is wrong with them.
 */
export function heartbeatCommand(file: string, maxAgeMinutes: number): string[] {
  return [
    "python3",
    "-c",
    `import os, sys, time; f = ${JSON.stringify(file)}; sys.exit(not (os.path.exists(f) and time.time() - os.path.getmtime(f) < ${maxAgeMinutes * 60}))`,
  ];
}

/**
 * Celery workers on Kubernetes, one Deployment per queue so slow and fast tasks never share a
 * queue: started through a generated module that declares each queue as the broker has it, the
 * broker URL from the RabbitMQ cluster's Secret, concurrency and prefetch per queue, a
 * grace period that lets running tasks finish on a rollout, a cheap liveness check, a PDB per
 * queue, optional KEDA scaling on queue length, and non-root workers on a read-only root
 * filesystem.
 */
export class CeleryWorkerPool extends pulumi.ComponentResource {
  static readonly __pulumiType = "taskstack:workers:CeleryWorkerPool";

  /** Each queue's Deployment, by queue name. */
  readonly deployments: Readonly<Record<string, k8s.apps.v1.Deployment>>;
  /** Each queue's Deployment name, by queue name. */
  readonly deploymentNames: Readonly<Record<string, string>>;

  constructor(
    name: string,
    args: CeleryWorkerPoolArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    validateCeleryWorkerPoolArgs(name, args);
    const prefix = args.deploymentNamePrefix ?? name;
    claimDerivedNames(
      `CeleryWorkerPool ${JSON.stringify(name)}`,
      namesWhenKnown(args.namespace, (ns) =>
        celeryWorkerPoolDerivedNames(name, ns, args.queues, prefix),
      ),
      args.namespace,
    );
    super(CeleryWorkerPool.__pulumiType, name, {}, opts);

    const check = (path: string, value: pulumi.Input<string>) =>
      checkedWhenResolved("CeleryWorkerPool", name, path, kubernetesName, value);
    const namespace = check("namespace", args.namespace);
    const uid = args.runAsUser ?? defaultRunAsUser;
    const broker = {
      name: check("brokerUrlSecret.name", args.brokerUrlSecret.name),
      key: args.brokerUrlSecret.key ?? workerPoolDefaults.brokerUrlSecretKey,
    };
    const command = args.command ?? ["celery", "--app", celeryBootstrap.module, "worker"];
    const heartbeatFile = args.heartbeatFile ?? workerPoolDefaults.heartbeatFile;
    const heartbeat = heartbeatCommand(
      heartbeatFile,
      args.heartbeatMaxAgeMinutes ?? workerPoolDefaults.heartbeatMaxAgeMinutes,
    );
    const baseEnv = workerEnv(args.env);
    const secretEnvFor = { ...args.secretEnv, [brokerUrlEnv]: broker };

    const bootstrapSource = renderCeleryBootstrap({
      pool: name,
      app: args.app,
      queues: args.queues.map((q) => ({
        name: q.name,
        type: q.queueType ?? workerPoolDefaults.queueType,
        acksLate: q.acksLate ?? workerQueueDefaults.acksLate,
      })),
      heartbeatFile: (args.heartbeatBootstep ?? true) ? heartbeatFile : undefined,
    });
    const bootstrap = new k8s.core.v1.ConfigMap(
      childName(name, "celery-bootstrap"),
      {
        metadata: {
          name: celeryBootstrapConfigMapName(prefix),
          namespace,
          labels: {
            "app.kubernetes.io/name": prefix,
            "app.kubernetes.io/component": "celery-bootstrap",
            "app.kubernetes.io/managed-by": "taskstack",
          },
        },
        data: { [celeryBootstrap.file]: bootstrapSource },
      },
      { parent: this },
    );
    // A changed module rolls the workers: a mounted ConfigMap is reread, a Python import is not.
    const podAnnotations = {
      "taskstack.dev/celery-bootstrap-hash": celeryBootstrapHash(bootstrapSource),
    };
    const bootstrapVolume = {
      name: "celery-bootstrap",
      configMap: {
        name: bootstrap.metadata.name,
        items: [{ key: celeryBootstrap.file, path: celeryBootstrap.file }],
        defaultMode: 0o444,
      },
    };
    const bootstrapMount = {
      name: "celery-bootstrap",
      mountPath: celeryBootstrap.dir,
      readOnly: true,
    };

    // KEDA's RabbitMQ trigger reads the broker URL from the same Secret, through a
    // TriggerAuthentication, so the URL is never in the ScaledObject's metadata.
    const autoscaled = args.queues.some((q) => q.autoscaling !== undefined);
    const triggerAuth = autoscaled
      ? new k8s.apiextensions.CustomResource(
          childName(name, "keda-auth"),
          {
            apiVersion: "keda.sh/v1alpha1",
            kind: "TriggerAuthentication",
            metadata: { name: `${prefix}-broker`, namespace },
            spec: { secretTargetRef: [{ parameter: "host", name: broker.name, key: broker.key }] },
          },
          { parent: this },
        )
      : undefined;

    const deployments: Record<string, k8s.apps.v1.Deployment> = {};
    const deploymentNames: Record<string, string> = {};
    for (const q of args.queues) {
      const objectName = `${prefix}-${q.name}`;
      const selector = {
        "app.kubernetes.io/name": prefix,
        "app.kubernetes.io/instance": objectName,
      };
      const labels = {
        ...selector,
        "app.kubernetes.io/component": "celery-worker",
        "app.kubernetes.io/managed-by": "taskstack",
        "taskstack.dev/queue": q.name,
      };
      const metadata = { name: objectName, namespace, labels };
      const deployment = new k8s.apps.v1.Deployment(
        childName(name, q.name, "deployment"),
        {
          metadata,
          spec: {
            // Under KEDA the replica count is its to set; declaring one would fight it.
            ...(q.autoscaling ? {} : { replicas: q.replicas ?? workerQueueDefaults.replicas }),
            selector: { matchLabels: selector },
            // A new pod first, then the old one drains: capacity never drops during a rollout.
            strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
            template: {
              metadata: { labels, annotations: podAnnotations },
              spec: {
                terminationGracePeriodSeconds:
                  q.terminationGracePeriodSeconds ??
                  q.taskTimeLimitSeconds + workerQueueDefaults.graceMarginSeconds,
                ...serviceAccountSettings(args.serviceAccountName),
                securityContext: podSecurityContext(uid),
                volumes: [tmpVolume, bootstrapVolume],
                containers: [
                  {
                    name: "worker",
                    image: args.image,
                    command: [...command],
                    args: workerArgs(q),
                    env: containerEnv({ ...baseEnv, [celeryQueueEnv]: q.name }, secretEnvFor),
                    resources: {
                      requests: { ...q.resources.requests },
                      limits: { ...q.resources.limits },
                    },
                    securityContext: containerSecurityContext(uid),
                    volumeMounts: [tmpMount, bootstrapMount],
                    // Startup allows five minutes for the first heartbeat; liveness then
                    // restarts a worker whose event loop stopped touching the file.
                    startupProbe: {
                      exec: { command: heartbeat },
                      periodSeconds: 10,
                      failureThreshold: 30,
                      timeoutSeconds: 5,
                    },
                    livenessProbe: {
                      exec: { command: heartbeat },
                      periodSeconds: 30,
                      failureThreshold: 3,
                      timeoutSeconds: 5,
                    },
                  },
                ],
              },
            },
          },
        },
        { parent: this },
      );
      new k8s.policy.v1.PodDisruptionBudget(
        childName(name, q.name, "pdb"),
        {
          metadata,
          spec: {
            maxUnavailable: q.maxUnavailable ?? workerQueueDefaults.maxUnavailable,
            selector: { matchLabels: selector },
          },
        },
        { parent: this },
      );
      if (q.autoscaling && triggerAuth) {
        new k8s.apiextensions.CustomResource(
          childName(name, q.name, "scaledobject"),
          {
            apiVersion: "keda.sh/v1alpha1",
            kind: "ScaledObject",
            metadata,
            spec: {
              scaleTargetRef: { name: objectName },
              minReplicaCount: q.autoscaling.minReplicas ?? workerQueueDefaults.minReplicas,
              maxReplicaCount: q.autoscaling.maxReplicas,
              triggers: [
                {
                  type: "rabbitmq",
                  metadata: {
                    protocol: "amqp",
                    queueName: q.name,
                    mode: "QueueLength",
                    value: String(
                      q.autoscaling.targetQueueLength ?? workerQueueDefaults.targetQueueLength,
                    ),
                  },
                  authenticationRef: { name: `${prefix}-broker` },
                },
              ],
            },
          },
          { parent: this, dependsOn: [deployment, triggerAuth] },
        );
      }
      deployments[q.name] = deployment;
      deploymentNames[q.name] = objectName;
    }
    this.deployments = deployments;
    this.deploymentNames = deploymentNames;
    this.registerOutputs({ deploymentNames });
  }
}

/** @deprecated Renamed `CeleryAutoscaling`, its name in the Python, Go and .NET SDKs (where `CeleryAutoscalingArgs` is the input class). */
export type CeleryAutoscalingArgs = CeleryAutoscaling;

/** @deprecated Renamed `CeleryBrokerSecret`, its name in the Python, Go and .NET SDKs (where `CeleryBrokerSecretArgs` is the input class). */
export type CeleryBrokerSecretArgs = CeleryBrokerSecret;

/** @deprecated Renamed `CeleryWorkerQueue`, its name in the Python, Go and .NET SDKs (where `CeleryWorkerQueueArgs` is the input class). */
export type CeleryWorkerQueueArgs = CeleryWorkerQueue;
