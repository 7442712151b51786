import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { z } from "zod";
import { TaskstackInputError } from "../shared/errors";
import { childName } from "../shared/naming";
import { claimDerivedNames } from "../shared/claims";
import { checkedWhenResolved, providerComputed } from "../shared/resolved";
import { isKnown, validateArgs } from "../shared/schema";
import { kubernetesName } from "../../lib/kubernetes-workload";
import type { Known, SameShape } from "../shared/schema";
import {
  rabbitMqClusterArgsSchema,
  rabbitMqClusterDerivedNames,
  rabbitMqDefaults,
} from "./rabbitmq-cluster-schema";
import {
  atLeast,
  parseRabbitMqVersion,
  quantityBytes,
  brokerMaxUnavailable,
  rabbitMqPorts,
  rabbitPasswordHash,
  renderDefinitions,
  renderEnabledPlugins,
  renderRabbitMqConf,
} from "./rabbitmq-config";
import type { ExchangeType, QueueType, RabbitMqVersion } from "./rabbitmq-config";
import { configHash, credentialDigest, rabbitMqPodSpec, statefulSetTimeouts } from "./rabbitmq-pod";

/** An exchange declared in the cluster's definitions. */
export interface RabbitMqExchange {
  /** The exchange's name (not `amq.*`). */
  readonly name: string;
  /** Routing type. @default "direct" */
  readonly type?: ExchangeType;
}

/** A binding of a queue to an exchange. */
export interface RabbitMqQueueBinding {
  /** An exchange declared in `exchanges`. */
  readonly exchange: string;
  /** Routing key. @default - the queue's name */
  readonly routingKey?: string;
}

/** A queue declared in the cluster's definitions. */
export interface RabbitMqQueue {
  /** The queue's name, e.g. `celery-fast`. */
  readonly name: string;
  /** Quorum queues are replicated across the cluster; classic ones live on one node. @default "quorum" */
  readonly type?: QueueType;
  /** Exchange that rejected or expired messages go to (policy key `dead-letter-exchange`). @default - none */
  readonly deadLetterExchange?: string;
  /** Routing key dead letters are republished with (policy key `dead-letter-routing-key`). @default - the original key */
  readonly deadLetterRoutingKey?: string;
  /** Redeliveries before a message is dead-lettered (quorum queues, policy key `delivery-limit`). @default 20 */
  readonly deliveryLimit?: number;
  /**
   * Seconds a consumer may hold a delivery unacked before RabbitMQ closes its channel (406): the
   * queue's policy key `consumer-timeout` on 3.12+, the node-wide `consumer_timeout` (the
   * longest of any queue) before. Size it from the workers: time limit × (prefetch + 1) plus a
   * margin (a stack file derives it from its worker pools). @default - the server's, 30 minutes
   */
  readonly consumerTimeoutSeconds?: number;
  /** Bindings to exchanges declared in `exchanges`. @default [] (the default exchange still routes by name) */
  readonly bindings?: RabbitMqQueueBinding[];
}

/** How strictly two RabbitMQ nodes are kept off one host. */
export const AntiAffinity = {
  /** Never on one host: a node stays Pending rather than share. */
  Required: "required",
  /** Apart when the scheduler can. */
  Preferred: "preferred",
} as const;
export type AntiAffinity = (typeof AntiAffinity)[keyof typeof AntiAffinity];

/** What the scheduler does when nodes cannot be spread evenly over zones. */
export const ZoneSpread = {
  /** Schedule anyway, preferring the emptier zones. */
  ScheduleAnyway: "ScheduleAnyway",
  /** Leave the node Pending. */
  DoNotSchedule: "DoNotSchedule",
} as const;
export type ZoneSpread = (typeof ZoneSpread)[keyof typeof ZoneSpread];

