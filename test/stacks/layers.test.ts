import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TaskstackInputError, messaging } from "../../components";
import { describeValue } from "../../components/shared/errors";
import { declaredBeforeFailure, runProgram } from "../../testing";
import { parseStackConfig } from "../../stacks/config";
import type { StackConfig } from "../../stacks/config";
import { buildEnvironment, pubSubTopicArgsFor } from "../../stacks/environment";
import { assertExercised } from "../support/properties";

// The stack file and the components check the same rules, from one schema per component: a
// stack file the schema accepts never fails later inside a component, and the rules that span
// components (derived names) are refused before anything is declared.

const file = "stacks/Pulumi.prod.yaml";
const base = {
  "taskstack:environment": "dev",
  "taskstack:gcp": { project: "acme-shop-dev", region: "europe-west1" },
};

function parsed(topics: unknown[]): StackConfig | TaskstackInputError {
  try {
    return parseStackConfig({ ...base, "taskstack:messaging": { topics } }, file);
  } catch (err) {
    if (err instanceof TaskstackInputError) return err;
    throw err;
  }
}

function problemsOf(topics: unknown[]): readonly string[] {
  const result = parsed(topics);
  return result instanceof TaskstackInputError ? result.problems : [];
}

/** Validates every topic of a parsed stack with the component, as the program would build it. */
function componentAccepts(config: StackConfig): void {
  for (const t of config["taskstack:messaging"].topics) {
    messaging.validatePubSubTopicArgs(t.name, pubSubTopicArgsFor(t, config, ["channel"]));
  }
}

const subscription = fc.record(
  {
    name: fc.constantFrom("a", "eu-worker", "worker", "dead-letter", "orders-", "fulfillment"),
    ackDeadlineSeconds: fc.integer({ min: 0, max: 700 }),
    minimumBackoffSeconds: fc.integer({ min: 0, max: 700 }),
    maximumBackoffSeconds: fc.integer({ min: 0, max: 700 }),
    messageRetentionSeconds: fc.constantFrom(500, 600, 86_400, 200_000, 604_800, 2_678_400),
    expirationTtlSeconds: fc.constantFrom(3_600, 86_400, 100_000, 604_800, 31_536_000),
    maxDeliveryAttempts: fc.integer({ min: 0, max: 120 }),
    deadLetter: fc.boolean(),
    filter: fc.oneof(
      fc.constant('attributes.type = "order.paid"'),
      fc.string({ minLength: 200, maxLength: 300 }),
    ),
    pushEndpoint: fc.constantFrom("https://hooks.acme-shop.example/p", "http://plain.example"),
    pushServiceAccountEmail: fc.constantFrom(
      "push@acme-shop-dev.iam.gserviceaccount.com",
      "serviceAccount:push@acme-shop-dev.iam.gserviceaccount.com",
    ),
    enableExactlyOnceDelivery: fc.boolean(),
  },
  { requiredKeys: ["name"] },
);

const topic = fc.record(
  {
    name: fc.oneof(
      fc.constantFrom("orders", "orders-eu", "orders-dead-letter", "payment-events", "go"),
      fc.constant("t".repeat(250)),
    ),
    messageRetentionSeconds: fc.constantFrom(60, 600, 604_800),
    subscriptions: fc.array(subscription, { maxLength: 3 }),
  },
  { requiredKeys: ["name"] },
);

describe("stack schema and component schema", () => {
  it("accept the same topics: whatever a stack file may hold, the component takes", () => {
    const counts = { accepted: 0, refused: 0 };
    assertExercised(counts, { accepted: 20, refused: 20 }, (params) => {
      fc.assert(
        fc.property(fc.array(topic, { maxLength: 3 }), (topics) => {
          const result = parsed(topics);
          if (result instanceof TaskstackInputError) {
            counts.refused++;
            return true;
          }
          counts.accepted++;
          componentAccepts(result);
          return true;
        }),
        { numRuns: 400, ...params },
      );
    });
  });

  it("declares every accepted stack without failing inside a component", async () => {
    const samples = fc.sample(fc.array(topic, { maxLength: 2 }), { numRuns: 300, seed: 7 });
    const accepted = samples
      .map(parsed)
      .filter((c): c is StackConfig => !(c instanceof TaskstackInputError))
      .slice(0, 8);
    expect(accepted.length).toBe(8);
    for (const config of accepted) {
      const plan = await runProgram(() => buildEnvironment(config), {
        config: { "gcp:project": "acme-shop-dev" },
      });
      expect(plan.resourceCount(messaging.PubSubTopic)).toBe(
        config["taskstack:messaging"].topics.length,
      );
    }
  });
});

