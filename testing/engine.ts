import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { engineRunMark } from "../components/shared/claims";
import { Plan } from "./assertions";
import { mockMonitor, skipDeploymentBookkeeping } from "./internals";
import type { Callback, RegisterRequest, RegisterResponse } from "./internals";
import { isCheckedKubernetesType, kubernetesCheck } from "./kubernetes-check";
import { Secret, revealSecrets, unknownValue } from "./plan";
import type { PlannedResource } from "./plan";
import { readProjectFile, readStackFile, stackFilePath, toEngineConfig } from "./stack-file";
import {
  autoNamedProperties,
  defaultInvokeSynthesizers,
  defaultResourceSynthesizers,
  fallbackResource,
} from "./synthesize";
import type { InvokeSynthesizer, ResourceSynthesizer, SynthContext } from "./synthesize";

/** A request's `customTimeouts`, when it has any. */
function customTimeoutsOf(req: RegisterRequest) {
  const t = req.getCustomtimeouts();
  if (t === undefined) return {};
  return {
    customTimeouts: { create: t.getCreate(), update: t.getUpdate(), delete: t.getDelete() },
  };
}

/** A Pulumi program: declares resources, may return stack outputs. */
export type Program = () => unknown;

export interface RunOptions {
  /**
   * Stack name; its `Pulumi.<stack>.yaml` in `stackDir` supplies the config. With `config` given,
   * the stack needs no file (a test names its stack and passes its config inline); without, a
   * stack with no file is refused, listing the stacks there. @default "test" with no stack file
   */
  readonly stack?: string;
  /** Where stack files live. @default - `stackConfigDir` of `Pulumi.yaml` in the working directory, else the working directory */
  readonly stackDir?: string;
  /** A stack file to read instead of looking one up by stack name. */
  readonly stackFile?: string;
  /** Config on top of the stack file's: `key` (project namespace) or `namespace:key` → value. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Project name. @default - `name` of `Pulumi.yaml` in the working directory, else "project" */
  readonly project?: string;
  /** Extra or replacement output synthesizers, by resource type token. */
  readonly resourceOutputs?: Readonly<Record<string, ResourceSynthesizer>>;
  /** Extra or replacement invoke results, by invoke token. */
  readonly invokes?: Readonly<Record<string, InvokeSynthesizer>>;
  /** Give up waiting for registrations after this long. @default 60000 */
  readonly timeoutMs?: number;
  /**
   * Outputs of the stacks the program references (`new pulumi.StackReference("acme/network/prod")`),
   * by stack name. Wrap a value in `Secret` to make it a secret output, as the referenced stack
   * would. A reference to a stack not listed here fails, naming it.
   * @default - no stack references
   */
  readonly stackReferences?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * Run as `pulumi preview` does. `true`: providers return inputs only, so ids and every value a
   * provider computes are unknown to the program, and absent from the plan's outputs. `"engine"`:
   * as the engine gives a preview of resources being created: the provider's Check fills
   * auto-names (known), every other output the provider computes (`id`, ARNs, etags, emails…) is
   * `Unknown` in the plan's outputs as well as to the program, and `apply` callbacks on them do
   * not run.
   * @default false
   */
  readonly preview?: boolean | "engine";
  /** Called as resources are declared (for a progress line). */
  readonly onProgress?: (declared: number) => void;
  /**
   * Run the SDK's deployment-only bookkeeping too: a stack trace, label and leak-report entry per
   * promise, a stack per resource, and an Output for every declared property before anything reads
   * it. Nothing under mocks reads them and the plan is the same either way; off, a plan takes about
   * a third of the time and half of the memory.
   * @default false
   */
  readonly deploymentBookkeeping?: boolean;
}

// Pulumi's runtime is process-global: runs are queued, never interleaved.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs a program under Pulumi's mocks, as `pulumi up` would run it, and returns what it declared.
 * Config comes from the stack file (secure values become secret placeholders); provider outputs the
 * program reads are synthesized deterministically; an invoke without a synthesizer fails with its
 * token. Resolves once every resource, including those declared inside `apply`, is registered.
 */
export function runProgram(program: Program, options: RunOptions = {}): Promise<Plan> {
  const run = queue.then(() => runExclusive(program, options));
  queue = run.catch(() => undefined);
  return run;
}

interface Recorder {
  readonly resources: PlannedResource[];
  readonly errors: Error[];
  /** Outputs registered by components and the stack, by URN. */
  readonly registeredOutputs: Map<string, Record<string, unknown>>;
  readonly seen: Set<string>;
  pending: number;
}

