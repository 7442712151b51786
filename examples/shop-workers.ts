import { scheduling, workers } from "taskstack";
import { celeryBroker } from "./celery-broker";

const resources = {
  requests: { cpu: "250m", memory: "512Mi" },
  limits: { cpu: "1", memory: "1Gi" },
};

/** Celery workers for a shop: quick emails and slow exports on their own queues, and a nightly report. */
export function shopWorkers() {
  // Workers read the broker's Secret, so they run in its namespace.
  const { namespace, brokerSecret } = celeryBroker();
  const pool = new workers.CeleryWorkerPool("shop", {
    namespace,
    image: "ghcr.io/acme-shop/shop-worker:2.3.0",
    app: "shop.worker",
    brokerUrlSecret: brokerSecret,
    queues: [
      {
        name: "emails",
        taskTimeLimitSeconds: 60,
        concurrency: 8,
        prefetchMultiplier: 4,
        resources,
        autoscaling: { minReplicas: 2, maxReplicas: 10, targetQueueLength: 100 },
      },
      { name: "exports", taskTimeLimitSeconds: 1800, replicas: 2, resources },
    ],
  });
  new scheduling.KubernetesCronJob("nightly-report", {
    namespace,
    schedule: "0 4 * * *", // after Paris's daylight-saving changes (02:00-02:59)
    timeZone: "Europe/Paris",
    image: "ghcr.io/acme-shop/reports:3.8.1",
    command: ["python", "-m", "reports.nightly"],
    resources,
  });
  return { deployments: pool.deploymentNames };
}
