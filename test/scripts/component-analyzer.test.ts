// Pulumi's component analyzer (what `pulumi package add` runs over a source-based TypeScript
// component package to give Python, Go, .NET and YAML programs a schema) over every taskstack
// component: each accepted, and the schema a Python or Go user gets says what the TypeScript types say.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  analyzeComponents,
  analyzePackage,
  componentNames,
  foreignRefProblems,
  packageSchema,
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
    expect(schema.typeDefinitions.SessionPoolAlerts.properties).toMatchObject({
      clientsExportMetrics: { type: "boolean" },
    });
    expect(schema.components.HttpsStaticSite.inputs.aliases).toMatchObject({
      type: "array",
      items: { type: "string" },
    });
  });

  // Python, Go and .NET SDKs name a type's input class `<type>Args`: a type named `…Args` would be
  // `PubSubSubscriptionArgsArgs` there.
  it("names no nested type with an Args suffix", () => {
    expect(Object.keys(schema.typeDefinitions).filter((name) => name.endsWith("Args"))).toEqual([]);
    expect(Object.keys(schema.typeDefinitions)).toEqual(
      expect.arrayContaining(["PubSubSubscription", "SpannerBackupDatabase", "CeleryWorkerQueue"]),
    );
  });

  // `pulumi package add` and `gen-sdk` bind the schema; a reference the binder cannot resolve fails
  // the SDK for every language.
  it("refers to other packages' resources by token and to their providers as #/provider only", () => {
    expect(foreignRefProblems(schema)).toEqual([]);
    // The package schema `pulumi package get-schema` prints, made from this analysis.
    const spec = packageSchema(schema);
    expect(foreignRefProblems(spec)).toEqual([]);
    expect(Object.keys(spec.resources)).toContain("taskstack:index:HttpsStaticSite");
    expect(schema.components.HttpsStaticSite.outputs.bucket).toMatchObject({
      $ref: "/aws/v7.48.0/schema.json#/resources/aws:s3%2Fbucket:Bucket",
    });
    expect(schema.components.KubernetesCronJob.outputs.cronJob).toMatchObject({
      $ref: "/kubernetes/v4.34.2/schema.json#/resources/kubernetes:batch%2Fv1:CronJob",
    });
  });

  it("gives HttpsStaticSite no provider input or output (its us-east-1 provider is an option)", () => {
    const site = schema.components.HttpsStaticSite;
    expect(Object.keys(site.inputs)).not.toContain("usEast1Provider");
    expect(Object.keys(site.outputs).sort()).toEqual([
      "aliasRecords",
      "awaitingValidationRecords",
      "bucket",
      "bucketName",
      "certificateArn",
      "distribution",
      "distributionDomainName",
      "validationRecords",
    ]);
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

describe("Pulumi's component analyzer and a provider in a component class", () => {
  // The analyzer's own behaviour, which HttpsStaticSite's getter works around: every field,
  // `private` and `#private` ones included, becomes an output, a provider as `#/resources/<pkg>`;
  // getters are left out.
  it("lists each field, refers to a provider as a resource, and skips getters", () => {
    const fields = analyzePackage(join(__dirname, "../fixtures/analyzer-provider-fields"), [
      "Fields",
    ]);
    const random = fields.dependencies.find((d) => d.name === "random");
    const pkg = `/random/v${random?.version ?? "?"}/schema.json`;
    const outputs = fields.components.Fields.outputs;
    expect(Object.keys(outputs)).toEqual([
      "publicProvider",
      "privateProvider",
      expect.stringMatching(/^__#\d+@#hashProvider$/),
      "password",
    ]);
    expect(Object.values(outputs)).toEqual([
      { $ref: `${pkg}#/resources/random` },
      { $ref: `${pkg}#/resources/random` },
      { $ref: `${pkg}#/resources/random` },
      { $ref: `${pkg}#/resources/random:index%2FrandomPassword:RandomPassword` },
    ]);
    const hash = Object.keys(outputs)[2];
    const refused = `: ${pkg}#/resources/random: expected a resource token <package>:<module>:<Type> (a provider is #/provider), got random`;
    expect(foreignRefProblems(fields)).toEqual([
      `components/Fields/outputs/publicProvider${refused}`,
      `components/Fields/outputs/privateProvider${refused}`,
      `components/Fields/outputs/${hash}${refused}`,
    ]);
  }, 60_000);

  it.each([
    ["/aws/v7.48.0/schema.json#/provider", undefined],
    ["/aws/v7.48.0/schema.json#/resources/aws:s3%2Fbucket:Bucket", undefined],
    [
      "/aws/v7.48.0/schema.json#/resources/aws",
      "expected a resource token <package>:<module>:<Type> (a provider is #/provider), got aws",
    ],
    [
      "/aws/v7.47.0/schema.json#/provider",
      "expected a dependency of the package (aws 7.48.0), got aws 7.47.0",
    ],
    [
      "/aws/schema.json#/provider",
      "expected /<package>/v<version>/schema.json#/resources/<package>:<module>:<Type> or …#/provider",
    ],
  ])("judges %s", (ref, problem) => {
    const problems = foreignRefProblems({
      components: { Site: { outputs: { p: { $ref: ref } } } },
      dependencies: [{ name: "aws", version: "7.48.0" }],
    });
    expect(problems).toEqual(
      problem === undefined ? [] : [`components/Site/outputs/p: ${ref}: ${problem}`],
    );
  });
});
