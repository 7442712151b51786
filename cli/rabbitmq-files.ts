import * as fs from "node:fs";
import * as path from "node:path";
import type { Plan } from "../testing/assertions";
import { revealSecrets } from "../testing/plan";

// `taskstack plan` writes what each RabbitMQ node reads at boot to
// out/<stack>/rabbitmq/<cluster>/: rabbitmq.conf and enabled_plugins as the ConfigMap holds them,
// and definitions.json with every user's password hash replaced by "[secret]".

const clusterType = "taskstack:messaging:RabbitMqCluster";
const configMapType = "kubernetes:core/v1:ConfigMap";
const secretType = "kubernetes:core/v1:Secret";

/**
 * The definitions for review. They live in a Secret because users carry password hashes; the
 * hashes are the only secret part, so they (and any `password` a hand-made file might carry) are
 * redacted by key and everything else is shown as the nodes will import it. Users are referenced
 * by name from `permissions`, so the file stays complete without them.
 */
export function redactedDefinitions(value: unknown): string {
  const text = revealSecrets(value);
  if (typeof text !== "string") return '"[secret]"\n';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return '"[secret]"\n';
  }
  const redact = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(redact);
    if (v && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [
          k,
          k === "password_hash" || k === "password" ? "[secret]" : redact(x),
        ]),
      );
    }
    return v;
  };
  return `${JSON.stringify(redact(parsed), null, 2)}\n`;
}

/** Writes every RabbitMqCluster's boot files under `<outDir>/rabbitmq/<cluster>/`; returns the files. */
export function writeRabbitMqFiles(plan: Plan, outDir: string): string[] {
  const written: string[] = [];
  for (const cluster of plan.resources.filter((r) => r.type === clusterType)) {
    const children = plan.resources.filter((r) => r.parent === cluster.urn);
    const config = children.find((r) => r.type === configMapType);
    const definitions = children.find(
      (r) => r.type === secretType && r.name === `${cluster.name}-definitions-secret`,
    );
    const data = (config?.inputs["data"] ?? {}) as Record<string, unknown>;
    const stringData = revealSecrets(definitions?.inputs["stringData"]) as
      Record<string, unknown> | undefined;
    const dir = path.join(outDir, "rabbitmq", cluster.name);
    fs.mkdirSync(dir, { recursive: true });
    const files: [string, string][] = [
      ["rabbitmq.conf", typeof data["rabbitmq.conf"] === "string" ? data["rabbitmq.conf"] : ""],
      [
        "enabled_plugins",
        typeof data["enabled_plugins"] === "string" ? data["enabled_plugins"] : "",
      ],
      ["definitions.json", redactedDefinitions(stringData?.["definitions.json"])],
    ];
    for (const [name, text] of files) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      written.push(file);
    }
  }
  return written;
}
