import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  exactQueuePattern,
  parseRabbitMqVersion,
  queuePolicyDefinition,
  quantityBytes,
  quorumMaxUnavailable,
  quorumSize,
  rabbitPasswordHash,
  renderDefinitions,
  renderEnabledPlugins,
  renderRabbitMqConf,
} from "../../../components/messaging/rabbitmq-config";
import type { RabbitMqVersion } from "../../../components/messaging/rabbitmq-config";

const v = (text: string): RabbitMqVersion => parseRabbitMqVersion(text) as RabbitMqVersion;
const conf = (version: string, replicas = 3, clusterDomain?: string) =>
  renderRabbitMqConf({
    version: v(version),
    replicas,
    memoryLimitBytes: 2 * 2 ** 30,
    diskFreeLimitBytes: 2 * 2 ** 30,
    headlessServiceName: "broker-nodes",
    namespace: "tasks",
    ...(clusterDomain ? { clusterDomain } : {}),
  });

describe("renderRabbitMqConf", () => {
  it("renders the whole file for Debian's 3.10 (the version the integration suite boots)", () => {
    expect(conf("3.10.8")).toBe(`# rabbitmq.conf rendered by taskstack for RabbitMQ 3.10.8, 3 nodes.

## Partitions: a node that cannot see a majority pauses (stops serving clients) instead of
## accepting writes on its own side; the default (ignore) lets both sides diverge.
cluster_partition_handling = pause_minority

## Cluster formation (first boot of an empty node only).
cluster_formation.peer_discovery_backend = rabbit_peer_discovery_k8s
cluster_formation.k8s.host = kubernetes.default.svc.cluster.local
cluster_formation.k8s.address_type = hostname
cluster_formation.k8s.service_name = broker-nodes
cluster_formation.k8s.hostname_suffix = .broker-nodes.tasks.svc.cluster.local
cluster_formation.node_cleanup.only_log_warning = true
cluster_formation.target_cluster_size_hint = 3

## Resources: the container's limits, not the Kubernetes node's.
total_memory_available_override_value = 2147483648
vm_memory_high_watermark.relative = 0.4
disk_free_limit.absolute = 2147483648

## Clients: named users only.
auth_mechanisms.1 = PLAIN
auth_mechanisms.2 = AMQPLAIN
listeners.tcp.default = 5672
management.tcp.port = 15672
prometheus.tcp.port = 15692

## Logs to stdout, for the container runtime.
log.console = true
log.console.level = info
log.file = false

## Users, vhosts, exchanges, queues and bindings: declared as code, loaded at every boot.
load_definitions = /etc/rabbitmq/definitions.json
`);
  });

  const gated = [
    "cluster_formation.k8s.service_name = broker-nodes",
    "quorum_queue.continuous_membership_reconciliation.enabled = true",
    "quorum_queue.continuous_membership_reconciliation.target_group_size = 3",
    "anonymous_login_user = none",
  ];
  it.each<[string, boolean[]]>([
    ["3.10.8", [true, false, false, false]],
    ["3.12.14", [true, false, false, false]],
    ["3.13.7", [true, true, true, false]],
    ["4.0.9", [true, true, true, true]],
    ["4.1.4", [false, true, true, true]],
    ["4.2.0", [false, true, true, true]],
  ])("emits only the keys RabbitMQ %s understands", (version, present) => {
    const lines = conf(version).split("\n");
    expect(gated.map((key) => lines.includes(key))).toEqual(present);
    // Never version-gated: the partition handling and the target size.
    expect(lines).toContain("cluster_partition_handling = pause_minority");
    expect(lines).toContain("cluster_formation.target_cluster_size_hint = 3");
  });

  it("names the Kubernetes API and the peers under the cluster's own DNS domain", () => {
    const lines = conf("3.10.8", 3, "k8s.example.internal").split("\n");
    expect(lines).toContain(
      "cluster_formation.k8s.host = kubernetes.default.svc.k8s.example.internal",
    );
    expect(lines).toContain(
      "cluster_formation.k8s.hostname_suffix = .broker-nodes.tasks.svc.k8s.example.internal",
    );
    expect(lines.filter((l) => l.includes("cluster.local"))).toEqual([]);
  });

  it("asks a single node to reconcile nothing", () => {
    expect(conf("4.1.4", 1)).not.toContain("continuous_membership_reconciliation");
  });
});

