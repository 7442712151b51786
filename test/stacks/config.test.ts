import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TaskstackInputError } from "../../components";
import { readStackFile, toEngineConfig } from "../../testing";
import { assertExercised, failsOnlyWithInputErrors } from "../support/properties";
import type { Outcomes } from "../support/properties";
import { decodeConfigValues, parseStackConfig } from "../../stacks/config";

const file = "stacks/Pulumi.prod.yaml";

/** A stack file's config as the program receives it (through the language host's strings). */
function fromStackFile(stack: string): Record<string, unknown> {
  const raw = readStackFile(path.join(__dirname, "..", "..", "stacks", `Pulumi.${stack}.yaml`));
  return decodeConfigValues(toEngineConfig("taskstack", raw).values);
}

const minimal = {
  "taskstack:environment": "dev",
  "taskstack:gcp": { project: "acme-shop-dev", region: "europe-west1" },
};

function problems(raw: unknown): readonly string[] {
  try {
    parseStackConfig(raw, file);
  } catch (err) {
    if (err instanceof TaskstackInputError) return err.problems;
    throw err;
  }
  return [];
}

describe("parseStackConfig", () => {
  it.each(["dev", "staging", "prod"])("accepts the %s stack file", (stack) => {
    const config = parseStackConfig(fromStackFile(stack), `stacks/Pulumi.${stack}.yaml`);
    expect(config["taskstack:environment"]).toBe(stack);
    expect(config["taskstack:messaging"].topics.map((t) => t.name)).toEqual([
      "order-events",
      "payment-events",
    ]);
  });

  it.each(["dev", "staging", "prod"])(
    "keeps the %s stack's queues bounded by attempts, with an audience beside each invoker",
    (stack) => {
      const config = parseStackConfig(fromStackFile(stack), `stacks/Pulumi.${stack}.yaml`);
      const queues = config["taskstack:messaging"].queues;
      expect(
        queues.map((q) => [q.name, q.preset ?? q.maxAttempts, q.maxRetryDurationSeconds]),
      ).toEqual([
        // A duration beside the preset's 10 attempts would keep retrying until both were reached.
        ["partner-chunks", "rate-limited-api", undefined],
        ["order-emails", 8, undefined],
      ]);
      expect(queues.map((q) => typeof q.oidcAudience)).toEqual(["string", "string"]);
    },
  );

  it("fills in defaults", () => {
    const config = parseStackConfig(minimal);
    expect(config["taskstack:deletionProtection"]).toBe(true);
    expect(config["taskstack:messaging"]).toEqual({ topics: [], queues: [] });
    expect(config["taskstack:monitoring"]).toEqual({
      notificationChannels: [],
      pagerDuty: [],
      slack: [],
      subscriptionBacklogAlertSeconds: 3600,
    });
    expect(config["taskstack:scheduling"]).toEqual({ jobs: [] });
    expect(config["taskstack:gcp"]?.labels).toEqual({});
  });

  it("ignores other namespaces, which belong to providers", () => {
    expect(() =>
      parseStackConfig({ ...minimal, "kubernetes:context": "kind", "gcp:region": "x" }),
    ).not.toThrow();
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      "an unknown top-level key",
      { ...minimal, "taskstack:messagin": {} },
      `${file}: taskstack:messagin: unknown key (expected one of taskstack:environment, taskstack:deletionProtection, taskstack:gcp, taskstack:monitoring, taskstack:messaging, taskstack:scheduling, taskstack:spanner, taskstack:kubernetes, taskstack:aws, gcp:project, aws:region), got {}`,
    ],
    [
      "an unknown nested key",
      { ...minimal, "taskstack:messaging": { topics: [{ name: "orders", retention: 5 }] } },
      `${file}: taskstack:messaging.topics[0].retention: unknown key (expected one of name, messageRetentionSeconds, deadLetterRetentionSeconds, labels, kmsKeyName, allowedPersistenceRegions, publishers, subscriptions), got 5`,
    ],
    [
      "an out-of-range ack deadline",
      {
        ...minimal,
        "taskstack:messaging": {
          topics: [{ name: "orders", subscriptions: [{ name: "fulfil", ackDeadlineSeconds: 5 }] }],
        },
      },
      `${file}: taskstack:messaging.topics[0].subscriptions[0].ackDeadlineSeconds: expected an integer from 10 to 600, got 5`,
    ],
    [
      "a wrong type",
      {
        ...minimal,
        "taskstack:messaging": {
          topics: [
            { name: "orders", subscriptions: [{ name: "fulfil", maxDeliveryAttempts: "ten" }] },
          ],
        },
      },
      `${file}: taskstack:messaging.topics[0].subscriptions[0].maxDeliveryAttempts: expected an integer from 5 to 100, got "ten"`,
    ],
    [
      "an unknown environment",
      { ...minimal, "taskstack:environment": "qa" },
      `${file}: taskstack:environment: expected one of dev, staging, prod, got "qa"`,
    ],
    [
      "a missing section that a declared resource needs",
      { "taskstack:environment": "dev", "taskstack:messaging": { topics: [{ name: "orders" }] } },
      `${file}: taskstack:gcp: expected a mapping with project and region: taskstack:messaging.topics declares Google Cloud resources, got nothing`,
    ],
    [
      "a bad project id",
      { ...minimal, "taskstack:gcp": { project: "Acme", region: "europe-west1" } },
      `${file}: taskstack:gcp.project: expected a GCP project id: 6–30 lowercase letters, digits or -, starting with a letter, got "Acme"`,
    ],
    [
      "a plain-http push endpoint",
      {
        ...minimal,
        "taskstack:messaging": {
          topics: [
            {
              name: "orders",
              subscriptions: [
                {
                  name: "hook",
                  pushEndpoint: "http://x.example.com",
                  pushServiceAccountEmail: "push@acme-shop-dev.iam.gserviceaccount.com",
                },
              ],
            },
          ],
        },
      },
      `${file}: taskstack:messaging.topics[0].subscriptions[0].pushEndpoint: expected an https:// URL, got "http://x.example.com"`,
    ],
    [
      "a malformed IAM member",
      {
        ...minimal,
        "taskstack:messaging": { topics: [{ name: "orders", publishers: ["checkout-api"] }] },
      },
      `${file}: taskstack:messaging.topics[0].publishers[0]: expected an IAM member such as "serviceAccount:api@project.iam.gserviceaccount.com", got "checkout-api"`,
    ],
    [
      "a duplicate topic",
      { ...minimal, "taskstack:messaging": { topics: [{ name: "orders" }, { name: "orders" }] } },
      `${file}: taskstack:messaging.topics[1].name: expected names that no other component derives: Pub/Sub topic "orders" is derived from both topics[0] (orders) and topics[1] (orders), got "orders". Rename one of them`,
    ],
    [
      "a provider project that differs",
      { ...minimal, "gcp:project": "acme-shop-prod" },
      `${file}: gcp:project: expected the same project as taskstack:gcp.project (acme-shop-dev), got "acme-shop-prod"`,
    ],
    [
      "a backup of a database the stack does not declare",
      {
        ...minimal,
        "taskstack:spanner": {
          instances: [
            {
              name: "commerce",
              config: "regional-europe-west1",
              databases: ["orders"],
              backup: {
                databases: [{ name: "order", schedule: "0 2 * * *", retentionSeconds: 86400 }],
              },
            },
          ],
        },
      },
      `${file}: taskstack:spanner.instances[0].backup.databases[0].name: expected one of the instance's databases (orders), got "order". Declare the database under databases, or fix the name`,
    ],
  ])("rejects %s with one exact message", (_case, raw, message) => {
    expect(problems(raw)).toEqual([message]);
  });

  describe("prod invariants", () => {
    const prod = {
      ...minimal,
      "taskstack:environment": "prod",
      "taskstack:gcp": { project: "acme-shop-prod", region: "europe-west1" },
      "taskstack:monitoring": {
        notificationChannels: [{ name: "oncall", email: "oncall@acme.example" }],
      },
    };

    it("accepts a protected, alerting prod", () => {
      expect(problems(prod)).toEqual([]);
    });

    it("requires deletion protection, a channel and dead-lettering, all reported at once", () => {
      expect(
        problems({
          ...prod,
          "taskstack:deletionProtection": false,
          "taskstack:monitoring": { notificationChannels: [] },
          "taskstack:messaging": {
            topics: [{ name: "orders", subscriptions: [{ name: "replay", deadLetter: false }] }],
          },
        }),
      ).toEqual([
        `${file}: taskstack:deletionProtection: expected true in prod (stateful resources must be protected from deletion), got false`,
        `${file}: taskstack:monitoring.notificationChannels: expected at least one notification channel in prod (alerts must reach someone), got []`,
        `${file}: taskstack:messaging.topics[0].subscriptions[0].deadLetter: expected true in prod (a poison message would otherwise be retried forever), got false`,
      ]);
    });

    it("lets dev opt out of the same", () => {
      expect(
        problems({
          ...minimal,
          "taskstack:deletionProtection": false,
          "taskstack:messaging": {
            topics: [{ name: "orders", subscriptions: [{ name: "replay", deadLetter: false }] }],
          },
        }),
      ).toEqual([]);
    });
  });

  it("reports several problems at once, each on its own line", () => {
    const found = problems({ ...minimal, "taskstack:environment": "qa", "taskstack:typo": 1 });
    expect(found).toHaveLength(2);
  });

  it("only ever fails with a TaskstackInputError, whatever it is given", () => {
    const outcomes: Outcomes = { accepted: 0, rejected: 0 };
    const section = fc.oneof(fc.anything(), fc.dictionary(fc.string(), fc.anything()));
    assertExercised(outcomes, { accepted: 10, rejected: 10 }, (params) => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.anything(),
            // A valid stack with one subscription whose numbers land in and out of range.
            fc
              .record({
                ackDeadlineSeconds: fc.integer({ min: 0, max: 700 }),
                maxDeliveryAttempts: fc.integer({ min: 0, max: 120 }),
              })
              .map((sub) => ({
                ...minimal,
                "taskstack:messaging": {
                  topics: [{ name: "orders", subscriptions: [{ name: "fulfil", ...sub }] }],
                },
              })),
            fc.record(
              {
                "taskstack:environment": fc.oneof(
                  fc.constantFrom("dev", "staging", "prod"),
                  fc.anything(),
                ),
                "taskstack:gcp": section,
                "taskstack:messaging": fc.oneof(
                  section,
                  fc.record({
                    topics: fc.array(
                      fc.dictionary(
                        fc.constantFrom("name", "subscriptions", "labels", "publishers"),
                        fc.anything(),
                      ),
                    ),
                  }),
                ),
                "taskstack:monitoring": section,
                "gcp:project": fc.anything(),
              },
              { requiredKeys: [] },
            ),
          ),
          (raw) =>
            failsOnlyWithInputErrors(
              () => parseStackConfig(raw, file),
              outcomes,
              (problem) => problem.startsWith(`${file}: `),
            ),
        ),
        { numRuns: 1000, ...params },
      );
    });
  });
});

describe("decodeConfigValues", () => {
  it("decodes what the language host passes as strings", () => {
    expect(
      decodeConfigValues({ a: "3", b: "true", c: '{"x":[1]}', d: "europe-west1", e: "007" }),
    ).toEqual({
      a: 3,
      b: true,
      c: { x: [1] },
      d: "europe-west1",
      e: "007",
    });
  });
});
