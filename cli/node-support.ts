// taskstack runs on @pulumi/pulumi, whose package.json declares `engines: { node: ">=22" }`
// (3.270); taskstack's own package.json says the same, and CI runs Node 22. npm only warns
// (EBADENGINE) on an older Node and then installs anyway, so the CLI says it once, plainly.

/** The oldest Node.js major taskstack supports: @pulumi/pulumi's own floor. */
export const minimumNodeMajor = 22;

/** A one-line notice when `version` (as `process.version`) is older than taskstack supports. */
export function nodeVersionNotice(version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (!Number.isInteger(major) || major >= minimumNodeMajor) return undefined;
  return (
    `taskstack: needs Node.js ${minimumNodeMajor} or newer; this is ${version}.\n` +
    `  @pulumi/pulumi, which runs every plan, requires Node.js >=${minimumNodeMajor} and is ` +
    `tested only there. Continuing; install Node.js ${minimumNodeMajor} to be on solid ground.`
  );
}
