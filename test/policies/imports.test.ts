import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The pack ships on its own (pack/, `pulumi policy publish`) and per cloud
// (`taskstack/policies/gcp`, …): so no policy file may import components/ (whose modules load
// every SDK and the component layer), and no cloud's policies (nor lib/ they use) may import
// another cloud's SDK. Read from the sources' import statements, followed through lib/.

const repo = path.join(__dirname, "..", "..");
const sdks = ["@pulumi/gcp", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/random"];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "config" ? [] : sources(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

/** Every module a file imports, following relative imports transitively. */
function closure(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file)) return seen;
  const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
  const specifiers = info.importedFiles.map((f) => f.fileName);
  seen.set(file, specifiers);
  for (const s of specifiers) {
    if (!s.startsWith(".")) continue;
    const base = path.resolve(path.dirname(file), s);
    const target = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
    if (target) closure(target, seen);
  }
  return seen;
}

describe("what the policies import", () => {
  it("nothing under components/", () => {
    const all = closure(path.join(repo, "policies", "rules.ts"));
    for (const f of sources(path.join(repo, "policies"))) closure(f, all);
    const offending = [...all.keys()]
      .filter((f) => path.relative(repo, f).startsWith("components"))
      .map((f) => path.relative(repo, f));
    expect(offending).toEqual([]);
  });

  it.each([
    ["gcp", "@pulumi/gcp"],
    ["aws", "@pulumi/aws"],
    ["kubernetes", "@pulumi/kubernetes"],
  ])("policies/%s and what it imports load no other cloud's SDK", (cloud, own) => {
    const all = closure(path.join(repo, "policies", cloud, "index.ts"));
    const foreign = [...all.entries()].flatMap(([file, specifiers]) =>
      specifiers
        .filter(
          (s) => sdks.some((sdk) => s === sdk || s.startsWith(`${sdk}/`)) && !s.startsWith(own),
        )
        .map((s) => `${path.relative(repo, file)} imports ${s}`),
    );
    expect(foreign).toEqual([]);
  });
});
