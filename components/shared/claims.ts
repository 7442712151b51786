import * as pulumi from "@pulumi/pulumi";
import { TaskstackInputError } from "./errors";
import { keepMessage } from "./resolved";
import { isKnown } from "./schema";

/** A name a component derives from its args: a physical name in a cloud, or a logical name. */
export interface DerivedName {
  readonly kind: string;
  readonly name: string;
}

/**
 * The names claimed in each program run, keyed by the run's resource monitor: the engine's for a
 * real `pulumi up` or `preview` (one per process), or a fresh mock one per `runProgram` run.
 */
const claimsByRun = new WeakMap<object, Map<string, string>>();

/**
 * Set by taskstack's offline engine on the mock monitor of each `runProgram` run (testing/engine.ts),
 * so a run's claims start empty. A test's own `pulumi.runtime.setMocks` monitor lacks it: such a
 * test may build the same component in many cases under one monitor, so nothing is checked there.
 */
export const engineRunMark = Symbol.for("taskstack.engine.run");

function currentRun(): object | undefined {
  const monitor = pulumi.runtime.getMonitor() as object | undefined;
  if (monitor === undefined) return undefined;
  const mocked = monitor.constructor.name === "MockMonitor";
  return mocked && !(engineRunMark in monitor) ? undefined : monitor;
}

/**
 * Claims, for one component, the names it derives, within the program run it belongs to. Two
 * components that derive one physical name (two `PubSubTopic`s with one `topicName`, a 409 at
 * `up`, after half the stack was created) or one logical name (a duplicate URN) are refused when
 * the second is constructed, naming the first; stack files get the same check from the stack
 * schema before anything is declared. `scope` separates namespaces that cannot collide (a GCP
 * project, a Kubernetes namespace); a scope known only after `up` counts as the default one.
 * Under a test's own `setMocks` there is no run boundary to claim within, and nothing is checked.
 */
export function claimDerivedNames(
  owner: string,
  names: readonly DerivedName[],
  scope: pulumi.Input<string> | undefined = undefined,
): void {
  const run = currentRun();
  if (run === undefined) return;
  const problems = claimIn(run, owner, names, typeof scope === "string" ? scope : "");
  if (problems.length > 0) throw new TaskstackInputError(problems);
}

/**
 * `claimDerivedNames` within a scope (a GCP project) that may be an Output, which is then not
 * counted as the default scope: a known scope is claimed in now; an Output once it resolves,
 * through the value returned, which the component writes wherever it writes the scope. A clash
 * then fails every resource that carries it with one TaskstackInputError naming both owners, so
 * none of them is created; a name another component claims later in the same program is compared
 * with this one as usual. A scope unknown in a preview claims nothing; no scope (the provider's
 * project) is the default scope.
 */
export function claimDerivedNamesWhenResolved<S extends pulumi.Input<string> | undefined>(
  owner: string,
  names: readonly DerivedName[],
  scope: S,
): S {
  if (scope === undefined || isKnown(scope)) {
    claimDerivedNames(owner, names, scope);
    return scope;
  }
  const run = currentRun();
  if (run === undefined) return scope;
  let failure: TaskstackInputError | undefined;
  return pulumi.output(scope).apply((resolved) => {
    if (failure === undefined) {
      const problems = claimIn(run, owner, names, resolved);
      if (problems.length === 0) return resolved;
      failure = keepMessage(new TaskstackInputError(problems));
    }
    throw failure;
  }) as unknown as S;
}

/** Claims `names` for `owner` in `run`'s claims, or returns the clashes (claiming nothing). */
function claimIn(
  run: object,
  owner: string,
  names: readonly DerivedName[],
  scope: string,
): string[] {
  let claimed = claimsByRun.get(run);
  if (claimed === undefined) {
    claimed = new Map();
    claimsByRun.set(run, claimed);
  }
  const where = scope !== "" ? ` in ${scope}` : "";
  const problems: string[] = [];
  const mine = new Set<string>();
  for (const { kind, name } of names) {
    const key = `${scope}\u0000${kind}\u0000${name}`;
    if (mine.has(key)) continue;
    mine.add(key);
    const first = claimed.get(key);
    if (first !== undefined && first !== owner) {
      problems.push(
        `${owner}: derives the ${kind} name "${name}"${where}, which ${first} already derives: give one of them another name`,
      );
    }
  }
  if (problems.length === 0) for (const key of mine) claimed.set(key, owner);
  return problems;
}

/**
 * The names a component derives from an arg that may be an Output (a namespace, a location), for
 * `claimDerivedNames`: all of them when the arg is known; when it is an Output, only those that
 * do not contain it (logical names, names claimed within a scope), since the others cannot be
 * compared before it resolves.
 */
export function namesWhenKnown(
  arg: pulumi.Input<string>,
  derive: (arg: string) => DerivedName[],
): DerivedName[] {
  if (isKnown(arg) && typeof arg === "string") return derive(arg);
  const marker = "\u0000unknown\u0000";
  return derive(marker).filter((d) => !d.name.includes(marker));
}