describe("rules that once drifted between the stack file and the component", () => {
  it("accepts a one-letter subscription name in both, and refuses a trailing dash in both", () => {
    expect(problemsOf([{ name: "orders", subscriptions: [{ name: "a" }] }])).toEqual([]);
    expect(() =>
      messaging.validatePubSubTopicArgs("orders", { subscriptions: [{ name: "a" }] }),
    ).not.toThrow();
    const dash =
      'subscriptions[0].name: expected 1–63 lowercase letters, digits or -, starting with a letter and not ending with -, got "orders-"';
    expect(problemsOf([{ name: "orders", subscriptions: [{ name: "orders-" }] }])).toEqual([
      `${file}: taskstack:messaging.topics[0].${dash}`,
    ]);
    expect(() =>
      messaging.validatePubSubTopicArgs("orders", { subscriptions: [{ name: "orders-" }] }),
    ).toThrow(new TaskstackInputError([`PubSubTopic "orders" ${dash}`]));
  });

  it("refuses a TTL shorter than a 7-day retention in the stack file, as the component does", () => {
    const ttl =
      "subscriptions[0].expirationTtlSeconds: expected an integer of at least 604800 (the message retention), got 86400. Or leave it unset so the subscription never expires";
    expect(
      problemsOf([
        {
          name: "orders",
          subscriptions: [
            { name: "s", expirationTtlSeconds: 86_400, messageRetentionSeconds: 604_800 },
          ],
        },
      ]),
    ).toEqual([`${file}: taskstack:messaging.topics[0].${ttl}`]);
  });
});

describe("rules that were missing", () => {
  it("refuses two topics deriving the same subscription name", () => {
    expect(
      problemsOf([
        { name: "orders", subscriptions: [{ name: "eu-worker" }] },
        { name: "orders-eu", subscriptions: [{ name: "worker" }] },
      ]),
    ).toEqual([
      `${file}: taskstack:messaging.topics[1].name: expected names that no other component derives: Pub/Sub subscription "orders-eu-worker" is derived from both topics[0] (orders) and topics[1] (orders-eu), got "orders-eu". Rename one of them`,
    ]);
  });

  it("refuses a topic named like another topic's dead-letter topic", () => {
    expect(
      problemsOf([
        { name: "orders", subscriptions: [{ name: "fulfillment" }] },
        { name: "orders-dead-letter" },
      ]),
    ).toEqual([
      `${file}: taskstack:messaging.topics[1].name: expected names that no other component derives: Pub/Sub topic "orders-dead-letter" is derived from both topics[0] (orders) and topics[1] (orders-dead-letter), got "orders-dead-letter". Rename one of them`,
    ]);
  });

  it("checks the derived names' length, not only the given one", () => {
    const long = "t".repeat(250);
    expect(problemsOf([{ name: long, subscriptions: [{ name: "fulfillment" }] }])).toEqual([
      `${file}: taskstack:messaging.topics[0].subscriptions[0].name: expected a shorter name: the subscription's name "${"t".repeat(40)}…" would be 262 characters, over GCP's 255, got "fulfillment"`,
      `${file}: taskstack:messaging.topics[0].name: expected at most 243 characters (the dead-letter topic is named <name>-dead-letter), got ${describeValue(long)}`,
    ]);
  });

  it("refuses a filter over GCP's 256 bytes", () => {
    const filter = `attributes.note = "${"é".repeat(120)}"`;
    expect(problemsOf([{ name: "orders", subscriptions: [{ name: "s", filter }] }])).toEqual([
      `${file}: taskstack:messaging.topics[0].subscriptions[0].filter: expected a filter of at most 256 bytes (GCP's limit), got ${describeValue(filter)}`,
    ]);
  });

  it("refuses an IAM member where a push service account email belongs", () => {
    const member = "serviceAccount:pubsub-push@acme-shop-dev.iam.gserviceaccount.com";
    expect(
      problemsOf([
        {
          name: "orders",
          subscriptions: [
            {
              name: "hook",
              pushEndpoint: "https://hooks.acme-shop.example/orders",
              pushServiceAccountEmail: member,
            },
          ],
        },
      ]),
    ).toEqual([
      `${file}: taskstack:messaging.topics[0].subscriptions[0].pushServiceAccountEmail: expected a service account email such as "api@project.iam.gserviceaccount.com" (no "serviceAccount:" prefix), got "${member}"`,
    ]);
  });

  it("refuses a bad stack before the program declares anything, naming the file and every topic", async () => {
    const config = {
      "taskstack:environment": "dev",
      "taskstack:gcp": { project: "acme-shop-dev", region: "europe-west1" },
      "taskstack:monitoring": {
        notificationChannels: [{ name: "ops", email: "ops@acme.example" }],
      },
      "taskstack:messaging": {
        topics: [
          { name: "orders", subscriptions: [{ name: "s", ackDeadlineSeconds: 5 }] },
          { name: "payments", subscriptions: [{ name: "s", maxDeliveryAttempts: 1 }] },
        ],
      },
    };
    const run = runProgram(() => buildEnvironment(parseStackConfig(config, file)));
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskstackInputError);
    expect((err as TaskstackInputError).problems).toEqual([
      `${file}: taskstack:messaging.topics[0].subscriptions[0].ackDeadlineSeconds: expected an integer from 10 to 600, got 5`,
      `${file}: taskstack:messaging.topics[1].subscriptions[0].maxDeliveryAttempts: expected an integer from 5 to 100, got 1`,
    ]);
    expect(declaredBeforeFailure(err).map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});
