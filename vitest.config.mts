import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // README examples import the package by name, as a user's repository does.
    alias: [
      { find: /^taskstack\/testing$/, replacement: here("./testing/index.ts") },
      { find: /^taskstack\/policies$/, replacement: here("./policies/rules.ts") },
      { find: /^taskstack\/gcp$/, replacement: here("./components/gcp.ts") },
      { find: /^taskstack\/aws$/, replacement: here("./components/aws.ts") },
      { find: /^taskstack\/kubernetes$/, replacement: here("./components/kubernetes.ts") },
      { find: /^taskstack$/, replacement: here("./components/index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    // Files share a worker process: loading the Pulumi SDK and providers once per worker instead
    // of once per file takes the suite from about 3 minutes to under one on 2 cores. That is safe
    // because runProgram queues its runs, sets the SDK's mocks and config afresh for each, and hands
    // the SDK back after; tests restore what they spy on. CI also runs the files shuffled.
    pool: "forks",
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
