import { describe, expect, it } from "vitest";
import {
  assertSameRegistrations,
  planWithEngine,
  planWithPlainMocks,
  registrationsOf,
  resourcesPerTopic,
} from "../../bench/scale";

describe("the scale bench", () => {
  it("compares plan variants that register the same resources", async () => {
    const engine = registrationsOf(await planWithEngine(3));
    const plain = await planWithPlainMocks(3);
    expect(assertSameRegistrations(engine, plain)).toBe(3 * resourcesPerTopic);
  });

  it("notices when one variant registers different resources", async () => {
    const engine = registrationsOf(await planWithEngine(2));
    const plain = await planWithPlainMocks(3);
    expect(() => assertSameRegistrations(engine, plain)).toThrow(
      /^bench: the plan variants registered different resources \(engine 16, plain mocks 24\):\n {2}only plain: {2}gcp:pubsub\/topic:Topic topic-2-topic labels,name\n/,
    );
  });
});
