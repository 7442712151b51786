import * as gcp from "@pulumi/gcp";
import { gcpConfig } from "./scenario";
import type { Scenario } from "./scenario";

// Google Cloud resources as people write them by hand: Cloud Tasks queues, Pub/Sub topics and
// subscriptions with dead-lettering (by .id, by .name, by literal path; grants per resource, at
// project level and through *IAMPolicy), Cloud Scheduler jobs, Spanner databases and backup
// schedules, alert policies.

const agent = "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com";
const retryPolicy = { minimumBackoff: "10s", maximumBackoff: "600s" };
const never = { ttl: "" };

/** A subscription that drains a topic and needs no dead-letter topic of its own. */
function drain(name: string, topic: gcp.pubsub.Topic): gcp.pubsub.Subscription {
  return new gcp.pubsub.Subscription(name, {
    topic: topic.name,
    ackDeadlineSeconds: 60,
    retryPolicy,
    expirationPolicy: never,
  });
}

/** A topic, its dead-letter topic and drain, the agent's grants; returns the source topic. */
function deadLettered(
  prefix: string,
  grant: "member" | "binding" | "project" | "policy",
): { topic: gcp.pubsub.Topic; dlq: gcp.pubsub.Topic } {
  const topic = new gcp.pubsub.Topic(`${prefix}-topic`, {});
  const dlq = new gcp.pubsub.Topic(`${prefix}-dlq`, {});
  drain(`${prefix}-dlq-drain`, dlq);
  const sub = new gcp.pubsub.Subscription(`${prefix}-sub`, {
    topic: topic.id,
    ackDeadlineSeconds: 60,
    retryPolicy,
    expirationPolicy: never,
    deadLetterPolicy: { deadLetterTopic: dlq.id, maxDeliveryAttempts: 10 },
  });
  if (grant === "member") {
    new gcp.pubsub.TopicIAMMember(`${prefix}-dlq-publisher`, {
      topic: dlq.name,
      role: "roles/pubsub.publisher",
      member: agent,
    });
    new gcp.pubsub.SubscriptionIAMMember(`${prefix}-sub-subscriber`, {
      subscription: sub.name,
      role: "roles/pubsub.subscriber",
      member: agent,
    });
  } else if (grant === "binding") {
    new gcp.pubsub.TopicIAMBinding(`${prefix}-dlq-publishers`, {
      topic: dlq.name,
      role: "roles/pubsub.publisher",
      members: [agent],
    });
    new gcp.pubsub.SubscriptionIAMBinding(`${prefix}-sub-subscribers`, {
      subscription: sub.name,
      role: "roles/pubsub.subscriber",
      members: [agent],
    });
  } else if (grant === "project") {
    for (const role of ["roles/pubsub.publisher", "roles/pubsub.subscriber"]) {
      new gcp.projects.IAMMember(`${prefix}-agent-${role.split(".")[1]}`, {
        project: "corpus-prod",
        role,
        member: agent,
      });
    }
  } else {
    new gcp.pubsub.TopicIAMPolicy(`${prefix}-dlq-policy`, {
      topic: dlq.name,
      policyData: JSON.stringify({
        bindings: [{ role: "roles/pubsub.publisher", members: [agent] }],
      }),
    });
    new gcp.pubsub.SubscriptionIAMPolicy(`${prefix}-sub-policy`, {
      subscription: sub.name,
      policyData: JSON.stringify({
        bindings: [{ role: "roles/pubsub.subscriber", members: [agent] }],
      }),
    });
  }
  return { topic, dlq };
}

const goodQueue = {
  location: "europe-west1",
  rateLimits: { maxDispatchesPerSecond: 5, maxConcurrentDispatches: 1 },
  retryConfig: { maxAttempts: 10, minBackoff: "1s", maxBackoff: "300s", maxDoublings: 4 },
};

const goodJob = {
  region: "europe-west1",
  schedule: "0 3 * * *",
  timeZone: "Etc/UTC",
  retryConfig: { retryCount: 3, minBackoffDuration: "10s", maxBackoffDuration: "300s" },
};

const alert = {
  combiner: "OR",
  conditions: [
    {
      displayName: "backlog",
      conditionPrometheusQueryLanguage: { query: "up == 0", duration: "300s" },
    },
  ],
  documentation: {
    content: "Runbook: https://runbooks.example.com/backlog",
    mimeType: "text/markdown",
  },
};

