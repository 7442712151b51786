// The two variants `npm run bench` compares for Spanner backups: N instances' native backups
// through data.SpannerScheduledBackup (two databases each, alerting on), and the very same
// provider resources written by hand. test/bench/spanner.test.ts keeps them doing the same work.
// The raw variant builds the long filter and condition strings with the same pure helpers (they
// are string templates): what is measured is the component's own overhead, not string building.
import * as gcp from "@pulumi/gcp";
import { data } from "../components";
import {
  backupSucceededFilter,
  checkerHeartbeatCondition,
  createBackupErrorsFilter,
  errorsCondition,
  runbooks,
} from "../components/data/spanner-backup-alerts";
import {
  checkerHeartbeatWindowSeconds,
  declareBackupChecker,
  declareFunctionSource,
} from "../components/data/spanner-backup-functions";
import type { Plan } from "../testing/assertions";
import { runProgram } from "../testing/engine";
import { collectGarbage, formatTable, median, timed } from "./measure";

export type SpannerVariant = "raw" | "component";

const project = "bench-project";
const region = "europe-west1";
const channel = "projects/bench-project/notificationChannels/1";
const databases = ["orders", "payments"] as const;
const schedule = "0 2 * * *";
const retentionSeconds = 1_209_600;
/** 24 h between backups plus the native 6 h slack. */
const windowSeconds = 108_000;

function componentProgram(n: number): () => void {
  return () => {
    for (let i = 0; i < n; i++) {
      new data.SpannerScheduledBackup(`db-${i}`, {
        project,
        region,
        instance: `instance-${i}`,
        databases: databases.map((name) => ({ name, schedule, retentionSeconds })),
        alertNotificationChannels: [channel],
      });
    }
  };
}

function rawProgram(n: number): () => void {
  const userLabels = { "managed-by": "taskstack" };
  const descriptor = { metricKind: "DELTA", valueType: "INT64", unit: "1" };
  const policy = (
    displayName: string,
    content: string,
    condition: gcp.types.input.monitoring.AlertPolicyCondition,
    severity: string,
  ) => ({
    project,
    displayName,
    combiner: "OR",
    severity,
    notificationChannels: [channel],
    userLabels,
    conditions: [condition],
    documentation: { mimeType: "text/markdown", content },
  });
  return () => {
    for (let i = 0; i < n; i++) {
      const name = `db-${i}`;
      const instance = `instance-${i}`;
      const metric = (suffix: string) => `spanner_backup_db_${i}_${suffix}`;
      const path = (db: string) => `projects/${project}/instances/${instance}/databases/${db}`;
      // The checker's resources come from the same declaration helpers the component uses: what
      // is measured is the component's own overhead around them.
      const names = data.spannerScheduledBackupNames(name, databases);
      const labels = { "managed-by": "taskstack" };
      const source = declareFunctionSource(undefined, name, project, region, names, labels, false);
      declareBackupChecker(undefined, name, {
        project,
        region,
        instance,
        databases: databases.map((db) => ({ database: path(db), maxAgeSeconds: windowSeconds })),
        labels,
        source,
        names,
      });
      for (const db of databases) {
        new gcp.spanner.BackupSchedule(`${name}-${db}-schedule`, {
          project,
          instance,
          database: db,
          name: "taskstack-full",
          retentionDuration: `${retentionSeconds}s`,
          spec: { cronSpec: { text: schedule } },
          fullBackupSpec: {},
          encryptionConfig: { encryptionType: "USE_DATABASE_ENCRYPTION" },
        });
      }
      const metrics = [
        new gcp.logging.Metric(`${name}-create-backup-errors-metric`, {
          project,
          name: metric("create_backup_errors"),
          description: `Failed Spanner backups on instance ${instance}`,
          filter: createBackupErrorsFilter(instance),
          metricDescriptor: descriptor,
        }),
        ...databases.map(
          (db) =>
            new gcp.logging.Metric(`${name}-${db}-succeeded-metric`, {
              project,
              name: metric(`${db}_succeeded`),
              description: `Completed backups of ${instance}/${db}`,
              filter: backupSucceededFilter("native", instance, db, {
                checkerFunctionName: names.checkerFunctionName,
                database: path(db),
              }),
              metricDescriptor: descriptor,
            }),
        ),
      ];
      new gcp.monitoring.AlertPolicy(
        `${name}-create-backup-errors-alert`,
        policy(
          `Spanner backup failed on ${instance}`,
          runbooks.createBackupErrors(instance),
          errorsCondition(
            `CreateBackup errors on ${instance}`,
            metric("create_backup_errors"),
            "spanner_instance",
          ),
          "ERROR",
        ),
        { dependsOn: metrics },
      );
      for (const db of databases) {
        new gcp.monitoring.AlertPolicy(
          `${name}-${db}-backup-missing-alert`,
          policy(
            `No recent backup of ${instance}/${db}`,
            runbooks.backupMissingNative(db, 30, names.checkerFunctionName),
            checkerHeartbeatCondition(
              metric(`${db}_succeeded`),
              db,
              30,
              checkerHeartbeatWindowSeconds,
            ),
            "CRITICAL",
          ),
          { dependsOn: metrics },
        );
      }
    }
  };
}

