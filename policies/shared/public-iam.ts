import type { ResourceValidationArgs } from "@pulumi/policy";
import { known } from "./preview";

/** IAM members that mean everyone on the internet, or everyone with a Google account. */
export const publicMembers: ReadonlySet<string> = new Set(["allUsers", "allAuthenticatedUsers"]);

/**
 * The public members a Google IAM resource grants, with the role: `member` (…IAMMember),
 * `members` (…IAMBinding) or `policyData`'s bindings (…IAMPolicy).
 */
export function publicGrants(
  props: ResourceValidationArgs["props"],
): { readonly role: string; readonly member: string }[] {
  const out: { role: string; member: string }[] = [];
  const add = (role: unknown, members: unknown): void => {
    for (const m of Array.isArray(members) ? members : [members]) {
      if (typeof m === "string" && publicMembers.has(m))
        out.push({ role: String(role), member: m });
    }
  };
  if (typeof props["policyData"] === "string") {
    let policy: unknown;
    try {
      policy = JSON.parse(props["policyData"]);
    } catch {
      return out;
    }
    const bindings = (policy as { bindings?: unknown } | null)?.bindings;
    for (const b of Array.isArray(bindings) ? bindings : []) {
      const binding = b as { role?: unknown; members?: unknown };
      add(binding.role, binding.members);
    }
    return out;
  }
  add(props["role"], props["member"] ?? props["members"]);
  return out;
}

/**
 * Where a grant applies, for a message: `queue orders`, or `the queue` when the name is unset or
 * only known after the update (a preview of a queue being created).
 */
export function grantTarget(
  kind: string,
  props: ResourceValidationArgs["props"],
  key: string,
): string {
  const name = known(() => props[key]);
  return typeof name === "string" && name !== "" ? `${kind} ${name}` : `the ${kind}`;
}
