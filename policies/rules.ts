// What `taskstack/policies` publishes: the policy arrays, never the pack. Constructing a
// PolicyPack starts the analyzer's gRPC server, so only the pack entries (policies/index.ts, and
// pack/index.js in the published package) do that. One cloud's policies alone, with only that
// cloud's SDK installed: `taskstack/policies/gcp`, `/aws`, `/kubernetes`.
import "./peers";
import type { Policies } from "@pulumi/policy";
import { awsPolicies } from "./aws";
import { gcpPolicies } from "./gcp";
import { kubernetesPolicies } from "./kubernetes";

export * from "./aws";
export * from "./gcp";
export * from "./kubernetes";
export {
  exemptKey,
  exemptReasonKey,
  exemptionsSchema,
  withExemption,
  withExemptions,
} from "./shared/exemptions";
export type { PolicyExemption } from "./shared/exemptions";

/**
 * Every policy in the taskstack pack, each honouring per-resource exemptions, for
 * `new PolicyPack(...)` and the offline runner.
 */
export const taskstackPolicies: Policies = [...gcpPolicies, ...kubernetesPolicies, ...awsPolicies];
