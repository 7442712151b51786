import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { TaskstackInputError, describeValue } from "./errors";
import { gcpLabelKey, gcpLabelValue } from "./labels";
import { expected, pattern } from "../../lib/zod-messages";

// The building blocks of every component's one args schema (see CONTRIBUTING.md, "Adding a
// component"), and the one formatter that turns zod issues into taskstack's error lines, for
// component args and stack files alike. The most basic ones live in lib/zod-messages.ts, which the
// helpers the policy pack shares with the components are built from.
export { always, bool, expected, int, num, pattern, problem } from "../../lib/zod-messages";

/** An email address, loosely: something@domain.tld, no spaces. */
export const emailPattern = /^[^@\s:]+@[^@\s]+\.[^@\s]+$/;
/** An https:// URL with a host. */
export const httpsUrlPattern = /^https:\/\/[^\s/]+\S*$/;

export const email = pattern(emailPattern, "an email address");
export const httpsUrl = pattern(httpsUrlPattern, "an https:// URL");

/** A Google service account's email, not an IAM member (no `serviceAccount:` prefix). */
export const serviceAccountEmail = pattern(
  /^[a-z0-9][a-z0-9._-]*@[a-z0-9][a-z0-9.-]*\.gserviceaccount\.com$/,
  'a service account email such as "api@project.iam.gserviceaccount.com" (no "serviceAccount:" prefix)',
);

/** An IAM member: `serviceAccount:…`, `user:…`, `group:…`, `domain:…`, `principal…:…`. */
export const iamMember = pattern(
  /^(serviceAccount|user|group|domain|principal|principalSet):\S+$/,
  'an IAM member such as "serviceAccount:api@project.iam.gserviceaccount.com"',
);

export const gcpProjectId = pattern(
  /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
  "a GCP project id: 6–30 lowercase letters, digits or -, starting with a letter",
);

/**
 * Notes on how a component's args were made (an import's), kept as the component's recorded
 * inputs: `pulumi up` stores them in the stack's state, and `taskstack plan` prints them under the
 * component and keeps them in plan.json.
 */
export const componentNotes = z
  .array(z.string(expected("a note, as text")), expected("a list of notes"))
  .optional();

/** A component's inputs as the engine records them: its notes, when it has any. */
export function notesInputs(notes: readonly string[] | undefined): { notes?: string[] } {
  return notes !== undefined && notes.length > 0 ? { notes: [...notes] } : {};
}

export const gcpRegion = pattern(/^[a-z]+-[a-z]+[0-9]+$/, "a GCP region such as europe-west1");

/** GCP labels: lowercase keys and values, at most 63 characters each. */
export const gcpLabels = z.record(
  pattern(gcpLabelKey, "label keys of lowercase letters, digits, _ and -, starting with a letter"),
  pattern(gcpLabelValue, "label values of at most 63 lowercase letters, digits, _ and -"),
  expected("a map of labels"),
);

/** A short name taskstack derives resource names from: 1–63 lowercase letters, digits or -. */
export const shortName = pattern(
  /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
  "1–63 lowercase letters, digits or -, starting with a letter and not ending with -",
);

/** True when a value is known now (not an Output or a Promise whose value comes later). */
export function isKnown<T>(value: pulumi.Input<T> | undefined): value is T {
  return value !== undefined && !isUnknown(value);
}

function isUnknown(value: unknown): boolean {
  return pulumi.Output.isInstance(value) || value instanceof Promise;
}

/**
 * Replaces a Pulumi Input type by the plain value it stands for, deeply: what a stack file can
 * hold. Components use it to check at compile time that their documented `XArgs` interface and
 * their schema agree (`SameShape<Known<XArgs>, z.input<typeof xArgsSchema>>`).
 */
export type Known<T> =
  // A resource (an explicit provider) is passed as it is.
  T extends pulumi.Resource
    ? T
    : T extends pulumi.OutputInstance<infer U>
      ? Known<U>
      : T extends Promise<infer U>
        ? Known<U>
        : T extends readonly (infer E)[]
          ? Known<E>[]
          : T extends object
            ? { -readonly [K in keyof T]: Known<T[K]> }
            : T;

/**
 * `true` only when each type is assignable to the other and, at every level, both have the same
 * keys (assignability alone lets an optional key exist on one side only).
 */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? SameKeys<A, B> : false) : false;

