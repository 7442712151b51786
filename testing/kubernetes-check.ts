// What the real Kubernetes provider's Check does to a resource's inputs before the engine records
// them (pulumi-kubernetes provider/v4, pkg/provider/provider.go: Check and normalizeInputs;
// pkg/clients/unstructured.go: Normalize). The offline engine records inputs as the real engine's
// preview and state hold them, so it applies the same normalization. scripts/real-pulumi.sh holds
// the result against the real provider.
//
// Modelled:
// - an object holding an unknown value (a preview) is not normalized at all (hasComputedValue);
// - a Secret's `stringData` is merged into `data`, base64-encoded, and removed (normalizeSecret),
//   the merged `data` secret when either was;
// - any other built-in kind goes through its Go type and back (FromUnstructured/ToUnstructured):
//   an empty list at an `omitempty` field is dropped. The list fields without `omitempty` in the
//   core, apps, batch, policy, rbac, networking and autoscaling groups (k8s.io/api v0.34 types.go)
//   are kept;
// - the read-only metadata fields are removed.
// Not modelled: zero scalars and empty maps at `omitempty` fields (which of them are pointers is
// the Go types' knowledge), custom resources (left as they are, as the provider does).
import { Secret, isSecret, isUnknownValue } from "./plan";

/** List fields of the built-in kinds whose Go field has no `omitempty`: an empty one is kept. */
const listsWithoutOmitempty = new Set([
  "containers",
  "currentMetrics",
  "items",
  "limits",
  "monitors",
  "names",
  "nodeSelectorTerms",
  "paths",
  "requestMappings",
  "rules",
  "sources",
  "values",
  "verbs",
]);

const readOnlyMetadata = [
  "creationTimestamp",
  "deletionGracePeriodSeconds",
  "deletionTimestamp",
  "generation",
  "managedFields",
  "resourceVersion",
  "uid",
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !isSecret(value);
}

function holdsUnknown(value: unknown): boolean {
  if (isUnknownValue(value)) return true;
  if (isSecret(value)) return holdsUnknown(value.value);
  if (Array.isArray(value)) return value.some(holdsUnknown);
  if (isRecord(value)) return Object.values(value).some(holdsUnknown);
  return false;
}

/** True for a Kubernetes resource the provider checks: a custom resource of a built-in kind. */
export function isCheckedKubernetesType(type: string, custom: boolean): boolean {
  const [pkg, module] = type.split(":");
  return (
    custom &&
    pkg === "kubernetes" &&
    module !== undefined &&
    !module.startsWith("helm.sh/") &&
    !module.startsWith("yaml/") &&
    !module.startsWith("apiextensions.k8s.io/") &&
    !type.endsWith("List") &&
    !type.endsWith("Patch")
  );
}

function dropEmptyLists(value: unknown): unknown {
  if (isSecret(value)) return new Secret(dropEmptyLists(value.value));
  if (Array.isArray(value)) return value.map(dropEmptyLists);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (Array.isArray(v) && v.length === 0 && !listsWithoutOmitempty.has(key)) continue;
    out[key] = dropEmptyLists(v);
  }
  return out;
}

function mergeStringData(inputs: Record<string, unknown>): Record<string, unknown> {
  const stringData = inputs["stringData"];
  const plain = isSecret(stringData) ? stringData.value : stringData;
  if (!isRecord(plain) || Object.keys(plain).length === 0) return inputs;
  const data = inputs["data"];
  const merged: Record<string, unknown> = { ...((isSecret(data) ? data.value : data) ?? {}) };
  for (const [key, v] of Object.entries(plain)) {
    const text = isSecret(v) ? v.value : v;
    merged[key] = Buffer.from(String(text)).toString("base64");
  }
  const { stringData: _dropped, ...rest } = inputs;
  return { ...rest, data: isSecret(stringData) || isSecret(data) ? new Secret(merged) : merged };
}

/** A Kubernetes resource's inputs as the real provider's Check returns them. */
export function kubernetesCheck(
  type: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  let checked = inputs;
  if (!holdsUnknown(inputs)) {
    checked =
      type === "kubernetes:core/v1:Secret"
        ? mergeStringData(inputs)
        : (dropEmptyLists(inputs) as Record<string, unknown>);
  }
  const metadata = checked["metadata"];
  if (isRecord(metadata) && readOnlyMetadata.some((k) => k in metadata)) {
    checked = {
      ...checked,
      metadata: Object.fromEntries(
        Object.entries(metadata).filter(([k]) => !readOnlyMetadata.includes(k)),
      ),
    };
  }
  return checked;
}
