import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { shortestIntervalSeconds } from "../../lib/kubernetes-cron";
import {
  containerEnv,
  containerSecurityContext,
  defaultRunAsUser,
  kubernetesName,
  podSecurityContext,
  serviceAccountSettings,
  tmpMount,
  tmpVolume,
} from "../../lib/kubernetes-workload";
import type { ContainerResources, SecretKeyRef } from "../../lib/kubernetes-quantity";
import { claimDerivedNames, namesWhenKnown } from "../shared/claims";
import type { DerivedName } from "../shared/claims";
import { childName } from "../shared/naming";
import { checkedWhenResolved } from "../shared/resolved";
import { validateArgs } from "../shared/schema";
import {
  cronJobDefaults,
  defaultActiveDeadlineSeconds,
  defaultStartingDeadlineSeconds,
  kubernetesCronJobArgsSchema,
} from "./kubernetes-cron-job-schema";

/** What a CronJob does when a run is due while the previous one still runs. */
export const ConcurrencyPolicy = {
  /** Skip the new run. */
  Forbid: "Forbid",
  /** Stop the running Job and start the new one. */
  Replace: "Replace",
  /** Run both. */
  Allow: "Allow",
} as const;
export type ConcurrencyPolicy = (typeof ConcurrencyPolicy)[keyof typeof ConcurrencyPolicy];

export interface KubernetesCronJobArgs {
  /**
   * Namespace of the CronJob, e.g. a `k8s.core.v1.Namespace`'s `metadata.name` (created by the
   * stack, not here). An Output is checked once it resolves.
   */
  readonly namespace: pulumi.Input<string>;
  /** The CronJob's name (at most 52 characters). @default - the component name */
  readonly cronJobName?: string;
  /** Unix cron, or a macro such as `@daily`; never `CRON_TZ=`/`TZ=` (use `timeZone`). */
  readonly schedule: string;
  /** IANA time zone the schedule is read in. @default "Etc/UTC" */
  readonly timeZone?: string;
  /** Container image, pinned by tag or digest (never `:latest`). */
  readonly image: pulumi.Input<string>;
  /** The container's entrypoint; no secret in it (refer to `secretEnv` as `$(NAME)`). @default - the image's entrypoint */
  readonly command?: string[];
  /** Arguments to the entrypoint; no secret in them (refer to `secretEnv` as `$(NAME)`). @default - the image's command */
  readonly args?: string[];
  /** Plain environment variables; secret-looking ones are refused (use `secretEnv`). @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment variables read from Secrets (`valueFrom.secretKeyRef`). @default {} */
  readonly secretEnv?: Readonly<Record<string, SecretKeyRef>>;
  /** CPU and memory requests and limits, all required. */
  readonly resources: ContainerResources;
  /**
   * Seconds after its scheduled time a missed run may still start: at least 10 and shorter than
   * the schedule's shortest interval. @default - half the shortest interval, from 10 to 3600
   */
  readonly startingDeadlineSeconds?: number;
  /** What to do when a run is due while the previous one still runs. @default "Forbid" */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /** Finished Jobs kept for inspection. @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** Failed Jobs kept for inspection (at least 1). @default 3 */
  readonly failedJobsHistoryLimit?: number;
  /** Retries of a failed run before the Job fails. @default 2 */
  readonly backoffLimit?: number;
  /**
   * Seconds a run may take before it is killed; at most the shortest interval less the starting
   * deadline. @default - the shortest interval less the starting deadline
   */
  readonly activeDeadlineSeconds?: number;
  /** Stop scheduling runs. @default false */
  readonly suspend?: boolean;
  /** Non-root uid the container runs as. @default 65532 */
  readonly runAsUser?: number;
  /**
   * Service account of the pods. @default - the namespace's default account, its token not
   * mounted (the job does not call the Kubernetes API)
   */
  readonly serviceAccountName?: string;
  /**
   * Accept a schedule whose local time falls in its zone's daylight-saving gap or overlap: the
   * controller then skips that run on the spring-forward day and runs it twice on the fall-back
   * day. @default false
   */
  readonly allowDaylightSavingTransitions?: boolean;
}

/**
 * Checks KubernetesCronJob args with {@link kubernetesCronJobArgsSchema} before anything is
 * declared: returns nothing or throws one TaskstackInputError listing every problem.
 */
export function validateKubernetesCronJobArgs(name: unknown, args: unknown): void {
  const withName =
    typeof args === "object" && args !== null && !Array.isArray(args)
      ? { ...args, cronJobName: (args as { cronJobName?: unknown }).cronJobName ?? name }
      : args;
  validateArgs("KubernetesCronJob", name, kubernetesCronJobArgsSchema, withName);
}

