import type { Plan } from "../testing/assertions";
import { Secret } from "../testing/plan";
import type { PlannedResource } from "../testing/plan";
import { scheduleLines } from "./render-schedules";

/** Inputs shown under every resource: the ones a reviewer checks first. Others: scalars, in order. */
const keyInputs: Record<string, readonly string[]> = {
  "gcp:pubsub/topic:Topic": [
    "name",
    "messageRetentionDuration",
    "messageStoragePolicy",
    "kmsKeyName",
  ],
  "gcp:pubsub/subscription:Subscription": [
    "name",
    "topic",
    "ackDeadlineSeconds",
    "expirationPolicy",
    "deadLetterPolicy",
    "retryPolicy",
    "pushConfig",
    "filter",
    "enableMessageOrdering",
    "enableExactlyOnceDelivery",
  ],
  "gcp:pubsub/topicIAMMember:TopicIAMMember": ["topic", "role", "member"],
  "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember": ["subscription", "role", "member"],
  "gcp:monitoring/notificationChannel:NotificationChannel": ["type", "labels"],
  "gcp:monitoring/alertPolicy:AlertPolicy": ["displayName", "notificationChannels"],
  // Queues and jobs: the effective limits, retries, identity and schedule.
  "gcp:cloudtasks/queue:Queue": [
    "name",
    "location",
    "rateLimits",
    "retryConfig",
    "httpTarget",
    "stackdriverLoggingConfig",
  ],
  "gcp:cloudtasks/queueIamMember:QueueIamMember": ["name", "role", "member"],
  "gcp:cloudscheduler/job:Job": [
    "name",
    "schedule",
    "timeZone",
    "retryConfig",
    "attemptDeadline",
    "pubsubTarget",
    "httpTarget",
  ],
  "gcp:serviceaccount/account:Account": ["accountId"],
  "gcp:serviceaccount/iAMMember:IAMMember": ["serviceAccountId", "role", "member"],
  "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": ["name", "role", "member"],
  "gcp:cloudfunctions/functionIamMember:FunctionIamMember": ["cloudFunction", "role", "member"],
  "gcp:logging/metric:Metric": ["name", "filter"],
  "kubernetes:apps/v1:StatefulSet": ["spec"],
  "kubernetes:core/v1:Service": ["spec"],
  "kubernetes:policy/v1:PodDisruptionBudget": ["spec"],
  "kubernetes:core/v1:Secret": ["type", "stringData"],
  "kubernetes:core/v1:ConfigMap": ["data"],
  "kubernetes:core/v1:ServiceAccount": ["automountServiceAccountToken"],
  "kubernetes:core/v1:Namespace": ["metadata"],
  "kubernetes:rbac.authorization.k8s.io/v1:Role": ["rules"],
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": ["roleRef", "subjects"],
  "random:index/randomPassword:RandomPassword": ["length", "special"],
  "kubernetes:batch/v1:CronJob": ["spec"],
  "kubernetes:apps/v1:Deployment": ["spec"],
  "kubernetes:keda.sh/v1alpha1:ScaledObject": ["spec"],
  "pulumi:providers:aws": ["region"],
  "aws:s3/bucket:Bucket": ["bucket", "forceDestroy"],
  "aws:s3/bucketPolicy:BucketPolicy": ["bucket", "policy"],
  "aws:acm/certificate:Certificate": ["domainName", "subjectAlternativeNames", "validationMethod"],
  "aws:acm/certificateValidation:CertificateValidation": [
    "certificateArn",
    "validationRecordFqdns",
  ],
  "aws:cloudfront/distribution:Distribution": [
    "aliases",
    "viewerCertificate",
    "defaultCacheBehavior",
    "customErrorResponses",
    "loggingConfig",
    "priceClass",
    "httpVersion",
    "webAclId",
  ],
  "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": [
    "securityHeadersConfig",
    "customHeadersConfig",
  ],
  // The code is generated from the site's settings; the comment says what it does.
  "aws:cloudfront/function:Function": ["runtime", "comment", "publish"],
  "aws:cloudfront/cachePolicy:CachePolicy": ["comment", "minTtl", "defaultTtl", "maxTtl"],
  "aws:route53/record:Record": ["name", "type", "records", "aliases"],
  "gcp:dns/recordSet:RecordSet": ["managedZone", "name", "type", "rrdatas"],
  "gcp:spanner/backupSchedule:BackupSchedule": [
    "database",
    "name",
    "spec",
    "retentionDuration",
    "fullBackupSpec",
    "incrementalBackupSpec",
    "encryptionConfig",
  ],
  "gcp:spanner/database:Database": [
    "instance",
    "name",
    "deletionProtection",
    "enableDropProtection",
  ],
  "gcp:spanner/databaseIAMMember:DatabaseIAMMember": ["database", "role", "member"],
  "gcp:cloudfunctionsv2/function:Function": [
    "name",
    "buildConfig",
    "serviceConfig",
    "eventTrigger",
  ],
  "gcp:storage/bucketObject:BucketObject": ["bucket", "name"],
};

