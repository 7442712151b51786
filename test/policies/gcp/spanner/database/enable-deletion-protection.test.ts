import { describe, expect, it } from "vitest";
import { gcpSpannerDatabaseEnableDeletionProtection as policy } from "../../../../../policies/gcp/spanner/database/enable-deletion-protection";
import { fixtureResource, policyCases } from "../../../../../testing";

const DB = "gcp:spanner/database:Database";
const fixture = () => [
  fixtureResource(DB, "commerce-orders", {
    instance: "commerce",
    name: "orders",
    deletionProtection: true,
  }),
];

describe(policy.name, () => {
  it("is mandatory", () => {
    expect(policy.name).toBe("gcp-spanner-database-enable-deletion-protection");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture,
      target: "commerce-orders",
      cases: [
        {
          title: "deletion protection off",
          set: { deletionProtection: false },
          messages: [
            "Spanner database orders sets deletionProtection: false, so pulumi destroy or a replacement drops it with its data. Remove the setting (it defaults to true) or set it to true.",
          ],
        },
        {
          title: "deletion protection unset (the provider's default, true)",
          set: { deletionProtection: undefined },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
