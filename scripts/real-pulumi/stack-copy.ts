// Lays out the project the real CLI runs for one stack, in a directory of its own:
//   Pulumi.yaml          the repository's, without `main`/`stackConfigDir` (the program runs
//                        through client.ts) and with the passphrase secrets provider
//   Pulumi.<stack>.yaml  the stack file's config with every `secure:` value left out
// and prints, one a line, the `--path` of each secure value, for CI to set its own secrets
// there (`pulumi config set-all --path --secret PATH=VALUE`): the stack files' ciphertexts
// cannot be decrypted without their owners' key.
//
//   tsx scripts/real-pulumi/stack-copy.ts STACK DIR
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { readStackFile, stackFilePath } from "../../testing/stack-file";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSecure(value: unknown): boolean {
  return isRecord(value) && Object.keys(value).length === 1 && typeof value["secure"] === "string";
}

/** The value without its secure entries, collecting each one's config path. */
function withoutSecure(value: unknown, at: string, found: string[]): unknown {
  if (isSecure(value)) {
    found.push(at);
    return undefined;
  }
  if (Array.isArray(value)) return value.map((v, i) => withoutSecure(v, `${at}[${i}]`, found));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const kept = withoutSecure(
        v,
        /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${at}.${k}` : `${at}["${k}"]`,
        found,
      );
      if (kept !== undefined) out[k] = kept;
    }
    return out;
  }
  return value;
}

const [stack, dir] = process.argv.slice(2);
if (!stack || !dir) {
  process.stderr.write("usage: tsx scripts/real-pulumi/stack-copy.ts STACK DIR\n");
  process.exit(2);
}
const repo = path.resolve(__dirname, "..", "..");
const config = readStackFile(stackFilePath(path.join(repo, "stacks"), stack));
const secure: string[] = [];
const copied: Record<string, unknown> = {};
for (const [key, value] of Object.entries(config)) {
  const kept = withoutSecure(value, key, secure);
  if (kept !== undefined) copied[key] = kept;
}
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(
  path.join(dir, "Pulumi.yaml"),
  stringify({ name: "taskstack", runtime: { name: "nodejs" } }),
);
fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify({ config: copied }));
for (const p of secure) console.log(p);
