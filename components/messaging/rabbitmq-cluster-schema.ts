import { z } from "zod";
import { byteQuantityPattern } from "../../lib/kubernetes-workload";
import { always, bool, expected, int, pattern, problem, shortName } from "../shared/schema";
import {
  atLeast,
  defaultClusterDomain,
  oldestSupportedVersion,
  parseRabbitMqVersion,
  quantityBytes,
  rabbitMqVersionPattern,
} from "./rabbitmq-config";
import type { DerivedName } from "../shared/claims";

// RabbitMqCluster's one args schema: the component validates with it, and the stack file's
// `taskstack:kubernetes.rabbitmq` is built from its shape and rules
// (stacks/sections/kubernetes-rabbitmq.ts). Kept beside rabbitmq-cluster.ts so that file stays
// readable.

/** What the cluster gets for each setting left out (documented as `@default` on its args). */
export const rabbitMqDefaults = {
  version: "4.1.4",
  replicas: 3,
  vhost: "/",
  cpu: "1",
  memory: "2Gi",
  storage: "20Gi",
  terminationGracePeriodSeconds: 3600,
  delayStartSeconds: 30,
  antiAffinity: "required",
  zoneSpread: "ScheduleAnyway",
  adminUser: "admin",
  appUser: "app",
  clusterDomain: defaultClusterDomain,
} as const;

/** The longest cluster name: pods are `<name>-<ordinal>` and a StatefulSet name must leave room. */
export const maxClusterNameLength = 40;

export const rabbitMqClusterName = pattern(
  new RegExp(`^[a-z](?:[a-z0-9-]{0,${maxClusterNameLength - 2}}[a-z0-9])?$`),
  `1–${maxClusterNameLength} lowercase letters, digits or -, starting with a letter (a DNS label with room for Kubernetes' suffixes)`,
);

const versionText = pattern(
  rabbitMqVersionPattern,
  `a RabbitMQ version such as "${rabbitMqDefaults.version}" (major.minor.patch)`,
);

const quantity = (what: string) =>
  pattern(byteQuantityPattern, `${what} as a Kubernetes quantity such as "2Gi"`);

/** A DNS domain such as `cluster.local`: lowercase labels of letters, digits and -. */
const dnsDomain = pattern(
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/,
  'the Kubernetes cluster\'s DNS domain, such as "cluster.local"',
);

const cpuQuantity = pattern(/^(\d+m|\d+(\.\d+)?)$/, 'a CPU quantity such as "500m" or "2"').refine(
  (c) => (c.endsWith("m") ? Number(c.slice(0, -1)) > 0 : Number(c) > 0),
  {
    error: "expected a CPU quantity above zero",
  },
);

/** An AMQP object name: printable, no spaces, not in RabbitMQ's reserved `amq.` namespace. */
const amqpName = pattern(
  /^(?!amq\.)[A-Za-z0-9][A-Za-z0-9._:-]{0,254}$/,
  "1–255 letters, digits, . _ : -, not starting with amq. (reserved)",
);

const vhostName = pattern(
  /^[A-Za-z0-9/][A-Za-z0-9._/-]{0,254}$/,
  'a vhost name such as "/" or "celery"',
);

const userName = pattern(
  /^[a-z][a-z0-9_-]{0,63}$/,
  "a user name: lowercase letters, digits, _ or -",
);

export const exchangeShape = {
  name: amqpName,
  type: z
    .enum(["direct", "topic", "fanout", "headers"], expected("direct, topic, fanout or headers"))
    .optional(),
};

export const queueBindingShape = {
  exchange: amqpName,
  routingKey: z
    .string(expected("a routing key"))
    .max(255, expected("at most 255 characters"))
    .optional(),
};

export const queueShape = {
  name: amqpName,
  type: z.enum(["quorum", "classic"], expected("quorum or classic")).optional(),
  deadLetterExchange: amqpName.optional(),
  deadLetterRoutingKey: z
    .string(expected("a routing key"))
    .max(255, expected("at most 255 characters"))
    .optional(),
  deliveryLimit: int(1, 1000).optional(),
  consumerTimeoutSeconds: int(60, 604_800).optional(),
  bindings: z
    .array(
      z.strictObject(queueBindingShape, expected("a binding: exchange and routingKey")),
      expected("a list of bindings"),
    )
    .optional(),
};