export interface RabbitMqClusterArgs {
  /**
   * Namespace of every object, e.g. a `k8s.core.v1.Namespace`'s `metadata.name` (the stack
   * creates it). An Output is checked once it resolves.
   */
  readonly namespace: pulumi.Input<string>;
  /** Nodes: odd, so that any split leaves a majority on one side (1 for dev). @default 3 */
  readonly replicas?: number;
  /**
   * Nodes running now. A smaller `replicas` is refused (at construction when known, before the
   * StatefulSet is updated when an Output), because shrinking drops quorum-queue members.
   * @default - not checked (a new cluster)
   */
  readonly deployedReplicas?: pulumi.Input<number>;
  /** RabbitMQ version; decides which configuration keys are rendered. @default "4.1.4" */
  readonly version?: string;
  /** Container image; pass `version` with it. @default - `docker.io/library/rabbitmq:<version>` */
  readonly image?: string;
  /** The vhost the definitions declare and the AMQP URL names. @default "/" */
  readonly vhost?: string;
  /** The Kubernetes cluster's DNS domain, in node names, peer discovery and the AMQP URL. @default "cluster.local" */
  readonly clusterDomain?: string;
  /** CPU request and limit per node. @default "1" */
  readonly cpu?: string;
  /** Memory request and limit per node; RabbitMQ's watermark and free-disk limit follow it. @default "2Gi" */
  readonly memory?: string;
  /** Persistent volume per node (at least twice the memory). @default "20Gi" */
  readonly storage?: string;
  /** Storage class of the volumes. @default - the cluster's default class */
  readonly storageClassName?: string;
  /** Seconds a node gets to hand over and drain before it is killed. @default 3600 */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Seconds each node waits before booting, so that its peers' DNS records exist when it looks
   * them up (cluster-operator's `delayStartSeconds`, also 30). @default 30
   */
  readonly delayStartSeconds?: number;
  /** Two nodes on one host lose the majority together: `required` refuses that. @default "required" */
  readonly antiAffinity?: AntiAffinity;
  /** Spread over zones: `ScheduleAnyway` still schedules in a one-zone cluster. @default "ScheduleAnyway" */
  readonly zoneSpread?: ZoneSpread;
  /** Administrator (management UI, operators). @default "admin" */
  readonly adminUser?: string;
  /** User in the AMQP URL that workers and producers connect with. @default "app" */
  readonly appUser?: string;
  /** Exchanges in the definitions. @default [] */
  readonly exchanges?: RabbitMqExchange[];
  /** Queues in the definitions (quorum by default). @default [] */
  readonly queues?: RabbitMqQueue[];
  /** Protect the StatefulSet, its Secrets and generated credentials from deletion. @default false */
  readonly protect?: boolean;
}

/** The key of the AMQP URL in a cluster's broker Secret. */
export const rabbitMqBrokerSecretKey = "url";

/** A Secret holding an AMQP broker URL: what `RabbitMqCluster.brokerSecret` is and `CeleryWorkerPool` takes. */
export interface RabbitMqBrokerSecret {
  /** The Secret's name, in the cluster's namespace. */
  readonly name: pulumi.Output<string>;
  /** The key holding the URL. */
  readonly key: string;
}

// The documented interface and the schema must describe the same args (the schema adds `name`).
const argsMatchSchema: SameShape<
  Known<RabbitMqClusterArgs>,
  Omit<z.input<typeof rabbitMqClusterArgsSchema>, "name">
> = true;
void argsMatchSchema;

/**
 * Checks RabbitMqCluster args with {@link rabbitMqClusterArgsSchema} before anything is declared,
 * throwing one TaskstackInputError listing every problem. Outputs are not checked.
 */
export function validateRabbitMqClusterArgs(name: unknown, args: unknown): void {
  const withName =
    typeof args === "object" && args !== null && !Array.isArray(args) ? { ...args, name } : args;
  validateArgs("RabbitMqCluster", name, rabbitMqClusterArgsSchema, withName);
}

/**
 * A highly available RabbitMQ on Kubernetes that survives a lost node and a network partition
 * without split brain: `pause_minority` on an odd number of nodes, formed through Kubernetes peer
 * discovery, with quorum queues (declared with `x-queue-type` only, so clients can redeclare
 * them), dead-lettering and delivery limits as per-queue policies, and users, all declared as
 * definitions; credentials generated and kept in Secrets, a quorum-keeping PodDisruptionBudget,
 * and a preStop hook that waits for quorum and drains within the grace period.
 */
export class RabbitMqCluster extends pulumi.ComponentResource {
  static readonly __pulumiType = "taskstack:messaging:RabbitMqCluster";

