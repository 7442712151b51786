import { parseDocument } from "yaml";
import type { CloudTasksQueueArgs } from "../messaging/cloud-tasks-queue";
import { validateCloudTasksQueueArgs } from "../messaging/cloud-tasks-queue";
import { isTimeZone, normalizeTimeZone } from "../../lib/cron";
import { TaskstackInputError, describeValue, isTaskstackInputError } from "../shared/errors";
import { formatIssues, formatPath } from "../shared/schema";
import { parseAppEngineSchedule } from "./app-engine-schedule";
import type { CloudSchedulerJobArgs } from "./cloud-scheduler-job";
import { validateCloudSchedulerJobArgs } from "./cloud-scheduler-job";
import { appEngineTargetsSchema } from "./app-engine-import-schema";

// Legacy App Engine cron.yaml and queue.yaml, turned into typed CloudSchedulerJobArgs and
// CloudTasksQueueArgs. What keeps its meaning exactly is translated; a cron schedule unix cron
// cannot express is kept in the App Engine format Cloud Scheduler accepts, with a note saying so;
// what neither service can express is refused, naming the entry, why, and the nearest alternative.

/** Where an App Engine service (a `target`) runs now. */
export interface AppEngineTarget {
  /** Base URL the entries' `url` paths are appended to, e.g. `https://reports-x-ew.a.run.app`. */
  readonly baseUrl: string;
  /** Cloud Run service behind baseUrl (cron jobs call it with OIDC). @default - none */
  readonly cloudRunService?: string;
  /** Cloud Function behind baseUrl (cron jobs call it with OIDC). @default - none */
  readonly cloudFunction?: string;
  /** Generation of cloudFunction (as in `CloudSchedulerJobArgs`). @default 2 */
  readonly cloudFunctionGeneration?: 1 | 2;
  /**
   * Service account queues dispatch with (OIDC) to this target; the token's audience is
   * baseUrl's origin. @default - none
   */
  readonly invokerServiceAccountEmail?: string;
}

export interface AppEngineImportOptions {
  /** Region of the jobs and queues. */
  readonly region: string;
  /** Where each App Engine service runs now; `default` serves entries without a `target`. */
  readonly targets: Readonly<Record<string, AppEngineTarget>>;
  /** Names the file in messages. @default "cron.yaml" or "queue.yaml" */
  readonly source?: string;
}

/** One translated entry: the component name, its args, and what the plan should say about it. */
export interface ImportedEntry<A> {
  readonly name: string;
  readonly args: A;
  readonly notes: readonly string[];
}

interface Problem {
  readonly path: readonly (string | number)[];
  readonly expected: string;
  readonly input: unknown;
  readonly fix?: string;
}

