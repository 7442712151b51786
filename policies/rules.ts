// What `taskstack/policies` publishes: the policy arrays, never the pack. Constructing a
// PolicyPack starts the analyzer's gRPC server, so only policies/index.ts does that.
import type { Policies } from "@pulumi/policy/policy";
import { awsPolicies } from "./aws";
import { gcpPolicies } from "./gcp";
import { kubernetesPolicies } from "./kubernetes";

export * from "./aws";
export * from "./gcp";
export * from "./kubernetes";

/** Every policy in the taskstack pack, for `new PolicyPack(...)` and the offline runner. */
export const taskstackPolicies: Policies = [...gcpPolicies, ...kubernetesPolicies, ...awsPolicies];
