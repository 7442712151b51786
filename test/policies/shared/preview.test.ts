import { unknownCheckingProxy } from "@pulumi/policy";
import type { StackValidationPolicy } from "@pulumi/policy";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { describe, expect, it } from "vitest";
import { gcpPubsubSubscriptionEnableDeadLetterPolicy } from "../../../policies/gcp/pubsub/subscription/enable-dead-letter-policy";
import { gcpPubsubSubscriptionEnforceDeadLetterPermissions } from "../../../policies/gcp/pubsub/subscription/enforce-dead-letter-permissions";
import { gcpPubsubTopicEnforceDeadLetterSubscription } from "../../../policies/gcp/pubsub/topic/enforce-dead-letter-subscription";
import { Unknown, known } from "../../../policies/shared/preview";

// The preview helpers against @pulumi/policy's own analyzer: its unknown-checking proxy, and its
// AnalyzeStack handler (the code `pulumi preview --policy-pack` runs) fed a request shaped as the
// engine sends it for resources being created: computed outputs are the engine's unknown string,
// and property dependencies are keyed by top-level input.

// The engine's unknown string (pulumi/sdk/go/common/resource/plugin/rpc.go, UnknownStringValue).
const unknownString = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("known()", () => {
  it("turns the real analyzer's UnknownValueError into Unknown with the path read", () => {
    const props = unknownCheckingProxy({
      name: "orders",
      deadLetterPolicy: { deadLetterTopic: unknownString, maxDeliveryAttempts: 5 },
    }) as Record<string, { deadLetterTopic?: unknown }>;
    expect(known(() => props["deadLetterPolicy"]?.deadLetterTopic)).toEqual(
      new Unknown("deadLetterPolicy.deadLetterTopic"),
    );
    expect(known(() => props["name"])).toBe("orders");
  });

  it("lets any other error through", () => {
    expect(() =>
      known(() => {
        throw new Error("a bug");
      }),
    ).toThrow("a bug");
  });
});

const project = "corpus";
const urn = (type: string, name: string) => `urn:pulumi:prod::${project}::${type}::${name}`;
const topicType = "gcp:pubsub/topic:Topic";
const subType = "gcp:pubsub/subscription:Subscription";
const memberType = "gcp:pubsub/topicIAMMember:TopicIAMMember";
const subMemberType = "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember";
const agent = "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com";

function resource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  propertyDependencies: Record<string, string[]> = {},
): analyzer.AnalyzerResource {
  const r = new analyzer.AnalyzerResource()
    .setType(type)
    .setName(name)
    .setUrn(urn(type, name))
    .setProperties(Struct.fromJavaScript(props as never))
    .setOptions(new analyzer.AnalyzerResourceOptions())
    .setDependenciesList([...new Set(Object.values(propertyDependencies).flat())]);
  for (const [key, urns] of Object.entries(propertyDependencies)) {
    r.getPropertydependenciesMap().set(
      key,
      new analyzer.AnalyzerPropertyDependencies().setUrnsList(urns),
    );
  }
  return r;
}

interface Diagnostic {
  policy: string;
  level: number;
  urn: string;
  message: string;
}

/** Runs stack policies through @pulumi/policy's own AnalyzeStack handler. */
async function analyzeStack(
  policies: StackValidationPolicy[],
  resources: analyzer.AnalyzerResource[],
): Promise<Diagnostic[]> {
  // The handler is internal to @pulumi/policy (its server.js); the CLI reaches it over gRPC.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const server = require("@pulumi/policy/server") as {
    makeAnalyzeStackRpcFun: (
      name: string,
      version: string,
      level: string,
      policies: StackValidationPolicy[],
    ) => (
      call: { request: analyzer.AnalyzeStackRequest },
      callback: (err: unknown, res?: analyzer.AnalyzeResponse) => void,
    ) => Promise<void>;
  };
  const handler = server.makeAnalyzeStackRpcFun("taskstack", "0.1.0", "advisory", policies);
  const request = new analyzer.AnalyzeStackRequest().setResourcesList(resources);
  const response = await new Promise<analyzer.AnalyzeResponse>((resolve, reject) => {
    void handler({ request }, (err, res) => (err || !res ? reject(err) : resolve(res)));
  });
  return response.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    level: d.getEnforcementlevel(),
    urn: d.getUrn(),
    message: d.getMessage(),
  }));
}

