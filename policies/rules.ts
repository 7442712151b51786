// What `taskstack/policies` publishes: the policy arrays, never the pack. Constructing a
// PolicyPack starts the analyzer's gRPC server, so only policies/index.ts does that.
import type { Policies } from "@pulumi/policy";
import { gcpPolicies } from "./gcp";

export * from "./gcp";

/** Every policy in the taskstack pack, for `new PolicyPack(...)` and the offline runner. */
export const taskstackPolicies: Policies = [...gcpPolicies];
