import * as pulumi from "@pulumi/pulumi";

/**
 * An error in what a user gave taskstack: a stack file, component args or a command-line argument.
 * Each problem is one line naming where it is, what was expected and what was given. The CLI exits
 * with code 2 on these and declares nothing.
 *
 * It is a Pulumi `RunError`, so under `pulumi up` and `pulumi preview` the Node.js runtime prints
 * its problems as they are, without a stack trace and without "failed with an unhandled
 * exception": the user's input is at fault, not the program.
 */
export class TaskstackInputError extends pulumi.RunError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "TaskstackInputError";
    this.problems = problems;
  }
}

/** True for a TaskstackInputError, also across copies of the package (instanceof can fail there). */
export function isTaskstackInputError(err: unknown): err is TaskstackInputError {
  return (
    err instanceof TaskstackInputError ||
    (err instanceof Error && err.name === "TaskstackInputError" && "problems" in err)
  );
}

/** Renders a value the user gave, short enough for one line of an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return truncate(JSON.stringify(value));
  if (typeof value === "number" || typeof value === "boolean" || value === null) {
    return String(value);
  }
  if (typeof value === "bigint") return `${value.toString()}n`;
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  if (isOutputLike(value)) return "an Output";
  try {
    const text = JSON.stringify(value);
    return truncate(text ?? Object.prototype.toString.call(value));
  } catch {
    return Array.isArray(value) ? "an array" : "an object";
  }
}

function isOutputLike(value: object): boolean {
  return (value as { __pulumiOutput?: unknown }).__pulumiOutput === true;
}

function truncate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
