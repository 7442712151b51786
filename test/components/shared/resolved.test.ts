import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { data, edge, messaging, scheduling, workers } from "../../../components";
import { Secret, declaredBeforeFailure, runProgram } from "../../../testing";
import type { Plan } from "../../../testing";

// Args the runtime takes as Outputs (a Namespace's name, a zone's id, a location, an instance),
// checked once they resolve with the message a known value gets; RabbitMQ→Celery wiring through
// `brokerSecret`; grant members checked as stack files check them; derived names claimed across
// the components of one program.

const T = {
  namespace: "kubernetes:core/v1:Namespace",
  secret: "kubernetes:core/v1:Secret",
  configMap: "kubernetes:core/v1:ConfigMap",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  deployment: "kubernetes:apps/v1:Deployment",
  cronJob: "kubernetes:batch/v1:CronJob",
  record: "aws:route53/record:Record",
  zone: "aws:route53/zone:Zone",
  queue: "gcp:cloudtasks/queue:Queue",
  alert: "gcp:monitoring/alertPolicy:AlertPolicy",
  schedule: "gcp:spanner/backupSchedule:BackupSchedule",
  metric: "gcp:logging/metric:Metric",
  job: "gcp:cloudscheduler/job:Job",
  publisher: "gcp:pubsub/topicIAMMember:TopicIAMMember",
  enqueuer: "gcp:cloudtasks/queueIamMember:QueueIamMember",
} as const;

const resources = {
  requests: { cpu: "250m", memory: "256Mi" },
  limits: { cpu: "1", memory: "1Gi" },
};
const queues = [{ name: "fast", taskTimeLimitSeconds: 60, resources }];

/** A value known only once a resource exists, as a Namespace's `metadata.name` is. */
const later = <T>(value: T): pulumi.Output<T> =>
  pulumi.output(
    new Promise<T>((resolve) => setTimeout(() => resolve(value), 5)),
  ) as pulumi.Output<T>;

const namespaceOf = (plan: Plan, type: string, name: string) =>
  (plan.get(type, name).inputs["metadata"] as { namespace?: unknown }).namespace;

