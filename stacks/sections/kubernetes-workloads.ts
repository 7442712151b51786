import type { StackRules } from "./rules";

/** Worker pools and CronJobs of `taskstack:kubernetes` (filled in with their components). */
export const workloadsStackShape = {};

export function workloadsStackRules(_k: Record<string, unknown>, _rules: StackRules): void {}
