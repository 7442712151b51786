import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { messaging, TaskstackInputError } from "../../../components";
import {
  assertAnyArgsFailOnlyWithInputErrors,
  assertExercised,
  failsOnlyWithInputErrors,
} from "../../support/properties";
import type { Outcomes } from "../../support/properties";
import { Match, declaredBeforeFailure, projectNumber, runProgram } from "../../../testing";

const project = "acme-shop-test";
const agent = `serviceAccount:service-${projectNumber(project)}@gcp-sa-pubsub.iam.gserviceaccount.com`;

const TOPIC = "gcp:pubsub/topic:Topic";
const SUB = "gcp:pubsub/subscription:Subscription";
const TOPIC_IAM = "gcp:pubsub/topicIAMMember:TopicIAMMember";
const SUB_IAM = "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember";
const ALERT = "gcp:monitoring/alertPolicy:AlertPolicy";

describe("PubSubTopic defaults", () => {
  it("declares the topic, a dead-letter topic with its own subscription and the service agent's grants", async () => {
    const plan = await runProgram(() => {
      new messaging.PubSubTopic("order-events", {
        project,
        subscriptions: [{ name: "fulfillment" }],
      });
    });

    expect(plan.resourceCount(messaging.PubSubTopic)).toBe(1);
    expect(plan.resourceCount(TOPIC)).toBe(2);
    expect(plan.resourceCount(SUB)).toBe(2);
    expect(plan.resourceCount(TOPIC_IAM)).toBe(1);
    expect(plan.resourceCount(SUB_IAM)).toBe(1);
    expect(plan.resourceCount(ALERT)).toBe(0);

    const component = plan.get(messaging.PubSubTopic, "order-events");
    expect(
      plan
        .children(component)
        .map((r) => r.name)
        .sort(),
    ).toEqual([
      "order-events-dead-letter-publisher",
      "order-events-dead-letter-sub",
      "order-events-dead-letter-topic",
      "order-events-sub-fulfillment",
      "order-events-sub-fulfillment-dead-letter-subscriber",
      "order-events-topic",
    ]);

    expect(plan.get(TOPIC, "order-events-topic").inputs).toEqual({
      name: "order-events",
      project,
      labels: { "managed-by": "taskstack" },
    });
    expect(plan.get(SUB, "order-events-sub-fulfillment").inputs).toEqual({
      name: "order-events-fulfillment",
      project,
      topic: `projects/${project}/topics/order-events`,
      labels: { "managed-by": "taskstack" },
      ackDeadlineSeconds: 60,
      messageRetentionDuration: "604800s",
      retainAckedMessages: false,
      expirationPolicy: { ttl: "" },
      retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
      enableMessageOrdering: false,
      enableExactlyOnceDelivery: false,
      deadLetterPolicy: {
        deadLetterTopic: `projects/${project}/topics/order-events-dead-letter`,
        maxDeliveryAttempts: 5,
      },
    });
    plan.hasResource(SUB, {
      name: "order-events-dead-letter",
      topic: `projects/${project}/topics/order-events-dead-letter`,
      expirationPolicy: { ttl: "" },
      messageRetentionDuration: "604800s",
      deadLetterPolicy: Match.absent(),
    });
    expect(plan.get(TOPIC_IAM, "order-events-dead-letter-publisher").inputs).toEqual({
      project,
      topic: "order-events-dead-letter",
      role: "roles/pubsub.publisher",
      member: agent,
    });
    expect(plan.get(SUB_IAM, "order-events-sub-fulfillment-dead-letter-subscriber").inputs).toEqual(
      {
        project,
        subscription: "order-events-fulfillment",
        role: "roles/pubsub.subscriber",
        member: agent,
      },
    );
  });

  it("makes a subscription wait for the dead-letter publisher grant, and protects nothing", async () => {
    const plan = await runProgram(() => {
      new messaging.PubSubTopic("order-events", {
        project,
        subscriptions: [{ name: "fulfillment" }],
      });
    });
    const publisher = plan.get(TOPIC_IAM, "order-events-dead-letter-publisher");
    // The grant is no input of the subscription: only an explicit dependsOn puts it here.
    expect(plan.get(SUB, "order-events-sub-fulfillment").dependsOn).toContain(publisher.urn);
    expect(plan.get(SUB, "order-events-dead-letter-sub").dependsOn).not.toContain(publisher.urn);
    expect(plan.resources.filter((r) => r.protect)).toEqual([]);
  });

  it("declares no dead-letter resources for a topic without subscriptions", async () => {
    const plan = await runProgram(() => {
      new messaging.PubSubTopic("audit-log", { project });
    });
    expect(plan.resourceCount(TOPIC)).toBe(1);
    expect(plan.resourceCount(SUB)).toBe(0);
    expect(plan.resourceCount(TOPIC_IAM)).toBe(0);
  });
});

