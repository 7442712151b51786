import { field } from "../../../gcp/pubsub/references";

/** One statement of an IAM policy document, as S3 bucket policies hold them. */
export interface Statement {
  readonly index: number;
  readonly effect: unknown;
  readonly principal: unknown;
  readonly action: unknown;
  readonly condition: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** The statements of a policy document (a JSON string or an object), or undefined when unreadable. */
export function statementsOf(policy: unknown): Statement[] | undefined {
  let doc: unknown = policy;
  if (typeof policy === "string") {
    try {
      doc = JSON.parse(policy);
    } catch {
      return undefined;
    }
  }
  const raw = field(doc, "Statement");
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((s: unknown, index) => ({
    index,
    effect: field(s, "Effect"),
    principal: field(s, "Principal"),
    action: field(s, "Action"),
    condition: (field(s, "Condition") ?? {}) as Statement["condition"],
  }));
}

/** The condition keys a statement tests, lowercased (IAM condition keys are case-insensitive). */
export function conditionKeys(s: Statement): Set<string> {
  const keys = new Set<string>();
  for (const test of Object.values(s.condition)) {
    if (typeof test !== "object" || test === null) continue;
    for (const key of Object.keys(test)) keys.add(key.toLowerCase());
  }
  return keys;
}
