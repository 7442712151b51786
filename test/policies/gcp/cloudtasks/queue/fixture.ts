import { fixtureResource } from "../../../../../testing";

export const QUEUE = "gcp:cloudtasks/queue:Queue";

/** A compliant queue, the fixture every Cloud Tasks policy test changes one property of. */
export const compliantQueue = () => [
  fixtureResource(QUEUE, "partner-api-queue", {
    name: "partner-api",
    location: "europe-west1",
    rateLimits: { maxDispatchesPerSecond: 1, maxConcurrentDispatches: 1 },
    retryConfig: { maxAttempts: 10, minBackoff: "10s", maxBackoff: "600s", maxDoublings: 4 },
  }),
];