/** The names a KubernetesCronJob named `name` declares, for uniqueness checks across a stack. */
export function kubernetesCronJobDerivedNames(
  name: string,
  namespace: string,
  cronJobName: string = name,
): DerivedName[] {
  return [
    { kind: "CronJob", name: `${namespace}/${cronJobName}` },
    { kind: "CronJob resource", name: childName(name, "cronjob") },
  ];
}

/**
 * A Kubernetes CronJob that keeps scheduling and never piles up or starves its node: a starting
 * deadline always set inside the schedule's interval, one run at a time, a deadline per run, kept
 * history, the `timeZone` field, resource limits, and a non-root container on a read-only root
 * filesystem. Finished Jobs are cleaned up by the history limits, not `ttlSecondsAfterFinished`
 * (which would delete them behind the controller's back).
 */
export class KubernetesCronJob extends pulumi.ComponentResource {
  static readonly __pulumiType = "taskstack:scheduling:KubernetesCronJob";

  readonly cronJob: k8s.batch.v1.CronJob;
  /** The CronJob's name in its namespace. */
  readonly cronJobName: string;
  /** The starting deadline the CronJob was given (explicit or derived from the schedule). */
  readonly startingDeadlineSeconds: number;

  constructor(
    name: string,
    args: KubernetesCronJobArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    validateKubernetesCronJobArgs(name, args);
    const cronJobName = args.cronJobName ?? name;
    claimDerivedNames(
      `KubernetesCronJob ${JSON.stringify(name)}`,
      namesWhenKnown(args.namespace, (ns) => kubernetesCronJobDerivedNames(name, ns, cronJobName)),
      args.namespace,
    );
    super(KubernetesCronJob.__pulumiType, name, {}, opts);
    const namespace = checkedWhenResolved(
      "KubernetesCronJob",
      name,
      "namespace",
      kubernetesName,
      args.namespace,
    );

    const tz = args.timeZone ?? cronJobDefaults.timeZone;
    // Validated above: the schedule and zone parse, so the interval is known.
    const interval = shortestIntervalSeconds(args.schedule, tz) as number;
    const startingDeadlineSeconds =
      args.startingDeadlineSeconds ?? defaultStartingDeadlineSeconds(interval);
    const uid = args.runAsUser ?? defaultRunAsUser;
    const labels = {
      "app.kubernetes.io/name": cronJobName,
      "app.kubernetes.io/component": "cronjob",
      "app.kubernetes.io/managed-by": "taskstack",
    };

    this.cronJob = new k8s.batch.v1.CronJob(
      childName(name, "cronjob"),
      {
        metadata: {
          name: cronJobName,
          namespace,
          labels,
          // Recorded for the policy pack: the owner chose the controller's behaviour on purpose.
          ...(args.allowDaylightSavingTransitions
            ? { annotations: { "taskstack.dev/allow-daylight-saving-transitions": "true" } }
            : {}),
        },
        spec: {
          schedule: args.schedule.trim(),
          timeZone: tz,
          startingDeadlineSeconds,
          concurrencyPolicy: args.concurrencyPolicy ?? cronJobDefaults.concurrencyPolicy,
          successfulJobsHistoryLimit:
            args.successfulJobsHistoryLimit ?? cronJobDefaults.successfulJobsHistoryLimit,
          failedJobsHistoryLimit:
            args.failedJobsHistoryLimit ?? cronJobDefaults.failedJobsHistoryLimit,
          suspend: args.suspend ?? false,
          jobTemplate: {
            metadata: { labels },
            spec: {
              backoffLimit: args.backoffLimit ?? cronJobDefaults.backoffLimit,
              activeDeadlineSeconds:
                args.activeDeadlineSeconds ??
                defaultActiveDeadlineSeconds(interval, startingDeadlineSeconds),
              template: {
                metadata: { labels },
                spec: {
                  // Never: a retry is a new pod the Job counts against backoffLimit, not a
                  // silent in-place restart.
                  restartPolicy: "Never",
                  ...serviceAccountSettings(args.serviceAccountName),
                  securityContext: podSecurityContext(uid),
                  volumes: [tmpVolume],
                  containers: [
                    {
                      name: "job",
                      image: args.image,
                      ...(args.command ? { command: [...args.command] } : {}),
                      ...(args.args ? { args: [...args.args] } : {}),
                      env: containerEnv(args.env, args.secretEnv),
                      resources: {
                        requests: { ...args.resources.requests },
                        limits: { ...args.resources.limits },
                      },
                      securityContext: containerSecurityContext(uid),
                      volumeMounts: [tmpMount],
                    },
                  ],
                },
              },
            },
          },
        },
      },
      { parent: this },
    );
    this.cronJobName = cronJobName;
    this.startingDeadlineSeconds = startingDeadlineSeconds;
    this.registerOutputs({ cronJobName, startingDeadlineSeconds });
  }
}
