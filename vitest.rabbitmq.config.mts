import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// `npm run test:rabbitmq`: the real-RabbitMQ suites (partition, real Celery workers), apart from
// `npm test` because they need root, the servers and a few minutes. scripts/ci/rabbitmq.sh runs
// them on Debian 13's RabbitMQ 4.0.5 and Celery 5.5.2 (TASKSTACK_DEBIAN13_TREE) and the partition
// suite again on Debian 12's RabbitMQ 3.10.8.
export default defineConfig({
  resolve: {
    // The suite boots the README's own example, which imports the package by name.
    alias: [
      { find: /^taskstack\/testing$/, replacement: here("./testing/index.ts") },
      { find: /^taskstack$/, replacement: here("./components/index.ts") },
    ],
  },
  test: {
    include: ["test/integration/**/*.integration.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 240_000,
  },
});