describe("the dead-letter stack policies under @pulumi/policy's analyzer, in a preview", () => {
  // A new topic and its dead-letter topic: ids unknown, auto-names known after Check.
  const stack = () => [
    resource(topicType, "jobs", { name: "jobs-1a2b3c4", id: unknownString }),
    resource(topicType, "jobs-dlq", { name: "jobs-dlq-5d6e7f8", id: unknownString }),
    resource(
      subType,
      "jobs-dlq-drain",
      { name: "jobs-dlq-drain-0a1b2c3", topic: unknownString },
      { topic: [urn(topicType, "jobs-dlq")] },
    ),
    resource(
      subType,
      "jobs-worker",
      {
        name: "jobs-worker-9f8e7d6",
        topic: unknownString,
        deadLetterPolicy: { deadLetterTopic: unknownString, maxDeliveryAttempts: 5 },
      },
      { topic: [urn(topicType, "jobs")], deadLetterPolicy: [urn(topicType, "jobs-dlq")] },
    ),
    resource(
      memberType,
      "jobs-dlq-publisher",
      { topic: unknownString, role: "roles/pubsub.publisher", member: agent },
      { topic: [urn(topicType, "jobs-dlq")] },
    ),
  ];
  const policies = [
    gcpPubsubSubscriptionEnableDeadLetterPolicy,
    gcpPubsubSubscriptionEnforceDeadLetterPermissions,
    gcpPubsubTopicEnforceDeadLetterSubscription,
  ];
  const MANDATORY = analyzer.EnforcementLevel.MANDATORY;
  const ADVISORY = analyzer.EnforcementLevel.ADVISORY;

  it("resolves references to new topics through propertyDependencies and still judges each resource", async () => {
    const diagnostics = await analyzeStack(policies, stack());
    // The worker's dead-letter topic is drained and the agent may publish to it; only the
    // subscriber grant on the worker is missing, and that is a finding, not a blind spot.
    expect(diagnostics.map((d) => [d.policy, d.level, d.urn])).toEqual([
      [
        "gcp-pubsub-subscription-enforce-dead-letter-permissions",
        MANDATORY,
        urn(subType, "jobs-worker"),
      ],
    ]);
  });

  it("reports what a preview cannot resolve as an advisory on that resource alone", async () => {
    const resources = [
      ...stack(),
      resource(subMemberType, "jobs-worker-subscriber", {
        subscription: "jobs-worker-9f8e7d6",
        role: "roles/pubsub.subscriber",
        member: agent,
      }),
      // A dead-letter topic computed from something that is no topic of this stack.
      resource(subType, "audit", {
        name: "audit-1234567",
        topic: "projects/corpus-prod/topics/audit",
        deadLetterPolicy: { deadLetterTopic: unknownString, maxDeliveryAttempts: 5 },
      }),
    ];
    const diagnostics = await analyzeStack(policies, resources);
    expect(diagnostics).toEqual([
      {
        policy: "gcp-pubsub-subscription-enforce-dead-letter-permissions",
        level: ADVISORY,
        urn: urn(subType, "audit"),
        message:
          "can't decide Subscription \"audit\" during preview: deadLetterPolicy.deadLetterTopic is only known after the update, so which topic needs the agent's roles/pubsub.publisher cannot be told yet. The update checks it again.",
      },
      {
        policy: "gcp-pubsub-subscription-enforce-dead-letter-permissions",
        level: MANDATORY,
        urn: urn(subType, "audit"),
        message:
          'A subscription with a deadLetterPolicy needs the Pub/Sub service agent to hold roles/pubsub.publisher on the dead-letter topic and roles/pubsub.subscriber on the subscription.\nSubscription name is "audit-1234567" and it has a deadLetterPolicy, but no SubscriptionIAMMember, SubscriptionIAMBinding, SubscriptionIAMPolicy or project-level grant gives the Pub/Sub service agent (serviceAccount:service-<project-number>@gcp-sa-pubsub.iam.gserviceaccount.com) roles/pubsub.subscriber on it, so Pub/Sub cannot acknowledge the messages it dead-letters. Add a gcp.pubsub.SubscriptionIAMMember with subscription "audit-1234567", role "roles/pubsub.subscriber" and the service agent as member.',
      },
      {
        policy: "gcp-pubsub-topic-enforce-dead-letter-subscription",
        level: ADVISORY,
        urn: urn(subType, "audit"),
        message:
          'can\'t decide Subscription "audit" during preview: deadLetterPolicy.deadLetterTopic is only known after the update, so whether its dead-letter topic has a subscription cannot be told yet. The update checks it again.',
      },
    ]);
  });
});
