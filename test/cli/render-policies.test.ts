import { describe, expect, it } from "vitest";
import { renderPolicyReport } from "../../cli/render-policies";
import { retryInterval } from "../../components/messaging/cloud-tasks-queue-schema";
import type { PolicyReport } from "../../testing/policy-runner";

const plan = { project: "p", stack: "dev", resources: [], outputs: {} };

describe("the plan's policy report", () => {
  it("shows preview-only 'can't judge' lines apart from findings, counted on their own", () => {
    const report: PolicyReport = {
      violations: [
        {
          policyName: "gcp-pubsub-subscription-enable-dead-letter-policy",
          enforcementLevel: "advisory",
          description: "Subscriptions dead-letter.",
          message: "Subscriptions dead-letter.\norders has no deadLetterPolicy.",
          resourceType: "gcp:pubsub/subscription:Subscription",
          resourceName: "orders",
        },
        {
          policyName: "gcp-pubsub-topic-configure-x",
          enforcementLevel: "advisory",
          description: "d",
          message:
            "can't run policy 'gcp-pubsub-topic-configure-x' from policy pack 'taskstack@v0.1.0' during preview: string value at .topic can't be known during preview",
          resourceType: "gcp:pubsub/topic:Topic",
          resourceName: "t",
        },
        {
          policyName: "gcp-pubsub-subscription-enforce-dead-letter-permissions",
          enforcementLevel: "advisory",
          description: "d",
          message:
            "can't decide Subscription \"jobs\" during preview: deadLetterPolicy.deadLetterTopic is only known after the update, so which topic needs the agent's roles/pubsub.publisher cannot be told yet. The update checks it again.",
          resourceType: "gcp:pubsub/subscription:Subscription",
          resourceName: "jobs",
        },
      ],
      mandatory: 0,
      advisory: 3,
      policiesRun: 41,
    };
    expect(renderPolicyReport(report, plan, { width: 120 }).split("\n")).toEqual([
      "    - [advisory]  gcp-pubsub-subscription-enable-dead-letter-policy  (gcp:pubsub/subscription:Subscription: orders)",
      "      Subscriptions dead-letter.",
      "      orders has no deadLetterPolicy.",
      "  Not judged during preview (2): each needs a value known only after `pulumi up`; not findings.",
      "    - gcp-pubsub-topic-configure-x  (gcp:pubsub/topic:Topic: t)",
      "      string value at .topic can't be known during preview",
      "    - gcp-pubsub-subscription-enforce-dead-letter-permissions  (gcp:pubsub/subscription:Subscription: jobs)",
      "      deadLetterPolicy.deadLetterTopic is only known after the update, so which topic needs the agent's",
      "      roles/pubsub.publisher cannot be told yet. The update checks it again.",
      "Policies: 41 run, 0 mandatory violations, 1 advisory, 2 not judged during preview",
    ]);
  });
});

describe("the plan's exempted findings", () => {
  it("lists them apart from findings, with each reason and where it is written, and counts them", () => {
    const report: PolicyReport = {
      violations: [],
      exempted: [
        {
          policyName: "kubernetes-core-container-disallow-latest-tag",
          urn: "urn:pulumi:dev::p::kubernetes:apps/v1:Deployment::demo",
          resourceType: "kubernetes:apps/v1:Deployment",
          resourceName: "demo",
          reason: "Demo only; torn down nightly",
          source: "annotation",
          messages: ["demo uses nginx:latest"],
        },
      ],
      mandatory: 0,
      advisory: 0,
      policiesRun: 41,
    };
    expect(renderPolicyReport(report, plan, { width: 120 }).split("\n")).toEqual([
      "  Exempted (1): each resource's own exemption from the policy; not findings.",
      "    - kubernetes-core-container-disallow-latest-tag  (kubernetes:apps/v1:Deployment: demo)",
      "      exempted: Demo only; torn down nightly [annotation]",
      "Policies: 41 run, 0 mandatory violations, 0 advisory, 1 exempted",
    ]);
  });
});

describe("Cloud Tasks' retry schedule", () => {
  // Google's example (RetryConfig.max_doublings): min 10 s, max 300 s, 3 doublings retries at
  // 10, 20, 40, 80, 160, 240, 300, 300 s.
  it("follows the documented doubling, then linear growth, then the cap", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((k) => retryInterval(k, 10, 300, 3))).toEqual([
      10, 20, 40, 80, 160, 240, 300, 300,
    ]);
  });
});
