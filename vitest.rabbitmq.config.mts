import { defineConfig } from "vitest/config";

// `npm run test:rabbitmq`: the real-RabbitMQ partition suite, apart from `npm test` because it
// needs root, rabbitmq-server and a minute or two. .ci/run runs it after the main tests.
export default defineConfig({
  test: {
    include: ["test/integration/**/*.integration.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 240_000,
  },
});
