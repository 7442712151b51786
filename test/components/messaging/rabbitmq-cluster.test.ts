import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { ConfigMap, Secret as K8sSecret, Service, ServiceAccount } from "kubernetes-models/v1";
import { StatefulSet } from "kubernetes-models/apps/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { describe, expect, it } from "vitest";
import { messaging, TaskstackInputError } from "../../../components";
import * as schemas from "../../../components/schemas";
import { Secret, declaredBeforeFailure, revealSecrets, runProgram } from "../../../testing";
import type { Plan, ResourceSynthesizer } from "../../../testing";
import {
  assertAnyArgsFailOnlyWithInputErrors,
  assertExercised,
  failsOnlyWithInputErrors,
} from "../../support/properties";
import type { Outcomes } from "../../support/properties";

const STS = "kubernetes:apps/v1:StatefulSet";
const SVC = "kubernetes:core/v1:Service";
const SECRET = "kubernetes:core/v1:Secret";
const CM = "kubernetes:core/v1:ConfigMap";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role";
const BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
const PASSWORD = "random:index/randomPassword:RandomPassword";

const celery = {
  namespace: "tasks",
  vhost: "celery",
  exchanges: [{ name: "celery-dlx" }],
  queues: [
    { name: "celery-fast", deadLetterExchange: "celery-dlx", deadLetterRoutingKey: "celery-dead" },
    { name: "celery-dead", bindings: [{ exchange: "celery-dlx", routingKey: "celery-dead" }] },
  ],
};

type Json = Record<string, unknown>;
const pod = (plan: Plan, name = "broker-statefulset") =>
  (plan.get(STS, name).inputs as { spec: { template: { spec: Json } } }).spec.template.spec;
const container = (plan: Plan) => (pod(plan)["containers"] as Json[])[0] as Json;

/** Every secret value the plan holds, revealed: none may appear anywhere in plain text. */
function secretValues(plan: Plan): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Secret) {
      const revealed = revealSecrets(v);
      if (typeof revealed === "string") out.push(revealed);
      else if (revealed && typeof revealed === "object")
        out.push(...Object.values(revealed as Json).map(String));
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  for (const r of plan.resources) walk(r.outputs);
  return out.filter((s) => s.length >= 16);
}

