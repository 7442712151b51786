import type { CloudSchedulerJobArgs } from "./cloud-scheduler-job";
import { validateCloudSchedulerJobArgs } from "./cloud-scheduler-job";
import { isTimeZone, normalizeTimeZone } from "../../lib/cron";
import { TaskstackInputError, isTaskstackInputError } from "../shared/errors";
import { formatIssues } from "../shared/schema";
import { parseAppEngineSchedule } from "./app-engine-schedule";
import {
  Problems,
  ageSeconds,
  appEngineAttemptDeadlinesSchema,
  appEngineCronDeadlineSeconds,
  asEntry,
  checkTargets,
  hostOf,
  readYaml,
  slug,
  unknownKeys,
  isWholeIn,
  maxDoublings,
} from "./app-engine-yaml";
import type { AppEngineImportOptions, ImportedEntry } from "./app-engine-types";
import type { Entry } from "./app-engine-yaml";

// App Engine's cron.yaml, turned into typed CloudSchedulerJobArgs: what keeps its meaning exactly
// is translated; a schedule unix cron cannot express is kept in the App Engine format Cloud
// Scheduler accepts, with a note saying so; what neither service can express is refused, naming
// the entry, why, and the nearest alternative. The keys an entry may have are App Engine's own
// (CronEntry in the Cloud SDK's googlecloudsdk/appengine/api/croninfo.py: url, schedule,
// timezone, description, retry_parameters, target).

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

/** Checks the import's per-entry deadlines (`attemptDeadlineSeconds`) as an option. */
function checkDeadlines(options: AppEngineImportOptions, source: string): void {
  if (options?.attemptDeadlineSeconds === undefined) return;
  const parsed = appEngineAttemptDeadlinesSchema.safeParse(options.attemptDeadlineSeconds, {
    reportInput: true,
  });
  if (!parsed.success) {
    throw new TaskstackInputError(
      formatIssues(
        `${source}: import option `,
        parsed.error.issues,
        appEngineAttemptDeadlinesSchema,
        "attemptDeadlineSeconds",
      ).map((l) => l.replace("import option ", "import option attemptDeadlineSeconds.")),
    );
  }
}

/**
 * App Engine sent `X-Appengine-Cron: true` with every cron request and stripped it from any other
 * request, so handlers check it ("Validating cron requests",
 * cloud.google.com/appengine/docs/standard/scheduling-jobs-with-cron-yaml). Cloud Scheduler sends
 * `X-CloudScheduler`, `X-CloudScheduler-JobName` and `X-CloudScheduler-ScheduleTime` instead, and
 * `X-AppEngine-*` headers are Google's own, which a job cannot set (HttpTarget.headers,
 * cloud.google.com/scheduler/docs/reference/rest/v1/projects.locations.jobs#HttpTarget).
 */
function cronHeaderNote(jobName: string): string {
  return `Cloud Scheduler does not send X-Appengine-Cron (App Engine did, with every cron request): a handler that checks it refuses these calls. Check the caller another way: the job calls with an OIDC token of its own account (sched-${jobName}), which only it can get through Cloud Run's or Cloud Functions' invoker check; X-CloudScheduler headers can be sent by anyone`;
}

/**
 * Turns a cron.yaml into CloudSchedulerJobArgs, one per entry, or throws one TaskstackInputError
 * naming every entry that cannot be translated (`cron.yaml: cron[2].schedule: expected …, got …`).
 * A schedule unix cron cannot express exactly is kept as `legacySchedule`, and the entry's notes
 * say so. `job_age_limit` becomes `maxRetryDurationSeconds` exactly (both services retry until it
 * and `job_retry_limit` are reached). Each job gets App Engine's 10-minute request deadline as its
 * `attemptDeadlineSeconds` unless its target or `options.attemptDeadlineSeconds` says otherwise,
 * and a note that Cloud Scheduler does not send `X-Appengine-Cron`.
 */
export function importAppEngineCron(
  yamlText: string,
  options: AppEngineImportOptions,
): ImportedEntry<CloudSchedulerJobArgs>[] {
  const source = options?.source ?? "cron.yaml";
  const entries = readYaml(yamlText, source, "cron");
  checkTargets(options, source);
  checkDeadlines(options, source);
  const deadlines = options.attemptDeadlineSeconds ?? {};
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
        if (!isWholeIn(limit, 0, 5)) {
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
        const doublings = maxDoublings(r, rat, problems);
        const minB = wholeSeconds(r, "min_backoff_seconds", rat, problems, 3600);
        const maxB = wholeSeconds(r, "max_backoff_seconds", rat, problems, 3600);
        Object.assign(retry, {
          retryCount: limit as number,
          ...(age !== undefined ? { maxRetryDurationSeconds: ageSeconds(age) } : {}),
          ...(minB !== undefined ? { minBackoffSeconds: minB } : {}),
          ...(maxB !== undefined ? { maxBackoffSeconds: maxB } : {}),
          ...(doublings !== undefined ? { maxDoublings: doublings } : {}),
        });
      }
    }
    if (problems.list.length > before || target === undefined || schedule.kind === "invalid")
      return;
    let name = slug(typeof description === "string" && description ? description : (url as string));
    for (let n = 2; used.has(name); n++) name = `${slug(name).slice(0, 45)}-${n}`;
    used.add(name);
    const deadline = deadlines[name] ?? target.attemptDeadlineSeconds;
    const notes = [
      ...(schedule.kind === "legacy"
        ? [
            `schedule "${schedule.schedule}" kept in App Engine's format (${schedule.why}); Cloud Scheduler runs it as written`,
          ]
        : []),
      ...(deadline === undefined
        ? [
            `attempt deadline ${appEngineCronDeadlineSeconds} s, App Engine's 10 minutes for a cron request (Cloud Scheduler's own default is 180 s); set attemptDeadlineSeconds for this job or its target to change it (at most 1800 s)`,
          ]
        : []),
      cronHeaderNote(name),
    ];
    const args: CloudSchedulerJobArgs = {
      region: options.region,
      jobName: name,
      ...(typeof description === "string" ? { description } : {}),
      ...(schedule.kind === "cron"
        ? { schedule: schedule.cron }
        : { legacySchedule: schedule.schedule }),
      timeZone: normalizeTimeZone(tzRaw as string),
      ...retry,
      attemptDeadlineSeconds: deadline ?? appEngineCronDeadlineSeconds,
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
  // A deadline for a job the file does not have is a typo, never silently ignored.
  for (const [job, seconds] of Object.entries(deadlines)) {
    if (!used.has(job)) {
      problems.add(
        ["import option attemptDeadlineSeconds", job],
        `a job this file declares (${[...used].join(", ") || "none"})`,
        seconds,
        "Name the job as the plan shows it",
      );
    }
  }
  problems.throwIfAny(source);
  return out;
}
