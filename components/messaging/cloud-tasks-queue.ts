import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { TaskstackInputError } from "../shared/errors";
import { gcpApis } from "../project/project-apis";
import type { GcpApi } from "../project/project-apis";
import { managedByLabels } from "../shared/labels";
import { queueDepthAlertArgs, queueTaskFailureAlertArgs } from "../monitoring/task-alerts";
import { childName, memberSlug } from "../shared/naming";
import { claimDerivedNamesWhenResolved, namesWhenKnown } from "../shared/claims";
import { argsWhenResolved, checkedMember, checkedWhenResolved } from "../shared/resolved";
import { gcpRegion, isKnown, notesInputs, validateArgs } from "../shared/schema";
import type { Known, SameShape } from "../shared/schema";
import {
  cloudTasksQueueArgsSchema,
  cloudTasksQueueDerivedNames,
  queueDefaults,
  withPreset,
} from "./cloud-tasks-queue-schema";
import type { QueuePreset } from "./cloud-tasks-queue-types";

export interface CloudTasksQueueArgs {
  /** GCP project of the queue. @default - the provider's project (`gcp:project`) */
  readonly project?: pulumi.Input<string>;
  /** Region of the queue, e.g. `europe-west1`; an Output is checked once it resolves. */
  readonly location: pulumi.Input<string>;
  /**
   * The queue's id, which producers enqueue to. taskstack names queues explicitly (not
   * auto-named) so producers and stack checks know the name up front; the price is that Cloud
   * Tasks refuses a deleted queue's id for up to 7 days, so renaming or replacing a queue needs a
   * new id. @default - the component name
   */
  readonly queueName?: string;
  /**
   * Start from a documented preset; args given beside it win. `rate-limited-api`: one task in
   * flight, 1 dispatch/s, 10 attempts, backoff 10 s–10 min (see `queuePresets`). @default - none
   */
  readonly preset?: QueuePreset;
  /** Dispatch rate ceiling, per second (up to 500). @default 10 */
  readonly maxDispatchesPerSecond?: number;
  /** Tasks in flight at once (1–5000); 1 for an API that takes one request at a time. @default 10 */
  readonly maxConcurrentDispatches?: number;
  /**
   * Attempts per task, the first included (1–100), after which the task is dropped. Required
   * unless a preset sets it or `allowUnlimitedRetries` is true. @default - none: required
   */
  readonly maxAttempts?: number;
  /** Retry without an attempt limit, bounded by `maxRetryDurationSeconds` only. @default false */
  readonly allowUnlimitedRetries?: boolean;
  /**
   * Seconds, from a task's first attempt, during which it keeps being retried. Cloud Tasks stops
   * only once both limits are reached (`maxAttempts` attempts made and this much time passed), so
   * beside `maxAttempts` it lengthens retries, never shortens them; with `allowUnlimitedRetries`
   * it is the only bound. @default - no time limit: `maxAttempts` alone bounds retries
   */
  readonly maxRetryDurationSeconds?: number;
  /** Shortest wait before retrying a task (0.1–3600 s). @default 1 */
  readonly minBackoffSeconds?: number;
  /** Longest wait before retrying a task (0.1–3600 s). @default 600 */
  readonly maxBackoffSeconds?: number;
  /** Times the backoff doubles before growing linearly (0–16). @default 5 */
  readonly maxDoublings?: number;
  /** Share of task attempts logged to Cloud Logging (0–1). @default 1 */
  readonly loggingSamplingRatio?: number;
  /**
   * Service account whose OIDC token authenticates every dispatch (Cloud Run, Cloud Functions or
   * any handler checking Google-signed tokens); needs `oidcAudience`. Set on the queue, so the
   * identity running `pulumi up` needs `iam.serviceAccounts.actAs` on it, and producers do not.
   * @default - tasks carry the token they were created with
   */
  readonly invokerServiceAccountEmail?: pulumi.Input<string>;
  /**
   * Audience of the OIDC token: the URL the handler checks tokens against. Cloud Tasks takes a
   * queue-level OIDC override only with both the account and the audience.
   * @default - none: required with `invokerServiceAccountEmail`
   */
  readonly oidcAudience?: pulumi.Input<string>;
  /**
   * Service account whose OAuth token authenticates dispatches to `*.googleapis.com`. Set on the
   * queue, so the identity running `pulumi up` needs `iam.serviceAccounts.actAs` on it, and
   * producers do not. @default - none
   */
  readonly oauthServiceAccountEmail?: pulumi.Input<string>;
  /** OAuth scope. @default - https://www.googleapis.com/auth/cloud-platform */
  readonly oauthScope?: pulumi.Input<string>;
  /**
   * Service account producers name in each task's own OIDC or OAuth token (no queue-level
   * token): Cloud Tasks checks that whoever creates such a task may act as it, so `grantEnqueue`
   * binds `roles/iam.serviceAccountUser` on it for each producer. @default - none
   */
  readonly taskTokenServiceAccountEmail?: pulumi.Input<string>;
  /**
   * Cloud Run service (name, in `location`) the queue's OIDC tokens invoke; a 2nd gen function is
   * served by the Cloud Run service of its own name. The invoker account gets `roles/run.invoker`
   * on it, without which every dispatch is refused with 403. @default - none (bind it yourself)
   */
  readonly invokerCloudRunService?: string;
  /**
   * Host every task is sent to, overriding the host in the task's URL. Required with
   * `invokerServiceAccountEmail`: every task then carries a Google-signed token for the handler's
   * audience, and only a pinned host keeps a producer's wrong or hostile URL from receiving it.
   * @default - the task's own URL
   */
  readonly targetHost?: string;
  /**
   * Share of failed attempts over 30 minutes, held for 10 minutes, above which the failure alert
   * fires (0–1). Single failed attempts never page: a queue retries them. @default 0.5
   */
  readonly failureAlertRatio?: number;
  /** Tasks waiting before the depth alert fires (only with alert channels). @default 1000 */
  readonly depthAlertThreshold?: number;
  /** Channels alerted on queue depth and failing tasks. @default [] (no alert policies) */
  readonly alertNotificationChannels?: pulumi.Input<string>[];
  /** Protect the queue from deletion (its id could not be reused for days). @default false */
  readonly protect?: boolean;
  /**
   * Notes on how the queue was made (the App Engine import's), kept as the component's inputs:
   * `taskstack plan` prints them under the queue, and `pulumi up` keeps them in the stack's state.
   * @default []
   */
  readonly notes?: string[];
}

