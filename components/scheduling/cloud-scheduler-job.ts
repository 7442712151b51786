import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import {
  schedulerErrorMetricArgs,
  schedulerErrorMetricName,
  schedulerFailureAlertArgs,
} from "../monitoring/task-alerts";
import { nextRuns, normalizeTimeZone } from "../../lib/cron";
import { gcpApis } from "../project/project-apis";
import type { GcpApi } from "../project/project-apis";
import { managedByLabels } from "../shared/labels";
import { childName } from "../shared/naming";
import { claimDerivedNamesWhenResolved } from "../shared/claims";
import { notesInputs, validateArgs } from "../shared/schema";
import type { Known, SameShape } from "../shared/schema";
import {
  cloudSchedulerJobArgsSchema,
  isGoogleApi,
  jobDefaults,
  cloudSchedulerJobDerivedNames,
  jobServiceAccountId,
} from "./cloud-scheduler-job-schema";

/** Anything with a topic id, such as a `messaging.PubSubTopic`. */
export interface TopicRef {
  readonly topicId: pulumi.Input<string>;
}

/** HTTP methods a Cloud Scheduler HTTP target can send. */
export const HttpMethod = {
  Get: "GET",
  Post: "POST",
  Put: "PUT",
  Patch: "PATCH",
  Delete: "DELETE",
  Head: "HEAD",
  Options: "OPTIONS",
} as const;
export type HttpMethod = (typeof HttpMethod)[keyof typeof HttpMethod];

/** Generations of Cloud Functions, which decide the invoker role a job's account needs. */
export const CloudFunctionGeneration = {
  /** 1st gen: `roles/cloudfunctions.invoker` on the function. */
  Gen1: 1,
  /** 2nd gen: the function runs as a Cloud Run service; `roles/run.invoker` on it. */
  Gen2: 2,
} as const;
export type CloudFunctionGeneration =
  (typeof CloudFunctionGeneration)[keyof typeof CloudFunctionGeneration];

export interface CloudSchedulerJobArgs {
  /** GCP project of the job and its service account. @default - the provider's project (`gcp:project`) */
  readonly project?: pulumi.Input<string>;
  /** Region the job runs in, e.g. `europe-west1`; also the region of its Cloud Run or Functions target. */
  readonly region: string;
  /** The job's id. @default - the component name */
  readonly jobName?: string;
  /** Shown in the console. @default - none */
  readonly description?: string;
  /** Unix cron (`0 3 * * *`), checked with a real parser. Give this or `legacySchedule`. @default - none */
  readonly schedule?: string;
  /**
   * An App Engine cron.yaml schedule unix cron cannot express exactly (`every 7 minutes`), which
   * Cloud Scheduler accepts as it is; `importAppEngineCron` sets it. @default - none
   */
  readonly legacySchedule?: string;
  /** IANA time zone the schedule is read in; `UTC` is stored as `Etc/UTC`. */
  readonly timeZone: string;
  /**
   * Accept a schedule whose local time falls in its zone's daylight-saving gap or overlap, where
   * Google documents only that the job "may run or not run unexpectedly". @default false
   */
  readonly allowDaylightSavingTransitions?: boolean;
  /** Create the job paused. @default false */
  readonly paused?: boolean;
  /** Retries of a failed run (0–5). @default 3 */
  readonly retryCount?: number;
  /** Shortest wait before a retry, in seconds. @default 5 */
  readonly minBackoffSeconds?: number;
  /** Longest wait before a retry, in seconds. @default 3600 */
  readonly maxBackoffSeconds?: number;
  /** Times the backoff doubles (0–16). @default 5 */
  readonly maxDoublings?: number;
  /**
   * Seconds, from a run's first attempt, during which it keeps being retried: Cloud Scheduler
   * stops only once both this and `retryCount` are reached, so it lengthens retries, never
   * shortens them. @default 0 (no time limit: `retryCount` alone bounds retries)
   */
  readonly maxRetryDurationSeconds?: number;
  /** How long an HTTP target has to answer (15–1800 s). @default 180 */
  readonly attemptDeadlineSeconds?: number;
  /**
   * Pub/Sub target: a `PubSubTopic` or a topic id (`projects/<p>/topics/<t>`). Cloud Scheduler
   * publishes with its own service agent, so a Pub/Sub job needs no account. @default - none
   */
  readonly topic?: pulumi.Input<string> | TopicRef;
  /** Message data, as text. @default - the job's name, when no attributes are given (Cloud Scheduler refuses an empty message) */
  readonly data?: string;
  /** Message attributes. @default {} */
  readonly attributes?: Readonly<Record<string, string>>;
  /** HTTP target: an https:// URL. @default - none */
  readonly uri?: string;
  /** HTTP method of the request. @default "POST" */
  readonly httpMethod?: HttpMethod;
  /** Request body, as text; only with POST, PUT or PATCH. @default - none */
  readonly body?: string;
  /** Request headers. @default {} */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Cloud Run service (name, in `region`) the uri invokes: the job's own account gets
   * `roles/run.invoker` on it and calls it with an OIDC token. @default - none
   */
  readonly cloudRunService?: string;
  /**
   * Cloud Function (name, in `region`) the uri invokes, called with an OIDC token by the job's own
   * account, which gets the invoker role its generation checks (see `cloudFunctionGeneration`).
   * @default - none
   */
  readonly cloudFunction?: string;
  /**
   * Generation of `cloudFunction`. 2: the function runs as the Cloud Run service of the same
   * name, and the account gets `roles/run.invoker` on that service (so the name must be a Cloud
   * Run service name); 1: `roles/cloudfunctions.invoker` on the function. @default 2
   */
  readonly cloudFunctionGeneration?: CloudFunctionGeneration;
  /**
   * OIDC audience. @default - the uri's origin for a Cloud Run service (`cloudRunService`, or a
   * 2nd gen function called at its `*.run.app` URL); the uri for a function's other URLs
   */
  readonly oidcAudience?: string;
  /**
   * Project roles the job's own account gets, for a `*.googleapis.com` uri: a Google API checks
   * the caller's permissions, so a job starting a Cloud Run job (`run.googleapis.com/…/jobs/x:run`)
   * needs `roles/run.invoker` (or `roles/run.developer` with overrides). Needs `project`.
   * @default [] (the plan warns: the job's calls will be refused with 403)
   */
  readonly roles?: string[];
  /** OAuth scope for `*.googleapis.com` uris. @default "https://www.googleapis.com/auth/cloud-platform" */
  readonly oauthScope?: string;
  /** Id of the job's own service account (HTTP targets). @default - `sched-<jobName>` (see `jobServiceAccountId`) */
  readonly serviceAccountId?: string;
  /** Channels alerted when a run fails (log metric on the job's errors). @default [] (no alert) */
  readonly alertNotificationChannels?: pulumi.Input<string>[];
  /**
   * Notes on how the job was made (the App Engine import's), kept as the component's inputs:
   * `taskstack plan` prints them under the job, and `pulumi up` keeps them in the stack's state.
   * @default []
   */
  readonly notes?: string[];
}