async function runExclusive(program: Program, options: RunOptions): Promise<Plan> {
  const cwd = process.cwd();
  const projectFile = readProjectFile(cwd) ?? {};
  const project = options.project ?? projectFile.name ?? "project";
  const stack = options.stack ?? "test";
  const stackDir = options.stackDir ?? path.resolve(cwd, projectFile.stackConfigDir ?? ".");

  let raw: Record<string, unknown> = {};
  if (options.stackFile !== undefined) raw = readStackFile(options.stackFile);
  else if (options.stack !== undefined) {
    const inline = options.config !== undefined;
    const file = path.join(stackDir, `Pulumi.${options.stack}.yaml`);
    if (!inline || fs.existsSync(file)) raw = readStackFile(stackFilePath(stackDir, options.stack));
  }
  const fromFile = toEngineConfig(project, raw);
  const overrides = toEngineConfig(project, { ...(options.config ?? {}) });
  const values = { ...fromFile.values, ...overrides.values };
  const secretKeys = [...new Set([...fromFile.secretKeys, ...overrides.secretKeys])];

  const ctx: SynthContext = {
    project,
    stack,
    gcpProject: values["gcp:project"] ?? `${project}-${stack}`,
    gcpRegion: values["gcp:region"] ?? "us-central1",
  };
  const resourceSynths = { ...defaultResourceSynthesizers, ...(options.resourceOutputs ?? {}) };
  const invokeSynths = { ...defaultInvokeSynthesizers, ...(options.invokes ?? {}) };

  const recorder: Recorder = {
    resources: [],
    errors: [],
    registeredOutputs: new Map(),
    seen: new Set(),
    pending: 0,
  };
  const preview = options.preview === true || options.preview === "engine";
  const enginePreview = options.preview === "engine";
  const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
      if (args.type === "pulumi:pulumi:StackReference") {
        return stackReferenceState(String(args.id ?? args.inputs["name"]), options.stackReferences);
      }
      // A preview gets inputs back and nothing the provider computes: the SDK makes those unknown.
      if (args.custom === false || (preview && !enginePreview)) {
        return { id: undefined, state: args.inputs };
      }
      const synthArgs = {
        type: args.type,
        name: args.name,
        inputs: revealSecrets(toPlanValue(args.inputs)) as Record<string, unknown>,
        ctx,
        ...(args.provider ? { provider: args.provider } : {}),
      };
      const result = (resourceSynths[args.type] ?? fallbackResource)(synthArgs);
      if (enginePreview) return { id: undefined, state: previewState(args, result.state ?? {}) };
      return {
        id: result.id ?? fallbackResource(synthArgs).id,
        // Inputs come back as given (secret ones still secret); synthesis only adds what the
        // provider computes.
        state: { ...(result.state ?? {}), ...args.inputs },
      };
    },
    call(args) {
      const synth = invokeSynths[args.token];
      if (!synth) {
        throw rpcError(
          `offline engine: no result for invoke '${args.token}'; pass one in runProgram's \`invokes\` option`,
        );
      }
      return synth(revealSecrets(toPlanValue(args.inputs)) as Record<string, unknown>, ctx);
    },
  };

  pulumi.runtime.setAllConfig(values, secretKeys);
  await pulumi.runtime.setMocks(mocks, project, stack, preview);
  instrumentMonitor(recorder, options.onProgress);
  const restoreSdk = options.deploymentBookkeeping ? () => undefined : skipDeploymentBookkeeping();

  let programError: unknown;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  // A failing program also rejects Pulumi's internal promises. Those rejections belong to this
  // run's error, so the test runner's own handlers must not see them as stray failures.
  const others = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", onRejection);
  try {
    try {
      await pulumi.runtime.runInPulumiStack(async () => program());
    } catch (err) {
      programError = err;
    }
    await settle(recorder, options.timeoutMs ?? 60_000);
  } finally {
    restoreSdk();
    process.off("unhandledRejection", onRejection);
    for (const listener of others) process.on("unhandledRejection", listener);
  }
  const failure = programError ?? recorder.errors[0] ?? rejections[0];
  if (failure !== undefined) throw withDeclared(failure, recorder);

  const providerConfig: Record<string, Record<string, string>> = {};
  for (const [key, value] of Object.entries(values)) {
    const [pkg, name] = key.split(":");
    if (pkg === undefined || name === undefined || pkg === project) continue;
    // The engine hands a default provider its package's config, secrets included (as secrets).
    (providerConfig[pkg] ??= {})[name] = value;
  }
  return new Plan({
    project,
    stack,
    providerConfig,
    resources: recorder.resources.filter((r) => r !== undefined),
    outputs: recorder.registeredOutputs.get(stackUrn(recorder)) ?? {},
    ...(preview ? { preview } : {}),
  });
}

