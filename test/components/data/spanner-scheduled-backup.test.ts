import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TaskstackInputError, data } from "../../../components";
import { backupMissingCondition } from "../../../components/data/spanner-backup-alerts";
import { functionArchiveContents } from "../../../components/data/spanner-backup-archive";
import { Match, declaredBeforeFailure, runProgram, unknownValue } from "../../../testing";
import type { Plan } from "../../../testing";
import { assertExercised, failsOnlyWithInputErrors, mostlyValue } from "../../support/properties";
import type { Outcomes } from "../../support/properties";

const project = "acme-shop-test";
const channel = "projects/acme-shop-test/notificationChannels/1";
const T = {
  schedule: "gcp:spanner/backupSchedule:BackupSchedule",
  metric: "gcp:logging/metric:Metric",
  alert: "gcp:monitoring/alertPolicy:AlertPolicy",
  account: "gcp:serviceaccount/account:Account",
  topic: "gcp:pubsub/topic:Topic",
  topicIam: "gcp:pubsub/topicIAMMember:TopicIAMMember",
  dbIam: "gcp:spanner/databaseIAMMember:DatabaseIAMMember",
  instanceIam: "gcp:spanner/instanceIAMMember:InstanceIAMMember",
  job: "gcp:cloudscheduler/job:Job",
  fn: "gcp:cloudfunctionsv2/function:Function",
  invoker: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
  bucket: "gcp:storage/bucket:Bucket",
  object: "gcp:storage/bucketObject:BucketObject",
};
const orders = { name: "orders", schedule: "0 2 * * *", retentionSeconds: 1_209_600 };

/** A value known only once a resource exists, as an instance's `name` is. */
const later = <V>(value: V): pulumi.Output<V> =>
  pulumi.output(
    new Promise<V>((resolve) => setTimeout(() => resolve(value), 5)),
  ) as pulumi.Output<V>;

describe("SpannerScheduledBackup defaults (native)", () => {
  it("declares one full, UTC backup schedule per database and the metrics, but no alert without channels", async () => {
    const plan = await runProgram(() => {
      new data.SpannerScheduledBackup("backups", {
        project,
        region: "europe-west1",
        instance: "commerce",
        databases: [orders],
      });
    });
    expect(plan.get(T.schedule, "backups-orders-schedule").inputs).toEqual({
      project,
      instance: "commerce",
      database: "orders",
      name: "taskstack-full",
      retentionDuration: "1209600s",
      spec: { cronSpec: { text: "0 2 * * *" } },
      fullBackupSpec: {},
      encryptionConfig: { encryptionType: "USE_DATABASE_ENCRYPTION" },
    });
    expect(
      plan.findResources(T.metric).map((m) => [m.name, m.inputs["name"], m.inputs["filter"]]),
    ).toEqual([
      [
        "backups-create-backup-errors-metric",
        "spanner_backup_backups_create_backup_errors",
        'resource.type="spanner_instance" AND resource.labels.instance_id="commerce" AND protoPayload.methodName="google.spanner.admin.database.v1.DatabaseAdmin.CreateBackup" AND severity>=ERROR',
      ],
      [
        // Spanner documents no log entry for a backup a schedule made: the success signal is the
        // backup checker's heartbeat, which reads the backups through ListBackups.
        "backups-orders-succeeded-metric",
        "spanner_backup_backups_orders_succeeded",
        `resource.type="cloud_run_revision" AND resource.labels.service_name="backups-check" AND jsonPayload.event="taskstack.spanner-backup-check" AND jsonPayload.outcome="fresh" AND jsonPayload.database="projects/${project}/instances/commerce/databases/orders"`,
      ],
    ]);
    expect(plan.resourceCount(T.alert)).toBe(0);
    // The checker is the only function and its job the only scheduler job.
    expect(plan.findResources(T.fn).map((f) => f.name)).toEqual(["backups-checker"]);
    expect(plan.findResources(T.job).map((j) => j.name)).toEqual(["backups-checker-job"]);
    expect(plan.resources.filter((r) => r.protect)).toEqual([]);
  });

  it("alerts on CreateBackup errors and on a day without a backup, through PromQL past 23.5 hours", async () => {
    const plan = await runProgram(() => {
      new data.SpannerScheduledBackup("backups", {
        project,
        region: "europe-west1",
        instance: "commerce",
        databases: [orders],
        alertNotificationChannels: [channel],
        protect: true,
      });
    });
    expect(
      plan
        .findResources(T.alert)
        .map((a) => a.name)
        .sort(),
    ).toEqual(["backups-create-backup-errors-alert", "backups-orders-backup-missing-alert"]);
    const errors = plan.get(T.alert, "backups-create-backup-errors-alert").inputs;
    expect(errors["notificationChannels"]).toEqual([channel]);
    // A log metric is invisible to Cloud Monitoring for up to ~10 minutes after it is created, and
    // a condition on it created in the same update fails with 404 (terraform-provider-google#11102,
    // cloud-foundation-fabric#3739): PromQL with disableMetricValidation, and no dependsOn.
    expect(errors["conditions"]).toEqual([
      {
        displayName: "CreateBackup errors on commerce",
        conditionPrometheusQueryLanguage: {
          query:
            '(sum(increase(logging_googleapis_com:user_spanner_backup_backups_create_backup_errors{monitored_resource="spanner_instance"}[300s])) or on() vector(0)) > 0',
          duration: "0s",
          evaluationInterval: "60s",
          disableMetricValidation: true,
        },
      },
    ]);
    expect(plan.get(T.alert, "backups-create-backup-errors-alert").dependsOn).toEqual([]);
    const missing = plan.get(T.alert, "backups-orders-backup-missing-alert").inputs;
    expect(missing["severity"]).toBe("CRITICAL");
    // The checker runs every 30 minutes and logs a heartbeat while the newest scheduled backup
    // is younger than the daily schedule + 6 h slack (30 h): no heartbeat for 3 hours means
    // backups stopped, or the checker did. PromQL with `or on() vector(0)` fires without a point.
    expect(missing["conditions"]).toEqual([
      {
        displayName: "No heartbeat of a backup of orders younger than 30 hours",
        conditionPrometheusQueryLanguage: {
          query:
            '(sum(increase(logging_googleapis_com:user_spanner_backup_backups_orders_succeeded{monitored_resource="cloud_run_revision"}[10800s])) or on() vector(0)) < 1',
          duration: "0s",
          evaluationInterval: "300s",
          disableMetricValidation: true,
        },
      },
    ]);
    expect((missing["documentation"] as { content: string }).content).toMatch(
      /^For the last 3 hours the backup checker backups-check has not seen a complete scheduled backup of orders created within 30 hours/,
    );
    expect(plan.findResources(T.schedule).every((s) => s.protect)).toBe(true);
  });
});