  /** `amqp://<app user>:<password>@<client service>.<namespace>.svc.<clusterDomain>:5672/<vhost>`, secret. */
  readonly amqpUrl: pulumi.Output<string>;
  /** Secret `<name>-broker` holding the AMQP URL under the key `url`. */
  readonly brokerUrlSecretName: pulumi.Output<string>;
  /**
   * The Secret holding the AMQP URL, as `CeleryWorkerPool` takes it:
   * `brokerUrlSecret: cluster.brokerSecret`. Its name is an Output, so the workers are declared
   * after the Secret exists.
   */
  readonly brokerSecret: RabbitMqBrokerSecret;
  /** Secret `<name>-admin` with the administrator's `username` and `password`. */
  readonly adminSecretName: pulumi.Output<string>;
  /** The Service clients connect to (AMQP, management, Prometheus). */
  readonly clientServiceName: pulumi.Output<string>;
  /** The headless Service that gives each node its DNS name. */
  readonly headlessServiceName: pulumi.Output<string>;
  readonly statefulSet: k8s.apps.v1.StatefulSet;
  /** The rendered rabbitmq.conf (no secrets in it); it names the namespace, which may be an Output. */
  readonly rabbitmqConf: pulumi.Output<string>;

  constructor(name: string, args: RabbitMqClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // Validate before registering anything, so bad args declare nothing at all.
    validateRabbitMqClusterArgs(name, args);
    claimDerivedNames(
      `RabbitMqCluster ${JSON.stringify(name)}`,
      rabbitMqClusterDerivedNames(name),
      args.namespace,
    );
    super(RabbitMqCluster.__pulumiType, name, {}, opts);

    const ns = checkedWhenResolved(
      "RabbitMqCluster",
      name,
      "namespace",
      kubernetesName,
      args.namespace,
    );
    const replicas = args.replicas ?? rabbitMqDefaults.replicas;
    const versionText = args.version ?? rabbitMqDefaults.version;
    const version = parseRabbitMqVersion(versionText) as RabbitMqVersion;
    const image = args.image ?? `docker.io/library/rabbitmq:${versionText}`;
    const vhost = args.vhost ?? rabbitMqDefaults.vhost;
    const clusterDomain = args.clusterDomain ?? rabbitMqDefaults.clusterDomain;
    const cpu = args.cpu ?? rabbitMqDefaults.cpu;
    const memory = args.memory ?? rabbitMqDefaults.memory;
    const memoryBytes = quantityBytes(memory) as number;
    const grace =
      args.terminationGracePeriodSeconds ?? rabbitMqDefaults.terminationGracePeriodSeconds;
    const adminUser = args.adminUser ?? rabbitMqDefaults.adminUser;
    const appUser = args.appUser ?? rabbitMqDefaults.appUser;
    const protect = args.protect ?? false;
    const delayStart = args.delayStartSeconds ?? rabbitMqDefaults.delayStartSeconds;
    const queues = args.queues ?? [];
    const consumerTimeouts = queues.flatMap((q) =>
      q.consumerTimeoutSeconds === undefined ? [] : [q.consumerTimeoutSeconds],
    );
    const headless = `${name}-nodes`;
    const client = name;
    // 4.1's peer discovery no longer reads the Kubernetes API: it needs neither RBAC nor a token.
    const needsApi = !atLeast(version, 4, 1);

    const selector = { "app.kubernetes.io/name": "rabbitmq", "app.kubernetes.io/instance": name };
    const labels = {
      ...selector,
      "app.kubernetes.io/component": "broker",
      "app.kubernetes.io/version": versionText,
      "app.kubernetes.io/managed-by": "taskstack",
    };
    const meta = (objectName: string) => ({ name: objectName, namespace: ns, labels });
    const child = { parent: this };
    const kept = { parent: this, protect };

    // Credentials: generated once, kept in state and in Secrets, never in a ConfigMap or env.
    const password = (role: string, length: number) => {
      const resourceName = childName(name, role);
      const generated = new random.RandomPassword(resourceName, { length, special: false }, kept);
      return {
        value: generated.result,
        what: `random.RandomPassword ${JSON.stringify(resourceName)} result`,
        type: "random:index/randomPassword:RandomPassword",
        mock: 'result: "<a password>"',
        stand: "undefined-under-mocks",
      };
    };
    const passwords = providerComputed(`RabbitMqCluster ${JSON.stringify(name)}`, [
      password("erlang-cookie", 64),
      password("admin-password", 32),
      password("app-password", 32),
    ] as const);
    const cookie = pulumi.secret(passwords.apply(([c]) => c));
    const adminPassword = pulumi.secret(passwords.apply(([, admin]) => admin));
    const appPassword = pulumi.secret(passwords.apply(([, , app]) => app));

    const cookieSecret = new k8s.core.v1.Secret(
      childName(name, "erlang-cookie-secret"),
      {
        metadata: meta(`${name}-erlang-cookie`),
        type: "Opaque",
        stringData: { ".erlang.cookie": cookie },
      },
      kept,
    );
    const adminSecret = new k8s.core.v1.Secret(
      childName(name, "admin-secret"),
      {
        metadata: meta(`${name}-admin`),
        type: "kubernetes.io/basic-auth",
        stringData: { username: adminUser, password: adminPassword },
      },
      kept,
    );

    const definitionsFor = (adminHash: string, appHash: string): Record<string, unknown> =>
      renderDefinitions({
        vhost,
        users: [
          { name: adminUser, passwordHash: adminHash, tags: ["administrator"] },
          { name: appUser, passwordHash: appHash, tags: [] },
        ],
        version,
        exchanges: args.exchanges ?? [],
        queues,
      });
    const definitions = pulumi.secret(
      pulumi
        .all([adminPassword, appPassword])
        .apply(([admin, app]) =>
          JSON.stringify(
            definitionsFor(rabbitPasswordHash(adminUser, admin), rabbitPasswordHash(appUser, app)),
            null,
            2,
          ),
        ),
    );
    const definitionsSecret = new k8s.core.v1.Secret(
      childName(name, "definitions-secret"),
      {
        metadata: meta(`${name}-definitions`),
        type: "Opaque",
        stringData: { "definitions.json": definitions },
      },
      kept,
    );

    const renderConf = (namespace: string): string =>
      renderRabbitMqConf({
        version,
        replicas,
        memoryLimitBytes: memoryBytes,
        diskFreeLimitBytes: memoryBytes,
        headlessServiceName: headless,
        namespace,
        clusterDomain,
        ...(consumerTimeouts.length > 0
          ? { consumerTimeoutMs: Math.max(...consumerTimeouts) * 1000 }
          : {}),
      });
    // A known namespace renders the file now, so the ConfigMap's data is plain text in a plan.
    const knownConf = isKnown(ns) ? renderConf(ns) : undefined;
    this.rabbitmqConf =
      knownConf !== undefined ? pulumi.output(knownConf) : pulumi.output(ns).apply(renderConf);
    const plugins = renderEnabledPlugins();
    const config = new k8s.core.v1.ConfigMap(
      childName(name, "config"),
      {
        metadata: meta(`${name}-config`),
        data: { "rabbitmq.conf": knownConf ?? this.rabbitmqConf, enabled_plugins: plugins },
      },
      child,
    );

    const serviceAccount = new k8s.core.v1.ServiceAccount(
      childName(name, "service-account"),
      { metadata: meta(name), automountServiceAccountToken: needsApi },
      child,
    );
    if (needsApi) {
      // Peer discovery before 4.1 lists the headless Service's endpoints: that and nothing else.
      const role = new k8s.rbac.v1.Role(
        childName(name, "peer-discovery-role"),
        {
          metadata: meta(`${name}-peer-discovery`),
          // The 3.x and 4.0 plugin also posts Events about the node (rabbit_peer_discovery_k8s
          // send_event); without `create` each one logs a 403.
          rules: [
            { apiGroups: [""], resources: ["endpoints"], verbs: ["get"] },
            { apiGroups: [""], resources: ["events"], verbs: ["create"] },
          ],
        },
        child,
      );
      new k8s.rbac.v1.RoleBinding(
        childName(name, "peer-discovery-binding"),
        {
          metadata: meta(`${name}-peer-discovery`),
          roleRef: {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "Role",
            name: role.metadata.name,
          },
          subjects: [{ kind: "ServiceAccount", name: serviceAccount.metadata.name, namespace: ns }],
        },
        child,
      );
    }

    const headlessService = new k8s.core.v1.Service(
      childName(name, "nodes-service"),
      {
        metadata: meta(headless),
        spec: {
          clusterIP: "None",
          // Nodes must find each other before they are ready: readiness waits for the cluster.
          publishNotReadyAddresses: true,
          selector,
          ports: [
            { name: "epmd", port: rabbitMqPorts.epmd, targetPort: "epmd" },
            { name: "amqp", port: rabbitMqPorts.amqp, targetPort: "amqp" },
            { name: "cluster-rpc", port: rabbitMqPorts.distribution, targetPort: "cluster-rpc" },
          ],
        },
      },
      child,
    );
    const clientService = new k8s.core.v1.Service(
      childName(name, "client-service"),
      {
        metadata: meta(client),
        spec: {
          type: "ClusterIP",
          selector,
          ports: [
            { name: "amqp", port: rabbitMqPorts.amqp, targetPort: "amqp" },
            { name: "management", port: rabbitMqPorts.management, targetPort: "management" },
            { name: "prometheus", port: rabbitMqPorts.prometheus, targetPort: "prometheus" },
          ],
        },
      },
      child,
    );

    // Definitions (passwords included) are imported at boot only, so a new password must roll
    // the nodes too. The digests are computed inside the apply and are one-way (and truncated
    // with the rest), so the annotation reveals nothing: it is unsecreted to keep the pod
    // template's diff readable.
    const conf = this.rabbitmqConf;
    // The Erlang cookie too: a node reads it at boot only, and nodes with different cookies
    // cannot talk, so a new cookie must reach every node through a rollout.
    const hash = pulumi.unsecret(
      pulumi
        .all([adminPassword, appPassword, cookie, conf])
        .apply(([admin, app, erlangCookie, confText]) =>
          configHash(
            confText,
            plugins,
            JSON.stringify(definitionsFor("[secret]", "[secret]")),
            credentialDigest(adminUser, admin),
            credentialDigest(appUser, app),
            credentialDigest("erlang-cookie", erlangCookie),
          ),
        ),
    );
    const checkedReplicas =
      args.deployedReplicas === undefined
        ? replicas
        : pulumi.output(args.deployedReplicas).apply((deployed) => {
            if (typeof deployed === "number" && replicas < deployed) {
              throw new TaskstackInputError([
                `RabbitMqCluster ${JSON.stringify(name)} replicas: expected at least the ${deployed} nodes deployed now, got ${replicas}`,
              ]);
            }
            return replicas;
          });

    this.statefulSet = new k8s.apps.v1.StatefulSet(
      childName(name, "statefulset"),
      {
        metadata: meta(name),
        spec: {
          serviceName: headlessService.metadata.name,
          replicas: checkedReplicas,
          // All nodes boot at once: a node waiting for its peers must not block the next pod.
          podManagementPolicy: "Parallel",
          updateStrategy: { type: "RollingUpdate" },
          selector: { matchLabels: selector },
          template: {
            metadata: { labels, annotations: { "taskstack.dev/config-hash": hash } },
            spec: {
              ...rabbitMqPodSpec({
                image,
                version,
                replicas,
                grace,
                delayStart,
                cpu,
                memory,
                selector,
                nodeDomain: pulumi.interpolate`${headless}.${ns}.svc.${clusterDomain}`,
                serviceAccountName: serviceAccount.metadata.name,
                automountServiceAccountToken: needsApi,
                antiAffinity: args.antiAffinity ?? rabbitMqDefaults.antiAffinity,
                zoneSpread: args.zoneSpread ?? rabbitMqDefaults.zoneSpread,
                configMapName: config.metadata.name,
                definitionsSecretName: definitionsSecret.metadata.name,
                cookieSecretName: cookieSecret.metadata.name,
              }),
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: "data", labels: selector },
              spec: {
                accessModes: ["ReadWriteOnce"],
                storageClassName: args.storageClassName,
                resources: { requests: { storage: args.storage ?? rabbitMqDefaults.storage } },
              },
            },
          ],
        },
      },
      {
        ...kept,
        // Pulumi waits for the rollout; its default (10 minutes) gives up while a rolling
        // restart is still stopping and booting nodes one at a time.
        customTimeouts: statefulSetTimeouts(replicas, grace, delayStart),
      },
    );