describe("Kubernetes components with a namespace that is an Output", () => {
  it("wires RabbitMqCluster's broker Secret into CeleryWorkerPool, all in a Namespace resource's namespace", async () => {
    const plan = await runProgram(() => {
      const ns = new k8s.core.v1.Namespace("tasks", { metadata: { name: "tasks" } });
      const cluster = new messaging.RabbitMqCluster("broker", {
        namespace: ns.metadata.name,
        replicas: 1,
        // Before 4.1, peer discovery names the namespace in rabbitmq.conf.
        version: "4.0.5",
      });
      new workers.CeleryWorkerPool("workers", {
        namespace: ns.metadata.name,
        image: "ghcr.io/acme/shop-worker:2.3.0",
        app: "shop.worker",
        brokerUrlSecret: cluster.brokerSecret,
        queues,
      });
      new scheduling.KubernetesCronJob("nightly-report", {
        namespace: ns.metadata.name,
        schedule: "0 2 * * *",
        image: "ghcr.io/acme/reports:1.4.2",
        resources,
      });
    });
    expect(namespaceOf(plan, T.statefulSet, "broker-statefulset")).toBe("tasks");
    expect(namespaceOf(plan, T.deployment, "workers-fast-deployment")).toBe("tasks");
    expect(namespaceOf(plan, T.cronJob, "nightly-report-cronjob")).toBe("tasks");
    // The exact Secret and key the cluster writes the URL to reach the worker's env.
    const secret = plan.get(T.secret, "broker-broker-secret").inputs as {
      metadata: { name: string };
      stringData: Record<string, unknown>;
    };
    expect(secret.metadata.name).toBe("broker-broker");
    const stringData: unknown =
      secret.stringData instanceof Secret ? secret.stringData.value : secret.stringData;
    expect(Object.keys(stringData as object)).toEqual(["url"]);
    const deployment = plan.get(T.deployment, "workers-fast-deployment").inputs as {
      spec: { template: { spec: { containers: { env: unknown[] }[] } } };
    };
    expect(deployment.spec.template.spec.containers[0]?.env).toContainEqual({
      name: "CELERY_BROKER_URL",
      valueFrom: { secretKeyRef: { name: "broker-broker", key: "url" } },
    });
    // The rendered configuration names the namespace once it is known.
    const conf = (plan.get(T.configMap, "broker-config").inputs["data"] as Record<string, string>)[
      "rabbitmq.conf"
    ];
    expect(conf).toContain(
      "cluster_formation.k8s.hostname_suffix = .broker-nodes.tasks.svc.cluster.local",
    );
  });

  it.each([
    [
      "RabbitMqCluster",
      () => new messaging.RabbitMqCluster("broker", { namespace: later("Tasks_NS"), replicas: 1 }),
      'RabbitMqCluster "broker" namespace: expected a Kubernetes name: 1–63 lowercase letters, digits or -, starting and ending with a letter or digit, got "Tasks_NS"',
    ],
    [
      "CeleryWorkerPool",
      () =>
        new workers.CeleryWorkerPool("workers", {
          namespace: "tasks",
          image: "ghcr.io/acme/shop-worker:2.3.0",
          app: "shop.worker",
          brokerUrlSecret: { name: later("Broker!") },
          queues,
        }),
      'CeleryWorkerPool "workers" brokerUrlSecret.name: expected a Kubernetes name: 1–63 lowercase letters, digits or -, starting and ending with a letter or digit, got "Broker!"',
    ],
    [
      "KubernetesCronJob",
      () =>
        new scheduling.KubernetesCronJob("nightly-report", {
          namespace: later(""),
          schedule: "0 2 * * *",
          image: "ghcr.io/acme/reports:1.4.2",
          resources,
        }),
      'KubernetesCronJob "nightly-report" namespace: expected a Kubernetes name: 1–63 lowercase letters, digits or -, starting and ending with a letter or digit, got ""',
    ],
  ])(
    "%s checks a resolved namespace or Secret name with the message a known one gets",
    async (_, build, message) => {
      const failure = await runProgram(() => {
        build();
      }).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toBe(message);
      // Nothing that carries the bad value was declared.
      expect(
        declaredBeforeFailure(failure).filter(
          (r) => r.type.startsWith("kubernetes:apps") || r.type.startsWith("kubernetes:batch"),
        ),
      ).toEqual([]);
    },
  );
});

describe("Google Cloud and AWS args that are Outputs", () => {
  it("HttpsStaticSite validates through a Route 53 zone resource's id", async () => {
    const plan = await runProgram(
      () => {
        const zone = new aws.route53.Zone("zone", { name: "acme-shop.example" });
        new edge.HttpsStaticSite("site", {
          domainName: "acme-shop.example",
          aliases: ["www.acme-shop.example"],
          dnsValidation: "route53",
          route53ZoneId: zone.zoneId,
        });
      },
      {
        config: { "aws:region": "eu-west-1" },
        resourceOutputs: { [T.zone]: () => ({ state: { zoneId: "Z0123456789ABCDEFGHIJ" } }) },
      },
    );
    const zoneId = plan.get(T.zone, "zone").outputs["zoneId"];
    expect(zoneId).toBe("Z0123456789ABCDEFGHIJ");
    const records = plan.findResources(T.record);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(r.inputs["zoneId"]).toBe(zoneId);
  });

  it("HttpsStaticSite refuses a resolved zone id that is not one", async () => {
    await expect(
      runProgram(
        () =>
          new edge.HttpsStaticSite("site", {
            domainName: "acme-shop.example",
            aliases: ["www.acme-shop.example"],
            dnsValidation: "route53",
            route53ZoneId: later("acme-shop.example"),
          }),
        { config: { "aws:region": "eu-west-1" } },
      ),
    ).rejects.toThrow(
      /^HttpsStaticSite "site" route53ZoneId: expected a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ", got "acme-shop.example"$/,
    );
  });

  it("CloudTasksQueue writes a resolved location into the queue and its alert filters", async () => {
    const plan = await runProgram(() => {
      new messaging.CloudTasksQueue("emails", {
        project: "acme-shop-test",
        location: later("europe-west1"),
        maxAttempts: 5,
        alertNotificationChannels: ["projects/acme-shop-test/notificationChannels/1"],
      });
    });
    expect(plan.get(T.queue, "emails-queue").inputs["location"]).toBe("europe-west1");
    const depth = plan.get(T.alert, "emails-depth-alert").inputs as {
      conditions: { conditionThreshold: { filter: string } }[];
    };
    expect(depth.conditions[0]?.conditionThreshold.filter).toBe(
      'resource.type = "cloud_tasks_queue" AND resource.labels.location = "europe-west1" AND resource.labels.queue_id = "emails" AND metric.type = "cloudtasks.googleapis.com/queue/depth"',
    );
    expect(JSON.stringify(plan.get(T.alert, "emails-failure-alert").inputs)).toContain(
      'location=\\"europe-west1\\"',
    );
  });

  it("CloudTasksQueue refuses a resolved location that is not a region", async () => {
    await expect(
      runProgram(
        () =>
          new messaging.CloudTasksQueue("emails", { location: later("Europe"), maxAttempts: 5 }),
      ),
    ).rejects.toThrow(
      /^CloudTasksQueue "emails" location: expected a GCP region such as europe-west1, got "Europe"$/,
    );
  });
});

