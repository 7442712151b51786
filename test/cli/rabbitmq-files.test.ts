import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main";
import { redactedDefinitions } from "../../cli/rabbitmq-files";
import { rabbitPasswordHash } from "../../components/messaging/rabbitmq-config";
import { Secret } from "../../testing";

const repo = path.join(__dirname, "..", "..");
let out: string;

beforeEach(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-rabbitmq-files-"));
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(out, { recursive: true, force: true });
});

describe("taskstack plan's RabbitMQ files", () => {
  it("writes each cluster's rabbitmq.conf, enabled_plugins and definitions, with no credential in them", async () => {
    expect(await main(["plan", "prod", "--out", out], repo)).toBe(0);
    const dir = path.join(out, "prod", "rabbitmq", "celery-broker");
    expect(fs.readdirSync(dir).sort()).toEqual([
      "definitions.json",
      "enabled_plugins",
      "rabbitmq.conf",
    ]);
    const plan = JSON.parse(fs.readFileSync(path.join(out, "prod", "plan.json"), "utf8")) as {
      resources: { name: string; inputs: { data?: Record<string, string> } }[];
    };
    const data = plan.resources.find((r) => r.name === "celery-broker-config")?.inputs.data;
    expect(fs.readFileSync(path.join(dir, "rabbitmq.conf"), "utf8")).toBe(data?.["rabbitmq.conf"]);
    expect(fs.readFileSync(path.join(dir, "rabbitmq.conf"), "utf8")).toContain(
      "\ncluster_partition_handling = pause_minority\n",
    );
    expect(fs.readFileSync(path.join(dir, "enabled_plugins"), "utf8")).toBe(
      "[rabbitmq_management,rabbitmq_prometheus,rabbitmq_peer_discovery_k8s].\n",
    );
    const definitions = JSON.parse(fs.readFileSync(path.join(dir, "definitions.json"), "utf8")) as {
      users: { name: string; password_hash: string }[];
      queues: { name: string; arguments: Record<string, unknown> }[];
      policies: { name: string; pattern: string; definition: Record<string, unknown> }[];
    };
    expect(definitions.users.map((u) => [u.name, u.password_hash])).toEqual([
      ["admin", "[secret]"],
      ["app", "[secret]"],
    ]);
    // Only the type as an argument, so workers can redeclare the queues; the rest are policies.
    expect(definitions.queues.map((q) => [q.name, q.arguments])).toEqual([
      ["celery-fast", { "x-queue-type": "quorum" }],
      ["celery-slow", { "x-queue-type": "quorum" }],
      ["celery-dead-letter", { "x-queue-type": "quorum" }],
    ]);
    expect(definitions.policies.map((p) => [p.name, p.pattern, p.definition])).toEqual([
      [
        "taskstack-queue-celery-fast",
        "^celery-fast$",
        {
          "dead-letter-exchange": "celery-dead-letter",
          "dead-letter-routing-key": "celery-dead-letter",
          "delivery-limit": 5,
          // Derived from the prod workers: 60 s time limit × (prefetch 1 + 1) + 60 s.
          "consumer-timeout": 180_000,
        },
      ],
      [
        "taskstack-queue-celery-slow",
        "^celery-slow$",
        {
          "dead-letter-exchange": "celery-dead-letter",
          "dead-letter-routing-key": "celery-dead-letter",
          "delivery-limit": 3,
          // 1800 s × 2 + 60 s.
          "consumer-timeout": 3_660_000,
        },
      ],
      ["taskstack-queue-celery-dead-letter", "^celery-dead-letter$", { "delivery-limit": 20 }],
    ]);
    // Nothing written anywhere under out/ holds a credential: plan.json shows them as [secret].
    const all = fs
      .readdirSync(path.join(out, "prod"), { recursive: true })
      .map((f) => path.join(out, "prod", String(f)))
      .filter((f) => fs.statSync(f).isFile())
      .map((f) => fs.readFileSync(f, "utf8"))
      .join("\n");
    expect(all).not.toMatch(/amqp:\/\/app:[A-Za-z0-9]{32}@/);
    expect(all).not.toMatch(/"password_hash": "[A-Za-z0-9+/]{40,}={0,2}"/);
  });

  it.each<[string, unknown, string]>([
    [
      "hashes and passwords, by key",
      new Secret(
        JSON.stringify({
          users: [{ name: "app", password_hash: rabbitPasswordHash("app", "pw"), password: "pw" }],
          vhosts: [{ name: "/" }],
        }),
      ),
      '{\n  "users": [\n    {\n      "name": "app",\n      "password_hash": "[secret]",\n      "password": "[secret]"\n    }\n  ],\n  "vhosts": [\n    {\n      "name": "/"\n    }\n  ]\n}\n',
    ],
    ["anything that is not JSON", new Secret("users: [pw]"), '"[secret]"\n'],
    ["nothing", undefined, '"[secret]"\n'],
  ])("redacts %s", (_case, value, written) => {
    expect(redactedDefinitions(value)).toBe(written);
  });
});
