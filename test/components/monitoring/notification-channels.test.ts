import { describe, expect, it } from "vitest";
import { TaskstackInputError, monitoring } from "../../../components";
import { runProgram } from "../../../testing";

const CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel";

describe("NotificationChannels", () => {
  it("declares no channel by default", async () => {
    const plan = await runProgram(() => {
      new monitoring.NotificationChannels("alerts", {});
    });
    expect(plan.resourceCount(monitoring.NotificationChannels)).toBe(1);
    expect(plan.resourceCount(CHANNEL)).toBe(0);
  });

  it("declares one email channel per recipient and exposes their names in order", async () => {
    const plan = await runProgram(() => {
      const channels = new monitoring.NotificationChannels("alerts", {
        project: "acme-shop-prod",
        emails: [
          { name: "commerce-oncall", email: "commerce-oncall@acme-shop.example" },
          { name: "platform-oncall", email: "platform-oncall@acme-shop.example" },
        ],
      });
      return { ids: channels.ids };
    });
    expect(plan.get(CHANNEL, "alerts-commerce-oncall").inputs).toEqual({
      project: "acme-shop-prod",
      type: "email",
      displayName: "taskstack commerce-oncall",
      labels: { email_address: "commerce-oncall@acme-shop.example" },
      userLabels: { "managed-by": "taskstack" },
      enabled: true,
    });
    const ids = plan.findResources(CHANNEL).map((r) => r.outputs["name"]);
    expect(plan.outputs["ids"]).toEqual(ids);
    expect(ids).toHaveLength(2);
    for (const id of ids)
      expect(id).toMatch(/^projects\/acme-shop-prod\/notificationChannels\/\d+$/);
  });

  it.each<[string, monitoring.NotificationChannelsArgs, string[]]>([
    [
      "a malformed address",
      { emails: [{ name: "oncall", email: "oncall" }] },
      ['NotificationChannels "alerts" emails[0].email: expected an email address, got "oncall"'],
    ],
    [
      "a repeated name",
      {
        emails: [
          { name: "oncall", email: "a@acme.example" },
          { name: "oncall", email: "b@acme.example" },
        ],
      },
      [
        'NotificationChannels "alerts" emails[1].name: expected a name unique among the channels, got "oncall"',
      ],
    ],
  ])("rejects %s", (_case, args, problems) => {
    expect(() => monitoring.validateNotificationChannelsArgs("alerts", args)).toThrow(
      new TaskstackInputError(problems),
    );
  });
});
