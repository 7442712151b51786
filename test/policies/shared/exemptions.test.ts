import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import type { PolicyPackConfig } from "@pulumi/policy/policy";
import { describe, expect, it } from "vitest";
import { gcpPolicies } from "../../../policies/gcp";
import { awsPolicies } from "../../../policies/aws";
import { kubernetesPolicies } from "../../../policies/kubernetes";
import { runPolicies, runProgram } from "../../../testing";
import type { PlanData, PolicyReport } from "../../../testing";

// Per-resource exemptions through the offline runner, on resources written by hand: each with a
// policy that must catch it, then the same resource exempted by the pack config or by its own
// label, tag or annotation.

const expiring = { ttl: "86400s" }; // shorter than the 7-day default retention
const policies = [...gcpPolicies, ...awsPolicies, ...kubernetesPolicies];

async function plan(program: () => void): Promise<PlanData> {
  return (await runProgram(program, { stack: "prod", project: "shop" })).toJSON();
}

function findings(report: PolicyReport): string[] {
  return report.violations.map((v) => `${v.policyName} ${v.resourceName ?? "(stack)"}`);
}

const urn = (type: string, name: string): string => `urn:pulumi:prod::shop::${type}::${name}`;
const subscriptionType = "gcp:pubsub/subscription:Subscription";

function subscriptions(labels: Record<string, string> = {}): () => void {
  return () => {
    const topic = new gcp.pubsub.Topic("orders", {});
    for (const name of ["audit-tail", "billing"]) {
      new gcp.pubsub.Subscription(name, {
        topic: topic.name,
        ackDeadlineSeconds: 60,
        retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
        expirationPolicy: expiring,
        ...(name === "audit-tail" ? { labels } : {}),
      });
    }
  };
}

const expiration = "gcp-pubsub-subscription-disallow-expiration";

