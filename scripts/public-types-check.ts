// Public types check: follows the `.d.ts` imports of a built taskstack package from each public
// entry point and fails, naming the chain, when one reaches a module whose types break consumers:
// - `zod` (its `.d.cts` fail TS1259 in a project without `esModuleInterop`, as `pulumi new
//   typescript` made them until March 2026; the schemas live behind `taskstack/schemas` instead);
// - `@pulumi/policy`'s root index (its `index.d.ts` re-exports `unknownCheckingProxy`, which its
//   own `./proxy` lacks: TS2305 under any project without `skipLibCheck`; `@pulumi/policy/policy`
//   holds the same types whole).
// Usage: tsx scripts/public-types-check.ts [packageDir]   (default: this repository, after a build)
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

export interface ForbiddenModule {
  /** Matches a bare module specifier. */
  readonly test: (specifier: string) => boolean;
  readonly why: string;
}

export const forbiddenModules: readonly ForbiddenModule[] = [
  {
    test: (s) => s === "zod" || s.startsWith("zod/"),
    why: "zod's types need esModuleInterop; export our own interfaces and keep schemas behind taskstack/schemas",
  },
  {
    test: (s) => s === "@pulumi/policy" || s === "@pulumi/policy/index",
    why: "@pulumi/policy's index.d.ts does not compile without skipLibCheck; import from @pulumi/policy/policy",
  },
];

/** Entry points that may reach zod on purpose (the schemas' own subpath). */
export const exemptEntries: readonly string[] = ["./schemas", "./package.json"];

export interface Violation {
  readonly entry: string;
  /** Files from the entry's `.d.ts` to the importing file, relative to the package, then the module. */
  readonly chain: readonly string[];
  readonly why: string;
}

/** Every module specifier a declaration file names: imports, re-exports, `import("…")` types. */
export function declarationSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push(node.moduleReference.expression.text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  // `/// <reference types="…" />` pulls a package's types in too.
  for (const ref of source.typeReferenceDirectives) found.push(ref.fileName);
  return found;
}

function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  const stripped = base.replace(/\.(c|m)?js$/, "");
  const candidates = [
    `${stripped}.d.ts`,
    `${stripped}.d.cts`,
    `${stripped}.d.mts`,
    join(base, "index.d.ts"),
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

interface PackageJson {
  readonly exports?: Record<string, string | { readonly types?: string }>;
}

/** The `.d.ts` of every public entry point in the package's exports map, except the exempt ones. */
export function publicEntries(packageDir: string): Map<string, string> {
  const pkg = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as PackageJson;
  const entries = new Map<string, string>();
  for (const [entry, target] of Object.entries(pkg.exports ?? {})) {
    if (exemptEntries.includes(entry)) continue;
    const types = typeof target === "string" ? undefined : target.types;
    if (types === undefined) {
      throw new Error(
        `${join(packageDir, "package.json")}: exports["${entry}"]: expected a "types" condition, got ${JSON.stringify(target)}`,
      );
    }
    entries.set(entry, resolve(packageDir, types));
  }
  return entries;
}

/** Walks each entry's declaration graph breadth-first, so each reported chain is a shortest one. */
export function checkPublicTypes(packageDir: string): Violation[] {
  const violations: Violation[] = [];
  const rel = (file: string) => relative(packageDir, file);
  for (const [entry, entryFile] of publicEntries(packageDir)) {
    if (!existsSync(entryFile)) {
      throw new Error(`exports["${entry}"].types: ${rel(entryFile)} does not exist (build first)`);
    }
    const parent = new Map<string, string | undefined>([[entryFile, undefined]]);
    const chainTo = (file: string): string[] => {
      const chain: string[] = [];
      for (let f: string | undefined = file; f !== undefined; f = parent.get(f)) {
        chain.unshift(rel(f));
      }
      return chain;
    };
    const queue = [entryFile];
    const reported = new Set<string>();
    while (queue.length > 0) {
      const file = queue.shift()!;
      for (const specifier of declarationSpecifiers(file, readFileSync(file, "utf8"))) {
        if (specifier.startsWith(".")) {
          const target = resolveRelative(file, specifier);
          if (target === undefined) {
            throw new Error(`${rel(file)}: cannot resolve "${specifier}" to a declaration file`);
          }
          if (!parent.has(target)) {
            parent.set(target, file);
            queue.push(target);
          }
          continue;
        }
        const rule = forbiddenModules.find((m) => m.test(specifier));
        if (rule !== undefined && !reported.has(`${file}\0${specifier}`)) {
          reported.add(`${file}\0${specifier}`);
          violations.push({ entry, chain: [...chainTo(file), specifier], why: rule.why });
        }
      }
    }
  }
  return violations;
}

export function formatViolation(v: Violation): string {
  const name = v.entry === "." ? "taskstack" : `taskstack/${v.entry.replace(/^\.\//, "")}`;
  return `${name}: ${v.chain.join(" -> ")} (${v.why})`;
}

if (require.main === module) {
  const packageDir = resolve(process.argv[2] ?? join(__dirname, ".."));
  const violations = checkPublicTypes(packageDir);
  for (const v of violations) console.error(`public-types-check: ${formatViolation(v)}`);
  if (violations.length > 0) {
    console.error(`public-types-check: FAIL (${violations.length} forbidden imports)`);
    process.exit(1);
  }
  console.log(`public-types-check: PASS (${publicEntries(packageDir).size} entry points)`);
}
