import type { Plan } from "../testing/assertions";

// The registrar step of a static site whose DNS records are (partly) kept outside the stack:
// which records to enter, in a form a registrar's form takes, and what to run next. Read from the
// stack's `site` output (stacks/edge.ts), so it shows exactly what `pulumi stack output` will.

interface SiteRecord {
  readonly name: string;
  readonly type: string;
  readonly value: string;
}

interface SiteOutput {
  readonly domainName: string;
  readonly dnsValidation: string;
  readonly awaitingValidationRecords: boolean;
  /** Not an array in a preview: ACM gives the records once the certificate exists. */
  readonly validationRecords: readonly SiteRecord[] | unknown;
  readonly aliasRecords: readonly SiteRecord[] | unknown;
}

function isSiteOutput(value: unknown): value is SiteOutput {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v["domainName"] === "string" &&
    typeof v["dnsValidation"] === "string" &&
    "validationRecords" in v &&
    "aliasRecords" in v
  );
}

/** A record's name as registrars ask for it: relative to the zone, `@` for the apex. */
export function hostInZone(name: string, zone: string): string {
  const bare = String(name).replace(/\.$/, "");
  if (bare === zone) return "@";
  return bare.endsWith(`.${zone}`) ? bare.slice(0, -zone.length - 1) : `${bare}.`;
}

function table(records: readonly SiteRecord[], zone: string): string[] {
  const rows = records.map((r) => [hostInZone(r.name, zone), r.type, String(r.value)]);
  const widths = [0, 1].map((i) => Math.max(4, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    `    ${cells[0]!.padEnd(widths[0]!)}  ${cells[1]!.padEnd(widths[1]!)}  ${cells[2]}`;
  return [line(["HOST", "TYPE", "VALUE"]), ...rows.map(line)];
}

export interface RegistrarStepOptions {
  readonly stack: string;
  /** The stack file, as the user names it (e.g. `stacks/Pulumi.docs.yaml`). */
  readonly stackFile: string;
  /** Planned as `pulumi preview` runs (values known after `up` are unknown). */
  readonly preview?: boolean;
}

/**
 * The records a site's owner enters at the registrar, as a table (host relative to the zone,
 * type, value), where the real values appear, and the next command; empty when the stack has no
 * site or keeps every record in its own zone.
 */
export function renderRegistrarStep(plan: Plan, options: RegistrarStepOptions): string {
  const site = plan.outputs["site"];
  if (!isSiteOutput(site)) return "";
  const external = site.dnsValidation === "external";
  const known = (records: unknown): readonly SiteRecord[] | undefined =>
    Array.isArray(records) ? (records as SiteRecord[]) : undefined;
  const validation = external ? known(site.validationRecords) : [];
  const aliases = known(site.aliasRecords);
  const records = [...(validation ?? []), ...(aliases ?? [])];
  const pending = [
    ...(validation === undefined
      ? ["the validation CNAMEs, once `up` has made the certificate"]
      : []),
    ...(aliases === undefined ? ["the alias records, once `up` has made the distribution"] : []),
  ];
  if (records.length === 0 && pending.length === 0) return "";
  const zone = site.domainName;
  const { stack, stackFile } = options;
  const lines = [
    `Registrar step: enter these records in the ${zone} zone at your registrar`,
    `(HOST is relative to ${zone}; @ is ${zone} itself):`,
    "",
    ...(records.length > 0 ? table(records, zone) : []),
    ...pending.map((what) => `    [unknown]: ${what}`),
    "",
    options.preview
      ? "Values not known before `up` show as [unknown]."
      : "These values are synthesized offline, not the ones ACM and CloudFront will give.",
    `The real ones: after \`pulumi up --stack ${stack}\`, \`pulumi stack output site --stack ${stack} --json\` (site.${external ? "validationRecords and site.aliasRecords" : "aliasRecords"}).`,
  ];
  if (external && site.awaitingValidationRecords) {
    lines.push(
      "",
      `Next: 1. \`pulumi up --stack ${stack}\` creates the bucket and the certificate and stops there.`,
      "      2. Enter the CNAME above at your registrar; check it with `dig +short CNAME <host>." +
        `${zone}\`.`,
      `      3. Set \`validationRecordsPublished: true\` under taskstack:aws.site in ${stackFile}`,
      `         and run \`pulumi up --stack ${stack}\` again: it waits for ACM, then creates the`,
      "         distribution and prints the alias records to enter (site.aliasRecords).",
    );
  } else if (external) {
    lines.push(
      "",
      "Keep the validation CNAMEs: ACM renews the certificate through them. Point each alias at the",
      "distribution with the record above (an apex takes ALIAS/ANAME or CNAME flattening).",
    );
  }
  return lines.join("\n");
}
