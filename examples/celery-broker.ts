import { messaging } from "taskstack";

/** The broker of a Celery deployment: three nodes, fast and slow queues, failed tasks kept. */
export function celeryBroker() {
  const broker = new messaging.RabbitMqCluster("celery-broker", {
    namespace: "tasks",
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
  return { brokerSecret: broker.brokerUrlSecretName, amqpUrl: broker.amqpUrl };
}