const argsMatchSchema: SameShape<
  Known<CloudSchedulerJobArgs>,
  z.input<typeof cloudSchedulerJobArgsSchema>
> = true;
void argsMatchSchema;

function isTopicRef(value: unknown): value is TopicRef {
  return (
    typeof value === "object" &&
    value !== null &&
    "topicId" in value &&
    !pulumi.Output.isInstance(value)
  );
}

/** Checks CloudSchedulerJob args, throwing one TaskstackInputError listing every problem. */
export function validateCloudSchedulerJobArgs(name: unknown, args: unknown): void {
  // A PubSubTopic is checked by its topicId only: walking the component itself would recurse.
  const topic = (args as { topic?: unknown } | null)?.topic;
  const checked =
    typeof args === "object" && args !== null && isTopicRef(topic)
      ? { ...args, topic: topic.topicId }
      : args;
  validateArgs("CloudSchedulerJob", name, cloudSchedulerJobArgsSchema, checked);
}

const seconds = (n: number): string => `${n}s`;

/**
 * A Cloud Run service checks tokens against its URL, so a job calling one (directly, or a 2nd gen
 * function at its run.app URL) sends the origin; a function's cloudfunctions.net URL (its name in
 * the path) is sent as it is.
 */
function defaultAudience(args: CloudSchedulerJobArgs, uri: string): string {
  const url = new URL(uri);
  const runService =
    args.cloudRunService !== undefined ||
    ((args.cloudFunctionGeneration ?? jobDefaults.cloudFunctionGeneration) === 2 &&
      url.hostname.endsWith(".run.app"));
  return runService ? url.origin : uri;
}
/**
 * How long one run's attempts can take, plus 5 minutes of slack: each attempt's deadline (a
 * publish counts as a minute) and the backoffs between them. Cloud Scheduler's rule
 * (RetryConfig.max_doublings): the interval starts at minBackoff, doubles maxDoublings times, then
 * grows linearly, capped at maxBackoff; maxRetryDuration, when longer, stretches the retries.
 */
