import { z } from "zod";
import {
  TaskstackInputError,
  describeValue,
  isTaskstackInputError,
} from "../components/shared/errors";
import {
  bool,
  expected,
  gcpLabels,
  gcpProjectId,
  gcpRegion,
  always,
  pattern,
  parseOrThrow,
} from "../components/shared/schema";
import { awsRules, awsSection } from "./sections/aws";
import { kubernetesRules, kubernetesSection } from "./sections/kubernetes";
import { messagingRules, messagingSection } from "./sections/messaging";
import { monitoringRules, monitoringSection } from "./sections/monitoring";
import { environments, stackRules } from "./sections/rules";
import { schedulingRules, schedulingSection } from "./sections/scheduling";
import { spannerRules, spannerSection } from "./sections/spanner";

// The stack file's schema, composed from the sections in stacks/sections/, each built from the
// components' own schemas. Rules about one component's args live in that component's schema;
// what lives here and in the sections' rules spans a stack: derived names unique across
// components, and prod invariants.

/** `taskstack:gcp`: the project and region of the stack's Google Cloud resources. */
const gcpSectionSchema = z.strictObject(
  {
    project: gcpProjectId,
    region: gcpRegion,
    labels: gcpLabels.default({}),
    /**
     * Enable the Google APIs the stack uses, as code (never disabled on destroy). false for
     * organisations that manage APIs centrally. @default true
     */
    enableApis: bool.default(true),
  },
  expected("a mapping with project and region"),
);

/** An AWS region name as the provider takes it (`eu-west-1`, `us-gov-west-1`). */
const awsRegion = pattern(
  /^[a-z]{2}(?:-[a-z]+)?-[a-z]+-[0-9]+$/,
  "an AWS region such as eu-west-1",
);

/**
 * The keys of a stack's sections that declare Google Cloud resources when not empty: with any of
 * them, `taskstack:gcp` is required; without, a stack (an AWS-only one) needs no GCP project.
 */
function googleCloudUsers(c: Record<string, unknown>): string[] {
  const nonEmpty = (key: string, field: string): string[] => {
    const section = c[key];
    if (typeof section !== "object" || section === null) return [];
    const value = (section as Record<string, unknown>)[field];
    return (Array.isArray(value) ? value.length > 0 : value !== undefined)
      ? [`${key}.${field}`]
      : [];
  };
  const site = (c["taskstack:aws"] as { site?: Record<string, unknown> } | undefined)?.site;
  return [
    ...nonEmpty("taskstack:messaging", "topics"),
    ...nonEmpty("taskstack:messaging", "queues"),
    ...nonEmpty("taskstack:scheduling", "jobs"),
    ...nonEmpty("taskstack:scheduling", "appEngineCron"),
    ...nonEmpty("taskstack:scheduling", "appEngineQueue"),
    ...nonEmpty("taskstack:spanner", "instances"),
    ...nonEmpty("taskstack:monitoring", "notificationChannels"),
    ...nonEmpty("taskstack:monitoring", "pagerDuty"),
    ...nonEmpty("taskstack:monitoring", "slack"),
    // A Cloud DNS zone in the stack's own project (no cloudDnsProject of its own).
    ...(site?.["dnsValidation"] === "cloud-dns" && site["cloudDnsProject"] === undefined
      ? ["taskstack:aws.site.cloudDnsManagedZone"]
      : []),
  ];
}

/**
 * The `taskstack:` keys of a stack file. Provider keys (`gcp:`, `aws:`, `kubernetes:`) pass
 * through; `gcp:project` is checked against `taskstack:gcp.project`, and `aws:region` is required
 * by a site.
 */
