import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";
import { data, edge, messaging, scheduling, workers } from "../../../components";

// Every component under Pulumi's documented plain mocks: `newResource` answers `{ id, state:
// args.inputs }`, so nothing a provider computes comes back. Either the component declares all it
// declares, or it fails with one error naming the output it needed and how to mock it (README,
// "With your own mocks"). Counted as the test runner sees them: unhandled rejections.

const config = { "aws:region": "eu-west-1" };

interface Outcome {
  readonly thrown?: unknown;
  readonly rejections: string[];
  readonly registered: string[];
}

async function underPlainMocks(program: () => void): Promise<Outcome> {
  const rejections: string[] = [];
  const registered: string[] = [];
  const others = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  const onRejection = (reason: unknown) =>
    rejections.push(reason instanceof Error ? reason.message : String(reason));
  process.on("unhandledRejection", onRejection);
  let thrown: unknown;
  try {
    pulumi.runtime.setAllConfig(config);
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(`${args.type} ${args.name}`);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      "project",
      "stack",
      false,
    );
    try {
      program();
    } catch (err) {
      thrown = err;
    }
    // Registrations settle over turns of the event loop: wait until nothing changes for 100 ms.
    let last = "";
    for (let quiet = 0, i = 0; quiet < 10 && i < 500; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const now = `${registered.length}/${rejections.length}`;
      quiet = now === last ? quiet + 1 : 0;
      last = now;
    }
  } finally {
    process.off("unhandledRejection", onRejection);
    for (const listener of others) process.on("unhandledRejection", listener);
  }
  return { thrown, rejections, registered };
}

afterEach(() => {
  pulumi.runtime.setAllConfig({});
});

const resources = {
  requests: { cpu: "250m", memory: "256Mi" },
  limits: { cpu: "1", memory: "1Gi" },
};
const orders = { name: "orders", schedule: "0 2 * * *", retentionSeconds: 1_209_600 };
const how = (type: string, mock: string) =>
  `these mocks return only the inputs. Return it from your mocks' newResource for "${type}" (state: { ...args.inputs, ${mock} }), or run the program with taskstack/testing's runProgram, which synthesizes it`;

describe("components under plain setMocks", () => {
  it("RabbitMqCluster fails once, naming RandomPassword.result and its mock", async () => {
    const out = await underPlainMocks(() => {
      new messaging.RabbitMqCluster("broker", { namespace: "tasks", replicas: 1 });
    });
    expect(out.thrown).toBeUndefined();
    expect(out.rejections).toEqual([
      ["erlang-cookie", "admin-password", "app-password"]
        .map(
          (role) =>
            `RabbitMqCluster "broker": random.RandomPassword "broker-${role}" result is undefined: a provider computes it, and ${how("random:index/randomPassword:RandomPassword", 'result: "<a password>"')}`,
        )
        .join("\n"),
    ]);
    // It still declares the whole cluster: the one error is the only failure.
    expect(out.registered).toContain("kubernetes:apps/v1:StatefulSet broker-statefulset");
  });

  it.each(["route53", "cloud-dns"] as const)(
    "HttpsStaticSite (%s) fails once, naming ACM's domainValidationOptions and its mock",
    async (dnsValidation) => {
      const out = await underPlainMocks(() => {
        new edge.HttpsStaticSite("site", {
          domainName: "acme-shop.example",
          aliases: ["www.acme-shop.example"],
          dnsValidation,
          ...(dnsValidation === "route53"
            ? { route53ZoneId: "Z0123456789ABCDEFGHIJ" }
            : { cloudDnsManagedZone: "acme-shop" }),
        });
      });
      expect(out.thrown).toBeUndefined();
      expect(out.rejections).toEqual([
        `HttpsStaticSite "site": aws.acm.Certificate "site-certificate" domainValidationOptions is undefined: a provider computes it, and ${how("aws:acm/certificate:Certificate", 'domainValidationOptions: [{ domainName, resourceRecordName, resourceRecordType: "CNAME", resourceRecordValue }] for the domain and each alternative name')}`,
        // Cloud DNS has no alias records: its CNAMEs name the distribution's domain.
        ...(dnsValidation === "cloud-dns"
          ? [
              `HttpsStaticSite "site": aws.cloudfront.Distribution "site-distribution" domainName is undefined: a provider computes it, and ${how("aws:cloudfront/distribution:Distribution", 'domainName: "d111111abcdef8.cloudfront.net"')}`,
            ]
          : []),
      ]);
      expect(out.registered).toContain(
        "aws:cloudfront/distribution:Distribution site-distribution",
      );
    },
  );

  it.each<[string, () => void]>([
    [
      "PubSubTopic with projectNumber",
      () =>
        new messaging.PubSubTopic("orders", {
          project: "acme-shop-test",
          projectNumber: "123456789012",
          subscriptions: [{ name: "billing" }],
        }).grantPublish("serviceAccount:api@acme-shop-test.iam.gserviceaccount.com"),
    ],
    [
      "CloudTasksQueue",
      () =>
        new messaging.CloudTasksQueue("emails", {
          location: "europe-west1",
          maxAttempts: 5,
          alertNotificationChannels: ["projects/p/notificationChannels/1"],
        }),
    ],
    [
      "CloudSchedulerJob",
      () =>
        new scheduling.CloudSchedulerJob("sweep", {
          region: "europe-west1",
          schedule: "*/5 * * * *",
          timeZone: "Etc/UTC",
          uri: "https://sweeper.acme-shop.example/run",
          cloudRunService: "sweeper",
        }),
    ],
    [
      "SpannerScheduledBackup, native",
      () =>
        new data.SpannerScheduledBackup("b", {
          project: "acme-shop-test",
          region: "europe-west1",
          instance: "commerce",
          databases: [orders],
        }),
    ],
    [
      "SpannerScheduledBackup, function",
      () =>
        new data.SpannerScheduledBackup("b", {
          project: "acme-shop-test",
          region: "europe-west1",
          instance: "commerce",
          mode: "function",
          databases: [orders],
          alertNotificationChannels: ["projects/p/notificationChannels/1"],
        }),
    ],
    [
      "SpannerScheduledBackup, project and instance as Outputs",
      () =>
        new data.SpannerScheduledBackup("b", {
          project: pulumi.output("acme-shop-test"),
          region: "europe-west1",
          instance: pulumi.output("commerce"),
          mode: "function",
          databases: [orders],
          alertNotificationChannels: ["projects/p/notificationChannels/1"],
        }),
    ],
    [
      "KubernetesCronJob",
      () =>
        new scheduling.KubernetesCronJob("nightly", {
          namespace: "tasks",
          schedule: "0 2 * * *",
          image: "ghcr.io/acme/reports:1.4.2",
          resources,
        }),
    ],
    [
      "CeleryWorkerPool",
      () =>
        new workers.CeleryWorkerPool("workers", {
          namespace: "tasks",
          image: "ghcr.io/acme/shop-worker:2.3.0",
          app: "shop.worker",
          brokerUrlSecret: { name: "broker-broker" },
          queues: [{ name: "fast", taskTimeLimitSeconds: 60, resources }],
        }),
    ],
  ])("%s needs nothing a provider computes", async (_, program) => {
    const out = await underPlainMocks(program);
    expect(out.thrown).toBeUndefined();
    expect(out.rejections).toEqual([]);
    expect(out.registered.length).toBeGreaterThan(0);
  });
});
