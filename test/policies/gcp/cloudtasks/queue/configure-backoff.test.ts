import { describe, expect, it } from "vitest";
import { gcpCloudtasksQueueConfigureBackoff as policy } from "../../../../../policies/gcp/cloudtasks/queue/configure-backoff";
import { policyCases } from "../../../../../testing";
import { compliantQueue } from "./fixture";

const missing = (min: string, max: string, doublings: string) =>
  `Queue retryConfig.minBackoff is ${min}, maxBackoff ${max} and maxDoublings ${doublings}; all three must be set. Set them, for example "10s", "600s" and 5.`;

describe(policy.name, () => {
  it("is mandatory", () => {
    expect(policy.name).toBe("gcp-cloudtasks-queue-configure-backoff");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantQueue,
      target: "partner-api-queue",
      cases: [
        {
          title: "undefined retryConfig",
          set: { retryConfig: undefined },
          messages: [missing("undefined", "undefined", "undefined")],
        },
        {
          title: "no minBackoff",
          set: { "retryConfig.minBackoff": undefined },
          messages: [missing("undefined", '"600s"', "4")],
        },
        {
          title: "no maxBackoff",
          set: { "retryConfig.maxBackoff": undefined },
          messages: [missing('"10s"', "undefined", "4")],
        },
        {
          title: "no maxDoublings",
          set: { "retryConfig.maxDoublings": undefined },
          messages: [missing('"10s"', '"600s"', "undefined")],
        },
        {
          title: "a minimum above the maximum",
          set: { "retryConfig.minBackoff": "900s" },
          messages: [
            'Queue retryConfig.minBackoff "900s" is longer than maxBackoff "600s". Lower minBackoff or raise maxBackoff.',
          ],
        },
        {
          title: "a malformed duration",
          set: { "retryConfig.minBackoff": "10" },
          messages: [
            'Queue retryConfig backoff is {"minBackoff":"10","maxBackoff":"600s"}; expected durations such as "10s".',
          ],
        },
      ],
    }),
  )("$title", (c) => expect(c.run()).resolves.toBeUndefined());
});