const argsMatchSchema: SameShape<
  Known<CloudTasksQueueArgs>,
  z.input<typeof cloudTasksQueueArgsSchema>
> = true;
void argsMatchSchema;

/** Checks CloudTasksQueue args, throwing one TaskstackInputError listing every problem. */
export function validateCloudTasksQueueArgs(name: unknown, args: unknown): void {
  validateArgs("CloudTasksQueue", name, cloudTasksQueueArgsSchema, args);
}

/** A duration as Cloud Tasks writes it (`"10s"`, `"0.5s"`). */
const seconds = (n: number): string => `${n}s`;

/**
 * A Cloud Tasks queue with the dangerous defaults replaced: a bounded number of attempts (the
 * service default is 100, with no time limit), backoff set explicitly, rates set explicitly (the
 * service allows 500 dispatches/s and 1000 in flight), every attempt logged, and optional alerts
 * on depth and failing tasks. Producers get access through `grantEnqueue`.
 */
export class CloudTasksQueue extends pulumi.ComponentResource {
  static readonly __pulumiType = "taskstack:messaging:CloudTasksQueue";

  /** The APIs a queue with these args calls (enable them first: see `project.ProjectApis`). */
  static requiredApis(args: CloudTasksQueueArgs): GcpApi[] {
    const a = withPreset(args);
    return [
      gcpApis.cloudTasks,
      // grantEnqueue binds actAs on the per-task token account through the IAM API.
      ...(a.taskTokenServiceAccountEmail !== undefined ? [gcpApis.iam] : []),
      ...(a.invokerCloudRunService !== undefined ? [gcpApis.run] : []),
      ...((a.alertNotificationChannels ?? []).length > 0 ? [gcpApis.monitoring] : []),
    ];
  }

