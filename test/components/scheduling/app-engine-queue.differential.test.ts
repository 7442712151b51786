import { describe, expect, it } from "vitest";
import { isTaskstackInputError, scheduling } from "../../../components";
import type { CloudTasksQueueArgs } from "../../../components/messaging/cloud-tasks-queue";
import { askGcloudQueues, gcloudTasksSdk } from "../../support/references";
import type { GcloudQueue } from "../../support/references";

// taskstack's queue.yaml import against the Google Cloud SDK's own translation: what
// `gcloud app deploy queue.yaml` sends to Cloud Tasks for a new queue (queueinfo.py parses the
// file as App Engine did, app_deploy_migration_util.py checks and converts it). For each entry:
// - "same": both accept it, and the queue taskstack declares has gcloud's rate, concurrency,
//   attempts, retry duration, backoff and doublings (bucket_size is gcloud's max_burst_size,
//   which the Cloud Tasks v2 API and the provider take as output only: taskstack drops it with a
//   note);
// - "differs": both accept it, and taskstack keeps App Engine's meaning where gcloud's
//   translation does not (the reason is the row's);
// - "refused": taskstack refuses what gcloud would deploy (the reason is the row's);
// - "both refuse": App Engine's rules, as gcloud checks them, refuse it too.

type Verdict =
  | { readonly kind: "same" }
  | {
      readonly kind: "differs";
      readonly field: keyof Comparable;
      readonly ours: unknown;
      readonly theirs: unknown;
      readonly why: string;
    }
  | { readonly kind: "refused"; readonly why: string }
  | { readonly kind: "both refuse" };

const same: Verdict = { kind: "same" };
const bothRefuse: Verdict = { kind: "both refuse" };

/** Each row: one queue entry's lines after `- name: q`, and what to expect. */
const table: readonly (readonly [string, Verdict])[] = [
  ["rate: 5/s\n  retry_parameters: {task_retry_limit: 3}", same],
  [
    "rate: 30/m\n  max_concurrent_requests: 1\n  retry_parameters: {task_retry_limit: 9, min_backoff_seconds: 10, max_backoff_seconds: 600, max_doublings: 4}",
    same,
  ],
  ["rate: 1/h\n  retry_parameters: {task_age_limit: 2d}", same],
  ["rate: 1.5/s\n  retry_parameters: {task_retry_limit: 0}", same],
  ["rate: 100/d\n  retry_parameters: {task_retry_limit: 4, task_age_limit: 1.5h}", same],
  [
    "rate: 2/s\n  bucket_size: 40\n  retry_parameters: {task_retry_limit: 5, task_age_limit: 2.5m}",
    same,
  ],
  [
    "rate: 500/s\n  max_concurrent_requests: 5000\n  retry_parameters: {task_retry_limit: 99}",
    same,
  ],
  ["rate: 10/s\n  retry_parameters: {task_retry_limit: 2, min_backoff_seconds: 120}", same],
  [
    "rate: 10/s\n  retry_parameters: {task_retry_limit: 2, min_backoff_seconds: 2, max_backoff_seconds: 30}",
    same,
  ],
  ["mode: push\n  rate: 7/m\n  bucket_size: 1\n  retry_parameters: {task_retry_limit: 1}", same],
  [
    "rate: 5/s\n  retry_parameters: {task_retry_limit: 3, min_backoff_seconds: 30, max_doublings: 0}",
    {
      kind: "differs",
      field: "maxDoublings",
      ours: 0,
      theirs: 16,
      why: "App Engine's max_doublings: 0 makes the interval grow linearly from the first retry; gcloud's translation skips every falsy value and sends its default, 16",
    },
  ],
  [
    "rate: 5/s",
    {
      kind: "refused",
      why: "no task_retry_limit or task_age_limit: gcloud sends unlimited attempts (-1) with no time limit, a task retried forever",
    },
  ],
  [
    "rate: 5/s\n  max_concurrent_requests: 6000\n  retry_parameters: {task_retry_limit: 3}",
    {
      kind: "refused",
      why: "gcloud silently sends 5000, Cloud Tasks' largest; taskstack never approximates",
    },
  ],
  [
    "rate: 5/s\n  max_concurrent_requests: 0\n  retry_parameters: {task_retry_limit: 3}",
    { kind: "refused", why: "gcloud skips the 0 and sends 1000" },
  ],
  [
    "rate: 0/s\n  retry_parameters: {task_retry_limit: 3}",
    { kind: "refused", why: "a queue at rate 0 is paused: gcloud pauses it; pause it yourself" },
  ],
  // queueinfo.py accepts a bare 0, and gcloud's own conversion then fails on it (ValueError).
  ["rate: 0\n  retry_parameters: {task_retry_limit: 3}", bothRefuse],
  ["mode: pull", { kind: "refused", why: "Cloud Tasks has no pull queues" }],
  [
    "rate: 5/s\n  retry_parameters: {task_retry_limit: 3, max_backoff_seconds: 0.5}",
    {
      kind: "refused",
      why: "its fifth retry would wait 0.5 s: CloudTasksQueue refuses a retry storm",
    },
  ],
  ["rate: 600/s\n  retry_parameters: {task_retry_limit: 3}", bothRefuse],
  ["rate: 5/s\n  bucket_size: 501\n  retry_parameters: {task_retry_limit: 3}", bothRefuse],
  ["rate: 5/s\n  bucket_size: -1\n  retry_parameters: {task_retry_limit: 3}", bothRefuse],
  ["rate: 5/s\n  retry_parameters: {task_retry_limit: -1}", bothRefuse],
  [
    "rate: 5/s\n  retry_parameters: {task_retry_limit: 3, min_backoff_seconds: 60, max_backoff_seconds: 30}",
    bothRefuse,
  ],
  ["rate: 5/s\n  retry_parameters: {task_age_limit: 0s}", bothRefuse],
  ["rate: 5/s\n  priority: 1\n  retry_parameters: {task_retry_limit: 3}", bothRefuse],
  ["rate: fast\n  retry_parameters: {task_retry_limit: 3}", bothRefuse],
];