export function runSpanSeconds(args: CloudSchedulerJobArgs, http: boolean): number {
  const retries = args.retryCount ?? jobDefaults.retryCount;
  const min = args.minBackoffSeconds ?? jobDefaults.minBackoffSeconds;
  const max = args.maxBackoffSeconds ?? jobDefaults.maxBackoffSeconds;
  const doublings = args.maxDoublings ?? jobDefaults.maxDoublings;
  const attempt = http ? (args.attemptDeadlineSeconds ?? jobDefaults.attemptDeadlineSeconds) : 60;
  let backoffs = 0;
  for (let i = 0; i < retries; i++) {
    const grown = i <= doublings ? min * 2 ** i : min * 2 ** doublings * (i - doublings + 1);
    backoffs += Math.min(max, grown);
  }
  const span = Math.max((retries + 1) * attempt + backoffs, args.maxRetryDurationSeconds ?? 0);
  return Math.ceil((span + 300) / 60) * 60;
}
const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

/**
 * A Cloud Scheduler job with an explicit, validated time zone, an explicit retry policy, and a
 * target that authenticates: Pub/Sub (published by Cloud Scheduler's service agent), or HTTP
 * with OIDC to a Cloud Run service or Cloud Function (through a dedicated service account that
 * holds exactly the invoker role on that one target) or OAuth to `*.googleapis.com`.
 */
export class CloudSchedulerJob extends pulumi.ComponentResource {
  static readonly __pulumiType = "taskstack:scheduling:CloudSchedulerJob";

  /** The APIs a job with these args calls (enable them first: see `project.ProjectApis`). */
  static requiredApis(args: CloudSchedulerJobArgs): GcpApi[] {
    const gen = args.cloudFunctionGeneration ?? jobDefaults.cloudFunctionGeneration;
    return [
      gcpApis.cloudScheduler,
      ...(args.topic !== undefined ? [gcpApis.pubsub] : []),
      // An HTTP target's own service account, and the roles it is granted.
      ...(args.uri !== undefined ? [gcpApis.iam] : []),
      ...((args.roles ?? []).length > 0 ? [gcpApis.cloudResourceManager] : []),
      ...(args.cloudRunService !== undefined || (args.cloudFunction !== undefined && gen === 2)
        ? [gcpApis.run]
        : []),
      ...(args.cloudFunction !== undefined && gen === 1 ? [gcpApis.cloudFunctions] : []),
      ...((args.alertNotificationChannels ?? []).length > 0
        ? [gcpApis.logging, gcpApis.monitoring]
        : []),
    ];
  }

  readonly job: gcp.cloudscheduler.Job;
  /** The job's own identity (HTTP targets only). */
  readonly serviceAccount?: gcp.serviceaccount.Account;
  /** The schedule as sent: unix cron, or the App Engine format for `legacySchedule`. */
  readonly schedule: string;
  /** The time zone as sent (normalized: `UTC` → `Etc/UTC`). */
  readonly timeZone: string;
  /** True when the schedule is App Engine's English-like format (no next runs computed). */
  readonly legacy: boolean;

