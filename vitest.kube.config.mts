import { defineConfig } from "vitest/config";

// `npm run test:kube`: suites that start a real etcd and kube-apiserver (scripts/kube-tools.sh
// builds them once; cold, that takes long), apart from `npm test`. .ci/run runs it in the Kubernetes
// API server step.
export default defineConfig({
  test: {
    include: ["test/kube-apiserver/**/*.kube.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
