import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import type { PlanData, PlannedResource } from "../testing/plan";
import { Secret, revealSecrets } from "../testing/plan";

// `taskstack plan` writes every Kubernetes object of the stack as the YAML `kubectl` would apply,
// one file per object, so a reviewer can diff them and a schema check can read them. Secret
// values never reach these files.

/** True for a resource that is a Kubernetes object (KEDA's custom resources included). */
export function isKubernetesObject(r: PlannedResource): boolean {
  return r.custom && r.type.startsWith("kubernetes:");
}

const redacted = "[secret]";

/** A value with every Pulumi secret replaced by `[secret]`. */
function redact(value: unknown): unknown {
  if (value instanceof Secret) return redacted;
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
  }
  return value;
}

/** `[secret]` as a Secret's `data` holds values: base64, so the manifest stays a valid object. */
export const redactedData = Buffer.from(redacted).toString("base64");

/**
 * The object as a manifest: its inputs as the provider applies them (after its Check: a Secret's
 * `stringData` is in `data`), secrets redacted. A Secret's `data` and `stringData` are redacted
 * key by key even when the program forgot to mark them secret.
 */
export function manifestOf(r: PlannedResource): Record<string, unknown> {
  const inputs = r.checkedInputs ?? r.inputs;
  const object = redact(inputs) as Record<string, unknown>;
  if (object["kind"] === "Secret" && r.type === "kubernetes:core/v1:Secret") {
    for (const key of ["data", "stringData"]) {
      // The provider marks the whole map secret; its keys are not, and show what the Secret holds.
      const values = revealSecrets(inputs[key]);
      if (typeof values === "object" && values !== null) {
        const shown = key === "data" ? redactedData : redacted;
        object[key] = Object.fromEntries(Object.keys(values).map((k) => [k, shown]));
      }
    }
  }
  return object;
}

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .replace(/^-+|-+$/g, "");

/** `<namespace>.<kind>.<name>.yaml` (`_cluster` for cluster-scoped objects), from the object itself. */
export function manifestFileName(r: PlannedResource): string {
  const metadata = r.inputs["metadata"] as { name?: unknown; namespace?: unknown } | undefined;
  const kind = typeof r.inputs["kind"] === "string" ? r.inputs["kind"] : r.type.split(":").pop();
  const name = typeof metadata?.name === "string" ? metadata.name : r.name;
  const namespace = typeof metadata?.namespace === "string" ? metadata.namespace : "_cluster";
  return `${slug(namespace)}.${slug(String(kind))}.${slug(name)}.yaml`;
}

/**
 * Writes the plan's Kubernetes objects to `<outDir>/manifests/`, replacing what an earlier plan
 * wrote there. Returns the files written, sorted. Two objects that would share a file name (an
 * unknown name during preview) fall back to their logical names.
 */
export function writeManifests(plan: PlanData, outDir: string): string[] {
  const dir = path.join(outDir, "manifests");
  fs.rmSync(dir, { recursive: true, force: true });
  const objects = plan.resources.filter(isKubernetesObject);
  if (objects.length === 0) return [];
  fs.mkdirSync(dir, { recursive: true });
  const used = new Set<string>();
  const written: string[] = [];
  for (const r of [...objects].sort((a, b) => a.urn.localeCompare(b.urn))) {
    let file = manifestFileName(r);
    if (used.has(file)) file = `${slug(r.type.split(":").pop() ?? "object")}.${slug(r.name)}.yaml`;
    used.add(file);
    fs.writeFileSync(path.join(dir, file), stringify(manifestOf(r), { lineWidth: 0 }));
    written.push(file);
  }
  return written.sort();
}