  constructor(
    name: string,
    args: CloudSchedulerJobArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    validateCloudSchedulerJobArgs(name, args);
    const jobName = args.jobName ?? name;
    args = {
      ...args,
      project: claimDerivedNamesWhenResolved(
        `CloudSchedulerJob ${JSON.stringify(name)}`,
        cloudSchedulerJobDerivedNames(
          name,
          args.region,
          jobName,
          args.uri === undefined
            ? undefined
            : (args.serviceAccountId ?? jobServiceAccountId(jobName)),
        ),
        args.project,
      ),
    };
    super(CloudSchedulerJob.__pulumiType, name, notesInputs(args.notes), opts);
    this.timeZone = normalizeTimeZone(args.timeZone);
    this.legacy = args.schedule === undefined;
    this.schedule = (args.schedule ?? args.legacySchedule ?? "").trim();

    let httpTarget: gcp.types.input.cloudscheduler.JobHttpTarget | undefined;
    if (args.uri !== undefined) {
      const account = new gcp.serviceaccount.Account(
        childName(name, "sa"),
        {
          project: args.project,
          accountId: args.serviceAccountId ?? jobServiceAccountId(jobName),
          displayName: `Cloud Scheduler job ${jobName}`,
          description:
            "Identity of one Cloud Scheduler job; holds only what its target needs (taskstack).",
        },
        { parent: this },
      );
      this.serviceAccount = account;
      const google = isGoogleApi(args.uri);
      const gen2 =
        args.cloudFunction !== undefined &&
        (args.cloudFunctionGeneration ?? jobDefaults.cloudFunctionGeneration) === 2;
      // A 2nd gen function is served by the Cloud Run service of the same name, which checks
      // run.invoker; cloudfunctions.invoker on the function would not let the job in.
      const runService = args.cloudRunService ?? (gen2 ? args.cloudFunction : undefined);
      if (runService !== undefined) {
        new gcp.cloudrunv2.ServiceIamMember(
          childName(name, "run-invoker"),
          {
            project: args.project,
            location: args.region,
            name: runService,
            role: "roles/run.invoker",
            member: account.member,
          },
          { parent: this },
        );
      } else if (args.cloudFunction !== undefined) {
        new gcp.cloudfunctions.FunctionIamMember(
          childName(name, "function-invoker"),
          {
            project: args.project,
            region: args.region,
            cloudFunction: args.cloudFunction,
            role: "roles/cloudfunctions.invoker",
            member: account.member,
          },
          { parent: this },
        );
      }
      if (google) {
        const roles = [...new Set(args.roles ?? [])];
        for (const role of roles) {
          new gcp.projects.IAMMember(
            childName(name, "role", role.replace(/^roles\//, "").replace(/\./g, "-")),
            { project: args.project as pulumi.Input<string>, role, member: account.member },
            { parent: this },
          );
        }
        if (roles.length === 0) {
          pulumi.log.warn(
            `CloudSchedulerJob ${JSON.stringify(name)}: its account ${args.serviceAccountId ?? jobServiceAccountId(jobName)} holds no role, so ${args.uri} will refuse its calls with 403. Give it the roles the API checks with roles (for a Cloud Run job run, roles/run.invoker).`,
            this,
          );
        }
      }
      httpTarget = {
        uri: args.uri,
        httpMethod: args.httpMethod ?? jobDefaults.httpMethod,
        body: args.body === undefined ? undefined : base64(args.body),
        headers: args.headers === undefined ? undefined : { ...args.headers },
        oauthToken: google
          ? { serviceAccountEmail: account.email, scope: args.oauthScope ?? jobDefaults.oauthScope }
          : undefined,
        oidcToken: google
          ? undefined
          : {
              serviceAccountEmail: account.email,
              audience: args.oidcAudience ?? defaultAudience(args, args.uri),
            },
      };
    }

    const topic = args.topic;
    this.job = new gcp.cloudscheduler.Job(
      childName(name, "job"),
      {
        project: args.project,
        region: args.region,
        name: jobName,
        description: args.description,
        schedule: this.schedule,
        timeZone: this.timeZone,
        paused: args.paused ?? false,
        // Pub/Sub targets take no deadline (the publish is the attempt).
        attemptDeadline:
          httpTarget === undefined
            ? undefined
            : seconds(args.attemptDeadlineSeconds ?? jobDefaults.attemptDeadlineSeconds),
        retryConfig: {
          retryCount: args.retryCount ?? jobDefaults.retryCount,
          minBackoffDuration: seconds(args.minBackoffSeconds ?? jobDefaults.minBackoffSeconds),
          maxBackoffDuration: seconds(args.maxBackoffSeconds ?? jobDefaults.maxBackoffSeconds),
          maxDoublings: args.maxDoublings ?? jobDefaults.maxDoublings,
          maxRetryDuration: seconds(args.maxRetryDurationSeconds ?? 0),
        },
        pubsubTarget:
          topic === undefined
            ? undefined
            : {
                topicName: isTopicRef(topic) ? topic.topicId : topic,
                data:
                  args.data !== undefined
                    ? base64(args.data)
                    : Object.keys(args.attributes ?? {}).length === 0
                      ? base64(jobName)
                      : undefined,
                attributes: args.attributes === undefined ? undefined : { ...args.attributes },
              },
        httpTarget,
      },
      { parent: this },
    );

    const channels = args.alertNotificationChannels ?? [];
    if (channels.length > 0) {
      // One metric per region and job id: two jobs of one id in two regions are two jobs.
      const metricName = schedulerErrorMetricName(args.region, jobName);
      const retryCount = args.retryCount ?? jobDefaults.retryCount;
      new gcp.logging.Metric(
        childName(name, "errors"),
        schedulerErrorMetricArgs({
          project: args.project,
          name: metricName,
          jobName,
          region: args.region,
        }),
        { parent: this },
      );
      // No dependsOn on the metric: it would not help (a new log metric is invisible to Cloud
      // Monitoring for minutes), and the PromQL condition does not need it to exist.
      new gcp.monitoring.AlertPolicy(
        childName(name, "failure-alert"),
        schedulerFailureAlertArgs({
          project: args.project,
          jobName,
          region: args.region,
          metricName,
          retryCount,
          windowSeconds: runSpanSeconds(args, httpTarget !== undefined),
          notificationChannels: channels,
          labels: { ...managedByLabels },
        }),
        { parent: this },
      );
    }

    this.registerOutputs({
      jobName,
      schedule: this.schedule,
      timeZone: this.timeZone,
      serviceAccountEmail: this.serviceAccount?.email,
    });
  }

  /**
   * The next `count` runs after `from`, in the job's time zone (ISO 8601 with offset), or `[]`
   * for a legacy App Engine schedule, which only Cloud Scheduler evaluates.
   */
  nextRuns(count = 3, from: Date = new Date()): string[] {
    return this.legacy ? [] : nextRuns(this.schedule, this.timeZone, count, from);
  }
}