export const stackConfigSchema = z
  .strictObject({
    "taskstack:environment": z.enum(environments, expected(`one of ${environments.join(", ")}`)),
    /** Protect stateful resources (Pulumi `protect`) so a stray change cannot delete them. */
    "taskstack:deletionProtection": bool.default(true),
    "taskstack:gcp": gcpSectionSchema.optional(),
    "taskstack:monitoring": monitoringSection,
    "taskstack:messaging": messagingSection,
    "taskstack:scheduling": schedulingSection,
    "taskstack:spanner": spannerSection,
    "taskstack:kubernetes": kubernetesSection,
    "taskstack:aws": awsSection,
    "gcp:project": z.string(expected("a GCP project id")).optional(),
    "aws:region": awsRegion.optional(),
  })
  .superRefine((raw, ctx) => {
    // Runs even when some keys failed, so stack-wide problems show with the others; each
    // section's rules see only a section that parsed.
    const c = raw as Record<string, unknown>;
    const project = (c["taskstack:gcp"] as { project?: unknown } | undefined)?.project;
    // Only against a project that is there: a missing taskstack:gcp is reported once, by itself.
    if (
      typeof project === "string" &&
      c["gcp:project"] !== undefined &&
      c["gcp:project"] !== project
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["gcp:project"],
        message: `expected the same project as taskstack:gcp.project (${String(project)})`,
        input: c["gcp:project"],
      });
    }
    const gcpUsers = googleCloudUsers(c);
    if (c["taskstack:gcp"] === undefined && gcpUsers.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["taskstack:gcp"],
        message: `expected a mapping with project and region: ${gcpUsers.join(", ")} declare${gcpUsers.length === 1 ? "s" : ""} Google Cloud resources`,
        input: undefined,
      });
    }
    const site = (c["taskstack:aws"] as { site?: unknown } | undefined)?.site;
    if (site !== undefined && c["aws:region"] === undefined) {
      // Without it the AWS provider takes AWS_REGION or the profile's region, whatever the
      // machine running `up` has: the bucket's region must be the stack's, not the shell's.
      ctx.addIssue({
        code: "custom",
        path: ["aws:region"],
        message:
          "expected the AWS region of the site's bucket, such as eu-west-1 (the certificate is made in us-east-1 whatever it is)",
        input: undefined,
        params: { fix: "Set it with `pulumi config set aws:region <region>`" },
      });
    }
    const environment = environments.find((e) => e === c["taskstack:environment"]);
    const rules = stackRules(environment, ctx);
    // Prod invariants live here, not in convention: a prod stack that breaks one does not deploy.
    if (environment === "prod" && c["taskstack:deletionProtection"] === false) {
      rules.problem(
        ["taskstack:deletionProtection"],
        "true in prod (stateful resources must be protected from deletion)",
        false,
      );
    }
    const section = <S extends z.ZodType>(
      key: string,
      schema: S,
      check: (value: z.output<S>, r: typeof rules) => void,
    ): void => {
      const parsed = schema.safeParse(c[key]);
      if (parsed.success) check(parsed.data, rules);
    };
    // Channels are Google Cloud Monitoring channels, for the alerts of the messaging, scheduling
    // and Spanner parts: a stack without those (an AWS-only one) alerts on nothing and needs
    // none, even in prod.
    const alerting = gcpUsers.some(
      (u) => !u.startsWith("taskstack:monitoring") && !u.startsWith("taskstack:aws"),
    );
    if (alerting) section("taskstack:monitoring", monitoringSection, monitoringRules);
    section("taskstack:messaging", messagingSection, messagingRules);
    section("taskstack:scheduling", schedulingSection, schedulingRules);
    section("taskstack:spanner", spannerSection, spannerRules);
    section("taskstack:kubernetes", kubernetesSection, kubernetesRules);
    section("taskstack:aws", awsSection, awsRules);
    jobTopicsDeclared(c, typeof project === "string" ? project : undefined, rules);
  }, always);

/**
 * A Cloud Scheduler job publishing to a topic of the stack's project that the stack does not
 * declare publishes into nothing (Pub/Sub refuses the publish, and the job fails every run).
 */
function jobTopicsDeclared(
  c: Record<string, unknown>,
  project: string | undefined,
  rules: ReturnType<typeof stackRules>,
): void {
  const messaging = messagingSection.safeParse(c["taskstack:messaging"]);
  const scheduling = schedulingSection.safeParse(c["taskstack:scheduling"]);
  if (!messaging.success || !scheduling.success || project === undefined) return;
  // Cloud Tasks API, OidcToken.service_account_email: "The service account must be within the
  // same project as the queue. The caller must have iam.serviceAccounts.actAs permission for the
  // service account." (the same OidcToken message is the queue-level override).
  // The OAuthToken message says the same.
  const sameProject = (email: string | undefined, at: (string | number)[], kind: string): void => {
    const owner =
      email === undefined
        ? undefined
        : /@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(email)?.[1];
    if (email !== undefined && owner !== undefined && owner !== project) {
      rules.problem(
        at,
        `a service account of the queue's project (${project}): Cloud Tasks refuses ${kind} account from another project`,
        email,
      );
    }
  };
  messaging.data.queues.forEach((q, i) => {
    const at = ["taskstack:messaging", "queues", i];
    sameProject(q.invokerServiceAccountEmail, [...at, "invokerServiceAccountEmail"], "an OIDC");
    sameProject(q.oauthServiceAccountEmail, [...at, "oauthServiceAccountEmail"], "an OAuth");
    sameProject(q.taskTokenServiceAccountEmail, [...at, "taskTokenServiceAccountEmail"], "a token");
  });
  for (const [name, t] of Object.entries(scheduling.data.appEngineQueue?.targets ?? {})) {
    sameProject(
      t.invokerServiceAccountEmail,
      ["taskstack:scheduling", "appEngineQueue", "targets", name, "invokerServiceAccountEmail"],
      "an OIDC",
    );
  }
  const declared = messaging.data.topics.map((t) => t.name);
  scheduling.data.jobs.forEach((j, i) => {
    if (j.topic === undefined) return;
    const own = `projects/${project}/topics/`;
    const name = j.topic.startsWith("projects/")
      ? j.topic.startsWith(own)
        ? j.topic.slice(own.length)
        : undefined
      : j.topic;
    if (name !== undefined && !declared.includes(name)) {
      rules.problem(
        ["taskstack:scheduling", "jobs", i, "topic"],
        `a topic the stack declares under taskstack:messaging.topics (${declared.join(", ") || "none"})`,
        j.topic,
        "Declare the topic, or name another project's topic by its full id",
      );
    }
  });
}

