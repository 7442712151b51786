import { runPolicies, runProgram } from "../../../testing";
import type { PolicyViolation } from "../../../testing";
import type { Scenario } from "./scenario";

// Runs the corpus through the offline engine and the pack, and says, per resource, what the pack
// made of it: a good resource must get no violation, a bad one a violation from its policy.

export type Mode = "up" | "preview" | "engine";

export const modes: readonly Mode[] = ["up", "preview", "engine"];

export const modeTitles: Readonly<Record<Mode, string>> = {
  up: "up",
  preview: "runner's preview",
  engine: "engine-faithful preview",
};

export interface Verdict {
  readonly scenario: string;
  readonly resource: string;
  readonly type: string;
  /** The policy that must catch it, for a bad resource. */
  readonly policy?: string;
  /** caught: its policy reported it; advisory: its policy said it cannot judge it in preview. */
  readonly outcome: "caught" | "advisory" | "missed" | "clean" | "false-positive";
  /** The violations on this resource (every policy), as `policy: message`. */
  readonly findings: readonly string[];
  /** The policies that reported this resource as a finding (not as "cannot judge yet"). */
  readonly fired: readonly string[];
}

/**
 * A preview's "cannot judge this yet": the analyzer's "can't run policy … during preview" or a
 * policy's own per-resource advisory. The corpus runs with every policy mandatory, so an advisory
 * is never a finding.
 */
const notJudged = (v: PolicyViolation): boolean => v.enforcementLevel === "advisory";

function runOptions(mode: Mode) {
  return mode === "up" ? {} : { preview: mode === "preview" ? true : ("engine" as const) };
}

export async function judge(scenarios: readonly Scenario[], mode: Mode): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (const s of scenarios) {
    const plan = await runProgram(s.program, {
      stack: undefined,
      config: s.config ?? {},
      project: "corpus",
      ...runOptions(mode),
    });
    const report = await runPolicies(plan, { config: { all: "mandatory" } });
    const byUrn = new Map<string, PolicyViolation[]>();
    const blind: PolicyViolation[] = [];
    for (const v of report.violations) {
      if (v.urn === undefined) blind.push(v);
      else byUrn.set(v.urn, [...(byUrn.get(v.urn) ?? []), v]);
    }
    for (const r of plan.resources) {
      if (!r.custom || r.type.startsWith("pulumi:")) continue;
      const found = byUrn.get(r.urn) ?? [];
      const findings = found.map(
        (v) =>
          `${v.policyName}${notJudged(v) ? " (advisory)" : ""}: ${v.message.split("\n").pop() ?? ""}`,
      );
      const fired = [...new Set(found.filter((v) => !notJudged(v)).map((v) => v.policyName))];
      const policy = s.bad?.[r.name];
      let outcome: Verdict["outcome"];
      if (policy === undefined) {
        outcome = found.some((v) => !notJudged(v)) ? "false-positive" : "clean";
      } else if (found.some((v) => v.policyName === policy && !notJudged(v))) {
        outcome = "caught";
      } else if (found.some((v) => v.policyName === policy)) {
        outcome = "advisory";
      } else {
        outcome = "missed";
        for (const v of blind) {
          if (v.policyName === policy) findings.push(`${v.policyName} (whole stack): ${v.message}`);
        }
      }
      verdicts.push({
        scenario: s.title,
        resource: r.name,
        type: r.type,
        ...(policy !== undefined ? { policy } : {}),
        outcome,
        findings,
        fired,
      });
    }
  }
  return verdicts;
}

export interface Tally {
  bad: number;
  caught: number;
  advisory: number;
  missed: number;
  good: number;
  falsePositives: number;
}

const empty = (): Tally => ({
  bad: 0,
  caught: 0,
  advisory: 0,
  missed: 0,
  good: 0,
  falsePositives: 0,
});

/** Counts per policy (bad resources by their label; false positives by the policy that fired). */
export function tally(verdicts: readonly Verdict[]): {
  byPolicy: Map<string, Tally>;
  total: Tally;
} {
  const byPolicy = new Map<string, Tally>();
  const total = empty();
  const of = (p: string): Tally => {
    let t = byPolicy.get(p);
    if (!t) byPolicy.set(p, (t = empty()));
    return t;
  };
  for (const v of verdicts) {
    if (v.policy !== undefined) {
      const t = of(v.policy);
      t.bad++;
      total.bad++;
      const key = v.outcome === "caught" || v.outcome === "advisory" ? v.outcome : "missed";
      t[key]++;
      total[key]++;
    } else {
      total.good++;
      if (v.outcome === "false-positive") {
        total.falsePositives++;
        for (const p of v.fired) of(p).falsePositives++;
      }
    }
  }
  return { byPolicy, total };
}

/** The README's table: one row per policy, caught/bad and false positives per mode. */
export function table(results: ReadonlyMap<Mode, readonly Verdict[]>): string {
  const tallies = new Map([...results].map(([m, v]) => [m, tally(v)]));
  const policies = new Set<string>();
  for (const t of tallies.values()) for (const p of t.byPolicy.keys()) policies.add(p);
  const head = `| policy | ${modes.map((m) => `${modeTitles[m]}: caught / advisory / missed of bad, false positives`).join(" | ")} |`;
  const rule = `|---|${modes.map(() => "---").join("|")}|`;
  const cell = (t: Tally | undefined): string =>
    t === undefined
      ? "-"
      : `${t.caught} / ${t.advisory} / ${t.missed} of ${t.bad}, FP ${t.falsePositives}`;
  const rows = [...policies]
    .sort()
    .map(
      (p) => `| ${p} | ${modes.map((m) => cell(tallies.get(m)?.byPolicy.get(p))).join(" | ")} |`,
    );
  const totals = `| **all** (${tallies.get("up")?.total.good ?? 0} good, ${tallies.get("up")?.total.bad ?? 0} bad) | ${modes
    .map((m) => {
      const t = tallies.get(m)?.total;
      return t === undefined
        ? "-"
        : `**${t.caught} / ${t.advisory} / ${t.missed} of ${t.bad}, FP ${t.falsePositives}**`;
    })
    .join(" | ")} |`;
  return [head, rule, ...rows, totals].join("\n");
}

/** One line per verdict that misses the goal: `mode outcome resource (policy)`. */
export function gaps(mode: Mode, verdicts: readonly Verdict[]): string[] {
  return verdicts
    .filter((v) => v.outcome === "missed" || v.outcome === "false-positive")
    .map((v) => `${mode} ${v.outcome} ${v.resource}${v.policy ? ` (${v.policy})` : ""}`);
}
