/**
 * The provider SDKs are optional peer dependencies: a team that uses only Google Cloud installs
 * `@pulumi/gcp` and never pays for AWS or Kubernetes. Each per-cloud entry point checks its own
 * peers before loading them, so a missing one is named with the command that installs it,
 * instead of surfacing as Node's "Cannot find module" from deep inside taskstack.
 */
export function requirePeers(entry: string, peers: readonly string[]): void {
  const missing = peers.filter((peer) => {
    try {
      require.resolve(peer);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return;
  throw new Error(
    `${entry} needs ${missing.join(" and ")}, which ${missing.length === 1 ? "is" : "are"} not installed: ` +
      `run \`npm install ${missing.join(" ")}\`. taskstack declares each provider SDK as an optional ` +
      "peer dependency, so that a project installs only the clouds it uses.",
  );
}
