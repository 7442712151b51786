import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { devPlanOutput, planExcerpt, readmeExcerpt } from "../scripts/readme";

const root = path.join(__dirname, "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

/** The README's fenced TypeScript blocks. */
const tsBlocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

describe("README", () => {
  // The examples are run by `npm test` as examples/*.ts; here we hold the README to them.
  it.each([
    "examples/order-events.ts",
    "examples/order-events.test.ts",
    "examples/partner-queue.ts",
    "examples/partner-queue.test.ts",
    "examples/celery-broker.ts",
    "examples/celery-broker.test.ts",
    "examples/shop-workers.ts",
    "examples/shop-workers.test.ts",
    "examples/spanner-backups.ts",
    "examples/spanner-backups.test.ts",
  ])("shows %s exactly as it runs", (file) => {
    expect(tsBlocks).toContain(fs.readFileSync(path.join(root, file), "utf8"));
  });

  it("names the two commands and every policy in the pack", async () => {
    expect(readme).toContain("npm ci && npm start");
    expect(readme).toContain("npm test");
    const { taskstackPolicies } = await import("../policies/rules");
    for (const policy of taskstackPolicies) expect(readme).toContain(`\`${policy.name}\``);
  });

  it("shows the dev plan as npm start prints it (npm run readme refreshes it)", async () => {
    const { code, text } = await devPlanOutput();
    expect(code).toBe(0);
    expect(readmeExcerpt(readme)).toBe(planExcerpt(text));
  });

  it("gives a JSON command whose output pipes cleanly", () => {
    expect(readme).toContain("npm start --silent -- --json");
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-readme-"));
    const run = spawnSync("npm", ["start", "--silent", "--", "--json", "--out", out], {
      cwd: root,
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    const plan = JSON.parse(run.stdout) as { stack: string; policies: { mandatory: number } };
    expect([plan.stack, plan.policies.mandatory]).toEqual(["dev", 0]);
  });
});
