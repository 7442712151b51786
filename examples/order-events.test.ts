import { describe, expect, it } from "vitest";
import { runProgram } from "taskstack/testing";
import { orderEvents } from "./order-events";

describe("order events", () => {
  it("keeps dead letters and authenticates pushes", async () => {
    const plan = await runProgram(orderEvents);

    expect(plan.resourceCount("gcp:pubsub/topic:Topic")).toBe(2); // the topic and its dead-letter topic
    plan.hasResource("gcp:pubsub/subscription:Subscription", {
      name: "order-events-fulfillment",
      expirationPolicy: { ttl: "" },
      deadLetterPolicy: { maxDeliveryAttempts: 5 },
    });
    plan.hasResource("gcp:pubsub/subscription:Subscription", {
      name: "order-events-invoicing",
      pushConfig: {
        oidcToken: { serviceAccountEmail: "pubsub-push@acme-shop-dev.iam.gserviceaccount.com" },
      },
    });
    plan.hasResource("gcp:pubsub/topicIAMMember:TopicIAMMember", {
      topic: "order-events",
      role: "roles/pubsub.publisher",
      member: "serviceAccount:checkout-api@acme-shop-dev.iam.gserviceaccount.com",
    });
    expect(plan.outputs["topic"]).toBe("projects/acme-shop-dev/topics/order-events");
  });
});