/** The cluster's fields a stack file can hold too (everything but `protect` and `namespace`). */
export const rabbitMqClusterShape = {
  replicas: int(1, 9).optional(),
  deployedReplicas: int(0, 9).optional(),
  version: versionText.optional(),
  image: pattern(/^\S+$/, "a container image reference").optional(),
  vhost: vhostName.optional(),
  clusterDomain: dnsDomain.optional(),
  cpu: cpuQuantity.optional(),
  memory: quantity("memory").optional(),
  storage: quantity("storage").optional(),
  storageClassName: shortName.optional(),
  terminationGracePeriodSeconds: int(60, 604_800).optional(),
  delayStartSeconds: int(0, 300).optional(),
  antiAffinity: z.enum(["required", "preferred"], expected("required or preferred")).optional(),
  zoneSpread: z
    .enum(["ScheduleAnyway", "DoNotSchedule"], expected("ScheduleAnyway or DoNotSchedule"))
    .optional(),
  adminUser: userName.optional(),
  appUser: userName.optional(),
  exchanges: z
    .array(
      z.strictObject(exchangeShape, expected("an exchange: a mapping with a name")),
      expected("a list of exchanges"),
    )
    .optional(),
  queues: z
    .array(
      z.strictObject(queueShape, expected("a queue: a mapping with a name")),
      expected("a list of queues"),
    )
    .optional(),
};

type ClusterLike = Partial<Record<keyof typeof rabbitMqClusterShape, unknown>>;

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null)
    : [];
}

/** Rules that span the cluster's fields. */
export function rabbitMqClusterRules(c: ClusterLike, ctx: z.RefinementCtx): void {
  const replicas = c.replicas ?? rabbitMqDefaults.replicas;
  if (typeof replicas === "number" && Number.isInteger(replicas) && replicas % 2 === 0) {
    problem(
      ctx,
      ["replicas"],
      "an odd number of nodes (pause_minority needs a strict majority on one side of any split)",
      replicas,
      `Use ${replicas - 1} or ${replicas + 1}`,
    );
  }
  if (
    typeof c.deployedReplicas === "number" &&
    typeof replicas === "number" &&
    replicas < c.deployedReplicas
  ) {
    problem(
      ctx,
      ["replicas"],
      `at least the ${c.deployedReplicas} nodes deployed now (shrinking drops quorum-queue members and can lose the majority)`,
      replicas,
      "Remove nodes by hand (rabbitmq-queues shrink, forget_cluster_node), then lower deployedReplicas",
    );
  }
  if (typeof c.version === "string") {
    const v = parseRabbitMqVersion(c.version);
    if (v && !atLeast(v, oldestSupportedVersion.major, oldestSupportedVersion.minor)) {
      problem(
        ctx,
        ["version"],
        `${oldestSupportedVersion.major}.${oldestSupportedVersion.minor}.0 or newer (the oldest configuration taskstack renders)`,
        c.version,
      );
    }
  }
  if (c.image !== undefined && c.version === undefined) {
    problem(
      ctx,
      ["version"],
      "the RabbitMQ version of that image (it decides which configuration keys the node accepts)",
      undefined,
    );
  }
  const memory = typeof c.memory === "string" ? quantityBytes(c.memory) : undefined;
  const storage = typeof c.storage === "string" ? quantityBytes(c.storage) : undefined;
  if (memory !== undefined && memory < 256 * 2 ** 20) {
    problem(ctx, ["memory"], "at least 256Mi (a RabbitMQ node does not boot in less)", c.memory);
  }
  const memoryOrDefault = memory ?? quantityBytes(rabbitMqDefaults.memory);
  const storageOrDefault = storage ?? quantityBytes(rabbitMqDefaults.storage);
  if (
    memoryOrDefault !== undefined &&
    storageOrDefault !== undefined &&
    (c.memory === undefined || memory !== undefined) &&
    (c.storage === undefined || storage !== undefined) &&
    storageOrDefault < 2 * memoryOrDefault
  ) {
    problem(
      ctx,
      ["storage"],
      `at least twice the memory (${String(c.memory ?? rabbitMqDefaults.memory)}): the free-disk limit equals the memory, and publishers block below it`,
      c.storage ?? rabbitMqDefaults.storage,
    );
  }
  if (typeof c.adminUser === "string" && c.adminUser === (c.appUser ?? rabbitMqDefaults.appUser)) {
    problem(ctx, ["appUser"], "a user other than adminUser", c.appUser ?? rabbitMqDefaults.appUser);
  }

  const exchanges = records(c.exchanges);
  const exchangeNames = new Set<string>();
  exchanges.forEach((e, i) => {
    if (typeof e["name"] !== "string") return;
    if (exchangeNames.has(e["name"])) {
      problem(ctx, ["exchanges", i, "name"], "a name unique among exchanges", e["name"]);
    }
    exchangeNames.add(e["name"]);
  });
  const queues = records(c.queues);
  const queueNames = new Set<string>();
  const boundExchanges = new Set<string>();
  queues.forEach((q, i) => {
    if (typeof q["name"] === "string") {
      if (queueNames.has(q["name"])) {
        problem(ctx, ["queues", i, "name"], "a name unique among queues", q["name"]);
      }
      queueNames.add(q["name"]);
    }
    records(q["bindings"]).forEach((b, j) => {
      const ex = b["exchange"];
      if (typeof ex !== "string") return;
      boundExchanges.add(ex);
      if (!exchangeNames.has(ex)) {
        problem(
          ctx,
          ["queues", i, "bindings", j, "exchange"],
          "an exchange declared in exchanges",
          ex,
        );
      }
    });
    const dlx = q["deadLetterExchange"];
    if (typeof dlx === "string" && !exchangeNames.has(dlx)) {
      problem(ctx, ["queues", i, "deadLetterExchange"], "an exchange declared in exchanges", dlx);
    }
    if (q["deadLetterRoutingKey"] !== undefined && dlx === undefined) {
      problem(
        ctx,
        ["queues", i, "deadLetterExchange"],
        "an exchange when deadLetterRoutingKey is set",
        undefined,
      );
    }
    if (q["type"] === "classic" && q["deliveryLimit"] !== undefined) {
      problem(
        ctx,
        ["queues", i, "deliveryLimit"],
        "no delivery limit on a classic queue (quorum queues only)",
        q["deliveryLimit"],
      );
    }
  });
  // A dead-letter exchange nobody drains drops every dead letter.
  queues.forEach((q, i) => {
    const dlx = q["deadLetterExchange"];
    if (typeof dlx === "string" && exchangeNames.has(dlx) && !boundExchanges.has(dlx)) {
      problem(
        ctx,
        ["queues", i, "deadLetterExchange"],
        `a dead-letter exchange some queue is bound to: nothing is bound to "${dlx}", so dead letters would be dropped`,
        dlx,
        `Add a queue with bindings: [{ exchange: ${dlx} }]`,
      );
    }
  });
  deadLetterRoutingRules(exchanges, queues, ctx);
}

