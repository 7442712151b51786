import { cronProblem, isTimeZone, scheduleIntervals } from "./cron";

// What a CronJob's schedule means to the Kubernetes controller, shared by KubernetesCronJob's
// schema and the policy pack.

/**
 * The zone a CronJob without `timeZone` runs in: the controller manager's local time, UTC on
 * every managed control plane (and KubernetesCronJob's default).
 */
export const controllerTimeZone = "Etc/UTC";

/** The schedule's shortest interval in its time zone, or undefined when either is invalid. */
export function shortestIntervalSeconds(schedule: unknown, tz: unknown): number | undefined {
  if (typeof schedule !== "string" || cronProblem(schedule, { macros: true }) !== undefined) {
    return undefined;
  }
  const zone = tz ?? controllerTimeZone;
  if (typeof zone !== "string" || !isTimeZone(zone)) return undefined;
  return scheduleIntervals(schedule, zone, { macros: true }).minSeconds;
}
