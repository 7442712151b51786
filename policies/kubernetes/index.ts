import type { Policies } from "@pulumi/policy";

/** Every Kubernetes policy in the pack. */
export const kubernetesPolicies: Policies = [];
