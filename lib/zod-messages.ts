import { z } from "zod";

// The zod building blocks every args schema is made of, in lib/ because the helpers the policy pack
// shares with the components (cron, Kubernetes workloads) are built from them too. Components
// import them through components/shared/schema.ts.

/** A zod error option whose message reads `expected <text>`; the formatter adds `, got <value>`. */
export const expected = (text: string) => ({ error: `expected ${text}` });

/** An integer in a range, with one message for every way a value can miss it. */
export function int(min: number, max: number) {
  const e = expected(`an integer from ${min} to ${max}`);
  return z.number(e).int(e).min(min, e).max(max, e);
}

/** A number in a range (fractions allowed). */
export function num(min: number, max: number) {
  const e = expected(`a number from ${min} to ${max}`);
  return z.number(e).min(min, e).max(max, e);
}

export const bool = z.boolean(expected("true or false"));

/** A string matching `pattern`, described as `what` in messages. */
export function pattern(re: RegExp, what: string) {
  return z.string(expected(what)).regex(re, expected(what));
}

/**
 * Options for cross-field rules (`superRefine(rule, always)`): run them on any mapping, even when
 * one of its fields has a type error, so every problem shows at once and a field that is an
 * Output (skipped, not wrong) never hides a rule. Rules therefore check the types of the fields
 * they rely on themselves.
 */
export const always = {
  when: (payload: { value: unknown }) =>
    typeof payload.value === "object" && payload.value !== null && !Array.isArray(payload.value),
};

/** A custom issue for a cross-field rule, with an optional fix appended to the message. */
export function problem(
  ctx: z.RefinementCtx,
  path: readonly (string | number)[],
  expectedText: string,
  input: unknown,
  fix?: string,
): void {
  ctx.addIssue({
    code: "custom",
    path: [...path],
    message: `expected ${expectedText}`,
    input,
    ...(fix ? { params: { fix } } : {}),
  });
}
