import { dirname } from "node:path";
import * as gcp from "@pulumi/gcp";
import { describe, expect, it } from "vitest";
import { sdkResourceTokens, standInSchema } from "../../scripts/stand-in-providers/schema";
import {
  parseUrn,
  revealWire,
  standInCheck,
  standInCreate,
  standInDiff,
  standInInvoke,
} from "../../scripts/stand-in-providers/stand-in";
import { autoName, projectNumber } from "../../testing/synthesize";

const config = {
  values: { "gcp:config:project": "acme-shop-dev", "gcp:config:region": "europe-west1" },
};
const topicUrn =
  "urn:pulumi:dev::taskstack::taskstack:messaging:PubSubTopic$gcp:pubsub/topic:Topic::order-events-topic";
const secret = (value: unknown) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value,
});

describe("stand-in providers at the protocol boundary", () => {
  it("parses a nested resource URN into stack, project, type and name", () => {
    expect(parseUrn(topicUrn)).toEqual({
      stack: "dev",
      project: "taskstack",
      type: "gcp:pubsub/topic:Topic",
      name: "order-events-topic",
    });
    expect(() => parseUrn("order-events")).toThrow(
      "stand-in provider: not a resource URN: order-events",
    );
  });

  it("Check fills the auto-name the offline engine gives, and keeps an existing resource's name", () => {
    const name = autoName({
      type: "gcp:pubsub/topic:Topic",
      name: "order-events-topic",
      inputs: {},
      ctx: {
        project: "taskstack",
        stack: "dev",
        gcpProject: "acme-shop-dev",
        gcpRegion: "europe-west1",
      },
    });
    expect(standInCheck(topicUrn, undefined, { labels: {} }, config)).toEqual({ labels: {}, name });
    expect(standInCheck(topicUrn, { name: "kept-1234567" }, {}, config)).toEqual({
      name: "kept-1234567",
    });
    expect(standInCheck(topicUrn, undefined, { name: "given" }, config)).toEqual({ name: "given" });
  });

  it("Check leaves types the provider does not auto-name as they are", () => {
    const urn = "urn:pulumi:dev::taskstack::gcp:cloudtasks/queue:Queue::emails";
    expect(standInCheck(urn, undefined, { location: "europe-west1" }, config)).toEqual({
      location: "europe-west1",
    });
  });

  it("Diff reports a change only when an input changed", () => {
    expect(standInDiff({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2] } })).toEqual({
      changes: false,
      replaces: [],
    });
    expect(standInDiff({ a: 1 }, { a: 2 }).changes).toBe(true);
    expect(standInDiff({ a: 1, b: 2 }, { a: 1 }).changes).toBe(true);
  });

  it("Create returns the offline engine's synthesized outputs under the inputs, secrets kept", () => {
    const result = standInCreate(
      topicUrn,
      { name: "order-events", labels: secret({ team: "x" }) },
      config,
    );
    expect(result.id).toBe("projects/acme-shop-dev/topics/order-events");
    expect(result.outs).toEqual({
      name: "order-events",
      project: "acme-shop-dev",
      labels: secret({ team: "x" }),
    });
  });

  it("Create synthesizes with the secret's value, as the provider would see it", () => {
    expect(revealWire({ a: [secret("s")], b: secret({ c: secret(1) }) })).toEqual({
      a: ["s"],
      b: { c: 1 },
    });
  });

  it("Invoke answers getProject from the provider's config and refuses any other invoke by token", () => {
    expect(standInInvoke("gcp:organizations/getProject:getProject", {}, config)).toMatchObject({
      projectId: "acme-shop-dev",
      number: projectNumber("acme-shop-dev"),
    });
    expect(() => standInInvoke("gcp:compute/getZones:getZones", {}, config)).toThrow(
      "stand-in provider: no result for invoke 'gcp:compute/getZones:getZones'",
    );
  });
});

describe("stand-in providers' GetSchema", () => {
  const sdkDir = (pkg: string) => dirname(require.resolve(`@pulumi/${pkg}/package.json`));

  it("names every resource class the installed SDK declares, by the token its class carries", () => {
    const tokens = sdkResourceTokens("gcp", sdkDir("gcp"));
    // Each class's own __pulumiType, read as Pulumi's component analyzer reads it.
    for (const cls of [gcp.pubsub.Topic, gcp.serviceaccount.Account, gcp.cloudscheduler.Job]) {
      expect(tokens).toContain((cls as unknown as { __pulumiType: string }).__pulumiType);
    }
    expect(tokens).toContain("gcp:spanner/backupSchedule:BackupSchedule");
    // The provider is the schema's `provider`, not a resource.
    expect(tokens).not.toContain("gcp");
    expect(tokens.every((t) => t.startsWith("gcp:"))).toBe(true);
    expect(tokens.length).toBeGreaterThan(1000);
  });

  it("serves them under the SDK's version with the bridged providers' module format", () => {
    const schema = standInSchema("random", "4.21.2", sdkDir("random"));
    expect(schema).toMatchObject({
      name: "random",
      version: "4.21.2",
      meta: { moduleFormat: "(.*)(?:/[^/]*)" },
      provider: {},
    });
    expect(Object.keys(schema.resources)).toEqual([
      "random:index/randomBytes:RandomBytes",
      "random:index/randomId:RandomId",
      "random:index/randomInteger:RandomInteger",
      "random:index/randomPassword:RandomPassword",
      "random:index/randomPet:RandomPet",
      "random:index/randomShuffle:RandomShuffle",
      "random:index/randomString:RandomString",
      "random:index/randomUuid4:RandomUuid4",
      "random:index/randomUuid7:RandomUuid7",
      "random:index/randomUuid:RandomUuid",
    ]);
  });
});
