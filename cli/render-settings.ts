import { nextRuns } from "../lib/cron";
import type { PlannedResource } from "../testing/plan";
import { Secret } from "../testing/plan";
import { scheduleLines } from "./render-schedules";
import { scalarText } from "./render-values";

// The key settings shown under each resource in the plan: what a reviewer checks first, as short
// `key: value` entries. Kubernetes objects, queues, jobs and subscriptions get a summary made for
// reading; other types show the inputs listed in `keyInputs`, or their first scalar inputs.

export type Setting = readonly [string, unknown];
type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Secret)
    ? (v as Obj)
    : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string => scalarText(v) ?? JSON.stringify(v);
const defined = (entries: readonly (Setting | undefined | false)[]): Setting[] =>
  entries.filter((e): e is Setting => !!e && e[1] !== undefined);

/** `requests cpu 500m, memory 1Gi; limits memory 2Gi`. */
function resourcesText(resources: unknown): string | undefined {
  const r = obj(resources);
  const part = (name: string): string | undefined => {
    const entries = Object.entries(obj(r[name]));
    return entries.length > 0
      ? `${name} ${entries.map(([k, v]) => `${k} ${text(v)}`).join(", ")}`
      : undefined;
  };
  const parts = [part("requests"), part("limits")].filter((p) => p !== undefined);
  return parts.length > 0 ? parts.join("; ") : undefined;
}

/** `tcp amqp, every 10s, timeout 5s, 3 failures`. */
function probeText(probe: unknown): string | undefined {
  const p = obj(probe);
  if (Object.keys(p).length === 0) return undefined;
  const how = p["tcpSocket"]
    ? `tcp ${text(obj(p["tcpSocket"])["port"])}`
    : p["httpGet"]
      ? `http GET ${text(obj(p["httpGet"])["path"] ?? "/")} on ${text(obj(p["httpGet"])["port"])}`
      : p["grpc"]
        ? `grpc ${text(obj(p["grpc"])["port"])}`
        : p["exec"]
          ? `exec ${list(obj(p["exec"])["command"]).map(text).join(" ")}`
          : "?";
  const timing = [
    p["initialDelaySeconds"] !== undefined ? `after ${text(p["initialDelaySeconds"])}s` : "",
    p["periodSeconds"] !== undefined ? `every ${text(p["periodSeconds"])}s` : "",
    p["timeoutSeconds"] !== undefined ? `timeout ${text(p["timeoutSeconds"])}s` : "",
    p["failureThreshold"] !== undefined ? `${text(p["failureThreshold"])} failures` : "",
  ].filter(Boolean);
  return timing.length > 0 ? `${timing.join(", ")}: ${how}` : how;
}

function containerSettings(container: unknown): Obj {
  const c = obj(container);
  const command = [...list(c["command"]), ...list(c["args"])].map(text);
  return Object.fromEntries(
    defined([
      ["image", c["image"]],
      command.length > 0 && ["command", command.join(" ")],
      ["resources", resourcesText(c["resources"])],
      ["readiness", probeText(c["readinessProbe"])],
      ["liveness", probeText(c["livenessProbe"])],
      ["startup", probeText(c["startupProbe"])],
      ["preStop", probeText(obj(c["lifecycle"])["preStop"])],
    ]),
  );
}

function podSettings(podSpec: unknown): Setting[] {
  const pod = obj(podSpec);
  const grace = pod["terminationGracePeriodSeconds"];
  return defined([
    ["serviceAccount", pod["serviceAccountName"]],
    grace !== undefined && ["grace", `${text(grace)}s`],
    ...list(pod["initContainers"]).map((c): Setting => [
      `init ${text(obj(c)["name"])}`,
      containerSettings(c),
    ]),
    ...list(pod["containers"]).map((c): Setting => [
      `container ${text(obj(c)["name"])}`,
      containerSettings(c),
    ]),
  ]);
}