/**
 * A resource being created, as the engine previews it: the inputs after the provider's Check
 * (which fills an auto-name), and every other output the provider would compute unknown. Which
 * outputs a provider computes is what the offline engine synthesizes for `up`.
 */
function previewState(
  args: pulumi.runtime.MockResourceArgs,
  computed: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const key of Object.keys(computed)) {
    if (key in args.inputs) continue;
    state[key] =
      autoNamedProperties.get(args.type) === key ? computed[key] : pulumi.runtime.unknownValue;
  }
  return { ...state, ...args.inputs };
}

/**
 * What the engine reads for `new pulumi.StackReference(name)`: the referenced stack's outputs, and
 * which of them are secret (the SDK keeps those secret in `getOutput`/`requireOutput`).
 */
function stackReferenceState(
  name: string,
  references: RunOptions["stackReferences"],
): { id: string; state: Record<string, unknown> } {
  const outputs = references?.[name];
  if (outputs === undefined) {
    const known = Object.keys(references ?? {});
    throw rpcError(
      `offline engine: no outputs for stack reference '${name}'; pass them in runProgram's \`stackReferences\` option (known: ${known.length > 0 ? known.join(", ") : "none"})`,
    );
  }
  const wire: Record<string, unknown> = {};
  const secretOutputNames: string[] = [];
  for (const [key, value] of Object.entries(outputs)) {
    if (value instanceof Secret) {
      secretOutputNames.push(key);
      wire[key] = {
        [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
        value: value.value,
      };
    } else wire[key] = value;
  }
  return { id: name, state: { name, outputs: wire, secretOutputNames } };
}

/** Pulumi's runtime reports an RPC error's `details`, so errors from mocks carry both. */
function rpcError(message: string): Error {
  return Object.assign(new Error(message), { details: message });
}

function stackUrn(recorder: Recorder): string {
  return recorder.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
}

/**
 * The error a failed run rejects with, carrying what had been declared before it failed (as
 * `declared`), so a test can check that bad input declared nothing.
 */
function withDeclared(err: unknown, recorder: Recorder): unknown {
  if (typeof err === "object" && err !== null && Object.isExtensible(err)) {
    Object.defineProperty(err, "declared", {
      value: recorder.resources.filter((r) => r !== undefined),
      enumerable: false,
      configurable: true,
    });
  }
  return err;
}

/** What a failed run had declared before it failed (empty when unknown). */
export function declaredBeforeFailure(err: unknown): readonly PlannedResource[] {
  const declared = (err as { declared?: unknown } | null)?.declared;
  return Array.isArray(declared) ? (declared as PlannedResource[]) : [];
}

async function settle(recorder: Recorder, timeoutMs: number): Promise<void> {
  const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> })
    .waitForRPCs;
  const deadline = Date.now() + timeoutMs;
  let stableRounds = 0;
  let lastCount = -1;
  while (stableRounds < 3) {
    if (Date.now() > deadline) {
      throw new Error(
        `offline engine: resources were still being registered after ${timeoutMs} ms`,
      );
    }
    if (waitForRPCs) await waitForRPCs();
    await new Promise((resolve) => setImmediate(resolve));
    const count = recorder.resources.length;
    stableRounds = recorder.pending === 0 && count === lastCount ? stableRounds + 1 : 0;
    lastCount = count;
  }
}

function instrumentMonitor(recorder: Recorder, onProgress?: (declared: number) => void): void {
  const monitor = mockMonitor();
  // Components claim the names they derive per run (components/shared/claims.ts): mark this run's
  // monitor so its claims start empty.
  (monitor as unknown as Record<symbol, boolean>)[engineRunMark] = true;
  const original = monitor.registerResource.bind(monitor);
  // The mock monitor keys its own bookkeeping by the URNs it makes, so making them the engine's
  // makes every URN the SDK sees (resource.urn, parents, dependencies) the engine's too.
  monitor.newUrn = engineUrn;
  monitor.registerResourceOutputs = (req, callback) => {
    recorder.registeredOutputs.set(req.getUrn(), deserialize(req.getOutputs()));
    const stored = monitor.resources.get(req.getUrn());
    if (stored) stored.state = req.getOutputs();
    callback(null, {});
  };
  monitor.registerResource = async (req: RegisterRequest, callback: Callback) => {
    recorder.pending++;
    const parent = req.getParent() || undefined;
    const urn = engineUrn(parent ?? "", req.getType(), req.getName());
    if (monitor.resources.has(urn) || recorder.seen.has(urn)) {
      recorder.pending--;
      const err = rpcError(`Duplicate resource URN '${urn}'; try giving it a unique name`);
      recorder.errors.push(err);
      callback(err, undefined);
      return;
    }
    recorder.seen.add(urn);
    // Keep declaration order (the order `pulumi preview` lists), not completion order.
    const slot = recorder.resources.length;
    recorder.resources.push(undefined as unknown as PlannedResource);
    onProgress?.(slot + 1);
    await original(req, (err, response) => {
      recorder.pending--;
      if (err) {
        recorder.errors.push(err instanceof Error ? err : new Error(String(err)));
      } else {
        recorder.resources[slot] = record(req, urn, parent, response as RegisterResponse);
      }
      callback(err, response);
    });
  };
}

