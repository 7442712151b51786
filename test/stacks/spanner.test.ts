import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TaskstackInputError, data } from "../../components";
import { parseStackConfig } from "../../stacks/config";
import { backupArgs } from "../../stacks/spanner";
import { assertExercised, failsOnlyWithInputErrors, mostlyValue } from "../support/properties";
import type { Outcomes } from "../support/properties";

const file = "stacks/Pulumi.prod.yaml";
const daily = { schedule: "0 2 * * *", retentionSeconds: 1_209_600 };
const stack = (environment: string, spanner: unknown) => ({
  "taskstack:environment": environment,
  "taskstack:gcp": { project: `acme-shop-${environment}`, region: "europe-west1" },
  "taskstack:monitoring": {
    notificationChannels: [{ name: "oncall", email: "oncall@acme.example" }],
  },
  "taskstack:spanner": spanner,
});
const instance = (extra: Record<string, unknown> = {}) => ({
  name: "commerce",
  config: "regional-europe-west1",
  databases: ["orders", "payments"],
  backup: {
    databases: [
      { name: "orders", ...daily },
      { name: "payments", ...daily },
    ],
  },
  ...extra,
});

function problems(raw: unknown): readonly string[] {
  try {
    parseStackConfig(raw, file);
  } catch (err) {
    if (err instanceof TaskstackInputError) return err.problems;
    throw err;
  }
  return [];
}

describe("taskstack:spanner", () => {
  it("accepts a backed-up instance and fills in defaults", () => {
    const config = parseStackConfig(stack("prod", { instances: [instance()] }), file);
    expect(config["taskstack:spanner"].instances[0]?.processingUnits).toBe(100);
    expect(parseStackConfig(stack("dev", undefined))["taskstack:spanner"]).toEqual({
      instances: [],
    });
  });

  it.each<[string, unknown, string[]]>([
    [
      "an unknown database and a retention shorter than the week",
      stack("dev", {
        instances: [
          instance({
            backup: {
              databases: [
                { name: "order", ...daily },
                { name: "payments", schedule: "0 2 * * 0", retentionSeconds: 86_400 },
              ],
            },
          }),
        ],
      }),
      [
        `${file}: taskstack:spanner.instances[0].backup.databases[1].retentionSeconds: expected at least 604800 (the schedule's longest interval), or one backup expires before the next exists, got 86400`,
        `${file}: taskstack:spanner.instances[0].backup.databases[0].name: expected one of the instance's databases (orders, payments), got "order". Declare the database under databases, or fix the name`,
      ],
    ],
    [
      "a database without backups in prod",
      stack("prod", {
        instances: [instance({ backup: { databases: [{ name: "orders", ...daily }] } })],
      }),
      [
        `${file}: taskstack:spanner.instances[0].databases[1]: expected a database with a backup schedule in prod (list it under backup.databases), got "payments"`,
      ],
    ],
    [
      "incremental backups in function mode",
      stack("dev", {
        instances: [
          instance({
            backup: {
              mode: "function",
              databases: [{ name: "orders", ...daily, type: "incremental" }],
            },
          }),
        ],
      }),
      [
        `${file}: taskstack:spanner.instances[0].backup.databases[0].type: expected "full" in function mode (CreateBackup makes full backups only), got "incremental". Use mode: "native" for incremental backups`,
      ],
    ],
    [
      // Spanner's compute capacity steps (cloud.google.com/spanner/docs/compute-capacity); the
      // Spanner emulator judges the rule over generated values (test/emulators/spanner.emulator.ts).
      "processing units between the steps, below and above 1000",
      stack("dev", {
        instances: [
          instance({ processingUnits: 250 }),
          instance({ name: "commerce-eu", processingUnits: 1500 }),
        ],
      }),
      [
        `${file}: taskstack:spanner.instances[0].processingUnits: expected processing units in steps of 100 below 1000 and of 1000 from 1000 (Spanner's compute capacity steps), got 250. Use 300`,
        `${file}: taskstack:spanner.instances[1].processingUnits: expected processing units in steps of 100 below 1000 and of 1000 from 1000 (Spanner's compute capacity steps), got 1500. Use 2000`,
      ],
    ],
    [
      "two instances deriving the same names, once per pair",
      stack("dev", { instances: [instance(), instance()] }),
      [
        `${file}: taskstack:spanner.instances[1].name: expected names that no other component derives: Spanner instance "commerce" is derived from both instances[0] (commerce) and instances[1] (commerce), got "commerce". Rename one of them`,
      ],
    ],
  ])("refuses %s", (_case, raw, expected) => {
    expect(problems(raw)).toEqual(expected);
  });

  it("never validates a section its component then refuses, and both outcomes occur", () => {
    const outcomes: Outcomes = { accepted: 0, rejected: 0 };
    const db = fc.record({
      name: mostlyValue("orders", "payments", "Orders", "ledger"),
      schedule: mostlyValue("0 2 * * *", "30 1,13 * * *", "0 */6 * * *", "0 2 * * 0", "@daily"),
      retentionSeconds: mostlyValue(1_209_600, 86_400, 3600, 40_000_000),
      type: mostlyValue("full", "incremental"),
    });
    const section = fc.record({
      environment: fc.constantFrom("dev", "prod"),
      mode: mostlyValue("native", "function", "cron"),
      timeZone: mostlyValue("Etc/UTC", "Europe/Paris", "UTC"),
      // Distinct databases mostly; now and then none, or one listed twice.
      databases: fc.oneof(
        {
          weight: 5,
          arbitrary: fc.uniqueArray(db, { minLength: 1, maxLength: 2, selector: (d) => d.name }),
        },
        fc.array(db, { maxLength: 2 }),
      ),
    });
    assertExercised(outcomes, { accepted: 10, rejected: 10 }, (params) => {
      fc.assert(
        fc.property(section, ({ environment, mode, timeZone, databases }) =>
          failsOnlyWithInputErrors(
            () => {
              const config = parseStackConfig(
                stack(environment, {
                  instances: [instance({ backup: { mode, timeZone, databases } })],
                }),
                file,
              );
              // The stack file validated: the component must accept what the stack gives it.
              for (const inst of config["taskstack:spanner"].instances) {
                data.validateSpannerScheduledBackupArgs(
                  `${inst.name}-backup`,
                  backupArgs(config, inst, ["projects/p/notificationChannels/1"]),
                );
              }
            },
            outcomes,
            (problem) => problem.startsWith(`${file}: `),
          ),
        ),
        { numRuns: 200, ...params },
      );
    });
  });
});
