import { createHash } from "node:crypto";
import { quantityBytes } from "../../lib/kubernetes-quantity";
import { atLeast } from "../../lib/rabbitmq-version";
import type { RabbitMqVersion } from "../../lib/rabbitmq-version";

// Pure renderers for what a RabbitMQ node reads at boot: rabbitmq.conf, enabled_plugins and the
// definitions JSON. No Pulumi here: RabbitMqCluster feeds them known values (or values inside an
// apply), `taskstack plan` writes their output to out/<stack>/rabbitmq/, and the real-RabbitMQ
// suite (test/integration/) boots Debian's rabbitmq-server 3.10 on exactly this text.

/** Bytes of a Kubernetes quantity such as `2Gi`, `512Mi`, `1G` or `500k`; undefined if not one. */
export { quantityBytes };

export {
  atLeast,
  bootHangFixedIn,
  parseRabbitMqVersion,
  rabbitMqVersionPattern,
} from "../../lib/rabbitmq-version";
export type { RabbitMqVersion } from "../../lib/rabbitmq-version";

/** The oldest server the renderer targets: Debian 12's 3.10, which the integration suite runs. */
export const oldestSupportedVersion = { major: 3, minor: 10 } as const;

/** Ports every node listens on. */
export const rabbitMqPorts = {
  amqp: 5672,
  management: 15672,
  prometheus: 15692,
  epmd: 4369,
  distribution: 25672,
} as const;

/** Where the pod finds what these renderers produce (the component mounts them there). */
export const rabbitMqPaths = {
  confDir: "/etc/rabbitmq/conf.d",
  confFile: "/etc/rabbitmq/conf.d/10-taskstack.conf",
  enabledPlugins: "/etc/rabbitmq/enabled_plugins",
  definitions: "/etc/rabbitmq/definitions.json",
  data: "/var/lib/rabbitmq",
} as const;

/** Plugins every cluster enables: the HTTP API, metrics, and Kubernetes peer discovery. */
export const rabbitMqPlugins = [
  "rabbitmq_management",
  "rabbitmq_prometheus",
  "rabbitmq_peer_discovery_k8s",
] as const;

/** Share of the container's memory limit RabbitMQ may use before it blocks publishers. */
export const memoryHighWatermark = 0.4;

export interface RabbitMqConfInput {
  readonly version: RabbitMqVersion;
  readonly replicas: number;
  /** The container's memory limit, in bytes: RabbitMQ must not size itself from the node's RAM. */
  readonly memoryLimitBytes: number;
  /** Free disk below which publishers are blocked, in bytes. */
  readonly diskFreeLimitBytes: number;
  /** The headless Service whose DNS names the nodes carry. */
  readonly headlessServiceName: string;
  readonly namespace: string;
  /** The Kubernetes cluster's DNS domain. @default "cluster.local" */
  readonly clusterDomain?: string;
  /**
   * Before 3.12 a consumer timeout is node-wide only (`consumer_timeout`): the longest any queue
   * asks for, in milliseconds. Ignored on 3.12+, where each queue's policy carries its own.
   */
  readonly consumerTimeoutMs?: number;
}

/** The first release whose policies take `consumer-timeout` (and queues `x-consumer-timeout`). */
export const perQueueConsumerTimeoutSince = { major: 3, minor: 12 } as const;

/** Kubernetes' default cluster DNS domain. */
export const defaultClusterDomain = "cluster.local";

/**
 * rabbitmq.conf in sections. Keys only newer servers understand are emitted only for them:
 * cuttlefish refuses a key its schema lacks, so one unknown key stops the node from booting.
 */