const texts = table.map(([entry]) => `queue:\n- name: q\n  ${entry}\n`);
const options = { region: "europe-west1", targets: {}, source: "queue.yaml" };

interface Comparable {
  readonly maxDispatchesPerSecond: number;
  readonly maxConcurrentDispatches: number;
  readonly maxAttempts: number;
  readonly maxRetryDurationSeconds: number;
  readonly minBackoffSeconds: number;
  readonly maxBackoffSeconds: number;
  readonly maxDoublings: number;
}

const round9 = (n: number): number => Math.round(n * 1e9) / 1e9;
const seconds = (d: string | undefined): number => Number((d ?? "0s").replace(/s$/, ""));

function ours(a: CloudTasksQueueArgs): Comparable {
  return {
    maxDispatchesPerSecond: round9(a.maxDispatchesPerSecond ?? NaN),
    maxConcurrentDispatches: a.maxConcurrentDispatches ?? NaN,
    maxAttempts: a.allowUnlimitedRetries === true ? -1 : (a.maxAttempts ?? NaN),
    maxRetryDurationSeconds: a.maxRetryDurationSeconds ?? 0,
    minBackoffSeconds: a.minBackoffSeconds ?? NaN,
    maxBackoffSeconds: a.maxBackoffSeconds ?? NaN,
    maxDoublings: a.maxDoublings ?? NaN,
  };
}

function theirs(q: GcloudQueue): Comparable {
  return {
    maxDispatchesPerSecond: round9(q.maxDispatchesPerSecond ?? NaN),
    maxConcurrentDispatches: q.maxConcurrentDispatches ?? NaN,
    maxAttempts: q.maxAttempts ?? NaN,
    maxRetryDurationSeconds: seconds(q.maxRetryDuration),
    minBackoffSeconds: seconds(q.minBackoff),
    maxBackoffSeconds: seconds(q.maxBackoff),
    maxDoublings: q.maxDoublings ?? NaN,
  };
}

