import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

// The README's HTTPS static site section shows the edge example exactly as `npm test` runs it.
const root = path.join(__dirname, "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
const tsBlocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

describe("README, HTTPS static site", () => {
  it.each(["examples/storefront.ts", "examples/storefront.test.ts"])(
    "shows %s exactly as it runs",
    (file) => {
      expect(tsBlocks).toContain(fs.readFileSync(path.join(root, file), "utf8"));
    },
  );
});