describe("RabbitMqCluster defaults", () => {
  it("declares three nodes with their Services, Secrets, config and a quorum-keeping PDB", async () => {
    const plan = await runProgram(() => {
      const c = new messaging.RabbitMqCluster("broker", { namespace: "tasks" });
      return {
        url: c.amqpUrl,
        secret: c.brokerUrlSecretName,
        client: c.clientServiceName,
        nodes: c.headlessServiceName,
      };
    });
    const component = plan.get(messaging.RabbitMqCluster, "broker");
    expect(
      plan
        .children(component)
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toEqual(
      [
        `${PASSWORD} broker-erlang-cookie`,
        `${PASSWORD} broker-admin-password`,
        `${PASSWORD} broker-app-password`,
        `${SECRET} broker-erlang-cookie-secret`,
        `${SECRET} broker-admin-secret`,
        `${SECRET} broker-definitions-secret`,
        `${SECRET} broker-broker-secret`,
        `${CM} broker-config`,
        "kubernetes:core/v1:ServiceAccount broker-service-account",
        `${SVC} broker-nodes-service`,
        `${SVC} broker-client-service`,
        `${STS} broker-statefulset`,
        `${PDB} broker-pdb`,
      ].sort(),
    );
    // 4.1's peer discovery reads no Kubernetes API: no RBAC, no token.
    expect(plan.resourceCount(ROLE)).toBe(0);
    expect(pod(plan)["automountServiceAccountToken"]).toBe(false);

    const sts = plan.get(STS, "broker-statefulset").inputs as { metadata: Json; spec: Json };
    expect(sts.metadata["name"]).toBe("broker");
    expect(sts.metadata["namespace"]).toBe("tasks");
    expect(sts.spec["replicas"]).toBe(3);
    expect(sts.spec["podManagementPolicy"]).toBe("Parallel");
    expect(sts.spec["serviceName"]).toBe("broker-nodes");
    expect(sts.spec["volumeClaimTemplates"]).toEqual([
      {
        metadata: {
          name: "data",
          labels: { "app.kubernetes.io/name": "rabbitmq", "app.kubernetes.io/instance": "broker" },
        },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } } },
      },
    ]);
    const selector = {
      "app.kubernetes.io/name": "rabbitmq",
      "app.kubernetes.io/instance": "broker",
    };
    expect(pod(plan)["affinity"]).toEqual({
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: selector }, topologyKey: "kubernetes.io/hostname" },
        ],
      },
    });
    expect(pod(plan)["topologySpreadConstraints"]).toEqual([
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: selector },
      },
    ]);
    expect(pod(plan)["terminationGracePeriodSeconds"]).toBe(3600);
    expect(pod(plan)["securityContext"]).toEqual({
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 999,
      fsGroup: 999,
      seccompProfile: { type: "RuntimeDefault" },
    });

    const c = container(plan);
    expect(c["image"]).toBe("docker.io/library/rabbitmq:4.1.4");
    expect(c["resources"]).toEqual({
      requests: { cpu: "1", memory: "2Gi" },
      limits: { cpu: "1", memory: "2Gi" },
    });
    expect(c["securityContext"]).toEqual({
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 999,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(c["readinessProbe"]).toEqual({
      tcpSocket: { port: "amqp" },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 3,
    });
    expect(c["startupProbe"]).toEqual({
      exec: {
        command: [
          "sh",
          "-c",
          "rabbitmq-diagnostics -q check_running && test \"$(rabbitmqctl -q eval 'length(rabbit_nodes:list_running()) >= 2.')\" = true",
        ],
      },
      periodSeconds: 10,
      timeoutSeconds: 30,
      failureThreshold: 60,
    });
    expect(c["livenessProbe"]).toBeUndefined();
    expect(c["lifecycle"]).toEqual({
      preStop: {
        exec: {
          command: [
            "sh",
            "-c",
            // The grace countdown starts before the hook: the wait leaves time to drain and stop.
            "rabbitmq-upgrade await_online_quorum_plus_one -t 3180; rabbitmq-upgrade drain -t 300",
          ],
        },
      },
    });
    // No secret reaches the environment, not even by reference: the cookie is a file.
    expect(c["env"]).toEqual([
      { name: "MY_POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "RABBITMQ_USE_LONGNAME", value: "true" },
      {
        name: "RABBITMQ_NODENAME",
        value: "rabbit@$(MY_POD_NAME).broker-nodes.tasks.svc.cluster.local",
      },
      { name: "RABBITMQ_CONFIG_FILES", value: "/etc/rabbitmq/conf.d" },
      { name: "RABBITMQ_ENABLED_PLUGINS_FILE", value: "/etc/rabbitmq/enabled_plugins" },
      { name: "HOME", value: "/var/lib/rabbitmq" },
      // Quorum queues start with a member on every node.
      { name: "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", value: "-rabbit quorum_cluster_size 3" },
    ]);
    // The node waits 30 s for its peers' DNS records before it boots.
    expect((pod(plan)["initContainers"] as Json[])[0]?.["command"]).toEqual([
      "sh",
      "-c",
      "cp /run/rabbitmq-cookie/.erlang.cookie /var/lib/rabbitmq/.erlang.cookie && chmod 600 /var/lib/rabbitmq/.erlang.cookie && sleep 30",
    ]);
    // A rolling restart of 3 nodes: each its grace (3600 s), start delay and startup budget (630 s).
    expect(plan.get(STS, "broker-statefulset").customTimeouts).toEqual({
      create: "930s",
      update: `${3 * (3600 + 630) + 300}s`,
      delete: "",
    });

    plan.hasResource(SVC, {
      metadata: { name: "broker-nodes", namespace: "tasks" },
      spec: { clusterIP: "None", publishNotReadyAddresses: true },
    });
    plan.hasResource(SVC, { metadata: { name: "broker" }, spec: { type: "ClusterIP" } });
    plan.hasResource(PDB, {
      metadata: { name: "broker" },
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    });

    const conf = (plan.get(CM, "broker-config").inputs["data"] as Json)["rabbitmq.conf"] as string;
    expect(conf).toContain("\ncluster_partition_handling = pause_minority\n");
    expect(conf).toContain("\ncluster_formation.target_cluster_size_hint = 3\n");
    expect(conf).toContain(`\ntotal_memory_available_override_value = ${2 * 2 ** 30}\n`);
    expect(conf).toContain("\nanonymous_login_user = none\n");

    for (const p of plan.findResources(PASSWORD, {})) expect(p.inputs["special"]).toBe(false);
    expect(plan.outputs["secret"]).toBe("broker-broker");
    expect(plan.outputs["client"]).toBe("broker");
    expect(plan.outputs["nodes"]).toBe("broker-nodes");
    const url = plan.outputs["url"];
    expect(url).toBeInstanceOf(Secret);
    expect(revealSecrets(url)).toMatch(
      /^amqp:\/\/app:[A-Za-z0-9]{32}@broker\.tasks\.svc\.cluster\.local:5672\/%2F$/,
    );
  });

  it("keeps every credential secret end to end: Secrets only, never in a ConfigMap, env or annotation", async () => {
    const plan = await runProgram(() => {
      new messaging.RabbitMqCluster("broker", celery);
    });
    for (const name of [
      "broker-erlang-cookie-secret",
      "broker-admin-secret",
      "broker-definitions-secret",
      "broker-broker-secret",
    ]) {
      expect(plan.get(SECRET, name).inputs["stringData"]).toBeInstanceOf(Secret);
    }
    const url = (
      revealSecrets(plan.get(SECRET, "broker-broker-secret").inputs["stringData"]) as Json
    )["url"];
    expect(url).toMatch(
      /^amqp:\/\/app:[A-Za-z0-9]{32}@broker\.tasks\.svc\.cluster\.local:5672\/celery$/,
    );
    const secrets = secretValues(plan);
    expect(secrets.length).toBeGreaterThan(0);
    const plain = JSON.stringify(
      plan.resources.filter((r) => r.type !== SECRET && r.type !== PASSWORD).map((r) => r.inputs),
    );
    for (const s of secrets) expect(plain).not.toContain(s);
    const definitions = JSON.parse(
      (revealSecrets(plan.get(SECRET, "broker-definitions-secret").inputs["stringData"]) as Json)[
        "definitions.json"
      ] as string,
    ) as { users: Json[]; queues: Json[] };
    expect(definitions.users.map((u) => [u["name"], u["tags"]])).toEqual([
      ["admin", "administrator"],
      ["app", ""],
    ]);
    expect(definitions.queues.map((q) => q["name"])).toEqual(["celery-fast", "celery-dead"]);
  });

  it("renders objects that validate against the Kubernetes schemas", async () => {
    const plan = await runProgram(() => {
      new messaging.RabbitMqCluster("broker", { ...celery, version: "3.10.8" });
    });
    const models: Record<string, new (o: never) => { validate(): void }> = {
      [STS]: StatefulSet,
      [SVC]: Service,
      [SECRET]: K8sSecret,
      [CM]: ConfigMap,
      [PDB]: PodDisruptionBudget,
      [ROLE]: Role,
      [BINDING]: RoleBinding,
      "kubernetes:core/v1:ServiceAccount": ServiceAccount,
    };
    const k8sObjects = plan.resources.filter((r) => r.type.startsWith("kubernetes:"));
    expect(k8sObjects).toHaveLength(12);
    expect([...new Set(k8sObjects.map((r) => r.type))].filter((t) => !models[t])).toEqual([]);
    for (const r of k8sObjects) {
      const Model = models[r.type];
      expect(() =>
        new (Model as new (o: unknown) => { validate(): void })(revealSecrets(r.inputs)).validate(),
      ).not.toThrow();
    }
  });
});

