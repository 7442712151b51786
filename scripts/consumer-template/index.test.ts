// The consumer's own tests, with Pulumi's documented mocks (not taskstack's engine), and the two
// other entry points imported as a consumer's policy tests would.
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { Match, Secret } from "taskstack/testing";
import type { Plan } from "taskstack/testing";
import { taskstackPolicies } from "taskstack/policies";
import { orders } from "./index";

interface Declared {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

let declared: Declared[] = [];

beforeEach(async () => {
  declared = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        declared.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}_id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "acme-infra",
    "dev",
    false,
  );
});

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

async function settled(): Promise<void> {
  let last = -1;
  while (last !== declared.length) {
    last = declared.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("taskstack from a Pulumi template project", () => {
  it("declares no input containing undefined when the project number is passed", async () => {
    const out = orders("123456789012");
    expect(await valueOf(out.agent)).toBe(
      "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com",
    );
    await settled();
    expect(declared.length).toBeGreaterThan(5);
    for (const r of declared) expect(JSON.stringify(r.inputs)).not.toContain("undefined");
    const grants = declared.filter((r) => r.type === "gcp:pubsub/topicIAMMember:TopicIAMMember");
    expect(grants.map((g) => g.inputs["member"])).toContain(
      "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com",
    );
  });

  it("imports the test kit and the policy arrays", () => {
    const plan: Plan | undefined = undefined;
    expect(plan).toBeUndefined();
    expect(Match.secret("x").description).toBe("a secret");
    expect(String(new Secret("s"))).toBe("[secret]");
    expect(taskstackPolicies.length).toBeGreaterThan(0);
  });
});