function record(
  req: RegisterRequest,
  urn: string,
  parent: string | undefined,
  response: RegisterResponse,
): PlannedResource {
  const type = req.getType();
  const inputs = deserialize(req.getObject());
  // The real engine records the inputs the provider's Check returned: kept beside the program's.
  const checked = isCheckedKubernetesType(type, req.getCustom())
    ? kubernetesCheck(type, inputs)
    : type.startsWith("pulumi:providers:")
      ? providerInputs(req, inputs)
      : inputs;
  const checkedInputs = JSON.stringify(checked) === JSON.stringify(inputs) ? undefined : checked;
  const outputs = markSecretOutputs(
    deserialize(response.getObject()),
    req.getAdditionalsecretoutputsList(),
  );
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps, key) => {
    propertyDependencies[key] = deps.getUrnsList();
  });
  const id = response.getId();
  return {
    urn,
    type,
    name: req.getName(),
    custom: req.getCustom(),
    ...(parent ? { parent } : {}),
    inputs,
    ...(checkedInputs ? { checkedInputs } : {}),
    outputs,
    ...(id ? { id } : {}),
    ...(req.getProvider()
      ? { provider: req.getProvider().split("::").slice(0, -1).join("::") }
      : req.getCustom() && !type.startsWith("pulumi:providers:")
        ? { defaultProvider: defaultProviderUrn(urn, type, req) }
        : {}),
    protect: req.getProtect() === true,
    dependsOn: req.getDependenciesList(),
    propertyDependencies,
    deleteBeforeReplace: req.getDeletebeforereplace(),
    retainOnDelete: req.getRetainondelete() === true,
    aliases: [
      ...req.getAliasurnsList(),
      ...req.getAliasesList().map((a) => (a.hasUrn() ? a.getUrn() : JSON.stringify(a.toObject()))),
    ],
    ignoreChanges: req.getIgnorechangesList(),
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    ...customTimeoutsOf(req),
  };
}

/**
 * The default provider the engine registers for a custom resource without an explicit one, named
 * from the package and the version the SDK asked for (pulumi/pulumi pkg/resource/deploy/providers/
 * provider.go, ProviderRequest.DefaultName: `default_<major>_<minor>_<patch>`, then each
 * prerelease and build part, then the plugin download URL as a QName).
 */
export function defaultProviderUrn(urn: string, type: string, req: RegisterRequest): string {
  const [prefix, project] = urn.split("::");
  const pkg = type.split(":")[0];
  let name = "default";
  const version = /^v?(\d+)\.(\d+)\.(\d+)(?:-([^+]*))?(?:\+(.*))?$/.exec(req.getVersion());
  if (version) {
    const [, major, minor, patch, pre, build] = version;
    name += `_${major}_${minor}_${patch}`;
    for (const part of pre ? pre.split(".") : []) name += `_${part}`;
    for (const part of build ? build.split(".") : []) name += `_${part}`;
  }
  const url = req.getPlugindownloadurl();
  if (url) name += `_${url.replace(/[^A-Za-z0-9_.]/g, "_")}`;
  return `${prefix}::${project}::pulumi:providers:${pkg}::${name}`;
}

/**
 * An explicit provider's inputs as the engine records them: the resource monitor adds the plugin
 * version the SDK asked for as `version`, and an `__internal` map for its own keys (the download
 * URL when given) (pulumi/pulumi pkg/resource/deploy/providers/registry.go: SetProviderVersion,
 * SetProviderURL).
 */
function providerInputs(
  req: RegisterRequest,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const version = req.getVersion();
  const url = req.getPlugindownloadurl();
  if (!version && !url) return inputs;
  return {
    ...inputs,
    __internal: url ? { pluginDownloadURL: url } : {},
    ...(version ? { version } : {}),
  };
}

/**
 * The URN the Pulumi engine gives a resource: the parent's qualified type chain, `$`, the type,
 * except that children of the root stack carry no `pulumi:pulumi:Stack$` prefix (the SDK's own
 * `createUrn` follows the same rule).
 */
