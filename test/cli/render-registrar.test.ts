import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { hostInZone, renderRegistrarStep } from "../../cli/render-registrar";
import { runProgram } from "../../testing";
import { main } from "../../stacks/program";

const stacks = path.join(__dirname, "..", "..", "stacks");
const fixtures = path.join(__dirname, "..", "stacks", "fixtures");
const plan = (stack: string, stackDir = stacks, preview = false) =>
  runProgram(main, { stack, stackDir, project: "taskstack", preview });

interface SiteOutput {
  validationRecords: { name: string; type: string; value: string }[];
  aliasRecords: { name: string; type: string; value: string }[];
}

describe("the registrar step of `taskstack plan`", () => {
  it("for step 1 of an external site (docs), lists the CNAME to enter and the next commands", async () => {
    const p = await plan("docs");
    const [record] = (p.outputs["site"] as SiteOutput).validationRecords;
    const host = record!.name.replace(/\.acme-shop\.example\.$/, "");
    expect(host).toMatch(/^_[0-9a-f]{32}\.docs$/);
    expect(
      renderRegistrarStep(p, { stack: "docs", stackFile: "stacks/Pulumi.docs.yaml" }).split("\n"),
    ).toEqual([
      "Registrar step: enter these records in the acme-shop.example zone at your registrar",
      "(HOST is relative to acme-shop.example; @ is acme-shop.example itself):",
      "",
      `    HOST${" ".repeat(host.length - 4)}  TYPE   VALUE`,
      `    ${host}  CNAME  ${record!.value}`,
      "",
      "These values are synthesized offline, not the ones ACM and CloudFront will give.",
      "The real ones: after `pulumi up --stack docs`, `pulumi stack output site --stack docs --json` (site.validationRecords and site.aliasRecords).",
      "",
      "Next: 1. `pulumi up --stack docs` creates the bucket and the certificate and stops there.",
      "      2. Enter the CNAME above at your registrar; check it with `dig +short CNAME <host>.acme-shop.example`.",
      "      3. Set `validationRecordsPublished: true` under taskstack:aws.site in stacks/Pulumi.docs.yaml",
      "         and run `pulumi up --stack docs` again: it waits for ACM, then creates the",
      "         distribution and prints the alias records to enter (site.aliasRecords).",
    ]);
  });

  it("for step 2 (staging), lists the validation CNAME beside the alias and says to keep it", async () => {
    const p = await plan("staging");
    const site = p.outputs["site"] as SiteOutput;
    const text = renderRegistrarStep(p, {
      stack: "staging",
      stackFile: "stacks/Pulumi.staging.yaml",
    });
    const host = site.validationRecords[0]!.name.replace(/\.acme-shop\.example\.$/, "");
    expect(text.split("\n").slice(3, 6)).toEqual([
      `    HOST${" ".repeat(host.length - 4)}  TYPE   VALUE`,
      `    ${host}  CNAME  ${site.validationRecords[0]!.value}`,
      `    staging${" ".repeat(host.length - 7)}  CNAME  ${site.aliasRecords[0]!.value}`,
    ]);
    expect(text).toContain("Keep the validation CNAMEs: ACM renews the certificate through them.");
    expect(text).not.toContain("validationRecordsPublished");
  });

  it("for Cloud DNS with the apex at the registrar (prod), lists only the apex's ALIAS", async () => {
    const p = await plan("prod");
    const target = (p.outputs["site"] as SiteOutput).aliasRecords[0]!.value;
    expect(
      renderRegistrarStep(p, { stack: "prod", stackFile: "stacks/Pulumi.prod.yaml" })
        .split("\n")
        .slice(3, 5),
    ).toEqual(["    HOST  TYPE   VALUE", `    @     ALIAS  ${target}`]);
  });

  it("in a preview, says the values come after `up`", async () => {
    const p = await plan("docs", stacks, true);
    const text = renderRegistrarStep(p, {
      stack: "docs",
      stackFile: "stacks/Pulumi.docs.yaml",
      preview: true,
    });
    expect(text).toContain(
      "    [unknown]: the validation CNAMEs, once `up` has made the certificate",
    );
    expect(text).toContain("Values not known before `up` show as [unknown].");
  });

  it("has nothing to say when every record is in Route 53, or there is no site", async () => {
    const route53 = await plan("aws-route53", fixtures);
    expect(renderRegistrarStep(route53, { stack: "aws-route53", stackFile: "x" })).toBe("");
    const dev = await plan("dev");
    expect(renderRegistrarStep(dev, { stack: "dev", stackFile: "x" })).toBe("");
  });

  it.each([
    ["_abc.docs.acme-shop.example.", "_abc.docs"],
    ["acme-shop.example", "@"],
    ["www.acme-shop.example", "www"],
    ["other.example.", "other.example."],
  ])("hostInZone(%s) is %s", (name, host) => {
    expect(hostInZone(name, "acme-shop.example")).toBe(host);
  });
});
