import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { TaskstackInputError } from "../../components";
import { listStacks, readStackFile, secretPlaceholder, toEngineConfig } from "../../testing";

function stackFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-stackfile-"));
  const file = path.join(dir, "Pulumi.dev.yaml");
  fs.writeFileSync(file, text);
  return file;
}

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof TaskstackInputError) return err.problems;
    throw err;
  }
  return [];
}

describe("readStackFile", () => {
  it("returns the config mapping", () => {
    expect(readStackFile(stackFile("config:\n  gcp:project: p-1\n  shop:replicas: 3\n"))).toEqual({
      "gcp:project": "p-1",
      "shop:replicas": 3,
    });
  });

  it("treats a file without config as empty", () => {
    expect(readStackFile(stackFile("encryptionsalt: abc\n"))).toEqual({});
    expect(readStackFile(stackFile(""))).toEqual({});
  });

  it.each([
    [
      "a list at the top",
      "- a\n- b\n",
      /: expected a mapping with a "config:" key, got \["a","b"\]$/,
    ],
    [
      "a config that is a list",
      "config:\n  - a\n",
      /: config: expected a mapping of "namespace:key" to values, got \["a"\]$/,
    ],
    [
      "a duplicate key",
      "config:\n  a: 1\n  a: 2\n",
      /:3:3: invalid YAML: Map keys must be unique$/,
    ],
    [
      "an unknown tag",
      "config:\n  taskstack:environment: !foo dev\n",
      /:2:26: invalid YAML: Unresolved tag: !foo$/,
    ],
  ])("rejects %s, naming the file", (_case, text, message) => {
    const problems = problemsOf(() => readStackFile(stackFile(text)));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it("names a missing file", () => {
    expect(problemsOf(() => readStackFile("/nonexistent/Pulumi.x.yaml"))).toEqual([
      "/nonexistent/Pulumi.x.yaml: no such stack file",
    ]);
  });
});

describe("toEngineConfig", () => {
  it("namespaces bare keys, encodes values as the CLI does and marks secure values secret", () => {
    expect(
      toEngineConfig("shop", {
        replicas: 3,
        "gcp:project": "p-1",
        "shop:flags": { a: true },
        "shop:password": { secure: "v1:abc" },
        "shop:nested": { list: [{ token: { secure: "v1:def" } }] },
        "shop:unset": null,
      }),
    ).toEqual({
      values: {
        "shop:replicas": "3",
        "gcp:project": "p-1",
        "shop:flags": '{"a":true}',
        "shop:password": secretPlaceholder("shop:password"),
        "shop:nested": `{"list":[{"token":"${secretPlaceholder("shop:nested")}"}]}`,
      },
      secretKeys: ["shop:password", "shop:nested"],
    });
  });
});

describe("listStacks", () => {
  it("lists the stacks of a directory, sorted", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-stacks-"));
    for (const f of ["Pulumi.prod.yaml", "Pulumi.dev.yaml", "Pulumi.yaml", "notes.md"]) {
      fs.writeFileSync(path.join(dir, f), "");
    }
    expect(listStacks(dir)).toEqual(["dev", "prod"]);
    expect(listStacks(path.join(dir, "missing"))).toEqual([]);
  });
});
