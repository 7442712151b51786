import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Plan } from "./assertions";
import { Secret, revealSecrets } from "./plan";
import type { PlannedResource } from "./plan";
import { readProjectFile, readStackFile, stackFilePath, toEngineConfig } from "./stack-file";
import {
  defaultInvokeSynthesizers,
  defaultResourceSynthesizers,
  fallbackResource,
} from "./synthesize";
import type { InvokeSynthesizer, ResourceSynthesizer, SynthContext } from "./synthesize";

/** A Pulumi program: declares resources, may return stack outputs. */
export type Program = () => unknown;

export interface RunOptions {
  /** Stack name; its `Pulumi.<stack>.yaml` in `stackDir` supplies the config. @default "test" with no stack file */
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
  else if (options.stack !== undefined) raw = readStackFile(stackFilePath(stackDir, options.stack));
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
    pending: 0,
  };
  const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
      if (args.custom === false) return { id: undefined, state: args.inputs };
      const synthArgs = {
        type: args.type,
        name: args.name,
        inputs: revealSecrets(toPlanValue(args.inputs)) as Record<string, unknown>,
        ctx,
        ...(args.provider ? { provider: args.provider } : {}),
      };
      const result = (resourceSynths[args.type] ?? fallbackResource)(synthArgs);
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
  await pulumi.runtime.setMocks(mocks, project, stack, false);
  instrumentMonitor(recorder);

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
    process.off("unhandledRejection", onRejection);
    for (const listener of others) process.on("unhandledRejection", listener);
  }
  const failure = programError ?? recorder.errors[0] ?? rejections[0];
  if (failure !== undefined) throw withDeclared(failure, recorder);

  return new Plan({
    project,
    stack,
    resources: recorder.resources.filter((r) => r !== undefined),
    outputs: recorder.registeredOutputs.get(stackUrn(recorder)) ?? {},
  });
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

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): unknown;
  getProtect(): boolean | undefined;
  getDependenciesList(): string[];
  getProvider(): string;
  getDeletebeforereplace(): boolean;
  getRetainondelete(): boolean | undefined;
  getAliasesList(): { hasUrn(): boolean; getUrn(): string; toObject(): unknown }[];
  getAliasurnsList(): string[];
  getIgnorechangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
}

type Callback = (err: unknown, response: unknown) => void;

interface MockMonitorLike {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  registerResourceOutputs(
    req: { getUrn(): string; getOutputs(): unknown },
    callback: Callback,
  ): void;
  resources: Map<string, { urn: string; id: string | null; state: unknown }>;
}

function instrumentMonitor(recorder: Recorder): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorLike;
  const original = monitor.registerResource.bind(monitor);
  const seen = new Set<string>();
  const originalOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, callback) => {
    recorder.registeredOutputs.set(req.getUrn(), deserialize(req.getOutputs()));
    originalOutputs(req, callback);
  };
  monitor.registerResource = async (req, callback) => {
    recorder.pending++;
    const parent = req.getParent() || undefined;
    const urn = urnFor(parent, req.getType(), req.getName());
    if (seen.has(urn)) {
      recorder.pending--;
      const err = rpcError(`Duplicate resource URN '${urn}'; try giving it a unique name`);
      recorder.errors.push(err);
      callback(err, undefined);
      return;
    }
    seen.add(urn);
    // Keep declaration order (the order `pulumi preview` lists), not completion order.
    const slot = recorder.resources.length;
    recorder.resources.push(undefined as unknown as PlannedResource);
    await original(req, (err, response) => {
      recorder.pending--;
      if (err) {
        recorder.resources.splice(slot, 1, undefined as unknown as PlannedResource);
        recorder.errors.push(err instanceof Error ? err : new Error(String(err)));
      } else {
        const stored = monitor.resources.get(urn);
        const inputs = deserialize(req.getObject());
        const outputs = markSecretOutputs(
          stored ? deserializeState(stored.state) : inputs,
          req.getAdditionalsecretoutputsList(),
        );
        recorder.resources[slot] = {
          urn,
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          ...(parent ? { parent } : {}),
          inputs,
          outputs,
          ...(stored?.id ? { id: stored.id } : {}),
          ...(req.getProvider()
            ? { provider: req.getProvider().split("::").slice(0, -1).join("::") }
            : {}),
          protect: req.getProtect() === true,
          dependsOn: req.getDependenciesList(),
          deleteBeforeReplace: req.getDeletebeforereplace(),
          retainOnDelete: req.getRetainondelete() === true,
          aliases: [
            ...req.getAliasurnsList(),
            ...req
              .getAliasesList()
              .map((a) => (a.hasUrn() ? a.getUrn() : JSON.stringify(a.toObject()))),
          ],
          ignoreChanges: req.getIgnorechangesList(),
          additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        };
      }
      callback(err, response);
    });
  };
}

/** The URN the engine gives a resource (same scheme as Pulumi's mock monitor). */
function urnFor(parent: string | undefined, type: string, name: string): string {
  let qualified = type;
  if (parent) {
    const parentType = parent.split("::")[2]?.split("$").pop();
    qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

function deserialize(struct: unknown): Record<string, unknown> {
  if (!struct) return {};
  const props = pulumi.runtime.deserializeProperties(struct as never) as Record<string, unknown>;
  return toPlanValue(props) as Record<string, unknown>;
}

function deserializeState(state: unknown): Record<string, unknown> {
  // The mock monitor stores serialized state: deserialize it the same way as inputs.
  const props: Record<string, unknown> = {};
  if (state && typeof state === "object") {
    for (const [k, v] of Object.entries(state)) {
      if (v !== undefined) props[k] = pulumi.runtime.deserializeProperty(v);
    }
  }
  return toPlanValue(props) as Record<string, unknown>;
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
