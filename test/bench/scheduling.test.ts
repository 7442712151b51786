import { describe, expect, it } from "vitest";
import { assertSameSchedulingWork, schedulingPrograms } from "../../bench/scheduling";
import { runProgram } from "../../testing";

describe("the queues-and-jobs bench", () => {
  it("compares variants that declare the same provider resources", async () => {
    const raw = await runProgram(schedulingPrograms.raw(2), { project: "bench" });
    const component = await runProgram(schedulingPrograms.component(2), { project: "bench" });
    // 2 × (queue, enqueuer; Pub/Sub job; account, invoker, HTTP job).
    expect(assertSameSchedulingWork(2, raw, component)).toBe(12);
  });

  it("notices when the raw variant drifts from the components", async () => {
    const raw = await runProgram(schedulingPrograms.raw(1), { project: "bench" });
    const component = await runProgram(schedulingPrograms.component(2), { project: "bench" });
    expect(() => assertSameSchedulingWork(2, raw, component)).toThrow(
      "bench: N=2: raw declares 6 resources, components 12",
    );
  });
});
