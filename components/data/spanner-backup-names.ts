import * as pulumi from "@pulumi/pulumi";
import type { DerivedName } from "../shared/claims";

// The names SpannerScheduledBackup derives from its own name: physical names in the project (log
// metrics, service accounts, functions, jobs, topic, custom role), for the component and for the
// stack schema's uniqueness checks across components.

/** `name` as a lowercase id: letters, digits and -, starting with a letter. */
function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+$/, "");
  return s.length > 0 ? s : "backup";
}

/** A service account id (6–30 characters) for a role of the component, shortened stably. */
function accountId(name: string, role: string): string {
  const id = `${slug(name)}-${role}`;
  if (id.length <= 30) return id.padEnd(6, "0");
  const hash = pulumi.runtime ? simpleHash(name) : "";
  return `${slug(name)
    .slice(0, 30 - role.length - 6)
    .replace(/-+$/, "")}-${hash}-${role}`;
}

function simpleHash(text: string): string {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return (h % 46656).toString(36).padStart(4, "0").slice(0, 4);
}

/**
 * The names a SpannerScheduledBackup named `name` derives that another component could derive
 * too (log metrics; its function's or checker's service accounts and function; function mode's
 * topic; the checker's custom role), for
 * uniqueness checks across a program and a stack file.
 */
export function spannerScheduledBackupDerivedNames(
  name: string,
  databases: readonly string[],
  mode: "native" | "function",
): DerivedName[] {
  const names = spannerScheduledBackupNames(name, databases);
  return [
    ...names.all(mode).map((metric) => ({ kind: "Log metric", name: metric })),
    ...(mode === "function"
      ? [
          { kind: "Pub/Sub topic", name: names.topic },
          { kind: "Service account", name: names.schedulerAccountId },
          { kind: "Service account", name: names.functionAccountId },
          { kind: "Service account", name: names.buildAccountId },
          { kind: "Cloud Function", name: names.functionName },
        ]
      : [
          // Native mode's backup checker.
          { kind: "Service account", name: names.buildAccountId },
          { kind: "Service account", name: names.checkerAccountId },
          { kind: "Cloud Function", name: names.checkerFunctionName },
          { kind: "IAM custom role", name: names.checkerRoleId },
        ]),
  ];
}

/** The physical names a SpannerScheduledBackup named `name` derives, for uniqueness checks. */
export function spannerScheduledBackupNames(name: string, databases: readonly string[]) {
  const base = slug(name);
  const metric = (suffix: string) => `spanner_backup_${base}_${suffix}`.replace(/-/g, "_");
  return {
    topic: `${base}-requests`,
    functionName: base.slice(0, 63).replace(/-+$/, ""),
    checkerFunctionName: `${base.slice(0, 57).replace(/-+$/, "")}-check`,
    checkerJob: `${base.slice(0, 57).replace(/-+$/, "")}-check`,
    checkerAccountId: accountId(name, "checker"),
    // A custom role id: letters, digits, _ and ., 3–64 characters.
    checkerRoleId: `taskstack_backup_lister_${base.replace(/-/g, "_")}`.slice(0, 64),
    schedulerAccountId: accountId(name, "scheduler"),
    functionAccountId: accountId(name, "function"),
    buildAccountId: accountId(name, "build"),
    job: (db: string) => `${base}-${db}`,
    metrics: {
      createBackupErrors: metric("create_backup_errors"),
      schedulerErrors: metric("scheduler_errors"),
      functionErrors: metric("function_errors"),
      succeeded: (db: string) => metric(`${db}_succeeded`),
    },
    all: (mode: "native" | "function") => [
      metric("create_backup_errors"),
      ...databases.map((db) => metric(`${db}_succeeded`)),
      ...(mode === "function" ? [metric("scheduler_errors"), metric("function_errors")] : []),
    ],
  };
}

/** The instance a SpannerScheduledBackup backs up: its project and id, checked. */
export interface BackupTarget {
  readonly project: string;
  readonly instance: string;
}

/** `projects/<project>/instances/<instance>/databases/<db>`. */
export function databasePath(t: BackupTarget, db: string): string {
  return `projects/${t.project}/instances/${t.instance}/databases/${db}`;
}