describe("PubSubTopic custom", () => {
  it("passes every setting through and alerts on dead letters", async () => {
    const plan = await runProgram(() => {
      const topic = new messaging.PubSubTopic("payments", {
        project,
        topicName: "payment-events",
        messageRetentionSeconds: 86_400,
        labels: { team: "payments" },
        kmsKeyName: "projects/k/locations/europe/keyRings/r/cryptoKeys/pubsub",
        allowedPersistenceRegions: ["europe-west1"],
        deadLetterRetentionSeconds: 1_209_600,
        alertNotificationChannels: ["projects/p/notificationChannels/1"],
        protect: true,
        subscriptions: [
          {
            name: "ledger",
            ackDeadlineSeconds: 300,
            minimumBackoffSeconds: 5,
            maximumBackoffSeconds: 120,
            messageRetentionSeconds: 3_600,
            retainAckedMessages: true,
            expirationTtlSeconds: 172_800,
            filter: 'attributes.kind = "capture"',
            enableMessageOrdering: true,
            enableExactlyOnceDelivery: true,
            maxDeliveryAttempts: 20,
          },
          {
            name: "webhook",
            pushEndpoint: "https://hooks.example.com/pubsub",
            pushServiceAccountEmail: "push@acme-shop-test.iam.gserviceaccount.com",
            pushAudience: "hooks",
          },
          { name: "replay", deadLetter: false },
        ],
      });
      topic.grantPublish("serviceAccount:payments-api@acme-shop-test.iam.gserviceaccount.com");
      topic.grantSubscribe(
        "ledger",
        pulumi.output("serviceAccount:ledger@acme-shop-test.iam.gserviceaccount.com"),
        "ledger-worker",
      );
    });

    plan.hasResource(TOPIC, {
      name: "payment-events",
      messageRetentionDuration: "86400s",
      labels: { "managed-by": "taskstack", team: "payments" },
      kmsKeyName: "projects/k/locations/europe/keyRings/r/cryptoKeys/pubsub",
      messageStoragePolicy: { allowedPersistenceRegions: ["europe-west1"] },
    });
    plan.hasResource(SUB, {
      name: "payment-events-dead-letter",
      messageRetentionDuration: "1209600s",
    });
    plan.hasResource(SUB, {
      name: "payment-events-ledger",
      ackDeadlineSeconds: 300,
      retryPolicy: { minimumBackoff: "5s", maximumBackoff: "120s" },
      messageRetentionDuration: "3600s",
      retainAckedMessages: true,
      expirationPolicy: { ttl: "172800s" },
      filter: 'attributes.kind = "capture"',
      enableMessageOrdering: true,
      enableExactlyOnceDelivery: true,
      deadLetterPolicy: { maxDeliveryAttempts: 20 },
    });
    plan.hasResource(SUB, {
      name: "payment-events-webhook",
      pushConfig: {
        pushEndpoint: "https://hooks.example.com/pubsub",
        oidcToken: {
          serviceAccountEmail: "push@acme-shop-test.iam.gserviceaccount.com",
          audience: "hooks",
        },
      },
    });
    plan.hasResource(SUB, { name: "payment-events-replay", deadLetterPolicy: Match.absent() });
    // The replay subscription does not dead-letter, so the agent gets no grant on it.
    expect(
      plan
        .findResources(SUB_IAM, { member: agent })
        .map((r) => r.inputs["subscription"])
        .sort(),
    ).toEqual(["payment-events-ledger", "payment-events-webhook"]);
    expect(
      plan.get(TOPIC_IAM, "payments-publisher-serviceaccount-payments-api-acme-shop-test").inputs,
    ).toEqual({
      project,
      topic: "payment-events",
      role: "roles/pubsub.publisher",
      member: "serviceAccount:payments-api@acme-shop-test.iam.gserviceaccount.com",
    });
    expect(plan.get(SUB_IAM, "payments-sub-ledger-subscriber-ledger-worker").inputs).toEqual({
      project,
      subscription: "payment-events-ledger",
      role: "roles/pubsub.subscriber",
      member: "serviceAccount:ledger@acme-shop-test.iam.gserviceaccount.com",
    });

    const alert = plan.get(ALERT, "payments-dead-letter-alert");
    expect(alert.inputs["notificationChannels"]).toEqual(["projects/p/notificationChannels/1"]);
    expect(alert.inputs["conditions"]).toEqual([
      expect.objectContaining({
        conditionThreshold: expect.objectContaining({
          filter:
            'resource.type = "pubsub_subscription" AND resource.labels.subscription_id = "payment-events-dead-letter" AND metric.type = "pubsub.googleapis.com/subscription/num_undelivered_messages"',
          comparison: "COMPARISON_GT",
          thresholdValue: 0,
        }),
      }),
    ]);

    // Topics and subscriptions are protected; IAM grants and the alert stay removable.
    const protectedNames = plan.resources
      .filter((r) => r.protect)
      .map((r) => r.name)
      .sort();
    expect(protectedNames).toEqual([
      "payments-dead-letter-sub",
      "payments-dead-letter-topic",
      "payments-sub-ledger",
      "payments-sub-replay",
      "payments-sub-webhook",
      "payments-topic",
    ]);
  });

  it("asks for a stable id when a granted member is an Output", async () => {
    await expect(
      runProgram(() => {
        const topic = new messaging.PubSubTopic("tasks", { project });
        topic.grantPublish(pulumi.output("serviceAccount:x@p.iam.gserviceaccount.com"));
      }),
    ).rejects.toThrow(
      "PubSubTopic grantPublish id: expected a stable id for a member that is an Output, got nothing. Pass it as the last argument",
    );
  });

  it("refuses to grant on a subscription it does not have", async () => {
    await expect(
      runProgram(() => {
        const topic = new messaging.PubSubTopic("tasks", {
          project,
          subscriptions: [{ name: "a1" }],
        });
        topic.grantSubscribe("b1", "user:dev@example.com");
      }),
    ).rejects.toThrow('PubSubTopic tasks grantSubscribe: expected one of a1, got "b1"');
  });
});

