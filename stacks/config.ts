import { z } from "zod";
import { TaskstackInputError, describeValue } from "../components/shared/errors";
import { gcpLabelKey, gcpLabelValue } from "../components/shared/labels";
import { emailPattern, httpsUrlPattern } from "../components/shared/validation";

const expected = (text: string) => ({ error: `expected ${text}` });

/** An integer in a range, with one message for every way a value can miss it. */
function int(min: number, max: number) {
  const e = expected(`an integer from ${min} to ${max}`);
  return z.number(e).int(e).min(min, e).max(max, e);
}

const bool = z.boolean(expected("true or false"));
const projectId = z
  .string(expected("a GCP project id"))
  .regex(
    /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    expected("a GCP project id: 6–30 lowercase letters, digits or -, starting with a letter"),
  );
const region = z
  .string(expected("a GCP region"))
  .regex(/^[a-z]+-[a-z]+[0-9]+$/, expected("a GCP region such as europe-west1"));
const labels = z.record(
  z
    .string()
    .regex(
      gcpLabelKey,
      expected("label keys of lowercase letters, digits, _ and -, starting with a letter"),
    ),
  z
    .string(expected("a label value"))
    .regex(
      gcpLabelValue,
      expected("label values of at most 63 lowercase letters, digits, _ and -"),
    ),
  expected("a map of labels"),
);
const iamMember = z
  .string(expected("an IAM member"))
  .regex(
    /^(serviceAccount|user|group|domain|principal|principalSet):\S+$/,
    expected('an IAM member such as "serviceAccount:api@project.iam.gserviceaccount.com"'),
  );
const httpsUrl = z
  .string(expected("an https:// URL"))
  .regex(httpsUrlPattern, expected("an https:// URL"));
const email = z
  .string(expected("an email address"))
  .regex(emailPattern, expected("an email address"));
const shortName = z
  .string(expected("a name"))
  .regex(
    /^[a-z][a-z0-9-]{1,61}[a-z0-9]$/,
    expected("3–63 lowercase letters, digits or -, starting with a letter"),
  );
const retentionSeconds = int(600, 2_678_400);

const subscription = z.strictObject({
  name: shortName,
  ackDeadlineSeconds: int(10, 600).optional(),
  minimumBackoffSeconds: int(0, 600).optional(),
  maximumBackoffSeconds: int(0, 600).optional(),
  messageRetentionSeconds: retentionSeconds.optional(),
  retainAckedMessages: bool.optional(),
  expirationTtlSeconds: int(86_400, 31_536_000 * 10).optional(),
  filter: z
    .string(expected("a Pub/Sub filter expression"))
    .min(1, expected("a non-empty filter"))
    .optional(),
  enableMessageOrdering: bool.optional(),
  enableExactlyOnceDelivery: bool.optional(),
  maxDeliveryAttempts: int(5, 100).optional(),
  deadLetter: bool.optional(),
  pushEndpoint: httpsUrl.optional(),
  pushServiceAccountEmail: email.optional(),
  pushAudience: z.string(expected("an OIDC audience")).optional(),
  /** IAM members that pull from this subscription (`roles/pubsub.subscriber`). */
  subscribers: z.array(iamMember, expected("a list of IAM members")).default([]),
});

const topic = z.strictObject({
  name: shortName,
  messageRetentionSeconds: retentionSeconds.optional(),
  deadLetterRetentionSeconds: retentionSeconds.optional(),
  labels: labels.optional(),
  kmsKeyName: z
    .string(expected("a Cloud KMS key name"))
    .regex(
      /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/,
      expected("projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>"),
    )
    .optional(),
  allowedPersistenceRegions: z
    .array(region, expected("a list of regions"))
    .min(1, expected("at least one region"))
    .optional(),
  /** IAM members that publish to the topic (`roles/pubsub.publisher`). */
  publishers: z.array(iamMember, expected("a list of IAM members")).default([]),
  subscriptions: z.array(subscription, expected("a list of subscriptions")).default([]),
});

const notificationChannel = z.strictObject({
  name: shortName,
  email,
});

/** Sections that later parts of taskstack fill in; until then they take no keys. */
const reserved = z.strictObject(
  {},
  expected("an empty mapping (this section has no settings yet)"),
);

const environments = ["dev", "staging", "prod"] as const;

