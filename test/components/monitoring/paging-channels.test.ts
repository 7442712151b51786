import { describe, expect, it } from "vitest";
import { TaskstackInputError, monitoring } from "../../../components";
import { Secret, isSecret, runProgram } from "../../../testing";

const CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel";

describe("NotificationChannels: PagerDuty and Slack", () => {
  it("keeps keys and tokens secret, and lists every channel's name in ids", async () => {
    const plan = await runProgram(() => {
      const channels = new monitoring.NotificationChannels("alerts", {
        project: "acme-shop-prod",
        emails: [{ name: "oncall", email: "oncall@acme-shop.example" }],
        pagerDuty: [{ name: "pager", serviceKey: "pd-key-123" }],
        slack: [{ name: "chat", channelName: "#commerce-alerts", authToken: "xoxb-token" }],
      });
      return { ids: channels.ids };
    });
    const pager = plan.get(CHANNEL, "alerts-pager").inputs;
    expect(pager["type"]).toBe("pagerduty");
    // Secret where the component put it, as the real engine records it (scripts/real-pulumi.sh).
    expect(isSecret(pager["sensitiveLabels"])).toBe(false);
    expect(pager["sensitiveLabels"]).toEqual({ serviceKey: new Secret("pd-key-123") });
    expect(isSecret((pager["sensitiveLabels"] as Record<string, unknown>)["serviceKey"])).toBe(
      true,
    );
    const chat = plan.get(CHANNEL, "alerts-chat").inputs;
    expect(chat["type"]).toBe("slack");
    expect(chat["labels"]).toEqual({ channel_name: "#commerce-alerts" });
    expect(chat["sensitiveLabels"]).toEqual({ authToken: new Secret("xoxb-token") });
    expect(isSecret((chat["sensitiveLabels"] as Record<string, unknown>)["authToken"])).toBe(true);
    // Nothing secret leaks into the plan's JSON.
    expect(JSON.stringify(plan.toJSON())).not.toMatch(/pd-key-123|xoxb-token/);
    expect((plan.outputs["ids"] as unknown[]).length).toBe(3);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      "a Slack channel without #",
      { slack: [{ name: "chat", channelName: "alerts", authToken: "t" }] },
      'NotificationChannels "alerts" slack[0].channelName: expected a Slack channel such as #alerts, got "alerts"',
    ],
    [
      "an empty PagerDuty key",
      { pagerDuty: [{ name: "pager", serviceKey: "" }] },
      'NotificationChannels "alerts" pagerDuty[0].serviceKey: expected a non-empty PagerDuty integration key, got ""',
    ],
    [
      "one name for two kinds of channel",
      {
        emails: [{ name: "oncall", email: "oncall@acme.example" }],
        pagerDuty: [{ name: "oncall", serviceKey: "k" }],
      },
      'NotificationChannels "alerts" pagerDuty[0].name: expected a name unique among the channels, got "oncall"',
    ],
  ])("rejects %s", (_case, args, message) => {
    expect(() => monitoring.validateNotificationChannelsArgs("alerts", args)).toThrow(
      new TaskstackInputError([message]),
    );
  });
});