function importOrError(text: string): ReturnType<typeof scheduling.importAppEngineQueues> | Error {
  try {
    return scheduling.importAppEngineQueues(text, options);
  } catch (err) {
    if (isTaskstackInputError(err)) return err;
    throw err;
  }
}

/** What happened to one entry, on both sides, in the terms a verdict states. */
interface Outcome {
  readonly gcloudRefuses: boolean;
  readonly taskstackRefuses: boolean;
  /** Each compared setting the two sides disagree on: [taskstack's, gcloud's]. */
  readonly differences?: Record<string, [unknown, unknown]>;
  /** gcloud's max_burst_size (bucket_size, or 5 without one). */
  readonly burst?: number | undefined;
  /** Whether taskstack's notes say the bucket_size was dropped. */
  readonly bucketNoted?: boolean;
}

let answers: { queues?: GcloudQueue[]; error?: string }[] = [];

function outcome(i: number): Outcome {
  const answer = answers[i] ?? {};
  const mine = importOrError(texts[i] as string);
  const refusals = {
    gcloudRefuses: answer.error !== undefined,
    taskstackRefuses: mine instanceof Error,
  };
  if (mine instanceof Error || answer.error !== undefined) return refusals;
  const [entry] = mine;
  const [queue] = answer.queues ?? [];
  const a = ours(entry?.args as CloudTasksQueueArgs);
  const b = theirs(queue as GcloudQueue);
  const differences: Record<string, [unknown, unknown]> = {};
  for (const key of Object.keys(a) as (keyof Comparable)[]) {
    if (a[key] !== b[key]) differences[key] = [a[key], b[key]];
  }
  return {
    ...refusals,
    differences,
    burst: queue?.maxBurstSize,
    bucketNoted: entry?.notes.some((n) => /^bucket_size \d+ dropped/.test(n)) ?? false,
  };
}

function expectedOutcome(verdict: Verdict, text: string): Outcome {
  if (verdict.kind === "both refuse") return { gcloudRefuses: true, taskstackRefuses: true };
  // gcloud deploys every other row: taskstack's refusals are its own, never App Engine's.
  if (verdict.kind === "refused") return { gcloudRefuses: false, taskstackRefuses: true };
  // bucket_size: gcloud sends it as max_burst_size (5 without one); taskstack drops it, saying so.
  const bucket = /bucket_size: (\d+)/.exec(text)?.[1];
  return {
    gcloudRefuses: false,
    taskstackRefuses: false,
    differences:
      verdict.kind === "differs" ? { [verdict.field]: [verdict.ours, verdict.theirs] } : {},
    burst: bucket === undefined ? 5 : Number(bucket),
    bucketNoted: bucket !== undefined,
  };
}

const reference = gcloudTasksSdk();
if (reference.absent) {
  console.warn(`SKIP (real part absent): gcloud queue.yaml differential: ${reference.absent}`);
}

describe.skipIf(reference.root === undefined)(
  "queue.yaml imports against gcloud app deploy's translation",
  () => {
    answers = reference.root ? askGcloudQueues(reference.root, texts) : [];
    const kinds = { same: 0, differs: 0, refused: 0, "both refuse": 0 };

    it.each(
      table.map(([entry, verdict], i) => [entry.replace(/\n\s*/g, "; "), verdict, i] as const),
    )("%s", (_entry, verdict, i) => {
      kinds[verdict.kind]++;
      expect(outcome(i)).toEqual(expectedOutcome(verdict, texts[i] as string));
    });

    it("covers every kind of outcome", () => {
      expect(kinds.same).toBeGreaterThanOrEqual(10);
      expect(kinds.differs).toBeGreaterThanOrEqual(1);
      expect(kinds.refused).toBeGreaterThanOrEqual(5);
      expect(kinds["both refuse"]).toBeGreaterThanOrEqual(8);
    });
  },
);
