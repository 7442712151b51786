import * as k8s from "@pulumi/kubernetes";
import type { Scenario } from "./scenario";

// Kubernetes workloads as people write them by hand: a RabbitMQ StatefulSet shaped like
// rabbitmq/cluster-operator's production example (selectors with matchExpressions), Deployments
// with ordinary settings whose names contain PASSWORD or TOKEN, RabbitMQ config split over
// several .conf entries, CronJobs; and the classic mistakes, Pod Security baseline included.

type Container = k8s.types.input.core.v1.Container;
type PodSpec = k8s.types.input.core.v1.PodSpec;

const resources = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "1", memory: "512Mi" },
};

const securityContext = {
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
};

function container(change: Partial<Container> = {}): Container {
  return {
    name: "app",
    image: "ghcr.io/example/app:1.4.2",
    resources,
    securityContext,
    ...change,
  };
}

function pod(change: Partial<PodSpec> = {}, c: Partial<Container> = {}): PodSpec {
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001 },
    containers: [container(c)],
    ...change,
  };
}

function deployment(name: string, spec: PodSpec): k8s.apps.v1.Deployment {
  return new k8s.apps.v1.Deployment(name, {
    metadata: { name, namespace: "apps" },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec },
    },
  });
}

const rabbitLabels = {
  "app.kubernetes.io/name": "rabbit",
  "app.kubernetes.io/component": "rabbitmq",
};

function rabbit(name: string, replicas: number, affinity: unknown): k8s.apps.v1.StatefulSet {
  return new k8s.apps.v1.StatefulSet(name, {
    metadata: { name, namespace: "messaging" },
    spec: {
      replicas,
      serviceName: `${name}-nodes`,
      podManagementPolicy: "Parallel",
      selector: { matchLabels: { ...rabbitLabels, "app.kubernetes.io/instance": name } },
      template: {
        metadata: { labels: { ...rabbitLabels, "app.kubernetes.io/instance": name } },
        spec: pod(
          { affinity: affinity as k8s.types.input.core.v1.Affinity },
          { name: "rabbitmq", image: "rabbitmq:4.1.4-management" },
        ),
      },
    },
  });
}

const expressionAntiAffinity = (name: string) => ({
  podAntiAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [
      {
        topologyKey: "kubernetes.io/hostname",
        labelSelector: {
          matchExpressions: [{ key: "app.kubernetes.io/instance", operator: "In", values: [name] }],
        },
      },
    ],
  },
});

const cronJobSpec = {
  schedule: "15 2 * * *",
  timeZone: "Europe/Paris",
  concurrencyPolicy: "Forbid",
  startingDeadlineSeconds: 300,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 3,
};

function cronJob(
  name: string,
  change: Record<string, unknown> = {},
  job: Record<string, unknown> = {},
) {
  return new k8s.batch.v1.CronJob(name, {
    metadata: { name, namespace: "jobs" },
    spec: {
      ...cronJobSpec,
      ...change,
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 3600,
          ...job,
          template: { spec: pod({ restartPolicy: "Never" }) },
        },
      },
    } as k8s.types.input.batch.v1.CronJobSpec,
  });
}

