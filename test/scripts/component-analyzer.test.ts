// Pulumi's component analyzer (what `pulumi package add` runs over a source-based TypeScript
// component package to give Python, Go, .NET and YAML programs a schema) over every taskstack
// component: each accepted, and the schema a Python or Go user gets says what the TypeScript types say.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  analyzeComponents,
  analyzePackage,
  componentNames,
  type PackageAnalysis,
} from "../../scripts/component-analyzer";

const components = [
  "CeleryWorkerPool",
  "CloudSchedulerJob",
  "CloudTasksQueue",
  "HttpsStaticSite",
  "KubernetesCronJob",
  "NotificationChannels",
  "ProjectApis",
  "PubSubTopic",
  "RabbitMqCluster",
  "SpannerScheduledBackup",
];

// Building the TypeScript program over the repository is most of the cost (about 15 s).
let schema: PackageAnalysis;
beforeAll(() => {
  schema = analyzePackage();
}, 120_000);

// The analyzer lists an enum's values in the order TypeScript holds the union's members.
const enumValues = (name: string) =>
  (schema.typeDefinitions[name]?.enum as { value: string | number }[] | undefined)
    ?.map((m) => m.value)
    .sort();

describe("Pulumi's component analyzer over taskstack", () => {
  it("finds every component the package exports", () => {
    expect([...componentNames()].sort()).toEqual(components);
    expect(Object.keys(schema.components).sort()).toEqual(components);
  });

  it("maps each choice to a schema enum with the values the TypeScript union has", () => {
    expect(schema.components.CloudSchedulerJob.inputs.httpMethod).toMatchObject({
      $ref: "#/types/taskstack:index:HttpMethod",
      optional: true,
      plain: true,
    });
    expect(enumValues("HttpMethod")).toEqual([
      "DELETE",
      "GET",
      "HEAD",
      "OPTIONS",
      "PATCH",
      "POST",
      "PUT",
    ]);
    expect(schema.typeDefinitions.CloudFunctionGeneration).toMatchObject({ type: "number" });
    expect(enumValues("CloudFunctionGeneration")).toEqual([1, 2]);
    expect(enumValues("ConcurrencyPolicy")).toEqual(["Allow", "Forbid", "Replace"]);
    expect(enumValues("AntiAffinity")).toEqual(["preferred", "required"]);
    expect(enumValues("ZoneSpread")).toEqual(["DoNotSchedule", "ScheduleAnyway"]);
    expect(enumValues("QueueType")).toEqual(["classic", "quorum"]);
    expect(enumValues("ExchangeType")).toEqual(["direct", "fanout", "headers", "topic"]);
    expect(enumValues("BackupScheduleType")).toEqual(["AUTOMATIC", "NONE"]);
    expect(enumValues("SpannerBackupMode")).toEqual(["function", "native"]);
    expect(enumValues("BackupType")).toEqual(["full", "incremental"]);
    expect(enumValues("GcpApi")).toContain("pubsub.googleapis.com");
  });

  it("keeps lists as arrays, Outputs as Inputs, and named objects as types", () => {
    expect(schema.components.ProjectApis.inputs.apis).toMatchObject({
      type: "array",
      items: { $ref: "#/types/taskstack:index:GcpApi" },
    });
    // A RabbitMqCluster's broker Secret (its name an Output) goes straight into a worker pool.
    expect(schema.components.CeleryWorkerPool.inputs.brokerUrlSecret).toMatchObject({
      $ref: "#/types/taskstack:index:CeleryBrokerSecret",
    });
    expect(schema.typeDefinitions.CeleryBrokerSecret.properties).toMatchObject({
      name: { type: "string" },
      key: { type: "string", optional: true, plain: true },
    });
    expect(
      (schema.typeDefinitions.CeleryBrokerSecret.properties as Record<string, object>).name,
    ).not.toHaveProperty("plain");
    expect(schema.components.RabbitMqCluster.outputs.brokerSecret).toMatchObject({
      $ref: "#/types/taskstack:index:RabbitMqBrokerSecret",
    });
    expect(schema.components.KubernetesCronJob.inputs.secretEnv).toMatchObject({
      type: "object",
      additionalProperties: { $ref: "#/types/taskstack:index:SecretKeyRef" },
    });
    // The instance declared in the same program: its name and project are Outputs.
    const spanner = schema.components.SpannerScheduledBackup.inputs;
    expect(spanner.instance).toMatchObject({ type: "string" });
    expect(spanner.project).toMatchObject({ type: "string", optional: true });
    expect(spanner.instance).not.toHaveProperty("plain");
    expect(spanner.project).not.toHaveProperty("plain");
    expect(spanner.region).toMatchObject({ type: "string", plain: true });
    expect(schema.typeDefinitions.SessionPoolAlertsArgs.properties).toMatchObject({
      clientsExportMetrics: { type: "boolean" },
    });
    expect(schema.components.HttpsStaticSite.inputs.aliases).toMatchObject({
      type: "array",
      items: { type: "string" },
    });
  });

  it("names the provider packages a generated SDK depends on", () => {
    expect(schema.dependencies.map((d) => d.name).sort()).toEqual(["aws", "gcp", "kubernetes"]);
  });

  it("refuses the shapes the components were rid of, naming the property", () => {
    const results = analyzeComponents(join(__dirname, "../fixtures/analyzer-rejects"), [
      "Regions",
      "Method",
      "Secret",
    ]);
    expect(results.map((r) => [r.component, r.rejection])).toEqual([
      [
        "Regions",
        "Unsupported type for component 'Regions' property 'RegionsArgs.regions': type 'readonly string[]'",
      ],
      [
        "Method",
        `Union types are not supported for component 'Method' property 'MethodArgs.method': type '"GET" | "POST" | undefined'`,
      ],
      [
        "Secret",
        "Unsupported type for component 'Secret' property 'SecretArgs.secret': type '{ readonly name: string; readonly key?: string | undefined; }'",
      ],
    ]);
  }, 60_000);
});