    if (replicas > 1) {
      new k8s.policy.v1.PodDisruptionBudget(
        childName(name, "pdb"),
        {
          metadata: meta(name),
          spec: {
            maxUnavailable: brokerMaxUnavailable,
            selector: { matchLabels: selector },
          },
        },
        child,
      );
    }

    this.amqpUrl = pulumi.secret(
      pulumi.interpolate`amqp://${appUser}:${appPassword}@${clientService.metadata.name}.${ns}.svc.${clusterDomain}:${rabbitMqPorts.amqp}/${encodeURIComponent(vhost)}`,
    );
    const brokerSecret = new k8s.core.v1.Secret(
      childName(name, "broker-secret"),
      {
        metadata: meta(`${name}-broker`),
        type: "Opaque",
        stringData: { [rabbitMqBrokerSecretKey]: this.amqpUrl },
      },
      kept,
    );
    this.brokerUrlSecretName = brokerSecret.metadata.name;
    this.brokerSecret = { name: this.brokerUrlSecretName, key: rabbitMqBrokerSecretKey };
    this.adminSecretName = adminSecret.metadata.name;
    this.clientServiceName = clientService.metadata.name;
    this.headlessServiceName = headlessService.metadata.name;

    this.registerOutputs({
      amqpUrl: this.amqpUrl,
      brokerUrlSecretName: this.brokerUrlSecretName,
      brokerSecret: this.brokerSecret,
      adminSecretName: this.adminSecretName,
      clientServiceName: this.clientServiceName,
      headlessServiceName: this.headlessServiceName,
    });
  }
}

/** @deprecated Renamed `RabbitMqExchange`, its name in the Python, Go and .NET SDKs (where `RabbitMqExchangeArgs` is the input class). */
export type RabbitMqExchangeArgs = RabbitMqExchange;

/** @deprecated Renamed `RabbitMqQueue`, its name in the Python, Go and .NET SDKs (where `RabbitMqQueueArgs` is the input class). */
export type RabbitMqQueueArgs = RabbitMqQueue;

/** @deprecated Renamed `RabbitMqQueueBinding`, its name in the Python, Go and .NET SDKs (where `RabbitMqQueueBindingArgs` is the input class). */
export type RabbitMqQueueBindingArgs = RabbitMqQueueBinding;
