import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml, parseDocument } from "yaml";
import { TaskstackInputError, describeValue } from "../components/shared/errors";
import { Secret } from "./plan";

/** Config as the Pulumi language host hands it to a program: every value a string. */
export interface EngineConfig {
  /** `namespace:key` → value; objects and arrays JSON-encoded, as Pulumi passes them. */
  readonly values: Record<string, string>;
  /** Keys whose value is (or contains) a `secure:` value. */
  readonly secretKeys: readonly string[];
}

/**
 * What a `secure:` value becomes offline: the ciphertext cannot be decrypted without the stack's
 * secrets provider, so the program sees this placeholder, and the key is marked secret.
 */
export function secretPlaceholder(key: string): string {
  return `[secret ${key}]`;
}

/** A path as the user would name it: relative to where they are, unless it lies elsewhere. */
function displayPath(target: string): string {
  const relative = path.relative(process.cwd(), target);
  return relative && !relative.startsWith("..") ? relative : target;
}

/** Reads and parses `Pulumi.<stack>.yaml`, returning the raw `config:` mapping. */
export function readStackFile(filePath: string): Record<string, unknown> {
  const file = displayPath(filePath);
  let text: string;
  try {
    text = fs.readFileSync(filePath, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TaskstackInputError([
      code === "ENOENT" ? `${file}: no such stack file` : `${file}: cannot read (${String(code)})`,
    ]);
  }
  // Warnings (an unknown tag such as `!foo`) are errors too: the value would otherwise be read
  // as plain text, silently, and the tag lost.
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, logLevel: "silent" });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    throw new TaskstackInputError(
      problems.map((e) => {
        const pos = e.linePos?.[0];
        const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
        return `${where}: invalid YAML: ${(e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "")}`;
      }),
    );
  }
  const root: unknown = doc.toJS();
  if (root === null || root === undefined) return {};
  if (!isPlainObject(root)) {
    throw new TaskstackInputError([
      `${file}: expected a mapping with a "config:" key, got ${describeValue(root)}`,
    ]);
  }
  const config = root["config"];
  if (config === undefined || config === null) return {};
  if (!isPlainObject(config)) {
    throw new TaskstackInputError([
      `${file}: config: expected a mapping of "namespace:key" to values, got ${describeValue(config)}`,
    ]);
  }
  return config;
}

/**
 * Turns a stack file's `config:` mapping (plus overrides) into what `setAllConfig` takes: keys
 * without a namespace get the project's, `secure:` values become placeholders and mark their key
 * secret, and non-string values are JSON-encoded the way the Pulumi CLI passes them.
 */
export function toEngineConfig(project: string, raw: Record<string, unknown>): EngineConfig {
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, rawValue] of Object.entries(raw)) {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    let secret = false;
    const replaced = replaceSecure(rawValue, key, () => {
      secret = true;
    });
    if (replaced === undefined || replaced === null) continue;
    values[key] = typeof replaced === "string" ? replaced : JSON.stringify(replaced);
    if (secret) secretKeys.push(key);
  }
  return { values, secretKeys };
}

function replaceSecure(value: unknown, key: string, markSecret: () => void): unknown {
  // A test's `config: { "app:token": new Secret("x") }`: the program reads the value, as a secret.
  if (value instanceof Secret) {
    markSecret();
    return replaceSecure(value.value, key, () => undefined);
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "secure" && typeof value["secure"] === "string") {
      markSecret();
      return secretPlaceholder(key);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = replaceSecure(v, key, markSecret);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => replaceSecure(v, key, markSecret));
  return value;
}

/** Finds `Pulumi.<stack>.yaml` in a stack directory, listing the stacks there when it is missing. */
export function stackFilePath(stackDir: string, stack: string): string {
  const file = path.join(stackDir, `Pulumi.${stack}.yaml`);
  if (!/^[A-Za-z0-9_.-]+$/.test(stack) || !fs.existsSync(file)) {
    const known = listStacks(stackDir);
    throw new TaskstackInputError([
      `stack: expected one of ${known.length > 0 ? known.join(", ") : "(no stack files)"} (a Pulumi.<stack>.yaml in ${displayPath(stackDir)}), got ${describeValue(stack)}`,
    ]);
  }
  return file;
}

/** The stacks that have a `Pulumi.<stack>.yaml` in a directory, sorted. */
export function listStacks(stackDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(stackDir);
  } catch {
    return [];
  }
  return names
    .map((n) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .sort();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The fields of `Pulumi.yaml` that taskstack reads. */
export interface ProjectFile {
  readonly name?: string;
  readonly main?: string;
  readonly stackConfigDir?: string;
}

/** Reads `Pulumi.yaml` in a directory; undefined when there is none. */
export function readProjectFile(dir: string): ProjectFile | undefined {
  const file = path.join(dir, "Pulumi.yaml");
  if (!fs.existsSync(file)) return undefined;
  const parsed: unknown = parseYaml(fs.readFileSync(file, "utf8"));
  return isPlainObject(parsed) ? (parsed as ProjectFile) : {};
}
