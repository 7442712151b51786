import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TaskstackInputError, messaging } from "../../components";
import { readStackFile, runProgram, toEngineConfig } from "../../testing";
import { decodeConfigValues, parseStackConfig } from "../../stacks/config";
import type { StackConfig } from "../../stacks/config";
import { buildEnvironment } from "../../stacks/environment";
import { rabbitMqClusterArgsFor } from "../../stacks/kubernetes-rabbitmq";
import { assertExercised, mostly } from "../support/properties";

const file = "stacks/Pulumi.prod.yaml";
const prod = {
  "taskstack:environment": "prod",
  "taskstack:gcp": { project: "acme-shop-prod", region: "europe-west1" },
  "taskstack:monitoring": {
    notificationChannels: [{ name: "oncall", email: "oncall@acme.example" }],
  },
};

function parsed(raw: Record<string, unknown>): StackConfig | TaskstackInputError {
  try {
    return parseStackConfig(raw, file);
  } catch (err) {
    if (err instanceof TaskstackInputError) return err;
    throw err;
  }
}

const problems = (rabbitmq: unknown, environment = "prod"): readonly string[] => {
  const result = parsed({
    ...prod,
    "taskstack:environment": environment,
    "taskstack:kubernetes": { namespace: "tasks", rabbitmq },
  });
  return result instanceof TaskstackInputError ? result.problems : [];
};