type SameKeys<A, B> = [A] extends [pulumi.Resource]
  ? true // a resource is compared as a whole, not by its members
  : [A] extends [readonly (infer EA)[]]
    ? [B] extends [readonly (infer EB)[]]
      ? SameShape<EA, EB>
      : false
    : [A] extends [object]
      ? [B] extends [object]
        ? [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
          ? AllTrue<{
              [K in keyof A & keyof B]-?: SameShape<NonNullable<A[K]>, NonNullable<B[K]>>;
            }>
          : false
        : false
      : true;

type AllTrue<T> = false extends T[keyof T] ? false : true;

/** Paths in `value` that hold Outputs or Promises, which validation skips (the provider checks them). */
function unknownPaths(value: unknown, at: PropertyKey[] = [], out: PropertyKey[][] = []) {
  if (isUnknown(value)) out.push(at);
  else if (Array.isArray(value)) value.forEach((v, i) => unknownPaths(v, [...at, i], out));
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) unknownPaths(v, [...at, k], out);
  }
  return out;
}

function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => path[i] === p);
}

/**
 * Validates a component's args with its schema before anything is registered. Returns nothing or
 * throws one TaskstackInputError listing every problem as
 * `<Component> "<name>" <path>: expected <what>, got <value>`. Values that are Outputs or
 * Promises pass unchecked: they are the provider's to check, never guessed at.
 */
export function validateArgs(
  component: string,
  name: unknown,
  schema: z.ZodType,
  args: unknown,
): void {
  const problems: string[] = [];
  if (typeof name !== "string" || name.length === 0) {
    problems.push(`${component} name: expected a non-empty string, got ${describeValue(name)}`);
  }
  const label = `${component} ${typeof name === "string" ? JSON.stringify(name) : "(unnamed)"}`;
  const result = schema.safeParse(args, { reportInput: true });
  if (!result.success) {
    const skipped = unknownPaths(args);
    const issues = result.error.issues.filter(
      (issue) => !skipped.some((prefix) => startsWith(issue.path, prefix)),
    );
    problems.push(...formatIssues(`${label} `, issues, schema, "args"));
  }
  if (problems.length > 0) throw new TaskstackInputError(problems);
}

/**
 * Parses a value with a schema, throwing one TaskstackInputError with every problem as
 * `<prefix><path>: expected <what>, got <value>`. For inputs that are never Outputs (stack files,
 * imported YAML).
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  prefix: string,
  root = "value",
): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw new TaskstackInputError(formatIssues(prefix, result.error.issues, schema, root));
}

type Issue = z.core.$ZodIssue;

/** `a.b[0].c`, or `root` for the value itself. */
export function formatPath(path: readonly PropertyKey[], root: string): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out || root;
}

/**
 * zod issues as taskstack's error lines, one per problem: `<prefix><path>: expected <what>, got
 * <value>[. <fix>]`. Unknown keys name the keys the schema accepts there.
 */
export function formatIssues(
  prefix: string,
  issues: readonly Issue[],
  schema: z.ZodType,
  root: string,
): string[] {
  return issues.flatMap((issue) => {
    const input = (issue as { input?: unknown }).input;
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys(schema, issue.path);
      return issue.keys.map((key) => {
        const value =
          typeof input === "object" && input !== null
            ? (input as Record<string, unknown>)[key]
            : undefined;
        const hint = known.length > 0 ? `one of ${known.join(", ")}` : "no keys here";
        return `${prefix}${formatPath([...issue.path, key], root)}: unknown key (expected ${hint}), got ${describeValue(value)}`;
      });
    }
    // A problem another reader already worded (an imported file's), reported under this path.
    const line = (issue as { params?: { line?: unknown } }).params?.line;
    if (typeof line === "string") return [`${prefix}${formatPath(issue.path, root)}: ${line}`];
    const fix = (issue as { params?: { fix?: unknown } }).params?.fix;
    const tail = typeof fix === "string" ? `. ${fix}` : "";
    return [
      `${prefix}${formatPath(issue.path, root)}: ${expectation(issue)}, got ${describeValue(input)}${tail}`,
    ];
  });
}

/** Types in the words of a YAML file. */
const typeWords: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  number: "a number",
  boolean: "true or false",
};

function expectation(issue: Issue): string {
  if (issue.message.startsWith("expected ")) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return `expected ${typeWords[issue.expected] ?? issue.expected}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return `expected at least ${String(issue.minimum)}`;
    case "too_big":
      return `expected at most ${String(issue.maximum)}`;
    default:
      return `expected a valid value (${issue.message})`;
  }
}

/** The keys a strict object at `path` accepts, for "unknown key" messages. */
function knownKeys(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = root;
  for (const part of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject)
      schema = (schema.shape as Record<string, z.ZodType>)[String(part)];
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else return [];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape as object) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  for (let i = 0; i < 10 && current; i++) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
  return current;
}

const secretFields = new WeakSet<object>();

/**
 * Marks a stack-file field as a secret: its value comes from a `secure:` stack value (written
 * with `pulumi config set --secret`), and the component keeps it a Pulumi secret end to end.
 */
export function secretField<S extends z.ZodType>(schema: S): S {
  secretFields.add(schema);
  return schema;
}

/** True for a schema marked with {@link secretField}. */
export function isSecretField(schema: object): boolean {
  return secretFields.has(schema);
}
