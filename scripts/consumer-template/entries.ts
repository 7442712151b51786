// Every public entry point but `taskstack/schemas`, imported as a consumer does, so `tsc` without
// `skipLibCheck` checks each entry's declaration files under every tsconfig of this project.
import * as taskstack from "taskstack";
import { CloudTasksQueue, QueuePreset } from "taskstack/gcp";
import type { CloudTasksQueueArgs } from "taskstack/gcp";
import { HttpsStaticSite } from "taskstack/aws";
import { KubernetesCronJob } from "taskstack/kubernetes";
import { Match, runProgram } from "taskstack/testing";
import { taskstackPolicies } from "taskstack/policies";

// A preset by its enum member and by its plain string: both type-check.
export const queues: CloudTasksQueueArgs[] = [
  { location: "europe-west1", preset: QueuePreset.RateLimitedApi },
  { location: "europe-west1", preset: "rate-limited-api", maxAttempts: 5 },
];

export const entries = [
  taskstack.messaging.PubSubTopic,
  CloudTasksQueue,
  HttpsStaticSite,
  KubernetesCronJob,
  runProgram,
  Match.anyValue(),
  taskstackPolicies.length,
];
