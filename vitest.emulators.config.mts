import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// `npm run test:emulators`: the Pub/Sub and Spanner emulators of the Google Cloud SDK judge the
// rules taskstack's schemas encode and what the stacks plan (test/emulators/). Apart from
// `npm test` because each suite starts an emulator (the Pub/Sub one is a JVM);
// scripts/ci/gcp-emulators.sh runs it in its own CI step.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^taskstack\/testing$/, replacement: here("./testing/index.ts") },
      { find: /^taskstack$/, replacement: here("./components/index.ts") },
    ],
  },
  test: {
    include: ["test/emulators/**/*.emulator.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
