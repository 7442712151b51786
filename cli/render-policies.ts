import type { PlanData } from "../testing/plan";
import type { PolicyReport, PolicyViolation } from "../testing/policy-runner";
import { fold } from "./render-values";

// The policy report as the plan prints it: findings first, then, apart from them, the policies
// that could not judge a resource during a preview (the analyzer's "can't run policy … during
// preview" advisories, and a stack policy's own "can't decide <resource> during preview" for one
// resource: a value known only after `up`), counted on their own so they never read as findings.

const notJudgedPrefix =
  /^can't (?:run policy '[^']+' from policy pack '[^']+'|decide \S+ "[^"]*") during preview: /;

/** True for a "can't run policy … during preview" or "can't decide … during preview" advisory. */
export function isNotJudged(v: PolicyViolation): boolean {
  return notJudgedPrefix.test(v.message);
}

export interface PolicyReportOptions {
  readonly width: number;
  /** The policy config that applied, as the user names it (`policies/config/dev.json`). */
  readonly config?: string | undefined;
  /** Policies that config disables. */
  readonly disabled?: readonly string[] | undefined;
}

export function renderPolicyReport(
  report: PolicyReport,
  plan: PlanData,
  options: PolicyReportOptions,
): string {
  const stack = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack");
  const where = (v: PolicyViolation): string =>
    v.resourceType !== undefined
      ? `${v.resourceType}: ${v.resourceName ?? ""}`
      : stack
        ? `${stack.type}: ${stack.name}`
        : (v.urn ?? "stack");
  const lines: string[] = [];
  const findings = report.violations.filter((v) => !isNotJudged(v));
  const notJudged = report.violations.filter(isNotJudged);
  for (const v of findings) {
    lines.push(`    - [${v.enforcementLevel}]  ${v.policyName}  (${where(v)})`);
    for (const line of v.message.split("\n")) {
      for (const l of fold(line, options.width - 6)) lines.push(`      ${l}`);
    }
  }
  if (notJudged.length > 0) {
    lines.push(
      `  Not judged during preview (${notJudged.length}): each needs a value known only after \`pulumi up\`; not findings.`,
    );
    for (const v of notJudged) {
      lines.push(`    - ${v.policyName}  (${where(v)})`);
      for (const l of fold(v.message.replace(notJudgedPrefix, ""), options.width - 6)) {
        lines.push(`      ${l}`);
      }
    }
  }
  const exempted = report.exempted ?? [];
  if (exempted.length > 0) {
    lines.push(
      `  Exempted (${exempted.length}): each resource's own exemption from the policy; not findings.`,
    );
    for (const e of exempted) {
      const at =
        e.resourceType !== undefined ? `${e.resourceType}: ${e.resourceName ?? ""}` : e.urn;
      lines.push(`    - ${e.policyName}  (${at})`);
      const by = e.source === "config" ? "policy config" : e.source;
      for (const l of fold(`exempted: ${e.reason} [${by}]`, options.width - 6)) {
        lines.push(`      ${l}`);
      }
    }
  }
  const noun = report.mandatory === 1 ? "violation" : "violations";
  const advisory = report.advisory - notJudged.length;
  const disabled = options.disabled ?? [];
  lines.push(
    [
      `Policies: ${report.policiesRun} run, ${report.mandatory} mandatory ${noun}, ${advisory} advisory`,
      notJudged.length > 0 ? `, ${notJudged.length} not judged during preview` : "",
      exempted.length > 0 ? `, ${exempted.length} exempted` : "",
      disabled.length > 0 && options.config !== undefined
        ? `; ${disabled.length} disabled by ${options.config}`
        : "",
    ].join(""),
  );
  if (disabled.length > 0 && options.config !== undefined) {
    for (const name of disabled) lines.push(`  disabled: ${name}`);
  }
  return lines.join("\n");
}
