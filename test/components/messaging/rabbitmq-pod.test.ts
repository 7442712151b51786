import { describe, expect, it } from "vitest";
import {
  configHash,
  credentialDigest,
  preStopBudget,
  preStopCommand,
} from "../../../components/messaging/rabbitmq-pod";

describe("preStopBudget", () => {
  it.each([
    // grace, wait, drain, shutdown
    [60, 30, 15, 15],
    [90, 60, 15, 15],
    [600, 400, 100, 100],
    [3600, 3180, 300, 120],
    [86_400, 85_980, 300, 120],
  ])("splits a %i s grace into a %i s wait, %i s drain and %i s shutdown", (grace, w, d, s) => {
    const budget = preStopBudget(grace);
    expect(budget).toEqual({ awaitSeconds: w, drainSeconds: d, shutdownSeconds: s });
    // Nothing is spent past the grace: the kubelet kills the container when it runs out.
    expect(budget.awaitSeconds + budget.drainSeconds + budget.shutdownSeconds).toBe(grace);
  });

  it.each([60, 61, 127, 600, 3599, 3600, 604_800])(
    "leaves a %i s grace a wait, a drain and a shutdown of at least 15 s each",
    (grace) => {
      const b = preStopBudget(grace);
      expect(Math.min(b.awaitSeconds, b.drainSeconds, b.shutdownSeconds)).toBeGreaterThanOrEqual(
        15,
      );
    },
  );
});

describe("preStopCommand", () => {
  it("waits for quorum within its budget, then drains with its own timeout, even after a timed-out wait", () => {
    expect(preStopCommand(3600)).toBe(
      "rabbitmq-upgrade await_online_quorum_plus_one -t 3180; rabbitmq-upgrade drain -t 300",
    );
    expect(preStopCommand(60)).toBe(
      "rabbitmq-upgrade await_online_quorum_plus_one -t 30; rabbitmq-upgrade drain -t 15",
    );
  });
});

describe("credentialDigest and configHash", () => {
  it("changes with the password, never contains it, and differs per user", () => {
    const digest = credentialDigest("app", "s3cret-password");
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).not.toContain("s3cret");
    expect(credentialDigest("app", "s3cret-password")).toBe(digest);
    expect(credentialDigest("app", "other-password")).not.toBe(digest);
    expect(credentialDigest("admin", "s3cret-password")).not.toBe(digest);
    expect(configHash("conf", digest)).not.toBe(
      configHash("conf", credentialDigest("app", "other-password")),
    );
    expect(configHash("conf", digest)).toMatch(/^[0-9a-f]{16}$/);
  });
});
