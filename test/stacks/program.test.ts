import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { TaskstackInputError, messaging, monitoring, scheduling } from "../../components";
import { declaredBeforeFailure, projectNumber, runPolicies, runProgram } from "../../testing";
import { taskstackPolicies } from "../../policies/rules";
import { main } from "../../stacks/program";

const stackDir = path.join(__dirname, "..", "..", "stacks");
const plan = (stack: string, config?: Record<string, unknown>) =>
  runProgram(main, { stack, stackDir, project: "taskstack", ...(config ? { config } : {}) });

const SUB = "gcp:pubsub/subscription:Subscription";
const TOPIC_IAM = "gcp:pubsub/topicIAMMember:TopicIAMMember";
const SUB_IAM = "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember";

describe("the taskstack program", () => {
  it.each([
    // Spanner: dev's function mode adds 21 resources; staging's and prod's native schedules 12 and 14.
    // Queues and jobs: 2 queues and 2 jobs (dev: 7, with the App Engine import), with their alerts.
    // Kubernetes: the namespace and the RabbitMQ cluster's 13 (14 with a PodDisruptionBudget, for
    // more than one node).
    // Kubernetes CronJobs: one in dev, two in staging and prod (component and CronJob each).
    // Celery worker pools: one bootstrap ConfigMap per pool (one pool per stack).
    // The static site adds 16 resources in staging (external DNS) and 19 in prod (Cloud DNS).
    // APIs (issue 15): a ProjectApis and one Service per API the stack calls (13 in function mode,
    // 8 otherwise); each queue's invoker gets run.invoker on its handler (2); dev's function gets
    // a build account with its 3 roles.
    // Enqueuers get no actAs on a queue-level invoker account (the deployer names it, not them).
    // Native-mode backups (staging, prod) check their backups with a function (issue 15, item 5):
    // 12 resources (source bucket and archive, build account and its 3 roles, checker account,
    // custom role and its grant, function, invoker grant, scheduler job) and the 5 APIs it adds.
    // dev imports a queue.yaml: one more queue (component, queue, run.invoker, enqueuer, 2 alerts).
    ["dev", 152, 1, 5, 23, 7, 3],
    ["staging", 133, 1, 4, 15, 2, 2],
    // prod: no session-pool alerts (opt-in: its applications do not state they export them).
    ["prod", 139, 4, 4, 15, 2, 2],
  ])(
    "declares the %s environment from its stack file",
    async (stack, total, channels, topics, alerts, jobs, queues) => {
      const p = await plan(stack);
      expect(p.resources).toHaveLength(total);
      expect(p.resourceCount(messaging.PubSubTopic)).toBe(2);
      expect(p.resourceCount(monitoring.NotificationChannels)).toBe(1);
      expect(p.resourceCount("gcp:monitoring/notificationChannel:NotificationChannel")).toBe(
        channels,
      );
      expect(p.resourceCount("gcp:pubsub/topic:Topic")).toBe(topics);
      expect(p.resourceCount(SUB)).toBe(6);
      expect(p.resourceCount("gcp:monitoring/alertPolicy:AlertPolicy")).toBe(alerts);
      expect(p.resourceCount(messaging.CloudTasksQueue)).toBe(queues);
      expect(p.resourceCount(scheduling.CloudSchedulerJob)).toBe(jobs);
      const project = `acme-shop-${stack}`;
      // Every resource lives in the stack's own project.
      // (A bucket object has no project of its own: it lives in its bucket; a grant on a service
      // account names the account: `projects/-/serviceAccounts/…`.)
      const SA_IAM = "gcp:serviceaccount/iAMMember:IAMMember";
      const placed = p.resources.filter(
        (x) =>
          x.custom &&
          x.type.startsWith("gcp:") &&
          x.type !== "gcp:storage/bucketObject:BucketObject" &&
          x.type !== SA_IAM,
      );
      for (const r of placed) expect(r.inputs["project"]).toBe(project);
      // Both queues dispatch with a queue-level OIDC account, which a producer's CreateTask does
      // not name: no producer is made a user of it (Cloud Tasks' OidcToken, issue 15 item 11).
      expect(p.findResources(SA_IAM)).toEqual([]);
      expect(p.outputs["topics"]).toEqual({
        "order-events": `projects/${project}/topics/order-events`,
        "payment-events": `projects/${project}/topics/payment-events`,
      });
      expect(p.outputs["environment"]).toBe(stack);
    },
  );

  it.each([
    [
      "dev",
      [
        "artifactregistry",
        "cloudbuild",
        "cloudfunctions",
        "cloudresourcemanager",
        "cloudscheduler",
        "cloudtasks",
        "eventarc",
        "iam",
        "logging",
        "monitoring",
        "pubsub",
        "run",
        "spanner",
        "storage",
      ],
    ],
    [
      "prod",
      [
        "artifactregistry",
        "cloudbuild",
        "cloudfunctions",
        "cloudresourcemanager",
        "cloudscheduler",
        "cloudtasks",
        "iam",
        "logging",
        "monitoring",
        "pubsub",
        "run",
        "spanner",
        "storage",
      ],
    ],
  ])(
    "enables the %s stack's APIs as code, never disabled on destroy, before what calls them",
    async (stack, apis) => {
      // A fresh project has none of these enabled: the first resource of each service fails
      // until its API is (issue 15, item 4).
      const p = await plan(stack);
      const services = p.findResources("gcp:projects/service:Service");
      expect(services.map((s) => s.inputs["service"])).toEqual(
        apis.map((a) => `${a}.googleapis.com`),
      );
      for (const s of services) {
        expect(s.inputs).toMatchObject({
          project: `acme-shop-${stack}`,
          disableOnDestroy: false,
          disableDependentServices: false,
        });
      }
      const urn = (api: string) =>
        services.find((s) => s.inputs["service"] === `${api}.googleapis.com`)?.urn;
      expect(p.get(messaging.CloudTasksQueue, "order-emails").dependsOn).toEqual(
        ["cloudtasks", "monitoring", "run"].map(urn),
      );
      expect(p.get(messaging.PubSubTopic, "order-events").dependsOn).toEqual(
        ["monitoring", "pubsub"].map(urn),
      );
      expect(p.get("gcp:spanner/instance:Instance", `commerce-${stack}`).dependsOn).toEqual([
        urn("spanner"),
      ]);
    },
  );

  it("declares dev's imported queue.yaml: OIDC to the legacy service, its enqueuer, its notes", async () => {
    const p = await plan("dev");
    const queue = p.get(messaging.CloudTasksQueue, "invoice-render");
    // Kept as the component's inputs: the plan prints them, `pulumi up` keeps them in state.
    expect(queue.inputs).toEqual({
      notes: [
        "bucket_size 10 dropped: Cloud Tasks picks a queue's burst size itself from its rate (5/s), and its API takes none",
      ],
    });
    // No grant on the invoker account for the enqueuer: the token is the queue's.
    expect(
      p
        .children(queue)
        .map((r) => [r.name, r.type, r.inputs["role"], r.inputs["member"]])
        .sort(),
    ).toEqual([
      [
        "invoice-render-depth-alert",
        "gcp:monitoring/alertPolicy:AlertPolicy",
        undefined,
        undefined,
      ],
      [
        "invoice-render-enqueuer-serviceaccount-legacy-shop-acme-shop-dev",
        "gcp:cloudtasks/queueIamMember:QueueIamMember",
        "roles/cloudtasks.enqueuer",
        "serviceAccount:legacy-shop@acme-shop-dev.iam.gserviceaccount.com",
      ],
      [
        "invoice-render-failure-alert",
        "gcp:monitoring/alertPolicy:AlertPolicy",
        undefined,
        undefined,
      ],
      ["invoice-render-queue", "gcp:cloudtasks/queue:Queue", undefined, undefined],
      [
        "invoice-render-run-invoker",
        "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
        "roles/run.invoker",
        "serviceAccount:legacy-tasks@acme-shop-dev.iam.gserviceaccount.com",
      ],
    ]);
    expect(p.get("gcp:cloudtasks/queue:Queue", "invoice-render-queue").inputs).toMatchObject({
      project: "acme-shop-dev",
      location: "europe-west1",
      rateLimits: { maxDispatchesPerSecond: 5, maxConcurrentDispatches: 4 },
      retryConfig: { maxAttempts: 7, minBackoff: "5s", maxBackoff: "300s", maxDoublings: 3 },
      httpTarget: {
        oidcToken: {
          serviceAccountEmail: "legacy-tasks@acme-shop-dev.iam.gserviceaccount.com",
          audience: "https://legacy-shop-4k7mfq2xba-ew.a.run.app",
        },
        uriOverride: { host: "legacy-shop-4k7mfq2xba-ew.a.run.app" },
      },
    });
  });

  it("declares no API with taskstack:gcp.enableApis: false", async () => {
    const p = await plan("prod", {
      "taskstack:gcp": {
        project: "acme-shop-prod",
        region: "europe-west1",
        labels: { team: "commerce-platform", "cost-center": "cc-4120" },
        enableApis: false,
      },
    });
    expect(p.resourceCount("gcp:projects/service:Service")).toBe(0);
    expect(p.get(messaging.CloudTasksQueue, "order-emails").dependsOn).toEqual([]);
  });

  it("grants exactly the configured publishers and subscribers, and the service agent", async () => {
    const p = await plan("prod");
    const agent = `serviceAccount:service-${projectNumber("acme-shop-prod")}@gcp-sa-pubsub.iam.gserviceaccount.com`;
    const grants = (type: string, target: string) =>
      p
        .findResources(type)
        .map((r) => [r.inputs[target], r.inputs["role"], r.inputs["member"]])
        .map((row) => JSON.stringify(row))
        .sort()
        .map((row) => JSON.parse(row) as unknown);
    expect(grants(TOPIC_IAM, "topic")).toEqual([
      [
        "order-events",
        "roles/pubsub.publisher",
        "serviceAccount:checkout-api@acme-shop-prod.iam.gserviceaccount.com",
      ],
      ["order-events-dead-letter", "roles/pubsub.publisher", agent],
      [
        "payment-events",
        "roles/pubsub.publisher",
        "serviceAccount:payments-api@acme-shop-prod.iam.gserviceaccount.com",
      ],
      ["payment-events-dead-letter", "roles/pubsub.publisher", agent],
    ]);
    expect(grants(SUB_IAM, "subscription")).toEqual([
      [
        "order-events-analytics",
        "roles/pubsub.subscriber",
        "serviceAccount:analytics-export@acme-shop-prod.iam.gserviceaccount.com",
      ],
      ["order-events-analytics", "roles/pubsub.subscriber", agent],
      [
        "order-events-fulfillment",
        "roles/pubsub.subscriber",
        "serviceAccount:fulfillment-worker@acme-shop-prod.iam.gserviceaccount.com",
      ],
      ["order-events-fulfillment", "roles/pubsub.subscriber", agent],
      ["order-events-invoicing", "roles/pubsub.subscriber", agent],
      [
        "payment-events-ledger",
        "roles/pubsub.subscriber",
        "serviceAccount:ledger-worker@acme-shop-prod.iam.gserviceaccount.com",
      ],
      ["payment-events-ledger", "roles/pubsub.subscriber", agent],
    ]);
  });

  it("protects prod's stateful resources, and nothing in dev", async () => {
    const prod = await plan("prod");
    const isStateful = (type: string) =>
      type === SUB ||
      type === "gcp:pubsub/topic:Topic" ||
      type === "gcp:cloudtasks/queue:Queue" ||
      type.startsWith("gcp:spanner/instance:") ||
      type.startsWith("gcp:spanner/database:") ||
      type.startsWith("gcp:spanner/backupSchedule:") ||
      type === "kubernetes:core/v1:Namespace" ||
      type === "kubernetes:apps/v1:StatefulSet" ||
      // The Erlang cookie and credentials: regenerating them breaks the running cluster.
      type === "kubernetes:core/v1:Secret" ||
      type === "random:index/randomPassword:RandomPassword" ||
      type === "aws:s3/bucket:Bucket";
    expect(prod.resources.filter((r) => isStateful(r.type)).every((r) => r.protect)).toBe(true);
    expect(prod.resources.filter((r) => !isStateful(r.type) && r.protect)).toEqual([]);
    const dev = await plan("dev");
    expect(dev.resources.filter((r) => r.protect)).toEqual([]);
  });

  it("authenticates the invoicing push with OIDC and keeps EU data in the EU", async () => {
    const p = await plan("prod");
    p.hasResource(SUB, {
      name: "order-events-invoicing",
      pushConfig: {
        pushEndpoint: "https://invoicing-prd-7x3mbn5rta-ew.a.run.app/pubsub/order-events",
        oidcToken: { serviceAccountEmail: "pubsub-push@acme-shop-prod.iam.gserviceaccount.com" },
      },
      deadLetterPolicy: { maxDeliveryAttempts: 10 },
    });
    p.hasResource("gcp:pubsub/topic:Topic", {
      name: "order-events",
      messageStoragePolicy: { allowedPersistenceRegions: ["europe-west1", "europe-west4"] },
    });
  });

  it.each(["staging", "prod"])("passes every policy in %s", async (stack) => {
    const report = await runPolicies(await plan(stack), { stack });
    // Access logging is advisory in staging (policies/config/staging.json); prod logs.
    expect(report.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
    expect(report.policiesRun).toBe(taskstackPolicies.length);
  });

  it("plans dev clean: its unprotected database is intended, and those two policies are off there", async () => {
    const report = await runPolicies(await plan("dev"), { stack: "dev" });
    expect(report.violations).toEqual([]);
    expect(report.policiesRun).toBe(taskstackPolicies.length - 2);
    // The same program under every policy still names the database dev leaves unprotected.
    const all = await runPolicies(await plan("dev"), { stack: "dev", config: { all: "advisory" } });
    expect(all.violations.map((v) => [v.policyName, v.enforcementLevel, v.resourceName])).toEqual([
      ["gcp-spanner-database-enable-deletion-protection", "advisory", "commerce-dev-orders"],
      ["gcp-spanner-database-enable-drop-protection", "advisory", "commerce-dev-orders"],
    ]);
  });

  it("declares nothing when the config is invalid", async () => {
    const failure = await plan("prod", { "taskstack:deletionProtection": false }).catch(
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(TaskstackInputError);
    expect((failure as TaskstackInputError).problems).toEqual([
      "stacks/Pulumi.prod.yaml: taskstack:deletionProtection: expected true in prod (stateful resources must be protected from deletion), got false",
    ]);
    expect(declaredBeforeFailure(failure).map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});
