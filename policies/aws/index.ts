import type { Policies } from "@pulumi/policy";

/** Every AWS policy in the pack. */
export const awsPolicies: Policies = [];
