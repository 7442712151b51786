// Runs Pulumi's component analyzer (what `pulumi package add` uses to derive a schema from a
// source-based TypeScript component package, PulumiPlugin.yaml `runtime: nodejs`) over every
// taskstack component, one at a time so each component's first rejection is reported, and exits 1
// if any is rejected. The analyzer stops at a component's first unsupported arg, so a fixed
// rejection can reveal the next one. It also refuses a schema whose reference to another package
// Pulumi's schema binder would refuse (see `foreignRefProblems`).
// Usage: tsx scripts/component-analyzer.ts
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { generateSchema, type PackageSpec } from "@pulumi/pulumi/provider/experimental/schema";
import * as components from "../components";

export interface AnalyzerResult {
  readonly component: string;
  /** The analyzer's first error, or undefined when it accepted the component. */
  readonly rejection: string | undefined;
  /** Every property the analyzer refused (it stops at the first; this run goes on past each). */
  readonly rejections: readonly string[];
  readonly inputs: number;
}

/**
 * The binder's reading of a reference to another package (pulumi/pulumi
 * pkg/codegen/schema/bind.go, v3.276.0, `refPathRegex` and `parseTypeSpecRef`): the path
 * `/<package>/v<version>/schema.json`, then `#/provider` for the package's provider, or
 * `#/resources/<token>` for one of its resources, whose token is `<package>:<module>:<Type>`
 * (`/` in it escaped as `%2F`). `#/resources/aws` names no resource ("resource type aws not found in
 * package aws"): it is what the analyzer makes of a provider class, whose `__pulumiType` is the bare
 * package name.
 */
const foreignRef =
  /^\/?(?<pkg>[-\w]+)\/v(?<version>[^/]*)\/schema\.json#\/(?:provider|resources\/(?<token>[^#]+))$/;

/**
 * Every reference in `schema` (the analyzer's result, or the package schema made from it) to
 * another package that Pulumi's schema binder would refuse, as `<where>: <ref>: <why>`, `where`
 * being the JSON path (`resources/taskstack:index:HttpsStaticSite/properties/usEast1`). A reference
 * must name a package the schema lists as a dependency, at that version.
 */
export function foreignRefProblems<
  T extends { readonly dependencies?: readonly { name: string; version?: string }[] },
>(schema: T): string[] {
  const problems: string[] = [];
  const versions = new Map((schema.dependencies ?? []).map((d) => [d.name, d.version]));
  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${where}/${i}`));
      return;
    }
    if (typeof value !== "object" || value === null) return;
    for (const [key, v] of Object.entries(value)) {
      if (key === "$ref" && typeof v === "string" && !v.startsWith("#")) {
        const problem = foreignRefProblem(v, versions);
        if (problem !== undefined) problems.push(`${where}: ${v}: ${problem}`);
      } else {
        walk(v, `${where}/${key}`);
      }
    }
  };
  const { dependencies: _dependencies, ...rest } = schema;
  walk(rest, "");
  return problems.map((p) => p.slice(1));
}

function foreignRefProblem(
  ref: string,
  versions: Map<string, string | undefined>,
): string | undefined {
  const match = foreignRef.exec(ref);
  if (match?.groups === undefined) {
    return "expected /<package>/v<version>/schema.json#/resources/<package>:<module>:<Type> or …#/provider";
  }
  const { pkg = "", version, token } = match.groups;
  if (token !== undefined && !decodeURIComponent(token).startsWith(`${pkg}:`)) {
    return `expected a resource token <package>:<module>:<Type> (a provider is #/provider), got ${decodeURIComponent(token)}`;
  }
  if (versions.get(pkg) !== version) {
    return `expected a dependency of the package (${[...versions].map(([n, v]) => `${n} ${v}`).join(", ") || "none"}), got ${pkg} ${version ?? ""}`;
  }
  return undefined;
}

/** The analyzer's internal state reset between components (it analyzes a set of names at once). */
interface AnalyzerState {
  componentNames: Set<string>;
  components: Record<string, unknown>;
  typeDefinitions: Record<string, unknown>;
  dependencies: unknown[];
}

