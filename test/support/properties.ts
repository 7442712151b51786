import { expect } from "vitest";
import fc from "fast-check";
import { TaskstackInputError } from "../../components";

/** Counts how a function under a property test ended, for checking the property was exercised. */
export interface Outcomes {
  accepted: number;
  rejected: number;
}

/**
 * True when `fn` returns, or throws a TaskstackInputError whose every problem passes `check`;
 * any other error (a TypeError above all) makes the property fail.
 */
export function failsOnlyWithInputErrors(
  fn: () => unknown,
  outcomes: Outcomes,
  check: (problem: string) => boolean = () => true,
): boolean {
  try {
    fn();
    outcomes.accepted++;
    return true;
  } catch (err) {
    outcomes.rejected++;
    return (
      err instanceof TaskstackInputError && err.problems.length > 0 && err.problems.every(check)
    );
  }
}

/** A fixed seed, so the counts a property test is judged on are the same on every run. */
export const EXERCISE_SEED = 20_261_203;

/**
 * Runs a property test that must see every kind of input it counts (accepted and refused, say),
 * without making the suite flaky. `run` makes its `fc.assert` calls with `params` spread into
 * theirs. It runs first under a fixed seed, where each count must reach its minimum: the same
 * inputs every time, so the test can never pass having seen one kind of input only. Then it runs
 * again under fast-check's random seed, to look for new failures on every run; those counts are
 * not judged, as a random run that happens to draw few accepted inputs shows no defect.
 */
export function assertExercised<K extends string>(
  counts: Record<K, number>,
  minimums: Partial<Record<K, number>>,
  run: (params: { seed?: number }) => void,
): void {
  const reset = () => {
    for (const key of Object.keys(counts) as K[]) counts[key] = 0;
  };
  reset();
  run({ seed: EXERCISE_SEED });
  for (const [key, minimum] of Object.entries(minimums) as [K, number][]) {
    expect(counts[key], `${key} inputs under seed ${EXERCISE_SEED}`).toBeGreaterThanOrEqual(
      minimum,
    );
  }
  reset();
  run({});
}

/** A value drawn from `valid` most of the time and from `invalid` now and then (1 in `weight`+1). */
export function mostly<T, U>(
  valid: fc.Arbitrary<T>,
  invalid: fc.Arbitrary<U>,
  weight = 6,
): fc.Arbitrary<T | U> {
  return fc.oneof({ weight, arbitrary: valid }, { weight: 1, arbitrary: invalid });
}

/** `mostly` over plain values: `valid` six times in seven, else one of `invalid`. */
export function mostlyValue<T>(valid: T, ...invalid: unknown[]): fc.Arbitrary<unknown> {
  return mostly(fc.constant(valid), fc.constantFrom(...invalid));
}

/** Gives `validate` any name and any args: it must only ever fail with a TaskstackInputError. */
export function assertAnyArgsFailOnlyWithInputErrors(
  validate: (name: unknown, args: unknown) => unknown,
  outcomes: Outcomes,
  params: { seed?: number },
  numRuns = 300,
): void {
  fc.assert(
    fc.property(fc.anything(), fc.anything(), (name, args) =>
      failsOnlyWithInputErrors(() => validate(name, args), outcomes),
    ),
    { numRuns, ...params },
  );
}
