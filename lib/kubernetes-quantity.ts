// Kubernetes quantities and container resources without zod, so the components' published types
// (which name ContainerResources) never reach zod's; lib/kubernetes-workload.ts holds the schemas.

/**
 * Multipliers of Kubernetes' quantity suffixes: binary (`Ki` … `Ei`) and decimal SI, whose kilo is
 * a lowercase `k` (`<decimalSI> ::= m | "" | k | M | G | T | P | E`; `K` is not a suffix).
 */
const quantitySuffixes: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** A byte quantity as Kubernetes writes it: `256Mi`, `1Gi`, `512M`, `500k`, `1073741824`. */
export const byteQuantityPattern = /^[0-9]+(?:\.[0-9]+)?(?:Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** The value of a quantity without milli (`1.5Gi`, `0.5`, `500k`), or undefined if it is not one. */
function quantityAmount(text: string): number | undefined {
  if (!byteQuantityPattern.test(text)) return undefined;
  const suffix = /[A-Za-z]+$/.exec(text)?.[0] ?? "";
  const factor = suffix === "" ? 1 : (quantitySuffixes[suffix] as number);
  return Number(text.slice(0, text.length - suffix.length)) * factor;
}

/** Bytes of a byte quantity (`2Gi`, `512Mi`, `500k`, `1073741824`), or undefined if it is not one. */
export function quantityBytes(text: string): number | undefined {
  const amount = quantityAmount(text);
  return amount === undefined ? undefined : Math.floor(amount);
}

/** Bytes of a memory quantity, or cores of a CPU quantity, for comparing requests to limits. */
export function quantityValue(quantity: string): number {
  if (/^[0-9]+m$/.test(quantity)) return Number(quantity.slice(0, -1)) * 1e-3;
  return quantityAmount(quantity) ?? Number.NaN;
}

/** CPU and memory, as Kubernetes quantities. */
export interface ResourceQuantities {
  /** A CPU quantity, e.g. `250m` or `1`. */
  cpu: string;
  /** A memory quantity, e.g. `256Mi` or `1Gi`. */
  memory: string;
}

/**
 * Requests and limits, both required: without a limit an unthrottled job (a backup, a report) can
 * starve everything else on its node; without a request the scheduler packs pods blind.
 */
export interface ContainerResources {
  /** What the scheduler reserves for the container. */
  requests: ResourceQuantities;
  /** What the container may use at most; each at least its request. */
  limits: ResourceQuantities;
}

/** A key of a Secret in the workload's namespace, read through `valueFrom.secretKeyRef`. */
export interface SecretKeyRef {
  /** The Secret's name. */
  readonly name: string;
  /** The key within the Secret. */
  readonly key: string;
}
