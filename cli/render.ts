import type { Plan } from "../testing/assertions";
import type { PolicyReport } from "../testing/policy-runner";
import type { PlanData, PlannedResource } from "../testing/plan";
import { renderPolicyReport } from "./render-policies";
import { renderRegistrarStep } from "./render-registrar";
import { allSettings, keySettings } from "./render-settings";
import { fieldLines, fold } from "./render-values";

// The plan as a person reads it: the resource tree with each resource's key settings (or every
// input with --details), the counts, the policy report and the outputs, all within `width`
// columns. Long values are folded onto lines of their own, never cut.

/** The width the plan fits: a terminal of 120 columns, or a review page. */
export const planWidth = 120;

export interface RenderOptions {
  /** @default - the current time (next runs are computed from it) */
  readonly now?: Date;
  /** Every input of every resource instead of the key settings. @default false */
  readonly details?: boolean;
  /** @default 120 */
  readonly width?: number;
}

/** The resource tree, as `pulumi preview` shows it, with key settings under each resource. */
export function renderTree(plan: PlanData, options: RenderOptions = {}): string {
  const now = options.now ?? new Date();
  const width = options.width ?? planWidth;
  const lines: string[] = [];
  const children = new Map<string | undefined, PlannedResource[]>();
  for (const r of plan.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const depth = new Map<string, number>();
  for (const r of plan.resources) {
    depth.set(r.urn, r.parent === undefined ? 0 : (depth.get(r.parent) ?? 0) + 1);
  }
  // The name column: after the longest type, as long as half the width is left for the name.
  const column = Math.min(
    Math.floor(width / 2),
    Math.max(
      0,
      ...plan.resources.map((r) => Math.max(0, (depth.get(r.urn) ?? 0) * 3) + r.type.length + 2),
    ),
  );
  const walk = (r: PlannedResource, prefix: string, last: boolean, root: boolean): void => {
    const branch = root ? "" : last ? "└─ " : "├─ ";
    const flags = [
      r.protect ? "protect" : "",
      r.provider ? `provider=${r.provider.split("::").pop()}` : "",
    ]
      .filter(Boolean)
      .join(", ");
    const kids = children.get(r.urn) ?? [];
    const childPrefix = root ? "" : prefix + (last ? "   " : "│  ");
    const detailPrefix = `    ${childPrefix}${kids.length > 0 ? "│  " : "   "}  `;
    const left = ` +  ${prefix}${branch}${r.type}`;
    const name = `${r.name}${flags ? `  [${flags}]` : ""}`;
    const padded = `${left.padEnd(column + 4)} ${name}`;
    if (padded.length <= width) lines.push(padded);
    else if (left.length + 2 + name.length <= width) lines.push(`${left}  ${name}`);
    else {
      // A long name goes on the line under its type, at the settings' indent.
      lines.push(left);
      for (const l of fold(name, width - detailPrefix.length)) lines.push(`${detailPrefix}${l}`);
    }
    if (r.custom) {
      const settings = options.details ? allSettings(r, now) : keySettings(r, now);
      for (const [k, v] of settings) {
        for (const l of fieldLines(k, v, width - detailPrefix.length)) {
          lines.push(`${detailPrefix}${l}`);
        }
      }
    } else {
      // A component's notes (an import's: why a schedule was kept, what was dropped), which
      // plan.json keeps as the component's `notes` input.
      for (const note of componentNotes(r)) {
        for (const l of fold(`note: ${note}`, width - detailPrefix.length)) {
          lines.push(`${detailPrefix}${l}`);
        }
      }
    }
    kids.forEach((c, i) => walk(c, childPrefix, i === kids.length - 1, false));
  };
  for (const root of children.get(undefined) ?? []) walk(root, "", true, true);
  return lines.join("\n");
}

/** The notes a component was given (its `notes` input), if any. */
function componentNotes(r: PlannedResource): string[] {
  const notes = r.inputs["notes"];
  return Array.isArray(notes) ? notes.filter((n): n is string => typeof n === "string") : [];
}

/** `Resources: 42 to create` and the count per type. */
export function renderSummary(plan: PlanData): string {
  const counts = new Map<string, number>();
  for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const rows = [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  return [
    `Resources: ${plan.resources.length} to create`,
    ...rows.map(([type, n]) => `  ${String(n).padStart(4)}  ${type}`),
  ].join("\n");
}

/** Stack outputs as an indented tree; secrets stay `[secret]`. */
export function renderOutputs(plan: PlanData, width = planWidth): string {
  const entries = Object.entries(plan.outputs);
  if (entries.length === 0) return "Outputs: none";
  return ["Outputs:", ...entries.flatMap(([k, v]) => fieldLines(k, v, width, 4))].join("\n");
}

/** What one plan printed: the parts a section may read. */
export interface PlanView {
  readonly plan: Plan;
  readonly report: PolicyReport;
  readonly options: RenderOptions & {
    /** The policy config file that applied, as the user names it. */
    readonly policyConfig?: string | undefined;
    /** The stack file, as the user names it (the registrar step says which to edit). */
    readonly stackFile?: string | undefined;
    /** The policies that config disables. */
    readonly disabled?: readonly string[] | undefined;
  };
}

/**
 * The plan's sections, in order. Each returns its text, or undefined to print nothing; a new
 * section (a table of DNS records for a registrar, say) is one more function here.
 */
export const planSections: readonly ((view: PlanView) => string | undefined)[] = [
  ({ plan }) => {
    const mode = plan.preview ? "preview" : "up";
    return `Plan of stack ${plan.stack} (offline, what \`pulumi ${mode} --stack ${plan.stack}\` would ${plan.preview ? "show" : "create"}):`;
  },
  ({ plan, options }) => renderTree(plan, options),
  ({ plan }) => renderSummary(plan),
  ({ plan, report, options }) =>
    renderPolicyReport(report, plan, {
      width: options.width ?? planWidth,
      config: options.policyConfig,
      disabled: options.disabled,
    }),
  ({ plan, options }) => renderOutputs(plan, options.width ?? planWidth),
  // A static site whose DNS records live at a registrar: the records to enter, and what next.
  ({ plan, options }) =>
    renderRegistrarStep(plan, {
      stack: plan.stack,
      stackFile: options.stackFile ?? `stacks/Pulumi.${plan.stack}.yaml`,
      preview: plan.preview === true,
    }) || undefined,
];

/** The whole plan as printed by `taskstack plan`: every section, a blank line between. */
export function renderPlan(
  plan: Plan,
  report: PolicyReport,
  options: PlanView["options"] = {},
): string {
  const view: PlanView = { plan, report, options };
  return planSections
    .map((section) => section(view))
    .filter((text): text is string => text !== undefined)
    .join("\n\n");
}

/** What a run wrote, with counts: the last lines `taskstack plan` prints. */
export function renderWritten(written: {
  readonly target: string;
  readonly manifests: number;
  readonly rabbitmq: readonly string[];
}): string {
  const clusters = new Map<string, string[]>();
  for (const file of written.rabbitmq) {
    const dir = file.slice(0, file.lastIndexOf("/") + 1);
    clusters.set(dir, [...(clusters.get(dir) ?? []), file.slice(dir.length)]);
  }
  return [
    `Wrote ${written.target} (this run's files only; the previous run's were replaced):`,
    "  plan.json",
    ...(written.manifests > 0
      ? [
          `  manifests/  ${written.manifests} Kubernetes manifest${written.manifests === 1 ? "" : "s"}`,
        ]
      : []),
    ...[...clusters].map(([dir, files]) => `  ${dir}  ${files.join(", ")}`),
  ].join("\n");
}