describe("renderEnabledPlugins", () => {
  it("enables management, Prometheus and Kubernetes peer discovery as an Erlang list", () => {
    expect(renderEnabledPlugins()).toBe(
      "[rabbitmq_management,rabbitmq_prometheus,rabbitmq_peer_discovery_k8s].\n",
    );
  });
});

describe("consumer timeouts", () => {
  const queue = { name: "slow", consumerTimeoutSeconds: 3660 };
  const conf = (version: string, consumerTimeoutMs?: number) =>
    renderRabbitMqConf({
      version: v(version),
      replicas: 3,
      memoryLimitBytes: 2 ** 31,
      diskFreeLimitBytes: 2 ** 31,
      headlessServiceName: "b-nodes",
      namespace: "tasks",
      ...(consumerTimeoutMs === undefined ? {} : { consumerTimeoutMs }),
    });
  it("are a queue's policy key from 3.12, in milliseconds", () => {
    expect(queuePolicyDefinition(queue, v("3.12.0"))).toEqual({
      "delivery-limit": 20,
      "consumer-timeout": 3_660_000,
    });
    expect(conf("3.12.0", 3_660_000)).not.toContain("consumer_timeout");
  });
  it("are node-wide before 3.12, whose policies refuse the key", () => {
    expect(queuePolicyDefinition(queue, v("3.11.28"))).toEqual({ "delivery-limit": 20 });
    expect(conf("3.10.8", 3_660_000)).toContain("\nconsumer_timeout = 3660000\n");
    expect(conf("3.10.8")).not.toContain("consumer_timeout");
  });
});

describe("renderDefinitions", () => {
  it("declares users, the vhost, permissions, exchanges, quorum queues, dead-lettering and bindings", () => {
    expect(
      renderDefinitions({
        version: v("4.0.5"),
        vhost: "celery",
        users: [{ name: "app", passwordHash: "HASH", tags: [] }],
        exchanges: [{ name: "dlx" }, { name: "events", type: "topic" }],
        queues: [
          {
            name: "fast",
            deadLetterExchange: "dlx",
            deadLetterRoutingKey: "dead",
            consumerTimeoutSeconds: 300,
          },
          { name: "audit", type: "classic", bindings: [{ exchange: "events", routingKey: "#" }] },
          { name: "dead", deliveryLimit: 5, bindings: [{ exchange: "dlx" }] },
        ],
      }),
    ).toEqual({
      users: [
        {
          name: "app",
          password_hash: "HASH",
          hashing_algorithm: "rabbit_password_hashing_sha256",
          tags: "",
        },
      ],
      vhosts: [{ name: "celery" }],
      permissions: [{ user: "app", vhost: "celery", configure: ".*", write: ".*", read: ".*" }],
      exchanges: [
        {
          name: "dlx",
          vhost: "celery",
          type: "direct",
          durable: true,
          auto_delete: false,
          internal: false,
          arguments: {},
        },
        {
          name: "events",
          vhost: "celery",
          type: "topic",
          durable: true,
          auto_delete: false,
          internal: false,
          arguments: {},
        },
      ],
      // Only the type: a client that redeclares the queue sends exactly this.
      queues: [
        {
          name: "fast",
          vhost: "celery",
          durable: true,
          auto_delete: false,
          arguments: { "x-queue-type": "quorum" },
        },
        {
          name: "audit",
          vhost: "celery",
          durable: true,
          auto_delete: false,
          arguments: { "x-queue-type": "classic" },
        },
        {
          name: "dead",
          vhost: "celery",
          durable: true,
          auto_delete: false,
          arguments: { "x-queue-type": "quorum" },
        },
      ],
      // Dead-lettering and delivery limits, one policy per queue on its exact name; none for a
      // classic queue without a dead-letter exchange.
      policies: [
        {
          vhost: "celery",
          name: "taskstack-queue-fast",
          pattern: "^fast$",
          "apply-to": "queues",
          priority: 10,
          definition: {
            "dead-letter-exchange": "dlx",
            "dead-letter-routing-key": "dead",
            "delivery-limit": 20,
            "consumer-timeout": 300_000,
          },
        },
        {
          vhost: "celery",
          name: "taskstack-queue-dead",
          pattern: "^dead$",
          "apply-to": "queues",
          priority: 10,
          definition: { "delivery-limit": 5 },
        },
      ],
      bindings: [
        {
          source: "events",
          vhost: "celery",
          destination: "audit",
          destination_type: "queue",
          routing_key: "#",
          arguments: {},
        },
        {
          source: "dlx",
          vhost: "celery",
          destination: "dead",
          destination_type: "queue",
          routing_key: "dead",
          arguments: {},
        },
      ],
    });
  });
});

