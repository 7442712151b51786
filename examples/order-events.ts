import { messaging } from "taskstack";

/** A product's order events: producers publish, two services consume, dead letters are kept. */
export function orderEvents() {
  const events = new messaging.PubSubTopic("order-events", {
    project: "acme-shop-dev",
    subscriptions: [
      { name: "fulfillment", ackDeadlineSeconds: 120 },
      {
        name: "invoicing",
        pushEndpoint: "https://invoicing.acme-shop.example/pubsub/order-events",
        pushServiceAccountEmail: "pubsub-push@acme-shop-dev.iam.gserviceaccount.com",
        maxDeliveryAttempts: 10,
      },
    ],
  });
  events.grantPublish("serviceAccount:checkout-api@acme-shop-dev.iam.gserviceaccount.com");
  events.grantSubscribe(
    "fulfillment",
    "serviceAccount:fulfillment-worker@acme-shop-dev.iam.gserviceaccount.com",
  );
  return { topic: events.topicId };
}
