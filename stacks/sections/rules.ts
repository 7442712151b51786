import type { z } from "zod";

/** The environments a stack file can name; prod invariants are checked by the sections' rules. */
export const environments = ["dev", "staging", "prod"] as const;
export type Environment = (typeof environments)[number];

export type StackPath = readonly (string | number)[];

/**
 * What a section's stack-wide rules can do: see the environment, report a problem at a path of the
 * stack config (starting with the section's key, e.g. `["taskstack:messaging", "topics", 0]`),
 * and claim the names a component derives so that two components never derive the same one.
 */
export interface StackRules {
  /** Undefined when the stack file's own environment is invalid (reported elsewhere). */
  readonly environment: Environment | undefined;
  problem(path: StackPath, expected: string, input: unknown, fix?: string): void;
  /**
   * Reports a problem another reader already worded in full (an imported file's: `<file>:
   * cron[1] (…).schedule: expected …, got …`), one line under `path`.
   */
  reported(path: StackPath, line: string): void;
  /**
   * Claims a derived name (a physical name such as a Pub/Sub subscription, or a logical resource
   * name) of a kind. A second claim of the same kind and name is reported at its `path`, naming
   * what claimed it first.
   */
  claim(kind: string, name: string, path: StackPath, owner: string, input: unknown): void;
}

/** Builds the StackRules a section's rules run with, reporting through zod's refinement context. */
export function stackRules(environment: Environment | undefined, ctx: z.RefinementCtx): StackRules {
  const claimed = new Map<string, string>();
  // One collision between the same two owners is reported once, not once per derived name.
  const reported = new Set<string>();
  const problem = (path: StackPath, expected: string, input: unknown, fix?: string): void => {
    ctx.addIssue({
      code: "custom",
      path: [...path],
      message: `expected ${expected}`,
      input,
      ...(fix ? { params: { fix } } : {}),
    });
  };
  return {
    environment,
    problem,
    reported(path, line) {
      ctx.addIssue({ code: "custom", path: [...path], message: line, params: { line } });
    },
    claim(kind, name, path, owner, input) {
      const key = `${kind}\u0000${name}`;
      const first = claimed.get(key);
      if (first === undefined) {
        claimed.set(key, owner);
        return;
      }
      const pair = `${path.join("/")}\u0000${first}`;
      if (reported.has(pair)) return;
      reported.add(pair);
      problem(
        path,
        `names that no other component derives: ${kind} "${name}" is derived from both ${first} and ${owner}`,
        input,
        "Rename one of them",
      );
    },
  };
}

/** Sections later parts of taskstack fill in; until then they take no keys. */
export const noSettingsYet = "an empty mapping (this section has no settings yet)";