export type StackConfig = z.output<typeof stackConfigSchema>;
export type GcpConfig = z.output<typeof gcpSectionSchema>;

/**
 * `taskstack:gcp`, for code declaring Google Cloud resources: the schema requires it whenever the
 * stack has any, so its absence here is a bug, not bad input.
 */
export function gcpSection(config: StackConfig): GcpConfig {
  const gcp = config["taskstack:gcp"];
  if (gcp === undefined) {
    throw new Error(
      "taskstack: Google Cloud resources declared without taskstack:gcp, which parseStackConfig requires for them",
    );
  }
  return gcp;
}
export type { TopicConfig } from "./sections/messaging";

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
export function parseStackConfig(
  raw: unknown,
  file = "stack config",
  secretKeys?: ReadonlySet<string>,
): StackConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new TaskstackInputError([
      `${file}: config: expected a mapping of "namespace:key" to values, got ${describeValue(raw)}`,
    ]);
  }
  // Other namespaces belong to providers (gcp:region, kubernetes:context…) and are theirs to check.
  const ours: Record<string, unknown> = {};
  const typos: string[] = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key.startsWith("taskstack:") || key === "gcp:project" || key === "aws:region") {
      ours[key] = value;
    }
    const near = nearNamespace(key);
    if (near !== undefined) {
      typos.push(
        `${file}: ${key}: unknown namespace "${key.slice(0, key.indexOf(":") + 1)}" (did you mean ${near}${key.slice(key.indexOf(":"))}?), got ${describeValue(value)}`,
      );
    }
  }
  if (Object.keys(ours).length === 0 && typos.length === 0) {
    throw new TaskstackInputError([
      `${file}: config: expected taskstack: settings (taskstack:environment, taskstack:gcp, …), got none. Put the keys under \`config:\` in the stack file`,
    ]);
  }
  try {
    const parsed = parseOrThrow(stackConfigSchema, ours, `${file}: `, "config");
    if (typos.length > 0) throw new TaskstackInputError(typos);
    if (secretKeys !== undefined) refusePlainSecrets(parsed, file, secretKeys);
    return parsed;
  } catch (err) {
    if (typos.length === 0 || !isTaskstackInputError(err) || err.problems === typos) throw err;
    // `taskstak:gcp` is the missing `taskstack:gcp`: said once, by the typo's line.
    const meant = typos.map((t) => `${file}: ${/did you mean ([^?]+)\?/.exec(t)?.[1] ?? ""}:`);
    const rest = err.problems.filter((p) => !meant.some((m) => p.startsWith(m)));
    throw new TaskstackInputError([...typos, ...rest]);
  }
}

/** Namespaces a taskstack stack file uses: its own and its providers'. */
const namespaces = ["taskstack", "gcp", "aws", "kubernetes", "pulumi", "random"] as const;

/**
 * The namespace a key's unknown namespace is most likely a typo of (`gpc` → `gcp`): one or two
 * edits away, or the same letters swapped. Namespaces far from all of them belong to other
 * providers and pass.
 */
function nearNamespace(key: string): string | undefined {
  const at = key.indexOf(":");
  if (at <= 0) return undefined;
  const ns = key.slice(0, at);
  if ((namespaces as readonly string[]).includes(ns)) return undefined;
  const sorted = (t: string): string => [...t].sort().join("");
  return namespaces.find(
    (known) =>
      sorted(known) === sorted(ns) || editDistance(ns, known) <= (known.length > 4 ? 2 : 1),
  );
}

/** Levenshtein distance, for namespace typos (a few letters long). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/**
 * Refuses a PagerDuty key or Slack token written in plain text: Pulumi marks a config key secret
 * when its value holds a `secure:` value, so a section with channels that is not secret holds
 * them in plain text, in the stack file and in every checkout of it.
 */
function refusePlainSecrets(
  config: StackConfig,
  file: string,
  secretKeys: ReadonlySet<string>,
): void {
  const key = "taskstack:monitoring";
  if (secretKeys.has(key)) return;
  const m = config[key];
  const fields = [
    ...m.pagerDuty.map((_, i) => [`pagerDuty[${i}].serviceKey`, "<integration key>"] as const),
    ...m.slack.map((_, i) => [`slack[${i}].authToken`, "<OAuth token>"] as const),
  ];
  if (fields.length === 0) return;
  throw new TaskstackInputError(
    fields.map(
      ([path, what]) =>
        `${file}: ${key}.${path}: expected a secret (a secure: stack value), got plain text. Run: pulumi config set --path --secret '${key}.${path}' '${what}'`,
    ),
  );
}
