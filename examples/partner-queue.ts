import { messaging, scheduling } from "taskstack";

/**
 * Chunks of a big file pushed to a partner API that takes one request at a time, and a nightly
 * job that starts the split: Cloud Scheduler calls the splitter on Cloud Run with OIDC.
 */
export function partnerQueue() {
  const chunks = new messaging.CloudTasksQueue("partner-chunks", {
    project: "acme-shop-dev",
    location: "europe-west1",
    preset: "rate-limited-api", // one task in flight, 10 attempts, backoff 10 s–10 min
    invokerServiceAccountEmail: "chunks-invoker@acme-shop-dev.iam.gserviceaccount.com",
    oidcAudience: "https://chunk-pusher-4k7mfq2xba-ew.a.run.app", // what the handler checks
    targetHost: "chunk-pusher-4k7mfq2xba-ew.a.run.app", // tokens go to this host only
    invokerCloudRunService: "chunk-pusher", // the invoker gets run.invoker on it
  });
  chunks.grantEnqueue("serviceAccount:file-splitter@acme-shop-dev.iam.gserviceaccount.com");

  const nightly = new scheduling.CloudSchedulerJob("nightly-split", {
    project: "acme-shop-dev",
    region: "europe-west1",
    schedule: "0 4 * * *", // after Berlin's daylight-saving changes (02:00-02:59)
    timeZone: "Europe/Berlin",
    uri: "https://file-splitter-4k7mfq2xba-ew.a.run.app/split",
    cloudRunService: "file-splitter",
  });
  return { queue: chunks.queueId, nextRuns: nightly.nextRuns(3, new Date("2026-03-27T12:00:00Z")) };
}
