// `pulumi up` of a stack's Kubernetes half against a real API server, then
// `pulumi preview --expect-no-changes`, with the real Pulumi CLI and engine and the real Kubernetes
// provider (server-side apply). scripts/kube-apiserver-up.sh starts the server and runs this:
//
//   tsx scripts/kube-up.ts STACK WORKDIR
//
// The program is the stack's own Kubernetes half (stacks/kubernetes.ts, what environment.ts
// declares), from stacks/Pulumi.<STACK>.yaml, through the Automation API's inline-program path:
// the Node.js language host cannot be built from the Go module proxy. The pulumi CLI and the
// providers come from PATH (the caller puts them there); KUBECONFIG names the server. State is a
// file backend in WORKDIR, secrets use the passphrase provider.
//
// Await logic: the server has no nodes, no scheduler and no controllers, so no pod ever starts, no
// Deployment or StatefulSet becomes ready and no Service gets endpoints; the provider's readiness
// checks would wait out their 10-minute timeouts. Every Kubernetes object here is declared with
// the provider's `pulumi.com/skipAwait: "true"` annotation, added by a resource transform in this
// program only (the provider has no provider-wide switch for it, pulumi-kubernetes#417), so the
// components and stacks stay as users run them. What the run still judges: the server accepts
// every object as the provider sends it (server-side apply, field manager, Pod Security), no
// warning comes back, and a second run finds nothing to change.
//
// Exit 0 when both pass, 1 otherwise, 2 on bad arguments.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { isTaskstackInputError } from "../components/shared/errors";
import { decodeConfigValues, parseStackConfig } from "../stacks/config";
import { declareKubernetes } from "../stacks/kubernetes";
import { readStackFile, stackFilePath, toEngineConfig } from "../testing/stack-file";

const root = path.join(__dirname, "..");
const usage = "usage: tsx scripts/kube-up.ts STACK WORKDIR";
const skipAwait = "pulumi.com/skipAwait";

/** Adds the skip-await annotation to a Kubernetes object's metadata. */
function withSkipAwait(props: pulumi.Inputs): pulumi.Inputs {
  const metadata = props["metadata"];
  if (metadata !== undefined && (typeof metadata !== "object" || metadata === null)) {
    throw new Error(`kube-up: expected metadata to be a mapping, got ${typeof metadata}`);
  }
  const m = (metadata ?? {}) as Record<string, unknown>;
  const annotations = (m["annotations"] ?? {}) as Record<string, unknown>;
  return { ...props, metadata: { ...m, annotations: { ...annotations, [skipAwait]: "true" } } };
}

async function main(argv: readonly string[]): Promise<number> {
  const [stackName, work, ...extra] = argv;
  if (stackName === undefined || work === undefined || extra.length > 0) {
    console.error(`kube-up: expected STACK and WORKDIR, got ${JSON.stringify(argv)}. ${usage}`);
    return 2;
  }
  let config;
  let file: string;
  try {
    // stackFilePath refuses a stack with no file, naming the ones there are.
    file = stackFilePath(path.join(root, "stacks"), stackName);
    const values = toEngineConfig("taskstack", readStackFile(file)).values;
    config = parseStackConfig(decodeConfigValues(values), path.relative(root, file));
  } catch (err) {
    if (!isTaskstackInputError(err)) throw err;
    console.error(`kube-up: ${err.problems.join("\n")}`);
    return 2;
  }
  if (config["taskstack:kubernetes"] === undefined) {
    console.error(
      `kube-up: ${path.relative(root, file)}: declares no taskstack:kubernetes section`,
    );
    return 2;
  }

  const program = async () => {
    pulumi.runtime.registerResourceTransform((args) =>
      args.custom && args.type.startsWith("kubernetes:")
        ? { props: withSkipAwait(args.props), opts: args.opts }
        : undefined,
    );
    return declareKubernetes(config);
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
  const stack = await LocalWorkspace.createStack(
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
  console.log(`kube-up ${stackName}: pulumi ${String(pulumiCommand.version)} from ${which}`);

  // Warnings the engine reports (the server's, relayed by the provider, among them) fail the run.
  const warnings: string[] = [];
  const onEvent = (e: EngineEvent) => {
    const d = e.diagnosticEvent;
    if (d !== undefined && (d.severity === "warning" || d.severity === "error")) {
      warnings.push(`${d.severity}: ${d.urn ?? ""} ${d.message.trim()}`);
    }
  };
  const onOutput = (text: string) => process.stdout.write(text);

  let failed = false;
  try {
    const up = await stack.up({ onOutput, onEvent, color: "never" });
    console.log(
      `kube-up ${stackName}: up ${up.summary.result}: ${JSON.stringify(up.summary.resourceChanges)}`,
    );
  } catch (err) {
    console.error(`kube-up ${stackName}: pulumi up failed: ${String(err)}`);
    return 1;
  }
  try {
    // A second run must find the objects as the first left them: a diff here is the provider and
    // the server disagreeing about a field (defaulting, field ownership, normalisation).
    const preview = await stack.preview({
      expectNoChanges: true,
      diff: true,
      onOutput,
      onEvent,
      color: "never",
    });
    console.log(
      `kube-up ${stackName}: preview --expect-no-changes: ${JSON.stringify(preview.changeSummary)}`,
    );
  } catch (err) {
    console.error(
      `kube-up ${stackName}: pulumi preview --expect-no-changes failed: ${String(err)}`,
    );
    failed = true;
  }
  if (warnings.length > 0) {
    console.error(
      `kube-up ${stackName}: ${warnings.length} warnings or errors:\n${warnings.join("\n")}`,
    );
    failed = true;
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