export function renderRabbitMqConf(input: RabbitMqConfInput): string {
  const v = input.version;
  const domain = input.clusterDomain ?? defaultClusterDomain;
  const versionText = `${v.major}.${v.minor}.${v.patch}`;
  const lines: string[] = [
    `# rabbitmq.conf rendered by taskstack for RabbitMQ ${versionText}, ${input.replicas} node${input.replicas === 1 ? "" : "s"}.`,
    "",
    "## Partitions: a node that cannot see a majority pauses (stops serving clients) instead of",
    "## accepting writes on its own side; the default (ignore) lets both sides diverge.",
    "cluster_partition_handling = pause_minority",
    "",
    "## Cluster formation (first boot of an empty node only).",
    "cluster_formation.peer_discovery_backend = rabbit_peer_discovery_k8s",
  ];
  if (atLeast(v, 4, 1)) {
    // 4.1's plugin derives its seed node (<statefulset>-0) from the pod's own hostname and no
    // longer reads the Kubernetes API, so the endpoint-listing keys mean nothing to it.
    lines.push("# 4.1+: peers are <statefulset>-<ordinal> under this node's own domain.");
  } else {
    lines.push(
      `cluster_formation.k8s.host = kubernetes.default.svc.${domain}`,
      "cluster_formation.k8s.address_type = hostname",
      `cluster_formation.k8s.service_name = ${input.headlessServiceName}`,
      `cluster_formation.k8s.hostname_suffix = .${input.headlessServiceName}.${input.namespace}.svc.${domain}`,
    );
  }
  lines.push(
    // Never remove a node that is only briefly gone: a paused minority must be able to come back.
    "cluster_formation.node_cleanup.only_log_warning = true",
    `cluster_formation.target_cluster_size_hint = ${input.replicas}`,
  );
  if (atLeast(v, 3, 13) && input.replicas > 1) {
    // Quorum queues declared while only some nodes were up (definitions load on the first node to
    // boot) get fewer members; 3.13+ grows them back to the cluster's size by itself.
    lines.push(
      "quorum_queue.continuous_membership_reconciliation.enabled = true",
      `quorum_queue.continuous_membership_reconciliation.target_group_size = ${input.replicas}`,
    );
  }
  lines.push(
    "",
    "## Resources: the container's limits, not the Kubernetes node's.",
    `total_memory_available_override_value = ${input.memoryLimitBytes}`,
    `vm_memory_high_watermark.relative = ${memoryHighWatermark}`,
    `disk_free_limit.absolute = ${input.diskFreeLimitBytes}`,
  );
  if (
    input.consumerTimeoutMs !== undefined &&
    !atLeast(v, perQueueConsumerTimeoutSince.major, perQueueConsumerTimeoutSince.minor)
  ) {
    lines.push(
      "",
      "## A consumer holding a delivery longer than this loses its channel (406); before 3.12 only",
      "## node-wide, so the longest any queue needs.",
      `consumer_timeout = ${input.consumerTimeoutMs}`,
    );
  }
  lines.push(
    "",
    "## Clients: named users only.",
    "auth_mechanisms.1 = PLAIN",
    "auth_mechanisms.2 = AMQPLAIN",
  );
  if (atLeast(v, 4, 0)) {
    // 4.0 added anonymous logins (as guest, from loopback by default); turn them off entirely.
    lines.push("anonymous_login_user = none");
  }
  lines.push(
    `listeners.tcp.default = ${rabbitMqPorts.amqp}`,
    `management.tcp.port = ${rabbitMqPorts.management}`,
    `prometheus.tcp.port = ${rabbitMqPorts.prometheus}`,
    "",
    "## Logs to stdout, for the container runtime.",
    "log.console = true",
    "log.console.level = info",
    "log.file = false",
    "",
    "## Users, vhosts, exchanges, queues and bindings: declared as code, loaded at every boot.",
    `load_definitions = ${rabbitMqPaths.definitions}`,
    "",
  );
  return lines.join("\n");
}

/** enabled_plugins, an Erlang term list. */
export function renderEnabledPlugins(plugins: readonly string[] = rabbitMqPlugins): string {
  return `[${plugins.join(",")}].\n`;
}

/** RabbitMQ exchange types. */
export const ExchangeType = {
  Direct: "direct",
  Topic: "topic",
  Fanout: "fanout",
  Headers: "headers",
} as const;
export type ExchangeType = (typeof ExchangeType)[keyof typeof ExchangeType];

/** RabbitMQ queue types: quorum queues are replicated over the cluster, classic ones live on one node. */
export const QueueType = {
  Quorum: "quorum",
  Classic: "classic",
} as const;
export type QueueType = (typeof QueueType)[keyof typeof QueueType];

export interface ExchangeDefinition {
  readonly name: string;
  readonly type?: ExchangeType;
}

export interface QueueBindingDefinition {
  readonly exchange: string;
  readonly routingKey?: string;
}

export interface QueueDefinition {
  readonly name: string;
  readonly type?: QueueType;
  readonly deadLetterExchange?: string;
  readonly deadLetterRoutingKey?: string;
  readonly deliveryLimit?: number;
  readonly consumerTimeoutSeconds?: number;
  readonly bindings?: readonly QueueBindingDefinition[];
}

export interface UserDefinition {
  readonly name: string;
  /** `rabbit_password_hashing_sha256` hash (see {@link rabbitPasswordHash}). */
  readonly passwordHash: string;
  readonly tags: readonly string[];
}

export interface DefinitionsInput {
  /** The server's version: policy keys it lacks are left out (it refuses unknown ones). */
  readonly version: RabbitMqVersion;
  readonly vhost: string;
  readonly users: readonly UserDefinition[];
  readonly exchanges: readonly ExchangeDefinition[];
  readonly queues: readonly QueueDefinition[];
}

/** What a queue gets when its args leave it out. */
export const queueDefaults = { type: "quorum", deliveryLimit: 20 } as const;

/**
 * Priority of the per-queue policies. One policy applies to a queue (the highest priority match),
 * so ours sit above the default 0 of a catch-all policy an operator may add (`.*`, priority 0).
 */
export const queuePolicyPriority = 10;

/** The policy that carries a queue's dead-lettering and delivery limit: `taskstack-queue-<name>`. */
export function queuePolicyName(queue: string): string {
  return `taskstack-queue-${queue}`;
}