describe("grant members are checked as a stack file's members are", () => {
  const topic = () =>
    new messaging.PubSubTopic("orders", {
      project: "acme-shop-test",
      projectNumber: "123456789012",
      subscriptions: [{ name: "billing" }],
    });
  const member = 'an IAM member such as "serviceAccount:api@project.iam.gserviceaccount.com"';

  it.each([
    [
      "a service account email without serviceAccount:",
      () => topic().grantPublish("checkout-api@acme-shop-test.iam.gserviceaccount.com"),
      `PubSubTopic "orders" grantPublish member: expected ${member}, got "checkout-api@acme-shop-test.iam.gserviceaccount.com". Prefix it: "serviceAccount:checkout-api@acme-shop-test.iam.gserviceaccount.com"`,
    ],
    [
      "allUsers",
      () => topic().grantSubscribe("billing", "allUsers"),
      `PubSubTopic "orders" grantSubscribe member: expected ${member}, got "allUsers"`,
    ],
    [
      "allAuthenticatedUsers",
      () =>
        new messaging.CloudTasksQueue("emails", {
          location: "europe-west1",
          maxAttempts: 5,
        }).grantEnqueue("allAuthenticatedUsers"),
      `CloudTasksQueue "emails" grantEnqueue member: expected ${member}, got "allAuthenticatedUsers"`,
    ],
    [
      "a resolved member without a prefix",
      () => topic().grantPublish(later("api@acme-shop-test.iam.gserviceaccount.com"), "api"),
      `PubSubTopic "orders" grantPublish member: expected ${member}, got "api@acme-shop-test.iam.gserviceaccount.com"`,
    ],
  ])("refuses %s", async (_, grant, message) => {
    const failure = await runProgram(() => {
      grant();
    }).catch((err: unknown) => err);
    expect((failure as Error).message).toBe(message);
    expect(
      declaredBeforeFailure(failure)
        .filter((r) => r.type === T.publisher || r.type === T.enqueuer)
        .map((r) => r.name)
        // The topic's own grant to the Pub/Sub service agent on its dead-letter topic.
        .filter((n) => n !== "orders-dead-letter-publisher"),
    ).toEqual([]);
  });

  it("binds user:, group:, domain: and serviceAccount: members as given", async () => {
    const members = [
      "user:ana@acme-shop.example",
      "group:payments@acme-shop.example",
      "domain:acme-shop.example",
      "serviceAccount:api@acme-shop-test.iam.gserviceaccount.com",
    ];
    const plan = await runProgram(() => {
      const t = topic();
      for (const m of members) t.grantPublish(m);
    });
    expect(
      plan
        .findResources(T.publisher)
        .filter((r) => r.name.startsWith("orders-publisher-"))
        .map((r) => r.inputs["member"]),
    ).toEqual(members);
  });
});

