// Writes the Kubernetes manifests of every program taskstack ships besides the three stacks (which
// `taskstack plan` writes), for scripts/kube-apiserver-check.sh to put before a real API server:
//
//   tsx scripts/render-manifests.ts OUT [GENERATED]
//
// - OUT/examples/<example>/manifests/: each examples/*.ts program (the README shows each of them
//   exactly, test/readme*.test.ts holds it to that), run offline as its test runs it;
// - OUT/generated/<n>/manifests/: GENERATED (default 8) stack files drawn with fast-check, as the
//   property tests in test/stacks/ draw them, from every knob the `taskstack:kubernetes` section
//   has (environments, cluster sizes, queue types, KEDA autoscaling, CronJob time zones and
//   policies), kept only when the stack schema accepts them; each folder also holds the drawn
//   config as config.json. The seed is fixed, so a run names the same stacks every time.
//
// A program that declares no Kubernetes object writes no folder. Exit 2 on bad arguments.
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { isTaskstackInputError } from "../components/shared/errors";
import { parseStackConfig } from "../stacks/config";
import { buildEnvironment } from "../stacks/environment";
import { runProgram } from "../testing/engine";
import type { Program } from "../testing/engine";
import { writeManifests } from "../cli/manifests";

const root = path.join(__dirname, "..");
const usage = "usage: tsx scripts/render-manifests.ts OUT [GENERATED]";

const resources = fc.constantFrom(
  { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
  { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } },
);
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const queueNames = ["celery-fast", "celery-slow", "celery-dead-letter"] as const;
const queueType = opt(fc.constantFrom("quorum" as const, "classic" as const));
const limit = (type: string | undefined, deliveryLimit: number) =>
  type === "classic" ? {} : { deliveryLimit };

/** A `taskstack:kubernetes` section: a RabbitMQ cluster, worker pools on its queues, CronJobs. */
const kubernetesSection = fc.record({
  namespace: fc.constantFrom("tasks", "jobs"),
  rabbitmq: fc.record({
    name: fc.constantFrom("celery-broker", "tasks", "rmq"),
    replicas: fc.constantFrom(1, 3, 5),
    cpu: opt(fc.constantFrom("500m", "2")),
    memory: opt(fc.constantFrom("512Mi", "2Gi", "4Gi")),
    storage: opt(fc.constantFrom("10Gi", "100Gi")),
    storageClassName: opt(fc.constantFrom("standard", "ssd-retain")),
    antiAffinity: opt(fc.constantFrom("required" as const, "preferred" as const)),
    vhost: opt(fc.constantFrom("/", "celery")),
    version: opt(fc.constantFrom("3.13.7", "4.0.5", "4.1.4")),
    clusterDomain: opt(fc.constantFrom("cluster.local", "k8s.acme.internal")),
    terminationGracePeriodSeconds: opt(fc.constantFrom(60, 3600)),
    zoneSpread: opt(fc.constantFrom("ScheduleAnyway" as const, "DoNotSchedule" as const)),
    adminUser: opt(fc.constant("ops")),
    appUser: opt(fc.constant("celery_app")),
    exchanges: fc.constant([{ name: "celery-dead-letter" }]),
    queues: fc.tuple(queueType, queueType).map(([fast, slow]) => [
      // A delivery limit is a quorum queue's (the schema refuses it on a classic one).
      {
        name: "celery-fast",
        type: fast,
        deadLetterExchange: "celery-dead-letter",
        // The dead-letter queue's binding key: a direct exchange matches keys literally.
        deadLetterRoutingKey: "celery-dead-letter",
        ...limit(fast, 5),
      },
      {
        name: "celery-slow",
        type: slow,
        deadLetterExchange: "celery-dead-letter",
        deadLetterRoutingKey: "celery-dead-letter",
        ...limit(slow, 3),
      },
      { name: "celery-dead-letter", bindings: [{ exchange: "celery-dead-letter" }] },
    ]),
  }),
  workerPools: fc.uniqueArray(
    fc.record({
      name: fc.constantFrom("shop", "billing"),
      image: fc.constantFrom("ghcr.io/acme-shop/shop-worker:2.3.0"),
      app: fc.constant("shop.worker"),
      env: opt(fc.constant({ LOG_LEVEL: "info" })),
      secretEnv: opt(fc.constant({ STRIPE_KEY: { name: "stripe", key: "key" } })),
      command: opt(fc.constant(["celery", "-A", "shop.worker", "worker"])),
      runAsUser: opt(fc.constantFrom(1000, 65532)),
      serviceAccountName: opt(fc.constant("shop-worker")),
      heartbeatMaxAgeMinutes: opt(fc.constantFrom(1, 5)),
      queues: fc.uniqueArray(
        fc
          .record({
            name: fc.constantFrom(...queueNames),
            taskTimeLimitSeconds: fc.constantFrom(60, 1800),
            softTimeLimitSeconds: opt(fc.constant(50)),
            queueType: opt(fc.constantFrom("quorum" as const, "classic" as const)),
            terminationGracePeriodSeconds: opt(fc.constantFrom(90, 2000)),
            maxUnavailable: opt(fc.constantFrom(1, 2)),
            concurrency: opt(fc.constantFrom(1, 8)),
            prefetchMultiplier: opt(fc.constantFrom(1, 4)),
            resources,
            // Fixed replicas or KEDA's, never both (the schema refuses both).
            scaling: fc.oneof(
              fc.record({ replicas: opt(fc.constantFrom(1, 2)) }),
              fc.record({
                autoscaling: fc.record({
                  minReplicas: opt(fc.constantFrom(0, 2)),
                  maxReplicas: fc.constantFrom(4, 10),
                  targetQueueLength: opt(fc.constantFrom(20, 100)),
                }),
              }),
            ),
          })
          .map(({ scaling, ...q }) => ({ ...q, ...scaling })),
        { minLength: 1, maxLength: 3, selector: (q) => q.name },
      ),
    }),
    { maxLength: 2, selector: (p) => p.name },
  ),
  cronJobs: fc.uniqueArray(
    fc.record({
      name: fc.constantFrom("nightly-report", "cart-cleanup", "backup"),
      schedule: fc.constantFrom("0 4 * * *", "*/30 * * * *", "@hourly", "15 5 * * 1"),
      timeZone: opt(fc.constantFrom("Etc/UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata")),
      image: fc.constant("ghcr.io/acme-shop/reports:3.8.1"),
      command: opt(fc.constant(["python", "-m", "reports.nightly"])),
      args: opt(fc.constant(["--format", "csv"])),
      env: opt(fc.constant({ REPORT_FORMAT: "csv" })),
      secretEnv: opt(fc.constant({ SMTP_PASSWORD: { name: "smtp", key: "password" } })),
      successfulJobsHistoryLimit: opt(fc.constantFrom(0, 3)),
      failedJobsHistoryLimit: opt(fc.constantFrom(1, 5)),
      runAsUser: opt(fc.constant(1000)),
      resources,
      startingDeadlineSeconds: opt(fc.constantFrom(60, 300)),
      concurrencyPolicy: opt(fc.constantFrom("Forbid", "Replace", "Allow")),
      activeDeadlineSeconds: opt(fc.constantFrom(600, 3600)),
      backoffLimit: opt(fc.constantFrom(0, 3)),
      suspend: opt(fc.boolean()),
      serviceAccountName: opt(fc.constant("reports")),
    }),
    { maxLength: 3, selector: (c) => c.name },
  ),
});