describe("SpannerScheduledBackup custom", () => {
  it("native: incremental, customer-managed key, twice-daily, session-pool alerts", async () => {
    const plan = await runProgram(() => {
      new data.SpannerScheduledBackup("backups", {
        project,
        region: "europe-west1",
        instance: "commerce",
        instanceDefaultBackupScheduleType: "NONE",
        databases: [
          {
            name: "events",
            schedule: "0 */4 * * *",
            retentionSeconds: 86_400,
            type: "incremental",
          },
          {
            name: "ledger",
            schedule: "30 1,13 * * *",
            retentionSeconds: 604_800,
            kmsKeyName: "projects/k/locations/europe-west1/keyRings/r/cryptoKeys/spanner",
            absenceSlackSeconds: 3_600,
          },
        ],
        sessionPoolAlerts: { clientsExportMetrics: true, maxSessions: 400 },
        alertNotificationChannels: [channel],
        labels: { team: "ledger" },
      });
    });
    plan.hasResource(T.schedule, {
      database: "events",
      name: "taskstack-incremental",
      incrementalBackupSpec: {},
      fullBackupSpec: Match.absent(),
      encryptionConfig: { encryptionType: "GOOGLE_DEFAULT_ENCRYPTION" },
    });
    plan.hasResource(T.schedule, {
      database: "ledger",
      encryptionConfig: {
        encryptionType: "CUSTOMER_MANAGED_ENCRYPTION",
        kmsKeyName: "projects/k/locations/europe-west1/keyRings/r/cryptoKeys/spanner",
      },
    });
    // 12 h + 1 h slack is the checker's window for ledger (CHECK_DATABASES); the alert counts
    // its heartbeats over 3 hours. A metric-absence condition "is met only after the subsystem
    // writes at least one data point" (Cloud Monitoring, metric-absence conditions), so a checker
    // that never worked would never fire; `or on() vector(0)` does.
    expect(plan.get(T.alert, "backups-ledger-backup-missing-alert").inputs["conditions"]).toEqual([
      {
        displayName: "No heartbeat of a backup of ledger younger than 13 hours",
        conditionPrometheusQueryLanguage: {
          query:
            '(sum(increase(logging_googleapis_com:user_spanner_backup_backups_ledger_succeeded{monitored_resource="cloud_run_revision"}[10800s])) or on() vector(0)) < 1',
          duration: "0s",
          evaluationInterval: "300s",
          disableMetricValidation: true,
        },
      },
    ]);
    const checkerEnv = (
      plan.get(T.fn, "backups-checker").inputs["serviceConfig"] as {
        environmentVariables: Record<string, string>;
      }
    ).environmentVariables;
    // Every 4 h + 6 h default slack for events; 12 h + 1 h for ledger.
    expect(JSON.parse(checkerEnv["CHECK_DATABASES"] ?? "")).toEqual([
      {
        database: `projects/${project}/instances/commerce/databases/events`,
        maxAgeSeconds: 36_000,
      },
      {
        database: `projects/${project}/instances/commerce/databases/ledger`,
        maxAgeSeconds: 46_800,
      },
    ]);
    // Custom metrics exist only once a client wrote them: PromQL without metric validation.
    expect(plan.get(T.alert, "backups-session-timeouts-alert").inputs["conditions"]).toEqual([
      {
        displayName: "Session acquisition timeouts above zero",
        conditionPrometheusQueryLanguage: {
          query:
            'sum(increase(custom_googleapis_com:opencensus_cloud_google_com_java_spanner_get_session_timeouts{instance_id="commerce"}[300s])) > 0',
          duration: "0s",
          evaluationInterval: "60s",
          disableMetricValidation: true,
        },
      },
    ]);
    const nearMax = plan.get(T.alert, "backups-sessions-near-max-alert").inputs;
    expect(nearMax["severity"]).toBe("WARNING");
    expect(nearMax["conditions"]).toEqual([
      expect.objectContaining({
        displayName: "In-use sessions above 360 of 400",
        conditionPrometheusQueryLanguage: {
          query:
            'max(max_over_time(custom_googleapis_com:opencensus_cloud_google_com_java_spanner_max_in_use_sessions{instance_id="commerce"}[60s])) > 360',
          duration: "300s",
          evaluationInterval: "60s",
          disableMetricValidation: true,
        },
      }),
    ]);
    expect(nearMax["userLabels"]).toEqual({ "managed-by": "taskstack", team: "ledger" });
  });

  it("function: a dedicated account per side, least privilege, archive, function, jobs and their alerts", async () => {
    const plan = await runProgram(() => {
      new data.SpannerScheduledBackup("commerce-backup", {
        project,
        region: "europe-west1",
        instance: "commerce",
        mode: "function",
        timeZone: "UTC",
        retryWindowSeconds: 1800,
        databases: [
          orders,
          { name: "payments", schedule: "0 */6 * * *", retentionSeconds: 86_400 },
        ],
        alertNotificationChannels: [channel],
      });
    });
    const scheduler = `serviceAccount:commerce-backup-scheduler@${project}.iam.gserviceaccount.com`;
    const fnAccount = `serviceAccount:commerce-backup-function@${project}.iam.gserviceaccount.com`;
    expect(plan.findResources(T.account).map((a) => a.inputs["accountId"])).toEqual([
      "commerce-backup-build",
      "commerce-backup-scheduler",
      "commerce-backup-function",
    ]);
    // Since Cloud Build's July 2024 change a new project's default build account may not build a
    // function: the function names its own, with the roles Google lists for it
    // (cloud.google.com/functions/docs/securing/build-custom-sa,
    // cloud.google.com/run/docs/configuring/services/build-service-account).
    const builder = `serviceAccount:commerce-backup-build@${project}.iam.gserviceaccount.com`;
    expect(
      plan
        .findResources("gcp:projects/iAMMember:IAMMember")
        .map((g) => [g.inputs["project"], g.inputs["role"], g.inputs["member"]]),
    ).toEqual([
      [project, "roles/logging.logWriter", builder],
      [project, "roles/artifactregistry.writer", builder],
      [project, "roles/storage.objectAdmin", builder],
    ]);
    // Every grant, exactly: the scheduler publishes to its topic; the function writes backups of
    // its two databases and may invoke its own service.
    const grants = [T.topicIam, T.dbIam, T.instanceIam, T.invoker].flatMap((t) =>
      plan.findResources(t).map((g) => ({
        type: t,
        on: g.inputs["topic"] ?? g.inputs["database"] ?? g.inputs["instance"] ?? g.inputs["name"],
        role: g.inputs["role"],
        member: g.inputs["member"],
      })),
    );
    expect(grants).toEqual([
      {
        type: T.topicIam,
        on: "commerce-backup-requests",
        role: "roles/pubsub.publisher",
        member: scheduler,
      },
      // On the instance: CreateBackup checks spanner.backups.create there.
      {
        type: T.instanceIam,
        on: "commerce",
        role: "roles/spanner.backupWriter",
        member: fnAccount,
      },
      { type: T.invoker, on: "commerce-backup", role: "roles/run.invoker", member: fnAccount },
    ]);
    plan.hasResource(T.bucket, {
      location: "EUROPE-WEST1",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
    });
    const bucket = plan.get(T.bucket, "commerce-backup-source").outputs["name"];
    const object = `spanner-backup-function-${functionArchiveContents().hash}.zip`;
    plan.hasResource(T.object, { bucket, name: object, contentType: "application/zip" });
    expect(plan.get(T.fn, "commerce-backup-function").inputs).toMatchObject({
      name: "commerce-backup",
      location: "europe-west1",
      buildConfig: {
        runtime: "nodejs22",
        entryPoint: "spannerScheduledBackup",
        serviceAccount: `projects/${project}/serviceAccounts/commerce-backup-build@${project}.iam.gserviceaccount.com`,
        source: { storageSource: { bucket, object } },
      },
      serviceConfig: {
        serviceAccountEmail: `commerce-backup-function@${project}.iam.gserviceaccount.com`,
        ingressSettings: "ALLOW_INTERNAL_ONLY",
        maxInstanceCount: 1,
        environmentVariables: {
          BACKUP_DATABASES: `projects/${project}/instances/commerce/databases/orders,projects/${project}/instances/commerce/databases/payments`,
          RETRY_WINDOW_SECONDS: "1800",
        },
      },
      eventTrigger: {
        triggerRegion: "europe-west1",
        eventType: "google.cloud.pubsub.topic.v1.messagePublished",
        pubsubTopic: `projects/${project}/topics/commerce-backup-requests`,
        retryPolicy: "RETRY_POLICY_RETRY",
        serviceAccountEmail: `commerce-backup-function@${project}.iam.gserviceaccount.com`,
      },
    });
    const job = plan.get(T.job, "commerce-backup-orders-job").inputs;
    expect(job).toMatchObject({
      name: "commerce-backup-orders",
      region: "europe-west1",
      schedule: "0 2 * * *",
      timeZone: "Etc/UTC",
      retryConfig: {
        retryCount: 3,
        minBackoffDuration: "30s",
        maxBackoffDuration: "300s",
        maxDoublings: 3,
      },
      httpTarget: {
        uri: `https://pubsub.googleapis.com/v1/projects/${project}/topics/commerce-backup-requests:publish`,
        httpMethod: "POST",
        oauthToken: {
          serviceAccountEmail: `commerce-backup-scheduler@${project}.iam.gserviceaccount.com`,
          scope: "https://www.googleapis.com/auth/pubsub",
        },
      },
    });
    const body = JSON.parse(
      Buffer.from((job["httpTarget"] as { body: string }).body, "base64").toString(),
    ) as { messages: { data: string }[] };
    expect(JSON.parse(Buffer.from(body.messages[0]?.data ?? "", "base64").toString())).toEqual({
      database: `projects/${project}/instances/commerce/databases/orders`,
      expire: "1209600s",
      schedule: "0 2 * * *",
      timeZone: "Etc/UTC",
    });
    expect(plan.findResources(T.metric).map((m) => m.inputs["filter"])).toEqual([
      'resource.type="spanner_instance" AND resource.labels.instance_id="commerce" AND protoPayload.methodName="google.spanner.admin.database.v1.DatabaseAdmin.CreateBackup" AND severity>=ERROR',
      'resource.type="cloud_scheduler_job" AND resource.labels.job_id=("commerce-backup-orders" OR "commerce-backup-payments") AND severity>=ERROR',
      // The function's own failure events only: not the service's 429s, which Pub/Sub redelivers.
      'resource.type="cloud_run_revision" AND resource.labels.service_name="commerce-backup" AND jsonPayload.event="taskstack.spanner-backup" AND jsonPayload.outcome=("poison" OR "failed" OR "gave-up")',
      'resource.type="spanner_instance" AND resource.labels.instance_id="commerce" AND protoPayload.methodName="google.spanner.admin.database.v1.DatabaseAdmin.CreateBackup" AND operation.last="true" AND severity<ERROR AND protoPayload.resourceName=~"/backups/schedule-orders-[0-9]{8}-[0-9]{6}$"',
      'resource.type="spanner_instance" AND resource.labels.instance_id="commerce" AND protoPayload.methodName="google.spanner.admin.database.v1.DatabaseAdmin.CreateBackup" AND operation.last="true" AND severity<ERROR AND protoPayload.resourceName=~"/backups/schedule-payments-[0-9]{8}-[0-9]{6}$"',
    ]);
    expect(
      plan
        .findResources(T.alert)
        .map((a) => a.name)
        .sort(),
    ).toEqual([
      "commerce-backup-create-backup-errors-alert",
      "commerce-backup-function-errors-alert",
      "commerce-backup-orders-backup-missing-alert",
      "commerce-backup-payments-backup-missing-alert",
      "commerce-backup-scheduler-errors-alert",
    ]);
    const functionErrors = plan.get(T.alert, "commerce-backup-function-errors-alert").inputs;
    expect(functionErrors["conditions"]).toEqual([
      {
        displayName: "Backup function errors",
        conditionPrometheusQueryLanguage: {
          query:
            '(sum(increase(logging_googleapis_com:user_spanner_backup_commerce_backup_function_errors{monitored_resource="cloud_run_revision"}[300s])) or on() vector(0)) > 0',
          duration: "0s",
          evaluationInterval: "60s",
          disableMetricValidation: true,
        },
      },
    ]);
    expect((functionErrors["documentation"] as { content: string }).content).toContain(
      'a function that crashes or never runs logs no outcome; the "No recent backup" alert of each database fires for those.',
    );
    // Every 6 h + 2 h slack: 8 hours, in the one PromQL form.
    expect(
      plan.get(T.alert, "commerce-backup-payments-backup-missing-alert").inputs["conditions"],
    ).toEqual([
      expect.objectContaining({
        conditionPrometheusQueryLanguage: expect.objectContaining({
          query: expect.stringContaining("[28800s])) or on() vector(0)) < 1") as unknown,
        }),
      }),
    ]);
    expect(plan.resourceCount(T.schedule)).toBe(0);
    expect(plan.findResources("gcp:projects/iAMCustomRole:IAMCustomRole")).toEqual([]);
  });

  it("native: the backup checker lists backups with one permission, on its instance, every 30 minutes", async () => {
    const plan = await runProgram(() => {
      new data.SpannerScheduledBackup("commerce-backup", {
        project,
        region: "europe-west1",
        instance: "commerce",
        databases: [orders],
        alertNotificationChannels: [channel],
      });
    });
    const checker = `commerce-backup-checker@${project}.iam.gserviceaccount.com`;
    expect(plan.findResources(T.account).map((a) => a.inputs["accountId"])).toEqual([
      "commerce-backup-build",
      "commerce-backup-checker",
    ]);
    // ListBackups requires spanner.backups.list on the instance (REST reference of
    // projects.instances.backups.list); no predefined role holds it alone, so a custom role does.
    expect(
      plan.get("gcp:projects/iAMCustomRole:IAMCustomRole", "commerce-backup-backup-lister-role")
        .inputs,
    ).toMatchObject({
      project,
      roleId: "taskstack_backup_lister_commerce_backup",
      permissions: ["spanner.backups.list"],
    });
    const role = plan.get(
      "gcp:projects/iAMCustomRole:IAMCustomRole",
      "commerce-backup-backup-lister-role",
    ).outputs["name"];
    const grants = [T.dbIam, T.instanceIam, T.invoker, T.topicIam].flatMap((t) =>
      plan
        .findResources(t)
        .map((g) => [
          t,
          g.inputs["instance"] ?? g.inputs["name"],
          g.inputs["role"],
          g.inputs["member"],
        ]),
    );
    expect(grants).toEqual([
      [T.instanceIam, "commerce", role, `serviceAccount:${checker}`],
      [T.invoker, "commerce-backup-check", "roles/run.invoker", `serviceAccount:${checker}`],
    ]);
    const bucket = plan.get(T.bucket, "commerce-backup-source").outputs["name"];
    const object = `spanner-backup-function-${functionArchiveContents().hash}.zip`;
    expect(plan.get(T.fn, "commerce-backup-checker").inputs).toMatchObject({
      name: "commerce-backup-check",
      location: "europe-west1",
      buildConfig: {
        runtime: "nodejs22",
        entryPoint: "spannerBackupCheck",
        serviceAccount: `projects/${project}/serviceAccounts/commerce-backup-build@${project}.iam.gserviceaccount.com`,
        source: { storageSource: { bucket, object } },
      },
      serviceConfig: {
        serviceAccountEmail: checker,
        ingressSettings: "ALLOW_ALL",
        maxInstanceCount: 1,
        environmentVariables: {
          CHECK_DATABASES: JSON.stringify([
            {
              database: `projects/${project}/instances/commerce/databases/orders`,
              maxAgeSeconds: 108_000,
            },
          ]),
        },
      },
    });
    expect(plan.get(T.fn, "commerce-backup-checker").inputs["eventTrigger"]).toBeUndefined();
    const url = plan.get(T.fn, "commerce-backup-checker").outputs["url"];
    expect(plan.get(T.job, "commerce-backup-checker-job").inputs).toMatchObject({
      name: "commerce-backup-check",
      schedule: "*/30 * * * *",
      timeZone: "Etc/UTC",
      httpTarget: {
        uri: url,
        httpMethod: "POST",
        oidcToken: { serviceAccountEmail: checker, audience: url },
      },
    });
    expect(plan.findResources(T.topic)).toEqual([]);
    expect(
      data.SpannerScheduledBackup.requiredApis({
        project,
        region: "europe-west1",
        instance: "commerce",
        databases: [orders],
      }),
    ).toEqual([
      "spanner.googleapis.com",
      "logging.googleapis.com",
      "cloudscheduler.googleapis.com",
      "iam.googleapis.com",
      "cloudresourcemanager.googleapis.com",
      "storage.googleapis.com",
      "cloudfunctions.googleapis.com",
      "run.googleapis.com",
      "cloudbuild.googleapis.com",
      "artifactregistry.googleapis.com",
    ]);
  });
});

