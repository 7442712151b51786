import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { CloudTasksQueueArgs } from "../../components/messaging/cloud-tasks-queue";
import { cloudTasksQueueDerivedNames } from "../../components/messaging/cloud-tasks-queue-schema";
import { importAppEngineCron } from "../../components/scheduling/app-engine-import";
import { importAppEngineQueues } from "../../components/scheduling/app-engine-queue-import";
import {
  appEngineAttemptDeadlinesSchema,
  appEngineTargetsSchema,
} from "../../components/scheduling/app-engine-yaml";
import type { ImportedEntry } from "../../components/scheduling/app-engine-yaml";
import type { CloudSchedulerJobArgs } from "../../components/scheduling/cloud-scheduler-job";
import {
  cloudSchedulerJobDerivedNames,
  cloudSchedulerJobRules,
  cloudSchedulerJobShape,
  jobServiceAccountId,
} from "../../components/scheduling/cloud-scheduler-job-schema";
import { TaskstackInputError, isTaskstackInputError } from "../../components/shared/errors";
import {
  always,
  expected,
  gcpRegion,
  iamMember,
  pattern,
  shortName,
} from "../../components/shared/schema";
import type { StackRules } from "./rules";

/**
 * A stack file's job: CloudSchedulerJob's args (its `name` is the component's and the job's id;
 * `region` defaults to the stack's), with the Pub/Sub target named by topic: a topic name in the
 * stack's project (`order-events`) or a full id (`projects/<p>/topics/<t>`).
 */
