import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { normalizeTimeZone } from "../../lib/cron";
import { entryPoint } from "../../lib/spanner-backup-function/index";
import { childName } from "../shared/naming";
import { whenResolved } from "../shared/resolved";
import type { declareFunctionSource } from "./spanner-backup-functions";
import { databasePath } from "./spanner-backup-names";
import type { BackupTarget, spannerScheduledBackupNames } from "./spanner-backup-names";

// SpannerScheduledBackup's function mode: Cloud Scheduler publishes each database's backup request
// to a topic, and a Cloud Function starts the backup.

const roles = {
  backupWriter: "roles/spanner.backupWriter",
  publisher: "roles/pubsub.publisher",
  invoker: "roles/run.invoker",
} as const;

/** The args of SpannerScheduledBackup that function mode reads. */
export interface FunctionModeArgs {
  /** Required in function mode by the schema, which the component has checked. */
  readonly region?: string;
  readonly timeZone?: string;
  readonly retryWindowSeconds?: number;
  readonly databases: readonly {
    readonly name: string;
    readonly schedule: string;
    readonly retentionSeconds: number;
  }[];
}

/**
 * Function mode of SpannerScheduledBackup: its accounts, topic, function, scheduler jobs and their
 * grants (the source bucket, archive and build account come from `declareFunctionSource`).
 */
