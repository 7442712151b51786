import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

// The schedulers' own code, when this machine has it: robfig/cron v3 through our Go front end
// (built by scripts/ci/robfig-cron.sh) and App Engine's groc through our Python front end. Each
// test file asks one batch per reference, so `npm test` pays one process start for each.

const cache = process.env["TASKSTACK_CACHE"] ?? "/var/cache/taskstack";

/** Path of the robfig-cron binary, or undefined (with the reason) when it has not been built. */
export function robfigBinary(): { path?: string; absent?: string } {
  const path = join(cache, "robfig-cron", "robfig-cron");
  return existsSync(path)
    ? { path }
    : { absent: `${path} is missing (bash scripts/ci/robfig-cron.sh builds it)` };
}

export interface RobfigQuery {
  readonly schedule: string;
  readonly timeZone: string;
  readonly from: string;
  readonly count: number;
  readonly until?: string;
}
export interface Answer {
  readonly runs?: string[];
  readonly error?: string;
}

export function askRobfig(binary: string, queries: readonly RobfigQuery[]): Answer[] {
  const out = execFileSync(binary, [], { input: JSON.stringify(queries), maxBuffer: 1 << 28 });
  return JSON.parse(out.toString()) as Answer[];
}

/** The Google Cloud SDK root holding App Engine's groc, or undefined with the reason. */
export function grocSdk(): { root?: string; absent?: string } {
  const candidates = [
    process.env["CLOUDSDK_ROOT_DIR"],
    "/usr/lib/google-cloud-sdk",
    "/usr/share/google-cloud-sdk",
  ].filter((c): c is string => c !== undefined);
  const rel = "platform/google_appengine/google/appengine/cron/groctimespecification.py";
  for (const root of candidates) if (existsSync(join(root, rel))) return { root };
  return { absent: `no Google Cloud SDK with ${rel} in ${candidates.join(", ")}` };
}

export interface GrocQuery {
  readonly schedule: string;
  readonly timeZone: string;
  readonly from: string;
  readonly until: string;
  readonly max: number;
}

export function askGroc(sdkRoot: string, queries: readonly GrocQuery[]): Answer[] {
  const script = join(__dirname, "..", "..", "tools", "app-engine-groc", "groc_batch.py");
  const out = execFileSync("python3", [script, sdkRoot], {
    input: JSON.stringify(queries),
    maxBuffer: 1 << 28,
  });
  return JSON.parse(out.toString()) as Answer[];
}

/** ISO 8601 UTC with seconds, as both front ends print instants. */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");

/** One queue as `gcloud app deploy queue.yaml` would create it in Cloud Tasks. */
export interface GcloudQueue {
  readonly name: string;
  readonly pull?: boolean;
  readonly maxDispatchesPerSecond?: number;
  readonly maxConcurrentDispatches?: number;
  readonly maxAttempts?: number;
  readonly maxRetryDuration?: string;
  readonly minBackoff?: string;
  readonly maxBackoff?: string;
  readonly maxDoublings?: number;
  readonly maxBurstSize?: number;
}

/**
 * The Google Cloud SDK's translation of each queue.yaml text to Cloud Tasks settings (what
 * `gcloud app deploy queue.yaml` sends for new queues), or its refusal.
 */
export function askGcloudQueues(
  sdkRoot: string,
  texts: readonly string[],
): { queues?: GcloudQueue[]; error?: string }[] {
  const script = join(__dirname, "..", "..", "tools", "app-engine-queue", "queue_batch.py");
  const out = execFileSync("python3", [script, sdkRoot], {
    input: JSON.stringify(texts),
    maxBuffer: 1 << 26,
  });
  return JSON.parse(out.toString()) as { queues?: GcloudQueue[]; error?: string }[];
}

/** The Google Cloud SDK root holding gcloud's queue.yaml translation, or undefined with why. */
export function gcloudTasksSdk(): { root?: string; absent?: string } {
  const candidates = [
    process.env["CLOUDSDK_ROOT_DIR"],
    "/usr/lib/google-cloud-sdk",
    "/usr/share/google-cloud-sdk",
  ].filter((c): c is string => c !== undefined);
  const rel = "lib/googlecloudsdk/api_lib/tasks/app_deploy_migration_util.py";
  for (const root of candidates) if (existsSync(join(root, rel))) return { root };
  return { absent: `no Google Cloud SDK with ${rel} in ${candidates.join(", ")}` };
}
