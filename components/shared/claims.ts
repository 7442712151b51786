import * as pulumi from "@pulumi/pulumi";
import { TaskstackInputError } from "./errors";
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
  let claimed = claimsByRun.get(run);
  if (claimed === undefined) {
    claimed = new Map();
    claimsByRun.set(run, claimed);
  }
  const where = typeof scope === "string" && scope !== "" ? ` in ${scope}` : "";
  const problems: string[] = [];
  const mine = new Set<string>();
  for (const { kind, name } of names) {
    const key = `${typeof scope === "string" ? scope : ""}\u0000${kind}\u0000${name}`;
    if (mine.has(key)) continue;
    mine.add(key);
    const first = claimed.get(key);
    if (first !== undefined && first !== owner) {
      problems.push(
        `${owner}: derives the ${kind} name "${name}"${where}, which ${first} already derives: give one of them another name`,
      );
    }
  }
  if (problems.length > 0) throw new TaskstackInputError(problems);
  for (const key of mine) claimed.set(key, owner);
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
