// `pulumi up` of a stack's Kubernetes half against a real API server, then
// `pulumi preview --expect-no-changes` and `pulumi destroy`, with the real Pulumi CLI and engine
// and the real Kubernetes provider (server-side apply). scripts/kube-apiserver-up.sh starts the
// server and runs this:
//
//   tsx scripts/kube-up.ts STACK WORKDIR [MANIFESTS]
//
// MANIFESTS, when given, is the offline plan's out/<STACK>/manifests/: the objects the real run
// made must be exactly the objects it shows.
// The program is the stack's own Kubernetes half (stacks/kubernetes.ts, what environment.ts
// declares), from stacks/Pulumi.<STACK>.yaml, through the Automation API's inline-program path:
// the Node.js language host cannot be built from the Go module proxy. The pulumi CLI and the
// providers come from PATH (the caller puts them there); KUBECONFIG names the server and KUBECTL
// the kubectl to look objects up with. State is a file backend in WORKDIR, secrets use the
// passphrase provider; the engine's output goes to WORKDIR/<step>.log.
//
// Await logic. The server has no nodes, no scheduler and no controller manager: no pod ever
// starts, no Deployment or StatefulSet becomes ready, no Service gets endpoints, and no garbage
// collector removes the `foregroundDeletion` finalizer the provider's default (Foreground)
// deletion puts on an object. Left as they are, creates would wait out the provider's 10-minute
// readiness timeouts and deletes would never end. So this program, and only this program, adds two
// of the provider's annotations to every Kubernetes object it declares, by a resource transform
// (the components and stacks stay as users run them):
//   pulumi.com/skipAwait: "true"                    create and update return once the server
//                                                   has accepted the object (provider
//                                                   pkg/metadata/overrides.go, ReadyCondition)
//   pulumi.com/deletionPropagationPolicy: background  a delete is done when the server has
//                                                   removed the object (pkg/await/await.go,
//                                                   Deletion: Foreground unless annotated)
// The provider has no provider-wide switch for either (its config keys are in
// pkg/provider/provider.go, Configure; the annotation came with pulumi/pulumi-kubernetes#417, and
// #1421, open, asks for a global `kubernetes:skipAwait`). A Namespace is
// one of the kinds whose delete skipAwait also skips (allowsSkipAwaitWithDelete): with no
// namespace controller it stays Terminating, and the server is thrown away after.
// What the run judges: the server accepts every object as the provider sends it (server-side
// apply, field manager, validation, defaulting, Pod Security admission), no warning comes back,
// every object is on the server afterwards, a second run finds nothing to change, and destroy
// removes everything (or, where the stack protects its stateful resources, refuses).
//
// Exit 0 when every step passes, 1 otherwise, 2 on bad arguments.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parseAllDocuments } from "yaml";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { isTaskstackInputError } from "../components/shared/errors";
import { decodeConfigValues, parseStackConfig } from "../stacks/config";
import type { StackConfig } from "../stacks/config";
import { declareKubernetes } from "../stacks/kubernetes";
import { readStackFile, stackFilePath, toEngineConfig } from "../testing/stack-file";

const root = path.join(__dirname, "..");
const usage = "usage: tsx scripts/kube-up.ts STACK WORKDIR [MANIFESTS]";

/** The annotations a server without nodes or controllers needs (see the header). */
export const serverWithoutNodesAnnotations: Readonly<Record<string, string>> = {
  "pulumi.com/skipAwait": "true",
  "pulumi.com/deletionPropagationPolicy": "background",
};

/**
 * The engine's warnings about the tools of this run, not about the stack: the providers are
 * taken from PATH (PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION; the random provider is the
 * stand-in), and the Kubernetes provider is built from the only provider module the Go module
 * proxy serves, a pseudo-version (scripts/pulumi-tools.sh), so it does not report the release
 * the SDK asks for.
 */
const toolSetupWarnings: readonly RegExp[] = [
  /^using pulumi-resource-(kubernetes|random) from \$PATH at \S+$/,
  /^resource plugin kubernetes is expected to have version >=[\d.]+, but has 4\.0\.0-\d{14}-[0-9a-f]{12}; the wrong version may be on your path, or this may be a bug in the plugin$/,
];

/**
 * An Automation API CommandError as a reader wants it: the CLI's stderr and stdout once (not
 * again after ` err?: `), without the engine's notes on the tools, at most `lines` lines.
 */