/** The `taskstack:` keys of a stack file. Provider keys (`gcp:`, `aws:`, `kubernetes:`) pass through. */
export const stackConfigSchema = z
  .strictObject({
    "taskstack:environment": z.enum(environments, expected(`one of ${environments.join(", ")}`)),
    /** Protect topics and subscriptions (Pulumi `protect`) so a stray change cannot delete them. */
    "taskstack:deletionProtection": bool.default(true),
    "taskstack:gcp": z.strictObject({
      project: projectId,
      region,
      labels: labels.default({}),
    }),
    "taskstack:monitoring": z
      .strictObject({
        notificationChannels: z
          .array(notificationChannel, expected("a list of notification channels"))
          .default([]),
      })
      .default({ notificationChannels: [] }),
    "taskstack:messaging": z
      .strictObject({ topics: z.array(topic, expected("a list of topics")).default([]) })
      .default({ topics: [] }),
    "taskstack:scheduling": reserved.optional(),
    "taskstack:spanner": reserved.optional(),
    "taskstack:kubernetes": reserved.optional(),
    "taskstack:aws": reserved.optional(),
    "gcp:project": z.string(expected("a GCP project id")).optional(),
  })
  .superRefine((c, ctx) => {
    const gcpProject = c["gcp:project"];
    if (gcpProject !== undefined && gcpProject !== c["taskstack:gcp"].project) {
      ctx.addIssue({
        code: "custom",
        path: ["gcp:project"],
        message: `expected the same project as taskstack:gcp.project (${c["taskstack:gcp"].project})`,
        input: gcpProject,
      });
    }
    uniqueNames(ctx, c["taskstack:messaging"].topics, ["taskstack:messaging", "topics"]);
    c["taskstack:messaging"].topics.forEach((t, i) =>
      uniqueNames(ctx, t.subscriptions, ["taskstack:messaging", "topics", i, "subscriptions"]),
    );
    uniqueNames(ctx, c["taskstack:monitoring"].notificationChannels, [
      "taskstack:monitoring",
      "notificationChannels",
    ]);
    if (c["taskstack:environment"] !== "prod") return;
    // Prod invariants live here, not in convention: a prod stack that breaks one does not deploy.
    if (!c["taskstack:deletionProtection"]) {
      ctx.addIssue({
        code: "custom",
        path: ["taskstack:deletionProtection"],
        message: "expected true in prod (stateful resources must be protected from deletion)",
        input: false,
      });
    }
    if (c["taskstack:monitoring"].notificationChannels.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["taskstack:monitoring", "notificationChannels"],
        message: "expected at least one notification channel in prod (alerts must reach someone)",
        input: [],
      });
    }
    c["taskstack:messaging"].topics.forEach((t, i) =>
      t.subscriptions.forEach((s, j) => {
        if (s.deadLetter === false) {
          ctx.addIssue({
            code: "custom",
            path: ["taskstack:messaging", "topics", i, "subscriptions", j, "deadLetter"],
            message: "expected true in prod (a poison message would otherwise be retried forever)",
            input: false,
          });
        }
      }),
    );
  });

export type StackConfig = z.output<typeof stackConfigSchema>;
export type TopicConfig = StackConfig["taskstack:messaging"]["topics"][number];

function uniqueNames(
  ctx: z.RefinementCtx,
  items: readonly { name: string }[],
  path: (string | number)[],
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.name)) {
      ctx.addIssue({
        code: "custom",
        path: [...path, i, "name"],
        message: "expected a name not used before in this list",
        input: item.name,
      });
    }
    seen.add(item.name);
  });
}

/**
 * Turns the values the Pulumi language host passes (all strings; objects JSON-encoded) into plain
 * values: `"3"` becomes 3, `"true"` true, `'{"a":1}'` an object, anything else stays a string.
 */
export function decodeConfigValues(
  values: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(values)) {
    try {
      out[key] = JSON.parse(text) as unknown;
    } catch {
      out[key] = text;
    }
  }
  return out;
}

/**
 * Validates a whole stack's config (keys as `namespace:key`). Returns the typed config, or throws
 * one TaskstackInputError with every problem, each as
 * `<file>: taskstack:<path>: expected <what>, got <value>`.
 */
export function parseStackConfig(raw: unknown, file = "stack config"): StackConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new TaskstackInputError([
      `${file}: config: expected a mapping of "namespace:key" to values, got ${describeValue(raw)}`,
    ]);
  }
  // Other namespaces belong to providers (gcp:region, kubernetes:context…) and are theirs to check.
  const ours: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key.startsWith("taskstack:") || key === "gcp:project") ours[key] = value;
  }
  const result = stackConfigSchema.safeParse(ours, { reportInput: true });
  if (result.success) return result.data;
  throw new TaskstackInputError(result.error.issues.flatMap((issue) => formatIssue(file, issue)));
}

type Issue = z.core.$ZodIssue;

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out || "config";
}

function formatIssue(file: string, issue: Issue): string[] {
  const input = (issue as { input?: unknown }).input;
  if (issue.code === "unrecognized_keys") {
    const known = knownKeys(issue.path);
    return issue.keys.map((key) => {
      const value =
        typeof input === "object" && input !== null
          ? (input as Record<string, unknown>)[key]
          : undefined;
      const hint = known.length > 0 ? `one of ${known.join(", ")}` : "no keys here";
      return `${file}: ${formatPath([...issue.path, key])}: unknown key (expected ${hint}), got ${describeValue(value)}`;
    });
  }
  return [`${file}: ${formatPath(issue.path)}: ${expectation(issue)}, got ${describeValue(input)}`];
}

/** Types in the words of a YAML stack file. */
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
function knownKeys(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = stackConfigSchema as unknown as z.ZodType;
  for (const part of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject)
      schema = (schema.shape as Record<string, z.ZodType>)[String(part)];
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
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