describe("validatePubSubTopicArgs", () => {
  const ok = { subscriptions: [{ name: "fulfillment" }] };

  it.each<[string, Record<string, unknown>, string]>([
    [
      "ack deadline below 10",
      { subscriptions: [{ name: "s1", ackDeadlineSeconds: 5 }] },
      'PubSubTopic "orders" subscriptions[0].ackDeadlineSeconds: expected an integer from 10 to 600, got 5',
    ],
    [
      "ack deadline above 600",
      { subscriptions: [{ name: "s1", ackDeadlineSeconds: 601 }] },
      'PubSubTopic "orders" subscriptions[0].ackDeadlineSeconds: expected an integer from 10 to 600, got 601',
    ],
    [
      "4 delivery attempts",
      { subscriptions: [{ name: "s1", maxDeliveryAttempts: 4 }] },
      'PubSubTopic "orders" subscriptions[0].maxDeliveryAttempts: expected an integer from 5 to 100, got 4',
    ],
    [
      "101 delivery attempts",
      { subscriptions: [{ name: "s1", maxDeliveryAttempts: 101 }] },
      'PubSubTopic "orders" subscriptions[0].maxDeliveryAttempts: expected an integer from 5 to 100, got 101',
    ],
    [
      "min backoff above max",
      { subscriptions: [{ name: "s1", minimumBackoffSeconds: 60, maximumBackoffSeconds: 30 }] },
      'PubSubTopic "orders" subscriptions[0].minimumBackoffSeconds: expected at most maximumBackoffSeconds (30), got 60. Lower it or raise maximumBackoffSeconds',
    ],
    [
      "push without OIDC",
      { subscriptions: [{ name: "s1", pushEndpoint: "https://x.example.com/p" }] },
      'PubSubTopic "orders" subscriptions[0].pushServiceAccountEmail: expected a service account email whose OIDC token authenticates pushes, got nothing. Push endpoints must not accept unauthenticated requests',
    ],
    [
      "plain http push",
      {
        subscriptions: [
          {
            name: "s1",
            pushEndpoint: "http://x.example.com/p",
            pushServiceAccountEmail: "a@b.iam.gserviceaccount.com",
          },
        ],
      },
      'PubSubTopic "orders" subscriptions[0].pushEndpoint: expected an https:// URL, got "http://x.example.com/p"',
    ],
    [
      "exactly-once push",
      {
        subscriptions: [
          {
            name: "s1",
            pushEndpoint: "https://x.example.com/p",
            pushServiceAccountEmail: "a@b.iam.gserviceaccount.com",
            enableExactlyOnceDelivery: true,
          },
        ],
      },
      'PubSubTopic "orders" subscriptions[0].enableExactlyOnceDelivery: expected false for a push subscription (exactly-once is pull only), got true',
    ],
    [
      "ttl shorter than retention",
      {
        subscriptions: [
          { name: "s1", messageRetentionSeconds: 200_000, expirationTtlSeconds: 100_000 },
        ],
      },
      'PubSubTopic "orders" subscriptions[0].expirationTtlSeconds: expected an integer of at least 200000 (the message retention), got 100000. Or leave it unset so the subscription never expires',
    ],
    [
      "duplicate subscription",
      { subscriptions: [{ name: "s1" }, { name: "s1" }] },
      'PubSubTopic "orders" subscriptions[1].name: expected a name unique within the topic, got "s1"',
    ],
    [
      "reserved subscription name",
      { subscriptions: [{ name: "dead-letter" }] },
      'PubSubTopic "orders" subscriptions[0].name: expected a name other than dead-letter (taskstack names the dead-letter subscription so), got "dead-letter"',
    ],
    [
      "topic retention too short",
      { messageRetentionSeconds: 60 },
      'PubSubTopic "orders" messageRetentionSeconds: expected an integer from 600 to 2678400, got 60',
    ],
    [
      "goog topic name",
      { topicName: "google-events" },
      'PubSubTopic "orders" topicName: expected 3–255 characters: a letter, then letters, digits, - _ . ~ + %, not starting with goog, got "google-events"',
    ],
    [
      "uppercase label value",
      { labels: { team: "Payments" } },
      'PubSubTopic "orders" labels.team: expected label values of at most 63 lowercase letters, digits, _ and -, got "Payments"',
    ],
  ])("rejects %s", (_case, args, message) => {
    expect(() => messaging.validatePubSubTopicArgs("orders", args)).toThrow(
      new TaskstackInputError([message]),
    );
  });

  it("accepts valid args and skips values that are Outputs", () => {
    expect(() => messaging.validatePubSubTopicArgs("orders", ok)).not.toThrow();
    expect(() =>
      messaging.validatePubSubTopicArgs("orders", {
        subscriptions: [
          {
            name: "s1",
            ackDeadlineSeconds: pulumi.output(5),
            pushEndpoint: pulumi.output("x"),
            pushServiceAccountEmail: "a@b.iam.gserviceaccount.com",
          },
        ],
      }),
    ).not.toThrow();
  });

  it("reports every problem at once", () => {
    const thrown = (() => {
      try {
        messaging.validatePubSubTopicArgs("orders", {
          subscriptions: [{ name: "s1", ackDeadlineSeconds: 1, maxDeliveryAttempts: 1 }],
        });
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(TaskstackInputError);
    expect((thrown as TaskstackInputError).problems).toHaveLength(2);
  });

  it("fails on bad args before declaring anything", async () => {
    const run = runProgram(() => {
      new messaging.PubSubTopic("orders", {
        project,
        subscriptions: [{ name: "s1", ackDeadlineSeconds: 1 }],
      });
    });
    await expect(run).rejects.toBeInstanceOf(TaskstackInputError);
    const declared = declaredBeforeFailure(await run.catch((err: unknown) => err));
    expect(declared.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });

  it("only ever fails with a TaskstackInputError, whatever it is given", () => {
    const outcomes: Outcomes = { accepted: 0, rejected: 0 };
    assertExercised(outcomes, { accepted: 10, rejected: 10 }, (params) => {
      assertAnyArgsFailOnlyWithInputErrors(
        messaging.validatePubSubTopicArgs,
        outcomes,
        params,
        500,
      );
      fc.assert(
        fc.property(
          fc.array(
            fc.record(
              {
                name: fc.oneof(fc.string(), fc.constantFrom("s1", "a-b")),
                ackDeadlineSeconds: fc.oneof(fc.integer(), fc.double(), fc.string()),
                maxDeliveryAttempts: fc.anything(),
                minimumBackoffSeconds: fc.anything(),
                maximumBackoffSeconds: fc.anything(),
                expirationTtlSeconds: fc.anything(),
                pushEndpoint: fc.anything(),
                labels: fc.anything(),
              },
              { requiredKeys: [] },
            ),
          ),
          (subscriptions) =>
            failsOnlyWithInputErrors(
              () => messaging.validatePubSubTopicArgs("orders", { subscriptions }),
              outcomes,
            ),
        ),
        { numRuns: 500, ...params },
      );
      // Both ways out were taken, so the property tested something.
    });
  });
});

describe("PubSubTopic wiring", () => {
  it("reads the project number once to name the service agent", async () => {
    const plan = await runProgram(
      () => {
        new messaging.PubSubTopic("tasks", { subscriptions: [{ name: "s1" }] });
      },
      { config: { "gcp:project": "other-project" } },
    );
    plan.hasResource(TOPIC_IAM, {
      member: `serviceAccount:service-${projectNumber("other-project")}@gcp-sa-pubsub.iam.gserviceaccount.com`,
    });
  });
});
