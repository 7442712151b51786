import { describe, expect, it } from "vitest";
import { assertSameSpannerWork, spannerPrograms } from "../../bench/spanner";
import { runProgram } from "../../testing";

describe("the Spanner bench", () => {
  it("compares variants that declare the same provider resources", async () => {
    const raw = await runProgram(spannerPrograms.raw(2), { project: "bench" });
    const component = await runProgram(spannerPrograms.component(2), { project: "bench" });
    // 2 instances × (2 schedules, 3 metrics, 3 alert policies, and the backup checker's 12:
    // bucket, archive, build account and its 3 roles, checker account, custom role, its grant,
    // function, invoker grant, scheduler job).
    expect(assertSameSpannerWork(2, raw, component)).toBe(40);
  });

  it("notices when the raw variant drifts from the component", async () => {
    const raw = await runProgram(spannerPrograms.raw(1), { project: "bench" });
    const component = await runProgram(spannerPrograms.component(2), { project: "bench" });
    expect(() => assertSameSpannerWork(2, raw, component)).toThrow(
      "bench: N=2: raw declares 20 resources, SpannerScheduledBackup 40",
    );
  });
});
