import type { CloudTasksQueueArgs } from "../messaging/cloud-tasks-queue";
import { validateCloudTasksQueueArgs } from "../messaging/cloud-tasks-queue";
import { isTaskstackInputError } from "../shared/errors";
import {
  Problems,
  ageSeconds,
  asEntry,
  checkTargets,
  hostOf,
  readYaml,
  unknownKeys,
  isWholeIn,
  maxDoublings,
} from "./app-engine-yaml";
import type { AppEngineImportOptions, ImportedEntry } from "./app-engine-types";

// App Engine's queue.yaml, turned into typed CloudTasksQueueArgs, one per push queue. The keys an
// entry may have are App Engine's own (QueueEntry in the Cloud SDK's
// googlecloudsdk/appengine/api/queueinfo.py), and each value is translated as `gcloud app deploy
// queue.yaml` translates it for Cloud Tasks (googlecloudsdk/api_lib/tasks/
// app_deploy_migration_util.py): test/components/scheduling/app-engine-queue.differential.test.ts
// checks the two agree, entry by entry, wherever taskstack does not refuse on purpose.

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
 * `invokerServiceAccountEmail` dispatches with OIDC, its audience baseUrl's origin, and gets
 * `roles/run.invoker` on the target's Cloud Run service (or 2nd gen function). `bucket_size` is
 * dropped with a note: Cloud Tasks picks a queue's burst size from its rate.
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
    // Accepted and dropped: in the Cloud Tasks API a queue's max_burst_size is output only ("Cloud
    // Tasks will pick the value of max_burst_size based on the value of max_dispatches_per_second";
    // a queue.yaml queue keeps bucket_size only until an UpdateQueue resets it: RateLimits,
    // cloud.google.com/tasks/docs/reference/rest/v2/projects.locations.queues#RateLimits), and
    // the provider marks rateLimits.maxBurstSize "(Output)". 500 is App Engine's largest bucket
    // (MAX_BUCKET_SIZE in the Cloud SDK's googlecloudsdk/command_lib/tasks/constants.py).
    const bucket = e["bucket_size"];
    if (
      bucket !== undefined &&
      (typeof bucket !== "number" || !Number.isInteger(bucket) || bucket < 0 || bucket > 500)
    ) {
      problems.add(
        [...at, "bucket_size"],
        "an integer from 0 to 500, as App Engine took it",
        bucket,
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
      if (limit !== undefined && !isWholeIn(limit, 0, 99)) {
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
      const doublings = maxDoublings(r, rat, problems);
      Object.assign(retry, {
        ...(typeof limit === "number"
          ? { maxAttempts: limit + 1 }
          : { allowUnlimitedRetries: true }),
        ...(age !== undefined ? { maxRetryDurationSeconds: ageSeconds(age) } : {}),
        minBackoffSeconds: backoff("min_backoff_seconds") ?? 0.1,
        maxBackoffSeconds: backoff("max_backoff_seconds") ?? 3600,
        maxDoublings: doublings ?? 16,
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
                  ...(invokedService(target) !== undefined
                    ? { invokerCloudRunService: invokedService(target) }
                    : {}),
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
    const notes = [
      ...(retry.maxAttempts !== undefined && retry.maxRetryDurationSeconds !== undefined
        ? [
            `task_retry_limit and task_age_limit kept together as maxAttempts ${retry.maxAttempts} and maxRetryDurationSeconds ${retry.maxRetryDurationSeconds}: as in App Engine, a failing task is retried until both are reached, so the age limit lengthens retries rather than cutting them short`,
          ]
        : []),
      ...(typeof bucket === "number"
        ? [
            `bucket_size ${bucket} dropped: Cloud Tasks picks a queue's burst size itself from its rate (${rate as number}/s), and its API takes none`,
          ]
        : []),
    ];
    out.push({ name: name as string, args, notes });
  });
  problems.throwIfAny(source);
  return out;
}

/** The Cloud Run service a target's OIDC token invokes: its own, or its 2nd gen function's. */
function invokedService(target: AppEngineImportOptions["targets"][string]): string | undefined {
  if (target.cloudRunService !== undefined) return target.cloudRunService;
  return target.cloudFunction !== undefined && (target.cloudFunctionGeneration ?? 2) === 2
    ? target.cloudFunction
    : undefined;
}