function workload(r: PlannedResource): Setting[] {
  const spec = obj(r.inputs["spec"]);
  const strategy = obj(spec["strategy"] ?? spec["updateStrategy"]);
  const rolling = Object.entries(obj(strategy["rollingUpdate"]));
  const claims = list(spec["volumeClaimTemplates"]).map((t) => {
    const s = obj(obj(t)["spec"]);
    const size = obj(obj(s["resources"])["requests"])["storage"];
    const cls = s["storageClassName"];
    return `${text(obj(obj(t)["metadata"])["name"])} ${text(size)}${cls ? ` (${text(cls)})` : ""}`;
  });
  return defined([
    ["replicas", spec["replicas"]],
    ["podManagement", spec["podManagementPolicy"]],
    strategy["type"] !== undefined && [
      "rollout",
      `${text(strategy["type"])}${rolling.length > 0 ? ` (${rolling.map(([k, v]) => `${k} ${text(v)}`).join(", ")})` : ""}`,
    ],
    claims.length > 0 && ["volumes", claims],
    ...podSettings(obj(spec["template"])["spec"]),
  ]);
}

function cronJob(r: PlannedResource, now: Date): Setting[] {
  const spec = obj(r.inputs["spec"]);
  const job = obj(obj(spec["jobTemplate"])["spec"]);
  const schedule = spec["schedule"];
  const zone = typeof spec["timeZone"] === "string" ? spec["timeZone"] : "Etc/UTC";
  let runs: string[] | undefined;
  try {
    // The CronJob controller runs robfig/cron; for the next runs of a plain schedule it agrees
    // with cron-parser (DST edges aside, which the schema refuses by default).
    runs = typeof schedule === "string" ? nextRuns(schedule, zone, 3, now) : undefined;
  } catch {
    runs = undefined;
  }
  const deadline = spec["startingDeadlineSeconds"];
  const active = job["activeDeadlineSeconds"];
  return defined([
    ["schedule", schedule],
    ["timeZone", spec["timeZone"]],
    runs && ["next runs", runs],
    ["concurrency", spec["concurrencyPolicy"]],
    deadline !== undefined && ["startingDeadline", `${text(deadline)}s`],
    active !== undefined && ["activeDeadline", `${text(active)}s`],
    ["backoffLimit", job["backoffLimit"]],
    spec["suspend"] === true && ["suspend", true],
    ...podSettings(obj(job["template"])["spec"]),
  ]);
}

function service(r: PlannedResource): Setting[] {
  const spec = obj(r.inputs["spec"]);
  const ports = list(spec["ports"]).map((p) => {
    const o = obj(p);
    return `${o["name"] ? `${text(o["name"])} ` : ""}${text(o["port"])}`;
  });
  return defined([
    ["name", obj(r.inputs["metadata"])["name"]],
    spec["clusterIP"] === "None" ? ["clusterIP", "None (headless)"] : ["type", spec["type"]],
    ["ports", ports],
    spec["publishNotReadyAddresses"] === true && ["publishNotReadyAddresses", true],
  ]);
}

function pdb(r: PlannedResource): Setting[] {
  const spec = obj(r.inputs["spec"]);
  const labels = obj(obj(spec["selector"])["matchLabels"]);
  return defined([
    ["minAvailable", spec["minAvailable"]],
    ["maxUnavailable", spec["maxUnavailable"]],
    ["pods", Object.entries(labels).map(([k, v]) => `${k}=${text(v)}`)],
  ]);
}

function dataKeys(r: PlannedResource): Setting[] {
  const entries = (key: string): string[] => {
    const value = r.inputs[key];
    if (value instanceof Secret) {
      const inner = obj(value.value);
      return Object.keys(inner).map((k) => `${k} [secret]`);
    }
    return Object.entries(obj(value)).map(([k, v]) => {
      const lines = typeof v === "string" ? v.split("\n").filter(Boolean).length : 0;
      return `${k} (${lines} line${lines === 1 ? "" : "s"})`;
    });
  };
  return defined([
    ["name", obj(r.inputs["metadata"])["name"]],
    ["type", r.inputs["type"]],
    entries("data").length > 0 && ["data", entries("data")],
    entries("stringData").length > 0 && ["stringData", entries("stringData")],
  ]);
}

function duration(v: unknown): string | undefined {
  return v === undefined ? undefined : text(v);
}

function backoff(min: unknown, max: unknown, doublings: unknown): string | undefined {
  if (min === undefined && max === undefined) return undefined;
  return `${duration(min) ?? "?"} → ${duration(max) ?? "?"}${doublings !== undefined ? `, ${text(doublings)} doublings` : ""}`;
}

function token(target: Obj): string | undefined {
  const oidc = obj(target["oidcToken"]);
  const oauth = obj(target["oauthToken"]);
  if (oidc["serviceAccountEmail"] !== undefined)
    return `OIDC as ${text(oidc["serviceAccountEmail"])}`;
  if (oauth["serviceAccountEmail"] !== undefined)
    return `OAuth as ${text(oauth["serviceAccountEmail"])}`;
  return undefined;
}