function commandError(err: unknown, lines: number): string {
  const text = String(err);
  const cut = text.indexOf(" err?: ");
  return (cut >= 0 ? text.slice(0, cut) : text)
    .split("\n")
    .filter((l) => {
      const warning = /^warning: (.*)$/.exec(l);
      return warning === null || !toolSetupWarnings.some((re) => re.test(warning[1] ?? ""));
    })
    .slice(0, lines)
    .join("\n");
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !pulumi.Output.isInstance(v);

/**
 * A Kubernetes object's props with the annotations added to its metadata. Plain values stay plain
 * (so a preview shows what it showed before); metadata or annotations that are Outputs are merged
 * inside an apply.
 */
export function withAnnotations(
  props: pulumi.Inputs,
  added: Readonly<Record<string, string>>,
): pulumi.Inputs {
  const metadata: unknown = props["metadata"];
  if (metadata === undefined || isPlainObject(metadata)) {
    const m = metadata ?? {};
    const annotations: unknown = m["annotations"];
    if (annotations === undefined || isPlainObject(annotations)) {
      return { ...props, metadata: { ...m, annotations: { ...annotations, ...added } } };
    }
  }
  const merged = pulumi.output(metadata as pulumi.Input<Record<string, unknown>>).apply((m) => {
    if (m !== undefined && !isPlainObject(m)) {
      throw new Error(`kube-up: expected metadata to be a mapping, got ${typeof m}`);
    }
    const annotations = (m?.["annotations"] ?? {}) as Record<string, unknown>;
    return { ...m, annotations: { ...annotations, ...added } };
  });
  return { ...props, metadata: merged };
}

/** One Kubernetes object the state holds, as kubectl names it. */
interface StateObject {
  readonly urn: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly custom?: boolean;
  readonly protect?: boolean;
  readonly outputs?: {
    readonly apiVersion?: string;
    readonly kind?: string;
    readonly metadata?: { readonly name?: string; readonly namespace?: string };
  };
}

function stateResources(deployment: unknown): StateResource[] {
  return (deployment as { resources?: StateResource[] }).resources ?? [];
}

function kubernetesObjectsInState(deployment: unknown): StateObject[] {
  return stateResources(deployment)
    .filter((r) => r.custom === true && r.type.startsWith("kubernetes:"))
    .map((r) => ({
      urn: r.urn,
      apiVersion: String(r.outputs?.apiVersion),
      kind: String(r.outputs?.kind),
      namespace: r.outputs?.metadata?.namespace,
      name: String(r.outputs?.metadata?.name),
    }));
}

const identity = (o: Omit<StateObject, "urn">) =>
  `${o.apiVersion} ${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`;

/** The objects in a folder of manifests (one or more YAML documents per file). */
function objectsInManifests(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8"))) {
      const o = doc.toJS() as {
        apiVersion?: string;
        kind?: string;
        metadata?: { name?: string; namespace?: string };
      } | null;
      if (o === null) continue;
      found.set(
        identity({
          apiVersion: String(o.apiVersion),
          kind: String(o.kind),
          namespace: o.metadata?.namespace,
          name: String(o.metadata?.name),
        }),
        file,
      );
    }
  }
  return found;
}

/** The objects of the list that `kubectl get` does not find on the server, with its message. */
function missingOnServer(objects: readonly StateObject[]): string[] {
  const kubectl = process.env["KUBECTL"] ?? "kubectl";
  const missing: string[] = [];
  for (const o of objects) {
    // One object per call: `kubectl get -f` stops at the first it cannot find.
    const manifest = JSON.stringify({
      apiVersion: o.apiVersion,
      kind: o.kind,
      metadata: { name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}) },
    });
    const run = spawnSync(kubectl, ["get", "-f", "-", "-o", "name"], {
      input: manifest,
      encoding: "utf8",
    });
    if (run.status !== 0) missing.push(`${o.urn}: ${(run.stderr || run.stdout).trim()}`);
  }
  return missing;
}