describe("RabbitMqCluster custom", () => {
  it("runs five 3.10 nodes with RBAC for peer discovery, preferred anti-affinity and its own sizes", async () => {
    const plan = await runProgram(() => {
      new messaging.RabbitMqCluster(
        "queues",
        {
          ...celery,
          replicas: 5,
          deployedReplicas: 3,
          version: "3.10.8",
          image: "registry.example.com/rabbitmq:3.10.8-management",
          cpu: "500m",
          memory: "1Gi",
          storage: "50Gi",
          storageClassName: "ssd",
          terminationGracePeriodSeconds: 600,
          antiAffinity: "preferred",
          zoneSpread: "DoNotSchedule",
          adminUser: "ops",
          appUser: "celery",
          protect: true,
        },
        { protect: false },
      );
    });
    plan.hasResource(ROLE, {
      metadata: { name: "queues-peer-discovery", namespace: "tasks" },
      // The 3.x plugin also posts Events about the node.
      rules: [
        { apiGroups: [""], resources: ["endpoints"], verbs: ["get"] },
        { apiGroups: [""], resources: ["events"], verbs: ["create"] },
      ],
    });
    plan.hasResource(BINDING, {
      roleRef: {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "Role",
        name: "queues-peer-discovery",
      },
      subjects: [{ kind: "ServiceAccount", name: "queues", namespace: "tasks" }],
    });
    expect(pod(plan, "queues-statefulset")["automountServiceAccountToken"]).toBe(true);
    const sts = plan.get(STS, "queues-statefulset");
    expect((sts.inputs["spec"] as Json)["replicas"]).toBe(5);
    expect(sts.protect).toBe(true);
    const spec = pod(plan, "queues-statefulset");
    expect((spec["affinity"] as Json)["podAntiAffinity"]).toEqual({
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            labelSelector: {
              matchLabels: {
                "app.kubernetes.io/name": "rabbitmq",
                "app.kubernetes.io/instance": "queues",
              },
            },
            topologyKey: "kubernetes.io/hostname",
          },
        },
      ],
    });
    expect((spec["topologySpreadConstraints"] as Json[])[0]?.["whenUnsatisfiable"]).toBe(
      "DoNotSchedule",
    );
    const c = (spec["containers"] as Json[])[0] as Json;
    expect(c["image"]).toBe("registry.example.com/rabbitmq:3.10.8-management");
    expect(c["resources"]).toEqual({
      requests: { cpu: "500m", memory: "1Gi" },
      limits: { cpu: "500m", memory: "1Gi" },
    });
    expect(JSON.stringify(c["startupProbe"])).toContain("length(rabbit_nodes:all_running()) >= 3.");
    expect(JSON.stringify(c["lifecycle"])).toContain(
      "await_online_quorum_plus_one -t 400; rabbitmq-upgrade drain -t 100",
    );
    // One node at a time, even with five: two evicted together both pass their quorum check.
    plan.hasResource(PDB, { metadata: { name: "queues" }, spec: { maxUnavailable: 1 } });
    expect(c["env"]).toContainEqual({
      name: "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS",
      value: "-rabbit quorum_cluster_size 5",
    });
    expect(plan.get(STS, "queues-statefulset").customTimeouts).toEqual({
      create: "930s",
      update: `${5 * (600 + 630) + 300}s`,
      delete: "",
    });
    const conf = (plan.get(CM, "queues-config").inputs["data"] as Json)["rabbitmq.conf"] as string;
    expect(conf).toContain(
      "\ncluster_formation.k8s.hostname_suffix = .queues-nodes.tasks.svc.cluster.local\n",
    );
    expect(conf).toContain(`\ndisk_free_limit.absolute = ${2 ** 30}\n`);
    expect(conf).not.toContain("anonymous_login_user");
    expect(
      plan.resources
        .filter((r) => r.protect)
        .map((r) => r.name)
        .sort(),
    ).toEqual([
      "queues-admin-password",
      "queues-admin-secret",
      "queues-app-password",
      "queues-broker-secret",
      "queues-definitions-secret",
      "queues-erlang-cookie",
      "queues-erlang-cookie-secret",
      "queues-statefulset",
    ]);
    const url = revealSecrets(
      (plan.get(SECRET, "queues-broker-secret").inputs["stringData"] as Secret).value,
    ) as Json;
    expect(url["url"]).toMatch(
      /^amqp:\/\/celery:[A-Za-z0-9]{32}@queues\.tasks\.svc\.cluster\.local:5672\/celery$/,
    );
    expect(
      (revealSecrets(plan.get(SECRET, "queues-admin-secret").inputs["stringData"]) as Json)[
        "username"
      ],
    ).toBe("ops");
  });

  it("runs one dev node without a PDB or preStop hook (there is no quorum to wait for)", async () => {
    const plan = await runProgram(() => {
      new messaging.RabbitMqCluster("dev", {
        namespace: "tasks",
        replicas: 1,
        memory: "512Mi",
        storage: "5Gi",
      });
    });
    expect(plan.resourceCount(PDB)).toBe(0);
    expect(pod(plan, "dev-statefulset")["containers"]).toHaveLength(1);
    expect(
      ((pod(plan, "dev-statefulset")["containers"] as Json[])[0] as Json)["lifecycle"],
    ).toBeUndefined();
    expect((plan.get(STS, "dev-statefulset").inputs["spec"] as Json)["replicas"]).toBe(1);
  });
});