export const gcpScenarios: readonly Scenario[] = [
  {
    title: "Pub/Sub: dead-lettering by .id, agent granted per resource (TopicIAMMember)",
    config: gcpConfig,
    program: () => void deadLettered("good-member", "member"),
  },
  {
    title: "Pub/Sub: dead-lettering granted through *IAMBinding",
    config: gcpConfig,
    program: () => void deadLettered("good-binding", "binding"),
  },
  {
    title: "Pub/Sub: the agent granted publisher and subscriber at project level",
    config: gcpConfig,
    program: () => void deadLettered("good-project", "project"),
  },
  {
    title: "Pub/Sub: the agent granted through TopicIAMPolicy and SubscriptionIAMPolicy",
    config: gcpConfig,
    program: () => void deadLettered("good-policy", "policy"),
  },
  {
    title: "Pub/Sub: literal names and full paths, push with OIDC",
    config: gcpConfig,
    program: () => {
      new gcp.pubsub.Topic("good-literal-topic", { name: "invoices" });
      new gcp.pubsub.Topic("good-literal-dlq", { name: "invoices-dlq" });
      new gcp.pubsub.Subscription("good-literal-dlq-drain", {
        name: "invoices-dlq-drain",
        topic: "projects/corpus-prod/topics/invoices-dlq",
        ackDeadlineSeconds: 60,
        retryPolicy,
        expirationPolicy: never,
      });
      new gcp.pubsub.Subscription("good-literal-push", {
        name: "invoices-push",
        topic: "invoices",
        ackDeadlineSeconds: 30,
        retryPolicy,
        expirationPolicy: never,
        deadLetterPolicy: {
          deadLetterTopic: "projects/corpus-prod/topics/invoices-dlq",
          maxDeliveryAttempts: 5,
        },
        pushConfig: {
          pushEndpoint: "https://invoices-abc123-ew.a.run.app/push",
          oidcToken: { serviceAccountEmail: "push@corpus-prod.iam.gserviceaccount.com" },
        },
      });
      new gcp.pubsub.TopicIAMMember("good-literal-dlq-publisher", {
        topic: "invoices-dlq",
        role: "roles/pubsub.publisher",
        member: agent,
      });
      new gcp.pubsub.SubscriptionIAMMember("good-literal-push-subscriber", {
        subscription: "invoices-push",
        role: "roles/pubsub.subscriber",
        member: agent,
      });
      new gcp.pubsub.TopicIAMMember("good-literal-topic-publisher", {
        topic: "invoices",
        role: "roles/pubsub.publisher",
        member: "serviceAccount:api@corpus-prod.iam.gserviceaccount.com",
      });
    },
  },
  {
    title:
      "Pub/Sub: subscriptions that expire on purpose, after their retention (PubSubTopic's expirationTtlSeconds, by hand)",
    config: gcpConfig,
    program: () => {
      const { topic, dlq } = deadLettered("good-expiring", "member");
      // 14 days idle, kept 7 days (the default retention): it outlives every message it keeps.
      const preview = new gcp.pubsub.Subscription("good-expiring-preview", {
        topic: topic.id,
        ackDeadlineSeconds: 60,
        retryPolicy,
        expirationPolicy: { ttl: "1209600s" },
        deadLetterPolicy: { deadLetterTopic: dlq.id, maxDeliveryAttempts: 10 },
      });
      // Its retention raised to 10 days, and its expiry with it.
      const replay = new gcp.pubsub.Subscription("good-expiring-replay", {
        topic: topic.id,
        ackDeadlineSeconds: 60,
        retryPolicy,
        messageRetentionDuration: "864000s",
        expirationPolicy: { ttl: "864000s" },
        deadLetterPolicy: { deadLetterTopic: dlq.id, maxDeliveryAttempts: 10 },
      });
      for (const [n, sub] of [
        ["good-expiring-preview-subscriber", preview],
        ["good-expiring-replay-subscriber", replay],
      ] as const) {
        new gcp.pubsub.SubscriptionIAMMember(n, {
          subscription: sub.name,
          role: "roles/pubsub.subscriber",
          member: agent,
        });
      }
    },
  },
  {
    title: "Pub/Sub: subscriptions that lose or never drain messages",
    config: gcpConfig,
    program: () => {
      const { topic } = deadLettered("aux-bad", "member");
      new gcp.pubsub.Subscription("bad-no-dead-letter", {
        topic: topic.name,
        ackDeadlineSeconds: 60,
        retryPolicy,
        expirationPolicy: never,
      });
      const orphan = new gcp.pubsub.Topic("bad-undrained-dlq", {});
      const sub = new gcp.pubsub.Subscription("bad-expiring", {
        topic: topic.name,
        retryPolicy,
        deadLetterPolicy: { deadLetterTopic: orphan.id, maxDeliveryAttempts: 10 },
      });
      new gcp.pubsub.TopicIAMMember("aux-orphan-publisher", {
        topic: orphan.name,
        role: "roles/pubsub.publisher",
        member: agent,
      });
      new gcp.pubsub.SubscriptionIAMMember("aux-expiring-subscriber", {
        subscription: sub.name,
        role: "roles/pubsub.subscriber",
        member: agent,
      });
    },
    bad: {
      "bad-no-dead-letter": "gcp-pubsub-subscription-enable-dead-letter-policy",
      "bad-undrained-dlq": "gcp-pubsub-topic-enforce-dead-letter-subscription",
      "bad-expiring": "gcp-pubsub-subscription-disallow-expiration",
    },
  },
  {
    title: "Pub/Sub: dead-lettering without the agent's grants, no backoff, push without OIDC",
    config: gcpConfig,
    program: () => {
      const topic = new gcp.pubsub.Topic("aux-plain-topic", {});
      const dlq = new gcp.pubsub.Topic("aux-plain-dlq", {});
      drain("aux-plain-dlq-drain", dlq);
      new gcp.pubsub.Subscription("bad-no-grants", {
        topic: topic.name,
        ackDeadlineSeconds: 60,
        retryPolicy,
        expirationPolicy: never,
        deadLetterPolicy: { deadLetterTopic: dlq.id, maxDeliveryAttempts: 10 },
      });
      const sub = new gcp.pubsub.Subscription("bad-no-backoff", {
        topic: topic.name,
        ackDeadlineSeconds: 60,
        expirationPolicy: never,
        deadLetterPolicy: { deadLetterTopic: dlq.id, maxDeliveryAttempts: 10 },
      });
      const push = new gcp.pubsub.Subscription("bad-push-no-oidc", {
        topic: topic.name,
        ackDeadlineSeconds: 60,
        retryPolicy,
        expirationPolicy: never,
        deadLetterPolicy: { deadLetterTopic: dlq.id, maxDeliveryAttempts: 10 },
        pushConfig: { pushEndpoint: "https://hooks.example.com/pubsub" },
      });
      new gcp.pubsub.TopicIAMMember("aux-plain-dlq-publisher", {
        topic: dlq.name,
        role: "roles/pubsub.publisher",
        member: agent,
      });
      for (const [n, s] of [
        ["aux-no-backoff-subscriber", sub],
        ["aux-push-subscriber", push],
      ] as const) {
        new gcp.pubsub.SubscriptionIAMMember(n, {
          subscription: s.name,
          role: "roles/pubsub.subscriber",
          member: agent,
        });
      }
    },
    bad: {
      "bad-no-grants": "gcp-pubsub-subscription-enforce-dead-letter-permissions",
      "bad-no-backoff": "gcp-pubsub-subscription-configure-retry-policy",
      "bad-push-no-oidc": "gcp-pubsub-subscription-configure-push-oidc",
    },
  },
  {
    title: "Pub/Sub and Cloud Tasks: public IAM (allUsers, allAuthenticatedUsers)",
    config: gcpConfig,
    program: () => {
      const topic = new gcp.pubsub.Topic("bad-public-topic", { name: "public-events" });
      new gcp.pubsub.TopicIAMMember("bad-public-topic-publisher", {
        topic: topic.name,
        role: "roles/pubsub.publisher",
        member: "allUsers",
      });
      new gcp.pubsub.TopicIAMBinding("bad-public-topic-viewers", {
        topic: topic.name,
        role: "roles/pubsub.viewer",
        members: ["allAuthenticatedUsers"],
      });
      const queue = new gcp.cloudtasks.Queue("good-queue-for-iam", goodQueue);
      new gcp.cloudtasks.QueueIamMember("bad-public-enqueuer", {
        name: queue.name,
        location: "europe-west1",
        role: "roles/cloudtasks.enqueuer",
        member: "allAuthenticatedUsers",
      });
      new gcp.cloudtasks.QueueIamMember("good-enqueuer", {
        name: queue.name,
        location: "europe-west1",
        role: "roles/cloudtasks.enqueuer",
        member: "serviceAccount:api@corpus-prod.iam.gserviceaccount.com",
      });
    },
    bad: {
      "bad-public-topic-publisher": "gcp-pubsub-topic-disallow-public-access",
      "bad-public-topic-viewers": "gcp-pubsub-topic-disallow-public-access",
      "bad-public-enqueuer": "gcp-cloudtasks-queue-disallow-public-access",
    },
  },
  {
    title: "Cloud Tasks queues",
    config: gcpConfig,
    program: () => {
      new gcp.cloudtasks.Queue("good-queue", goodQueue);
      new gcp.cloudtasks.Queue("good-queue-named", {
        ...goodQueue,
        name: "emails",
        retryConfig: { ...goodQueue.retryConfig, maxAttempts: 5, maxRetryDuration: "3600s" },
      });
      new gcp.cloudtasks.Queue("bad-queue-default-rates", {
        location: "europe-west1",
        retryConfig: goodQueue.retryConfig,
      });
      new gcp.cloudtasks.Queue("bad-queue-unlimited-retries", {
        ...goodQueue,
        retryConfig: { ...goodQueue.retryConfig, maxAttempts: -1 },
      });
      new gcp.cloudtasks.Queue("bad-queue-no-backoff", {
        ...goodQueue,
        retryConfig: { maxAttempts: 10 },
      });
    },
    bad: {
      "bad-queue-default-rates": "gcp-cloudtasks-queue-configure-rate-limits",
      "bad-queue-unlimited-retries": "gcp-cloudtasks-queue-configure-retry-limit",
      "bad-queue-no-backoff": "gcp-cloudtasks-queue-configure-backoff",
    },
  },
  {
    title: "Cloud Scheduler jobs",
    config: gcpConfig,
    program: () => {
      const topic = new gcp.pubsub.Topic("aux-jobs-topic", {});
      new gcp.cloudscheduler.Job("good-job-pubsub", {
        ...goodJob,
        pubsubTarget: { topicName: topic.id, data: Buffer.from("{}").toString("base64") },
      });
      new gcp.cloudscheduler.Job("good-job-run", {
        ...goodJob,
        timeZone: "Europe/Paris",
        httpTarget: {
          uri: "https://reports-abc123-ew.a.run.app/nightly",
          httpMethod: "POST",
          oidcToken: { serviceAccountEmail: "scheduler@corpus-prod.iam.gserviceaccount.com" },
        },
      });
      new gcp.cloudscheduler.Job("good-job-googleapis", {
        ...goodJob,
        httpTarget: {
          uri: "https://spanner.googleapis.com/v1/projects/corpus-prod/instances",
          httpMethod: "GET",
          oauthToken: { serviceAccountEmail: "scheduler@corpus-prod.iam.gserviceaccount.com" },
        },
      });
      new gcp.cloudscheduler.Job("bad-job-no-zone", {
        region: "europe-west1",
        schedule: "0 3 * * *",
        retryConfig: goodJob.retryConfig,
        pubsubTarget: { topicName: topic.id, data: Buffer.from("{}").toString("base64") },
      });
      new gcp.cloudscheduler.Job("bad-job-too-many-retries", {
        ...goodJob,
        retryConfig: { retryCount: 9 },
        pubsubTarget: { topicName: topic.id, data: Buffer.from("{}").toString("base64") },
      });
      new gcp.cloudscheduler.Job("bad-job-no-oidc", {
        ...goodJob,
        httpTarget: { uri: "https://reports-abc123-ew.a.run.app/nightly", httpMethod: "POST" },
      });
    },
    bad: {
      "bad-job-no-zone": "gcp-cloudscheduler-job-configure-time-zone",
      "bad-job-too-many-retries": "gcp-cloudscheduler-job-configure-retry",
      "bad-job-no-oidc": "gcp-cloudscheduler-job-configure-oidc",
    },
  },
  {
    title: "Spanner databases and backup schedules",
    config: gcpConfig,
    program: () => {
      const instance = new gcp.spanner.Instance("good-instance", {
        config: "regional-europe-west1",
        displayName: "orders",
        numNodes: 1,
        defaultBackupScheduleType: "NONE",
      });
      const db = new gcp.spanner.Database("good-db", {
        instance: instance.name,
        name: "orders",
        enableDropProtection: true,
      });
      new gcp.spanner.BackupSchedule("good-schedule", {
        instance: instance.name,
        database: db.name,
        retentionDuration: "604800s",
        spec: { cronSpec: { text: "0 2 * * *" } },
        fullBackupSpec: {},
      });
      const automatic = new gcp.spanner.Instance("good-instance-automatic", {
        config: "regional-europe-west1",
        displayName: "ledger",
        numNodes: 1,
        defaultBackupScheduleType: "AUTOMATIC",
      });
      new gcp.spanner.Database("good-db-automatic", {
        instance: automatic.name,
        name: "ledger",
        enableDropProtection: true,
      });
      new gcp.spanner.Database("bad-db-unprotected", {
        instance: instance.name,
        name: "scratch",
        deletionProtection: false,
        enableDropProtection: true,
      });
      new gcp.spanner.Database("bad-db-no-drop-protection", {
        instance: instance.name,
        name: "events",
      });
      new gcp.spanner.Database("bad-db-no-backups", {
        instance: instance.name,
        name: "audit",
        enableDropProtection: true,
      });
      for (const name of ["scratch", "events"]) {
        new gcp.spanner.BackupSchedule(`aux-${name}-schedule`, {
          instance: instance.name,
          database: name,
          retentionDuration: "604800s",
          spec: { cronSpec: { text: "0 2 * * *" } },
          fullBackupSpec: {},
        });
      }
      new gcp.spanner.BackupSchedule("bad-schedule-short-retention", {
        instance: instance.name,
        database: db.name,
        retentionDuration: "3600s",
        spec: { cronSpec: { text: "0 4 * * *" } },
        fullBackupSpec: {},
      });
      new gcp.spanner.BackupSchedule("bad-schedule-too-often", {
        instance: instance.name,
        database: db.name,
        retentionDuration: "604800s",
        spec: { cronSpec: { text: "0 * * * *" } },
        fullBackupSpec: {},
      });
      new gcp.spanner.BackupSchedule("bad-schedule-cmek-incremental", {
        instance: instance.name,
        database: db.name,
        retentionDuration: "604800s",
        spec: { cronSpec: { text: "0 */12 * * *" } },
        incrementalBackupSpec: {},
        encryptionConfig: {
          encryptionType: "CUSTOMER_MANAGED_ENCRYPTION",
          kmsKeyName: "projects/corpus-prod/locations/europe-west1/keyRings/r/cryptoKeys/k",
        },
      });
    },
    bad: {
      "bad-db-unprotected": "gcp-spanner-database-enable-deletion-protection",
      "bad-db-no-drop-protection": "gcp-spanner-database-enable-drop-protection",
      "bad-db-no-backups": "gcp-spanner-database-enable-backup-schedule",
      "bad-schedule-short-retention": "gcp-spanner-backupschedule-configure-retention",
      "bad-schedule-too-often": "gcp-spanner-backupschedule-configure-frequency",
      "bad-schedule-cmek-incremental": "gcp-spanner-backupschedule-configure-encryption",
    },
  },
  {
    title: "Alert policies",
    config: gcpConfig,
    program: () => {
      const channel = new gcp.monitoring.NotificationChannel("good-channel", {
        displayName: "on-call",
        type: "email",
        labels: { email_address: "oncall@example.com" },
      });
      new gcp.monitoring.AlertPolicy("good-alert", {
        ...alert,
        displayName: "Backlog",
        notificationChannels: [channel.id],
      });
      new gcp.monitoring.AlertPolicy("bad-alert-nobody", { ...alert, displayName: "Silent" });
    },
    bad: { "bad-alert-nobody": "gcp-monitoring-alertpolicy-configure-notification-channel" },
  },
];
