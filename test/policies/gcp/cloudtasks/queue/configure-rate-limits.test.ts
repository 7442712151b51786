import { describe, expect, it } from "vitest";
import { gcpCloudtasksQueueConfigureRateLimits as policy } from "../../../../../policies/gcp/cloudtasks/queue/configure-rate-limits";
import { policyCases } from "../../../../../testing";
import { compliantQueue } from "./fixture";

const message = (rate: string, concurrent: string) =>
  `Queue rateLimits.maxDispatchesPerSecond is ${rate} and maxConcurrentDispatches is ${concurrent}, so Cloud Tasks' defaults (500/s, 1000 at once) apply. Set both to what the handler and its downstream APIs take (1 concurrent dispatch for an API that allows one request at a time).`;

describe(policy.name, () => {
  it("is mandatory", () => {
    expect(policy.name).toBe("gcp-cloudtasks-queue-configure-rate-limits");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantQueue,
      target: "partner-api-queue",
      cases: [
        {
          title: "undefined rateLimits",
          set: { rateLimits: undefined },
          messages: [message("undefined", "undefined")],
        },
        {
          title: "no dispatch rate",
          set: { "rateLimits.maxDispatchesPerSecond": undefined },
          messages: [message("undefined", "1")],
        },
        {
          title: "no concurrency limit",
          set: { "rateLimits.maxConcurrentDispatches": undefined },
          messages: [message("1", "undefined")],
        },
      ],
    }),
  )("$title", (c) => expect(c.run()).resolves.toBeUndefined());
});
