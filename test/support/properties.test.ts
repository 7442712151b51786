import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXERCISE_SEED, assertExercised } from "./properties";

describe("assertExercised", () => {
  it("judges the counts of the fixed-seed run, then explores under a random seed", () => {
    const seeds: (number | undefined)[] = [];
    const counts = { even: 0 };
    assertExercised(counts, { even: 1 }, (params) => {
      seeds.push(params.seed);
      fc.assert(
        fc.property(fc.integer(), (n) => {
          if (n % 2 === 0) counts.even++;
          return true;
        }),
        { numRuns: 50, ...params },
      );
    });
    expect(seeds).toEqual([EXERCISE_SEED, undefined]);
  });

  it("fails when the fixed-seed run falls short of a minimum, naming the count", () => {
    const counts = { accepted: 0, rejected: 0 };
    expect(() =>
      assertExercised(counts, { accepted: 1 }, (params) =>
        fc.assert(
          fc.property(fc.integer(), () => {
            counts.rejected++;
            return true;
          }),
          { numRuns: 20, ...params },
        ),
      ),
    ).toThrow(
      `accepted inputs under seed ${EXERCISE_SEED}: expected 0 to be greater than or equal to 1`,
    );
  });
});