export function declareBackupFunction(
  parent: pulumi.Resource,
  name: string,
  args: FunctionModeArgs,
  inputs: {
    /** The project and instance, checked, and both as one target for the texts that name them. */
    readonly checked: {
      readonly project: pulumi.Input<string>;
      readonly instance: pulumi.Input<string>;
      readonly target: pulumi.Input<BackupTarget>;
    };
    readonly names: ReturnType<typeof spannerScheduledBackupNames>;
    readonly labels: Record<string, string>;
    readonly protect: boolean;
    readonly source: ReturnType<typeof declareFunctionSource>;
  },
) {
  const { checked, names, labels, protect, source } = inputs;
  // Checked by the constructor (a known value) or once it resolves (an Output).
  const { project, instance, target } = checked;
  // Required in function mode by the schema, which the constructor has checked.
  const region = args.region as string;
  const opts = { parent };
  const text = (build: (t: BackupTarget) => string) => whenResolved(target, build);

  const schedulerAccount = new gcp.serviceaccount.Account(
    childName(name, "scheduler-sa"),
    {
      project,
      accountId: names.schedulerAccountId,
      displayName: text((t) => `Publishes the backup requests of ${t.instance}`),
      description: `taskstack SpannerScheduledBackup ${name}: may only publish to ${names.topic}.`,
    },
    opts,
  );
  const functionAccount = new gcp.serviceaccount.Account(
    childName(name, "function-sa"),
    {
      project,
      accountId: names.functionAccountId,
      displayName: text((t) => `Backs up the databases of ${t.instance}`),
      description: `taskstack SpannerScheduledBackup ${name}: backupWriter on its instance; invokes its own function.`,
    },
    opts,
  );
  const topic = new gcp.pubsub.Topic(
    childName(name, "topic"),
    { project, name: names.topic, labels },
    { parent, protect },
  );
  new gcp.pubsub.TopicIAMMember(
    childName(name, "scheduler-publisher"),
    { project, topic: topic.name, role: roles.publisher, member: schedulerAccount.member },
    opts,
  );

  // CreateBackup checks spanner.backups.create on the instance (the backup's parent) and
  // spanner.databases.createBackup on the database: a grant on the databases alone is refused
  // with PERMISSION_DENIED, so the function holds backupWriter on the instance, and nothing else
  // of Spanner.
  const grants = [
    new gcp.spanner.InstanceIAMMember(
      childName(name, "backup-writer"),
      { project, instance, role: roles.backupWriter, member: functionAccount.member },
      opts,
    ),
  ];
  const { bucket, archive, buildAccount, buildGrants } = source;
  const fn = new gcp.cloudfunctionsv2.Function(
    childName(name, "function"),
    {
      project,
      location: region,
      name: names.functionName,
      description: text(
        (t) =>
          `Starts the scheduled backups of ${t.instance} (taskstack SpannerScheduledBackup ${name}).`,
      ),
      labels,
      buildConfig: {
        runtime: "nodejs22",
        entryPoint,
        serviceAccount: pulumi.interpolate`projects/${project}/serviceAccounts/${buildAccount.email}`,
        source: { storageSource: { bucket: bucket.name, object: archive.name } },
      },
      serviceConfig: {
        serviceAccountEmail: functionAccount.email,
        ingressSettings: "ALLOW_INTERNAL_ONLY",
        maxInstanceCount: 1,
        availableMemory: "256M",
        timeoutSeconds: 60,
        allTrafficOnLatestRevision: true,
        environmentVariables: {
          BACKUP_DATABASES: text((t) =>
            args.databases.map((d) => databasePath(t, d.name)).join(","),
          ),
          RETRY_WINDOW_SECONDS: String(args.retryWindowSeconds ?? 3600),
        },
      },
      eventTrigger: {
        triggerRegion: region,
        eventType: "google.cloud.pubsub.topic.v1.messagePublished",
        pubsubTopic: topic.id,
        retryPolicy: "RETRY_POLICY_RETRY",
        serviceAccountEmail: functionAccount.email,
      },
    },
    { parent, protect, dependsOn: [...grants, ...buildGrants] },
  );
  // Eventarc pushes each message to the function's Cloud Run service as the trigger's account.
  // A 2nd gen function runs as the Cloud Run service of its own name.
  new gcp.cloudrunv2.ServiceIamMember(
    childName(name, "function-invoker"),
    {
      project,
      location: region,
      name: fn.name,
      role: roles.invoker,
      member: functionAccount.member,
    },
    opts,
  );

  const tz = normalizeTimeZone(args.timeZone ?? "Etc/UTC");
  const jobs: Record<string, gcp.cloudscheduler.Job> = {};
  for (const db of args.databases) {
    // The schedule and zone let the function name the backup after the scheduled run, so a
    // Scheduler retry after a publish that succeeded cannot start a second full backup.
    const body = (t: BackupTarget) => {
      const message = JSON.stringify({
        database: databasePath(t, db.name),
        expire: `${db.retentionSeconds}s`,
        schedule: db.schedule,
        timeZone: tz,
      });
      return JSON.stringify({ messages: [{ data: Buffer.from(message).toString("base64") }] });
    };
    jobs[db.name] = new gcp.cloudscheduler.Job(
      childName(name, db.name, "job"),
      {
        project,
        region,
        name: names.job(db.name),
        description: text(
          (t) =>
            `Requests a backup of ${t.instance}/${db.name} (retention ${db.retentionSeconds}s).`,
        ),
        schedule: db.schedule,
        timeZone: tz,
        attemptDeadline: "60s",
        retryConfig: {
          retryCount: 3,
          minBackoffDuration: "30s",
          maxBackoffDuration: "300s",
          maxDoublings: 3,
        },
        // Published through the Pub/Sub API as the job's own account (a Pub/Sub target would
        // publish as the project-wide Cloud Scheduler service agent).
        httpTarget: {
          uri: pulumi.interpolate`https://pubsub.googleapis.com/v1/${topic.id}:publish`,
          httpMethod: "POST",
          headers: { "Content-Type": "application/json" },
          body: text((t) => Buffer.from(body(t)).toString("base64")),
          oauthToken: {
            serviceAccountEmail: schedulerAccount.email,
            scope: "https://www.googleapis.com/auth/pubsub",
          },
        },
      },
      opts,
    );
  }
  return { topic, function: fn, schedulerAccount, functionAccount, jobs };
}
