import { z } from "zod";
import {
  componentNotes,
  always,
  bool,
  expected,
  gcpProjectId,
  gcpRegion,
  int,
  num,
  pattern,
  problem,
  serviceAccountEmail,
  shortName,
} from "../shared/schema";

// CloudTasksQueue's one args schema: the component validates with it, and the stack file's
// queues (stacks/sections/messaging.ts) are built from its shape and rules.

/** Cloud Tasks' own limits on a queue's rate settings. */
export const queueLimits = {
  maxDispatchesPerSecond: 500,
  maxConcurrentDispatches: 5000,
  maxAttempts: 100,
} as const;

/** What a queue gets for each setting left out (documented as `@default` on its args). */
export const queueDefaults = {
  maxDispatchesPerSecond: 10,
  maxConcurrentDispatches: 10,
  minBackoffSeconds: 1,
  maxBackoffSeconds: 600,
  maxDoublings: 5,
  loggingSamplingRatio: 1,
  depthAlertThreshold: 1000,
} as const;

/**
 * The floor under a queue's retries: the fifth retry of a failing task waits at least 1 s. Cloud
 * Tasks retries after min_backoff, doubles the interval max_doublings times, then grows it
 * linearly by 2^max_doublings × min_backoff up to max_backoff
 * (https://cloud.google.com/tasks/docs/reference/rest/v2/projects.locations.queues#retryconfig),
 * and adds no jitter: a 0.1 s backoff with 0 doublings sends every failing task back ten times a
 * second, all in step, against a handler that is trying to recover. App Engine's own default
 * (0.1 s, 16 doublings) reaches 1.6 s by the fifth retry and passes.
 */
export const retryFloor = { seconds: 1, retry: 5 } as const;

/** The wait before retry `k` (0 = the first retry), as Cloud Tasks schedules it. */
export function retryInterval(k: number, min: number, max: number, doublings: number): number {
  const interval = k <= doublings ? min * 2 ** k : min * 2 ** doublings * (1 + k - doublings);
  return Math.min(interval, max);
}

/**
 * Presets a queue can start from; any arg given beside a preset wins over it.
 *
 * `rate-limited-api`: for a downstream API that allows one request at a time per account and
 * takes minutes per call. One task in flight, at most one dispatch a second, 10 attempts with
 * backoff from 10 s to 10 min, so a failing API is retried patiently and a task gives up after a
 * bounded number of attempts instead of hammering the API for days.
 */
export const queuePresets = {
  "rate-limited-api": {
    maxConcurrentDispatches: 1,
    maxDispatchesPerSecond: 1,
    maxAttempts: 10,
    minBackoffSeconds: 10,
    maxBackoffSeconds: 600,
    maxDoublings: 4,
  },
} as const;

export type QueuePreset = keyof typeof queuePresets;
const presetNames = Object.keys(queuePresets) as [QueuePreset, ...QueuePreset[]];

/** Cloud Tasks queue ids: letters, digits and hyphens, at most 100 characters. */
export const queueName = pattern(/^[A-Za-z0-9-]{1,100}$/, "a queue id: 1–100 letters, digits or -");

const rateText = expected(`a number above 0, at most ${queueLimits.maxDispatchesPerSecond}`);
const dispatchRate = z
  .number(rateText)
  .gt(0, rateText)
  .max(queueLimits.maxDispatchesPerSecond, rateText);