const job = z
  .strictObject({
    ...cloudSchedulerJobShape,
    name: shortName,
    region: gcpRegion.optional(),
    topic: pattern(
      /^(projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/topics\/)?[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/,
      "a topic name in this project, or a topic id projects/<project>/topics/<name>",
    ).optional(),
  })
  .superRefine(cloudSchedulerJobRules("topic"), always);

/**
 * An App Engine cron.yaml the stack imports: `file` is relative to the stacks/ directory (where
 * the stack files live), `targets` says where each App Engine service runs now (and, with
 * `attemptDeadlineSeconds`, how long its jobs' calls may take), `attemptDeadlineSeconds` sets one
 * job's deadline by the name the plan shows.
 */
const appEngineCron = z.strictObject({
  file: pattern(/^[^\0]+\.ya?ml$/, "a path to a cron.yaml, relative to stacks/"),
  targets: appEngineTargetsSchema,
  attemptDeadlineSeconds: appEngineAttemptDeadlinesSchema.optional(),
});

/**
 * An App Engine queue.yaml the stack imports as Cloud Tasks queues: `file` is relative to
 * stacks/, `targets` says where each App Engine service runs now (a target with an
 * `invokerServiceAccountEmail` dispatches with OIDC), `enqueuers` may create tasks on every
 * imported queue.
 */
const appEngineQueue = z.strictObject({
  file: pattern(/^[^\0]+\.ya?ml$/, "a path to a queue.yaml, relative to stacks/"),
  targets: appEngineTargetsSchema.default({}),
  /** IAM members that create tasks on every imported queue (`roles/cloudtasks.enqueuer`). */
  enqueuers: z.array(iamMember, expected("a list of IAM members")).default([]),
});

/** `taskstack:scheduling`: Cloud Scheduler jobs, declared or imported from App Engine. */
export const schedulingSection = z
  .strictObject({
    jobs: z.array(job, expected("a list of jobs")).default([]),
    appEngineCron: appEngineCron.optional(),
    appEngineQueue: appEngineQueue.optional(),
  })
  .default({ jobs: [] });

export type SchedulingConfig = z.output<typeof schedulingSection>;
export type JobConfig = SchedulingConfig["jobs"][number];

const key = "taskstack:scheduling";

/** Where stack files live; imported files are found relative to it. */
export const stacksDirectory = (): string => path.resolve("stacks");

/** An imported file's text and the name messages give it (`stacks/<file>`). */
function readImported(file: string): { text: string; source: string } {
  const source = path.join("stacks", file);
  try {
    return { text: fs.readFileSync(path.join(stacksDirectory(), file), "utf8"), source };
  } catch {
    throw new TaskstackInputError([`${source}: no such file, or it cannot be read`]);
  }
}

/**
 * The jobs an `appEngineCron` import declares, read and translated once. Problems come back as
 * TaskstackInputError problems naming the file and the entry.
 */
export function importedJobs(
  imp: NonNullable<SchedulingConfig["appEngineCron"]>,
  region: string,
): ImportedEntry<CloudSchedulerJobArgs>[] {
  const { text, source } = readImported(imp.file);
  return importAppEngineCron(text, {
    region,
    targets: imp.targets,
    source,
    ...(imp.attemptDeadlineSeconds !== undefined
      ? { attemptDeadlineSeconds: imp.attemptDeadlineSeconds }
      : {}),
  });
}

/**
 * The queues an `appEngineQueue` import declares, read and translated once. Problems come back as
 * TaskstackInputError problems naming the file and the entry.
 */
export function importedQueues(
  imp: NonNullable<SchedulingConfig["appEngineQueue"]>,
  region: string,
): ImportedEntry<CloudTasksQueueArgs>[] {
  const { text, source } = readImported(imp.file);
  return importAppEngineQueues(text, { region, targets: imp.targets, source });
}

export function schedulingRules(s: SchedulingConfig, rules: StackRules): void {
  const claimJob = (
    name: string,
    region: string,
    jobName: string,
    http: boolean,
    at: (string | number)[],
    owner: string,
  ): void => {
    const account = http ? jobServiceAccountId(jobName) : undefined;
    for (const d of cloudSchedulerJobDerivedNames(name, region, jobName, account)) {
      rules.claim(d.kind, d.name, at, owner, name);
    }
  };
  s.jobs.forEach((j, i) => {
    claimJob(
      j.name,
      j.region ?? "(the stack's region)",
      j.jobName ?? j.name,
      j.uri !== undefined,
      [key, "jobs", i, "name"],
      `jobs[${i}] (${j.name})`,
    );
  });
  if (s.appEngineQueue !== undefined) queueImportRules(s.appEngineQueue, rules);
  if (s.appEngineCron === undefined) return;
  try {
    // The region is the stack's (not visible here); any valid one checks the entries the same way.
    for (const entry of importedJobs(s.appEngineCron, "us-central1")) {
      claimJob(
        entry.name,
        "(the stack's region)",
        entry.args.jobName ?? entry.name,
        true,
        [key, "appEngineCron", "file"],
        `${s.appEngineCron.file} (${entry.name})`,
      );
    }
  } catch (err) {
    if (!isTaskstackInputError(err)) throw err;
    const names = cronEntryNames(s.appEngineCron.file);
    for (const p of err.problems) {
      rules.reported(
        [key, "appEngineCron"],
        p.replace(/: cron\[(\d+)\]/, (at, i: string) =>
          names[Number(i)] ? `${at} (${names[Number(i)]})` : at,
        ),
      );
    }
  }
}

/**
 * An imported queue.yaml: its queues claim their names beside the stack's own queues, and what
 * cannot be translated is reported at the import, naming the file and the queue.
 */
function queueImportRules(
  imp: NonNullable<SchedulingConfig["appEngineQueue"]>,
  rules: StackRules,
): void {
  try {
    for (const entry of importedQueues(imp, "us-central1")) {
      for (const d of cloudTasksQueueDerivedNames(
        entry.name,
        "(the stack's region)",
        entry.args.queueName ?? entry.name,
      )) {
        rules.claim(
          d.kind,
          d.name,
          [key, "appEngineQueue", "file"],
          `${imp.file} (${entry.name})`,
          entry.name,
        );
      }
    }
  } catch (err) {
    if (!isTaskstackInputError(err)) throw err;
    for (const p of err.problems) rules.reported([key, "appEngineQueue"], p);
  }
}

/**
 * What names each entry of an App Engine cron.yaml for a reader: its description, else its url
 * (`cron[3]` alone sends them counting). Unreadable files name nothing; the importer says why.
 */
function cronEntryNames(file: string): string[] {
  try {
    const doc = parseYaml(fs.readFileSync(path.join(stacksDirectory(), file), "utf8")) as unknown;
    const cron = (doc as { cron?: unknown } | null)?.cron;
    return (Array.isArray(cron) ? cron : []).map((e: unknown) => {
      const entry = (typeof e === "object" && e !== null ? e : {}) as Record<string, unknown>;
      const description = entry["description"];
      const url = entry["url"];
      return typeof description === "string"
        ? JSON.stringify(description)
        : typeof url === "string"
          ? `url ${url}`
          : "";
    });
  } catch {
    return [];
  }
}