describe("RabbitMqCluster cluster domain and rollouts", () => {
  it("uses its clusterDomain in node names, peer discovery and the AMQP URL", async () => {
    const plan = await runProgram(() => {
      new messaging.RabbitMqCluster("broker", {
        ...celery,
        version: "3.10.8",
        clusterDomain: "k8s.example.internal",
      });
    });
    expect((container(plan)["env"] as Json[])[2]).toEqual({
      name: "RABBITMQ_NODENAME",
      value: "rabbit@$(MY_POD_NAME).broker-nodes.tasks.svc.k8s.example.internal",
    });
    const conf = (plan.get(CM, "broker-config").inputs["data"] as Json)["rabbitmq.conf"] as string;
    expect(conf).toContain(
      "\ncluster_formation.k8s.host = kubernetes.default.svc.k8s.example.internal\n",
    );
    expect(conf).toContain(
      "\ncluster_formation.k8s.hostname_suffix = .broker-nodes.tasks.svc.k8s.example.internal\n",
    );
    expect(
      (revealSecrets(plan.get(SECRET, "broker-broker-secret").inputs["stringData"]) as Json)["url"],
    ).toMatch(
      /^amqp:\/\/app:[A-Za-z0-9]{32}@broker\.tasks\.svc\.k8s\.example\.internal:5672\/celery$/,
    );
    expect(JSON.stringify(revealSecrets(plan.resources.map((r) => r.inputs)))).not.toContain(
      "cluster.local",
    );
  });

  /** The StatefulSet's rollout hash when the app user's password is `appPassword`. */
  async function rolloutHash(appPassword: string): Promise<{ hash: unknown; plan: Plan }> {
    const passwords: ResourceSynthesizer = (args) => ({
      id: "none",
      state: { result: args.name === "broker-app-password" ? appPassword : `${args.name}-fixed` },
    });
    const plan = await runProgram(
      () => {
        new messaging.RabbitMqCluster("broker", celery);
      },
      { resourceOutputs: { "random:index/randomPassword:RandomPassword": passwords } },
    );
    const template = (plan.get(STS, "broker-statefulset").inputs as { spec: { template: Json } })
      .spec.template;
    return {
      hash: (template["metadata"] as { annotations: Json }).annotations[
        "taskstack.dev/config-hash"
      ],
      plan,
    };
  }

  it("rolls the nodes when a password changes, and the hash reveals no password", async () => {
    const first = await rolloutHash("first-password-0123456789abcdef");
    const again = await rolloutHash("first-password-0123456789abcdef");
    const changed = await rolloutHash("other-password-0123456789abcdef");
    // A plain 16-hex digest: not a secret the preview hides, and not the password.
    expect(first.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(again.hash).toBe(first.hash);
    expect(changed.hash).not.toBe(first.hash);
    for (const [{ plan }, password] of [
      [first, "first-password-0123456789abcdef"],
      [changed, "other-password-0123456789abcdef"],
    ] as const) {
      const plain = JSON.stringify(
        plan.resources.filter((r) => r.type !== SECRET && r.type !== PASSWORD).map((r) => r.inputs),
      );
      expect(plain).not.toContain(password);
      // The Secrets hold it, as secrets only.
      expect(JSON.stringify(plan.resources.map((r) => r.inputs))).not.toContain(password);
    }
  });
});

describe("RabbitMqCluster bad input", () => {
  it.each<[string, Json, string[]]>([
    [
      "an even replica count",
      { replicas: 4 },
      [
        'RabbitMqCluster "broker" replicas: expected an odd number of nodes (pause_minority needs a strict majority on one side of any split), got 4. Use 3 or 5',
      ],
    ],
    [
      "shrinking below the deployed count",
      { replicas: 3, deployedReplicas: 5 },
      [
        'RabbitMqCluster "broker" replicas: expected at least the 5 nodes deployed now (shrinking drops quorum-queue members and can lose the majority), got 3. Remove nodes by hand (rabbitmq-queues shrink, forget_cluster_node), then lower deployedReplicas',
      ],
    ],
    [
      "a version older than 3.10",
      { version: "3.8.9" },
      [
        'RabbitMqCluster "broker" version: expected 3.10.0 or newer (the oldest configuration taskstack renders), got "3.8.9"',
      ],
    ],
    [
      "an image without its version",
      { image: "rabbitmq:latest" },
      [
        'RabbitMqCluster "broker" version: expected the RabbitMQ version of that image (it decides which configuration keys the node accepts), got nothing',
      ],
    ],
    [
      "storage under twice the memory",
      { memory: "4Gi", storage: "6Gi" },
      [
        'RabbitMqCluster "broker" storage: expected at least twice the memory (4Gi): the free-disk limit equals the memory, and publishers block below it, got "6Gi"',
      ],
    ],
    [
      "a binding to an undeclared exchange and an undrained dead-letter exchange",
      {
        exchanges: [{ name: "dlx" }],
        queues: [
          { name: "fast", deadLetterExchange: "dlx" },
          { name: "slow", bindings: [{ exchange: "events" }] },
        ],
      },
      [
        'RabbitMqCluster "broker" queues[1].bindings[0].exchange: expected an exchange declared in exchanges, got "events"',
        'RabbitMqCluster "broker" queues[0].deadLetterExchange: expected a dead-letter exchange some queue is bound to: nothing is bound to "dlx", so dead letters would be dropped, got "dlx". Add a queue with bindings: [{ exchange: dlx }]',
      ],
    ],
    [
      "a wildcard binding on a direct dead-letter exchange and no dead-letter routing key",
      {
        exchanges: [{ name: "dlx" }],
        queues: [
          { name: "fast", deadLetterExchange: "dlx" },
          { name: "dead", bindings: [{ exchange: "dlx", routingKey: "#" }] },
        ],
      },
      [
        'RabbitMqCluster "broker" queues[1].bindings[0].routingKey: expected a literal routing key on the direct exchange "dlx" ("#" and "*" are wildcards only on a topic exchange; here "#" matches only messages whose key is literally "#"), got "#". Declare "dlx" with type: topic, or leave routingKey out (it defaults to the queue\'s name) and set each source queue\'s deadLetterRoutingKey to that name',
        'RabbitMqCluster "broker" queues[0].deadLetterRoutingKey: expected a dead-letter routing key: without one, dead letters are republished to the direct exchange "dlx" with their original key (Celery\'s is the queue\'s name, "fast"), which no queue bound to it matches (bound with "#"), so they would be dropped, got nothing. Declare "dlx" with type: topic, or bind the dead-letter queue without a routingKey and set deadLetterRoutingKey to its name',
      ],
    ],
    [
      "a dead-letter routing key no binding of a direct exchange has",
      {
        exchanges: [{ name: "dlx", type: "direct" }],
        queues: [
          { name: "fast", deadLetterExchange: "dlx", deadLetterRoutingKey: "dead-letters" },
          { name: "dead", bindings: [{ exchange: "dlx" }] },
        ],
      },
      [
        'RabbitMqCluster "broker" queues[0].deadLetterRoutingKey: expected a dead-letter routing key that a queue bound to the direct exchange "dlx" matches (bound with "dead"): dead letters republished with "dead-letters" would be dropped, got "dead-letters". Set deadLetterRoutingKey: dead',
      ],
    ],
    [
      "a wildcard binding on a fanout exchange and a topic key no binding matches",
      {
        exchanges: [
          { name: "fan", type: "fanout" },
          { name: "dlx", type: "topic" },
        ],
        queues: [
          { name: "fast", deadLetterExchange: "dlx", deadLetterRoutingKey: "dead.fast" },
          { name: "dead", bindings: [{ exchange: "dlx", routingKey: "dead.*.x" }] },
          { name: "events", bindings: [{ exchange: "fan", routingKey: "*" }] },
        ],
      },
      [
        'RabbitMqCluster "broker" queues[2].bindings[0].routingKey: expected a literal routing key on the fanout exchange "fan" ("#" and "*" are wildcards only on a topic exchange; here "*" matches only messages whose key is literally "*"), got "*". Declare "fan" with type: topic, or leave routingKey out (it defaults to the queue\'s name) and set each source queue\'s deadLetterRoutingKey to that name',
        'RabbitMqCluster "broker" queues[0].deadLetterRoutingKey: expected a dead-letter routing key that a queue bound to the topic exchange "dlx" matches (bound with "dead.*.x"): dead letters republished with "dead.fast" would be dropped, got "dead.fast". Set deadLetterRoutingKey to a key that "dead.*.x" matches',
      ],
    ],
    [
      "a delivery limit on a classic queue and a duplicate queue",
      { queues: [{ name: "a", type: "classic", deliveryLimit: 3 }, { name: "a" }] },
      [
        'RabbitMqCluster "broker" queues[0].deliveryLimit: expected no delivery limit on a classic queue (quorum queues only), got 3',
        'RabbitMqCluster "broker" queues[1].name: expected a name unique among queues, got "a"',
      ],
    ],
    [
      "a cluster domain that is not a DNS domain",
      { clusterDomain: "Cluster.Local" },
      [
        'RabbitMqCluster "broker" clusterDomain: expected the Kubernetes cluster\'s DNS domain, such as "cluster.local", got "Cluster.Local"',
      ],
    ],
    [
      "a reserved queue name and an unknown key",
      { queues: [{ name: "amq.tasks" }], replica: 3 },
      [
        'RabbitMqCluster "broker" queues[0].name: expected 1–255 letters, digits, . _ : -, not starting with amq. (reserved), got "amq.tasks"',
        'RabbitMqCluster "broker" replica: unknown key (expected one of name, namespace, replicas, deployedReplicas, version, image, vhost, clusterDomain, cpu, memory, storage, storageClassName, terminationGracePeriodSeconds, delayStartSeconds, antiAffinity, zoneSpread, adminUser, appUser, exchanges, queues, protect), got 3',
      ],
    ],
  ])("refuses %s with exact messages, declaring nothing", async (_case, extra, messages) => {
    const run = runProgram(() => {
      new messaging.RabbitMqCluster("broker", { namespace: "tasks", ...extra } as never);
    });
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskstackInputError);
    expect((err as TaskstackInputError).problems).toEqual(messages);
    expect(declaredBeforeFailure(err).map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });

  it("refuses a name too long for the StatefulSet's pods", () => {
    expect(() =>
      messaging.validateRabbitMqClusterArgs("a".repeat(41), { namespace: "tasks" }),
    ).toThrow(
      'RabbitMqCluster "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" name: expected 1–40 lowercase letters, digits or -, starting with a letter (a DNS label with room for Kubernetes\' suffixes), got "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"',
    );
  });

  it("refuses shrinking below a deployed count that is only known later, before the StatefulSet changes", async () => {
    const err = await runProgram(() => {
      new messaging.RabbitMqCluster("broker", {
        namespace: "tasks",
        replicas: 3,
        deployedReplicas: pulumi.output(5),
      });
    }).catch((e: unknown) => e);
    expect(String(err)).toContain(
      'RabbitMqCluster "broker" replicas: expected at least the 5 nodes deployed now, got 3',
    );
    expect(declaredBeforeFailure(err).map((r) => r.type)).not.toContain(STS);
  });

  /** Valid values most of the time, so that accepted args occur too; anything else sometimes. */
  const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
    fc.oneof(
      { weight: 6, arbitrary: valid },
      { weight: 1, arbitrary: invalid },
      { weight: 1, arbitrary: fc.anything() },
    );

  it("only ever fails with a TaskstackInputError, whatever it is given", () => {
    const outcomes: Outcomes = { accepted: 0, rejected: 0 };
    assertExercised(outcomes, { accepted: 10, rejected: 10 }, (params) => {
      assertAnyArgsFailOnlyWithInputErrors(messaging.validateRabbitMqClusterArgs, outcomes, params);
      fc.assert(
        fc.property(
          fc.record(
            {
              replicas: mostly(fc.constantFrom(1, 3, 5), fc.integer({ min: -1, max: 10 })),
              deployedReplicas: mostly(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 9 })),
              version: mostly(fc.constantFrom("3.10.8", "4.1.4"), fc.constantFrom("3.9.0", "x")),
              memory: mostly(fc.constantFrom("256Mi", "1Gi"), fc.constantFrom("1G", "10", "-1")),
              storage: mostly(fc.constantFrom("20Gi", "100Gi"), fc.constantFrom("1Gi", "")),
              exchanges: mostly(fc.constant([{ name: "dlx" }]), fc.constant([{ name: 1 }])),
              queues: mostly(
                fc.constant([
                  { name: "a", deadLetterExchange: "dlx" },
                  { name: "b", bindings: [{ exchange: "dlx" }] },
                ]),
                fc.array(
                  fc.record(
                    {
                      name: fc.constantFrom("a", "b", "amq.x"),
                      type: fc.constantFrom("quorum", "classic", "stream"),
                      deadLetterExchange: fc.constantFrom("dlx", "none"),
                      deliveryLimit: fc.anything(),
                      bindings: fc.anything(),
                    },
                    { requiredKeys: ["name"] },
                  ),
                ),
              ),
            },
            { requiredKeys: [] },
          ),
          (args) =>
            failsOnlyWithInputErrors(
              () =>
                messaging.validateRabbitMqClusterArgs("broker", { namespace: "tasks", ...args }),
              outcomes,
            ),
        ),
        { numRuns: 500, ...params },
      );
    });
  });
});

describe("topic routing of dead letters", () => {
  // rabbit_db_topic_exchange: words split on ".", "*" is exactly one word, "#" zero or more.
  it.each<[string, string, boolean]>([
    ["#", "celery-fast", true],
    ["#", "", true],
    ["*", "celery-fast", true],
    ["*", "a.b", false],
    ["dead.#", "dead", true],
    ["dead.#", "dead.a.b", true],
    ["dead.*", "dead", false],
    ["#.fast", "celery.fast", true],
    ["a.#.z", "a.z", true],
    ["a.#.z", "a.b.c.z", true],
    ["a.#.z", "a.b.c", false],
    ["celery-fast", "celery-fast", true],
    ["celery-fast", "celery-slow", false],
  ])("binding %j matches key %j: %s", (binding, key, matches) => {
    expect(schemas.topicMatches(binding, key)).toBe(matches);
  });
});
