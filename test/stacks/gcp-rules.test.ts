import { describe, expect, it } from "vitest";
import { TaskstackInputError } from "../../components";
import { parseStackConfig } from "../../stacks/config";

// Stack-file mistakes that used to slip through to `pulumi up` (issues 15 and 22).

const file = "stacks/Pulumi.prod.yaml";
const base = {
  "taskstack:environment": "staging",
  "taskstack:gcp": { project: "acme-shop-staging", region: "europe-west1" },
};

function problems(raw: unknown, secretKeys?: ReadonlySet<string>): readonly string[] {
  try {
    parseStackConfig(raw, file, secretKeys);
  } catch (err) {
    if (err instanceof TaskstackInputError) return err.problems;
    throw err;
  }
  return [];
}

const queue = (name: string, invoker: string) => ({
  name,
  maxAttempts: 3,
  invokerServiceAccountEmail: invoker,
  oidcAudience: `https://${name}-x-ew.a.run.app`,
  targetHost: `${name}-x-ew.a.run.app`,
});

describe("GCP stack rules", () => {
  const monitoring = {
    pagerDuty: [{ name: "pager", serviceKey: "0123456789abcdef" }],
    slack: [{ name: "alerts", channelName: "#alerts", authToken: "xoxb-1" }],
  };

  it("refuses a plain-text PagerDuty key and Slack token with the command to run", () => {
    // Pulumi marks a config key secret when its value holds a `secure:` value; a section with
    // channels that is not secret holds them in plain text.
    expect(problems({ ...base, "taskstack:monitoring": monitoring }, new Set())).toEqual([
      `${file}: taskstack:monitoring.pagerDuty[0].serviceKey: expected a secret (a secure: stack value), got plain text. Run: pulumi config set --path --secret 'taskstack:monitoring.pagerDuty[0].serviceKey' '<integration key>'`,
      `${file}: taskstack:monitoring.slack[0].authToken: expected a secret (a secure: stack value), got plain text. Run: pulumi config set --path --secret 'taskstack:monitoring.slack[0].authToken' '<OAuth token>'`,
    ]);
    expect(
      problems({ ...base, "taskstack:monitoring": monitoring }, new Set(["taskstack:monitoring"])),
    ).toEqual([]);
  });

  it("refuses a Spanner config that is a region, not an instance configuration", () => {
    // Instance configurations are regional-<region>, multi-regions (nam3, eur6…) or custom-…
    // (cloud.google.com/spanner/docs/instance-configurations).
    const spanner = (config: string) => ({
      ...base,
      "taskstack:spanner": {
        instances: [
          {
            name: "commerce",
            config,
            databases: ["orders"],
            backup: {
              databases: [{ name: "orders", schedule: "0 2 * * *", retentionSeconds: 1_209_600 }],
            },
          },
        ],
      },
    });
    expect(problems(spanner("us-east1"))).toEqual([
      `${file}: taskstack:spanner.instances[0].config: expected an instance configuration such as regional-us-east1 or nam3, not a bare region (Google's list: cloud.google.com/spanner/docs/instance-configurations), got "us-east1"`,
    ]);
    for (const ok of ["regional-us-east1", "nam3", "eur6", "nam-eur-asia1", "custom-eu-1"]) {
      expect(problems(spanner(ok))).toEqual([]);
    }
  });

  it("refuses a Pub/Sub job whose topic of this project the stack does not declare", () => {
    const job = (topic: string) => ({
      name: "nightly",
      schedule: "0 3 * * *",
      timeZone: "Etc/UTC",
      topic,
    });
    const raw = (topic: string) => ({
      ...base,
      "taskstack:messaging": { topics: [{ name: "order-events", subscriptions: [] }] },
      "taskstack:scheduling": { jobs: [job(topic)] },
    });
    expect(problems(raw("ticks"))).toEqual([
      `${file}: taskstack:scheduling.jobs[0].topic: expected a topic the stack declares under taskstack:messaging.topics (order-events), got "ticks". Declare the topic, or name another project's topic by its full id`,
    ]);
    expect(problems(raw("projects/acme-shop-staging/topics/ticks"))).toHaveLength(1);
    expect(problems(raw("order-events"))).toEqual([]);
    expect(problems(raw("projects/other-project/topics/ticks"))).toEqual([]);
  });

  it("refuses an invoker account two queues share, or one of another project", () => {
    const shared = "tasks-invoker@acme-shop-staging.iam.gserviceaccount.com";
    expect(
      problems({
        ...base,
        "taskstack:messaging": { queues: [queue("a", shared), queue("b", shared)] },
      }),
    ).toEqual([
      `${file}: taskstack:messaging.queues[1].invokerServiceAccountEmail: expected an invoker account of this queue's own (queue a uses this one), got "${shared}". Create one service account per queue`,
    ]);
    const foreign = "invoker@acme-shop-prod.iam.gserviceaccount.com";
    expect(problems({ ...base, "taskstack:messaging": { queues: [queue("a", foreign)] } })).toEqual(
      [
        `${file}: taskstack:messaging.queues[0].invokerServiceAccountEmail: expected a service account of the queue's project (acme-shop-staging): Cloud Tasks refuses an OIDC account from another project, got "${foreign}"`,
      ],
    );
  });
});
