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
