import { z } from "zod";
import {
  spannerBackupDatabaseShape,
  spannerBackupRules,
  spannerBackupSettingsShape,
  spannerDatabaseId,
  spannerInstanceId,
} from "../../components/data/spanner-scheduled-backup-schema";
import { spannerScheduledBackupDerivedNames } from "../../components/data/spanner-scheduled-backup";
import { always, expected, int, pattern, problem } from "../../components/shared/schema";
import type { StackRules } from "./rules";

/**
 * A stack file's backup of one instance: SpannerScheduledBackup's args minus what the stack
 * decides (project, region, instance, channels, labels, protect).
 */
const backup = z
  .strictObject(
    {
      ...spannerBackupSettingsShape,
      databases: z
        .array(z.strictObject(spannerBackupDatabaseShape), expected("a list of databases"))
        .min(1, expected("at least one database")),
    },
    expected("a mapping with the databases to back up"),
  )
  .superRefine(spannerBackupRules, always);

/**
 * An instance the stack declares (with `defaultBackupScheduleType: NONE`, so only the schedules
 * below exist), its databases (deletion-protected where `taskstack:deletionProtection` is on),
 * and their backups.
 */
const instance = z
  .strictObject({
    name: spannerInstanceId,
    displayName: z.string(expected("a display name")).min(4).max(30).optional(),
    // An instance configuration, not a region: regional-<region>, a multi-region (nam3, eur6,
    // asia1, nam-eur-asia1…) or a custom configuration (custom-…); Google's list:
    // cloud.google.com/spanner/docs/instance-configurations (`gcloud spanner instance-configs list`).
    config: pattern(
      /^(regional-[a-z]+-[a-z]+[0-9]+|(nam|eur|asia|nam-eur-asia)[0-9]+|custom-[a-z0-9-]+)$/,
      "an instance configuration such as regional-us-east1 or nam3, not a bare region (Google's list: cloud.google.com/spanner/docs/instance-configurations)",
    ),
    processingUnits: int(100, 100_000).default(100),
    databases: z
      .array(spannerDatabaseId, expected("a list of database ids"))
      .min(1, expected("at least one database")),
    backup,
  })
  .superRefine((i, ctx) => {
    // Spanner allocates compute in steps: "multiples of 100 processing units" below 1000 and
    // "multiples of 1000" from there (cloud.google.com/spanner/docs/compute-capacity); the
    // Spanner emulator enforces the same (test/emulators/spanner.emulator.ts).
    const units = i.processingUnits;
    if (
      typeof units === "number" &&
      Number.isInteger(units) &&
      units % (units < 1000 ? 100 : 1000) !== 0
    ) {
      problem(
        ctx,
        ["processingUnits"],
        "processing units in steps of 100 below 1000 and of 1000 from 1000 (Spanner's compute capacity steps)",
        units,
        `Use ${units < 1000 ? Math.ceil(units / 100) * 100 : Math.ceil(units / 1000) * 1000}`,
      );
    }
    const declared = Array.isArray(i.databases) ? (i.databases as unknown[]) : [];
    const listed = (i.backup as { databases?: unknown } | undefined)?.databases;
    // A databases value that is not a list is reported once, by itself.
    if (!Array.isArray(listed) || !Array.isArray(i.databases)) return;
    listed.forEach((d: unknown, j) => {
      const name = (d as { name?: unknown } | null)?.name;
      if (typeof name === "string" && !declared.includes(name)) {
        problem(
          ctx,
          ["backup", "databases", j, "name"],
          `one of the instance's databases (${declared.map(String).join(", ")})`,
          name,
          "Declare the database under databases, or fix the name",
        );
      }
    });
  }, always);

/** `taskstack:spanner`: Spanner instances, their databases and scheduled backups. */
export const spannerSection = z
  .strictObject({
    instances: z.array(instance, expected("a list of instances")).default([]),
  })
  .default({ instances: [] });

export type SpannerConfig = z.output<typeof spannerSection>;
export type SpannerInstanceConfig = SpannerConfig["instances"][number];

const key = "taskstack:spanner";

/** The component name of an instance's backups. */
export const backupComponentName = (instance: string): string => `${instance}-backup`;

export function spannerRules(s: SpannerConfig, rules: StackRules): void {
  s.instances.forEach((inst, i) => {
    const at = [key, "instances", i];
    const owner = `instances[${i}] (${inst.name})`;
    rules.claim("Spanner instance", inst.name, [...at, "name"], owner, inst.name);
    const mode = inst.backup.mode ?? "native";
    const derived = spannerScheduledBackupDerivedNames(
      backupComponentName(inst.name),
      inst.backup.databases.map((d) => d.name),
      mode,
    );
    for (const d of derived) rules.claim(d.kind, d.name, [...at, "name"], owner, inst.name);
    const seen = new Set<string>();
    inst.databases.forEach((db, j) => {
      if (seen.has(db)) rules.problem([...at, "databases", j], "a database listed once", db);
      seen.add(db);
    });
    if (rules.environment !== "prod") return;
    const backedUp = new Set(inst.backup.databases.map((d) => d.name));
    inst.databases.forEach((db, j) => {
      if (!backedUp.has(db)) {
        rules.problem(
          [...at, "databases", j],
          "a database with a backup schedule in prod (list it under backup.databases)",
          db,
        );
      }
    });
  });
}
