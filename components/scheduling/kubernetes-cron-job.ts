import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  cronProblem,
  cronSchedule,
  daylightSavingHazard,
  daylightSavingProblem,
  isTimeZone,
  timeZone,
} from "../../lib/cron";
import { shortestIntervalSeconds } from "../../lib/kubernetes-cron";
import {
  containerEnv,
  containerImage,
  containerResources,
  containerSecurityContext,
  defaultRunAsUser,
  kubernetesName,
  plainArgs,
  plainEnv,
  podSecurityContext,
  runAsUser,
  secretEnv,
  serviceAccountSettings,
  tmpMount,
  tmpVolume,
} from "../../lib/kubernetes-workload";
import type { ContainerResources } from "../../lib/kubernetes-workload";
import { claimDerivedNames, namesWhenKnown } from "../shared/claims";
import { childName } from "../shared/naming";
import { checkedWhenResolved } from "../shared/resolved";
import { always, bool, expected, int, problem, validateArgs } from "../shared/schema";
import type { Known, SameShape } from "../shared/schema";
import type { DerivedName } from "../messaging/pubsub-topic-schema";

/**
 * The CronJob controller's limit: Jobs are named `<cronjob>-<11 characters>`, and a Job name must
 * stay a 63-character label, so a CronJob name is at most 52 characters.
 */
export const maxCronJobNameLength = 52;

/** What a CronJob gets for each setting left out (documented as `@default` on its args). */
export const cronJobDefaults = {
  timeZone: "Etc/UTC",
  concurrencyPolicy: "Forbid",
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 3,
  backoffLimit: 2,
} as const;

/**
 * The default `startingDeadlineSeconds`: half the shortest interval, between 10 s (the controller
 * checks every 10 s; less can skip runs) and 1 hour, so a nightly run still starts after a
 * controller or control-plane outage of up to an hour, and a frequent one is not started late
 * into its successor's slot. Today's controller (pkg/controller/cronjob/utils.go,
 * mostRecentScheduleTime, since Kubernetes 1.21) no longer stops a CronJob that missed more than
 * 100 runs: it records a `TooManyMissedTimes` event and still starts the latest one. Set
 * explicitly, the deadline bounds that count and how late a run may start.
 */
export function defaultStartingDeadlineSeconds(shortestIntervalSeconds: number): number {
  return Math.max(10, Math.min(3600, Math.floor(shortestIntervalSeconds / 2)));
}

/**
 * The default `activeDeadlineSeconds`: what is left of the shortest interval once a run started
 * as late as its starting deadline allows, so a run that uses all of it ends before the next one
 * is due (with `Forbid`, an overlapping run makes the controller skip the next).
 */
export function defaultActiveDeadlineSeconds(
  shortestIntervalSeconds: number,
  startingDeadlineSeconds: number,
): number {
  return Math.max(1, shortestIntervalSeconds - startingDeadlineSeconds);
}

const concurrencyPolicies = ["Forbid", "Replace", "Allow"] as const;

/** The fields of a CronJob a stack file holds too (the stack adds `name`, sets `namespace`). */
export const kubernetesCronJobShape = {
  schedule: cronSchedule({ macros: true }),
  timeZone: timeZone.optional(),
  image: containerImage,
  command: plainArgs.min(1, expected("a non-empty command")).optional(),
  args: plainArgs.optional(),
  env: plainEnv.optional(),
  secretEnv: secretEnv.optional(),
  resources: containerResources,
  startingDeadlineSeconds: int(10, 31_622_400).optional(),
  concurrencyPolicy: z
    .enum(concurrencyPolicies, expected(`one of ${concurrencyPolicies.join(", ")}`))
    .optional(),
  successfulJobsHistoryLimit: int(0, 100).optional(),
  failedJobsHistoryLimit: int(1, 100).optional(),
  backoffLimit: int(0, 20).optional(),
  activeDeadlineSeconds: int(1, 31_622_400).optional(),
  suspend: bool.optional(),
  runAsUser: runAsUser.optional(),
  serviceAccountName: kubernetesName.optional(),
  allowDaylightSavingTransitions: bool.optional(),
};