describe("exemptions in the offline runner", () => {
  it("reports both subscriptions when nothing is exempt", async () => {
    const report = await runPolicies(await plan(subscriptions()), {
      policies,
      config: { all: "mandatory" },
    });
    expect(findings(report).filter((f) => f.startsWith(expiration))).toEqual([
      `${expiration} audit-tail`,
      `${expiration} billing`,
    ]);
    expect(report.exempted).toBeUndefined();
  });

  it("exempts a resource named by URN in the policy's config entry, with its reason", async () => {
    const config: PolicyPackConfig = {
      all: "mandatory",
      [expiration]: {
        exemptions: [
          { urn: urn(subscriptionType, "audit-tail"), reason: "Replayed from BigQuery; may lapse" },
        ],
      },
    };
    const report = await runPolicies(await plan(subscriptions()), { policies, config });
    expect(findings(report).filter((f) => f.startsWith(expiration))).toEqual([
      `${expiration} billing`,
    ]);
    expect(report.exempted).toEqual([
      {
        policyName: expiration,
        urn: urn(subscriptionType, "audit-tail"),
        resourceType: subscriptionType,
        resourceName: "audit-tail",
        reason: "Replayed from BigQuery; may lapse",
        source: "config",
        messages: [expect.stringContaining("expirationPolicy.ttl")],
      },
    ]);
  });

  it("exempts a resource by its GCP labels, for the policy they name only", async () => {
    const labels = {
      "taskstack-policy-exempt": expiration,
      "taskstack-policy-exempt-reason": "replayed-from-bigquery",
    };
    const report = await runPolicies(await plan(subscriptions(labels)), {
      policies,
      config: { all: "mandatory" },
    });
    expect(findings(report).filter((f) => f.startsWith(expiration))).toEqual([
      `${expiration} billing`,
    ]);
    expect(report.exempted?.map((e) => [e.policyName, e.resourceName, e.reason, e.source])).toEqual(
      [[expiration, "audit-tail", "replayed-from-bigquery", "label"]],
    );
  });

  it("does not apply an exemption for another policy", async () => {
    const other = "gcp-pubsub-subscription-configure-retry-policy";
    const labels = {
      "taskstack-policy-exempt": other,
      "taskstack-policy-exempt-reason": "retries-handled-upstream",
    };
    const config: PolicyPackConfig = {
      all: "mandatory",
      [other]: {
        exemptions: [{ urn: urn(subscriptionType, "billing"), reason: "Retries handled upstream" }],
      },
    };
    const report = await runPolicies(await plan(subscriptions(labels)), { policies, config });
    expect(findings(report).filter((f) => f.startsWith(expiration))).toEqual([
      `${expiration} audit-tail`,
      `${expiration} billing`,
    ]);
    expect(report.exempted).toBeUndefined();
  });

  it("refuses a config exemption without a reason, naming the file and the path", async () => {
    const config: PolicyPackConfig = {
      [expiration]: { exemptions: [{ urn: urn(subscriptionType, "audit-tail") }, { reason: " " }] },
    };
    await expect(
      runPolicies(await plan(subscriptions()), {
        policies,
        config,
        configSource: "policies/config/prod.json",
      }),
    ).rejects.toMatchObject({
      problems: [
        `policies/config/prod.json: ${expiration}.exemptions[0].reason: expected the reason this resource may break the policy (an exemption without one is refused), got nothing`,
        `policies/config/prod.json: ${expiration}.exemptions[1].urn: expected the resource's URN ("urn:pulumi:<stack>::<project>::<type>::<name>", as \`pulumi stack --show-urns\` prints it), got nothing`,
        `policies/config/prod.json: ${expiration}.exemptions[1].reason: expected the reason this resource may break the policy (an exemption without one is refused), got " "`,
      ],
    });
  });

  it("refuses a label exemption without a reason, or naming no policy of the pack", async () => {
    const noReason = await plan(subscriptions({ "taskstack-policy-exempt": expiration }));
    await expect(runPolicies(noReason, { policies, config: {} })).rejects.toMatchObject({
      problems: [
        `${subscriptionType} "audit-tail" (${urn(subscriptionType, "audit-tail")}): label taskstack-policy-exempt names ${expiration} but taskstack-policy-exempt-reason is missing or blank: an exemption needs the reason the resource may break the policy`,
      ],
    });
    const typo = await plan(
      subscriptions({
        "taskstack-policy-exempt": "gcp-pubsub-subscription-disallow-expiry",
        "taskstack-policy-exempt-reason": "replayed",
      }),
    );
    await expect(runPolicies(typo, { policies, config: {} })).rejects.toMatchObject({
      problems: [
        `${subscriptionType} "audit-tail" (${urn(subscriptionType, "audit-tail")}): label taskstack-policy-exempt: expected names of policies in the pack, got "gcp-pubsub-subscription-disallow-expiry"`,
      ],
    });
  });

  it("exempts per resource in a stack policy: an AWS tag on one public bucket, not the other", async () => {
    const publicAccess = "aws-s3-bucket-disallow-public-access";
    const program = (exempt: boolean) => (): void => {
      for (const name of ["press-kit", "uploads"]) {
        const bucket = new aws.s3.BucketV2(name, {
          ...(exempt && name === "press-kit"
            ? {
                tags: {
                  "taskstack-policy-exempt": `${publicAccess} aws-s3-bucket-enable-encryption`,
                  "taskstack-policy-exempt-reason":
                    "Public press kit, reviewed by security in SEC-142",
                },
              }
            : {}),
        });
        new aws.s3.BucketAclV2(`${name}-acl`, { bucket: bucket.id, acl: "public-read" });
      }
    };
    const bare = await runPolicies(await plan(program(false)), {
      policies,
      config: { all: "mandatory" },
    });
    const before = findings(bare).filter((f) => f.startsWith(publicAccess));
    expect(before).toEqual([`${publicAccess} press-kit`, `${publicAccess} uploads`]);
    const report = await runPolicies(await plan(program(true)), {
      policies,
      config: { all: "mandatory" },
    });
    expect(findings(report).filter((f) => f.startsWith(publicAccess))).toEqual([
      `${publicAccess} uploads`,
    ]);
    expect(report.exempted?.filter((e) => e.policyName === publicAccess)).toEqual([
      expect.objectContaining({
        resourceName: "press-kit",
        reason: "Public press kit, reviewed by security in SEC-142",
        source: "tag",
      }),
    ]);
  });

  it("exempts a Kubernetes workload by its annotations", async () => {
    const latest = "kubernetes-core-container-disallow-latest-tag";
    const program = (annotations: Record<string, string>) => (): void => {
      new k8s.apps.v1.Deployment("sidecar-demo", {
        metadata: { name: "sidecar-demo", annotations },
        spec: {
          selector: { matchLabels: { app: "demo" } },
          template: {
            metadata: { labels: { app: "demo" } },
            spec: { containers: [{ name: "demo", image: "nginx:latest" }] },
          },
        },
      });
    };
    const bare = await runPolicies(await plan(program({})), {
      policies,
      config: { all: "mandatory" },
    });
    expect(findings(bare)).toContain(`${latest} sidecar-demo`);
    const report = await runPolicies(
      await plan(
        program({
          "taskstack-policy-exempt": latest,
          "taskstack-policy-exempt-reason": "Demo only; torn down nightly",
        }),
      ),
      { policies, config: { all: "mandatory" } },
    );
    expect(findings(report)).not.toContain(`${latest} sidecar-demo`);
    expect(report.exempted?.map((e) => [e.policyName, e.reason, e.source])).toEqual([
      [latest, "Demo only; torn down nightly", "annotation"],
    ]);
  });
});
