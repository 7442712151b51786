// The protocol-boundary behaviour of taskstack's stand-in provider plugins (provider.ts), kept
// free of gRPC so it can be tested directly. The outputs come from the offline engine's own
// synthesizers, so the real engine and the offline one see the same values after `up`.
import {
  autoName,
  autoNamedTypes,
  defaultInvokeSynthesizers,
  defaultResourceSynthesizers,
  fallbackResource,
} from "../../testing/synthesize";
import type { SynthContext, SynthResourceArgs } from "../../testing/synthesize";

/** The provider's config as the engine sent it in Configure (`gcp:config:project` or `gcp:project`). */
export interface ProviderConfig {
  values: Record<string, string>;
}

// The engine's wire markers for secrets and preview unknowns (pulumi/pulumi sdk/go/common/resource/sig).
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const sigKey = "4dabf18193072939515e22adb298388d";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A wire value with every secret replaced by its plain value, as a provider uses it. */
export function revealWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealWire);
  if (!isRecord(value)) return value;
  if (value[sigKey] === secretSig) return revealWire(value["value"]);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = revealWire(v);
  return out;
}

function configValue(config: ProviderConfig, pkg: string, key: string): string | undefined {
  return config.values[`${pkg}:config:${key}`] ?? config.values[`${pkg}:${key}`];
}

/** Project, stack, type and logical name from a URN (`urn:pulumi:STACK::PROJECT::T1$T2::NAME`). */
export function parseUrn(urn: string): {
  stack: string;
  project: string;
  type: string;
  name: string;
} {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0]!.startsWith("urn:pulumi:")) {
    throw new Error(`stand-in provider: not a resource URN: ${urn}`);
  }
  const stack = parts[0]!.slice("urn:pulumi:".length);
  const types = parts[2]!.split("$");
  return {
    stack,
    project: parts[1]!,
    type: types[types.length - 1]!,
    name: parts.slice(3).join("::"),
  };
}

/** The offline engine's synthesizer context, from the URN and the provider's config. */
export function synthContext(urn: string, config: ProviderConfig): SynthContext {
  const { project, stack } = parseUrn(urn);
  return {
    project,
    stack,
    gcpProject: configValue(config, "gcp", "project") ?? `${project}-${stack}`,
    gcpRegion: configValue(config, "gcp", "region") ?? "us-central1",
  };
}

function synthArgs(
  urn: string,
  inputs: Record<string, unknown>,
  config: ProviderConfig,
): SynthResourceArgs {
  const { type, name } = parseUrn(urn);
  return {
    type,
    name,
    inputs: revealWire(inputs) as Record<string, unknown>,
    ctx: synthContext(urn, config),
  };
}

/**
 * Check: the inputs, plus the auto-name the real (Terraform-bridged) provider fills in at check
 * time for a resource whose `name` the program left out. An existing resource keeps its name.
 */
export function standInCheck(
  urn: string,
  olds: Record<string, unknown> | undefined,
  news: Record<string, unknown>,
  config: ProviderConfig,
): Record<string, unknown> {
  const { type } = parseUrn(urn);
  if (!autoNamedTypes.has(type) || news["name"] !== undefined) return news;
  const previous = olds?.["name"];
  const name = typeof previous === "string" ? previous : autoName(synthArgs(urn, news, config));
  return { ...news, name };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((v, i) => sameValue(v, b[i]))
    );
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue(a[k], b[k]));
  }
  return a === b;
}

/** Diff: the top-level inputs that differ between the last deployment's inputs and the new ones. */
export function standInDiff(
  oldInputs: Record<string, unknown>,
  news: Record<string, unknown>,
): { changes: boolean; replaces: string[] } {
  const keys = new Set([...Object.keys(oldInputs), ...Object.keys(news)]);
  const changed = [...keys].filter((k) => !sameValue(oldInputs[k], news[k]));
  return { changes: changed.length > 0, replaces: [] };
}

/** Create (and Update): the offline engine's synthesized outputs under the inputs as given. */
export function standInCreate(
  urn: string,
  inputs: Record<string, unknown>,
  config: ProviderConfig,
): { id: string; outs: Record<string, unknown> } {
  const args = synthArgs(urn, inputs, config);
  const result = (defaultResourceSynthesizers[args.type] ?? fallbackResource)(args);
  return {
    id: result.id ?? fallbackResource(args).id!,
    outs: { ...(result.state ?? {}), ...inputs },
  };
}

/** Invoke: the offline engine's invoke results; any other invoke fails with its token. */
export function standInInvoke(
  token: string,
  inputs: unknown,
  config: ProviderConfig,
): Record<string, unknown> {
  const synth = defaultInvokeSynthesizers[token];
  if (!synth) throw new Error(`stand-in provider: no result for invoke '${token}'`);
  const ctx = synthContext("urn:pulumi:stand-in::stand-in::invoke::invoke", config);
  return synth(isRecord(inputs) ? inputs : {}, ctx);
}
