import { z } from "zod";
import {
  cronProblem,
  cronSchedule,
  daylightSavingHazard,
  daylightSavingProblem,
  isTimeZone,
  timeZone,
} from "../../lib/cron";
import {
  componentNotes,
  always,
  bool,
  expected,
  gcpProjectId,
  gcpRegion,
  httpsUrl,
  int,
  pattern,
  problem,
  shortName,
} from "../shared/schema";
import { parseAppEngineSchedule } from "./app-engine-schedule";

// CloudSchedulerJob's one args schema: the component validates with it, and the stack file's
// jobs (stacks/sections/scheduling.ts) are built from its shape and rules.

/** What a job gets for each setting left out (documented as `@default` on its args). */
export const jobDefaults = {
  retryCount: 3,
  minBackoffSeconds: 5,
  maxBackoffSeconds: 3600,
  maxDoublings: 5,
  attemptDeadlineSeconds: 180,
  oauthScope: "https://www.googleapis.com/auth/cloud-platform",
  httpMethod: "POST",
  cloudFunctionGeneration: 2,
} as const;

/** Cloud Scheduler's attempt deadline range for HTTP targets, in seconds (15 s to 30 min). */
export const httpAttemptDeadline = { min: 15, max: 1800 } as const;

/** `projects/<p>/topics/<t>`: what a Pub/Sub target names. */
export const topicIdPattern =
  /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/topics\/[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;
const topicId = pattern(topicIdPattern, "a topic id: projects/<project>/topics/<name>");

const legacySchedule = z
  .string(expected("an App Engine cron.yaml schedule"))
  .superRefine((text, ctx) => {
    const parsed = parseAppEngineSchedule(text);
    if (parsed.kind === "invalid") {
      ctx.addIssue({ code: "custom", message: `expected ${parsed.expected}`, input: text });
    }
  });

/** The HTTP methods a job can send. */
export const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

/** HTTP methods a job may send a body with (Cloud Scheduler refuses a body with any other). */
export const bodyMethods: readonly string[] = ["POST", "PUT", "PATCH"];

/** Any Cloud Functions function name; a 2nd gen one must also be a Cloud Run service name. */
const functionName = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

const stringMap = (what: string) =>
  z.record(
    z.string(expected(what)),
    z.string(expected(`${what} values as strings`)),
    expected(`a map of ${what}`),
  );

/** The fields of a job a stack file can hold too (the topic as an id, no channels). */
export const cloudSchedulerJobShape = {
  region: gcpRegion,
  jobName: pattern(/^[a-zA-Z0-9_-]{1,500}$/, "a job id: letters, digits, _ or -").optional(),
  description: z
    .string(expected("a description"))
    .max(500, expected("at most 500 characters"))
    .optional(),
  schedule: cronSchedule().optional(),
  legacySchedule: legacySchedule.optional(),
  timeZone,
  allowDaylightSavingTransitions: bool.optional(),
  paused: bool.optional(),
  retryCount: int(0, 5).optional(),
  minBackoffSeconds: int(1, 3600).optional(),
  maxBackoffSeconds: int(1, 3600).optional(),
  maxDoublings: int(0, 16).optional(),
  maxRetryDurationSeconds: int(0, 315_360_000).optional(),
  attemptDeadlineSeconds: int(httpAttemptDeadline.min, httpAttemptDeadline.max).optional(),
  data: z.string(expected("the message data, as text")).optional(),
  attributes: stringMap("message attributes").optional(),
  uri: httpsUrl.optional(),
  httpMethod: z.enum(httpMethods, expected("an HTTP method such as POST")).optional(),
  body: z.string(expected("the request body, as text")).optional(),
  headers: stringMap("HTTP headers").optional(),
  cloudRunService: shortName.optional(),
  cloudFunction: pattern(functionName, "a Cloud Functions function name").optional(),
  cloudFunctionGeneration: z
    .union([z.literal(1), z.literal(2)], expected("1 or 2 (the function's generation)"))
    .optional(),
  oidcAudience: z
    .string(expected("an OIDC audience"))
    .min(1, expected("an OIDC audience"))
    .optional(),
  oauthScope: pattern(/^https:\/\/\S+$/, "an OAuth scope URL").optional(),
  roles: z
    .array(
      pattern(
        /^(roles|projects\/[^/]+\/roles)\/[A-Za-z0-9_.]+$/,
        "an IAM role such as roles/run.invoker",
      ),
      expected("a list of IAM roles"),
    )
    .optional(),
  serviceAccountId: pattern(
    /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    "a service account id: 6–30 lowercase letters, digits or -, starting with a letter",
  ).optional(),
};

type JobLike = Partial<Record<keyof typeof cloudSchedulerJobShape | "topic", unknown>>;

const httpOnly = [
  "httpMethod",
  "body",
  "headers",
  "cloudRunService",
  "cloudFunction",
  "cloudFunctionGeneration",
  "oidcAudience",
  "oauthScope",
  "roles",
  "serviceAccountId",
  "attemptDeadlineSeconds",
] as const;
const pubsubOnly = ["data", "attributes"] as const;

/** True when a URL's host is a Google API (`*.googleapis.com`), which takes OAuth tokens. */
export function isGoogleApi(uri: unknown): boolean {
  if (typeof uri !== "string") return false;
  try {
    return new URL(uri).hostname.endsWith(".googleapis.com");
  } catch {
    return false;
  }
}

/**
 * A unix cron schedule whose local time falls in its zone's daylight-saving gap or overlap is
 * refused unless `allowDaylightSavingTransitions`: Cloud Scheduler "runs on wall clock time" and
 * for such times Google documents only that jobs "may run or not run unexpectedly"
 * (cloud.google.com/scheduler/docs/configuring/cron-job-schedules, "Time zone").
 */
function daylightSavingRule(job: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const { schedule, timeZone: tz } = job;
  if (job["allowDaylightSavingTransitions"] === true || typeof schedule !== "string") return;
  if (typeof tz !== "string" || !isTimeZone(tz) || cronProblem(schedule) !== undefined) return;
  const hazard = daylightSavingHazard(schedule, tz);
  if (hazard === undefined) return;
  const why = daylightSavingProblem(hazard, tz, "allowDaylightSavingTransitions");
  problem(ctx, ["schedule"], why.expected, schedule, why.fix);
}

/** Rules that span a job's fields. `topicKey` is where the Pub/Sub target sits. */
export function cloudSchedulerJobRules(topicKey: string) {
  return (j: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const job = j as JobLike & Record<string, unknown>;
    if ((job.schedule === undefined) === (job.legacySchedule === undefined)) {
      problem(
        ctx,
        ["schedule"],
        "either schedule (unix cron) or legacySchedule (an imported App Engine schedule), exactly one",
        job.schedule,
      );
    }
    daylightSavingRule(job, ctx);
    if (
      typeof job.legacySchedule === "string" &&
      typeof job.timeZone === "string" &&
      isTimeZone(job.timeZone)
    ) {
      // Whether unix cron says the same depends on the zone's daylight-saving changes.
      const parsed = parseAppEngineSchedule(job.legacySchedule, job.timeZone);
      if (parsed.kind === "cron") {
        problem(
          ctx,
          ["legacySchedule"],
          `a schedule unix cron cannot express (this one is exactly "${parsed.cron}": use schedule)`,
          job.legacySchedule,
        );
      }
    }
    const topic = job[topicKey];
    if ((topic === undefined) === (job.uri === undefined)) {
      problem(
        ctx,
        [topicKey],
        `one target: ${topicKey} (Pub/Sub) or uri (HTTP), exactly one`,
        topic,
      );
    }
    if (topic !== undefined) {
      for (const key of httpOnly) {
        if (job[key] !== undefined)
          problem(
            ctx,
            [key],
            `nothing here for a Pub/Sub target (${key} is for HTTP targets)`,
            job[key],
          );
      }
    }
    if (job.uri !== undefined) {
      for (const key of pubsubOnly) {
        if (job[key] !== undefined)
          problem(
            ctx,
            [key],
            `nothing here for an HTTP target (${key} is for Pub/Sub targets)`,
            job[key],
          );
      }
      const method = job.httpMethod ?? jobDefaults.httpMethod;
      const knownMethod = (httpMethods as readonly unknown[]).includes(method);
      if (job.body !== undefined && knownMethod && !bodyMethods.includes(method as string)) {
        problem(
          ctx,
          ["body"],
          `no body with httpMethod ${method} (a body is only sent with POST, PUT or PATCH)`,
          job.body,
          "Remove the body, or use POST, PUT or PATCH",
        );
      }
      if (job.cloudFunctionGeneration !== undefined && job.cloudFunction === undefined) {
        problem(
          ctx,
          ["cloudFunctionGeneration"],
          "nothing here without cloudFunction (it is the generation of that function)",
          job.cloudFunctionGeneration,
        );
      }
      const google = isGoogleApi(job.uri);
      const run = job.cloudRunService !== undefined;
      const fn = job.cloudFunction !== undefined;
      if (google) {
        for (const key of ["cloudRunService", "cloudFunction", "oidcAudience"] as const) {
          if (job[key] !== undefined)
            problem(
              ctx,
              [key],
              `nothing here for a *.googleapis.com uri (Google APIs take OAuth tokens, set by oauthScope)`,
              job[key],
            );
        }
      } else {
        if (job.roles !== undefined) {
          problem(
            ctx,
            ["roles"],
            "nothing here: roles are for a *.googleapis.com uri (other targets get the invoker role on cloudRunService or cloudFunction)",
            job.roles,
          );
        }
        if (job.oauthScope !== undefined) {
          problem(
            ctx,
            ["oauthScope"],
            "nothing here: OAuth is for *.googleapis.com uris; other targets authenticate with OIDC",
            job.oauthScope,
          );
        }
        // A 2nd gen function runs as the Cloud Run service of the same name, granted invoker by it.
        const generation = job.cloudFunctionGeneration ?? jobDefaults.cloudFunctionGeneration;
        if (
          generation === 2 &&
          typeof job.cloudFunction === "string" &&
          functionName.test(job.cloudFunction) &&
          !shortName.safeParse(job.cloudFunction).success
        ) {
          problem(
            ctx,
            ["cloudFunction"],
            "a 2nd gen function name, which is also its Cloud Run service's name: 1–63 lowercase letters, digits or -, starting with a letter and not ending with -",
            job.cloudFunction,
            "Fix the name, or set cloudFunctionGeneration: 1 for a 1st gen function",
          );
        }
        if (run === fn && typeof job.uri === "string") {
          problem(
            ctx,
            ["cloudRunService"],
            "the Cloud Run service (cloudRunService) or Cloud Function (cloudFunction) the uri invokes, exactly one: the job's OIDC identity is granted invoker on it",
            job.cloudRunService,
            "HTTP targets must authenticate",
          );
        }
      }
    }
    const min = job.minBackoffSeconds ?? jobDefaults.minBackoffSeconds;
    const max = job.maxBackoffSeconds ?? jobDefaults.maxBackoffSeconds;
    if (typeof min === "number" && typeof max === "number" && min > max) {
      problem(
        ctx,
        ["minBackoffSeconds"],
        `at most maxBackoffSeconds (${max})`,
        min,
        "Lower it or raise maxBackoffSeconds",
      );
    }
  };
}

/** CloudSchedulerJob's args, as its constructor checks them (a PubSubTopic given as its topicId). */
export const cloudSchedulerJobArgsSchema = z
  .strictObject(
    {
      project: gcpProjectId.optional(),
      ...cloudSchedulerJobShape,
      topic: z
        .union(
          [topicId, z.object({ topicId }, expected("a topic id or a PubSubTopic"))],
          expected("a topic id or a PubSubTopic"),
        )
        .optional(),
      alertNotificationChannels: z
        .array(z.string(expected("a notification channel name")), expected("a list of channels"))
        .optional(),
      notes: componentNotes,
    },
    expected("CloudSchedulerJob args: a mapping with a region, a schedule and a timeZone"),
  )
  .superRefine((j, ctx) => {
    cloudSchedulerJobRules("topic")(j, ctx);
    if (Array.isArray(j.roles) && j.roles.length > 0 && j.project === undefined) {
      problem(ctx, ["project"], "a project for the roles of the job's account", undefined);
    }
  }, always);

/**
 * The service account id a job's HTTP identity gets: `sched-<jobName>`, shortened with a stable
 * hash when that would pass GCP's 30 characters.
 */
export function jobServiceAccountId(jobName: string): string {
  const base = `sched-${jobName.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`;
  if (base.length <= 30 && /[a-z0-9]$/.test(base)) return base;
  let h = 0;
  for (const c of jobName) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  const hash = h.toString(36).padStart(6, "0").slice(-6);
  return `${base.slice(0, 23).replace(/-+$/, "")}-${hash}`;
}

/** Names a CloudSchedulerJob derives, for uniqueness checks across a stack. */
export function cloudSchedulerJobDerivedNames(
  name: string,
  region: string,
  jobName: string,
  serviceAccountId: string | undefined,
): { readonly kind: string; readonly name: string }[] {
  const names = [
    { kind: "Cloud Scheduler job", name: `${region}/${jobName}` },
    { kind: "Job resource", name: `${name}-job` },
  ];
  if (serviceAccountId !== undefined)
    names.push({ kind: "Service account", name: serviceAccountId });
  return names;
}
