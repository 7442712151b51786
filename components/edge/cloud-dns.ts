import type * as gcp from "@pulumi/gcp";

/**
 * `@pulumi/gcp`'s DNS module, loaded only when a site validates or publishes its records through
 * Cloud DNS: an AWS-only project (`taskstack/aws`) need not install the Google Cloud SDK.
 */
export function cloudDns(): typeof gcp.dns {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("@pulumi/gcp") as typeof gcp).dns;
  } catch (err) {
    const missing =
      (err as { code?: unknown }).code === "MODULE_NOT_FOUND" &&
      String((err as Error).message).includes("'@pulumi/gcp'");
    if (!missing) throw err;
    throw new Error(
      'HttpsStaticSite: dnsValidation "cloud-dns" needs @pulumi/gcp, which is not installed: run `npm install @pulumi/gcp`',
    );
  }
}