/** A policy pattern matching exactly one queue name (regex characters escaped). */
export function exactQueuePattern(queue: string): string {
  return `^${queue.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
}

/**
 * A queue's dead-lettering, delivery limit and consumer timeout as policy keys (what
 * `x-dead-letter-exchange`, `x-dead-letter-routing-key`, `x-delivery-limit` and
 * `x-consumer-timeout` would set as arguments; the timeout only on 3.12+, whose policies know
 * it). Empty when the queue has none: a classic queue without a dead-letter exchange.
 */
export function queuePolicyDefinition(
  q: QueueDefinition,
  version: RabbitMqVersion,
): Record<string, string | number> {
  const definition: Record<string, string | number> = {};
  if (q.deadLetterExchange !== undefined) {
    definition["dead-letter-exchange"] = q.deadLetterExchange;
    if (q.deadLetterRoutingKey !== undefined) {
      definition["dead-letter-routing-key"] = q.deadLetterRoutingKey;
    }
  }
  if ((q.type ?? queueDefaults.type) === "quorum") {
    definition["delivery-limit"] = q.deliveryLimit ?? queueDefaults.deliveryLimit;
  }
  if (
    q.consumerTimeoutSeconds !== undefined &&
    atLeast(version, perQueueConsumerTimeoutSince.major, perQueueConsumerTimeoutSince.minor)
  ) {
    // Milliseconds; RabbitMQ closes the channel of a consumer that holds a delivery longer.
    definition["consumer-timeout"] = q.consumerTimeoutSeconds * 1000;
  }
  return definition;
}

/**
 * RabbitMQ's internal password hash (`rabbit_password_hashing_sha256`): base64 of a 4-byte salt
 * followed by SHA-256(salt ‖ password). The salt is derived from the user and password so the
 * same password renders the same definitions (no diff on every `pulumi up`).
 */
export function rabbitPasswordHash(user: string, password: string): string {
  const salt = createHash("sha256").update(`taskstack:${user}:${password}`).digest().subarray(0, 4);
  const digest = createHash("sha256")
    .update(Buffer.concat([salt, Buffer.from(password, "utf8")]))
    .digest();
  return Buffer.concat([salt, digest]).toString("base64");
}

/**
 * The definitions file the nodes import at boot. Users carry password hashes, so the file as a
 * whole is secret (RabbitMqCluster keeps it in a Kubernetes Secret); every other part is plain.
 * Queues carry only `x-queue-type`; dead-lettering and delivery limits are one policy per queue,
 * its pattern anchored to the queue's exact name.
 */
export function renderDefinitions(input: DefinitionsInput): Record<string, unknown> {
  const vhost = input.vhost;
  return {
    users: input.users.map((u) => ({
      name: u.name,
      password_hash: u.passwordHash,
      hashing_algorithm: "rabbit_password_hashing_sha256",
      // A comma-separated string: 3.10 and 4.x both read it (lists only newer servers).
      tags: u.tags.join(","),
    })),
    vhosts: [{ name: vhost }],
    // Only the declared vhost: with definitions at boot RabbitMQ seeds no default vhost, and one
    // permission on a missing vhost (3.10 checked) silently stops the import of everything after.
    permissions: input.users.map((u) => ({
      user: u.name,
      vhost,
      configure: ".*",
      write: ".*",
      read: ".*",
    })),
    exchanges: input.exchanges.map((e) => ({
      name: e.name,
      vhost,
      type: e.type ?? "direct",
      durable: true,
      auto_delete: false,
      internal: false,
      arguments: {},
    })),
    // Only the type is a queue argument. Clients (Celery) redeclare their queue at start, and
    // RabbitMQ refuses a redeclaration whose arguments differ (PRECONDITION_FAILED); a client can
    // be made to send the type, not every dead-letter setting. Those are policies, below.
    queues: input.queues.map((q) => ({
      name: q.name,
      vhost,
      durable: true,
      auto_delete: false,
      arguments: { "x-queue-type": q.type ?? queueDefaults.type },
    })),
    policies: input.queues.flatMap((q) => {
      const definition = queuePolicyDefinition(q, input.version);
      if (Object.keys(definition).length === 0) return [];
      return [
        {
          vhost,
          name: queuePolicyName(q.name),
          pattern: exactQueuePattern(q.name),
          "apply-to": "queues",
          priority: queuePolicyPriority,
          definition,
        },
      ];
    }),
    bindings: input.queues.flatMap((q) =>
      (q.bindings ?? []).map((b) => ({
        source: b.exchange,
        vhost,
        destination: q.name,
        destination_type: "queue",
        routing_key: b.routingKey ?? q.name,
        arguments: {},
      })),
    ),
  };
}

/**
 * Pods a PodDisruptionBudget may evict at once: one. Two nodes stopped together both pass their
 * preStop quorum check (each still sees the other), and quorum queues that have only three
 * members (the default initial size before membership reconciliation grows them) can lose their
 * majority; cluster-operator's production example uses `maxUnavailable: 1` too.
 */
export const brokerMaxUnavailable = 1;

/** The most nodes that may fail while a majority remains. */
export function quorumMaxUnavailable(replicas: number): number {
  return Math.floor((replicas - 1) / 2);
}

/** Nodes that make a majority. */
export function quorumSize(replicas: number): number {
  return Math.floor(replicas / 2) + 1;
}
