import { z } from "zod";
import {
  rabbitMqClusterDerivedNames,
  rabbitMqClusterName,
  rabbitMqClusterRules,
  rabbitMqClusterShape,
  rabbitMqDefaults,
} from "../../components/messaging/rabbitmq-cluster-schema";
import { always, expected } from "../../components/shared/schema";
import type { StackRules } from "./rules";

/**
 * A stack file's RabbitMQ cluster: RabbitMqCluster's args (its `name` is the component's) minus
 * what the stack decides for every object (namespace, protect).
 */
export const rabbitMqStackSchema = z
  .strictObject(
    {
      /** The cluster's name: the StatefulSet, its Services and `<name>-broker` Secret derive from it. */
      name: rabbitMqClusterName.default("rabbitmq"),
      ...rabbitMqClusterShape,
    },
    expected("a RabbitMQ cluster: a mapping"),
  )
  .superRefine(rabbitMqClusterRules, always);

export type RabbitMqStackConfig = z.output<typeof rabbitMqStackSchema>;

/** The RabbitMQ part of `taskstack:kubernetes`; its queues are `rabbitmq.queues[].name`. */
export const rabbitMqStackShape = { rabbitmq: rabbitMqStackSchema.optional() };

const key = "taskstack:kubernetes";

export function rabbitMqStackRules(
  k: { readonly rabbitmq?: RabbitMqStackConfig },
  rules: StackRules,
): void {
  const r = k.rabbitmq;
  if (r === undefined) return;
  const at = [key, "rabbitmq"];
  for (const derived of rabbitMqClusterDerivedNames(r.name)) {
    rules.claim(derived.kind, derived.name, [...at, "name"], `rabbitmq (${r.name})`, r.name);
  }
  if (rules.environment !== "prod") return;
  const replicas = r.replicas ?? rabbitMqDefaults.replicas;
  if (replicas < 3) {
    rules.problem(
      [...at, "replicas"],
      "at least 3 nodes in prod (one node lost must leave a majority)",
      replicas,
    );
  }
  if (r.antiAffinity === "preferred") {
    rules.problem(
      [...at, "antiAffinity"],
      "required in prod (two nodes on one host fail together and take the majority with them)",
      r.antiAffinity,
    );
  }
}