function queue(r: PlannedResource): Setting[] {
  const rate = obj(r.inputs["rateLimits"]);
  const retry = obj(r.inputs["retryConfig"]);
  const target = obj(r.inputs["httpTarget"]);
  const uri = obj(target["uriOverride"]);
  const attempts = retry["maxAttempts"];
  return defined([
    ["name", r.inputs["name"]],
    ["location", r.inputs["location"]],
    Object.keys(rate).length > 0 && [
      "rate",
      `${text(rate["maxDispatchesPerSecond"] ?? "?")}/s, ${text(rate["maxConcurrentDispatches"] ?? "?")} concurrent`,
    ],
    ["attempts", attempts === -1 ? "unlimited" : attempts],
    ["backoff", backoff(retry["minBackoff"], retry["maxBackoff"], retry["maxDoublings"])],
    ["retryFor", retry["maxRetryDuration"]],
    ["token", token(target)],
    ["audience", obj(target["oidcToken"])["audience"]],
    ["host", uri["host"]],
    ["method", target["httpMethod"]],
    obj(r.inputs["stackdriverLoggingConfig"])["samplingRatio"] !== undefined && [
      "logging",
      `sampling ${text(obj(r.inputs["stackdriverLoggingConfig"])["samplingRatio"])}`,
    ],
  ]);
}

function schedulerJob(r: PlannedResource, now: Date): Setting[] {
  const retry = obj(r.inputs["retryConfig"]);
  const http = obj(r.inputs["httpTarget"]);
  const pubsub = obj(r.inputs["pubsubTarget"]);
  const body = http["body"] ?? pubsub["data"];
  const schedule = r.inputs["schedule"];
  const zone = r.inputs["timeZone"];
  let runs: Setting | undefined;
  if (typeof schedule === "string" && typeof zone === "string") {
    try {
      // The zone is on the line above.
      runs = ["next runs", nextRuns(schedule, zone, 3, now)];
    } catch {
      // Not unix cron: an imported App Engine schedule, which only Cloud Scheduler evaluates.
      runs = [
        "next runs",
        `computed by Cloud Scheduler (App Engine schedule format: "${schedule}")`,
      ];
    }
  }
  return defined([
    ["name", r.inputs["name"]],
    ["schedule", r.inputs["schedule"]],
    ["timeZone", r.inputs["timeZone"]],
    runs,
    ["deadline", r.inputs["attemptDeadline"]],
    retry["retryCount"] !== undefined && [
      "retries",
      `${text(retry["retryCount"])}, backoff ${backoff(retry["minBackoffDuration"], retry["maxBackoffDuration"], retry["maxDoublings"]) ?? "default"}`,
    ],
    ["topic", pubsub["topicName"]],
    [
      "attributes",
      Object.keys(obj(pubsub["attributes"])).length > 0 ? pubsub["attributes"] : undefined,
    ],
    http["uri"] !== undefined && [
      "target",
      `${text(http["httpMethod"] ?? "POST")} ${text(http["uri"])}`,
    ],
    ["token", token(http)],
    typeof body === "string" && ["body", `${Buffer.from(body, "base64").length} bytes`],
  ]);
}

function subscription(r: PlannedResource): Setting[] {
  const expiration = obj(r.inputs["expirationPolicy"]);
  const dead = obj(r.inputs["deadLetterPolicy"]);
  const retry = obj(r.inputs["retryPolicy"]);
  const push = obj(r.inputs["pushConfig"]);
  return defined([
    ["name", r.inputs["name"]],
    ["topic", r.inputs["topic"]],
    [
      "ackDeadline",
      r.inputs["ackDeadlineSeconds"] !== undefined
        ? `${text(r.inputs["ackDeadlineSeconds"])}s`
        : undefined,
    ],
    expiration["ttl"] !== undefined && [
      "expires",
      expiration["ttl"] === "" ? "never" : expiration["ttl"],
    ],
    dead["deadLetterTopic"] !== undefined && [
      "deadLetter",
      `${text(dead["deadLetterTopic"])} after ${text(dead["maxDeliveryAttempts"] ?? 5)} attempts`,
    ],
    ["backoff", backoff(retry["minimumBackoff"], retry["maximumBackoff"], undefined)],
    ["push", push["pushEndpoint"]],
    ["token", token(push)],
    ["filter", r.inputs["filter"]],
    r.inputs["enableMessageOrdering"] === true && ["ordering", true],
    r.inputs["enableExactlyOnceDelivery"] === true && ["exactlyOnce", true],
  ]);
}