  readonly queue: gcp.cloudtasks.Queue;
  /** `projects/<p>/locations/<l>/queues/<id>`. */
  readonly queueId: pulumi.Output<string>;
  /** The queue's id (short name), which producers enqueue to. */
  readonly queueName: string;

  private readonly componentName: string;
  private readonly project?: pulumi.Input<string>;
  private readonly location: pulumi.Input<string>;
  /** The account producers name in their tasks' tokens, which they must be able to act as. */
  private readonly taskTokenAccount?: pulumi.Input<string>;

  constructor(name: string, args: CloudTasksQueueArgs, opts: pulumi.ComponentResourceOptions = {}) {
    validateCloudTasksQueueArgs(name, args);
    const queueName = args.queueName ?? name;
    args = {
      ...args,
      project: claimDerivedNamesWhenResolved(
        `CloudTasksQueue ${JSON.stringify(name)}`,
        namesWhenKnown(args.location, (location) =>
          cloudTasksQueueDerivedNames(name, location, queueName),
        ),
        args.project,
      ),
    };
    super(CloudTasksQueue.__pulumiType, name, notesInputs(args.notes), opts);
    const a = withPreset(args);
    this.componentName = name;
    this.project = a.project;
    const location = checkedWhenResolved(
      "CloudTasksQueue",
      name,
      "location",
      gcpRegion,
      a.location,
    );
    this.location = location;
    this.taskTokenAccount = a.taskTokenServiceAccountEmail;
    this.queueName = a.queueName ?? name;

    const httpTarget =
      a.invokerServiceAccountEmail !== undefined || a.oauthServiceAccountEmail !== undefined
        ? {
            oidcToken:
              a.invokerServiceAccountEmail === undefined
                ? undefined
                : {
                    serviceAccountEmail: a.invokerServiceAccountEmail,
                    audience: a.oidcAudience,
                  },
            oauthToken:
              a.oauthServiceAccountEmail === undefined
                ? undefined
                : {
                    serviceAccountEmail: a.oauthServiceAccountEmail,
                    scope: a.oauthScope ?? "https://www.googleapis.com/auth/cloud-platform",
                  },
            uriOverride: a.targetHost === undefined ? undefined : { host: a.targetHost },
          }
        : a.targetHost === undefined
          ? undefined
          : { uriOverride: { host: a.targetHost } };

    this.queue = new gcp.cloudtasks.Queue(
      childName(name, "queue"),
      {
        project: a.project,
        location,
        name: this.queueName,
        rateLimits: {
          maxDispatchesPerSecond: a.maxDispatchesPerSecond ?? queueDefaults.maxDispatchesPerSecond,
          maxConcurrentDispatches:
            a.maxConcurrentDispatches ?? queueDefaults.maxConcurrentDispatches,
        },
        retryConfig: {
          // -1 is Cloud Tasks' "unlimited"; only reachable with allowUnlimitedRetries and a duration.
          maxAttempts: a.allowUnlimitedRetries === true ? -1 : a.maxAttempts,
          maxRetryDuration:
            a.maxRetryDurationSeconds === undefined
              ? undefined
              : seconds(a.maxRetryDurationSeconds),
          minBackoff: seconds(a.minBackoffSeconds ?? queueDefaults.minBackoffSeconds),
          maxBackoff: seconds(a.maxBackoffSeconds ?? queueDefaults.maxBackoffSeconds),
          maxDoublings: a.maxDoublings ?? queueDefaults.maxDoublings,
        },
        stackdriverLoggingConfig: {
          samplingRatio: a.loggingSamplingRatio ?? queueDefaults.loggingSamplingRatio,
        },
        httpTarget,
      },
      { parent: this, protect: a.protect ?? false },
    );
    this.queueId = this.queue.id;

    if (a.invokerCloudRunService !== undefined && a.invokerServiceAccountEmail !== undefined) {
      // Cloud Run checks run.invoker on the service for the token's account (Cloud Run,
      // "Authenticating service-to-service"; Cloud Tasks, "Create HTTP target tasks").
      new gcp.cloudrunv2.ServiceIamMember(
        childName(name, "run-invoker"),
        {
          project: a.project,
          location,
          name: a.invokerCloudRunService,
          role: "roles/run.invoker",
          member: pulumi.interpolate`serviceAccount:${a.invokerServiceAccountEmail}`,
        },
        { parent: this },
      );
    }

    const channels = a.alertNotificationChannels ?? [];
    if (channels.length > 0) {
      const common = (queueLocation: string) => ({
        project: a.project,
        location: queueLocation,
        queueId: this.queueName,
        notificationChannels: channels,
        labels: { ...managedByLabels },
      });
      new gcp.monitoring.AlertPolicy(
        childName(name, "depth-alert"),
        argsWhenResolved(location, "", (l) =>
          queueDepthAlertArgs({
            ...common(l),
            threshold: a.depthAlertThreshold ?? queueDefaults.depthAlertThreshold,
          }),
        ),
        { parent: this },
      );
      new gcp.monitoring.AlertPolicy(
        childName(name, "failure-alert"),
        argsWhenResolved(location, "", (l) =>
          queueTaskFailureAlertArgs({ ...common(l), ratio: a.failureAlertRatio }),
        ),
        { parent: this },
      );
    }

    this.registerOutputs({ queueId: this.queueId, queueName: this.queueName });
  }