const stackFile = fc.record({
  "taskstack:environment": fc.constantFrom("dev", "staging", "prod"),
  "taskstack:gcp": fc.constant({ project: "acme-shop-test", region: "europe-west1" }),
  "taskstack:monitoring": fc.constant({
    notificationChannels: [{ name: "oncall", email: "oncall@acme.example" }],
  }),
  "taskstack:kubernetes": kubernetesSection,
});

/** Drops the keys whose value is undefined, as a YAML stack file never holds them. */
const defined = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

async function render(program: Program, config: Record<string, unknown>, dir: string) {
  const plan = await runProgram(program, { config });
  return writeManifests(plan, dir);
}

async function main(argv: readonly string[]): Promise<number> {
  const [out, count = "8", ...extra] = argv;
  const wanted = Number(count);
  if (out === undefined || out.startsWith("-") || extra.length > 0) {
    console.error(
      `render-manifests: expected OUT and at most a count, got ${argv.join(" ")}. ${usage}`,
    );
    return 2;
  }
  if (!Number.isInteger(wanted) || wanted < 0) {
    console.error(`render-manifests: GENERATED: expected a whole number, got ${count}. ${usage}`);
    return 2;
  }
  fs.rmSync(path.join(out, "examples"), { recursive: true, force: true });
  fs.rmSync(path.join(out, "generated"), { recursive: true, force: true });

  const examples = fs
    .readdirSync(path.join(root, "examples"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .sort();
  for (const file of examples) {
    const module = (await import(path.join(root, "examples", file))) as Record<string, unknown>;
    for (const [name, program] of Object.entries(module)) {
      if (typeof program !== "function") continue;
      // The storefront's test gives it a region; the others need none.
      const dir = path.join(out, "examples", `${path.basename(file, ".ts")}-${name}`);
      const written = await render(program as Program, { "aws:region": "eu-west-1" }, dir);
      console.log(`examples/${file} ${name}: ${written.length} manifests`);
    }
  }

  let accepted = 0;
  let refused = 0;
  for (const raw of fc.sample(stackFile, { numRuns: 50 * Math.max(wanted, 1), seed: 20 })) {
    if (accepted === wanted) break;
    const file = defined(raw) as Record<string, unknown>;
    let config;
    try {
      config = parseStackConfig(file, "generated stack");
    } catch (err) {
      if (!isTaskstackInputError(err)) throw err;
      if (process.env["RENDER_MANIFESTS_DEBUG"] && refused < 3) console.error(err.problems);
      refused++;
      continue;
    }
    const dir = path.join(out, "generated", String(accepted));
    const written = await render(
      () => buildEnvironment(config),
      { "gcp:project": "acme-shop-test" },
      dir,
    );
    fs.writeFileSync(path.join(dir, "config.json"), `${JSON.stringify(file, null, 2)}\n`);
    console.log(`generated/${accepted}: ${written.length} manifests`);
    accepted++;
  }
  console.log(
    `render-manifests: ${accepted} generated stacks accepted, ${refused} refused by the schema`,
  );
  if (accepted < wanted) {
    console.error(
      `render-manifests: expected ${wanted} accepted generated stacks, drew ${accepted}`,
    );
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
