import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** `aws:` config keys that hold credentials: read as secrets, so they stay secrets in state. */
const credentialKeys = new Set(["accessKey", "secretKey", "token"]);

/**
 * The stack's `aws:` config (profile, assumed roles, credentials, allowed accounts, default tags…)
 * as args for an explicit AWS provider in `region`. The default provider reads that config; an
 * explicit provider reads none of it, so without this a certificate made through a us-east-1
 * provider would land in whatever account the ambient credentials reach, not the stack's.
 */
export function awsProviderArgsFromStack(region: string): aws.ProviderArgs {
  const config = new pulumi.Config("aws");
  const settings = aws.config as unknown as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const key of Object.keys(settings)) {
    if (key === "region") continue;
    const value = credentialKeys.has(key) ? config.getSecret(key) : settings[key];
    // `requireRegion` and friends are functions, not settings.
    if (value !== undefined && typeof value !== "function") args[key] = value;
  }
  return { ...args, region };
}
