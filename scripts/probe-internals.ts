// Checks that the installed @pulumi/pulumi still has every internal the offline engine relies on
// (testing/internals.ts), naming each one that moved. Run by scripts/pulumi-compat.sh.
import * as pulumi from "@pulumi/pulumi";
import { probeInternals } from "../testing/internals";

async function main(): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const version = (require("@pulumi/pulumi/package.json") as { version: string }).version;
  await pulumi.runtime.setMocks(
    { newResource: (args) => ({ id: args.name, state: args.inputs }), call: (args) => args.inputs },
    "probe",
    "probe",
  );
  const moved = probeInternals();
  if (moved.length === 0) {
    console.log(
      `pulumi-compat: @pulumi/pulumi ${version}: every internal the engine uses is in place`,
    );
    return 0;
  }
  for (const name of moved) {
    console.error(
      `pulumi-compat: @pulumi/pulumi ${version} moved an internal the engine uses: ${name}`,
    );
  }
  return 1;
}

void main().then((code) => {
  process.exitCode = code;
});