describe("taskstack:kubernetes.rabbitmq", () => {
  it.each([
    ["dev", 1],
    ["staging", 3],
    ["prod", 5],
  ])(
    "reads the %s stack's cluster: %i nodes, celery queues and a dead-letter queue",
    (stack, replicas) => {
      const raw = readStackFile(path.join(__dirname, "..", "..", "stacks", `Pulumi.${stack}.yaml`));
      const config = parseStackConfig(decodeConfigValues(toEngineConfig("taskstack", raw).values));
      const rabbitmq = config["taskstack:kubernetes"]?.rabbitmq;
      expect(rabbitmq?.name).toBe("celery-broker");
      expect(rabbitmq?.replicas).toBe(replicas);
      // The path the worker pools validate their queue against.
      expect(rabbitmq?.queues?.map((q) => q.name)).toEqual([
        "celery-fast",
        "celery-slow",
        "celery-dead-letter",
      ]);
    },
  );

  it.each<[string, unknown, string, string[]]>([
    [
      "one node in prod",
      { replicas: 1 },
      "prod",
      [
        `${file}: taskstack:kubernetes.rabbitmq.replicas: expected at least 3 nodes in prod (one node lost must leave a majority), got 1`,
      ],
    ],
    [
      "preferred anti-affinity in prod",
      { antiAffinity: "preferred" },
      "prod",
      [
        `${file}: taskstack:kubernetes.rabbitmq.antiAffinity: expected required in prod (two nodes on one host fail together and take the majority with them), got "preferred"`,
      ],
    ],
    [
      "an even count, anywhere",
      { replicas: 2 },
      "dev",
      [
        `${file}: taskstack:kubernetes.rabbitmq.replicas: expected an odd number of nodes (pause_minority needs a strict majority on one side of any split), got 2. Use 1 or 3`,
      ],
    ],
    [
      "shrinking",
      { replicas: 3, deployedReplicas: 5 },
      "prod",
      [
        `${file}: taskstack:kubernetes.rabbitmq.replicas: expected at least the 5 nodes deployed now (shrinking drops quorum-queue members and can lose the majority), got 3. Remove nodes by hand (rabbitmq-queues shrink, forget_cluster_node), then lower deployedReplicas`,
      ],
    ],
    [
      "a component-only key",
      { namespace: "other" },
      "dev",
      [
        `${file}: taskstack:kubernetes.rabbitmq.namespace: unknown key (expected one of name, replicas, deployedReplicas, version, image, vhost, clusterDomain, cpu, memory, storage, storageClassName, terminationGracePeriodSeconds, delayStartSeconds, antiAffinity, zoneSpread, adminUser, appUser, exchanges, queues), got "other"`,
      ],
    ],
  ])("refuses %s", (_case, rabbitmq, environment, messages) => {
    expect(problems(rabbitmq, environment)).toEqual(messages);
  });

  it("accepts one node outside prod", () => {
    expect(problems({ replicas: 1 }, "dev")).toEqual([]);
    expect(problems({ replicas: 1 }, "staging")).toEqual([]);
  });

  // Mostly values the stack file accepts, one wrong now and then: both outcomes must be common.
  const cluster = fc.record(
    {
      name: mostly(
        fc.constantFrom("rabbitmq", "celery-broker", "b"),
        fc.constantFrom("x".repeat(41), "Bad"),
      ),
      replicas: mostly(fc.constantFrom(1, 3, 5, 7), fc.integer({ min: 0, max: 10 })),
      deployedReplicas: fc.integer({ min: 0, max: 6 }),
      version: mostly(fc.constantFrom("3.10.8", "3.13.7", "4.1.4"), fc.constant("3.8.0")),
      memory: mostly(fc.constantFrom("256Mi", "1Gi", "4Gi"), fc.constant("100Mi")),
      storage: fc.constantFrom("2Gi", "20Gi", "100Gi"),
      antiAffinity: mostly(fc.constant("required"), fc.constant("preferred")),
      exchanges: mostly(
        fc.constantFrom([], [{ name: "dlx" }]),
        fc.constant([{ name: "dlx" }, { name: "dlx" }]),
      ),
      queues: fc.array(
        fc.record(
          {
            name: mostly(fc.constantFrom("fast", "slow", "dead"), fc.constant("amq.x")),
            type: fc.constantFrom("quorum", "classic"),
            deadLetterExchange: mostly(fc.constant("dlx"), fc.constant("other")),
            deliveryLimit: mostly(fc.integer({ min: 1, max: 30 }), fc.constant(0)),
            bindings: mostly(
              fc.constantFrom([], [{ exchange: "dlx" }]),
              fc.constant([{ exchange: "nope" }]),
            ),
          },
          { requiredKeys: ["name"] },
        ),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: [] },
  );
  const stackWith = (rabbitmq: unknown, environment: string) =>
    parsed({
      ...prod,
      "taskstack:environment": environment,
      "taskstack:kubernetes": { namespace: "tasks", rabbitmq },
    });

  it("accepts only clusters the component accepts: a valid stack file never fails inside RabbitMqCluster", () => {
    const counts = { accepted: 0, refused: 0 };
    assertExercised(counts, { accepted: 20, refused: 20 }, (params) =>
      fc.assert(
        fc.property(cluster, fc.constantFrom("dev", "prod"), (rabbitmq, environment) => {
          const result = stackWith(rabbitmq, environment);
          if (result instanceof TaskstackInputError) {
            counts.refused++;
            return result.problems.every((p) =>
              p.startsWith(`${file}: taskstack:kubernetes.rabbitmq`),
            );
          }
          counts.accepted++;
          const name = result["taskstack:kubernetes"]?.rabbitmq?.name;
          messaging.validateRabbitMqClusterArgs(name, rabbitMqClusterArgsFor(result));
          return true;
        }),
        { numRuns: 600, ...params },
      ),
    );
  });

  it("declares accepted clusters without failing inside the component", async () => {
    const accepted = fc
      .sample(cluster, { numRuns: 400, seed: 11 })
      .map((c) => stackWith(c, "dev"))
      .filter((c): c is StackConfig => !(c instanceof TaskstackInputError))
      .slice(0, 4);
    expect(accepted).toHaveLength(4);
    for (const config of accepted) {
      const plan = await runProgram(() => buildEnvironment(config), {
        config: { "gcp:project": "acme-shop-prod" },
      });
      expect(plan.resourceCount(messaging.RabbitMqCluster)).toBe(1);
    }
  });
});
