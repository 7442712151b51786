// A program that uses taskstack's components the way a Python, Go, .NET or YAML program does:
// as remote components (`taskstack:index:<Component>`), which the engine asks the `taskstack`
// provider plugin (bin/pulumi-resource-taskstack) to construct, with args marshalled through the
// schema Pulumi's component analyzer derives. `localProgram` declares the same components in
// process, as a TypeScript program does; scripts/component-provider.sh holds the children the
// plugin declared against that program's offline plan.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as taskstack from "../../components";

export const project = "remote-components-ci";
const projectNumber = "123456789012";
const region = "europe-west1";
export const awsRegion = "eu-west-1";

/** The Kubernetes provider writes YAML here instead of calling a cluster (set by the script). */
const renderDirectory = () =>
  process.env["TASKSTACK_RENDER_DIR"] ?? "out/component-provider/rendered";

/** The args of each component, shared by the remote and the in-process program. */
function specs(topicId: pulumi.Input<string>) {
  return {
    apis: {
      project,
      apis: [taskstack.project.GcpApi.pubsub, taskstack.project.GcpApi.cloudScheduler],
    } satisfies taskstack.project.ProjectApisArgs,
    orders: {
      project,
      projectNumber,
      topicName: "orders",
      allowedPersistenceRegions: [region],
      labels: { team: "checkout" },
      subscriptions: [{ name: "fulfilment", ackDeadlineSeconds: 120, maxDeliveryAttempts: 10 }],
    } satisfies taskstack.messaging.PubSubTopicArgs,
    nightly: {
      project,
      region,
      jobName: "nightly-orders",
      schedule: "0 3 * * *",
      timeZone: "Europe/Paris",
      topic: topicId,
      data: "reconcile",
    } satisfies taskstack.scheduling.CloudSchedulerJobArgs,
    // An enum, a map of named objects and nested requests and limits across the plugin boundary.
    reports: {
      namespace: "jobs",
      schedule: "30 4 * * *",
      timeZone: "Europe/Paris",
      image: "ghcr.io/acme-shop/reports:3.8.1",
      command: ["python", "-m", "reports.nightly"],
      secretEnv: { DB_PASSWORD: { name: "reports-db", key: "password" } },
      concurrencyPolicy: taskstack.scheduling.ConcurrencyPolicy.Replace,
      resources: {
        requests: { cpu: "100m", memory: "128Mi" },
        limits: { cpu: "500m", memory: "256Mi" },
      },
    } satisfies taskstack.scheduling.KubernetesCronJobArgs,
    // The AWS side: a certificate through the site's own us-east-1 provider, made from the
    // stack's `aws:` config (no provider crosses the plugin boundary).
    site: {
      domainName: "shop.remote-components.example",
      aliases: ["www.shop.remote-components.example"],
      dnsValidation: taskstack.edge.DnsValidationMode.External,
      validationRecordsPublished: true,
      spaFallback: true,
    } satisfies taskstack.edge.HttpsStaticSiteArgs,
  };
}

const renderProvider = () =>
  new k8s.Provider("render", { renderYamlToDirectory: renderDirectory() });

/** A component as a generated SDK declares it: remote, with its outputs named as inputs. */
class Remote extends pulumi.ComponentResource {
  declare readonly topicId: pulumi.Output<string>;
  constructor(
    component: string,
    name: string,
    args: object,
    outputs: readonly string[] = [],
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    const inputs: Record<string, unknown> = { ...args };
    for (const o of outputs) inputs[o] = undefined;
    super(`taskstack:index:${component}`, name, inputs, opts, true);
  }
}

/** What a Python program using the generated SDK declares. */
export async function remoteProgram(): Promise<Record<string, unknown>> {
  new Remote("ProjectApis", "apis", specs("").apis);
  const orders = new Remote("PubSubTopic", "orders", specs("").orders, ["topicId"]);
  new Remote("CloudSchedulerJob", "nightly", specs(orders.topicId).nightly);
  new Remote("KubernetesCronJob", "reports", specs("").reports, [], {
    providers: { kubernetes: renderProvider() },
  });
  new Remote("HttpsStaticSite", "site", specs("").site);
  return { topicId: orders.topicId };
}

/** The same components declared in process, as a TypeScript program declares them. */
export async function localProgram(): Promise<Record<string, unknown>> {
  new taskstack.project.ProjectApis("apis", specs("").apis);
  const orders = new taskstack.messaging.PubSubTopic("orders", specs("").orders);
  new taskstack.scheduling.CloudSchedulerJob("nightly", specs(orders.topicId).nightly);
  new taskstack.scheduling.KubernetesCronJob("reports", specs("").reports, {
    providers: { kubernetes: renderProvider() },
  });
  new taskstack.edge.HttpsStaticSite("site", specs("").site);
  return { topicId: orders.topicId };
}
