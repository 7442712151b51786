import { z } from "zod";
import { expected, shortName } from "../../components/shared/schema";
import { rabbitMqStackRules, rabbitMqStackShape } from "./kubernetes-rabbitmq";
import { workloadsStackRules, workloadsStackShape } from "./kubernetes-workloads";
import type { StackRules } from "./rules";

/**
 * `taskstack:kubernetes`: the namespace everything runs in, the RabbitMQ cluster
 * (kubernetes-rabbitmq.ts) and the workloads that use it (kubernetes-workloads.ts).
 */
export const kubernetesSection = z
  .strictObject(
    {
      /** Namespace of every Kubernetes object the stack declares. */
      namespace: shortName.default("taskstack"),
      ...rabbitMqStackShape,
      ...workloadsStackShape,
    },
    expected("a mapping"),
  )
  .optional();

export type KubernetesConfig = z.output<typeof kubernetesSection>;

export function kubernetesRules(k: KubernetesConfig, rules: StackRules): void {
  if (k === undefined) return;
  rabbitMqStackRules(k, rules);
  workloadsStackRules(k, rules);
}
