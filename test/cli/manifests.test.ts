import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { writeManifests } from "../../cli/manifests";
import { scheduling, workers } from "../../components";
import { main as stackProgram } from "../../stacks/program";
import { runProgram } from "../../testing";
import type { Plan } from "../../testing";

const stackDir = path.join(__dirname, "..", "..", "stacks");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-manifests-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const resources = {
  requests: { cpu: "100m", memory: "256Mi" },
  limits: { cpu: "1", memory: "1Gi" },
};

/** Worker pools (one autoscaled) and a CronJob, for objects the stack files do not hold yet. */
function workloads(): void {
  new workers.CeleryWorkerPool("shop", {
    namespace: "shop",
    image: "ghcr.io/acme/shop-worker:2.3.0",
    app: "shop.worker",
    brokerUrlSecret: { name: "tasks-broker" },
    queues: [
      { name: "fast", taskTimeLimitSeconds: 60, resources, autoscaling: { maxReplicas: 5 } },
      { name: "slow", taskTimeLimitSeconds: 1800, replicas: 2, resources },
    ],
  });
  new scheduling.KubernetesCronJob("nightly", {
    namespace: "shop",
    schedule: "0 2 * * *",
    image: "ghcr.io/acme/reports:1.0.0",
    resources,
  });
  new k8s.core.v1.Secret("tasks-broker", {
    metadata: { name: "tasks-broker", namespace: "shop" },
    stringData: { url: pulumi.secret("amqp://shop:hunter2@rabbitmq:5672/") },
  });
}

type Model = new (o: object) => { validate(): void };

/** kubernetes-models' class for an apiVersion and kind (`v1`, `apps/v1`…), or undefined. */
async function modelOf(apiVersion: string, kind: string): Promise<Model | undefined> {
  try {
    const group = (await import(/* @vite-ignore */ `kubernetes-models/${apiVersion}`)) as Record<
      string,
      unknown
    >;
    return group[kind] as Model | undefined;
  } catch {
    return undefined;
  }
}

/** What a KEDA object lacks of the shape every custom resource has. */
function kedaShapeProblems(file: string, o: Record<string, unknown>): string[] {
  const metadata = o["metadata"] as { name?: unknown; namespace?: unknown } | undefined;
  const problems: string[] = [];
  if (o["apiVersion"] !== "keda.sh/v1alpha1") problems.push(`${file}: apiVersion`);
  if (!["ScaledObject", "TriggerAuthentication"].includes(String(o["kind"])))
    problems.push(`${file}: kind`);
  if (typeof metadata?.name !== "string" || typeof metadata.namespace !== "string")
    problems.push(`${file}: metadata.name and metadata.namespace`);
  if (typeof o["spec"] !== "object" || o["spec"] === null) problems.push(`${file}: spec`);
  return problems;
}

/** Writes a plan's manifests and reads them back. */
function written(plan: Plan, name: string): Map<string, Record<string, unknown>> {
  const out = path.join(tmp, name);
  const files = writeManifests(plan, out);
  const dir = path.join(out, "manifests");
  if (fs.readdirSync(dir).sort().join() !== files.join()) throw new Error("files differ");
  return new Map(
    files.map((f) => [
      f,
      parse(fs.readFileSync(path.join(dir, f), "utf8")) as Record<string, unknown>,
    ]),
  );
}

const plans: [string, () => Promise<Plan>][] = [
  ...["dev", "staging", "prod"].map((stack): [string, () => Promise<Plan>] => [
    `the ${stack} stack`,
    () => runProgram(stackProgram, { stack, stackDir, project: "taskstack" }),
  ]),
  ["worker pools with KEDA, a CronJob and a Secret", () => runProgram(workloads)],
];

describe("rendered manifests", () => {
  it.each(plans)("%s: one schema-valid file per Kubernetes object", async (title, run) => {
    const plan = await run();
    const objects = plan.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
    const manifests = written(plan, title.replace(/\W+/g, "-"));
    expect(manifests.size).toBe(objects.length);
    expect(manifests.size).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const [file, object] of manifests) {
      const { apiVersion, kind } = object as { apiVersion: string; kind: string };
      if (apiVersion.startsWith("keda.sh/")) {
        // KEDA's CRDs are not in kubernetes-models: check the shape every such object has.
        problems.push(...kedaShapeProblems(file, object));
        continue;
      }
      const Model = await modelOf(apiVersion, kind);
      if (Model === undefined) {
        problems.push(`${file}: ${apiVersion} ${kind} is not a Kubernetes type`);
        continue;
      }
      try {
        new Model(object).validate();
      } catch (err) {
        problems.push(`${file}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("names files after the object and never writes a secret's value", async () => {
    const plan = await runProgram(workloads);
    const manifests = written(plan, "names");
    expect([...manifests.keys()]).toEqual([
      "shop.configmap.shop-celery-bootstrap.yaml",
      "shop.cronjob.nightly.yaml",
      "shop.deployment.shop-fast.yaml",
      "shop.deployment.shop-slow.yaml",
      "shop.poddisruptionbudget.shop-fast.yaml",
      "shop.poddisruptionbudget.shop-slow.yaml",
      "shop.scaledobject.shop-fast.yaml",
      "shop.secret.tasks-broker.yaml",
      "shop.triggerauthentication.shop-broker.yaml",
    ]);
    expect(manifests.get("shop.secret.tasks-broker.yaml")).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "tasks-broker", namespace: "shop" },
      // As the Kubernetes provider applies it: stringData merged into data, base64.
      data: { url: Buffer.from("[secret]").toString("base64") },
    });
    const text = fs
      .readdirSync(path.join(tmp, "names", "manifests"))
      .map((f) => fs.readFileSync(path.join(tmp, "names", "manifests", f), "utf8"))
      .join("\n");
    expect(text).not.toContain("hunter2");
  });

  it("the schema check is live: a wrong type in a rendered Deployment fails it", async () => {
    const manifests = written(await runProgram(workloads), "live");
    const deployment = manifests.get("shop.deployment.shop-slow.yaml") as {
      spec: { replicas: unknown };
    };
    deployment.spec.replicas = "two";
    const Model = await modelOf("apps/v1", "Deployment");
    expect(() => new Model!(deployment).validate()).toThrow(/replicas must be integer/);
  });

  it("replaces what an earlier plan wrote", async () => {
    const out = path.join(tmp, "replace");
    fs.mkdirSync(path.join(out, "manifests"), { recursive: true });
    fs.writeFileSync(path.join(out, "manifests", "stale.yaml"), "kind: Gone\n");
    writeManifests(await runProgram(workloads), out);
    expect(fs.existsSync(path.join(out, "manifests", "stale.yaml"))).toBe(false);
  });
});
