import { describe, expect, it } from "vitest";
import { kubernetesCoreConfigmapDisallowPlaintextSecrets as policy } from "../../../../../policies/kubernetes";
import { policyCases } from "../../../../../testing";
import type { PlannedResource } from "../../../../../testing";
import { changed, compliantConfigMap, compliantRabbitMq } from "../../fixtures";

const fix =
  "Move it to a Secret (and mount or reference that): a ConfigMap is stored unencrypted and readable by anyone who may read the namespace's ConfigMaps.";

/** The fixture's ConfigMap with `entries` added to its data (keys may hold dots). */
const withData =
  (entries: Record<string, string>) =>
  (rs: readonly PlannedResource[]): PlannedResource[] =>
    changed(rs, "settings", (i) => {
      i["data"] = { ...(i["data"] as Record<string, string>), ...entries };
    });

describe("kubernetes-core-configmap-disallow-plaintext-secrets", () => {
  it("is named for the resource type path and mandatory", () => {
    expect(policy.name).toBe("kubernetes-core-configmap-disallow-plaintext-secrets");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      // RabbitMQ's own config (rabbitmq.conf, enabled_plugins) passes too.
      fixture: () => [compliantConfigMap(), ...compliantRabbitMq()],
      target: "settings",
      cases: [
        {
          title: "a password under a secret-looking key (read with envFrom)",
          set: { "data.DB_PASSWORD": "hunter2" },
          messages: [
            `ConfigMap data["DB_PASSWORD"] has a secret-looking key and holds a value in plain text. ${fix}`,
          ],
        },
        {
          title: "an Erlang cookie as a file",
          change: withData({ ".erlang.cookie": "COOKIE" }),
          messages: [
            `ConfigMap data[".erlang.cookie"] has a secret-looking key and holds a value in plain text. ${fix}`,
          ],
        },
        {
          title: "a broker URL with credentials under an innocent key",
          set: { "data.CELERY_BROKER_HOST": "amqp://shop:s3cret@rabbitmq:5672/celery" },
          messages: [
            `ConfigMap data["CELERY_BROKER_HOST"] holds a URL with credentials in plain text. ${fix}`,
          ],
        },
        {
          title: "a URL with credentials inside a settings file",
          change: withData({
            "settings.py": "DEBUG = False\nDATABASE_URL = 'postgres://shop:hunter2@db/shop'\n",
          }),
          messages: [
            `ConfigMap data["settings.py"] holds a URL with credentials in plain text. ${fix}`,
          ],
        },
        {
          title: "an empty secret-looking key is fine",
          set: { "data.DB_PASSWORD": "" },
          messages: [],
        },
        { title: "an undefined data", set: { data: undefined }, messages: [] },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