/** The binding keys of every queue bound to each exchange (a binding's key defaults to its queue's name). */
function bindingKeys(queues: Record<string, unknown>[]): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const q of queues) {
    for (const b of records(q["bindings"])) {
      const ex = b["exchange"];
      const key = b["routingKey"] ?? q["name"];
      if (typeof ex !== "string" || typeof key !== "string") continue;
      keys.set(ex, [...(keys.get(ex) ?? []), key]);
    }
  }
  return keys;
}

/** Whether a key holds a topic wildcard word (`#` or `*` between dots). */
export function hasWildcardWord(key: string): boolean {
  return key.split(".").some((w) => w === "#" || w === "*");
}

/**
 * A topic exchange's match of a routing key against a binding key: words split on `.`, `*` is
 * exactly one word, `#` zero or more (rabbit_exchange_type_topic / rabbit_db_topic_exchange).
 */
export function topicMatches(bindingKey: string, routingKey: string): boolean {
  const pattern = bindingKey.split(".");
  const words = routingKey.split(".");
  const match = (p: number, w: number): boolean => {
    if (p === pattern.length) return w === words.length;
    const part = pattern[p];
    if (part === "#") return match(p + 1, w) || (w < words.length && match(p, w + 1));
    if (w === words.length) return false;
    return (part === "*" || part === words[w]) && match(p + 1, w + 1);
  };
  return match(0, 0);
}

/**
 * A dead letter is republished to its dead-letter exchange with the queue's
 * `dead-letter-routing-key`, or, when none is set, with the key it was published with: for Celery
 * and the default exchange that is the source queue's name (rabbit_dead_letter). A direct
 * exchange compares that key with each binding key literally (`#` and `*` are wildcards on topic
 * exchanges only), so a key no queue is bound with drops every dead letter, silently. Fanout
 * ignores keys; headers exchanges route on headers, which these definitions do not bind.
 */
