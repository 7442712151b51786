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
  containerImage,
  containerResources,
  kubernetesName,
  plainArgs,
  plainEnv,
  runAsUser,
  secretEnv,
} from "../../lib/kubernetes-workload";
import { always, bool, expected, int, problem } from "../shared/schema";
import type { Known, SameShape } from "../shared/schema";
import type { ContainerResources } from "../../lib/kubernetes-quantity";
import type { KubernetesCronJobArgs } from "./kubernetes-cron-job";

// KubernetesCronJob's one args schema and its defaults, apart from the component so the
// component's published types carry no zod types (taskstack/schemas exports the schema).

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

// The documented interface and the schema must describe the same args.
const argsMatchSchema: SameShape<
  Known<KubernetesCronJobArgs>,
  z.input<typeof kubernetesCronJobArgsSchema>
> = true;
void argsMatchSchema;

// lib/kubernetes-quantity.ts's zod-free ContainerResources and lib/kubernetes-workload.ts's
// schema must describe the same object.
const resourcesMatchSchema: SameShape<
  Known<ContainerResources>,
  z.input<typeof containerResources>
> = true;
void resourcesMatchSchema;
