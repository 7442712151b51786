import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../shared/naming";
import { whenResolved } from "../shared/resolved";
import { functionArchive, functionArchiveContents } from "./spanner-backup-archive";
import { checkEntryPoint } from "../../lib/spanner-backup-function/index";
import type { CheckedDatabase } from "../../lib/spanner-backup-function/checker";

// The pieces of SpannerScheduledBackup that deploy its Cloud Functions: the source bucket, archive
// and build account both modes share, and native mode's backup checker.

/** What a 2nd gen function's build account needs (Google's list, see declareFunctionSource). */
export const buildRoles = [
  "roles/logging.logWriter",
  "roles/artifactregistry.writer",
  "roles/storage.objectAdmin",
] as const;

/**
 * The one permission the checker needs: ListBackups "requires the following IAM permission on the
 * specified resource parent: spanner.backups.list" (cloud.google.com/spanner/docs/reference/rest/
 * v1/projects.instances.backups/list). Every predefined Spanner role that holds it holds other
 * permissions too (cloud.google.com/iam/docs/roles-permissions/spanner; `roles/spanner.backupWriter`
 * can also create backups), so the checker gets a custom role with this permission alone, on its
 * instance only. Whoever runs `pulumi up` needs `iam.roles.create` in the project.
 */
export const checkerPermissions = ["spanner.backups.list"] as const;

/** How often the checker runs, and how long without a heartbeat before the alert fires. */
export const checkerSchedule = "*/30 * * * *";
export const checkerHeartbeatWindowSeconds = 3 * 3600;

export interface FunctionSourceNames {
  readonly buildAccountId: string;
}

