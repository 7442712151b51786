// An ES module consumer: named imports from the CommonJS build must be statically detectable.
import assert from "node:assert/strict";
import { test } from "node:test";
import { messaging } from "taskstack";
import { runProgram } from "taskstack/testing";

test("named ESM imports of taskstack and taskstack/testing are usable", async () => {
  assert.equal(typeof messaging.PubSubTopic, "function");
  assert.equal(typeof runProgram, "function");

  const plan = await runProgram(() => {
    new messaging.PubSubTopic("events", { subscriptions: [{ name: "audit" }] });
  });
  plan.hasResource("gcp:pubsub/subscription:Subscription", {
    name: "events-audit",
    expirationPolicy: { ttl: "" },
  });
});