describe("SpannerScheduledBackup bad input", () => {
  const base = { project, region: "europe-west1", instance: "commerce", databases: [orders] };
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "a retention under 6 hours",
      { ...base, databases: [{ ...orders, retentionSeconds: 3600 }] },
      [
        'SpannerScheduledBackup "b" databases[0].retentionSeconds: expected an integer from 21600 to 31622400, got 3600',
      ],
    ],
    [
      "a retention shorter than the interval",
      { ...base, databases: [{ ...orders, schedule: "0 2 * * 0", retentionSeconds: 86_400 }] },
      [
        'SpannerScheduledBackup "b" databases[0].retentionSeconds: expected at least 604800 (the schedule\'s longest interval), or one backup expires before the next exists, got 86400',
      ],
    ],
    [
      "incremental with a customer-managed key",
      {
        ...base,
        databases: [
          {
            ...orders,
            type: "incremental",
            kmsKeyName: "projects/k/locations/l/keyRings/r/cryptoKeys/c",
          },
        ],
      },
      [
        'SpannerScheduledBackup "b" databases[0].kmsKeyName: expected no kmsKeyName for an incremental backup (incremental backups use Google-managed encryption only), got "projects/k/locations/l/keyRings/r/cryptoKeys/c". Use type: "full" with a customer-managed key',
      ],
    ],
    [
      // A boolean in the types, for Pulumi's component analyzer; only true is accepted.
      "session-pool alerts without stating that the clients export the metrics",
      { ...base, sessionPoolAlerts: { clientsExportMetrics: false, maxSessions: 400 } },
      [
        'SpannerScheduledBackup "b" sessionPoolAlerts.clientsExportMetrics: expected true, stating that your application\'s Spanner clients export these metrics (the default metric types exist only after a Java client enabled its OpenCensus exporter, which is off by default: googleapis/java-spanner README); without them the alerts never fire, got false',
      ],
    ],
    [
      "an invalid cron",
      { ...base, databases: [{ ...orders, schedule: "0 2 * *" }] },
      [
        'SpannerScheduledBackup "b" databases[0].schedule: expected unix cron with five fields (minute hour day-of-month month day-of-week), not 4, got "0 2 * *"',
      ],
    ],
    [
      "full native backups closer than 12 hours",
      { ...base, databases: [{ ...orders, schedule: "0 */6 * * *" }] },
      [
        'SpannerScheduledBackup "b" databases[0].schedule: expected full backups at least 12 hours apart (Spanner\'s limit), not 6 hours, got "0 */6 * * *"',
      ],
    ],
    [
      "a native schedule in another time zone",
      { ...base, timeZone: "Europe/Paris" },
      [
        'SpannerScheduledBackup "b" timeZone: expected Etc/UTC in native mode (Spanner runs backup schedules in UTC only), got "Europe/Paris". Write the schedule in UTC, or use mode: "function"',
      ],
    ],
    [
      "an AUTOMATIC instance",
      { ...base, instanceDefaultBackupScheduleType: "AUTOMATIC" },
      [
        'SpannerScheduledBackup "b" instanceDefaultBackupScheduleType: expected "NONE": an AUTOMATIC instance gives each new database its own daily schedule, so these databases would be backed up twice, got "AUTOMATIC". Set defaultBackupScheduleType: NONE on the instance (and delete the default schedules it already made)',
      ],
    ],
    [
      "function mode without region, and a database twice",
      { ...base, region: undefined, mode: "function", databases: [orders, orders] },
      [
        'SpannerScheduledBackup "b" databases[1].name: expected a database listed once (names differing only in - and _ count as one), got "orders"',
        'SpannerScheduledBackup "b" region: expected a region for the function, its scheduler jobs and its bucket, got nothing',
      ],
    ],
    [
      "function mode without a project",
      { instance: "commerce", region: "europe-west1", mode: "function", databases: [orders] },
      [
        "SpannerScheduledBackup \"b\" project: expected a project in function mode (each job's message and the function's allowed databases name projects/<project>/instances/…), got nothing. Set project to the instance's project (a stack sets it from taskstack:gcp.project)",
      ],
    ],
    [
      "native mode without project and region",
      { instance: "commerce", databases: [orders] },
      [
        'SpannerScheduledBackup "b" project: expected a project in native mode (the backup checker lists the backups of projects/<project>/instances/…), got nothing. Set project to the instance\'s project (a stack sets it from taskstack:gcp.project)',
        'SpannerScheduledBackup "b" region: expected a region for the backup checker, its scheduler job and its bucket, got nothing',
      ],
    ],
    [
      "function mode without project and region",
      { instance: "commerce", mode: "function", databases: [orders] },
      [
        "SpannerScheduledBackup \"b\" project: expected a project in function mode (each job's message and the function's allowed databases name projects/<project>/instances/…), got nothing. Set project to the instance's project (a stack sets it from taskstack:gcp.project)",
        'SpannerScheduledBackup "b" region: expected a region for the function, its scheduler jobs and its bucket, got nothing',
      ],
    ],
  ])("refuses %s with exact messages, declaring nothing", async (_case, args, problems) => {
    const failure = await runProgram(() => {
      new data.SpannerScheduledBackup("b", args as unknown as data.SpannerScheduledBackupArgs);
    }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(TaskstackInputError);
    expect((failure as TaskstackInputError).problems).toEqual(problems);
  });

  it("only ever fails with TaskstackInputError, and both outcomes occur", () => {
    const outcomes: Outcomes = { accepted: 0, rejected: 0 };
    // Mostly valid values, so accepted args occur, with one invalid value now and then.
    const db = fc.record(
      {
        name: mostlyValue("orders", "Bad", 7, "orders"),
        schedule: mostlyValue("0 2 * * *", "x", "0 2 * * 0", "0 */4 * * *", "30 1,13 * * *"),
        retentionSeconds: mostlyValue(2_678_400, 0, 86_400, 40_000_000, "1d"),
        type: mostlyValue("full", "incremental", "diff"),
        absenceSlackSeconds: mostlyValue(3600, -1, 700_000),
      },
      { requiredKeys: ["name", "schedule", "retentionSeconds"] },
    );
    const args = fc.record(
      {
        project: mostlyValue(project, "P"),
        region: mostlyValue("europe-west1", "eu"),
        instance: mostlyValue("commerce", "c"),
        mode: mostlyValue("native", "function", "cron"),
        timeZone: mostlyValue("UTC", "Europe/Paris", "Mars/Olympus"),
        databases: fc.array(db, { minLength: 1, maxLength: 2 }),
        instanceDefaultBackupScheduleType: mostlyValue("NONE", "AUTOMATIC"),
      },
      { requiredKeys: ["instance", "databases"] },
    );
    assertExercised(outcomes, { accepted: 10, rejected: 10 }, (params) => {
      fc.assert(
        fc.property(args, (a) =>
          failsOnlyWithInputErrors(() => data.validateSpannerScheduledBackupArgs("b", a), outcomes),
        ),
        { numRuns: 80, ...params },
      );
    });
  });
});

