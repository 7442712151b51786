// The queues-and-jobs variants `npm run bench` compares: N Cloud Tasks queues (rate-limited
// preset, one producer grant) and N Cloud Scheduler jobs (one Pub/Sub, one Cloud Run target)
// through the components, and the very same provider resources written by hand.
// test/bench/scheduling.test.ts keeps them doing the same work.
import * as gcp from "@pulumi/gcp";
import { messaging, scheduling } from "../components";
import type { Plan } from "../testing/assertions";
import { runProgram } from "../testing/engine";
import { collectGarbage, median, timed } from "./measure";

export type SchedulingVariant = "raw" | "component";

const location = "europe-west1";
const producer = "serviceAccount:producer@bench-project.iam.gserviceaccount.com";
const invoker = "invoker@bench-project.iam.gserviceaccount.com";

function componentProgram(n: number): () => void {
  return () => {
    for (let i = 0; i < n; i++) {
      new messaging.CloudTasksQueue(`queue-${i}`, {
        location,
        preset: "rate-limited-api",
        invokerServiceAccountEmail: invoker,
        oidcAudience: "https://svc-x-ew.a.run.app",
        targetHost: "svc-x-ew.a.run.app",
      }).grantEnqueue(producer, "producer");
      new scheduling.CloudSchedulerJob(`tick-${i}`, {
        region: location,
        schedule: "*/5 * * * *",
        timeZone: "Etc/UTC",
        topic: "projects/bench-project/topics/ticks",
      });
      new scheduling.CloudSchedulerJob(`call-${i}`, {
        region: location,
        schedule: "0 3 * * *",
        timeZone: "Europe/Berlin",
        uri: "https://svc-x-ew.a.run.app/run",
        cloudRunService: "svc",
      });
    }
  };
}

const retry = {
  retryCount: 3,
  minBackoffDuration: "5s",
  maxBackoffDuration: "3600s",
  maxDoublings: 5,
  maxRetryDuration: "0s",
};

function rawProgram(n: number): () => void {
  return () => {
    for (let i = 0; i < n; i++) {
      const queue = new gcp.cloudtasks.Queue(`queue-${i}-queue`, {
        location,
        name: `queue-${i}`,
        rateLimits: { maxDispatchesPerSecond: 1, maxConcurrentDispatches: 1 },
        retryConfig: { maxAttempts: 10, minBackoff: "10s", maxBackoff: "600s", maxDoublings: 4 },
        stackdriverLoggingConfig: { samplingRatio: 1 },
        httpTarget: {
          oidcToken: { serviceAccountEmail: invoker, audience: "https://svc-x-ew.a.run.app" },
          uriOverride: { host: "svc-x-ew.a.run.app" },
        },
      });
      new gcp.cloudtasks.QueueIamMember(`queue-${i}-enqueuer-producer`, {
        location,
        name: queue.name,
        role: "roles/cloudtasks.enqueuer",
        member: producer,
      });
      new gcp.cloudscheduler.Job(`tick-${i}-job`, {
        region: location,
        name: `tick-${i}`,
        schedule: "*/5 * * * *",
        timeZone: "Etc/UTC",
        paused: false,
        retryConfig: retry,
        pubsubTarget: {
          topicName: "projects/bench-project/topics/ticks",
          data: Buffer.from(`tick-${i}`).toString("base64"),
        },
      });
      const sa = new gcp.serviceaccount.Account(`call-${i}-sa`, {
        accountId: `sched-call-${i}`,
        displayName: `Cloud Scheduler job call-${i}`,
        description:
          "Identity of one Cloud Scheduler job; holds only what its target needs (taskstack).",
      });
      new gcp.cloudrunv2.ServiceIamMember(`call-${i}-run-invoker`, {
        location,
        name: "svc",
        role: "roles/run.invoker",
        member: sa.member,
      });
      new gcp.cloudscheduler.Job(`call-${i}-job`, {
        region: location,
        name: `call-${i}`,
        schedule: "0 3 * * *",
        timeZone: "Europe/Berlin",
        paused: false,
        attemptDeadline: "180s",
        retryConfig: retry,
        httpTarget: {
          uri: "https://svc-x-ew.a.run.app/run",
          httpMethod: "POST",
          oidcToken: { serviceAccountEmail: sa.email, audience: "https://svc-x-ew.a.run.app" },
        },
      });
    }
  };
}

export const schedulingPrograms: Record<SchedulingVariant, (n: number) => () => void> = {
  raw: rawProgram,
  component: componentProgram,
};

/** Provider resources as `type name → inputs`. */
function providerResources(plan: Plan): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of plan.resources)
    if (r.custom) out.set(`${r.type} ${r.name}`, JSON.stringify(r.inputs));
  return out;
}

/**
 * Throws unless both variants declared the same provider resources (names and inputs); returns
 * how many. A bench comparing different work is worthless.
 */
export function assertSameSchedulingWork(n: number, raw: Plan, component: Plan): number {
  const [a, b] = [providerResources(raw), providerResources(component)];
  if (a.size !== b.size) {
    throw new Error(`bench: N=${n}: raw declares ${a.size} resources, components ${b.size}`);
  }
  for (const [key, inputs] of b) {
    const other = a.get(key);
    if (other === undefined) throw new Error(`bench: N=${n}: raw variant does not declare ${key}`);
    if (other !== inputs) {
      throw new Error(
        `bench: N=${n}: inputs of ${key} differ:\n  raw       ${other}\n  component ${inputs}`,
      );
    }
  }
  return b.size;
}

export interface SchedulingRow {
  readonly n: number;
  readonly resources: number;
  readonly rawMs: number;
  readonly componentMs: number;
}

async function run(variant: SchedulingVariant, n: number): Promise<{ ms: number; plan: Plan }> {
  collectGarbage();
  const { ms, value } = await timed(() =>
    runProgram(schedulingPrograms[variant](n), { project: "bench" }),
  );
  return { ms, plan: value };
}

/** Median wall time of both variants over `rounds`, alternating which goes first. */
export async function measureScheduling(n: number, rounds: number): Promise<SchedulingRow> {
  const raw = await run("raw", n);
  const component = await run("component", n);
  const resources = assertSameSchedulingWork(n, raw.plan, component.plan);
  const samples: Record<SchedulingVariant, number[]> = { raw: [raw.ms], component: [component.ms] };
  for (let round = 1; round < rounds; round++) {
    const order: SchedulingVariant[] =
      round % 2 === 0 ? ["raw", "component"] : ["component", "raw"];
    for (const variant of order) samples[variant].push((await run(variant, n)).ms);
  }
  return { n, resources, rawMs: median(samples.raw), componentMs: median(samples.component) };
}