function scaledObject(r: PlannedResource): Setting[] {
  const spec = obj(r.inputs["spec"]);
  return defined([
    ["scales", obj(spec["scaleTargetRef"])["name"]],
    [
      "replicas",
      `${text(spec["minReplicaCount"] ?? 0)} to ${text(spec["maxReplicaCount"] ?? 100)}`,
    ],
    ...list(spec["triggers"]).map((t): Setting => {
      const meta = obj(obj(t)["metadata"]);
      return [
        `trigger ${text(obj(t)["type"])}`,
        Object.entries(meta)
          .map(([k, v]) => `${k} ${text(v)}`)
          .join(", "),
      ];
    }),
  ]);
}

const summaries: Record<string, (r: PlannedResource, now: Date) => Setting[]> = {
  "kubernetes:apps/v1:StatefulSet": workload,
  "kubernetes:apps/v1:Deployment": workload,
  "kubernetes:batch/v1:CronJob": cronJob,
  "kubernetes:core/v1:Service": service,
  "kubernetes:policy/v1:PodDisruptionBudget": pdb,
  "kubernetes:core/v1:ConfigMap": dataKeys,
  "kubernetes:core/v1:Secret": dataKeys,
  "kubernetes:keda.sh/v1alpha1:ScaledObject": scaledObject,
  "gcp:cloudtasks/queue:Queue": queue,
  "gcp:cloudscheduler/job:Job": schedulerJob,
  "gcp:pubsub/subscription:Subscription": subscription,
};

/** Inputs shown under other types: the ones a reviewer checks first. */
const keyInputs: Record<string, readonly string[]> = {
  "gcp:pubsub/topic:Topic": [
    "name",
    "messageRetentionDuration",
    "messageStoragePolicy",
    "kmsKeyName",
  ],
  "gcp:pubsub/topicIAMMember:TopicIAMMember": ["topic", "role", "member"],
  "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember": ["subscription", "role", "member"],
  "gcp:monitoring/notificationChannel:NotificationChannel": ["type", "labels"],
  "gcp:monitoring/alertPolicy:AlertPolicy": ["displayName", "notificationChannels"],
  "gcp:cloudtasks/queueIamMember:QueueIamMember": ["name", "role", "member"],
  "gcp:serviceaccount/account:Account": ["accountId"],
  "gcp:serviceaccount/iAMMember:IAMMember": ["serviceAccountId", "role", "member"],
  "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": ["name", "role", "member"],
  "gcp:cloudfunctions/functionIamMember:FunctionIamMember": ["cloudFunction", "role", "member"],
  "gcp:logging/metric:Metric": ["name", "filter"],
  "kubernetes:core/v1:ServiceAccount": ["automountServiceAccountToken"],
  "kubernetes:core/v1:Namespace": ["metadata"],
  "kubernetes:rbac.authorization.k8s.io/v1:Role": ["rules"],
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": ["roleRef", "subjects"],
  "random:index/randomPassword:RandomPassword": ["length", "special"],
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

/** The key settings of a resource, as `[key, value]` entries to render. */
export function keySettings(r: PlannedResource, now: Date): Setting[] {
  const summary = summaries[r.type];
  if (summary) return summary(r, now);
  const keys = keyInputs[r.type];
  if (keys) {
    return keys.filter((k) => r.inputs[k] !== undefined).map((k): Setting => [k, r.inputs[k]]);
  }
  return Object.entries(r.inputs)
    .filter(([k, v]) => !hiddenInputs.has(k) && scalarText(v) !== undefined)
    .slice(0, 6);
}

/** Every input of a resource (`--details`), with a Cloud Scheduler job's next runs. */
export function allSettings(r: PlannedResource, now: Date): Setting[] {
  const entries = Object.entries(r.inputs).filter(([k]) => k !== "__defaults");
  const runs = scheduleLines(r, now).map((l): Setting => {
    const at = l.indexOf(": ");
    return [l.slice(0, at), l.slice(at + 2)];
  });
  return [...entries, ...runs];
}