type CronJobLike = Partial<Record<keyof typeof kubernetesCronJobShape, unknown>>;

export { shortestIntervalSeconds } from "../../lib/kubernetes-cron";

/** Rules that span a CronJob's fields: the starting deadline must fit inside the schedule. */
export function kubernetesCronJobRules(c: CronJobLike, ctx: z.RefinementCtx): void {
  const tz = c.timeZone ?? cronJobDefaults.timeZone;
  if (
    c.allowDaylightSavingTransitions !== true &&
    typeof c.schedule === "string" &&
    typeof tz === "string" &&
    isTimeZone(tz) &&
    cronProblem(c.schedule, { macros: true }) === undefined
  ) {
    // The controller's robfig/cron skips a local time in the gap for that day and runs one in the
    // overlap twice (checked against the library in robfig-cron.differential.test.ts).
    const hazard = daylightSavingHazard(c.schedule, tz, { macros: true });
    if (hazard !== undefined) {
      const why = daylightSavingProblem(hazard, tz, "allowDaylightSavingTransitions");
      problem(ctx, ["schedule"], why.expected, c.schedule, why.fix);
    }
  }
  const interval = shortestIntervalSeconds(c.schedule, c.timeZone);
  const active = c.activeDeadlineSeconds;
  if (interval !== undefined && typeof active === "number") {
    const starting =
      typeof c.startingDeadlineSeconds === "number"
        ? c.startingDeadlineSeconds
        : defaultStartingDeadlineSeconds(interval);
    const most = defaultActiveDeadlineSeconds(interval, starting);
    // A starting deadline that leaves no room is reported on its own below, not twice.
    if (starting < interval && active > most) {
      problem(
        ctx,
        ["activeDeadlineSeconds"],
        `an integer from 1 to ${most} (the shortest interval, ${interval} s, less the starting deadline, ${starting} s)`,
        active,
        "A run that starts late and uses all of it would still be running when the next is due",
      );
    }
  }
  const deadline = c.startingDeadlineSeconds;
  if (typeof deadline !== "number") return;
  if (interval !== undefined && deadline >= interval) {
    problem(
      ctx,
      ["startingDeadlineSeconds"],
      `an integer from 10 to ${interval - 1} (shorter than the schedule's shortest interval, ${interval} s)`,
      deadline,
      "A deadline that long lets a late run start after the next one was due",
    );
  }
}

/** KubernetesCronJob's args as its constructor checks them (`cronJobName` already defaulted). */
export const kubernetesCronJobArgsSchema = z
  .strictObject(
    {
      namespace: kubernetesName,
      cronJobName: kubernetesName
        .refine(
          (n) => n.length <= maxCronJobNameLength,
          expected(
            `at most ${maxCronJobNameLength} characters (the controller appends 11 to name each Job)`,
          ),
        )
        .optional(),
      ...kubernetesCronJobShape,
    },
    expected("KubernetesCronJob args: a mapping"),
  )
  .superRefine(kubernetesCronJobRules, always);

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
  readonly command?: readonly string[];
  /** Arguments to the entrypoint; no secret in them (refer to `secretEnv` as `$(NAME)`). @default - the image's command */
  readonly args?: readonly string[];
  /** Plain environment variables; secret-looking ones are refused (use `secretEnv`). @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment variables read from Secrets (`valueFrom.secretKeyRef`). @default {} */
  readonly secretEnv?: Readonly<Record<string, { readonly name: string; readonly key: string }>>;
  /** CPU and memory requests and limits, all required. */
  readonly resources: ContainerResources;
  /**
   * Seconds after its scheduled time a missed run may still start: at least 10 and shorter than
   * the schedule's shortest interval. @default - half the shortest interval, from 10 to 3600
   */
  readonly startingDeadlineSeconds?: number;
  /** What to do when a run is due while the previous one still runs. @default "Forbid" */
  readonly concurrencyPolicy?: "Forbid" | "Replace" | "Allow";
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

// The documented interface and the schema must describe the same args.
const argsMatchSchema: SameShape<
  Known<KubernetesCronJobArgs>,
  z.input<typeof kubernetesCronJobArgsSchema>
> = true;
void argsMatchSchema;

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
