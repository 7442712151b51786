import * as pulumi from "@pulumi/pulumi";
import { TaskstackInputError, describeValue } from "./errors";
import { gcpLabelKey, gcpLabelValue } from "./labels";

/**
 * Collects problems found in a component's args, so that a user sees all of them at once.
 * Values that are still Outputs are skipped: they are checked by the provider, never guessed at.
 */
export class ArgsProblems {
  private readonly problems: string[] = [];

  constructor(private readonly component: string) {}

  /** Records a problem: `<Component> <arg>: expected <expected>, got <value>. <fix>` */
  add(arg: string, expected: string, value: unknown, fix?: string): void {
    const tail = fix ? `. ${fix}` : "";
    this.problems.push(
      `${this.component} ${arg}: expected ${expected}, got ${describeValue(value)}${tail}`,
    );
  }

  /** Checks an optional integer range, skipping unknown (Output) values. */
  intInRange(arg: string, value: unknown, min: number, max: number, fix?: string): void {
    if (value === undefined || pulumi.Output.isInstance(value)) return;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.add(arg, `an integer from ${min} to ${max}`, value, fix);
    }
  }

  get count(): number {
    return this.problems.length;
  }

  /** Throws one TaskstackInputError listing every problem, if there are any. */
  throwIfAny(): void {
    if (this.problems.length > 0) throw new TaskstackInputError(this.problems);
  }
}

/** An email address, loosely: something@domain.tld, no spaces. */
export const emailPattern = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** An https:// URL with a host. */
export const httpsUrlPattern = /^https:\/\/[^\s/]+\S*$/;

/** True when a value is known now (not an Output whose value comes later). */
export function isKnown<T>(value: pulumi.Input<T> | undefined): value is T {
  return value !== undefined && !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/** Checks GCP labels: lowercase keys and values, at most 63 characters each. */
export function checkLabels(p: ArgsProblems, labels: unknown): void {
  if (labels === undefined) return;
  if (typeof labels !== "object" || labels === null || Array.isArray(labels)) {
    p.add("labels", "a map of label keys to values", labels);
    return;
  }
  for (const [key, value] of Object.entries(labels)) {
    if (!gcpLabelKey.test(key))
      p.add(`labels`, "keys of lowercase letters, digits, _ and - starting with a letter", key);
    if (typeof value !== "string" || !gcpLabelValue.test(value)) {
      p.add(`labels.${key}`, "at most 63 lowercase letters, digits, _ and -", value);
    }
  }
}