  /**
   * Lets `member` create tasks on this queue: binds `roles/cloudtasks.enqueuer` on the queue and,
   * when its tasks carry their own token (`taskTokenServiceAccountEmail`),
   * `roles/iam.serviceAccountUser` on that account. A queue-level token account
   * (`invokerServiceAccountEmail`, `oauthServiceAccountEmail`) gets no binding: the producer's
   * request names no account. `id` names the bindings in the plan; it is derived from `member`
   * when that is a plain string.
   */
  grantEnqueue(
    member: pulumi.Input<string>,
    id?: string,
  ): { enqueuer: gcp.cloudtasks.QueueIamMember; actAs?: gcp.serviceaccount.IAMMember } {
    const checked = checkedMember("CloudTasksQueue", this.componentName, "grantEnqueue", member);
    const slug = bindingId(this.componentName, member, id);
    const enqueuer = new gcp.cloudtasks.QueueIamMember(
      childName(this.componentName, "enqueuer", slug),
      {
        project: this.project,
        location: this.location,
        name: this.queue.name,
        role: "roles/cloudtasks.enqueuer",
        member: checked,
      },
      { parent: this },
    );
    // Cloud Tasks' OidcToken and OAuthToken.service_account_email: "The caller must have
    // iam.serviceAccounts.actAs permission for the service account" (google/cloud/tasks/v2/
    // target.proto; cloud.google.com/tasks/docs/reference/rest/v2/OidcToken). The caller is whoever
    // sends the message holding the token: CreateTask for a token in the task (the producer), but
    // CreateQueue/UpdateQueue for the queue's httpTarget token (whoever deploys the queue). An
    // enqueue to a queue with its own token names no account, and no Cloud Tasks page asks actAs
    // of it.
    const account = this.taskTokenAccount;
    if (account === undefined) return { enqueuer };
    const actAs = new gcp.serviceaccount.IAMMember(
      childName(this.componentName, "token-user", slug),
      {
        // `-` lets IAM find the account's project from its email.
        serviceAccountId: pulumi.interpolate`projects/-/serviceAccounts/${account}`,
        role: "roles/iam.serviceAccountUser",
        member: checked,
      },
      { parent: this },
    );
    return { enqueuer, actAs };
  }
}

function bindingId(
  component: string,
  member: pulumi.Input<string>,
  id: string | undefined,
): string {
  if (id !== undefined) return id;
  if (isKnown(member) && typeof member === "string") return memberSlug(member);
  throw new TaskstackInputError([
    `CloudTasksQueue ${JSON.stringify(component)} grantEnqueue id: expected a stable id for a member that is an Output, got nothing. Pass it as the last argument`,
  ]);
}