function deadLetterRoutingRules(
  exchanges: Record<string, unknown>[],
  queues: Record<string, unknown>[],
  ctx: z.RefinementCtx,
): void {
  const types = new Map<string, string>();
  for (const e of exchanges) {
    if (typeof e["name"] === "string") {
      types.set(e["name"], typeof e["type"] === "string" ? e["type"] : "direct");
    }
  }
  queues.forEach((q, i) => {
    records(q["bindings"]).forEach((b, j) => {
      const ex = b["exchange"];
      const key = b["routingKey"];
      const type = typeof ex === "string" ? types.get(ex) : undefined;
      if (typeof key !== "string" || !hasWildcardWord(key)) return;
      if (type !== "direct" && type !== "fanout") return;
      problem(
        ctx,
        ["queues", i, "bindings", j, "routingKey"],
        `a literal routing key on the ${type} exchange "${String(ex)}" ("#" and "*" are wildcards only on a topic exchange; here "${key}" matches only messages whose key is literally "${key}")`,
        key,
        `Declare "${String(ex)}" with type: topic, or leave routingKey out (it defaults to the queue's name) and set each source queue's deadLetterRoutingKey to that name`,
      );
    });
  });
  const keys = bindingKeys(queues);
  queues.forEach((q, i) => {
    const dlx = q["deadLetterExchange"];
    if (typeof dlx !== "string") return;
    const type = types.get(dlx);
    const bound = keys.get(dlx);
    if (bound === undefined || (type !== "direct" && type !== "topic")) return;
    const explicit = q["deadLetterRoutingKey"];
    const key = typeof explicit === "string" ? explicit : q["name"];
    if (typeof key !== "string") return;
    const routed =
      type === "direct" ? bound.includes(key) : bound.some((b) => topicMatches(b, key));
    if (routed) return;
    const shown = bound.map((b) => JSON.stringify(b)).join(", ");
    const literal = bound.filter((b) => !hasWildcardWord(b));
    problem(
      ctx,
      ["queues", i, "deadLetterRoutingKey"],
      typeof explicit === "string"
        ? `a dead-letter routing key that a queue bound to the ${type} exchange "${dlx}" matches (bound with ${shown}): dead letters republished with "${key}" would be dropped`
        : `a dead-letter routing key: without one, dead letters are republished to the ${type} exchange "${dlx}" with their original key (Celery's is the queue's name, "${key}"), which no queue bound to it matches (bound with ${shown}), so they would be dropped`,
      typeof explicit === "string" ? explicit : undefined,
      literal.length > 0
        ? `Set deadLetterRoutingKey: ${literal[0]}`
        : type === "topic"
          ? `Set deadLetterRoutingKey to a key that ${shown} matches`
          : `Declare "${dlx}" with type: topic, or bind the dead-letter queue without a routingKey and set deadLetterRoutingKey to its name`,
    );
  });
}

/** RabbitMqCluster's args as its constructor checks them, with the component's name. */
export const rabbitMqClusterArgsSchema = z
  .strictObject(
    {
      name: rabbitMqClusterName,
      namespace: shortName,
      ...rabbitMqClusterShape,
      protect: bool.optional(),
    },
    expected("RabbitMqCluster args: a mapping"),
  )
  .superRefine(rabbitMqClusterRules, always);

/**
 * The Kubernetes object names (all in the cluster's namespace) a RabbitMqCluster named `name`
 * declares. Two clusters, or a cluster and a worker pool, must share none of them.
 */
export function rabbitMqClusterDerivedNames(name: string): DerivedName[] {
  return [
    { kind: "Kubernetes StatefulSet", name },
    { kind: "Kubernetes Service", name },
    { kind: "Kubernetes Service", name: `${name}-nodes` },
    { kind: "Kubernetes ConfigMap", name: `${name}-config` },
    { kind: "Kubernetes Secret", name: `${name}-erlang-cookie` },
    { kind: "Kubernetes Secret", name: `${name}-definitions` },
    { kind: "Kubernetes Secret", name: `${name}-admin` },
    { kind: "Kubernetes Secret", name: `${name}-broker` },
    { kind: "Kubernetes ServiceAccount", name },
    { kind: "Kubernetes PodDisruptionBudget", name },
  ];
}
