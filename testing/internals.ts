// Every place where the offline engine reaches past @pulumi/pulumi's public API, in one file.
// Each internal is named in INTERNALS; `probeInternals()` checks them all, and
// scripts/pulumi-compat.sh runs that probe (and the engine's tests) against the newest 3.x
// release, so a release that moves one fails CI naming it instead of breaking users at run time.
import * as pulumi from "@pulumi/pulumi";

/** The mock monitor `pulumi.runtime.setMocks` installs, as far as the engine relies on it. */
export interface MockMonitorLike {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  registerResourceOutputs(
    req: { getUrn(): string; getOutputs(): unknown },
    callback: Callback,
  ): void;
  newUrn(parent: string, type: string, name: string): string;
  resources: Map<string, { urn: string; id: string | null; state: unknown }>;
}

export type Callback = (err: unknown, response: unknown) => void;

/** The generated protobuf getters of `RegisterResourceRequest` the recorder reads. */
export interface RegisterRequest {
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
  getCustomtimeouts():
    { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
  getPropertydependenciesMap(): {
    forEach(fn: (deps: { getUrnsList(): string[] }, key: string) => void): void;
  };
  getVersion(): string;
  getPlugindownloadurl(): string;
}

export interface RegisterResponse {
  getUrn(): string;
  setUrn(urn: string): void;
  getId(): string;
  getObject(): unknown;
}

interface DebuggableModule {
  debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown>;
}

interface ResourceStatics {
  callsites: () => unknown[];
}

/** What `resolveProperties` calls per property once the provider answers. */
type PropertyResolver = (
  value: unknown,
  isKnown: boolean,
  isSecret: boolean,
  deps?: unknown[],
  err?: unknown,
) => void;

interface RpcModule {
  transferProperties: (
    onto: object,
    label: string,
    props: Record<string, unknown>,
  ) => Record<string, PropertyResolver>;
}

interface OutputModule {
  /** The SDK's `OutputImpl`: `new Output(resources, value, isKnown, isSecret, allResources)`. */
  Output: new (
    resources: unknown,
    value: Promise<unknown>,
    isKnown: Promise<unknown>,
    isSecret: Promise<unknown>,
    allResources: Promise<unknown>,
  ) => unknown;
}

interface ErrorsModule {
  isGrpcError: (err: unknown) => boolean;
}

/* eslint-disable @typescript-eslint/no-require-imports -- the SDK's own modules, by path */
const debuggableModule = (): DebuggableModule =>
  require("@pulumi/pulumi/runtime/debuggable") as DebuggableModule;
const rpcModule = (): RpcModule => require("@pulumi/pulumi/runtime/rpc") as RpcModule;
const outputModule = (): OutputModule => require("@pulumi/pulumi/output") as OutputModule;
const errorsModule = (): ErrorsModule => require("@pulumi/pulumi/errors") as ErrorsModule;
/* eslint-enable @typescript-eslint/no-require-imports */

/** The internals, each with what the engine uses it for (printed when one has moved). */
export const INTERNALS: readonly { readonly name: string; readonly check: () => boolean }[] = [
  {
    name: "runtime.getMonitor() after setMocks: a MockMonitor with registerResource, registerResourceOutputs, newUrn and resources (recording, engine URNs)",
    check: () => {
      const m = pulumi.runtime.getMonitor() as unknown as Partial<MockMonitorLike> | undefined;
      return (
        typeof m?.registerResource === "function" &&
        typeof m.registerResourceOutputs === "function" &&
        typeof m.newUrn === "function" &&
        m.resources instanceof Map
      );
    },
  },
  {
    name: "@pulumi/pulumi/runtime/debuggable.debuggablePromise, a writable export (skipping per-promise stack capture)",
    check: () => {
      const mod = debuggableModule();
      const desc = Object.getOwnPropertyDescriptor(mod, "debuggablePromise");
      return typeof mod.debuggablePromise === "function" && desc?.writable === true;
    },
  },
  {
    name: "Resource.callsites, a private static method (skipping per-resource source positions)",
    check: () => typeof (pulumi.Resource as unknown as ResourceStatics).callsites === "function",
  },
  {
    name: "@pulumi/pulumi/runtime/rpc.transferProperties, a writable export the resource module calls through its module object (making Outputs on demand)",
    check: () => {
      const mod = rpcModule();
      const desc = Object.getOwnPropertyDescriptor(mod, "transferProperties");
      return typeof mod.transferProperties === "function" && desc?.writable === true;
    },
  },
  {
    name: "@pulumi/pulumi/output.Output, the OutputImpl class constructed as (resources, value, isKnown, isSecret, allResources), and errors.isGrpcError (making Outputs on demand)",
    check: () =>
      typeof outputModule().Output === "function" &&
      outputModule().Output.length === 5 &&
      typeof errorsModule().isGrpcError === "function",
  },
];

/**
 * Names every internal that is missing or changed shape. Call after `setMocks` (the monitor
 * check needs one installed). An empty list means this @pulumi/pulumi release is supported.
 */
export function probeInternals(): string[] {
  return INTERNALS.filter((i) => {
    try {
      return !i.check();
    } catch {
      return true;
    }
  }).map((i) => i.name);
}

/** The installed mock monitor, or a clear error naming the internal that moved. */
export function mockMonitor(): MockMonitorLike {
  const monitor = pulumi.runtime.getMonitor() as unknown as Partial<MockMonitorLike> | undefined;
  if (
    typeof monitor?.registerResource !== "function" ||
    typeof monitor.registerResourceOutputs !== "function" ||
    typeof monitor.newUrn !== "function" ||
    !(monitor.resources instanceof Map)
  ) {
    throw new Error(
      `offline engine: this @pulumi/pulumi release moved an internal taskstack relies on: ${INTERNALS[0]?.name ?? ""}; use a release in taskstack's peerDependencies range`,
    );
  }
  return monitor as MockMonitorLike;
}

type Deferred = {
  readonly promise: Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
};

function deferred(): Deferred {
  let resolve!: (value: unknown) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<unknown>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function defineValue(onto: object, key: string, value: unknown): void {
  Object.defineProperty(onto, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * `transferProperties` as the SDK does it, except that a property's Output is made when the
 * program first reads the property or when the provider's answer arrives, whichever comes first,
 * instead of up front. Until then a resource pending registration holds no Output, four promises
 * and a dozen closures per property it declares (a Pub/Sub subscription declares 24, and a
 * program reads two or three): that was most of a plan's memory. Each Output is built from the
 * same promises, wrapped the same way, so every `apply` runs on the same microtask turn as under
 * the SDK's own version, and resources register in the same order.
 */
function transferOnDemand(
  onto: object,
  label: string,
  props: Record<string, unknown>,
): Record<string, PropertyResolver> {
  const { Output } = outputModule();
  const { debuggablePromise } = debuggableModule();
  const { isGrpcError } = errorsModule();
  const resolvers: Record<string, PropertyResolver> = {};
  for (const key of Object.keys(props)) {
    // The SDK makes `id` and `urn` itself.
    if (key === "id" || key === "urn") continue;
    if (Object.prototype.hasOwnProperty.call(onto, key)) {
      throw new Error(`Property '${key}' is already initialized on target '${label}`);
    }
    // Made when the program reads the property before the provider answers.
    let waiting:
      { value: Deferred; isKnown: Deferred; isSecret: Deferred; deps: Deferred } | undefined;
    let settled = false;
    Object.defineProperty(onto, key, {
      enumerable: true,
      configurable: true,
      get() {
        waiting = {
          value: deferred(),
          isKnown: deferred(),
          isSecret: deferred(),
          deps: deferred(),
        };
        const output = new Output(
          onto,
          debuggablePromise(waiting.value.promise, label),
          debuggablePromise(waiting.isKnown.promise, label),
          debuggablePromise(waiting.isSecret.promise, label),
          debuggablePromise(waiting.deps.promise, label),
        );
        defineValue(onto, key, output);
        return output;
      },
      set(value: unknown) {
        defineValue(onto, key, value);
      },
    });
    resolvers[key] = (value, isKnown, isSecret, deps = [], err) => {
      // As the SDK does: a cancelled or unavailable engine leaves the property pending.
      if (settled || (err && isGrpcError(err))) return;
      settled = true;
      const answer = [value, isKnown, isSecret, deps];
      if (waiting !== undefined) {
        const parts = [waiting.value, waiting.isKnown, waiting.isSecret, waiting.deps];
        parts.forEach((part, i) => (err ? part.reject(err) : part.resolve(answer[i])));
        waiting = undefined;
        return;
      }
      const descriptor = Object.getOwnPropertyDescriptor(onto, key);
      // The program assigned the property itself: keep its value, as the SDK would.
      if (descriptor !== undefined && "value" in descriptor) return;
      const part = (i: number): Promise<unknown> =>
        debuggablePromise(err ? Promise.reject(err) : Promise.resolve(answer[i]), label);
      defineValue(onto, key, new Output(onto, part(0), part(1), part(2), part(3)));
    };
  }
  return resolvers;
}

const passThrough = (value: unknown): unknown => value;
const rethrow = (err: unknown): never => {
  throw err;
};

/**
 * Turns off what the SDK does for a real deployment only, for the length of a run:
 * - a formatted stack string, a label and a leak-report entry per internal promise;
 * - a full, unbounded stack per resource (for source positions `pulumi up` shows);
 * - an Output per declared property before anyone reads it (see `transferOnDemand`).
 * Under mocks nothing reads the first two, and the third only changes when memory is spent; together
 * they cost more than half of a plan's time and most of its memory. Promises keep the SDK's extra
 * `then`/`catch` turns, so callbacks and registrations happen in the order they do under the SDK.
 * Errors thrown by the program keep their stacks. Returns a function that restores all three.
 */
export function skipDeploymentBookkeeping(): () => void {
  const debuggable = debuggableModule();
  const rpc = rpcModule();
  const statics = pulumi.Resource as unknown as ResourceStatics;
  const originals = {
    debuggablePromise: debuggable.debuggablePromise,
    callsites: statics.callsites,
    transferProperties: rpc.transferProperties,
  };
  if (Object.values(originals).some((fn) => typeof fn !== "function")) return () => undefined;
  debuggable.debuggablePromise = (p) => p.then(passThrough).catch(rethrow);
  statics.callsites = () => [];
  rpc.transferProperties = transferOnDemand;
  return () => {
    debuggable.debuggablePromise = originals.debuggablePromise;
    statics.callsites = originals.callsites;
    rpc.transferProperties = originals.transferProperties;
  };
}
