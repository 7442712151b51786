import { fixtureResource } from "../../../../../testing";

export const JOB = "gcp:cloudscheduler/job:Job";

/** A compliant HTTP job, the fixture every Cloud Scheduler policy test changes one property of. */
export const compliantJob = () => [
  fixtureResource(JOB, "report-job", {
    name: "report",
    region: "europe-west1",
    schedule: "0 7 * * 1",
    timeZone: "Europe/Berlin",
    attemptDeadline: "180s",
    retryConfig: {
      retryCount: 3,
      minBackoffDuration: "5s",
      maxBackoffDuration: "3600s",
      maxDoublings: 5,
    },
    httpTarget: {
      uri: "https://reports-x-ew.a.run.app/run",
      httpMethod: "POST",
      oidcToken: { serviceAccountEmail: "sched-report@p.iam.gserviceaccount.com" },
    },
  }),
];
