import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

// The archive Cloud Functions builds the backup function from: a package.json naming `main` and
// the two libraries the function loads at runtime, and the function's compiled JavaScript, which
// ships in taskstack's npm package (dist/lib/spanner-backup-function/*.js).

const sourceDir = path.join(__dirname, "../../lib/spanner-backup-function");
const files = ["index", "handler", "checker"] as const;

/** The function's own package.json: Cloud Functions installs these dependencies at build time. */
export const functionPackageJson = {
  name: "taskstack-spanner-backup-function",
  private: true,
  main: "index.js",
  engines: { node: ">=20" },
  dependencies: {
    "@google-cloud/functions-framework": "^3.4.0",
    "@google-cloud/spanner": "^7.16.0",
    // The backup id names the scheduled run (see handler.ts, scheduledRun): the same major as
    // taskstack's own cron-parser, which computes the plan's next runs.
    "cron-parser": "^5.10.6",
  },
} as const;

/**
 * One file's JavaScript: the compiled file in the published package, or, when taskstack runs from
 * its TypeScript sources (its own tests and `npm start`), the source transpiled on the spot with
 * the TypeScript compiler it develops with.
 */
function javascript(file: string): string {
  const compiled = path.join(sourceDir, `${file}.js`);
  if (fs.existsSync(compiled)) return fs.readFileSync(compiled, "utf8");
  // typescript is a devDependency: loaded only when running from sources, never once published.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof import("typescript");
  const source = fs.readFileSync(path.join(sourceDir, `${file}.ts`), "utf8");
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

let cached:
  { readonly contents: Readonly<Record<string, string>>; readonly hash: string } | undefined;

/** The archive's files by name, and a digest of them that names the uploaded object. */
export function functionArchiveContents(): {
  readonly contents: Readonly<Record<string, string>>;
  readonly hash: string;
} {
  if (cached) return cached;
  const contents: Record<string, string> = {
    "package.json": `${JSON.stringify(functionPackageJson, null, 2)}\n`,
  };
  for (const file of files) contents[`${file}.js`] = javascript(file);
  const digest = createHash("sha256");
  for (const [name, text] of Object.entries(contents)) digest.update(`${name}\0${text}\0`);
  cached = { contents, hash: digest.digest("hex").slice(0, 12) };
  return cached;
}

/** The archive as a Pulumi asset archive, uploaded as a storage object. */
export function functionArchive(): pulumi.asset.AssetArchive {
  const { contents } = functionArchiveContents();
  return new pulumi.asset.AssetArchive(
    Object.fromEntries(
      Object.entries(contents).map(([name, text]) => [name, new pulumi.asset.StringAsset(text)]),
    ),
  );
}