/** The bucket and archive a function builds from, and the account Cloud Build builds it as. */
export function declareFunctionSource(
  parent: pulumi.Resource | undefined,
  name: string,
  project: pulumi.Input<string>,
  region: string,
  names: FunctionSourceNames,
  labels: Record<string, string>,
  protect: boolean,
) {
  const opts = { parent };
  const bucket = new gcp.storage.Bucket(
    childName(name, "source"),
    {
      project,
      location: region.toUpperCase(),
      labels,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      forceDestroy: !protect,
    },
    { parent, protect },
  );
  const archive = new gcp.storage.BucketObject(
    childName(name, "archive"),
    {
      bucket: bucket.name,
      // The content's digest in the name: a changed function is a new object, which redeploys.
      name: `spanner-backup-function-${functionArchiveContents().hash}.zip`,
      contentType: "application/zip",
      source: functionArchive(),
    },
    opts,
  );
  // Since Cloud Build's July 2024 change, a new project's default build account may lack what a
  // function build needs, and the deploy fails; a 2nd gen function names its own build account
  // with the roles Google lists for it: Logs Writer, Artifact Registry Writer, Storage Object
  // Admin (cloud.google.com/functions/docs/securing/build-custom-sa,
  // cloud.google.com/run/docs/configuring/services/build-service-account).
  const buildAccount = new gcp.serviceaccount.Account(
    childName(name, "build-sa"),
    {
      project,
      accountId: names.buildAccountId,
      displayName: `Builds the backup functions of ${name}`,
      description: `taskstack SpannerScheduledBackup ${name}: Cloud Build account of its functions.`,
    },
    opts,
  );
  const buildGrants = buildRoles.map(
    (role) =>
      new gcp.projects.IAMMember(
        childName(name, "build", role.replace(/^roles\//, "").replace(/\./g, "-")),
        { project, role, member: buildAccount.member },
        opts,
      ),
  );
  return { bucket, archive, buildAccount, buildGrants };
}

export interface CheckerNames {
  readonly checkerFunctionName: string;
  readonly checkerAccountId: string;
  readonly checkerRoleId: string;
  readonly checkerJob: string;
}

/**
 * Native mode's success signal: a function that Cloud Scheduler calls every 30 minutes, which
 * lists each database's backups and logs a `fresh` heartbeat while the newest READY scheduled
 * backup is younger than the database's window (lib/spanner-backup-function/checker.ts).
 */
/** Native mode's backup checker: its account, custom role, function and scheduler job. */
export interface SpannerBackupChecker {
  /** The checker function's own service account. */
  readonly account: gcp.serviceaccount.Account;
  /** The custom role that lets it list backups (`spanner.backups.list` only). */
  readonly role: gcp.projects.IAMCustomRole;
  /** The function that logs each database's heartbeat. */
  readonly function: gcp.cloudfunctionsv2.Function;
  /** The Cloud Scheduler job that calls it every 30 minutes. */
  readonly job: gcp.cloudscheduler.Job;
}

export function declareBackupChecker(
  parent: pulumi.Resource | undefined,
  name: string,
  inputs: {
    readonly project: pulumi.Input<string>;
    readonly region: string;
    /** The instance id; an Output reaches the texts that name it once it resolves. */
    readonly instance: pulumi.Input<string>;
    readonly databases: pulumi.Input<readonly CheckedDatabase[]>;
    readonly labels: Record<string, string>;
    readonly source: ReturnType<typeof declareFunctionSource>;
    readonly names: CheckerNames;
  },
): SpannerBackupChecker {
  const { project, region, instance, names, source } = inputs;
  const opts = { parent };
  const text = (build: (instance: string) => string) => whenResolved(instance, build);
  const account = new gcp.serviceaccount.Account(
    childName(name, "checker-sa"),
    {
      project,
      accountId: names.checkerAccountId,
      displayName: text((i) => `Checks the backups of ${i}`),
      description: text(
        (i) =>
          `taskstack SpannerScheduledBackup ${name}: lists the backups of ${i} (spanner.backups.list only); invokes its own checker.`,
      ),
    },
    opts,
  );
  const role = new gcp.projects.IAMCustomRole(
    childName(name, "backup-lister-role"),
    {
      project,
      roleId: names.checkerRoleId,
      title: text((i) => `taskstack: list the backups of ${i}`.slice(0, 100)),
      description: text(
        (i) =>
          `Held by the backup checker of taskstack SpannerScheduledBackup ${name}, on instance ${i} only.`,
      ),
      permissions: [...checkerPermissions],
      stage: "GA",
    },
    opts,
  );
  const grant = new gcp.spanner.InstanceIAMMember(
    childName(name, "backup-lister"),
    { project, instance, role: role.name, member: account.member },
    opts,
  );
  const fn = new gcp.cloudfunctionsv2.Function(
    childName(name, "checker"),
    {
      project,
      location: region,
      name: names.checkerFunctionName,
      description: text(
        (i) =>
          `Checks that scheduled backups of ${i} are recent (taskstack SpannerScheduledBackup ${name}).`,
      ),
      labels: inputs.labels,
      buildConfig: {
        runtime: "nodejs22",
        entryPoint: checkEntryPoint,
        serviceAccount: pulumi.interpolate`projects/${project}/serviceAccounts/${source.buildAccount.email}`,
        source: { storageSource: { bucket: source.bucket.name, object: source.archive.name } },
      },
      serviceConfig: {
        serviceAccountEmail: account.email,
        // Cloud Scheduler calls the function's URL over HTTP. Google's ingress page
        // (cloud.google.com/run/docs/securing/ingress) lists which sources count as internal;
        // taskstack does not rely on Cloud Scheduler being one of them. The endpoint is reachable
        // at the network level and admits only an OIDC token of an account holding run.invoker
        // (the checker's own), and all the function can do is list backups.
        ingressSettings: "ALLOW_ALL",
        maxInstanceCount: 1,
        availableMemory: "256M",
        timeoutSeconds: 60,
        allTrafficOnLatestRevision: true,
        environmentVariables: {
          CHECK_DATABASES: whenResolved(inputs.databases, (d) => JSON.stringify(d)),
        },
      },
    },
    // Not protected: it keeps no state, and a replacement only skips a heartbeat or two.
    { parent, dependsOn: [grant, ...source.buildGrants] },
  );
  new gcp.cloudrunv2.ServiceIamMember(
    childName(name, "checker-invoker"),
    { project, location: region, name: fn.name, role: "roles/run.invoker", member: account.member },
    opts,
  );
  const job = new gcp.cloudscheduler.Job(
    childName(name, "checker-job"),
    {
      project,
      region,
      name: names.checkerJob,
      description: text((i) => `Runs the backup checker of ${i} every 30 minutes.`),
      schedule: checkerSchedule,
      timeZone: "Etc/UTC",
      attemptDeadline: "120s",
      retryConfig: {
        retryCount: 2,
        minBackoffDuration: "30s",
        maxBackoffDuration: "120s",
        maxDoublings: 2,
      },
      httpTarget: {
        uri: fn.url,
        httpMethod: "POST",
        oidcToken: { serviceAccountEmail: account.email, audience: fn.url },
      },
    },
    opts,
  );
  return { account, role, function: fn, job };
}
