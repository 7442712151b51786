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
  getPropertydependenciesMap(): {
    forEach(fn: (deps: { getUrnsList(): string[] }, key: string) => void): void;
  };
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

function debuggableModule(): DebuggableModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("@pulumi/pulumi/runtime/debuggable") as DebuggableModule;
}

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

const noStack = (): string => "";

/**
 * Turns off the stack capture the SDK does for a real deployment only: a formatted stack string
 * per internal promise (for leak reports) and a full, unbounded stack per resource (for source
 * positions the engine shows in `pulumi up` diagnostics). Under mocks nothing reads them, and they
 * cost more than half of a plan's time (more again when source maps are on). Errors thrown by the
 * program keep their stacks: only those two captures change. Returns a function that restores both.
 */
export function skipDeploymentStacks(): () => void {
  const mod = debuggableModule();
  const statics = pulumi.Resource as unknown as ResourceStatics;
  const originalPromise = mod.debuggablePromise;
  const originalCallsites = statics.callsites;
  if (typeof originalPromise !== "function" || typeof originalCallsites !== "function") {
    return () => undefined;
  }
  mod.debuggablePromise = (p, ctx) => {
    const limit = Error.stackTraceLimit;
    const prepare = Error.prepareStackTrace;
    Error.stackTraceLimit = 0;
    Error.prepareStackTrace = noStack;
    try {
      return originalPromise(p, ctx);
    } finally {
      Error.stackTraceLimit = limit;
      Error.prepareStackTrace = prepare;
    }
  };
  statics.callsites = () => [];
  return () => {
    mod.debuggablePromise = originalPromise;
    statics.callsites = originalCallsites;
  };
}
