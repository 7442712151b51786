import * as pulumi from "@pulumi/pulumi";
import { decodeConfigValues, parseStackConfig } from "./config";
import { buildEnvironment } from "./environment";

/**
 * The taskstack program, as `pulumi up --stack <name>` runs it: read the stack's config once,
 * validate all of it before declaring anything, then build the environment.
 */
export async function main(): Promise<Record<string, unknown>> {
  const file = `stacks/Pulumi.${pulumi.getStack()}.yaml`;
  const config = parseStackConfig(decodeConfigValues(pulumi.runtime.allConfig()), file);
  return { ...buildEnvironment(config) };
}