export const spannerPrograms: Record<SpannerVariant, (n: number) => () => void> = {
  raw: rawProgram,
  component: componentProgram,
};

/** JSON with keys sorted at every level, so key order never makes two equal inputs differ. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function providerResources(plan: Plan): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of plan.resources) {
    if (r.custom) out.set(`${r.type} ${r.name}`, canonical(r.inputs));
  }
  return out;
}

/**
 * Throws unless both variants declared the same provider resources (type, logical name, inputs);
 * returns how many. A bench comparing different work is worthless.
 */
export function assertSameSpannerWork(n: number, raw: Plan, component: Plan): number {
  const [a, b] = [providerResources(raw), providerResources(component)];
  if (a.size !== b.size) {
    throw new Error(
      `bench: N=${n}: raw declares ${a.size} resources, SpannerScheduledBackup ${b.size}`,
    );
  }
  for (const [key, inputs] of b) {
    const other = a.get(key);
    if (other === undefined) throw new Error(`bench: N=${n}: raw variant does not declare ${key}`);
    if (other !== inputs) {
      throw new Error(
        `bench: N=${n}: inputs of ${key} differ:\n  raw       ${other}\n  component ${inputs}`,
      );
    }
  }
  return b.size;
}

async function run(variant: SpannerVariant, n: number) {
  collectGarbage();
  const { ms, value } = await timed(() =>
    runProgram(spannerPrograms[variant](n), { project: "bench" }),
  );
  return { ms, plan: value };
}

/** The SpannerScheduledBackup table of `npm run bench`. */
export async function spannerBench(
  plan: readonly (readonly [n: number, rounds: number])[],
): Promise<string> {
  const rows: string[][] = [];
  for (const [n, rounds] of plan) {
    const raw = await run("raw", n);
    const component = await run("component", n);
    const resources = assertSameSpannerWork(n, raw.plan, component.plan);
    const samples: Record<SpannerVariant, number[]> = { raw: [raw.ms], component: [component.ms] };
    for (let round = 1; round < rounds; round++) {
      const order: SpannerVariant[] = round % 2 === 0 ? ["raw", "component"] : ["component", "raw"];
      for (const variant of order) samples[variant].push((await run(variant, n)).ms);
    }
    const [r, c] = [median(samples.raw), median(samples.component)];
    rows.push([String(n), String(resources), r.toFixed(0), c.toFixed(0), (c / r).toFixed(2)]);
    process.stderr.write(`measured Spanner N=${n}\n`);
  }
  return [
    "SpannerScheduledBackup (native, 2 databases, alerting) vs raw @pulumi/gcp, median wall time",
    formatTable(["N", "resources", "raw ms", "component ms", "ratio"], rows),
  ].join("\n");
}
