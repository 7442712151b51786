import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // README examples import the package by name, as a user's repository does.
    alias: [
      { find: /^taskstack\/testing$/, replacement: here("./testing/index.ts") },
      { find: /^taskstack\/policies$/, replacement: here("./policies/rules.ts") },
      { find: /^taskstack$/, replacement: here("./components/index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    // Pulumi's runtime keeps global state per process: one fork per file keeps files apart.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
