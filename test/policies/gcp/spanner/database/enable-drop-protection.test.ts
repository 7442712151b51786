import { describe, expect, it } from "vitest";
import { gcpSpannerDatabaseEnableDropProtection as policy } from "../../../../../policies/gcp/spanner/database/enable-drop-protection";
import { fixtureResource, policyCases } from "../../../../../testing";

const DB = "gcp:spanner/database:Database";
const fixture = () => [
  fixtureResource(DB, "commerce-orders", {
    instance: "commerce",
    name: "orders",
    deletionProtection: true,
    enableDropProtection: true,
  }),
];

const message = (name: string, value: string) =>
  `Spanner database ${name} has enableDropProtection ${value}, so anyone with the permission can drop it outside Pulumi (console, gcloud, a script). Set enableDropProtection: true.`;

describe(policy.name, () => {
  it("is named for the resource type path, mandatory and high", () => {
    expect(policy.name).toBe("gcp-spanner-database-enable-drop-protection");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.severity).toBe("high");
  });

  it.each(
    policyCases(policy, {
      fixture,
      target: "commerce-orders",
      cases: [
        {
          title: "drop protection off",
          set: { enableDropProtection: false },
          messages: [message("orders", "false")],
        },
        {
          title: "drop protection undefined",
          set: { enableDropProtection: undefined },
          messages: [message("orders", "unset")],
        },
        {
          title: "drop protection undefined on a database without a name (the logical name)",
          set: { enableDropProtection: undefined, name: undefined },
          messages: [message("commerce-orders", "unset")],
        },
        {
          title: "drop protection on with Pulumi's deletion protection off",
          set: { deletionProtection: false },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