async function main(argv: readonly string[]): Promise<number> {
  const [stackName, work, manifests, ...extra] = argv;
  if (stackName === undefined || work === undefined || extra.length > 0) {
    console.error(
      `kube-up: expected STACK, WORKDIR and optionally MANIFESTS, got ${JSON.stringify(argv)}. ${usage}`,
    );
    return 2;
  }
  if (manifests !== undefined && !fs.existsSync(manifests)) {
    console.error(`kube-up: MANIFESTS: ${manifests}: expected a folder of manifests, found none`);
    return 2;
  }
  let config: StackConfig;
  let file: string;
  try {
    // stackFilePath refuses a stack with no file, naming the ones there are.
    file = stackFilePath(process.env["KUBE_UP_STACKS"] ?? path.join(root, "stacks"), stackName);
    const values = toEngineConfig("taskstack", readStackFile(file)).values;
    config = parseStackConfig(decodeConfigValues(values), path.relative(root, file));
  } catch (err) {
    if (!isTaskstackInputError(err)) throw err;
    console.error(`kube-up: ${err.problems.join("\n")}`);
    return 2;
  }
  if (config["taskstack:kubernetes"] === undefined) {
    console.error(
      `kube-up: ${path.relative(root, file)}: expected a taskstack:kubernetes section, found none`,
    );
    return 2;
  }

  const program = async () => {
    pulumi.runtime.registerResourceTransform((args) =>
      args.custom && args.type.startsWith("kubernetes:")
        ? { props: withAnnotations(args.props, serverWithoutNodesAnnotations), opts: args.opts }
        : undefined,
    );
    const outputs = declareKubernetes(config);
    // KUBE_UP_EXTRA: a module whose `declare()` adds objects beside the stack's (the tests'
    // fixtures: an object the server refuses, one it warns about, one a second run changes).
    const extraModule = process.env["KUBE_UP_EXTRA"];
    if (extraModule !== undefined) {
      const mod = (await import(path.resolve(extraModule))) as { declare?: () => void };
      if (typeof mod.declare !== "function") {
        throw new Error(`kube-up: KUBE_UP_EXTRA: ${extraModule}: expected it to export declare()`);
      }
      mod.declare();
    }
    return outputs;
  };

  const which = (process.env["PATH"] ?? "")
    .split(path.delimiter)
    .find((dir) => fs.existsSync(path.join(dir, "pulumi")));
  if (which === undefined) {
    console.error("kube-up: expected the pulumi CLI on PATH (scripts/pulumi-tools.sh builds it)");
    return 1;
  }
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(which) });
  fs.mkdirSync(path.join(work, "state"), { recursive: true });
  const stack: Stack = await LocalWorkspace.createStack(
    { stackName, projectName: "taskstack-kubernetes", program },
    {
      workDir: work,
      pulumiHome: path.join(work, "pulumi-home"),
      pulumiCommand,
      secretsProvider: "passphrase",
      projectSettings: {
        name: "taskstack-kubernetes",
        runtime: "nodejs",
        backend: { url: `file://${path.join(work, "state")}` },
      },
      envVars: {
        PULUMI_CONFIG_PASSPHRASE: `taskstack-kube-up-${stackName}`,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      },
    },
  );
  console.log(
    `kube-up ${stackName}: pulumi ${String(pulumiCommand.version)} (${which}), logs in ${work}`,
  );

  // Warnings and errors the engine reports (the server's, relayed by the provider, among them),
  // per step: any of them fails the run, except the engine's notes on how the tools were found,
  // which are printed once.
  let diagnostics: string[] = [];
  const noted = new Set<string>();
  const onEvent = (e: EngineEvent) => {
    const d = e.diagnosticEvent;
    if (d === undefined || (d.severity !== "warning" && d.severity !== "error")) return;
    const message = d.message.trim();
    if (d.severity === "warning" && toolSetupWarnings.some((re) => re.test(message))) {
      if (!noted.has(message)) console.log(`kube-up ${stackName}: noted: ${message}`);
      noted.add(message);
      return;
    }
    diagnostics.push(`${d.severity}: ${d.urn ?? ""} ${message}`);
  };
  const log = (step: string) => {
    const out = fs.createWriteStream(path.join(work, `${step}.log`));
    return { onOutput: (text: string) => out.write(text), close: () => out.end() };
  };
  // What the API server warned about since the last step (KUBE_WARNINGS, written by
  // scripts/kube-warnings-proxy.ts: the provider itself drops the server's warnings).
  const warningsFile = process.env["KUBE_WARNINGS"];
  let warningsRead = 0;
  let requestsRead = 0;
  /** Requests the proxy forwarded since the last call. */
  const newRequests = (): number => {
    if (warningsFile === undefined) return 0;
    const n = fs
      .readFileSync(`${warningsFile}.requests`, "utf8")
      .split("\n")
      .filter(Boolean).length;
    const fresh = n - requestsRead;
    requestsRead = n;
    return fresh;
  };
  const newServerWarnings = (): string[] => {
    if (warningsFile === undefined) return [];
    const lines = fs.readFileSync(warningsFile, "utf8").split("\n").filter(Boolean);
    const fresh = lines.slice(warningsRead);
    warningsRead = lines.length;
    return fresh.map((line) => {
      const w = JSON.parse(line) as { method: string; path: string; warning: string };
      return `server warning: ${w.method} ${w.path}: ${w.warning}`;
    });
  };
  if (warningsFile === undefined) {
    console.log(
      `kube-up ${stackName}: KUBE_WARNINGS is not set: the server's warnings are not seen (the provider drops them; scripts/kube-apiserver-up.sh records them)`,
    );
  }
  const failures: string[] = [];
  /** Runs one step; `offline` for a step that makes no request to the server. */
  const step = async (
    name: string,
    run: () => Promise<string>,
    offline = false,
  ): Promise<boolean> => {
    const started = Date.now();
    diagnostics = [];
    let line: string;
    let ok = true;
    try {
      line = await run();
    } catch (err) {
      ok = false;
      // The engine's own diagnostics name the resource and carry the server's message; the
      // command's error is the fallback.
      line = `FAIL: ${commandError(err, diagnostics.length > 0 ? 1 : 60)}`;
    }
    diagnostics.push(...newServerWarnings());
    const requests = newRequests();
    if (ok && !offline && warningsFile !== undefined && requests === 0) {
      ok = false;
      line = `FAIL: no request reached the server through the warnings proxy (${warningsFile})`;
    }
    if (diagnostics.length > 0) {
      line = `${ok ? "FAIL" : line}\n${diagnostics.length} warnings or errors:\n${diagnostics.join("\n")}`;
      ok = false;
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const seen = warningsFile === undefined ? "" : `, ${requests} requests`;
    console.log(`kube-up ${stackName}: ${name} (${seconds}s${seen}): ${line}`);
    if (!ok) failures.push(name);
    return ok;
  };

  // The steps after `up` need its objects; a warning fails `up` but does not stop them.
  let upRan = false;
  await step("up", async () => {
    const l = log("up");
    try {
      const r = await stack.up({ onOutput: l.onOutput, onEvent, color: "never" });
      upRan = true;
      return `${r.summary.result}: ${JSON.stringify(r.summary.resourceChanges)}`;
    } finally {
      l.close();
    }
  });
  if (!upRan) {
    console.log(`kube-up ${stackName}: FAILED: up (logs in ${work})`);
    return 1;
  }

  await step("objects on the server", async () => {
    const objects = kubernetesObjectsInState((await stack.exportStack()).deployment);
    if (objects.length === 0) throw new Error("the state holds no Kubernetes object");
    const missing = missingOnServer(objects);
    if (missing.length > 0) {
      throw new Error(`${missing.length} of ${objects.length} missing:\n${missing.join("\n")}`);
    }
    const kinds = new Map<string, number>();
    for (const o of objects) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
    const byKind = [...kinds]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, n]) => `${kind} ${n}`)
      .join(", ");
    return `all ${objects.length} Kubernetes objects of the state found by kubectl get (${byKind})`;
  });

  if (manifests !== undefined) {
    await step(
      `objects as the offline plan shows them (${manifests})`,
      async () => {
        const planned = objectsInManifests(manifests);
        const made = new Set(
          kubernetesObjectsInState((await stack.exportStack()).deployment).map(identity),
        );
        const problems = [
          ...[...planned]
            .filter(([id]) => !made.has(id))
            .map(([id, f]) => `planned, not made: ${id} (${f})`),
          ...[...made].filter((id) => !planned.has(id)).map((id) => `made, not planned: ${id}`),
        ];
        if (problems.length > 0) throw new Error(problems.join("\n"));
        return `the ${made.size} objects made are the ${planned.size} the plan shows`;
      },
      true,
    );
  }

  // A second run must find the objects as the first left them. Without --refresh the provider
  // diffs the program's inputs against the object the server returned when it applied them (kept in
  // the state): a diff is the server having changed a field we set (defaulting, normalisation of a
  // quantity or a list). With --refresh it first reads every object back from the server (the
  // provider's Read), so the diff is against what the server holds now, field ownership included.
  for (const refresh of [false, true]) {
    const name = `preview${refresh ? " --refresh" : ""} --expect-no-changes`;
    await step(name, async () => {
      const l = log(refresh ? "preview-refresh" : "preview");
      try {
        const r = await stack.preview({
          expectNoChanges: true,
          refresh,
          diff: true,
          onOutput: l.onOutput,
          onEvent,
          color: "never",
        });
        return `no changes: ${JSON.stringify(r.changeSummary)}`;
      } finally {
        l.close();
      }
    });
  }

  const protectedUrns = stateResources((await stack.exportStack()).deployment)
    .filter((r) => r.protect === true)
    .map((r) => r.urn);
  await step("destroy", async () => {
    const l = log("destroy");
    try {
      await stack.destroy({ onOutput: l.onOutput, color: "never" });
    } catch (err) {
      // A stack that protects its stateful resources (taskstack:deletionProtection) must refuse.
      if (protectedUrns.length > 0 && /protected/.test(String(err))) {
        return `refused, as the stack protects ${protectedUrns.length} resources (${protectedUrns.map((u) => u.split("::").pop()).join(", ")})`;
      }
      throw err;
    } finally {
      l.close();
    }
    if (protectedUrns.length > 0) {
      throw new Error(`destroy deleted ${protectedUrns.length} protected resources`);
    }
    const left = stateResources((await stack.exportStack()).deployment);
    if (left.length > 0) throw new Error(`${left.length} resources left in the state`);
    return "every resource deleted";
  });

  if (failures.length > 0) {
    console.log(`kube-up ${stackName}: FAILED: ${failures.join(", ")} (logs in ${work})`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
