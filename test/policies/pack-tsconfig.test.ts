import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Under the real CLI, @pulumi/pulumi's policy-pack runner compiles the pack with ts-node from
// policies/ and reads policies/tsconfig.json there. Without that file it compiled non-strict
// and refused components/shared/errors.ts (scripts/real-pulumi.sh, issue 19).
describe("policies/tsconfig.json, as Pulumi's policy-pack runner reads it", () => {
  it("compiles the pack strict, to CommonJS, with the repository's path aliases", () => {
    const file = path.join(__dirname, "../../policies/tsconfig.json");
    const read = ts.readConfigFile(file, (p) => ts.sys.readFile(p));
    expect(read.error).toBeUndefined();
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(file));
    expect(parsed.errors).toEqual([]);
    expect(parsed.options.strict).toBe(true);
    expect(parsed.options.module).toBe(ts.ModuleKind.CommonJS);
    expect(parsed.options.noEmit).toBe(false);
    expect(Object.keys(parsed.options.paths ?? {})).toContain("taskstack/policies");
  });
});
