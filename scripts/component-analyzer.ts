// Runs Pulumi's component analyzer (what `pulumi package add` uses to derive a schema from a
// source-based TypeScript component package, PulumiPlugin.yaml `runtime: nodejs`) over every
// taskstack component, one at a time so each component's first rejection is reported, and exits 1
// if any is rejected. The analyzer stops at a component's first unsupported arg, so a fixed
// rejection can reveal the next one.
// Usage: tsx scripts/component-analyzer.ts
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import * as components from "../components";

export interface AnalyzerResult {
  readonly component: string;
  /** The analyzer's first error, or undefined when it accepted the component. */
  readonly rejection: string | undefined;
  /** Every property the analyzer refused (it stops at the first; this run goes on past each). */
  readonly rejections: readonly string[];
  readonly inputs: number;
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
      const rejections = [...new Set(refused)];
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