export const kubernetesScenarios: readonly Scenario[] = [
  {
    title:
      "RabbitMQ StatefulSet as rabbitmq/cluster-operator's production example (matchExpressions)",
    program: () => {
      rabbit("good-rabbit", 3, expressionAntiAffinity("good-rabbit"));
      new k8s.policy.v1.PodDisruptionBudget("good-rabbit-pdb", {
        metadata: { name: "good-rabbit", namespace: "messaging" },
        spec: {
          maxUnavailable: 1,
          selector: {
            matchExpressions: [
              { key: "app.kubernetes.io/instance", operator: "In", values: ["good-rabbit"] },
            ],
          },
        },
      });
      new k8s.core.v1.ConfigMap("good-rabbit-config", {
        metadata: { name: "good-rabbit-config", namespace: "messaging" },
        data: {
          "10-partitions.conf": "cluster_partition_handling = pause_minority # see the runbook\n",
          "20-memory.conf": "vm_memory_high_watermark.relative = 0.6\n",
          enabled_plugins: "[rabbitmq_management,rabbitmq_peer_discovery_k8s].\n",
        },
      });
    },
  },
  {
    title: "A 2-replica StatefulSet with a PDB allowing one pod down; a matchLabels one of 3",
    program: () => {
      const labels = { app: "good-pair" };
      new k8s.apps.v1.StatefulSet("good-pair", {
        metadata: { name: "good-pair", namespace: "data" },
        spec: {
          replicas: 2,
          serviceName: "good-pair",
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: pod({
              affinity: {
                podAntiAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: [
                    {
                      topologyKey: "kubernetes.io/hostname",
                      labelSelector: { matchLabels: labels },
                    },
                  ],
                },
              },
            }),
          },
        },
      });
      new k8s.policy.v1.PodDisruptionBudget("good-pair-pdb", {
        metadata: { name: "good-pair", namespace: "data" },
        spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
      });
      rabbit("good-trio", 3, {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              topologyKey: "kubernetes.io/hostname",
              labelSelector: { matchLabels: { "app.kubernetes.io/instance": "good-trio" } },
            },
          ],
        },
      });
      new k8s.policy.v1.PodDisruptionBudget("good-trio-pdb", {
        metadata: { name: "good-trio", namespace: "messaging" },
        spec: {
          minAvailable: 2,
          selector: { matchLabels: { "app.kubernetes.io/instance": "good-trio" } },
        },
      });
    },
  },
  {
    title: "Deployments with ordinary settings named like secrets, a credentials file path",
    program: () => {
      deployment(
        "good-settings",
        pod(
          {},
          {
            env: [
              { name: "PASSWORD_MIN_LENGTH", value: "12" },
              { name: "TOKEN_TTL_SECONDS", value: "3600" },
              { name: "SESSION_COOKIE_SECURE", value: "true" },
              { name: "GOOGLE_APPLICATION_CREDENTIALS", value: "/var/secrets/google/key.json" },
              { name: "API_KEY_HEADER", value: "X-Api-Key" },
              {
                name: "DB_PASSWORD",
                valueFrom: { secretKeyRef: { name: "db", key: "password" } },
              },
            ],
            args: ["--password-file=/run/secrets/db", "--token-ttl=3600"],
          },
        ),
      );
      deployment(
        "good-worker",
        pod({}, { image: "ghcr.io/example/worker@sha256:" + "a".repeat(64) }),
      );
      new k8s.core.v1.ConfigMap("good-app-config", {
        metadata: { name: "app", namespace: "apps" },
        data: { "settings.yaml": "tokenTtlSeconds: 3600\npasswordMinLength: 12\n" },
      });
    },
  },
  {
    title: "CronJobs",
    program: () => {
      cronJob("good-nightly");
      cronJob("good-every-5m", {
        schedule: "*/5 * * * *",
        startingDeadlineSeconds: 120,
        timeZone: "Etc/UTC",
      });
      cronJob("bad-cron-no-deadline", { startingDeadlineSeconds: undefined });
      cronJob("bad-cron-allow", { concurrencyPolicy: "Allow" });
      cronJob("bad-cron-no-zone", { timeZone: undefined });
      cronJob("bad-cron-no-active-deadline", {}, { activeDeadlineSeconds: undefined });
      cronJob("bad-cron-ttl", {}, { ttlSecondsAfterFinished: 600 });
    },
    bad: {
      "bad-cron-no-deadline": "kubernetes-batch-cronjob-configure-starting-deadline",
      "bad-cron-allow": "kubernetes-batch-cronjob-configure-concurrency-policy",
      "bad-cron-no-zone": "kubernetes-batch-cronjob-configure-time-zone",
      "bad-cron-no-active-deadline": "kubernetes-batch-cronjob-configure-active-deadline",
      "bad-cron-ttl": "kubernetes-batch-cronjob-disallow-ttl-after-finished",
    },
  },
  {
    title: "Containers: the classic mistakes",
    program: () => {
      deployment("bad-latest", pod({}, { image: "nginx:latest" }));
      deployment("bad-no-resources", pod({}, { resources: undefined }));
      deployment("bad-root", pod({ securityContext: {} }, { securityContext: { runAsUser: 0 } }));
      deployment(
        "bad-root-group",
        pod({}, { securityContext: { ...securityContext, runAsGroup: 0 } }),
      );
      deployment(
        "bad-plain-secret",
        pod({}, { env: [{ name: "STRIPE_API_KEY", value: "sk_live_abc123" }] }),
      );
      deployment("bad-secret-arg", pod({}, { args: ["--broker=amqp://app:hunter2@rabbit:5672/"] }));
      deployment(
        "bad-rabbit-hang",
        pod({}, { name: "rabbitmq", image: "rabbitmq:3.10.7-management" }),
      );
    },
    bad: {
      "bad-latest": "kubernetes-core-container-disallow-latest-tag",
      "bad-no-resources": "kubernetes-core-container-configure-resources",
      "bad-root": "kubernetes-core-container-enforce-non-root",
      "bad-root-group": "kubernetes-core-container-enforce-non-root",
      "bad-plain-secret": "kubernetes-core-container-disallow-plaintext-secrets",
      "bad-secret-arg": "kubernetes-core-container-disallow-plaintext-secrets",
      "bad-rabbit-hang": "kubernetes-core-container-disallow-rabbitmq-boot-hang-versions",
    },
  },
  {
    title: "Pod Security baseline: privileged, escalation, capabilities, host namespaces, hostPath",
    program: () => {
      deployment(
        "bad-privileged",
        pod({}, { securityContext: { ...securityContext, privileged: true } }),
      );
      deployment(
        "bad-escalation",
        pod({}, { securityContext: { ...securityContext, allowPrivilegeEscalation: true } }),
      );
      deployment(
        "bad-sys-admin",
        pod({}, { securityContext: { ...securityContext, capabilities: { add: ["SYS_ADMIN"] } } }),
      );
      deployment("bad-host-network", pod({ hostNetwork: true }));
      deployment("bad-host-pid", pod({ hostPID: true }));
      deployment(
        "bad-docker-sock",
        pod(
          { volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }] },
          { volumeMounts: [{ name: "docker", mountPath: "/var/run/docker.sock" }] },
        ),
      );
      deployment(
        "good-net-bind",
        pod(
          {},
          {
            securityContext: {
              ...securityContext,
              capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
            },
          },
        ),
      );
    },
    bad: {
      "bad-privileged": "kubernetes-core-container-disallow-privileged",
      "bad-escalation": "kubernetes-core-container-disallow-privilege-escalation",
      "bad-sys-admin": "kubernetes-core-container-disallow-added-capabilities",
      "bad-host-network": "kubernetes-core-pod-disallow-host-namespaces",
      "bad-host-pid": "kubernetes-core-pod-disallow-host-namespaces",
      "bad-docker-sock": "kubernetes-core-pod-disallow-host-path",
    },
  },
  {
    title: "StatefulSets and PDBs: no PDB, zero disruption, majority at risk, no anti-affinity",
    program: () => {
      rabbit("bad-sts-no-pdb", 3, expressionAntiAffinity("bad-sts-no-pdb"));
      rabbit("bad-sts-no-anti-affinity", 3, undefined);
      new k8s.policy.v1.PodDisruptionBudget("aux-no-anti-affinity-pdb", {
        metadata: { name: "no-anti", namespace: "messaging" },
        spec: {
          maxUnavailable: 1,
          selector: { matchLabels: { "app.kubernetes.io/instance": "bad-sts-no-anti-affinity" } },
        },
      });
      rabbit("aux-sts-zero", 3, expressionAntiAffinity("aux-sts-zero"));
      new k8s.policy.v1.PodDisruptionBudget("bad-pdb-zero", {
        metadata: { name: "zero", namespace: "messaging" },
        spec: {
          maxUnavailable: 0,
          selector: { matchLabels: { "app.kubernetes.io/instance": "aux-sts-zero" } },
        },
      });
      rabbit("bad-sts-loose-pdb", 5, expressionAntiAffinity("bad-sts-loose-pdb"));
      new k8s.policy.v1.PodDisruptionBudget("aux-loose-pdb", {
        metadata: { name: "loose", namespace: "messaging" },
        spec: {
          maxUnavailable: 3,
          selector: { matchLabels: { "app.kubernetes.io/instance": "bad-sts-loose-pdb" } },
        },
      });
    },
    bad: {
      "bad-sts-no-pdb": "kubernetes-apps-statefulset-configure-pod-disruption-budget",
      "bad-sts-no-anti-affinity": "kubernetes-apps-statefulset-configure-anti-affinity",
      "bad-pdb-zero": "kubernetes-policy-poddisruptionbudget-disallow-zero-disruption",
      "bad-sts-loose-pdb": "kubernetes-apps-statefulset-configure-pod-disruption-budget",
    },
  },
  {
    title: "ConfigMaps: RabbitMQ partition handling, secrets in plain text",
    program: () => {
      new k8s.core.v1.ConfigMap("bad-conf-ignore", {
        metadata: { name: "rabbit-ignore", namespace: "messaging" },
        data: { "rabbitmq.conf": "cluster_partition_handling = ignore\n" },
      });
      new k8s.core.v1.ConfigMap("bad-conf-unset", {
        metadata: { name: "rabbit-unset", namespace: "messaging" },
        data: { "rabbitmq.conf": "listeners.tcp.default = 5672\n" },
      });
      new k8s.core.v1.ConfigMap("bad-configmap-secret", {
        metadata: { name: "app-secrets", namespace: "apps" },
        data: { DATABASE_PASSWORD: "hunter2" },
      });
    },
    bad: {
      "bad-conf-ignore": "kubernetes-core-configmap-configure-rabbitmq-partition-handling",
      "bad-conf-unset": "kubernetes-core-configmap-configure-rabbitmq-partition-handling",
      "bad-configmap-secret": "kubernetes-core-configmap-disallow-plaintext-secrets",
    },
  },
];