describe("SpannerScheduledBackup with project and instance as Outputs", () => {
  const instanceType = "gcp:spanner/instance:Instance";
  const native: Omit<data.SpannerScheduledBackupArgs, "project" | "instance"> = {
    region: "europe-west1",
    databases: [
      orders,
      { name: "events", schedule: "0 */4 * * *", retentionSeconds: 172_800, type: "incremental" },
    ],
    alertNotificationChannels: [channel],
    sessionPoolAlerts: { clientsExportMetrics: true, maxSessions: 400 },
    labels: { team: "commerce" },
    protect: true,
  };
  const fn: Omit<data.SpannerScheduledBackupArgs, "project" | "instance"> = {
    region: "europe-west1",
    mode: "function",
    timeZone: "Europe/Paris",
    databases: [orders],
    alertNotificationChannels: [channel],
    sessionPoolAlerts: { clientsExportMetrics: true, maxSessions: 400 },
    protect: true,
  };
  /** The instance declared in the same program, whose `name` and `project` are Outputs. */
  const declareInstance = () =>
    new gcp.spanner.Instance("commerce", {
      project,
      name: "commerce",
      config: "regional-europe-west1",
      displayName: "Commerce",
      processingUnits: 100,
      defaultBackupScheduleType: "NONE",
    });
  /** What the component declared, as the engine receives it (the instance resource left out). */
  const declared = (plan: Plan) =>
    plan.resources
      .filter((r) => r.type !== instanceType && r.type !== "pulumi:pulumi:Stack")
      .map((r) => ({
        type: r.type,
        name: r.name,
        parent: r.parent,
        inputs: r.inputs,
        protect: r.protect,
        dependsOn: r.dependsOn.filter((u) => !u.includes(instanceType)),
      }))
      // Registered as their inputs resolve: the order is the engine's, not a contract.
      .sort((a, b) => (a.type + a.name).localeCompare(b.type + b.name));

  it.each([
    ["native", native],
    ["function", fn],
  ])(
    "%s mode: the same resources and inputs as with strings, depending on the instance resource",
    async (_mode, args) => {
      const withStrings = await runProgram(() => {
        new data.SpannerScheduledBackup("backups", { ...args, project, instance: "commerce" });
      });
      const withOutputs = await runProgram(() => {
        const instance = declareInstance();
        new data.SpannerScheduledBackup("backups", {
          ...args,
          project: instance.project,
          instance: instance.name,
        });
      });
      const withPlainOutputs = await runProgram(() => {
        new data.SpannerScheduledBackup("backups", {
          ...args,
          project: pulumi.output(project),
          instance: pulumi.output("commerce"),
        });
      });
      expect(declared(withStrings).length).toBeGreaterThan(20);
      expect(declared(withOutputs)).toEqual(declared(withStrings));
      expect(declared(withPlainOutputs)).toEqual(declared(withStrings));
      // The values came from the instance resource, and the engine knows it.
      const instanceUrn = withOutputs.get(instanceType, "commerce").urn;
      const alert = withOutputs.get(T.alert, "backups-create-backup-errors-alert");
      expect(alert.inputs["displayName"]).toBe("Spanner backup failed on commerce");
      expect(alert.propertyDependencies["displayName"]).toEqual([instanceUrn]);
      const metric = withOutputs.get(T.metric, "backups-create-backup-errors-metric");
      expect(metric.inputs["filter"]).toBe(
        'resource.type="spanner_instance" AND resource.labels.instance_id="commerce" AND protoPayload.methodName="google.spanner.admin.database.v1.DatabaseAdmin.CreateBackup" AND severity>=ERROR',
      );
      expect(metric.dependsOn).toContain(instanceUrn);
    },
  );

  it("writes the resolved instance into the function's databases and each job's message", async () => {
    const plan = await runProgram(() => {
      const instance = declareInstance();
      new data.SpannerScheduledBackup("backups", {
        ...fn,
        project: instance.project,
        instance: instance.name,
      });
    });
    const env = (
      plan.get(T.fn, "backups-function").inputs["serviceConfig"] as {
        environmentVariables: Record<string, string>;
      }
    ).environmentVariables;
    expect(env["BACKUP_DATABASES"]).toBe(`projects/${project}/instances/commerce/databases/orders`);
    const body = (plan.get(T.job, "backups-orders-job").inputs["httpTarget"] as { body: string })
      .body;
    const message = JSON.parse(Buffer.from(body, "base64").toString()) as {
      messages: { data: string }[];
    };
    expect(JSON.parse(Buffer.from(message.messages[0]?.data ?? "", "base64").toString())).toEqual({
      database: `projects/${project}/instances/commerce/databases/orders`,
      expire: "1209600s",
      schedule: "0 2 * * *",
      timeZone: "Europe/Paris",
    });
    expect(plan.get(T.instanceIam, "backups-backup-writer").inputs).toMatchObject({
      project,
      instance: "commerce",
      role: "roles/spanner.backupWriter",
    });
  });

  it.each([
    [
      "instance",
      { project, instance: later("Commerce_DB") },
      'SpannerScheduledBackup "backups" instance: expected a Spanner instance id: 6–30 lowercase letters, digits or -, starting with a letter, got "Commerce_DB"',
    ],
    [
      "project",
      { project: later("Acme"), instance: "commerce" },
      'SpannerScheduledBackup "backups" project: expected a GCP project id: 6–30 lowercase letters, digits or -, starting with a letter, got "Acme"',
    ],
  ])(
    "refuses a resolved %s with the message a known one gets, declaring nothing that carries it",
    async (arg, target, message) => {
      const known = { ...target, [arg]: arg === "instance" ? "Commerce_DB" : "Acme" };
      expect(() => new data.SpannerScheduledBackup("backups", { ...native, ...known })).toThrow(
        message,
      );
      const failure = await runProgram(() => {
        new data.SpannerScheduledBackup("backups", { ...native, ...target });
      }).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(TaskstackInputError);
      expect((failure as Error).message).toBe(message);
      const carrying = declaredBeforeFailure(failure).filter((r) =>
        JSON.stringify(r.inputs).includes(arg === "instance" ? "Commerce_DB" : "Acme"),
      );
      expect(carrying).toEqual([]);
      // Everything that names the instance waits for it: schedules, metrics, alerts, the checker.
      expect(
        declaredBeforeFailure(failure)
          .filter((r) => [T.schedule, T.metric, T.alert, T.fn, T.job].includes(r.type))
          .map((r) => r.name),
      ).toEqual([]);
    },
  );

  it("previews with a project and instance known only after up: unknown where they are written, nothing fails", async () => {
    const plan = await runProgram(
      () => {
        // Neither given: in a preview the provider has not yet said what they are.
        const instance = new gcp.spanner.Instance("commerce", {
          config: "regional-europe-west1",
          displayName: "Commerce",
          processingUnits: 100,
        });
        new data.SpannerScheduledBackup("backups", {
          ...native,
          project: instance.project,
          instance: instance.name,
        });
      },
      { preview: true },
    );
    expect(plan.get(T.schedule, "backups-orders-schedule").inputs).toMatchObject({
      project: unknownValue,
      instance: unknownValue,
      database: "orders",
    });
    expect(plan.get(T.alert, "backups-create-backup-errors-alert").inputs["displayName"]).toBe(
      unknownValue,
    );
    // What does not name them stays known.
    expect(plan.get(T.metric, "backups-create-backup-errors-metric").inputs).toMatchObject({
      name: "spanner_backup_backups_create_backup_errors",
      filter: unknownValue,
    });
    expect(plan.get(T.alert, "backups-orders-backup-missing-alert").inputs).toMatchObject({
      severity: "CRITICAL",
      notificationChannels: [channel],
      displayName: unknownValue,
    });
    expect(plan.resourceCount(T.alert)).toBe(5);
  });
});