describe("derived names claimed across the components of one program", () => {
  it("refuses two PubSubTopics with one topicName, naming both", async () => {
    await expect(
      runProgram(() => {
        const args = {
          project: "acme-shop-test",
          projectNumber: "123456789012",
          topicName: "orders",
        };
        new messaging.PubSubTopic("orders", args);
        new messaging.PubSubTopic("orders-v2", args);
      }),
    ).rejects.toThrow(
      'PubSubTopic "orders-v2": derives the Pub/Sub topic name "orders" in acme-shop-test, which PubSubTopic "orders" already derives: give one of them another name',
    );
  });

  it("refuses a worker pool whose bootstrap ConfigMap a second pool in the namespace derives too", async () => {
    const pool = (name: string) =>
      new workers.CeleryWorkerPool(name, {
        namespace: "tasks",
        deploymentNamePrefix: "celery",
        image: "ghcr.io/acme/shop-worker:2.3.0",
        app: "shop.worker",
        brokerUrlSecret: { name: "broker-broker" },
        queues,
      });
    await expect(
      runProgram(() => {
        pool("workers");
        pool("workers-eu");
      }),
    ).rejects.toThrow(
      'CeleryWorkerPool "workers-eu": derives the Kubernetes ConfigMap name "celery-celery-bootstrap" in tasks, which CeleryWorkerPool "workers" already derives: give one of them another name',
    );
  });

  // A backup in function mode and a job whose service account is one the backup derives.
  const backup = (project: pulumi.Input<string>) =>
    new data.SpannerScheduledBackup("commerce", {
      project,
      region: "europe-west1",
      instance: "commerce",
      mode: "function",
      databases: [{ name: "orders", schedule: "0 2 * * *", retentionSeconds: 1_209_600 }],
    });
  const sweep = () =>
    new scheduling.CloudSchedulerJob("sweep", {
      project: "acme-shop-test",
      region: "europe-west1",
      schedule: "*/5 * * * *",
      timeZone: "Etc/UTC",
      uri: "https://sweeper.acme-shop.example/run",
      cloudRunService: "sweeper",
      serviceAccountId: "commerce-scheduler",
    });

  describe("SpannerScheduledBackup with a project that is an Output", () => {
    it("claims its names in the project it resolves to, and refuses a clash there", async () => {
      const failure = await runProgram(() => {
        backup(later("acme-shop-test"));
        sweep();
      }).catch((err: unknown) => err);
      expect((failure as Error).message).toBe(
        'SpannerScheduledBackup "commerce": derives the Service account name "commerce-scheduler" in acme-shop-test, which CloudSchedulerJob "sweep" already derives: give one of them another name',
      );
      // None of the backup's resources, which all carry the project, was declared.
      expect(
        declaredBeforeFailure(failure).filter((r) => r.parent?.includes("SpannerScheduledBackup")),
      ).toEqual([]);
    });

    it("claims nothing in another project or in the default one", async () => {
      const plan = await runProgram(() => {
        backup(later("acme-shop-other"));
        sweep();
        // No project: the provider's, which may be any project.
        new scheduling.CloudSchedulerJob("sweep-default", {
          region: "europe-west1",
          schedule: "*/5 * * * *",
          timeZone: "Etc/UTC",
          uri: "https://sweeper.acme-shop.example/run",
          cloudRunService: "sweeper",
          serviceAccountId: "commerce-function",
        });
      });
      expect(
        plan
          .findResources("gcp:serviceaccount/account:Account")
          .map((a) => [a.inputs["project"], a.inputs["accountId"]])
          .sort(),
      ).toEqual([
        [undefined, "commerce-function"],
        ["acme-shop-other", "commerce-build"],
        ["acme-shop-other", "commerce-function"],
        ["acme-shop-other", "commerce-scheduler"],
        ["acme-shop-test", "commerce-scheduler"],
      ]);
    });
  });

  // Before, an Output project was counted as the provider's (default) project.
  describe("PubSubTopic, CloudTasksQueue and CloudSchedulerJob with a project that is an Output", () => {
    const pair = (first: pulumi.Input<string>, second: pulumi.Input<string>) => () => {
      for (const [suffix, project] of [
        ["a", first],
        ["b", second],
      ] as const) {
        new messaging.PubSubTopic(`orders-${suffix}`, {
          project,
          projectNumber: "123456789012",
          topicName: "orders",
        });
        new messaging.CloudTasksQueue(`emails-${suffix}`, {
          project,
          location: "europe-west1",
          queueName: "emails",
          maxAttempts: 5,
        });
        new scheduling.CloudSchedulerJob(`sweep-${suffix}`, {
          project,
          region: "europe-west1",
          jobName: "sweep",
          schedule: "*/5 * * * *",
          timeZone: "Etc/UTC",
          uri: "https://sweeper.acme-shop.example/run",
          cloudRunService: "sweeper",
        });
      }
    };

    it("claims nothing across two projects", async () => {
      const plan = await runProgram(pair(later("acme-shop-a"), later("acme-shop-b")));
      expect(
        plan
          .findResources("gcp:pubsub/topic:Topic")
          .map((t) => [t.inputs["project"], t.inputs["name"]])
          .sort(),
      ).toEqual([
        ["acme-shop-a", "orders"],
        ["acme-shop-b", "orders"],
      ]);
      expect(
        plan
          .findResources("gcp:cloudtasks/queue:Queue")
          .map((q) => q.inputs["project"])
          .sort(),
      ).toEqual(["acme-shop-a", "acme-shop-b"]);
      expect(
        plan
          .findResources("gcp:cloudscheduler/job:Job")
          .map((j) => j.inputs["project"])
          .sort(),
      ).toEqual(["acme-shop-a", "acme-shop-b"]);
    });

    it("refuses the same names in the project both resolve to, naming both owners", async () => {
      const failure = await runProgram(pair(later("acme-shop-a"), later("acme-shop-a"))).catch(
        (err: unknown) => err,
      );
      expect((failure as Error).message).toMatch(
        /^(PubSubTopic "orders-b"|CloudTasksQueue "emails-b"|CloudSchedulerJob "sweep-b"): derives the .* in acme-shop-a, which (PubSubTopic "orders-a"|CloudTasksQueue "emails-a"|CloudSchedulerJob "sweep-a") already derives: give one of them another name$/,
      );
    });

    it("refuses the same names in an Output project and the same project as a string", async () => {
      const failure = await runProgram(pair(later("acme-shop-a"), "acme-shop-a")).catch(
        (err: unknown) => err,
      );
      expect((failure as Error).message).toMatch(
        /^(PubSubTopic "orders-a"|CloudTasksQueue "emails-a"|CloudSchedulerJob "sweep-a"): derives the .* in acme-shop-a, which (PubSubTopic "orders-b"|CloudTasksQueue "emails-b"|CloudSchedulerJob "sweep-b") already derives: give one of them another name$/,
      );
    });

    it("still refuses the same names in one known project at construction", async () => {
      await expect(runProgram(pair("acme-shop-a", "acme-shop-a"))).rejects.toThrow(
        'PubSubTopic "orders-b": derives the Pub/Sub topic name "orders" in acme-shop-a, which PubSubTopic "orders-a" already derives: give one of them another name',
      );
    });
  });

  it("refuses a CloudSchedulerJob whose service account a SpannerScheduledBackup derives", async () => {
    await expect(
      runProgram(() => {
        backup("acme-shop-test");
        sweep();
      }),
    ).rejects.toThrow(
      'CloudSchedulerJob "sweep": derives the Service account name "commerce-scheduler" in acme-shop-test, which SpannerScheduledBackup "commerce" already derives: give one of them another name',
    );
  });
});
