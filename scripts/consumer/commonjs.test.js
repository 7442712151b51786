// A CommonJS consumer: require() the published entry points, run a component under the test kit.
"use strict";
const assert = require("node:assert/strict");
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const { test } = require("node:test");
const { messaging } = require("taskstack");
const { runProgram } = require("taskstack/testing");

const serviceAgent = /^serviceAccount:service-\d+@gcp-sa-pubsub\.iam\.gserviceaccount\.com$/;

test("PubSubTopic runs under runProgram and the Plan helpers see its resources", async () => {
  const plan = await runProgram(() => {
    new messaging.PubSubTopic("orders", { subscriptions: [{ name: "worker" }] });
  });

  assert.equal(plan.resourceCount("gcp:pubsub/topic:Topic"), 2);
  plan.resourceCountIs("gcp:pubsub/subscription:Subscription", 2);
  plan.hasResource("gcp:pubsub/subscription:Subscription", {
    name: "orders-worker",
    expirationPolicy: { ttl: "" },
  });
  const publisher = plan.hasResource("gcp:pubsub/topicIAMMember:TopicIAMMember", {
    topic: "orders-dead-letter",
    role: "roles/pubsub.publisher",
  });
  assert.match(String(publisher.inputs.member), serviceAgent);
  const subscriber = plan.hasResource("gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember", {
    subscription: "orders-worker",
    role: "roles/pubsub.subscriber",
  });
  assert.equal(subscriber.inputs.member, publisher.inputs.member);
});

test("the taskstack command starts from the installed package", () => {
  const bin = path.join(process.cwd(), "node_modules", ".bin", "taskstack");
  const result = spawnSync(bin, ["--help"], { encoding: "utf8" });
  assert.equal(result.status, 0, `taskstack --help exited ${result.status}: ${result.stderr}`);
  assert.match(result.stdout, /Usage: taskstack plan/);
});

test("invalid args reject the run with every problem, and nothing else fails", async () => {
  const { TaskstackInputError } = require("taskstack");
  await assert.rejects(
    runProgram(() => {
      new messaging.PubSubTopic("orders", {
        subscriptions: [{ name: "worker", ackDeadlineSeconds: 5, maxDeliveryAttempts: 1 }],
      });
    }),
    (err) => {
      assert.ok(err instanceof TaskstackInputError);
      assert.deepEqual(err.problems, [
        'PubSubTopic "orders" subscriptions[0].ackDeadlineSeconds: expected an integer from 10 to 600, got 5',
        'PubSubTopic "orders" subscriptions[0].maxDeliveryAttempts: expected an integer from 5 to 100, got 1',
      ]);
      return true;
    },
  );
});
