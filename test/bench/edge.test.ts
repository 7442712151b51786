import { describe, expect, it } from "vitest";
import { assertSameEdgeWork, edgePrograms } from "../../bench/edge";
import { runProgram } from "../../testing";

describe("the edge bench", () => {
  it("compares variants that declare the same provider resources", async () => {
    const raw = await runProgram(edgePrograms.raw(2), { project: "bench" });
    const component = await runProgram(edgePrograms.component(2), { project: "bench" });
    // 2 sites × (provider, 6 bucket resources, OAC, certificate, 2 validation records,
    // validation, headers, 2 cache policies, distribution, bucket policy, 4 alias records).
    expect(assertSameEdgeWork(2, raw, component)).toBe(42);
  });

  it("notices when the raw variant drifts from the component", async () => {
    const raw = await runProgram(edgePrograms.raw(1), { project: "bench" });
    const component = await runProgram(edgePrograms.component(2), { project: "bench" });
    expect(() => assertSameEdgeWork(2, raw, component)).toThrow(
      /^bench: N=2: the variants declare different resources per type:/,
    );
  });
});