class Problems {
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

function formatProblem(source: string, p: Problem): string {
  return `${source}: ${formatPath(p.path, "file")}: expected ${p.expected}, got ${describeValue(p.input)}${p.fix ? `. ${p.fix}` : ""}`;
}

function readYaml(text: unknown, source: string, key: string): unknown[] {
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

function checkTargets(options: AppEngineImportOptions, source: string): void {
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
function ageSeconds(value: unknown): number | undefined {
  const m = typeof value === "string" ? /^(\d+(?:\.\d+)?)([smhd])$/.exec(value.trim()) : null;
  if (!m) return undefined;
  const n = Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as "s" | "m" | "h" | "d"];
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** A name taskstack can use for an entry: its description or url, lowercased to a slug. */
function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .replace(/^[^a-z]+/, "")
    .slice(0, 50)
    .replace(/-+$/, "");
  return s || "job";
}

type Entry = Record<string, unknown>;

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

function asEntry(
  value: unknown,
  at: (string | number)[],
  problems: Problems,
  what: string,
): Entry | undefined {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Entry;
  problems.add(at, what, value);
  return undefined;
}

function unknownKeys(
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

const cronKeys = [
  "url",
  "schedule",
  "description",
  "timezone",
  "target",
  "retry_parameters",
] as const;
const cronRetryKeys = [
  "job_retry_limit",
  "job_age_limit",
  "min_backoff_seconds",
  "max_backoff_seconds",
  "max_doublings",
] as const;

function wholeSeconds(
  r: Entry,
  key: string,
  at: (string | number)[],
  problems: Problems,
  max: number,
): number | undefined {
  const v = r[key];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > max) {
    problems.add(
      [...at, key],
      `whole seconds from 1 to ${max} (as CloudSchedulerJob takes them)`,
      v,
    );
    return undefined;
  }
  return v;
}

/**
 * Turns a cron.yaml into CloudSchedulerJobArgs, one per entry, or throws one TaskstackInputError
 * naming every entry that cannot be translated (`cron.yaml: cron[2].schedule: expected …, got …`).
 * A schedule unix cron cannot express exactly is kept as `legacySchedule`, and the entry's notes
 * say so. `job_age_limit` becomes `maxRetryDurationSeconds` exactly (both services retry until it
 * and `job_retry_limit` are reached).
 */
export function importAppEngineCron(
  yamlText: string,
  options: AppEngineImportOptions,
): ImportedEntry<CloudSchedulerJobArgs>[] {
  const source = options?.source ?? "cron.yaml";
  const entries = readYaml(yamlText, source, "cron");
  checkTargets(options, source);
  const problems = new Problems();
  const out: ImportedEntry<CloudSchedulerJobArgs>[] = [];
  const used = new Set<string>();
  entries.forEach((raw, i) => {
    const at: (string | number)[] = ["cron", i];
    const e = asEntry(raw, at, problems, "a cron entry: a mapping with url and schedule");
    if (!e) return;
    unknownKeys(e, cronKeys, at, problems);
    const before = problems.list.length;
    const url = e["url"];
    if (typeof url !== "string" || !url.startsWith("/")) {
      problems.add([...at, "url"], "a path on the app, starting with /", url);
    }
    const description = e["description"];
    if (description !== undefined && typeof description !== "string") {
      problems.add([...at, "description"], "a description, as text", description);
    }
    const targetName = e["target"] ?? "default";
    const target = typeof targetName === "string" ? options.targets[targetName] : undefined;
    if (target === undefined) {
      problems.add(
        [...at, "target"],
        `a target the import knows (${Object.keys(options.targets).join(", ") || "none given"})`,
        e["target"],
        `Add ${typeof targetName === "string" ? JSON.stringify(targetName) : "it"} to the import's targets with the URL where that service runs now`,
      );
    } else if (
      target.cloudRunService === undefined &&
      target.cloudFunction === undefined &&
      !hostOf(target.baseUrl).endsWith(".googleapis.com")
    ) {
      problems.add(
        [...at, "target"],
        `a target with a cloudRunService or cloudFunction (the job must authenticate to it)`,
        targetName,
      );
    }
    const tzRaw = e["timezone"] ?? "Etc/UTC";
    if (typeof tzRaw !== "string" || !isTimeZone(tzRaw)) {
      problems.add([...at, "timezone"], "an IANA time zone such as Europe/Paris", e["timezone"]);
    }
    const schedule = parseAppEngineSchedule(
      e["schedule"],
      typeof tzRaw === "string" && isTimeZone(tzRaw) ? normalizeTimeZone(tzRaw) : "Etc/UTC",
    );
    if (schedule.kind === "invalid")
      problems.add([...at, "schedule"], schedule.expected, e["schedule"]);
    const retry: Partial<CloudSchedulerJobArgs> = { retryCount: 0 };
    if (e["retry_parameters"] !== undefined) {
      const r = asEntry(
        e["retry_parameters"],
        [...at, "retry_parameters"],
        problems,
        "a mapping of retry parameters",
      );
      if (r) {
        const rat = [...at, "retry_parameters"];
        unknownKeys(r, cronRetryKeys, rat, problems);
        const limit = r["job_retry_limit"];
        if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 0 || limit > 5) {
          problems.add(
            [...rat, "job_retry_limit"],
            "an integer from 0 to 5 (Cloud Scheduler retries a run at most 5 times, and needs the count)",
            limit,
          );
        }
        const age = r["job_age_limit"];
        if (age !== undefined && ageSeconds(age) === undefined) {
          problems.add([...rat, "job_age_limit"], "an age such as 30s, 10m, 2h or 1d", age);
        }
        const doublings = r["max_doublings"];
        if (
          doublings !== undefined &&
          (typeof doublings !== "number" ||
            !Number.isInteger(doublings) ||
            doublings < 0 ||
            doublings > 16)
        ) {
          problems.add([...rat, "max_doublings"], "an integer from 0 to 16", doublings);
        }
        const minB = wholeSeconds(r, "min_backoff_seconds", rat, problems, 3600);
        const maxB = wholeSeconds(r, "max_backoff_seconds", rat, problems, 3600);
        Object.assign(retry, {
          retryCount: limit as number,
          ...(age !== undefined ? { maxRetryDurationSeconds: ageSeconds(age) } : {}),
          ...(minB !== undefined ? { minBackoffSeconds: minB } : {}),
          ...(maxB !== undefined ? { maxBackoffSeconds: maxB } : {}),
          ...(typeof doublings === "number" ? { maxDoublings: doublings } : {}),
        });
      }
    }
    if (problems.list.length > before || target === undefined || schedule.kind === "invalid")
      return;
    let name = slug(typeof description === "string" && description ? description : (url as string));
    for (let n = 2; used.has(name); n++) name = `${slug(name).slice(0, 45)}-${n}`;
    used.add(name);
    const notes =
      schedule.kind === "legacy"
        ? [
            `schedule "${schedule.schedule}" kept in App Engine's format (${schedule.why}); Cloud Scheduler runs it as written`,
          ]
        : [];
    const args: CloudSchedulerJobArgs = {
      region: options.region,
      jobName: name,
      ...(typeof description === "string" ? { description } : {}),
      ...(schedule.kind === "cron"
        ? { schedule: schedule.cron }
        : { legacySchedule: schedule.schedule }),
      timeZone: normalizeTimeZone(tzRaw as string),
      ...retry,
      uri: `${target.baseUrl.replace(/\/+$/, "")}${url as string}`,
      // App Engine cron sends GET requests.
      httpMethod: "GET",
      ...(target.cloudRunService !== undefined ? { cloudRunService: target.cloudRunService } : {}),
      ...(target.cloudFunction !== undefined ? { cloudFunction: target.cloudFunction } : {}),
      ...(target.cloudFunctionGeneration !== undefined
        ? { cloudFunctionGeneration: target.cloudFunctionGeneration }
        : {}),
    };
    try {
      validateCloudSchedulerJobArgs(name, args);
    } catch (err) {
      if (!isTaskstackInputError(err)) throw err;
      for (const p of err.problems) problems.add(at, `an entry that translates (${p})`, raw);
      return;
    }
    out.push({ name, args, notes });
  });
  problems.throwIfAny(source);
  return out;
}

const queueKeys = [
  "name",
  "mode",
  "rate",
  "bucket_size",
  "max_concurrent_requests",
  "retry_parameters",
  "target",
  "acl",
] as const;
const queueRetryKeys = [
  "task_retry_limit",
  "task_age_limit",
  "min_backoff_seconds",
  "max_backoff_seconds",
  "max_doublings",
] as const;
const rateUnits = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/**
 * Turns a queue.yaml into CloudTasksQueueArgs, one per push queue, or throws one
 * TaskstackInputError naming every entry that cannot be translated. Pull queues are refused:
 * Cloud Tasks has none; a Pub/Sub topic with a pull subscription is the nearest alternative.
 * Settings left out take the values Cloud Tasks gives a queue.yaml queue (1000 concurrent,
 * backoff 0.1 s–3600 s, 16 doublings). `task_age_limit` becomes `maxRetryDurationSeconds`
 * exactly: App Engine and Cloud Tasks both retry until both it and `task_retry_limit` are
 * reached, and the entry's notes say so when both are set. A target's
 * `invokerServiceAccountEmail` dispatches with OIDC, its audience baseUrl's origin.
 */
export function importAppEngineQueues(
  yamlText: string,
  options: AppEngineImportOptions,
): ImportedEntry<CloudTasksQueueArgs>[] {
  const source = options?.source ?? "queue.yaml";
  const entries = readYaml(yamlText, source, "queue");
  checkTargets(options, source);
  const problems = new Problems();
  const out: ImportedEntry<CloudTasksQueueArgs>[] = [];
  entries.forEach((raw, i) => {
    const at: (string | number)[] = ["queue", i];
    const e = asEntry(raw, at, problems, "a queue entry: a mapping with a name");
    if (!e) return;
    unknownKeys(e, queueKeys, at, problems);
    const before = problems.list.length;
    const name = e["name"];
    if (typeof name !== "string" || !/^[A-Za-z0-9-]{1,100}$/.test(name)) {
      problems.add([...at, "name"], "a queue name: 1–100 letters, digits or -", name);
    }
    if (e["mode"] === "pull" || e["acl"] !== undefined) {
      problems.add(
        [...at, e["mode"] === "pull" ? "mode" : "acl"],
        "a push queue (Cloud Tasks has no pull queues)",
        e["mode"] ?? e["acl"],
        "Use a Pub/Sub topic with a pull subscription (messaging.PubSubTopic) instead",
      );
      return;
    }
    if (e["mode"] !== undefined && e["mode"] !== "push") {
      problems.add([...at, "mode"], "push or pull", e["mode"]);
    }
    let rate: number | undefined;
    const rateText = e["rate"];
    const m =
      typeof rateText === "string" ? /^(\d+(?:\.\d+)?)\/([smhd])$/.exec(rateText.trim()) : null;
    if (m) rate = Number(m[1]) / rateUnits[m[2] as keyof typeof rateUnits];
    if (rate === undefined || rate <= 0 || rate > 500) {
      problems.add(
        [...at, "rate"],
        "a rate above 0 and at most 500/s, such as 5/s, 10/m, 1/h or 1/d",
        rateText,
        rate === 0 ? "A queue at rate 0 is paused: pause it in Cloud Tasks instead" : undefined,
      );
    }
    if (e["bucket_size"] !== undefined) {
      problems.add(
        [...at, "bucket_size"],
        "no bucket_size (Cloud Tasks sets a queue's burst size itself from its rate)",
        e["bucket_size"],
        "Remove it to accept Cloud Tasks' burst size",
      );
    }
    const conc = e["max_concurrent_requests"];
    if (
      conc !== undefined &&
      (typeof conc !== "number" || !Number.isInteger(conc) || conc < 1 || conc > 5000)
    ) {
      problems.add([...at, "max_concurrent_requests"], "an integer from 1 to 5000", conc);
    }
    const targetName = e["target"];
    const target = typeof targetName === "string" ? options.targets[targetName] : undefined;
    if (targetName !== undefined && target === undefined) {
      problems.add(
        [...at, "target"],
        `a target the import knows (${Object.keys(options.targets).join(", ") || "none given"})`,
        targetName,
        `Add ${JSON.stringify(targetName)} to the import's targets with the URL where that service runs now`,
      );
    }
    const retry: Partial<CloudTasksQueueArgs> = {};
    const r =
      e["retry_parameters"] === undefined
        ? {}
        : asEntry(
            e["retry_parameters"],
            [...at, "retry_parameters"],
            problems,
            "a mapping of retry parameters",
          );
    if (r) {
      const rat = [...at, "retry_parameters"];
      unknownKeys(r, queueRetryKeys, rat, problems);
      const limit = r["task_retry_limit"];
      const age = r["task_age_limit"];
      if (
        limit !== undefined &&
        (typeof limit !== "number" || !Number.isInteger(limit) || limit < 0 || limit > 99)
      ) {
        problems.add(
          [...rat, "task_retry_limit"],
          "an integer from 0 to 99 (Cloud Tasks allows 100 attempts)",
          limit,
        );
      }
      if (age !== undefined && ageSeconds(age) === undefined) {
        problems.add([...rat, "task_age_limit"], "an age such as 30s, 10m, 2h or 1d", age);
      }
      if (limit === undefined && age === undefined) {
        problems.add(
          [...rat, "task_retry_limit"],
          "a retry limit (without task_retry_limit or task_age_limit a task is retried forever)",
          undefined,
          "Set task_retry_limit, or task_age_limit to bound retries by time",
        );
      }
      const backoff = (key: string): number | undefined => {
        const v = r[key];
        if (v === undefined) return undefined;
        if (typeof v !== "number" || v < 0.1 || v > 3600) {
          problems.add([...rat, key], "seconds from 0.1 to 3600", v);
          return undefined;
        }
        return v;
      };
      const doublings = r["max_doublings"];
      if (
        doublings !== undefined &&
        (typeof doublings !== "number" ||
          !Number.isInteger(doublings) ||
          doublings < 0 ||
          doublings > 16)
      ) {
        problems.add([...rat, "max_doublings"], "an integer from 0 to 16", doublings);
      }
      Object.assign(retry, {
        ...(typeof limit === "number"
          ? { maxAttempts: limit + 1 }
          : { allowUnlimitedRetries: true }),
        ...(age !== undefined ? { maxRetryDurationSeconds: ageSeconds(age) } : {}),
        minBackoffSeconds: backoff("min_backoff_seconds") ?? 0.1,
        maxBackoffSeconds: backoff("max_backoff_seconds") ?? 3600,
        maxDoublings: typeof doublings === "number" ? doublings : 16,
      });
    }
    if (problems.list.length > before) return;
    const args: CloudTasksQueueArgs = {
      location: options.region,
      queueName: name as string,
      maxDispatchesPerSecond: rate as number,
      maxConcurrentDispatches: typeof conc === "number" ? conc : 1000,
      ...retry,
      ...(target !== undefined
        ? {
            targetHost: hostOf(target.baseUrl),
            ...(target.invokerServiceAccountEmail !== undefined
              ? {
                  invokerServiceAccountEmail: target.invokerServiceAccountEmail,
                  // Cloud Tasks needs an audience beside a queue-level OIDC account.
                  oidcAudience: new URL(target.baseUrl).origin,
                }
              : {}),
          }
        : {}),
    };
    try {
      validateCloudTasksQueueArgs(name, args);
    } catch (err) {
      if (!isTaskstackInputError(err)) throw err;
      for (const p of err.problems) problems.add(at, `an entry that translates (${p})`, raw);
      return;
    }
    const notes =
      retry.maxAttempts !== undefined && retry.maxRetryDurationSeconds !== undefined
        ? [
            `task_retry_limit and task_age_limit kept together as maxAttempts ${retry.maxAttempts} and maxRetryDurationSeconds ${retry.maxRetryDurationSeconds}: as in App Engine, a failing task is retried until both are reached, so the age limit lengthens retries rather than cutting them short`,
          ]
        : [];
    out.push({ name: name as string, args, notes });
  });
  problems.throwIfAny(source);
  return out;
}