const hiddenInputs = new Set(["project", "labels", "userLabels", "__defaults"]);

function inline(value: unknown): string {
  if (value instanceof Secret) return "[secret]";
  if (typeof value === "string") return value;
  const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof Secret ? "[secret]" : v));
  return text ?? String(value);
}

function shown(resource: PlannedResource): [string, unknown][] {
  const keys = keyInputs[resource.type];
  if (keys) {
    return keys
      .filter((k) => resource.inputs[k] !== undefined)
      .map((k): [string, unknown] => [k, resource.inputs[k]]);
  }
  return Object.entries(resource.inputs)
    .filter(([k, v]) => !hiddenInputs.has(k) && (typeof v !== "object" || v instanceof Secret))
    .slice(0, 6);
}

/** The resource tree, as `pulumi preview` shows it, with key inputs under each resource. */
export function renderTree(plan: Plan, options: { readonly now?: Date } = {}): string {
  const now = options.now ?? new Date();
  const lines: string[] = [];
  const children = new Map<string | undefined, PlannedResource[]>();
  for (const r of plan.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const typeWidth = Math.min(60, Math.max(...plan.resources.map((r) => r.type.length)) + 8);
  const walk = (r: PlannedResource, prefix: string, last: boolean, root: boolean): void => {
    const branch = root ? "" : last ? "└─ " : "├─ ";
    const flags = [
      r.protect ? "protect" : "",
      r.provider ? `provider=${r.provider.split("::").pop()}` : "",
    ]
      .filter(Boolean)
      .join(", ");
    lines.push(
      ` +  ${(prefix + branch + r.type).padEnd(typeWidth)} ${r.name}${flags ? `  [${flags}]` : ""}`,
    );
    const kids = children.get(r.urn) ?? [];
    const childPrefix = root ? "" : prefix + (last ? "   " : "│  ");
    const detailPrefix = childPrefix + (kids.length > 0 ? "│  " : "   ");
    if (r.custom) {
      for (const [k, v] of shown(r)) {
        const text = inline(v);
        lines.push(
          `    ${detailPrefix}    ${k}: ${text.length > 140 ? `${text.slice(0, 139)}…` : text}`,
        );
      }
      for (const line of scheduleLines(r, now)) lines.push(`    ${detailPrefix}    ${line}`);
    }
    kids.forEach((c, i) => walk(c, childPrefix, i === kids.length - 1, false));
  };
  for (const root of children.get(undefined) ?? []) walk(root, "", true, true);
  return lines.join("\n");
}

/** `Resources: 42 to create` and the count per type. */
export function renderSummary(plan: Plan): string {
  const counts = new Map<string, number>();
  for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const rows = [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  return [
    `Resources: ${plan.resources.length} to create`,
    ...rows.map(([type, n]) => `  ${String(n).padStart(4)}  ${type}`),
  ].join("\n");
}

/** Stack outputs, one per line; secrets stay `[secret]`. */
export function renderOutputs(plan: Plan): string {
  const entries = Object.entries(plan.outputs);
  if (entries.length === 0) return "Outputs: none";
  return ["Outputs:", ...entries.map(([k, v]) => `    ${k}: ${inline(v)}`)].join("\n");
}