/** The schema parts the analyzer derives for a whole package, as `pulumi package add` asks for them. */
export interface PackageAnalysis {
  readonly components: Record<
    string,
    { inputs: Record<string, Record<string, unknown>>; outputs: Record<string, unknown> }
  >;
  readonly typeDefinitions: Record<string, Record<string, unknown>>;
  readonly dependencies: readonly { name: string; version: string }[];
}

/** Pulumi's analyzer over the package in `dir`, as `pulumi package add` builds it. */
function newAnalyzer(dir: string, names: Iterable<string>): Analyzer {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<
    string,
    unknown
  >;
  return new Analyzer(dir, "taskstack", pkg, new Set(names));
}

/** Every component of the package in `dir` analyzed together (the analyzer throws at a rejection). */
export function analyzePackage(
  dir = join(__dirname, ".."),
  names?: readonly string[],
): PackageAnalysis {
  return newAnalyzer(dir, names ?? componentNames()).analyze() as unknown as PackageAnalysis;
}

/**
 * The package schema `pulumi package get-schema` prints for taskstack: what the Node.js language
 * host's component provider makes of the analysis (`ComponentProvider.getSchema`), and what
 * `pulumi package add` binds to generate a Python, Go, .NET or YAML SDK.
 */
export function packageSchema(
  analysis: PackageAnalysis = analyzePackage(),
  dir = join(__dirname, ".."),
): PackageSpec {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    version: string;
    description: string;
  };
  const { components, typeDefinitions, dependencies } = analysis as unknown as ReturnType<
    Analyzer["analyze"]
  >;
  return generateSchema(
    "taskstack",
    pkg.version,
    pkg.description,
    components,
    typeDefinitions,
    dependencies,
  );
}

/** The component classes the Node.js language host finds in taskstack's main module, as it does. */
export function componentNames(): string[] {
  return getPulumiComponents(components).map((c) => (c as { name: string }).name);
}

export function analyzeComponents(
  dir = join(__dirname, ".."),
  names: readonly string[] = componentNames(),
): AnalyzerResult[] {
  // One program for all components: building it is most of the cost.
  const analyzer = newAnalyzer(dir, names);
  const state = analyzer as unknown as AnalyzerState & {
    analyzeSymbol(context: unknown, symbol: unknown): unknown;
  };
  // The analyzer throws at the first property it cannot map; wrapping its per-property step lets
  // one run list every refused property (the first is still what `pulumi package add` reports).
  let refused: string[] = [];
  const analyzeSymbol = state.analyzeSymbol.bind(analyzer);
  state.analyzeSymbol = (context, symbol) => {
    try {
      return analyzeSymbol(context, symbol);
    } catch (err) {
      refused.push((err as Error).message.split("\n")[0]);
      return { type: "string" };
    }
  };
  return names.map((name) => {
    refused = [];
    state.componentNames = new Set([name]);
    state.components = {};
    state.typeDefinitions = {};
    state.dependencies = [];
    try {
      const result = analyzer.analyze();
      const rejections = [
        ...new Set(refused),
        ...foreignRefProblems(result).map(
          (p) => `a reference Pulumi's schema binder refuses: ${p}`,
        ),
      ];
      return {
        component: name,
        rejection: rejections[0],
        rejections,
        inputs: Object.keys(result.components[name]?.inputs ?? {}).length,
      };
    } catch (err) {
      const message = (err as Error).message.split("\n")[0];
      return { component: name, rejection: message, rejections: [message], inputs: 0 };
    }
  });
}

if (require.main === module) {
  const results = analyzeComponents();
  for (const r of results) {
    console.log(
      r.rejection === undefined
        ? `component-analyzer: ${r.component}: accepted (${r.inputs} inputs)`
        : `component-analyzer: ${r.component}: REJECTED:\n  ${r.rejections.join("\n  ")}`,
    );
  }
  const rejected = results.filter((r) => r.rejection !== undefined).length;
  console.log(`component-analyzer: ${results.length - rejected} accepted, ${rejected} rejected`);
  if (rejected > 0) process.exit(1);
}
