import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy";
import type {
  EnforcementLevel,
  PolicyPackConfig,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { gcpPubsubSubscriptionDisallowExpiration, taskstackPolicies } from "../../policies/rules";
import { field } from "../../policies/gcp/pubsub/references";
import { Unknown, isUnknown, known, reportUndecided } from "../../policies/shared/preview";
import { runProgram } from "../../testing/engine";
import { Secret, isUnknownValue } from "../../testing/plan";
import type { PlanData } from "../../testing/plan";
import {
  effectiveEnforcementLevel,
  PolicyRunError,
  formatPolicyReport,
  loadPolicyConfig,
  runPolicies,
} from "../../testing/policy-runner";
import {
  compliantPubsub,
  planOf,
  resource,
  types,
  urnOf,
  withInputs,
  without,
} from "../policies/fixtures";

const subUrn = urnOf(types.subscription, "orders-sub");

/** A resource policy that flags every subscription, at the given own level. */
function flagSubscriptions(level?: EnforcementLevel, name = "test-flag"): ResourceValidationPolicy {
  return {
    name,
    description: "flags subscriptions",
    ...(level ? { enforcementLevel: level } : {}),
    validateResource: validateResourceOfType(gcp.pubsub.Subscription, (_s, args, report) => {
      report(`flagged ${args.name}`);
    }),
  };
}

const onlySub = (): PlanData =>
  planOf(resource(types.subscription, "orders-sub", { name: "orders-sub" }));

/** A plan whose one subscription breaks disallow-expiration and nothing else. */
const expiringPlan = (stack: string): PlanData => ({
  ...planOf(...withInputs(compliantPubsub(), "orders-sub", (i) => without(i, "expirationPolicy"))),
  stack,
});

describe("runPolicies", () => {
  it("finds no violation in a compliant plan with every taskstack policy", async () => {
    const report = await runPolicies(planOf(...compliantPubsub()), { stack: "prod" });
    expect(report).toEqual({
      violations: [],
      mandatory: 0,
      advisory: 0,
      policiesRun: taskstackPolicies.length,
    });
    expect(taskstackPolicies.map((p) => p.name).sort()).toEqual([
      "aws-acm-certificate-configure-dns-validation",
      "aws-cloudfront-distribution-configure-acm-certificate",
      "aws-cloudfront-distribution-configure-origin-tls",
      "aws-cloudfront-distribution-configure-secure-tls",
      "aws-cloudfront-distribution-disallow-unencrypted-traffic",
      "aws-cloudfront-distribution-enable-access-logging",
      "aws-cloudfront-distribution-enable-security-headers",
      "aws-cloudfront-distribution-enable-waf",
      "aws-cloudfront-distribution-enforce-us-east-1-certificate",
      "aws-s3-bucket-disallow-public-access",
      "aws-s3-bucket-enable-encryption",
      "aws-s3-bucketpolicy-disallow-public-access",
      "aws-s3-bucketpolicy-enforce-secure-transport",
      "gcp-cloudscheduler-job-configure-oidc",
      "gcp-cloudscheduler-job-configure-retry",
      "gcp-cloudscheduler-job-configure-time-zone",
      "gcp-cloudscheduler-job-disallow-daylight-saving-times",
      "gcp-cloudtasks-queue-configure-backoff",
      "gcp-cloudtasks-queue-configure-rate-limits",
      "gcp-cloudtasks-queue-configure-retry-limit",
      "gcp-cloudtasks-queue-disallow-public-access",
      "gcp-monitoring-alertpolicy-configure-notification-channel",
      "gcp-pubsub-subscription-configure-push-oidc",
      "gcp-pubsub-subscription-configure-retry-policy",
      "gcp-pubsub-subscription-disallow-expiration",
      "gcp-pubsub-subscription-enable-dead-letter-policy",
      "gcp-pubsub-subscription-enforce-dead-letter-permissions",
      "gcp-pubsub-topic-disallow-public-access",
      "gcp-pubsub-topic-enforce-dead-letter-subscription",
      "gcp-spanner-backupschedule-configure-encryption",
      "gcp-spanner-backupschedule-configure-frequency",
      "gcp-spanner-backupschedule-configure-retention",
      "gcp-spanner-database-enable-backup-schedule",
      "gcp-spanner-database-enable-deletion-protection",
      "gcp-spanner-database-enable-drop-protection",
      "kubernetes-apps-statefulset-configure-anti-affinity",
      "kubernetes-apps-statefulset-configure-pod-disruption-budget",
      "kubernetes-batch-cronjob-configure-active-deadline",
      "kubernetes-batch-cronjob-configure-concurrency-policy",
      "kubernetes-batch-cronjob-configure-starting-deadline",
      "kubernetes-batch-cronjob-configure-time-zone",
      "kubernetes-batch-cronjob-disallow-daylight-saving-times",
      "kubernetes-batch-cronjob-disallow-ttl-after-finished",
      "kubernetes-core-configmap-configure-rabbitmq-partition-handling",
      "kubernetes-core-configmap-disallow-plaintext-secrets",
      "kubernetes-core-container-configure-resources",
      "kubernetes-core-container-disallow-added-capabilities",
      "kubernetes-core-container-disallow-latest-tag",
      "kubernetes-core-container-disallow-plaintext-secrets",
      "kubernetes-core-container-disallow-privilege-escalation",
      "kubernetes-core-container-disallow-privileged",
      "kubernetes-core-container-disallow-rabbitmq-boot-hang-versions",
      "kubernetes-core-container-enforce-non-root",
      "kubernetes-core-pod-disallow-host-namespaces",
      "kubernetes-core-pod-disallow-host-path",
      "kubernetes-policy-poddisruptionbudget-disallow-zero-disruption",
    ]);
  });

  describe("enforcement level precedence (policy entry > all > policy > pack)", () => {
    it.each<
      [string, PolicyPackConfig, EnforcementLevel | undefined, EnforcementLevel | undefined, string]
    >([
      [
        "the policy's entry beats all",
        { "test-flag": "advisory", all: "mandatory" },
        "mandatory",
        "mandatory",
        "advisory",
      ],
      [
        "an object entry beats all",
        { "test-flag": { enforcementLevel: "mandatory" }, all: "advisory" },
        "advisory",
        "advisory",
        "mandatory",
      ],
      ["all beats the policy", { all: "advisory" }, "mandatory", "mandatory", "advisory"],
      [
        "an entry without a level falls through to all",
        { "test-flag": { knob: 1 }, all: "advisory" },
        "mandatory",
        undefined,
        "advisory",
      ],
      ["the policy beats the pack", {}, "advisory", "mandatory", "advisory"],
      ["the pack applies when the policy sets none", {}, undefined, "mandatory", "mandatory"],
      ["Pulumi's default is advisory", {}, undefined, undefined, "advisory"],
      ["remediate is reported as mandatory", {}, "remediate", undefined, "mandatory"],
    ])("%s", async (_case, config, own, pack, expected) => {
      const report = await runPolicies(onlySub(), {
        config,
        policies: [flagSubscriptions(own)],
        ...(pack ? { packEnforcementLevel: pack } : {}),
      });
      expect(report.violations.map((v) => v.enforcementLevel)).toEqual([expected]);
      expect([report.mandatory, report.advisory]).toEqual(
        expected === "advisory" ? [0, 1] : [1, 0],
      );
    });

    it("resolves levels with the same function the runner uses", () => {
      expect(
        effectiveEnforcementLevel({ name: "p", enforcementLevel: "advisory" }, { all: "disabled" }),
      ).toBe("disabled");
    });
  });

  describe("per-stack config from policies/config", () => {
    const configDir = path.resolve(__dirname, "..", "..", "policies", "config");

    it("ships advisory for dev and mandatory for staging and prod", () => {
      const read = (stack: string): unknown =>
        JSON.parse(fs.readFileSync(path.join(configDir, `${stack}.json`), "utf8"));
      expect([read("dev"), read("staging"), read("prod")]).toEqual([
        // dev sets taskstack:deletionProtection: false on purpose (so `pulumi destroy` tears it
        // down): the deletion- and drop-protection policies are off there, and the plan names them.
        {
          all: "advisory",
          "gcp-spanner-database-enable-deletion-protection": "disabled",
          "gcp-spanner-database-enable-drop-protection": "disabled",
        },
        // Access logging stays advisory in staging; prod logs. WAF is the site's choice (webAclArn).
        {
          all: "mandatory",
          "aws-cloudfront-distribution-enable-access-logging": "advisory",
          "aws-cloudfront-distribution-enable-waf": "advisory",
        },
        { all: "mandatory", "aws-cloudfront-distribution-enable-waf": "advisory" },
      ]);
    });

    it.each([
      ["dev", "advisory"],
      ["staging", "mandatory"],
      ["prod", "mandatory"],
    ])("reports the %s stack's violations as %s", async (stack, level) => {
      const report = await runPolicies(expiringPlan(stack));
      expect(report.violations.map((v) => [v.policyName, v.enforcementLevel, v.urn])).toEqual([
        ["gcp-pubsub-subscription-disallow-expiration", level, subUrn],
      ]);
    });

    it("takes the stack option over the plan's stack", async () => {
      const report = await runPolicies(expiringPlan("prod"), { stack: "dev" });
      expect(report.violations.map((v) => v.enforcementLevel)).toEqual(["advisory"]);
    });

    it("defaults a stack without a config file to mandatory", () => {
      expect(loadPolicyConfig("qa")).toEqual({ all: "mandatory" });
    });

    it("follows the stack's environment when it has no config file", async () => {
      expect(loadPolicyConfig("mine", "dev")).toEqual({ all: "advisory" });
      expect(loadPolicyConfig("mine", "prod")).toEqual({ all: "mandatory" });
      const report = await runPolicies(expiringPlan("mine"), { environment: "dev" });
      expect(report.violations.map((v) => v.enforcementLevel)).toEqual(["advisory"]);
    });
  });

  it("does not run a disabled policy", async () => {
    let calls = 0;
    const policy: ResourceValidationPolicy = {
      name: "test-disabled",
      description: "counts calls",
      enforcementLevel: "mandatory",
      validateResource: (_args, report) => {
        calls++;
        report("should not happen");
      },
    };
    const report = await runPolicies(onlySub(), {
      config: { "test-disabled": "disabled" },
      policies: [policy, flagSubscriptions("mandatory")],
    });
    expect(calls).toBe(0);
    expect(report.policiesRun).toBe(1);
    expect(report.violations.map((v) => v.policyName)).toEqual(["test-flag"]);
  });

  it("treats notApplicable as no violation, in resource and stack policies", async () => {
    const reasons: string[] = [];
    const resourcePolicy: ResourceValidationPolicy = {
      name: "test-na-resource",
      description: "not applicable",
      enforcementLevel: "mandatory",
      validateResource: (args) => {
        reasons.push(args.urn);
        args.notApplicable("not mine");
      },
    };
    const stackPolicy: StackValidationPolicy = {
      name: "test-na-stack",
      description: "not applicable",
      enforcementLevel: "mandatory",
      validateStack: (args) => {
        reasons.push("stack");
        args.notApplicable();
      },
    };
    const report = await runPolicies(onlySub(), {
      config: {},
      policies: [resourcePolicy, stackPolicy],
    });
    expect(reasons).toEqual(["stack", subUrn]);
    expect(report).toEqual({ violations: [], mandatory: 0, advisory: 0, policiesRun: 2 });
  });

  it.each([
    ["resource", "test-throws-a"],
    ["stack", "test-throws-b"],
  ])("fails the run when a %s policy throws, naming the policy and the error", async (_, name) => {
    const throwsOnResource: ResourceValidationPolicy = {
      name: "test-throws-a",
      description: "buggy",
      enforcementLevel: "advisory",
      validateResource: () => {
        throw new Error("cannot read properties of undefined");
      },
    };
    const throwsOnStack: StackValidationPolicy = {
      name: "test-throws-b",
      description: "buggy",
      enforcementLevel: "advisory",
      validateStack: async () => {
        await Promise.resolve();
        throw new TypeError("boom");
      },
    };
    const policy = name === "test-throws-a" ? throwsOnResource : throwsOnStack;
    const failure = await runPolicies(onlySub(), { config: {}, policies: [policy] }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(PolicyRunError);
    expect((failure as Error).message).toBe(
      name === "test-throws-a"
        ? "Error validating resource with policy 'test-throws-a' from policy pack 'taskstack@v0.1.0': cannot read properties of undefined"
        : "Error validating resource with policy 'test-throws-b' from policy pack 'taskstack@v0.1.0': boom",
    );
  });

  it("prefixes each violation's message with the policy's description, as the analyzer does", async () => {
    const report = await runPolicies(onlySub(), {
      config: {},
      policies: [
        flagSubscriptions("mandatory"),
        {
          name: "test-silent",
          description: "reports without a message",
          enforcementLevel: "advisory",
          validateResource: (_args, reportViolation) => reportViolation(""),
        },
      ],
    });
    expect(report.violations.map((v) => [v.policyName, v.description, v.message])).toEqual([
      ["test-flag", "flags subscriptions", "flags subscriptions\nflagged orders-sub"],
      ["test-silent", "reports without a message", "reports without a message"],
    ]);
  });

  it("refuses a policy config that breaks the policy's configSchema, every problem at once", async () => {
    const policy: ResourceValidationPolicy = {
      name: "test-knobs",
      description: "has knobs",
      configSchema: {
        properties: {
          floor: { type: "number", minimum: 0, maximum: 600 },
          mode: { type: "string", enum: ["a", "b"] },
        },
        required: ["mode"],
      },
      validateResource: () => undefined,
    };
    const run = (config: PolicyPackConfig) =>
      runPolicies(onlySub(), { config, policies: [policy], configSource: "pack.json" });
    await expect(run({ "test-knobs": { floor: 900, mode: "a" } })).rejects.toThrow(
      "pack.json: test-knobs.floor: expected <= 600 (the policy's configSchema), got 900",
    );
    const failure = (await run({ "test-knobs": { floor: "x" } }).catch((err: unknown) => err)) as {
      problems: string[];
    };
    expect(failure.problems).toEqual([
      "pack.json: test-knobs.mode: expected a value (required by the policy's configSchema), got nothing",
      'pack.json: test-knobs.floor: expected number (the policy\'s configSchema), got "x"',
    ]);
  });

  it("gives a resource policy that reads a preview's unknown the analyzer's advisory", async () => {
    const plan = await runProgram(
      () => {
        const topic = new gcp.pubsub.Topic("t", { project: "p", name: "orders" });
        new gcp.pubsub.Subscription("s", { project: "p", name: "s", topic: topic.id });
      },
      { preview: true, project: "taskstack" },
    );
    const report = await runPolicies(plan, {
      config: {},
      policies: [
        {
          name: "test-reads-topic",
          description: "reads the topic",
          enforcementLevel: "mandatory",
          validateResource: validateResourceOfType(gcp.pubsub.Subscription, (sub) => {
            if (sub.topic === "") throw new Error("unreachable");
          }),
        },
      ],
    });
    expect(report.violations).toEqual([
      {
        policyName: "test-reads-topic",
        enforcementLevel: "advisory",
        description: "reads the topic",
        message:
          "can't run policy 'test-reads-topic' from policy pack 'taskstack@v0.1.0' during preview: string value at .topic can't be known during preview",
        urn: "urn:pulumi:test::taskstack::gcp:pubsub/subscription:Subscription::s",
        resourceType: types.subscription,
        resourceName: "s",
      },
    ]);
    expect([report.mandatory, report.advisory]).toEqual([0, 1]);
  });

  it("gives a stack policy, in an engine-faithful preview, the topic behind an unknown reference through propertyDependencies, and takes a per-resource advisory as the analyzer does", async () => {
    const plan = await runProgram(
      () => {
        const dlq = new gcp.pubsub.Topic("dlq", {});
        new gcp.pubsub.Subscription("s", {
          topic: "orders",
          deadLetterPolicy: { deadLetterTopic: dlq.id, maxDeliveryAttempts: 5 },
        });
      },
      { preview: "engine", project: "taskstack", config: { "gcp:project": "p" } },
    );
    const seen: { topic: unknown; behind: string[] }[] = [];
    const report = await runPolicies(plan, {
      config: {},
      policies: [
        {
          name: "test-follows-dependencies",
          description: "follows dependencies",
          enforcementLevel: "mandatory",
          validateStack: (args, reportViolation) => {
            for (const r of args.resources.filter((x) => x.type === types.subscription)) {
              const topic = known(() => field(r.props, "deadLetterPolicy", "deadLetterTopic"));
              seen.push({
                topic,
                behind: (r.propertyDependencies["deadLetterPolicy"] ?? []).map((d) => d.name),
              });
              if (isUnknown(topic)) reportUndecided(reportViolation, r, topic, "it is untested");
            }
          },
        },
      ],
    });
    // The engine keys property dependencies by top-level input; the topic's id is unknown.
    expect(seen).toEqual([
      { topic: new Unknown("deadLetterPolicy.deadLetterTopic"), behind: ["dlq"] },
    ]);
    expect(report.violations).toEqual([
      {
        policyName: "test-follows-dependencies",
        enforcementLevel: "advisory",
        description: "follows dependencies",
        message:
          'can\'t decide Subscription "s" during preview: deadLetterPolicy.deadLetterTopic is only known after the update, so it is untested. The update checks it again.',
        urn: "urn:pulumi:test::taskstack::gcp:pubsub/subscription:Subscription::s",
        resourceType: types.subscription,
        resourceName: "s",
      },
    ]);
    expect([report.mandatory, report.advisory]).toEqual([0, 1]);
  });

  // Found by scripts/real-pulumi.sh: the engine gives a stack policy's violation that names no
  // resource of the stack to the root stack (pulumi/pulumi resolveStackPolicyViolationURN).
  it("blames the root stack for a stack policy's violation that names no resource of the stack", async () => {
    const stackUrn = urnOf("pulumi:pulumi:Stack", "taskstack-test");
    const plan = planOf(
      resource("pulumi:pulumi:Stack", "taskstack-test", {}, { custom: false }),
      resource(types.subscription, "orders-sub", { name: "orders-sub" }),
    );
    const policy: StackValidationPolicy = {
      name: "test-stack-blame",
      description: "blames",
      enforcementLevel: "advisory",
      validateStack: (_args, report) => {
        report("no urn");
        report("elsewhere", "urn:pulumi:test::taskstack::gcp:pubsub/topic:Topic::not-here");
        report("the subscription", subUrn);
      },
    };
    const report = await runPolicies(plan, { config: {}, policies: [policy] });
    expect(report.violations.map((v) => [v.message, v.urn, v.resourceType])).toEqual([
      ["blames\nthe subscription", subUrn, types.subscription],
      ["blames\nno urn", stackUrn, "pulumi:pulumi:Stack"],
      ["blames\nelsewhere", stackUrn, "pulumi:pulumi:Stack"],
    ]);
  });

  it("blames the root stack for a stack policy that reads a preview's unknown", async () => {
    const plan = await runProgram(
      () => {
        const topic = new gcp.pubsub.Topic("t", { project: "p", name: "orders" });
        new gcp.pubsub.Subscription("s", { project: "p", name: "s", topic: topic.id });
      },
      { preview: true, project: "taskstack" },
    );
    const report = await runPolicies(plan, {
      config: {},
      policies: [
        {
          name: "test-stack-reads-topic",
          description: "reads every topic",
          enforcementLevel: "mandatory",
          validateStack: (args) => {
            for (const r of args.resources)
              if (r.props["topic"] === "") throw new Error("unreachable");
          },
        },
      ],
    });
    expect(report.violations).toEqual([
      {
        policyName: "test-stack-reads-topic",
        enforcementLevel: "advisory",
        description: "reads every topic",
        message:
          "can't run policy 'test-stack-reads-topic' from policy pack 'taskstack@v0.1.0' during preview: string value at .topic can't be known during preview",
        urn: "urn:pulumi:test::taskstack::pulumi:pulumi:Stack::taskstack-test",
        resourceType: "pulumi:pulumi:Stack",
        resourceName: "taskstack-test",
      },
    ]);
  });

  it("gives policies a Kubernetes object's inputs after the provider's Check, as the analyzer gets them", async () => {
    const plan = planOf({
      ...resource("kubernetes:core/v1:Secret", "s", { kind: "Secret", stringData: { a: "b" } }),
      checkedInputs: { kind: "Secret", data: { a: "Yg==" } },
    });
    const seen: Record<string, unknown>[] = [];
    await runPolicies(plan, {
      config: {},
      policies: [
        {
          name: "test-secret-props",
          description: "records props",
          validateResource: (args) => {
            seen.push(args.props);
          },
        },
      ],
    });
    expect(seen).toEqual([{ kind: "Secret", data: { a: "Yg==" } }]);
  });

  it("keeps a bucket's auto-name known in an engine-faithful preview, as pulumi-aws's Check fills it", async () => {
    const plan = await runProgram(
      () => {
        new aws.s3.Bucket("site", {});
      },
      { preview: "engine", project: "taskstack", config: { "aws:region": "eu-west-1" } },
    );
    const bucket = plan.resources.find((r) => r.type === "aws:s3/bucket:Bucket");
    expect(bucket?.outputs["bucket"]).toMatch(/^site-[0-9a-f]{7}$/);
    expect(isUnknownValue(bucket?.outputs["arn"])).toBe(true);
  });

  it("gives policies props with secrets revealed, leaving the plan untouched", async () => {
    const seen: Record<string, unknown>[] = [];
    const policy: ResourceValidationPolicy = {
      name: "test-props",
      description: "records props",
      validateResource: (args) => {
        seen.push(args.props);
      },
    };
    const plan = planOf(
      resource(types.subscription, "orders-sub", {
        name: "orders-sub",
        pushConfig: { pushEndpoint: new Secret("https://hook.example.com/?token=s3cr3t") },
        labels: [new Secret("a")],
      }),
    );
    await runPolicies(plan, { config: {}, policies: [policy] });
    expect(seen).toEqual([
      {
        name: "orders-sub",
        pushConfig: { pushEndpoint: "https://hook.example.com/?token=s3cr3t" },
        labels: ["a"],
      },
    ]);
    expect(plan.resources[0]?.inputs["labels"]).toEqual([new Secret("a")]);
  });

  it("merges configSchema defaults with the policy's config entry", async () => {
    const seen: object[] = [];
    const policy: ResourceValidationPolicy = {
      name: "test-config",
      description: "records config",
      configSchema: {
        properties: {
          maxAttempts: { type: "integer", default: 5 },
          minAttempts: { type: "integer", default: 1 },
          label: { type: "string" },
        },
      },
      validateResource: (args) => {
        seen.push(args.getConfig<{ maxAttempts: number; minAttempts: number }>());
      },
    };
    await runPolicies(onlySub(), {
      config: {
        "test-config": { enforcementLevel: "mandatory", maxAttempts: 20 },
        all: "advisory",
      },
      policies: [policy],
    });
    expect(seen).toEqual([{ maxAttempts: 20, minAttempts: 1 }]);
  });

  it("evaluates every resource, components and providers too, with the engine's argument shape", async () => {
    const providerUrn = "urn:pulumi:test::taskstack::pulumi:providers:gcp::gcp-eu";
    const componentUrn = urnOf("taskstack:messaging:PubSubTopic", "orders");
    const plan = planOf(
      resource("pulumi:pulumi:Stack", "taskstack-test", {}, { custom: false }),
      resource("pulumi:providers:gcp", "gcp-eu", { project: "acme-eu" }, { urn: providerUrn }),
      resource("taskstack:messaging:PubSubTopic", "orders", {}, { custom: false }),
      resource(
        types.subscription,
        "orders-sub",
        { name: "orders-sub" },
        {
          parent: componentUrn,
          provider: providerUrn,
          protect: true,
          aliases: ["urn:pulumi:test::taskstack::gcp:pubsub/subscription:Subscription::old"],
          ignoreChanges: ["labels"],
          deleteBeforeReplace: true,
          additionalSecretOutputs: ["pushConfig"],
        },
      ),
    );
    const seen: ResourceValidationArgs[] = [];
    const policy: ResourceValidationPolicy = {
      name: "test-shape",
      description: "records args",
      validateResource: (args) => {
        seen.push(args);
      },
    };
    await runPolicies(plan, { config: {}, policies: [policy] });
    expect(seen.map((a) => a.urn)).toEqual([
      urnOf("pulumi:pulumi:Stack", "taskstack-test"),
      providerUrn,
      componentUrn,
      urnOf(types.subscription, "orders-sub"),
    ]);
    const args = seen[3];
    expect(args?.type).toBe(types.subscription);
    expect(args?.name).toBe("orders-sub");
    expect(args?.opts).toEqual({
      protect: true,
      ignoreChanges: ["labels"],
      deleteBeforeReplace: true,
      aliases: ["urn:pulumi:test::taskstack::gcp:pubsub/subscription:Subscription::old"],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: ["pushConfig"],
      parent: componentUrn,
    });
    expect(args?.provider).toEqual({
      type: "pulumi:providers:gcp",
      props: { project: "acme-eu" },
      urn: providerUrn,
      name: "gcp-eu",
    });
    expect(args?.stackTags.size).toBe(0);
    expect([args?.isType(gcp.pubsub.Subscription), args?.isType(gcp.pubsub.Topic)]).toEqual([
      true,
      false,
    ]);
    expect(args?.asType(gcp.pubsub.Subscription)).toEqual({ name: "orders-sub" });
    expect(args?.asType(gcp.pubsub.Topic)).toBeUndefined();
  });

  it("gives a resource without an explicit provider the engine's default provider, by package and version", async () => {
    const plan = await runProgram(() => {
      new gcp.pubsub.Topic("orders", { project: "p" });
    });
    const seen: ResourceValidationArgs[] = [];
    await runPolicies(plan, {
      config: {},
      policies: [
        {
          name: "test-provider",
          description: "records args",
          validateResource: validateResourceOfType(gcp.pubsub.Topic, (_t, args) => {
            seen.push(args);
          }),
        },
      ],
    });
    const version = (
      JSON.parse(fs.readFileSync(require.resolve("@pulumi/gcp/package.json"), "utf8")) as {
        version: string;
      }
    ).version.replace(/\./g, "_");
    // As the analyzer sees it in a real preview: pulumi:providers:gcp::default_9_37_0.
    expect(seen[0]?.provider).toMatchObject({
      type: "pulumi:providers:gcp",
      urn: `urn:pulumi:test::taskstack::pulumi:providers:gcp::default_${version}`,
      name: `default_${version}`,
    });
  });

  it("gives stack policies every resource's outputs, parents, dependencies and property dependencies", async () => {
    const topicUrn = urnOf(types.topic, "orders");
    const plan = planOf(
      resource(
        types.topic,
        "orders",
        { name: "orders" },
        { outputs: { name: "orders", id: "projects/p/topics/orders" } },
      ),
      resource(
        types.subscription,
        "orders-sub",
        { topic: "orders" },
        { parent: topicUrn, dependsOn: [topicUrn], propertyDependencies: { topic: [topicUrn] } },
      ),
      resource("taskstack:messaging:PubSubTopic", "c", {}, { custom: false }),
    );
    const seen: PolicyResource[][] = [];
    const policy: StackValidationPolicy = {
      name: "test-stack-shape",
      description: "records resources",
      validateStack: (args) => {
        seen.push(args.resources);
      },
    };
    await runPolicies(plan, { config: {}, policies: [policy] });
    const [topic, sub, component] = seen[0] ?? [];
    expect([topic?.urn, sub?.urn, component?.urn]).toEqual([
      topicUrn,
      urnOf(types.subscription, "orders-sub"),
      urnOf("taskstack:messaging:PubSubTopic", "c"),
    ]);
    expect(topic?.props).toEqual({ name: "orders", id: "projects/p/topics/orders" });
    expect(sub?.parent).toBe(topic);
    expect(sub?.dependencies).toEqual([topic]);
    expect(sub?.propertyDependencies["topic"]?.[0]).toBe(topic);
    expect(topic?.parent).toBeUndefined();
  });

  it("sorts violations by policy name, then urn", async () => {
    const plan = planOf(
      resource(types.subscription, "b-sub", {}),
      resource(types.subscription, "a-sub", {}),
    );
    const report = await runPolicies(plan, {
      config: {},
      policies: [flagSubscriptions("mandatory", "test-z"), flagSubscriptions("advisory", "test-a")],
    });
    expect(report.violations.map((v) => `${v.policyName} ${v.resourceName}`)).toEqual([
      "test-a a-sub",
      "test-a b-sub",
      "test-z a-sub",
      "test-z b-sub",
    ]);
  });
});

describe("formatPolicyReport", () => {
  it("prints violations as the Pulumi CLI does, then a summary", async () => {
    const report = await runPolicies(expiringPlan("prod"));
    expect(formatPolicyReport(report)).toBe(
      [
        "    - [mandatory]  gcp-pubsub-subscription-disallow-expiration  (gcp:pubsub/subscription:Subscription: orders-sub)",
        `      ${gcpPubsubSubscriptionDisallowExpiration.description}`,
        '      Subscription expirationPolicy is undefined, so Pub/Sub deletes the subscription after 31 days without activity. Set expirationPolicy.ttl to "" so the subscription never expires, or to at least "604800s" if it should expire.',
        `Policies: ${taskstackPolicies.length} run, 1 mandatory violation, 0 advisory`,
      ].join("\n"),
    );
  });

  it("pluralises and blames the stack resource for stack-wide violations", () => {
    expect(
      formatPolicyReport(
        {
          violations: [
            {
              policyName: "p",
              enforcementLevel: "advisory",
              description: "d",
              message: "d\nwhole stack",
            },
            {
              policyName: "q",
              enforcementLevel: "mandatory",
              description: "m",
              message: "m1",
              urn: "urn:x",
            },
          ],
          mandatory: 1,
          advisory: 1,
          policiesRun: 3,
        },
        planOf(resource("pulumi:pulumi:Stack", "taskstack-test", {}, { custom: false })),
      ),
    ).toBe(
      [
        "    - [advisory]  p  (pulumi:pulumi:Stack: taskstack-test)",
        "      d",
        "      whole stack",
        "    - [mandatory]  q  (pulumi:pulumi:Stack: taskstack-test)",
        "      m1",
        "Policies: 3 run, 1 mandatory violation, 1 advisory",
      ].join("\n"),
    );
  });
});

describe("runPolicies on auto-named resources", () => {
  it("sees the auto-name the provider would fill in, as the engine's policies do", async () => {
    const plan = await runProgram(() => {
      const topic = new gcp.pubsub.Topic("orders", { project: "p-1" });
      new gcp.pubsub.Subscription("orders-audit", {
        project: "p-1",
        topic: topic.id,
        expirationPolicy: { ttl: "" },
      });
    });
    const seen: unknown[] = [];
    await runPolicies(plan, {
      stack: "prod",
      policies: [
        {
          name: "probe-names",
          description: "records the names policies see",
          validateResource: (args) => {
            if (args.type.startsWith("gcp:")) seen.push(args.props["name"]);
          },
        },
      ],
    });
    expect(seen).toEqual([
      plan.get("gcp:pubsub/topic:Topic", "orders").outputs["name"],
      plan.get("gcp:pubsub/subscription:Subscription", "orders-audit").outputs["name"],
    ]);
    expect(seen[0]).toMatch(/^orders-[0-9a-f]{7}$/);
  });
});

describe("policy config for a project that is not taskstack", () => {
  it("reads the project's own policies/config, never taskstack's shipped files", async () => {
    const { loadPolicyConfig } = await import("../../testing/policy-runner");
    const os = await import("node:os");
    const cwd = process.cwd();
    const consumer = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-consumer-"));
    try {
      process.chdir(consumer);
      // No policies/config here: the environment decides, as for any stack without a file.
      expect(loadPolicyConfig("staging", "dev")).toEqual({ all: "advisory" });
      expect(loadPolicyConfig("prod")).toEqual({ all: "mandatory" });
      fs.mkdirSync(path.join(consumer, "policies", "config"), { recursive: true });
      fs.writeFileSync(
        path.join(consumer, "policies", "config", "prod.json"),
        JSON.stringify({ all: "advisory" }),
      );
      expect(loadPolicyConfig("prod")).toEqual({ all: "advisory" });
    } finally {
      process.chdir(cwd);
    }
  });
});
