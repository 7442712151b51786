import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { always, expected, int, pattern, problem } from "./zod-messages";

// Building blocks shared by the Kubernetes workloads (Celery worker pools, CronJobs): the args
// schemas for an image, resources and environment, and the hardened pod and container settings
// both components declare. One place, so a worker and a CronJob are hardened the same way.

/** A DNS-1123 label: what Kubernetes accepts as a namespace, and as a name that becomes a label. */
export const kubernetesName = pattern(
  /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
  "a Kubernetes name: 1–63 lowercase letters, digits or -, starting and ending with a letter or digit",
);

/** The longest name Kubernetes accepts for an object whose name becomes a label value. */
export const maxKubernetesNameLength = 63;

/**
 * A container image pinned to a version: `repo/name:tag` or `repo/name@sha256:…`, never `:latest`
 * or untagged (which means latest). A moving tag makes a rollback redeploy whatever is newest.
 */
export const imageProblem = (image: string): string | undefined => {
  if (/\s/.test(image) || image.length === 0) return "a container image reference";
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return undefined;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  if (colon === -1) return "an image with a version tag or digest (untagged means :latest)";
  if (lastSegment.slice(colon + 1) === "latest") {
    return "an image with a version tag or digest, not :latest";
  }
  return undefined;
};

export const containerImage = z
  .string(expected("a container image reference such as ghcr.io/acme/worker:1.4.2"))
  .superRefine((image, ctx) => {
    const why = imageProblem(image);
    if (why !== undefined)
      ctx.addIssue({ code: "custom", message: `expected ${why}`, input: image });
  });

/** A Kubernetes CPU quantity: `250m`, `1`, `0.5`. */
export const cpuQuantity = pattern(
  /^(?:[0-9]+m|[0-9]+(?:\.[0-9]+)?)$/,
  'a CPU quantity such as "250m" or "1"',
);
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

/** A Kubernetes memory quantity: `256Mi`, `1Gi`, `512M`, `500k`. */
export const memoryQuantity = pattern(
  byteQuantityPattern,
  'a memory quantity such as "256Mi" or "1Gi"',
);

const cpuAndMemory = (what: string) =>
  z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }, expected(`${what}: cpu and memory`));

/** Bytes of a memory quantity, or cores of a CPU quantity, for comparing requests to limits. */
export function quantityValue(quantity: string): number {
  if (/^[0-9]+m$/.test(quantity)) return Number(quantity.slice(0, -1)) * 1e-3;
  return quantityAmount(quantity) ?? Number.NaN;
}

/**
 * Requests and limits, both required: without a limit an unthrottled job (a backup, a report) can
 * starve everything else on its node; without a request the scheduler packs pods blind.
 */
export const containerResources = z
  .strictObject(
    { requests: cpuAndMemory("requests"), limits: cpuAndMemory("limits") },
    expected("resources: requests and limits, each with cpu and memory"),
  )
  .superRefine((r, ctx) => {
    for (const kind of ["cpu", "memory"] as const) {
      const request = r.requests?.[kind];
      const limit = r.limits?.[kind];
      if (typeof request !== "string" || typeof limit !== "string") continue;
      if (quantityValue(request) > quantityValue(limit)) {
        problem(ctx, ["requests", kind], `at most limits.${kind} (${limit})`, request);
      }
    }
  }, always);

export type ContainerResources = z.input<typeof containerResources>;

