import { createHash } from "node:crypto";
import { schedulingResourceSynthesizers } from "./synth-scheduling";
import { rabbitMqResourceSynthesizers } from "./synth-rabbitmq";
import { awsResourceSynthesizers } from "./synth-aws";
import { spannerResourceSynthesizers } from "./synth-spanner";

/** What a synthesizer knows about the run: the stack and the provider config it was given. */
export interface SynthContext {
  readonly project: string;
  readonly stack: string;
  /** The GCP project resources fall back to, as the provider would (`gcp:project`). */
  readonly gcpProject: string;
  /** The GCP region resources fall back to (`gcp:region`). */
  readonly gcpRegion: string;
}

export interface SynthResourceArgs {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly ctx: SynthContext;
  /** The explicit provider's reference (`<urn>::<id>`), when the resource was given one. */
  readonly provider?: string;
}

/** Outputs a provider would return for a new resource, beyond its inputs. */
export interface SynthResult {
  readonly id?: string;
  readonly state?: Record<string, unknown>;
}

export type ResourceSynthesizer = (args: SynthResourceArgs) => SynthResult;
export type InvokeSynthesizer = (
  inputs: Record<string, unknown>,
  ctx: SynthContext,
) => Record<string, unknown>;

/** A short, stable hex digest: the same input gives the same output in every run. */
export function stableHash(text: string, length = 7): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** A 12-digit project number derived from the project id, as stable as the id itself. */
export function projectNumber(projectId: string): string {
  const digits = BigInt(`0x${stableHash(`project-number:${projectId}`, 15)}`) % 10n ** 11n;
  return (10n ** 11n + digits).toString();
}

/** Pulumi auto-naming: the logical name plus a random 7-character suffix (here: a stable one). */
export function autoName(args: SynthResourceArgs): string {
  return `${args.name}-${stableHash(`${args.ctx.stack}/${args.type}/${args.name}`)}`;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function gcpProject(args: SynthResourceArgs): string {
  return str(args.inputs["project"]) ?? args.ctx.gcpProject;
}

function shortName(value: unknown): string {
  const text = str(value) ?? "";
  return text.split("/").pop() ?? text;
}

const pubsubNamed =
  (collection: "topics" | "subscriptions"): ResourceSynthesizer =>
  (args) => {
    const name = str(args.inputs["name"]) ?? autoName(args);
    const project = gcpProject(args);
    return { id: `projects/${project}/${collection}/${name}`, state: { name, project } };
  };

const iamMember =
  (targetKey: string): ResourceSynthesizer =>
  (args) => {
    const target = str(args.inputs[targetKey]) ?? "";
    const role = str(args.inputs["role"]) ?? "";
    const member = str(args.inputs["member"]) ?? "";
    return {
      id: `${target}/${role}/${member}`,
      state: { etag: `BwY${stableHash(`${target}/${role}/${member}`, 9)}=` },
    };
  };

const monitoringNamed =
  (collection: string): ResourceSynthesizer =>
  (args) => {
    const project = gcpProject(args);
    const id = BigInt(
      `0x${stableHash(`${args.ctx.stack}/${args.type}/${args.name}`, 15)}`,
    ).toString();
    const name = `projects/${project}/${collection}/${id}`;
    return { id: name, state: { name, project } };
  };

/**
 * Types whose provider's Check fills in a name (logical name + random suffix) when a program leaves
 * it out, by the property it fills: known in a preview, unlike the outputs computed on create.
 * The buckets' `bucket` is pulumi-aws's `tfbridge.AutoNameTransform("bucket", 63, …)` (its
 * provider/resources.go, aws_s3_bucket and the legacy BucketV2).
 */
export const autoNamedProperties: ReadonlyMap<string, string> = new Map([
  ["gcp:pubsub/topic:Topic", "name"],
  ["gcp:pubsub/subscription:Subscription", "name"],
  ["aws:s3/bucket:Bucket", "bucket"],
  ["aws:s3/bucketV2:BucketV2", "bucket"],
]);

/** Types whose provider fills in `name` when a program leaves it out. */
export const autoNamedTypes: ReadonlySet<string> = new Set(
  [...autoNamedProperties].filter(([, key]) => key === "name").map(([type]) => type),
);

/** Provider outputs for the resource types taskstack's components read back. */
export const defaultResourceSynthesizers: Record<string, ResourceSynthesizer> = {
  ...schedulingResourceSynthesizers,
  ...rabbitMqResourceSynthesizers,
  ...awsResourceSynthesizers,
  ...spannerResourceSynthesizers,
  "gcp:pubsub/topic:Topic": pubsubNamed("topics"),
  "gcp:pubsub/subscription:Subscription": pubsubNamed("subscriptions"),
  "gcp:pubsub/topicIAMMember:TopicIAMMember": iamMember("topic"),
  "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember": iamMember("subscription"),
  "gcp:monitoring/notificationChannel:NotificationChannel": monitoringNamed("notificationChannels"),
  "gcp:monitoring/alertPolicy:AlertPolicy": monitoringNamed("alertPolicies"),
  // The provider's `name` and id: projects/{project}/roles/{roleId} (the google provider's
  // google_project_iam_custom_role, attribute `name`). Found by scripts/real-pulumi.sh: without
  // it a grant of `role.name` had no role in the plan, and the real engine's second preview a diff.
  "gcp:projects/iAMCustomRole:IAMCustomRole": (args) => {
    const project = gcpProject(args);
    const name = `projects/${project}/roles/${str(args.inputs["roleId"]) ?? args.name}`;
    return { id: name, state: { name, project, deleted: false } };
  },
  "gcp:serviceaccount/account:Account": (args) => {
    const project = gcpProject(args);
    const accountId = str(args.inputs["accountId"]) ?? args.name;
    const email = `${accountId}@${project}.iam.gserviceaccount.com`;
    return {
      id: `projects/${project}/serviceAccounts/${email}`,
      state: {
        email,
        member: `serviceAccount:${email}`,
        name: `projects/${project}/serviceAccounts/${email}`,
        uniqueId: projectNumber(email) + "0000000",
        project,
      },
    };
  },
};

/** Results for the invokes taskstack's components make. Any other invoke fails with its token. */
export const defaultInvokeSynthesizers: Record<string, InvokeSynthesizer> = {
  "gcp:organizations/getProject:getProject": (inputs, ctx) => {
    const projectId = str(inputs["projectId"]) ?? ctx.gcpProject;
    return {
      id: `projects/${projectId}`,
      projectId,
      number: projectNumber(projectId),
      name: projectId,
      labels: {},
    };
  },
};

/** The fallback for resources without a synthesizer: a stable id, outputs equal to inputs. */
export function fallbackResource(args: SynthResourceArgs): SynthResult {
  return {
    id: `${shortName(args.name)}-${stableHash(`${args.ctx.stack}/${args.type}/${args.name}`)}`,
  };
}