/** The fields of a queue a stack file can hold too (everything but project and channels). */
export const cloudTasksQueueShape = {
  location: gcpRegion,
  queueName: queueName.optional(),
  preset: z.enum(presetNames, expected(`one of ${presetNames.join(", ")}`)).optional(),
  maxDispatchesPerSecond: dispatchRate.optional(),
  maxConcurrentDispatches: int(1, queueLimits.maxConcurrentDispatches).optional(),
  maxAttempts: int(1, queueLimits.maxAttempts).optional(),
  allowUnlimitedRetries: bool.optional(),
  maxRetryDurationSeconds: int(1, 315_360_000).optional(),
  minBackoffSeconds: num(0.1, 3600).optional(),
  maxBackoffSeconds: num(0.1, 3600).optional(),
  maxDoublings: int(0, 16).optional(),
  loggingSamplingRatio: num(0, 1).optional(),
  invokerServiceAccountEmail: serviceAccountEmail.optional(),
  oidcAudience: z
    .string(expected("an OIDC audience"))
    .min(1, expected("an OIDC audience"))
    .optional(),
  oauthServiceAccountEmail: serviceAccountEmail.optional(),
  oauthScope: pattern(/^https:\/\/\S+$/, "an OAuth scope URL").optional(),
  taskTokenServiceAccountEmail: serviceAccountEmail.optional(),
  invokerCloudRunService: shortName.optional(),
  failureAlertRatio: num(0.01, 1).optional(),
  targetHost: pattern(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
    "a host name such as api.example.com (no scheme, no path)",
  ).optional(),
  depthAlertThreshold: int(1, 10_000_000).optional(),
  protect: bool.optional(),
};

type QueueLike = Partial<Record<keyof typeof cloudTasksQueueShape, unknown>>;

/** A queue's args with its preset applied: what the queue will really be configured with. */
export function withPreset<T extends { readonly preset?: unknown }>(args: T): T {
  const preset =
    typeof args.preset === "string" && args.preset in queuePresets
      ? queuePresets[args.preset as QueuePreset]
      : {};
  const given = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
  return { ...preset, ...given } as T;
}

