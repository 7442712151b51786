import * as pulumi from "@pulumi/pulumi";
import { decodeConfigValues, parseStackConfig } from "./config";
import { buildEnvironment } from "./environment";

/**
 * The config keys Pulumi marks secret. `runtime.isConfigSecret` is exported by @pulumi/pulumi's
 * runtime but not declared in its types: the one place the program reaches past the public API.
 * Undefined (no check) if a release drops it.
 */
function secretConfigKeys(keys: readonly string[]): ReadonlySet<string> | undefined {
  const isSecret = (pulumi.runtime as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  if (typeof isSecret !== "function") return undefined;
  return new Set(keys.filter((k) => isSecret(k)));
}

/**
 * The taskstack program, as `pulumi up --stack <name>` runs it: read the stack's config once,
 * validate all of it before declaring anything, then build the environment.
 */
export async function main(): Promise<Record<string, unknown>> {
  const file = `stacks/Pulumi.${pulumi.getStack()}.yaml`;
  const config = parseStackConfig(
    decodeConfigValues(pulumi.runtime.allConfig()),
    file,
    secretConfigKeys(Object.keys(pulumi.runtime.allConfig())),
  );
  return { ...buildEnvironment(config) };
}
