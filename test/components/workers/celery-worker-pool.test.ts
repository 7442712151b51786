import { createHash } from "node:crypto";
import fc from "fast-check";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { describe, expect, it } from "vitest";
import { TaskstackInputError, workers } from "../../../components";
import { runProgram } from "../../../testing";
import type { Plan } from "../../../testing";
import { assertExercised, failsOnlyWithInputErrors } from "../../support/properties";
import type { Outcomes } from "../../support/properties";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const SCALED = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const TRIGGER_AUTH = "kubernetes:keda.sh/v1alpha1:TriggerAuthentication";
const CM = "kubernetes:core/v1:ConfigMap";

const resources = {
  requests: { cpu: "250m", memory: "256Mi" },
  limits: { cpu: "1", memory: "1Gi" },
};
const base = {
  namespace: "taskstack",
  image: "ghcr.io/acme/shop-worker:2.3.0",
  app: "shop.worker",
  brokerUrlSecret: { name: "tasks-broker" },
  queues: [
    { name: "fast", taskTimeLimitSeconds: 60, resources },
    { name: "slow", taskTimeLimitSeconds: 1800, resources },
  ],
};
/** Provider resources as `type name`, sorted (registration order is the engine's). */
const declared = (plan: Plan): string[] =>
  plan.resources
    .filter((r) => r.custom)
    .map((r) => `${r.type} ${r.name}`)
    .sort();

/** The hash of the defaults test's bootstrap module, as the pod annotation carries it. */
const bootstrapHash = createHash("sha256")
  .update(
    workers.renderCeleryBootstrap({
      pool: "shop",
      app: "shop.worker",
      queues: [
        { name: "fast", type: "quorum", acksLate: true },
        { name: "slow", type: "quorum", acksLate: true },
      ],
      heartbeatFile: "/tmp/celery-worker-heartbeat",
    }),
  )
  .digest("hex")
  .slice(0, 16);

// Python, not a shell: distroless Python images have neither sh nor find.
const heartbeat = [
  "python3",
  "-c",
  'import os, sys, time; f = "/tmp/celery-worker-heartbeat"; sys.exit(not (os.path.exists(f) and time.time() - os.path.getmtime(f) < 120))',
];

describe("CeleryWorkerPool defaults", () => {
  it("declares one Deployment and one PDB per queue, the broker URL from its Secret", async () => {
    const plan = await runProgram(() => {
      new workers.CeleryWorkerPool("shop", base);
    });
    expect(declared(plan)).toEqual([
      `${DEPLOYMENT} shop-fast-deployment`,
      `${DEPLOYMENT} shop-slow-deployment`,
      `${CM} shop-celery-bootstrap`,
      `${PDB} shop-fast-pdb`,
      `${PDB} shop-slow-pdb`,
    ]);
    const selector = {
      "app.kubernetes.io/name": "shop",
      "app.kubernetes.io/instance": "shop-slow",
    };
    const labels = {
      ...selector,
      "app.kubernetes.io/component": "celery-worker",
      "app.kubernetes.io/managed-by": "taskstack",
      "taskstack.dev/queue": "slow",
    };
    const metadata = { name: "shop-slow", namespace: "taskstack", labels };
    expect(plan.get(DEPLOYMENT, "shop-slow-deployment").inputs).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata,
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: {
            labels,
            annotations: { "taskstack.dev/celery-bootstrap-hash": bootstrapHash },
          },
          spec: {
            terminationGracePeriodSeconds: 1830,
            // The default service account, whose token the workers have no use for.
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65532,
              runAsGroup: 65532,
              fsGroup: 65532,
              seccompProfile: { type: "RuntimeDefault" },
            },
            volumes: [
              { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
              {
                name: "celery-bootstrap",
                configMap: {
                  name: "shop-celery-bootstrap",
                  items: [{ key: "taskstack_celery.py", path: "taskstack_celery.py" }],
                  defaultMode: 0o444,
                },
              },
            ],
            containers: [
              {
                name: "worker",
                image: "ghcr.io/acme/shop-worker:2.3.0",
                // The generated module imports shop.worker and declares the queue as the broker has it.
                command: ["celery", "--app", "taskstack_celery", "worker"],
                args: [
                  "--queues=slow",
                  "--hostname=slow@%h",
                  "--concurrency=2",
                  "--prefetch-multiplier=1",
                  "--time-limit=1800",
                  "--without-gossip",
                  "--without-mingle",
                  "--loglevel=INFO",
                ],
                env: [
                  { name: "PYTHONPATH", value: "/etc/taskstack/celery" },
                  // The generated module sets this queue's ack mode from it.
                  { name: "TASKSTACK_CELERY_QUEUE", value: "slow" },
                  {
                    name: "CELERY_BROKER_URL",
                    valueFrom: { secretKeyRef: { name: "tasks-broker", key: "url" } },
                  },
                ],
                resources,
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: 65532,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  privileged: false,
                  capabilities: { drop: ["ALL"] },
                },
                volumeMounts: [
                  { name: "tmp", mountPath: "/tmp" },
                  { name: "celery-bootstrap", mountPath: "/etc/taskstack/celery", readOnly: true },
                ],
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
    });
    expect(plan.get(PDB, "shop-slow-pdb").inputs).toEqual({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata,
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    });
    expect(plan.resourceCount(SCALED)).toBe(0);
    expect(plan.resourceCount(TRIGGER_AUTH)).toBe(0);
    expect(plan.get(CM, "shop-celery-bootstrap").inputs).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "shop-celery-bootstrap",
        namespace: "taskstack",
        labels: {
          "app.kubernetes.io/name": "shop",
          "app.kubernetes.io/component": "celery-bootstrap",
          "app.kubernetes.io/managed-by": "taskstack",
        },
      },
      data: {
        "taskstack_celery.py": workers.renderCeleryBootstrap({
          pool: "shop",
          app: "shop.worker",
          queues: [
            { name: "fast", type: "quorum", acksLate: true },
            { name: "slow", type: "quorum", acksLate: true },
          ],
          heartbeatFile: "/tmp/celery-worker-heartbeat",
        }),
      },
    });
  });
});

