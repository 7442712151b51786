import { describe, expect, it } from "vitest";
import { assertSameWork, programs } from "../../bench/workers";
import { runProgram } from "../../testing";

describe("the worker-pool bench", () => {
  it("compares variants that declare the same Kubernetes objects", async () => {
    const raw = await runProgram(programs.raw(2), { project: "bench" });
    const component = await runProgram(programs.component(2), { project: "bench" });
    // 2 pools × (bootstrap ConfigMap, 2 queues × (Deployment, PDB)).
    expect(assertSameWork(2, raw, component)).toBe(10);
  });

  it("notices when the raw variant drifts from the component", async () => {
    const raw = await runProgram(programs.raw(2), { project: "bench" });
    const component = await runProgram(programs.component(3), { project: "bench" });
    expect(() => assertSameWork(3, raw, component)).toThrow(
      /^bench: N=3: the worker-pool variants differ in 5 resources/,
    );
  });
});
