// The scale variants `npm run bench` compares on one program (N raw Pub/Sub topics with
// dead-lettering, 8 provider resources each): taskstack's offline engine (`runProgram`) against
// plain `pulumi.runtime.setMocks` with the documented mocks, and all policies against none.
// test/bench/scale.test.ts keeps the two plan variants doing the same work.
import * as pulumi from "@pulumi/pulumi";
import type { Plan } from "../testing/assertions";
import { runProgram } from "../testing/engine";
import { projectNumber } from "../testing/synthesize";
import { programs } from "./pubsub";

/** Provider resources per topic in the raw program. */
export const resourcesPerTopic = 8;

/** What one registration looked like to the mocks: type, logical name and which inputs it set. */
export interface Registration {
  readonly type: string;
  readonly name: string;
  /** The input keys, sorted (values differ only where each variant's mocks make up ids). */
  readonly inputs: string;
}

function inputKeys(inputs: Record<string, unknown>): string {
  return Object.keys(inputs)
    .filter((k) => inputs[k] !== undefined)
    .sort()
    .join(",");
}

/** The program under taskstack's engine; `onRegister` is called as each resource registers. */
export function planWithEngine(topics: number, onRegister?: (n: number) => void): Promise<Plan> {
  return runProgram(programs.raw(topics), {
    project: "bench",
    stack: undefined,
    ...(onRegister ? { onProgress: onRegister } : {}),
  });
}

/**
 * The same program under plain `pulumi.runtime.setMocks`, as Pulumi's unit-testing guide sets it up
 * (`newResource` returns the inputs, `call` answers the one invoke), waiting until every resource is
 * registered. Resolves to what the mocks saw, so the test can check both variants did the same work.
 */
export async function planWithPlainMocks(
  topics: number,
  onRegister?: (n: number) => void,
): Promise<Registration[]> {
  const seen: Registration[] = [];
  let pending = 0;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        pending++;
        onRegister?.(seen.length + 1);
        try {
          if (args.custom !== false) {
            seen.push({ type: args.type, name: args.name, inputs: inputKeys(args.inputs) });
          }
          return { id: `${args.name}-id`, state: args.inputs };
        } finally {
          pending--;
        }
      },
      call(args) {
        const projectId = "bench-test";
        return { ...args.inputs, projectId, number: projectNumber(projectId) };
      },
    },
    "bench",
    "test",
    false,
  );
  await pulumi.runtime.runInPulumiStack(async () => {
    programs.raw(topics)();
  });
  // runInPulumiStack returns once the program has run; registrations finish afterwards.
  let last = -1;
  while (last !== seen.length || pending > 0) {
    last = seen.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return seen;
}

/**
 * Runs an empty program, so that the SDK's global state (the last run's root stack, which holds
 * its whole resource graph, and the mock monitor's records) no longer holds the previous run: a
 * memory measurement that starts after this is not offset by that graph being released midway.
 */
export async function releasePreviousRun(): Promise<void> {
  await planWithPlainMocks(0);
}

/** The engine's provider resources in the form the plain mocks record them. */
export function registrationsOf(plan: Plan): Registration[] {
  return plan.resources
    .filter((r) => r.custom)
    .map((r) => ({ type: r.type, name: r.name, inputs: inputKeys(r.inputs) }));
}

/**
 * Throws unless both variants registered the same provider resources (types, logical names and
 * the inputs set). Returns how many. A bench comparing different work is worthless.
 */
export function assertSameRegistrations(
  engine: readonly Registration[],
  plain: readonly Registration[],
): number {
  const key = (r: Registration): string => `${r.type} ${r.name} ${r.inputs}`;
  const ours = new Set(engine.map(key));
  const theirs = new Set(plain.map(key));
  const missing = [...ours].filter((k) => !theirs.has(k));
  const extra = [...theirs].filter((k) => !ours.has(k));
  if (missing.length > 0 || extra.length > 0 || engine.length !== plain.length) {
    throw new Error(
      `bench: the plan variants registered different resources (engine ${engine.length}, plain mocks ${plain.length}):\n` +
        [
          ...missing.slice(0, 3).map((k) => `  only engine: ${k}`),
          ...extra.slice(0, 3).map((k) => `  only plain:  ${k}`),
        ].join("\n"),
    );
  }
  return engine.length;
}
