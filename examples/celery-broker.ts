import * as k8s from "@pulumi/kubernetes";
import { messaging } from "taskstack";

/** The broker of a Celery deployment: three nodes, fast and slow queues, failed tasks kept. */
export function celeryBroker() {
  // The namespace is the Namespace resource's name (an Output): the broker waits for it.
  const namespace = new k8s.core.v1.Namespace("tasks", { metadata: { name: "tasks" } }).metadata
    .name;
  const broker = new messaging.RabbitMqCluster("celery-broker", {
    namespace,
    replicas: 3,
    memory: "2Gi",
    vhost: "celery",
    // A direct exchange matches keys literally: every source queue republishes its dead letters
    // with the key the dead-letter queue is bound with (its name, by default).
    exchanges: [{ name: "celery-dlx", type: "direct" }],
    queues: [
      {
        name: "celery-fast",
        deadLetterExchange: "celery-dlx",
        deadLetterRoutingKey: "celery-dead-letter",
        deliveryLimit: 5,
      },
      {
        name: "celery-slow",
        deadLetterExchange: "celery-dlx",
        deadLetterRoutingKey: "celery-dead-letter",
        deliveryLimit: 3,
      },
      { name: "celery-dead-letter", bindings: [{ exchange: "celery-dlx" }] },
    ],
  });
  // `brokerSecret` is the Secret holding the AMQP URL, as CeleryWorkerPool takes it.
  return { namespace, brokerSecret: broker.brokerSecret, amqpUrl: broker.amqpUrl };
}
