import { describe, expect, it } from "vitest";
import { gcpCloudtasksQueueConfigureRetryLimit as policy } from "../../../../../policies/gcp/cloudtasks/queue/configure-retry-limit";
import { policyCases } from "../../../../../testing";
import { compliantQueue } from "./fixture";

describe(policy.name, () => {
  it("is named for the resource type path, mandatory, with a typed knob", () => {
    expect(policy.name).toBe("gcp-cloudtasks-queue-configure-retry-limit");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.configSchema?.properties).toEqual({
      maxAttempts: { type: "integer", minimum: 1, maximum: 100, default: 100 },
    });
  });

  it.each(
    policyCases(policy, {
      fixture: compliantQueue,
      target: "partner-api-queue",
      cases: [
        {
          title: "undefined maxAttempts",
          set: { "retryConfig.maxAttempts": undefined },
          messages: [
            "Queue retryConfig.maxAttempts is undefined, so Cloud Tasks' default of 100 attempts applies. Set retryConfig.maxAttempts (at most 100).",
          ],
        },
        {
          title: "undefined retryConfig",
          set: { retryConfig: undefined },
          messages: [
            "Queue retryConfig.maxAttempts is undefined, so Cloud Tasks' default of 100 attempts applies. Set retryConfig.maxAttempts (at most 100).",
          ],
        },
        {
          title: "unlimited attempts without a duration",
          set: { "retryConfig.maxAttempts": -1 },
          messages: [
            'Queue retryConfig.maxAttempts is -1 (unlimited) without a maxRetryDuration, so a failing task is retried forever. Set maxAttempts, or a maxRetryDuration such as "86400s".',
          ],
        },
        {
          title: "unlimited attempts with a zero duration (no time limit)",
          set: { "retryConfig.maxAttempts": -1, "retryConfig.maxRetryDuration": "0s" },
          messages: [
            'Queue retryConfig.maxAttempts is -1 (unlimited) and maxRetryDuration "0s" is zero, which Cloud Tasks reads as no time limit, so a failing task is retried forever. Set maxAttempts, or a maxRetryDuration such as "86400s".',
          ],
        },
        {
          title: "unlimited attempts with a fractional zero duration",
          set: { "retryConfig.maxAttempts": -1, "retryConfig.maxRetryDuration": "0.000s" },
          messages: [
            'Queue retryConfig.maxAttempts is -1 (unlimited) and maxRetryDuration "0.000s" is zero, which Cloud Tasks reads as no time limit, so a failing task is retried forever. Set maxAttempts, or a maxRetryDuration such as "86400s".',
          ],
        },
        {
          title: "unlimited attempts with an unparseable duration",
          set: { "retryConfig.maxAttempts": -1, "retryConfig.maxRetryDuration": "1d" },
          messages: [
            'Queue retryConfig.maxAttempts is -1 (unlimited) and maxRetryDuration "1d" is not a duration in seconds such as "86400s", so it bounds nothing and a failing task is retried forever. Set maxAttempts, or a maxRetryDuration such as "86400s".',
          ],
        },
        {
          title: "unlimited attempts with a duration that is not text",
          set: { "retryConfig.maxAttempts": -1, "retryConfig.maxRetryDuration": 86400 },
          messages: [
            'Queue retryConfig.maxAttempts is -1 (unlimited) and maxRetryDuration 86400 is not a duration in seconds such as "86400s", so it bounds nothing and a failing task is retried forever. Set maxAttempts, or a maxRetryDuration such as "86400s".',
          ],
        },
        {
          title: "bounded attempts with a zero duration",
          set: { "retryConfig.maxRetryDuration": "0s" },
          messages: [],
        },
        {
          title: "unlimited attempts bounded by a duration",
          set: { "retryConfig.maxAttempts": -1, "retryConfig.maxRetryDuration": "86400s" },
          messages: [],
        },
        {
          title: "zero attempts",
          set: { "retryConfig.maxAttempts": 0 },
          messages: [
            "Queue retryConfig.maxAttempts is 0; expected 1 to 100. Lower it to at most 100.",
          ],
        },
      ],
    }),
  )("$title", (c) => expect(c.run()).resolves.toBeUndefined());

  it.each(
    policyCases(policy, {
      // The fixture's queue with 5 attempts, compliant under this stricter stack.
      fixture: () =>
        compliantQueue().map((r) => ({
          ...r,
          inputs: {
            ...r.inputs,
            retryConfig: { ...(r.inputs["retryConfig"] as object), maxAttempts: 5 },
          },
          outputs: {
            ...r.outputs,
            retryConfig: { ...(r.outputs["retryConfig"] as object), maxAttempts: 5 },
          },
        })),
      target: "partner-api-queue",
      config: { maxAttempts: 5 },
      cases: [
        {
          title: "more attempts than the stack allows",
          set: { "retryConfig.maxAttempts": 10 },
          messages: [
            "Queue retryConfig.maxAttempts is 10; expected 1 to 5. Lower it to at most 5.",
          ],
        },
      ],
    }),
  )("with maxAttempts 5: $title", (c) => expect(c.run()).resolves.toBeUndefined());
});