export function engineUrn(parent: string, type: string, name: string): string {
  let qualified = type;
  if (parent) {
    const parentType = parent.split("::").slice(2, -1).join("::");
    if (parentType !== "pulumi:pulumi:Stack") qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

function deserialize(struct: unknown): Record<string, unknown> {
  if (!struct) return {};
  const props = pulumi.runtime.deserializeProperties(struct as never) as Record<string, unknown>;
  const out = toPlanValue(props) as Record<string, unknown>;
  // Two things the SDK's deserialization does that the engine does not, so those properties are
  // taken from the wire instead: it keeps an asset's or archive's contents behind a promise
  // (which would leave `{ __pulumiArchive: true, assets: {} }`), and it lifts a secret nested in
  // an object or list to the whole value (`{ serviceKey: secret }` would become one secret
  // object), where the engine's preview and state keep the secret where it was sent.
  const wire = (struct as { toJavaScript(): Record<string, unknown> }).toJavaScript();
  for (const [key, value] of Object.entries(wire)) {
    if (needsWireForm(value, true)) out[key] = wirePlanValue(value);
  }
  return out;
}

const assetSigs: readonly unknown[] = [
  pulumi.runtime.specialAssetSig,
  pulumi.runtime.specialArchiveSig,
];

/** An asset or archive anywhere in the value, or a secret below its top. */
function needsWireForm(value: unknown, top: boolean): boolean {
  if (Array.isArray(value)) return value.some((v) => needsWireForm(v, false));
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  const sig = record[pulumi.runtime.specialSigKey];
  if (assetSigs.includes(sig)) return true;
  if (sig === pulumi.runtime.specialSecretSig) return !top || needsWireForm(record["value"], false);
  if (sig !== undefined) return false;
  return Object.values(record).some((v) => needsWireForm(v, false));
}

/**
 * A wire value as the plan records it and the engine's state holds it: secrets where they were
 * sent; an asset as `{ __pulumiAsset, text, hash }` (or `path` / `uri`), the hash the SHA-256 of
 * the text the engine adds; an archive as `{ __pulumiArchive, assets }` (or `path` / `uri`)
 * (pulumi/pulumi sdk/go/common/resource/asset). The archive's own hash, the engine's SHA-256 of
 * its tar serialization, is not recorded: its contents decide it.
 */
function wirePlanValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wirePlanValue);
  if (value === pulumi.runtime.unknownValue) return unknownValue;
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  const sig = record[pulumi.runtime.specialSigKey];
  if (sig === pulumi.runtime.specialSecretSig) return new Secret(wirePlanValue(record["value"]));
  const pick = (keys: readonly string[]) =>
    Object.fromEntries(
      keys.filter((k) => record[k] !== undefined).map((k) => [k, wirePlanValue(record[k])]),
    );
  if (sig === pulumi.runtime.specialAssetSig) {
    const text = record["text"];
    return {
      __pulumiAsset: true,
      ...pick(["path", "uri", "text"]),
      ...(typeof text === "string"
        ? { hash: crypto.createHash("sha256").update(text).digest("hex") }
        : {}),
    };
  }
  if (sig === pulumi.runtime.specialArchiveSig) {
    return { __pulumiArchive: true, ...pick(["path", "uri", "assets"]) };
  }
  if (sig !== undefined) {
    // Anything else (a resource reference, an output value) as the SDK deserializes it.
    const props = pulumi.runtime.deserializeProperties({
      fields: {},
      toJavaScript: () => ({ v: value }),
    } as never) as Record<string, unknown>;
    return toPlanValue(props["v"]);
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, wirePlanValue(v)]));
}

/** The engine marks a resource's `additionalSecretOutputs` secret, whatever the provider returns. */
function markSecretOutputs(
  outputs: Record<string, unknown>,
  additionalSecretOutputs: readonly string[],
): Record<string, unknown> {
  const out = { ...outputs };
  for (const key of additionalSecretOutputs) {
    if (out[key] !== undefined && !(out[key] instanceof Secret)) out[key] = new Secret(out[key]);
  }
  return out;
}

/** Converts Pulumi's wire forms to plan values: secrets become `Secret`, resources their URN. */
function toPlanValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlanValue);
  if (pulumi.isUnknown(value)) return unknownValue;
  if (pulumi.Resource.isInstance(value)) return { urn: "[resource]" };
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
      return new Secret(toPlanValue(record["value"]));
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) {
      if (v !== undefined) out[k] = toPlanValue(v);
    }
    return out;
  }
  return value;
}