/** Rules that span a queue's fields. */
export function cloudTasksQueueRules(raw: QueueLike, ctx: z.RefinementCtx): void {
  const q = withPreset(raw);
  const unlimited = q.allowUnlimitedRetries === true;
  if (unlimited) {
    if (q.maxAttempts !== undefined && raw.maxAttempts !== undefined) {
      problem(
        ctx,
        ["maxAttempts"],
        "no maxAttempts together with allowUnlimitedRetries: true",
        q.maxAttempts,
        "Drop one of them",
      );
    }
    if (q.maxRetryDurationSeconds === undefined) {
      problem(
        ctx,
        ["maxRetryDurationSeconds"],
        "a retry duration in seconds when allowUnlimitedRetries is true (unlimited attempts must end somewhere)",
        undefined,
      );
    }
  } else if (q.maxAttempts === undefined && raw.preset === undefined) {
    problem(
      ctx,
      ["maxAttempts"],
      `an integer from 1 to ${queueLimits.maxAttempts}: the attempts a task gets before it is dropped`,
      undefined,
      'Set it, use preset: "rate-limited-api", or set allowUnlimitedRetries: true with maxRetryDurationSeconds',
    );
  }
  const min = q.minBackoffSeconds ?? queueDefaults.minBackoffSeconds;
  const max = q.maxBackoffSeconds ?? queueDefaults.maxBackoffSeconds;
  if (typeof min === "number" && typeof max === "number" && min > max) {
    problem(
      ctx,
      ["minBackoffSeconds"],
      `at most maxBackoffSeconds (${max})`,
      min,
      "Lower it or raise maxBackoffSeconds",
    );
  }
  const doublings = q.maxDoublings ?? queueDefaults.maxDoublings;
  if (typeof min === "number" && typeof max === "number" && typeof doublings === "number") {
    const fifth = retryInterval(4, min, max, doublings);
    if (fifth < retryFloor.seconds) {
      problem(
        ctx,
        ["minBackoffSeconds"],
        `a backoff whose fifth retry waits at least ${retryFloor.seconds} s (with maxBackoffSeconds ${max} and maxDoublings ${doublings} it waits ${Number(fifth.toFixed(2))} s: a retry storm against a failing handler, and Cloud Tasks adds no jitter)`,
        min,
        "Raise minBackoffSeconds or maxDoublings",
      );
    }
  }
  const oidc = q.invokerServiceAccountEmail !== undefined;
  const oauth = q.oauthServiceAccountEmail !== undefined;
  if (oidc && oauth) {
    problem(
      ctx,
      ["oauthServiceAccountEmail"],
      "either invokerServiceAccountEmail (OIDC) or oauthServiceAccountEmail (OAuth), not both",
      q.oauthServiceAccountEmail,
    );
  }
  if (q.oidcAudience !== undefined && !oidc) {
    problem(
      ctx,
      ["invokerServiceAccountEmail"],
      "a service account email when oidcAudience is set",
      undefined,
    );
  }
  // Cloud Tasks takes a queue-level OIDC override only with both the account and the audience.
  if (oidc && q.oidcAudience === undefined) {
    problem(
      ctx,
      ["oidcAudience"],
      "an OIDC audience when invokerServiceAccountEmail is set (a queue-level OIDC token needs both)",
      undefined,
      "Set it to the URL the handler checks tokens against, such as https://handler-x-ew.a.run.app",
    );
  }
  if (oidc && q.targetHost === undefined) {
    problem(
      ctx,
      ["targetHost"],
      "the handler's host when invokerServiceAccountEmail is set: every task carries a Google-signed token, and only a pinned host keeps a producer's wrong or hostile URL from receiving it",
      undefined,
      "Set it to the host of the handler, such as handler-x-ew.a.run.app",
    );
  }
  if (q.invokerCloudRunService !== undefined && !oidc) {
    problem(
      ctx,
      ["invokerCloudRunService"],
      "nothing here without invokerServiceAccountEmail (it is the service that account invokes)",
      q.invokerCloudRunService,
    );
  }
  // A queue-level token and a per-task one: which account a dispatch carries would depend on
  // how each task was made; one token account per queue keeps who may act as what readable.
  if (q.taskTokenServiceAccountEmail !== undefined && (oidc || oauth)) {
    problem(
      ctx,
      ["taskTokenServiceAccountEmail"],
      `no per-task token account beside the queue's own (${oidc ? "invokerServiceAccountEmail" : "oauthServiceAccountEmail"}): every dispatch already carries the queue's token`,
      q.taskTokenServiceAccountEmail,
      "Remove one of the two",
    );
  }
  if (q.oauthScope !== undefined && !oauth) {
    problem(
      ctx,
      ["oauthServiceAccountEmail"],
      "a service account email when oauthScope is set",
      undefined,
    );
  }
  if (oauth) {
    const host = q.targetHost;
    if (typeof host !== "string" || !host.endsWith(".googleapis.com")) {
      problem(
        ctx,
        ["targetHost"],
        "a *.googleapis.com host with oauthServiceAccountEmail (OAuth tokens are for Google APIs; use invokerServiceAccountEmail for your own handlers)",
        host,
      );
    }
  }
}

/** CloudTasksQueue's args, as its constructor checks them. */
export const cloudTasksQueueArgsSchema = z
  .strictObject(
    {
      project: gcpProjectId.optional(),
      ...cloudTasksQueueShape,
      alertNotificationChannels: z
        .array(z.string(expected("a notification channel name")), expected("a list of channels"))
        .optional(),
      notes: componentNotes,
    },
    expected("CloudTasksQueue args: a mapping with a location"),
  )
  .superRefine(cloudTasksQueueRules, always);

/**
 * Names a CloudTasksQueue named `name` derives: the queue id (unique per project and location,
 * and not reusable for up to 7 days after deletion) and its children's logical names.
 */
export function cloudTasksQueueDerivedNames(
  name: string,
  location: string,
  queueId: string,
): { readonly kind: string; readonly name: string }[] {
  return [
    { kind: "Cloud Tasks queue", name: `${location}/${queueId}` },
    { kind: "Queue resource", name: `${name}-queue` },
  ];
}
