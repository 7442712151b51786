import { describe, expect, it } from "vitest";
import { claimDerivedNames } from "../../../components/shared/claims";
import { runProgram } from "../../../testing/engine";

const topic = (name: string) => [{ kind: "Pub/Sub topic", name }];

describe("claimDerivedNames", () => {
  it("refuses a second component that derives a name the first derived, naming both", async () => {
    await expect(
      runProgram(() => {
        claimDerivedNames('PubSubTopic "orders"', topic("orders"), "acme-prod");
        claimDerivedNames('PubSubTopic "orders-eu"', topic("orders"), "acme-prod");
      }),
    ).rejects.toThrow(
      'PubSubTopic "orders-eu": derives the Pub/Sub topic name "orders" in acme-prod, which PubSubTopic "orders" already derives: give one of them another name',
    );
  });

  it("lets names repeat across scopes, across runs, and within one component", async () => {
    const first = await runProgram(() => {
      claimDerivedNames('PubSubTopic "a"', topic("orders"), "acme-dev");
      claimDerivedNames('PubSubTopic "b"', topic("orders"), "acme-prod");
      claimDerivedNames('PubSubTopic "c"', [...topic("x"), ...topic("x")]);
      return { claimed: 3 };
    });
    expect(first.outputs["claimed"]).toBe(3);
    // A new run starts with no claims: the same names again are fine.
    const second = await runProgram(() => {
      claimDerivedNames('PubSubTopic "a"', topic("orders"), "acme-dev");
      return { claimed: 1 };
    });
    expect(second.outputs["claimed"]).toBe(1);
  });

  it("checks nothing under a test's own setMocks, where cases reuse names", async () => {
    const pulumi = await import("@pulumi/pulumi");
    // The next runProgram sets its own mocks, so this one needs no restoring.
    await pulumi.runtime.setMocks({
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => args.inputs,
    });
    expect(() => {
      claimDerivedNames('PubSubTopic "a"', topic("orders"));
      claimDerivedNames('PubSubTopic "b"', topic("orders"));
    }).not.toThrow();
  });
});
