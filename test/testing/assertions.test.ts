import { describe, expect, it } from "vitest";
import { Capture, Match, Plan } from "../../testing/assertions";
import { Secret } from "../../testing/plan";
import { fixtureResource } from "../../testing/policy-cases";

const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const TOPIC = "gcp:pubsub/topic:Topic";

const resource = (type: string, name: string, inputs: Record<string, unknown>) =>
  fixtureResource(type, name, inputs);

const policyDocument = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: "s3:GetObject",
      Condition: { StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::1:distribution/E1" } },
    },
  ],
};

const plan = new Plan({
  project: "p",
  stack: "dev",
  resources: [
    resource(BUCKET_POLICY, "site", { bucket: "b", policy: JSON.stringify(policyDocument) }),
    resource(TOPIC, "orders", { name: "orders", labels: { team: "a" } }),
    resource(TOPIC, "invoices", { name: "invoices", labels: { team: "b" } }),
  ],
  outputs: { topicName: "orders", dlq: { name: "orders-dead-letter" }, token: new Secret("x") },
});

describe("Match.not", () => {
  it("matches anything but the pattern, and names what it got when it does not", () => {
    expect(plan.findResources(TOPIC, { name: Match.not("orders") }).map((r) => r.name)).toEqual([
      "invoices",
    ]);
    expect(plan.findResources(TOPIC, { labels: Match.not({ team: "a" }) })).toHaveLength(1);
    expect(() =>
      plan.hasResource(TOPIC, { name: Match.not(Match.stringLikeRegexp(/s$/)) }),
    ).toThrow('invoices: name: expected anything but <a string like /s$/>, got "invoices"');
  });
});

describe("Match.serializedJson", () => {
  it("parses a JSON string input and matches its document", () => {
    plan.hasResource(BUCKET_POLICY, {
      policy: Match.serializedJson({
        Statement: Match.arrayWith([
          { Condition: { StringEquals: { "AWS:SourceArn": Match.anyValue() } } },
        ]),
      }),
    });
  });

  it("says where the document differs, and refuses text that is not JSON", () => {
    expect(() =>
      plan.hasResource(BUCKET_POLICY, {
        policy: Match.serializedJson({ Statement: [{ Principal: "*" }] }),
      }),
    ).toThrow(
      'site: policy(json).Statement[0].Principal: expected "*", got {"Service":"cloudfront.amazonaws.com"}',
    );
    expect(() => plan.hasResource(BUCKET_POLICY, { bucket: Match.serializedJson({}) })).toThrow(
      "site: bucket: expected a JSON string, got unparseable text",
    );
    expect(() => plan.hasResource(TOPIC, { labels: Match.serializedJson({}) })).toThrow(
      'orders: labels: expected a JSON string, got {"team":"a"}',
    );
  });
});

describe("Capture", () => {
  it("keeps the values it matched, the last one first-class", () => {
    const name = new Capture();
    expect(plan.findResources(TOPIC, { name })).toHaveLength(2);
    expect(name.value()).toBe("invoices");
    expect(name.asArray()).toEqual(["orders", "invoices"]);
  });

  it("can require a pattern, and says when nothing was captured", () => {
    const team = new Capture(Match.stringLikeRegexp(/^b$/));
    plan.hasResource(TOPIC, { labels: { team } });
    expect(team.asArray()).toEqual(["b"]);
    const missing = new Capture();
    expect(plan.findResources(TOPIC, { kmsKeyName: missing })).toHaveLength(0);
    expect(() => missing.value()).toThrow("a captured value: nothing was captured");
  });
});

describe("allResources", () => {
  it("passes when every resource of the type matches, and names each one that does not", () => {
    expect(plan.allResources(TOPIC, { labels: { team: Match.anyValue() } })).toHaveLength(2);
    expect(() => plan.allResources(TOPIC, { labels: { team: "a" } })).toThrow(
      '1 of 2 gcp:pubsub/topic:Topic resources do not match {"labels":{"team":"a"}}:\n  invoices: labels.team: expected "a", got "b"',
    );
    expect(() => plan.allResources("gcp:pubsub/subscription:Subscription", {})).toThrow(
      "no gcp:pubsub/subscription:Subscription resource was declared",
    );
  });
});

describe("hasOutput", () => {
  it("finds a stack output and matches its value", () => {
    expect(plan.hasOutput("topicName")).toBe("orders");
    plan.hasOutput("dlq", { name: "orders-dead-letter" });
    plan.hasOutput("token", Match.secret("x"));
  });

  it("names the outputs there are, or the mismatch", () => {
    expect(() => plan.hasOutput("topic")).toThrow(
      'no stack output named "topic"; exported: topicName, dlq, token',
    );
    expect(() => plan.hasOutput("dlq", { name: "x" })).toThrow(
      'stack output dlq.name: expected "x", got "orders-dead-letter"',
    );
  });
});
