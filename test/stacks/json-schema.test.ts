import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import {
  stackFileJsonSchema,
  stackFileJsonSchemaText,
  stackSchemaFile,
} from "../../stacks/json-schema";

const root = path.resolve(__dirname, "..", "..");
const stackFiles = fs
  .readdirSync(path.join(root, "stacks"))
  .filter((f) => /^Pulumi\..+\.yaml$/.test(f));
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(stackFileJsonSchema());

function read(file: string): { config: Record<string, unknown> } {
  return parse(fs.readFileSync(path.join(root, "stacks", file), "utf8")) as {
    config: Record<string, unknown>;
  };
}

/** The dev stack file with one change to its config. */
function devWith(change: (config: Record<string, unknown>) => void): unknown {
  const file = read("Pulumi.dev.yaml");
  change(file.config);
  return file;
}

describe("the stack files' JSON Schema", () => {
  it("is the committed file, generated from the zod schema (run `npm run schema` when this fails)", () => {
    expect(fs.readFileSync(path.join(root, stackSchemaFile), "utf8")).toBe(
      stackFileJsonSchemaText(),
    );
  });

  it.each(stackFiles)("is what %s points editors at", (file) => {
    const firstLine = fs.readFileSync(path.join(root, "stacks", file), "utf8").split("\n")[0];
    expect(firstLine).toBe(`# yaml-language-server: $schema=../${stackSchemaFile}`);
  });

  it.each(stackFiles)("accepts %s", (file) => {
    validate(read(file));
    expect(validate.errors ?? []).toEqual([]);
  });

  it("accepts other namespaces' keys, which belong to providers", () => {
    expect(validate(devWith((c) => (c["kubernetes:context"] = "dev-cluster")))).toBe(true);
  });

  it.each<[string, (config: Record<string, unknown>) => void, string]>([
    ["a typo'd section", (c) => (c["taskstack:mesaging"] = { topics: [] }), "/config"],
    [
      "a typo'd key in a subscription",
      (c) => {
        const topics = (c["taskstack:messaging"] as { topics: Record<string, unknown>[] }).topics;
        const subs = topics[0]!["subscriptions"] as Record<string, unknown>[];
        subs[0]!["ackDeadlineSecond"] = 30;
      },
      "/config/taskstack:messaging/topics/0/subscriptions/0",
    ],
    [
      "an out-of-range ack deadline",
      (c) => {
        const topics = (c["taskstack:messaging"] as { topics: Record<string, unknown>[] }).topics;
        const subs = topics[0]!["subscriptions"] as Record<string, unknown>[];
        subs[0]!["ackDeadlineSeconds"] = 5;
      },
      "/config/taskstack:messaging/topics/0/subscriptions/0/ackDeadlineSeconds",
    ],
    [
      "a wrong type",
      (c) => (c["taskstack:deletionProtection"] = "yes"),
      "/config/taskstack:deletionProtection",
    ],
  ])("rejects %s where the editor should flag it", (_case, change, at) => {
    expect(validate(devWith(change))).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain(at);
  });
});
