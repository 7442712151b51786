import { describe, expect, it } from "vitest";
import { assertSameWork, programs } from "../../bench/pubsub";
import { runProgram } from "../../testing";

describe("the Pub/Sub bench", () => {
  it("compares variants that declare the same provider resources", async () => {
    const raw = await runProgram(programs.raw(2), { project: "bench" });
    const component = await runProgram(programs.component(2), { project: "bench" });
    // 2 topics × (topic, dead-letter topic and subscription, publisher grant, 2 × (subscription, grant)).
    expect(assertSameWork(2, raw, component)).toBe(16);
  });

  it("notices when the raw variant drifts from the component", async () => {
    const raw = await runProgram(programs.raw(2), { project: "bench" });
    const component = await runProgram(programs.component(3), { project: "bench" });
    expect(() => assertSameWork(3, raw, component)).toThrow(
      /^bench: N=3: the variants declare different resources per type:/,
    );
  });
});