/** Environment variable names as Kubernetes accepts them. */
const envName = pattern(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name");

/** Names that say a value is a secret; `-` counts as `_` (`--api-key` is `API_KEY`). */
const secretNamePattern =
  /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|COOKIE/i;

/** A URL with credentials in it (`amqp://user:password@host`), anywhere in a text. */
const credentialsUrlPattern =
  /(?:^|[^A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/@\s:'"]*:[^/@\s'"]+@/;

/**
 * Names of settings about a secret rather than holding one: `PASSWORD_MIN_LENGTH`,
 * `TOKEN_TTL_SECONDS`, `SESSION_COOKIE_SECURE`, `API_KEY_HEADER`, `DB_PASSWORD_FILE`,
 * `TOKEN_URL` (a URL with credentials in it is still caught by its value).
 */
const settingSuffixPattern =
  /_(?:MIN|MAX|MIN_?LEN(?:GTH)?|MAX_?LEN(?:GTH)?|LEN(?:GTH)?|SIZE|BYTES|BITS|TTL|TTL_?[A-Z]+|TIMEOUT|SECONDS|MINUTES|HOURS|DAYS|MS|SECURE|HTTP_?ONLY|SAME_?SITE|DOMAIN|FILE|PATH|DIR|HEADER|ENABLED|DISABLED|NAME|KEY_?NAME|URL|URI|ENDPOINT|ALGORITHM|ROTATION[A-Z_]*)$/;

/** Values that are never secrets: a boolean, or an absolute file path (a credentials file). */
const nonSecretValuePattern = /^(?:true|false|yes|no|on|off|\/[^\s:]*)$/i;

/** True for a name that says its value is a secret (password, token, key, credentials, cookie). */
export function secretLookingName(name: string): boolean {
  const normalized = name.replace(/-/g, "_");
  return secretNamePattern.test(normalized) && !settingSuffixPattern.test(normalized.toUpperCase());
}

/** True for a text holding a URL with credentials (`amqp://user:password@host`) anywhere. */
export function hasCredentialsUrl(text: string): boolean {
  return credentialsUrlPattern.test(text);
}

/**
 * True for an environment variable that holds a secret in plain text: a secret-looking name
 * (password, token, key, credentials, cookie) or a URL with credentials in it
 * (`amqp://user:password@host`). Shared by the components' schemas and the policies
 * kubernetes-core-container-disallow-plaintext-secrets and
 * kubernetes-core-configmap-disallow-plaintext-secrets.
 */
export function looksSecret(name: string, value: string): boolean {
  if (hasCredentialsUrl(value)) return true;
  return secretLookingName(name) && !nonSecretValuePattern.test(value.trim());
}

/**
 * True for a command-line argument that holds a secret in plain text: a URL with credentials, or
 * a `--name=value` / `NAME=value` word (also inside an `sh -c` script) whose name looks secret
 * and whose value is a literal. A reference is not a secret: `--password=$(DB_PASSWORD)` (the
 * kubelet expands env vars read from a Secret), `$VAR`, or a file path (`--password-file=/run/…`).
 * A secret as the word after a bare `--password` is not caught: too many flags take no value.
 */
export function argLooksSecret(arg: string): boolean {
  if (hasCredentialsUrl(arg)) return true;
  for (const word of arg.split(/\s+/)) {
    const m = /^-{0,2}([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/.exec(word);
    if (!m) continue;
    const value = (m[2] as string).replace(/^['"]+|['"]+$/g, "");
    const literal = value !== "" && !value.startsWith("$") && !value.startsWith("/");
    if (literal && secretLookingName(m[1] as string)) return true;
  }
  return false;
}

/** A command or its arguments, none holding a secret in plain text (see {@link argLooksSecret}). */
export const plainArgs = z
  .array(z.string(expected("a string")), expected("a list of strings"))
  .superRefine((args, ctx) => {
    args.forEach((arg, i) => {
      if (typeof arg === "string" && argLooksSecret(arg)) {
        problem(
          ctx,
          [i],
          "an argument without a secret in it (an argument is readable by anyone who can read the workload)",
          "[redacted]",
          "Read the secret through secretEnv and refer to it as $(NAME) in the argument",
        );
      }
    });
  });

/** Plain environment variables, none of which may look like a secret. */
export const plainEnv = z
  .record(envName, z.string(expected("a string value")), expected("a map of NAME: value"))
  .superRefine((env, ctx) => {
    for (const [name, value] of Object.entries(env)) {
      if (typeof value === "string" && looksSecret(name, value)) {
        problem(
          ctx,
          [name],
          "a value that is not a secret (secrets come from a Secret through secretEnv)",
          "[redacted]",
          "Move it to secretEnv: { NAME: { name: <secret>, key: <key> } }",
        );
      }
    }
  }, always);

/** A key of a Kubernetes Secret. */
export const secretKeyRef = z.strictObject(
  {
    name: kubernetesName,
    key: pattern(/^[-._a-zA-Z0-9]+$/, "a Secret key (letters, digits, -, _ or .)"),
  },
  expected("a Secret reference: { name, key }"),
);

/** Environment variables read from Secrets, never written into the pod spec. */
export const secretEnv = z.record(envName, secretKeyRef, expected("a map of NAME: { name, key }"));

/** The uid containers run as by default: distroless's `nonroot`, not 0. */
export const defaultRunAsUser = 65532;

export const runAsUser = int(1, 2_147_483_647);

/** Pod-level security: non-root, the runtime's default seccomp profile. */
export function podSecurityContext(uid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Container-level security: read-only root filesystem, no privilege escalation, no capabilities. */
export function containerSecurityContext(uid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    privileged: false,
    capabilities: { drop: ["ALL"] },
  };
}

/**
 * The pod's service account settings. Without a `serviceAccountName` the pod runs as the
 * namespace's default account and never calls the Kubernetes API, so its token is not mounted: a
 * compromised task cannot use it. A named account keeps its own `automountServiceAccountToken`.
 */
export function serviceAccountSettings(
  serviceAccountName: string | undefined,
): { serviceAccountName: string } | { automountServiceAccountToken: false } {
  return serviceAccountName ? { serviceAccountName } : { automountServiceAccountToken: false };
}

/** The writable /tmp a read-only root filesystem still needs (Python, Celery's heartbeat file). */
export const tmpVolume = { name: "tmp", emptyDir: { sizeLimit: "256Mi" } };
export const tmpMount = { name: "tmp", mountPath: "/tmp" };

/** A container's `env`: plain values first, then Secret references, each sorted by name. */
export function containerEnv(
  plain: Readonly<Record<string, string>> = {},
  secrets: Readonly<
    Record<string, { readonly name: pulumi.Input<string>; readonly key: string }>
  > = {},
) {
  const sorted = <T>(o: Readonly<Record<string, T>>) =>
    Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
  return [
    ...sorted(plain).map(([name, value]) => ({ name, value })),
    ...sorted(secrets).map(([name, ref]) => ({
      name,
      valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } },
    })),
  ];
}