describe("CeleryWorkerPool custom", () => {
  it("sets concurrency, prefetch, limits and grace per queue and scales a queue with KEDA through the Secret", async () => {
    const plan = await runProgram(() => {
      new workers.CeleryWorkerPool("shop", {
        ...base,
        deploymentNamePrefix: "celery",
        brokerUrlSecret: { name: "tasks-broker", key: "amqp-url" },
        command: ["/app/bin/worker"],
        env: { DJANGO_SETTINGS_MODULE: "shop.settings", PYTHONPATH: "/app/src" },
        serviceAccountName: "shop-worker",
        secretEnv: { SENTRY_DSN: { name: "sentry", key: "dsn" } },
        heartbeatFile: "/tmp/hb",
        heartbeatMaxAgeMinutes: 5,
        queues: [
          {
            name: "fast",
            taskTimeLimitSeconds: 30,
            softTimeLimitSeconds: 20,
            concurrency: 8,
            prefetchMultiplier: 4,
            acksLate: false,
            resources,
            autoscaling: { minReplicas: 0, maxReplicas: 10, targetQueueLength: 50 },
          },
          {
            name: "slow",
            queueType: "classic",
            taskTimeLimitSeconds: 3600,
            terminationGracePeriodSeconds: 3600,
            replicas: 3,
            maxUnavailable: 2,
            resources,
          },
        ],
      });
    });
    expect(declared(plan)).toEqual([
      `${DEPLOYMENT} shop-fast-deployment`,
      `${DEPLOYMENT} shop-slow-deployment`,
      `${CM} shop-celery-bootstrap`,
      `${SCALED} shop-fast-scaledobject`,
      `${TRIGGER_AUTH} shop-keda-auth`,
      `${PDB} shop-fast-pdb`,
      `${PDB} shop-slow-pdb`,
    ]);
    const fast = plan.get(DEPLOYMENT, "shop-fast-deployment").inputs as unknown as IDeployment;
    expect(fast.metadata!.name).toBe("celery-fast");
    expect(fast.spec).not.toHaveProperty("replicas");
    const container = fast.spec!.template.spec!.containers[0]!;
    expect(container.command).toEqual(["/app/bin/worker"]);
    expect(container.args).toEqual([
      "--queues=fast",
      "--hostname=fast@%h",
      "--concurrency=8",
      "--prefetch-multiplier=4",
      "--time-limit=30",
      "--soft-time-limit=20",
      "--without-gossip",
      "--without-mingle",
      "--loglevel=INFO",
    ]);
    expect(container.env).toEqual([
      { name: "DJANGO_SETTINGS_MODULE", value: "shop.settings" },
      // The bootstrap module's directory first, then the caller's path.
      { name: "PYTHONPATH", value: "/etc/taskstack/celery:/app/src" },
      { name: "TASKSTACK_CELERY_QUEUE", value: "fast" },
      {
        name: "CELERY_BROKER_URL",
        valueFrom: { secretKeyRef: { name: "tasks-broker", key: "amqp-url" } },
      },
      { name: "SENTRY_DSN", valueFrom: { secretKeyRef: { name: "sentry", key: "dsn" } } },
    ]);
    expect(container.livenessProbe!.exec!.command).toEqual([
      "python3",
      "-c",
      'import os, sys, time; f = "/tmp/hb"; sys.exit(not (os.path.exists(f) and time.time() - os.path.getmtime(f) < 300))',
    ]);
    expect(fast.spec!.template.spec!.terminationGracePeriodSeconds).toBe(60);
    // A named account keeps its own token setting.
    expect(fast.spec!.template.spec!.serviceAccountName).toBe("shop-worker");
    expect(fast.spec!.template.spec).not.toHaveProperty("automountServiceAccountToken");
    // The ConfigMap is named after the Deployments' prefix; the slow queue is declared classic.
    const bootstrap = plan.get(CM, "shop-celery-bootstrap").inputs as {
      metadata: { name: string };
      data: Record<string, string>;
    };
    expect(bootstrap.metadata.name).toBe("celery-celery-bootstrap");
    expect(bootstrap.data["taskstack_celery.py"]).toContain(
      'QUEUES = {\n    "fast": {"type": "quorum", "acks_late": False},\n    "slow": {"type": "classic", "acks_late": True},\n}\nHEARTBEAT_FILE = "/tmp/hb"\n',
    );

    expect(plan.get(TRIGGER_AUTH, "shop-keda-auth").inputs).toEqual({
      apiVersion: "keda.sh/v1alpha1",
      kind: "TriggerAuthentication",
      metadata: { name: "celery-broker", namespace: "taskstack" },
      spec: { secretTargetRef: [{ parameter: "host", name: "tasks-broker", key: "amqp-url" }] },
    });
    const scaled = plan.get(SCALED, "shop-fast-scaledobject");
    expect(scaled.inputs["spec"]).toEqual({
      scaleTargetRef: { name: "celery-fast" },
      minReplicaCount: 0,
      maxReplicaCount: 10,
      triggers: [
        {
          type: "rabbitmq",
          metadata: { protocol: "amqp", queueName: "fast", mode: "QueueLength", value: "50" },
          authenticationRef: { name: "celery-broker" },
        },
      ],
    });
    expect(JSON.stringify(scaled.inputs)).not.toMatch(/amqp:\/\//);

    const slow = plan.get(DEPLOYMENT, "shop-slow-deployment").inputs as unknown as IDeployment;
    expect(slow.spec!.replicas).toBe(3);
    expect(slow.spec!.template.spec!.terminationGracePeriodSeconds).toBe(3600);
    expect(plan.get(PDB, "shop-slow-pdb").inputs["spec"]).toMatchObject({ maxUnavailable: 2 });
  });
});

describe("CeleryWorkerPool heartbeat opt-out", () => {
  it("leaves the heartbeat bootstep to the image and still probes its file", async () => {
    const plan = await runProgram(() => {
      new workers.CeleryWorkerPool("shop", { ...base, heartbeatBootstep: false });
    });
    const source = (
      plan.get(CM, "shop-celery-bootstrap").inputs as { data: Record<string, string> }
    ).data["taskstack_celery.py"];
    expect(source).not.toContain("TaskstackHeartbeat");
    const fast = plan.get(DEPLOYMENT, "shop-fast-deployment").inputs as unknown as IDeployment;
    expect(fast.spec!.template.spec!.containers[0]!.livenessProbe!.exec!.command).toEqual(
      heartbeat,
    );
  });
});

describe("CeleryWorkerPool bad input", () => {
  const fails = (args: unknown) => () =>
    new workers.CeleryWorkerPool("shop", args as workers.CeleryWorkerPoolArgs);
  const queue = (change: object) => ({ ...base, queues: [{ ...base.queues[0], ...change }] });

  it.each([
    [
      "a task time limit above the grace period",
      queue({ taskTimeLimitSeconds: 600, terminationGracePeriodSeconds: 300 }),
      'CeleryWorkerPool "shop" queues[0].terminationGracePeriodSeconds: expected at least taskTimeLimitSeconds (600): a rollout would kill tasks still within their time limit, got 300. Raise it to 630 or leave it unset',
    ],
    [
      "missing limits",
      queue({ resources: { requests: resources.requests } }),
      'CeleryWorkerPool "shop" queues[0].resources.limits: expected limits: cpu and memory, got nothing',
    ],
    [
      "a soft limit at the hard one",
      queue({ softTimeLimitSeconds: 60 }),
      'CeleryWorkerPool "shop" queues[0].softTimeLimitSeconds: expected less than taskTimeLimitSeconds (60), so the task can clean up before it is killed, got 60',
    ],
    [
      "fixed replicas under KEDA",
      queue({ replicas: 2, autoscaling: { maxReplicas: 4 } }),
      'CeleryWorkerPool "shop" queues[0].replicas: expected no fixed replicas when autoscaling is set (KEDA owns the replica count), got 2. Use autoscaling.minReplicas instead',
    ],
    [
      "a queue named twice",
      { ...base, queues: [base.queues[0], base.queues[0]] },
      'CeleryWorkerPool "shop" queues[1].name: expected a queue named once per pool (one Deployment per queue; slow and fast tasks never share one), got "fast"',
    ],
    [
      "a broker URL in plain text",
      { ...base, env: { CELERY_BROKER_URL: "amqp://guest:guest@rabbitmq:5672/" } },
      'CeleryWorkerPool "shop" env.CELERY_BROKER_URL: expected a value that is not a secret (secrets come from a Secret through secretEnv), got "[redacted]". Move it to secretEnv: { NAME: { name: <secret>, key: <key> } }',
    ],
    [
      "a password in the command",
      { ...base, command: ["celery", "--broker=amqp://shop:hunter2@rabbitmq:5672/", "worker"] },
      'CeleryWorkerPool "shop" command[1]: expected an argument without a secret in it (an argument is readable by anyone who can read the workload), got "[redacted]". Read the secret through secretEnv and refer to it as $(NAME) in the argument',
    ],
    [
      "a classic queue type misspelled",
      queue({ queueType: "stream" }),
      'CeleryWorkerPool "shop" queues[0].queueType: expected quorum or classic, got "stream"',
    ],
    [
      "an untagged image",
      { ...base, image: "ghcr.io/acme/shop-worker" },
      'CeleryWorkerPool "shop" image: expected an image with a version tag or digest (untagged means :latest), got "ghcr.io/acme/shop-worker"',
    ],
    [
      "no broker Secret",
      { ...base, brokerUrlSecret: undefined },
      `CeleryWorkerPool "shop" brokerUrlSecret: expected the broker URL's Secret: { name, key? }, got nothing`,
    ],
  ])("refuses %s with one clear error", (_title, args, message) => {
    expect(fails(args)).toThrow(new TaskstackInputError([message]));
  });

  it("refuses a Deployment name over 63 characters", () => {
    expect(fails(queue({ name: "q".repeat(60) }))).toThrow(
      /queues\[0\]\.name: expected a shorter name: the Deployment "shop-q{60}" would be 65 characters, over Kubernetes' 63/,
    );
  });

  it("declares nothing when the args are invalid", async () => {
    const plan = await runProgram(() => {
      try {
        fails(queue({ taskTimeLimitSeconds: 600, terminationGracePeriodSeconds: 10 }))();
      } catch {
        // expected: the plan below must hold no resource
      }
    });
    expect(plan.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
  });

  it("fails only with input errors, for any time limits and grace periods", () => {
    const outcomes: Outcomes = { accepted: 0, rejected: 0 };
    // Common settings most of the time, so accepted pools are common too.
    const maybeInt = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(undefined, 1, 2, 30, 60, 300, 600, 3600) },
      fc.integer({ min: -10, max: 100_000 }),
      fc.constant(undefined),
      fc.constant("60"),
    );
    assertExercised(outcomes, { accepted: 10, rejected: 10 }, (params) => {
      fc.assert(
        fc.property(maybeInt, maybeInt, maybeInt, maybeInt, (hard, soft, grace, replicas) =>
          failsOnlyWithInputErrors(
            () =>
              workers.validateCeleryWorkerPoolArgs(
                "shop",
                queue({
                  taskTimeLimitSeconds: hard,
                  softTimeLimitSeconds: soft,
                  terminationGracePeriodSeconds: grace,
                  replicas,
                }),
              ),
            outcomes,
          ),
        ),
        { numRuns: 300, ...params },
      );
    });
  });
});
