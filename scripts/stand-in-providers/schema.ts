// The schema a stand-in provider serves for GetSchema (what `pulumi package get-schema <pkg>` and
// the SDK generators ask a provider for). The real gcp, aws and random providers cannot be built
// here and their schemas are not shipped in any package this machine can install, so the stand-in
// names what the installed SDK itself declares: every resource token (each generated class's
// `__pulumiType`, the value Pulumi's component analyzer reads for a resource reference) and the
// provider, with no properties. That is what binding another package's references to these
// resources needs (taskstack's components output gcp, aws and kubernetes resources); property
// types, functions and docs are not served.
import * as fs from "node:fs";
import * as path from "node:path";

/** Module layout of Pulumi's bridged providers' tokens (`gcp:pubsub/topic:Topic` -> `pubsub`). */
const bridgedModuleFormat = "(.*)(?:/[^/]*)";

const pulumiType = /__pulumiType = ['"]([^'"]+)['"]/g;

function* javaScriptFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") yield* javaScriptFiles(full);
    } else if (entry.name.endsWith(".js")) yield full;
  }
}

/** Every resource token the SDK package in `sdkDir` declares, sorted. */
export function sdkResourceTokens(pkg: string, sdkDir: string): string[] {
  const tokens = new Set<string>();
  for (const file of javaScriptFiles(sdkDir)) {
    for (const m of fs.readFileSync(file, "utf8").matchAll(pulumiType)) {
      const token = m[1] as string;
      if (token.startsWith(`${pkg}:`)) tokens.add(token);
    }
  }
  return [...tokens].sort();
}

export interface StandInSchema {
  readonly name: string;
  readonly version: string;
  readonly meta: { readonly moduleFormat: string };
  readonly provider: Record<string, never>;
  readonly resources: Record<string, { readonly description: string }>;
}

export function standInSchema(pkg: string, version: string, sdkDir: string): StandInSchema {
  const resources: Record<string, { description: string }> = {};
  for (const token of sdkResourceTokens(pkg, sdkDir)) {
    resources[token] = { description: `${token} (taskstack stand-in: no properties served)` };
  }
  return {
    name: pkg,
    version,
    meta: { moduleFormat: bridgedModuleFormat },
    provider: {},
    resources,
  };
}