describe("exactQueuePattern", () => {
  it.each([
    ["celery-fast", "^celery-fast$"],
    ["orders.v2", "^orders\\.v2$"],
    ["a:b_c", "^a:b_c$"],
  ])("anchors %j to itself", (name, pattern) => {
    expect(exactQueuePattern(name)).toBe(pattern);
    const re = new RegExp(pattern);
    expect(re.test(name)).toBe(true);
    expect(re.test(`${name}-dead`)).toBe(false);
    expect(re.test(`x${name}`)).toBe(false);
  });

  it("does not let a dot match another character", () => {
    expect(new RegExp(exactQueuePattern("orders.v2")).test("ordersXv2")).toBe(false);
  });
});

describe("rabbitPasswordHash", () => {
  it("is RabbitMQ's salted SHA-256, stable for the same user and password", () => {
    const hash = rabbitPasswordHash("app", "s3cret");
    const bytes = Buffer.from(hash, "base64");
    expect(bytes).toHaveLength(36);
    const salt = bytes.subarray(0, 4);
    const digest = createHash("sha256")
      .update(Buffer.concat([salt, Buffer.from("s3cret")]))
      .digest();
    expect(bytes.subarray(4).equals(digest)).toBe(true);
    expect(rabbitPasswordHash("app", "s3cret")).toBe(hash);
    expect(rabbitPasswordHash("app", "other")).not.toBe(hash);
    expect(hash).not.toContain("s3cret");
  });
});

describe("small helpers", () => {
  it.each<[string, number | undefined]>([
    ["2Gi", 2 * 2 ** 30],
    ["512Mi", 512 * 2 ** 20],
    ["1.5Gi", 1.5 * 2 ** 30],
    ["1G", 1e9],
    ["500k", 500_000],
    ["1073741824", 1073741824],
    ["500K", undefined],
    ["2GB", undefined],
    ["", undefined],
  ])("quantityBytes(%j) is %j", (text, bytes) => {
    expect(quantityBytes(text)).toBe(bytes);
  });

  it.each([
    [1, 0, 1],
    [3, 1, 2],
    [5, 2, 3],
    [7, 3, 4],
  ])("%i nodes: PDB maxUnavailable %i, majority %i", (replicas, maxUnavailable, majority) => {
    expect(quorumMaxUnavailable(replicas)).toBe(maxUnavailable);
    expect(quorumSize(replicas)).toBe(majority);
  });

  it.each([
    ["4.1.4", { major: 4, minor: 1, patch: 4 }],
    ["3.10.8", { major: 3, minor: 10, patch: 8 }],
    ["4.1", undefined],
    ["latest", undefined],
  ])("parseRabbitMqVersion(%j)", (text, parsed) => {
    expect(parseRabbitMqVersion(text)).toEqual(parsed);
  });
});
