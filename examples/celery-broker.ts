import { messaging } from "taskstack";

/** The broker of a Celery deployment: three nodes, fast and slow queues, failed tasks kept. */
export function celeryBroker() {
  const broker = new messaging.RabbitMqCluster("celery-broker", {
    namespace: "tasks",
    replicas: 3,
    memory: "2Gi",
    vhost: "celery",
    exchanges: [{ name: "celery-dead-letter" }],
    queues: [
      { name: "celery-fast", deadLetterExchange: "celery-dead-letter", deliveryLimit: 5 },
      { name: "celery-slow", deadLetterExchange: "celery-dead-letter", deliveryLimit: 3 },
      {
        name: "celery-dead-letter",
        bindings: [{ exchange: "celery-dead-letter", routingKey: "#" }],
      },
    ],
  });
  return { brokerSecret: broker.brokerUrlSecretName, amqpUrl: broker.amqpUrl };
}