describe("the filters taskstack exports, given an instance as an Output", () => {
  const path = `projects/${project}/instances/commerce/databases/orders`;
  const checker = <D extends pulumi.Input<string>>(database: D) => ({
    checkerFunctionName: "backups-check",
    database,
  });
  it.each([
    [
      "createBackupErrorsFilter",
      () => data.createBackupErrorsFilter("commerce"),
      () => data.createBackupErrorsFilter(later("commerce")),
    ],
    [
      "backupSucceededFilter, function mode",
      () => data.backupSucceededFilter("function", "commerce", "orders"),
      () => data.backupSucceededFilter("function", later("commerce"), "orders"),
    ],
    [
      "backupSucceededFilter, native mode",
      () => data.backupSucceededFilter("native", "commerce", "orders", checker(path)),
      () => data.backupSucceededFilter("native", later("commerce"), "orders", checker(later(path))),
    ],
  ])(
    "%s: a string for strings, the same text once an Output resolves",
    async (_, known, output) => {
      const text: string = known();
      expect(text).toContain(text.includes("cloud_run_revision") ? path : '"commerce"');
      const plan = await runProgram(() => ({ filter: output() }));
      expect(plan.outputs["filter"]).toBe(text);
    },
  );
});

describe("backupMissingCondition", () => {
  it.each([
    // One form for every window: absence conditions never fire without a first point.
    [3600, "conditionPrometheusQueryLanguage"],
    [84_600, "conditionPrometheusQueryLanguage"],
    [84_601, "conditionPrometheusQueryLanguage"],
    [108_000, "conditionPrometheusQueryLanguage"],
  ])("a %i s window is a %s", (window, kind) => {
    expect(Object.keys(backupMissingCondition("m", "orders", window))).toEqual([
      "displayName",
      kind,
    ]);
  });
});
