import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkPublicTypes,
  declarationSpecifiers,
  formatViolation,
} from "../../scripts/public-types-check";

const scratch = mkdtempSync(join(tmpdir(), "taskstack-public-types-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A package directory holding the given files (package.json included). */
function fakePackage(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const exportsMap = {
  exports: {
    ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
    "./policies": { types: "./dist/rules.d.ts", default: "./dist/rules.js" },
    "./schemas": { types: "./dist/schemas.d.ts", default: "./dist/schemas.js" },
    "./package.json": "./package.json",
  },
};

describe("public types check", () => {
  it("names every module form a declaration file can import", () => {
    const text = [
      '/// <reference types="node" />',
      'import { a } from "./a";',
      'import type * as b from "zod";',
      'export * from "./c.js";',
      'export { d } from "@pulumi/policy";',
      'import e = require("./e");',
      'export declare const f: import("zod/v4").ZodString;',
    ].join("\n");
    expect(declarationSpecifiers("x.d.ts", text)).toEqual([
      "./a",
      "zod",
      "./c.js",
      "@pulumi/policy",
      "./e",
      "zod/v4",
      "node",
    ]);
  });

  it("passes a package whose public entries reach neither zod nor @pulumi/policy's index", () => {
    const dir = fakePackage("clean", {
      "package.json": JSON.stringify(exportsMap),
      "dist/index.d.ts": 'export * from "./queue";\n',
      "dist/queue.d.ts":
        'import * as pulumi from "@pulumi/pulumi";\nexport declare const q: pulumi.Output<string>;\n',
      "dist/rules.d.ts":
        'import type { Policies } from "@pulumi/policy/policy";\nexport declare const all: Policies;\n',
      "dist/schemas.d.ts": 'import { z } from "zod";\nexport declare const s: z.ZodString;\n',
    });
    expect(checkPublicTypes(dir)).toEqual([]);
  });

  it("fails naming the shortest chain from each entry to zod and to @pulumi/policy", () => {
    const dir = fakePackage("leaky", {
      "package.json": JSON.stringify(exportsMap),
      "dist/index.d.ts": 'export * as messaging from "./messaging/index.js";\n',
      "dist/messaging/index.d.ts": 'export { queueSchema } from "./queue-schema";\n',
      "dist/messaging/queue-schema.d.ts":
        'export declare const queueSchema: import("zod").ZodObject<{}>;\n',
      "dist/rules.d.ts":
        'import type { Policies } from "@pulumi/policy";\nexport declare const all: Policies;\n',
      "dist/schemas.d.ts": 'export * from "./messaging/queue-schema";\n',
    });
    expect(checkPublicTypes(dir).map(formatViolation)).toEqual([
      "taskstack: dist/index.d.ts -> dist/messaging/index.d.ts -> dist/messaging/queue-schema.d.ts -> zod (zod's types need esModuleInterop; export our own interfaces and keep schemas behind taskstack/schemas)",
      "taskstack/policies: dist/rules.d.ts -> @pulumi/policy (@pulumi/policy's index.d.ts does not compile without skipLibCheck; import from @pulumi/policy/policy)",
    ]);
  });

  it("refuses an export without a types condition, naming it", () => {
    const dir = fakePackage("untyped", {
      "package.json": JSON.stringify({ exports: { ".": "./dist/index.js" } }),
    });
    expect(() => checkPublicTypes(dir)).toThrow(
      `${join(dir, "package.json")}: exports["."]: expected a "types" condition, got "./dist/index.js"`,
    );
  });
  // The built package itself is checked by scripts/consumer-check.sh, on the packed tarball.
});
