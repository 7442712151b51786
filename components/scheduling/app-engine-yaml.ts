import { parseDocument } from "yaml";
import { z } from "zod";
import { TaskstackInputError, describeValue } from "../shared/errors";
import {
  expected,
  formatIssues,
  formatPath,
  httpsUrl,
  int,
  serviceAccountEmail,
  shortName,
} from "../shared/schema";
import type { AppEngineImportOptions } from "./app-engine-types";
import { cloudSchedulerJobShape, httpAttemptDeadline } from "./cloud-scheduler-job-schema";

// What the App Engine importers (app-engine-import.ts for cron.yaml, app-engine-queue-import.ts
// for queue.yaml) share: reading the legacy YAML, the targets, and how problems are reported.
// Legacy App Engine cron.yaml and queue.yaml are turned into typed CloudSchedulerJobArgs and
// CloudTasksQueueArgs. What keeps its meaning exactly is translated; a cron schedule unix cron
// cannot express is kept in the App Engine format Cloud Scheduler accepts, with a note saying so;
// what neither service can express is refused, naming the entry, why, and the nearest alternative.

export type { AppEngineImportOptions, AppEngineTarget, ImportedEntry } from "./app-engine-types";

/**
 * App Engine gave a cron request the deadline of any request to its service: 10 minutes under
 * automatic scaling ("A cron job request is subject to the same limits as those for push task
 * queues", cloud.google.com/appengine/docs/standard/scheduling-jobs-with-cron-yaml; push task
 * requests: 10 minutes, cloud.google.com/appengine/docs/standard/how-instances-are-managed).
 * Cloud Scheduler's default for HTTP targets is 3 minutes, its range 15 s to 30 minutes
 * (Job.attempt_deadline, cloud.google.com/scheduler/docs/reference/rest/v1/projects.locations.jobs).
 */
export const appEngineCronDeadlineSeconds = 600;

const attemptDeadlineSeconds = int(httpAttemptDeadline.min, httpAttemptDeadline.max);

/** Per entry, by job name: the attempt deadline in seconds. */
export const appEngineAttemptDeadlinesSchema = z.record(
  z.string(expected("a job name")),
  attemptDeadlineSeconds,
  expected("a map of job names to attempt deadlines in seconds"),
);

export const appEngineTargetSchema = z.strictObject(
  {
    baseUrl: httpsUrl,
    cloudRunService: shortName.optional(),
    cloudFunction: z.string(expected("a function name")).optional(),
    cloudFunctionGeneration: cloudSchedulerJobShape.cloudFunctionGeneration,
    invokerServiceAccountEmail: serviceAccountEmail.optional(),
    attemptDeadlineSeconds: attemptDeadlineSeconds.optional(),
  },
  expected("a target: a mapping with a baseUrl"),
);

export const appEngineTargetsSchema = z.record(
  z.string(expected("an App Engine service name")),
  appEngineTargetSchema,
  expected("a map of App Engine service names to where they run now"),
);

export interface Problem {
  readonly path: readonly (string | number)[];
  readonly expected: string;
  readonly input: unknown;
  readonly fix?: string;
}

export class Problems {
  readonly list: Problem[] = [];
  add(
    path: readonly (string | number)[],
    expectedText: string,
    input: unknown,
    fix?: string,
  ): void {
    this.list.push({ path, expected: expectedText, input, ...(fix ? { fix } : {}) });
  }
  throwIfAny(source: string): void {
    if (this.list.length === 0) return;
    throw new TaskstackInputError(this.list.map((p) => formatProblem(source, p)));
  }
}

export function formatProblem(source: string, p: Problem): string {
  return `${source}: ${formatPath(p.path, "file")}: expected ${p.expected}, got ${describeValue(p.input)}${p.fix ? `. ${p.fix}` : ""}`;
}

export function readYaml(text: unknown, source: string, key: string): unknown[] {
  if (typeof text !== "string") {
    throw new TaskstackInputError([
      `${source}: expected the file's text, got ${describeValue(text)}`,
    ]);
  }
  let doc: unknown;
  try {
    // A warning (an unknown tag such as `!foo`) is refused too, never read as plain text.
    const parsed = parseDocument(text, { logLevel: "silent" });
    const [problem] = [...parsed.errors, ...parsed.warnings];
    if (problem !== undefined) throw problem;
    doc = parsed.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new TaskstackInputError([`${source}: expected YAML (${why})`]);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new TaskstackInputError([
      `${source}: expected a mapping with a ${key} list, got ${describeValue(doc)}`,
    ]);
  }
  const entries = (doc as Record<string, unknown>)[key];
  const others = Object.keys(doc).filter((k) => k !== key);
  const problems = new Problems();
  for (const k of others) {
    problems.add(
      [k],
      k === "total_storage_limit"
        ? `no total_storage_limit (Cloud Tasks has no storage limit to set)`
        : `only the ${key} key`,
      (doc as Record<string, unknown>)[k],
      "Remove it",
    );
  }
  if (!Array.isArray(entries)) problems.add([key], `a list of ${key} entries`, entries);
  problems.throwIfAny(source);
  return entries as unknown[];
}

export function checkTargets(options: AppEngineImportOptions, source: string): void {
  const parsed = appEngineTargetsSchema.safeParse(options?.targets, { reportInput: true });
  if (!parsed.success) {
    throw new TaskstackInputError(
      formatIssues(
        `${source}: import option `,
        parsed.error.issues,
        appEngineTargetsSchema,
        "targets",
      ).map((l) => l.replace("import option ", "import option targets.")),
    );
  }
}

/** Seconds of an App Engine age limit such as `2d`, `30m`, `90s`; undefined if malformed. */
export function ageSeconds(value: unknown): number | undefined {
  const m = typeof value === "string" ? /^(\d+(?:\.\d+)?)([smhd])$/.exec(value.trim()) : null;
  if (!m) return undefined;
  const n = Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as "s" | "m" | "h" | "d"];
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** A name taskstack can use for an entry: its description or url, lowercased to a slug. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .replace(/^[^a-z]+/, "")
    .slice(0, 50)
    .replace(/-+$/, "");
  return s || "job";
}

export type Entry = Record<string, unknown>;

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

export function asEntry(
  value: unknown,
  at: (string | number)[],
  problems: Problems,
  what: string,
): Entry | undefined {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Entry;
  problems.add(at, what, value);
  return undefined;
}

export function unknownKeys(
  e: Entry,
  known: readonly string[],
  at: (string | number)[],
  problems: Problems,
): void {
  for (const k of Object.keys(e)) {
    if (!known.includes(k))
      problems.add(
        [...at, k],
        `one of ${known.join(", ")}`,
        e[k],
        "Remove it or translate it by hand",
      );
  }
}

/** Whether a YAML value is a whole number from min to max. */
export function isWholeIn(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * `retry_parameters.max_doublings`, shared by cron.yaml and queue.yaml: at most 16 (the limit App
 * Engine, Cloud Scheduler and Cloud Tasks share); undefined when absent or refused.
 */
export function maxDoublings(
  r: Entry,
  at: (string | number)[],
  problems: Problems,
): number | undefined {
  const doublings = r["max_doublings"];
  if (doublings === undefined) return undefined;
  if (isWholeIn(doublings, 0, 16)) return doublings;
  problems.add([...at, "max_doublings"], "an integer from 0 to 16", doublings);
  return undefined;
}
