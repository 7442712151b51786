import type { StackRules } from "./rules";

/** The RabbitMQ part of `taskstack:kubernetes` (filled in with RabbitMqCluster). */
export const rabbitMqStackShape = {};

export function rabbitMqStackRules(_k: Record<string, unknown>, _rules: StackRules): void {}
