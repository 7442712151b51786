// STAND-IN provider plugins for gcp, aws and random, for taskstack's real-engine CI
// (scripts/real-pulumi.sh). The real providers cannot be built here (each compiles a patched
// copy of its Terraform provider), so these speak the same provider protocol, through
// @pulumi/pulumi's provider support, as `pulumi-resource-gcp` / `-aws` / `-random` on PATH:
//
//   Check   the inputs, plus what the real provider fills in at check time (auto-names);
//   Diff    compares inputs: any changed input is a change (which ones force a replacement is
//           the real provider's schema knowledge, which a stand-in does not have);
//   Create  outputs synthesized by the same code the offline engine uses (testing/synthesize.ts
//           and its synth-* siblings), on top of the inputs;
//   GetSchema the SDK's resource tokens, without properties (./schema.ts);
//   preview no Create call at all (the plugin does not claim preview support), so the engine
//           hands the program its inputs back and every provider-computed output is unknown.
//
// They cannot catch anything the real cloud API would refuse. README.md, "The real engine in CI".
import { createRequire } from "node:module";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as provider from "@pulumi/pulumi/provider";
import { revealWire, standInCheck, standInCreate, standInDiff, standInInvoke } from "./stand-in";
import type { ProviderConfig } from "./stand-in";
import { standInSchema } from "./schema";

const packages = ["gcp", "aws", "random"] as const;
type StandInPackage = (typeof packages)[number];

function packageArg(value: string | undefined): StandInPackage {
  const found = packages.find((p) => p === value);
  if (!found) {
    process.stderr.write(
      `stand-in provider: first argument: expected one of ${packages.join(", ")}, got ${JSON.stringify(value)}\n`,
    );
    process.exit(2);
  }
  return found;
}

/** The version of the SDK package users install, which is the plugin version it asks for. */
function sdkVersion(pkg: StandInPackage): string {
  const manifest = require.resolve(`@pulumi/${pkg}/package.json`);
  return (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version;
}

const pkg = packageArg(process.argv[2]);
const config: ProviderConfig = { values: {} };
const oldInputs = new Map<string, Record<string, unknown> | undefined>();

// @pulumi/pulumi's provider server answers Configure without handing the provider its config,
// but gcp:project, gcp:region and an explicit provider's aws region decide real outputs. Read
// the variables on their way in, from the same grpc-js instance the server uses, and leave the
// server's answer as it is.
const grpc = createRequire(require.resolve("@pulumi/pulumi/provider"))(
  "@grpc/grpc-js",
) as typeof import("@grpc/grpc-js");
const addService = grpc.Server.prototype.addService;
grpc.Server.prototype.addService = function (service, implementation) {
  const impl = implementation as Record<string, unknown>;
  const configure = impl["configure"] as ((call: unknown, callback: unknown) => void) | undefined;
  if (configure) {
    impl["configure"] = (call: { request: ConfigureRequest }, callback: unknown) => {
      const values: Record<string, string> = {};
      for (const [key, value] of call.request.getVariablesMap().entries()) values[key] = value;
      config.values = values;
      pulumi.runtime.setAllConfig(values);
      configure.call(impl, call, callback);
    };
  }
  // Diff compares inputs with inputs, but the server hands the provider the old outputs: keep
  // the request's old inputs (the engine sends both) for standInDiff.
  const diff = impl["diff"] as ((call: unknown, callback: unknown) => Promise<void>) | undefined;
  if (diff) {
    impl["diff"] = (call: { request: DiffRequest }, callback: unknown) => {
      const old = call.request.getOldInputs();
      oldInputs.set(call.request.getUrn(), old ? old.toJavaScript() : undefined);
      return diff.call(impl, call, callback);
    };
  }
  return addService.call(this, service, implementation);
};

interface DiffRequest {
  getUrn(): string;
  getOldInputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}

interface ConfigureRequest {
  getVariablesMap(): { entries(): IterableIterator<[string, string]> };
}

const standIn: provider.Provider = {
  version: sdkVersion(pkg),
  check: async (urn, olds, news) => ({ inputs: standInCheck(urn, olds, news, config) }),
  diff: async (_id, urn, olds, news) => standInDiff(oldInputs.get(urn) ?? olds, news),
  create: async (urn, inputs) => standInCreate(urn, inputs, config),
  update: async (_id, urn, _olds, news) => ({ outs: standInCreate(urn, news, config).outs }),
  read: async (id, _urn, props) => ({ id, props: props as Record<string, unknown> }),
  delete: async () => undefined,
  invoke: async (token, inputs) => ({ outputs: standInInvoke(token, revealWire(inputs), config) }),
  getSchema: async () =>
    JSON.stringify(
      standInSchema(
        pkg,
        sdkVersion(pkg),
        path.dirname(require.resolve(`@pulumi/${pkg}/package.json`)),
      ),
    ),
};

process.title = `pulumi-resource-${pkg} (taskstack stand-in, ${path.basename(__filename)})`;
void provider.main(standIn, process.argv.slice(3));
