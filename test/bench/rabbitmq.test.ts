import { describe, expect, it } from "vitest";
import { assertSameWork, programs } from "../../bench/rabbitmq";
import { runProgram } from "../../testing";

describe("the RabbitMQ bench", () => {
  it("compares variants that declare the same provider resources", async () => {
    const raw = await runProgram(programs.raw(2), { project: "bench" });
    const component = await runProgram(programs.component(2), { project: "bench" });
    // 2 clusters × (3 passwords, 4 Secrets, ConfigMap, ServiceAccount, 2 Services, StatefulSet, PDB).
    expect(assertSameWork(2, raw, component)).toBe(26);
  });

  it("notices when the raw variant drifts from the component", async () => {
    const raw = await runProgram(programs.raw(1), { project: "bench" });
    const component = await runProgram(programs.component(2), { project: "bench" });
    expect(() => assertSameWork(2, raw, component)).toThrow(
      /^bench: N=2: raw variant does not declare /,
    );
  });
});
