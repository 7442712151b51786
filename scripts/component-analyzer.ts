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
  /** The analyzer's error, or undefined when it accepted the component. */
  readonly rejection: string | undefined;
  readonly inputs: number;
}

/** The analyzer's internal state reset between components (it analyzes a set of names at once). */
interface AnalyzerState {
  componentNames: Set<string>;
  components: Record<string, unknown>;
  typeDefinitions: Record<string, unknown>;
  dependencies: unknown[];
}

export function analyzeComponents(dir = join(__dirname, "..")): AnalyzerResult[] {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<
    string,
    unknown
  >;
  // The classes the Node.js language host finds in the package's main module, as it does.
  const names = getPulumiComponents(components).map((c) => (c as { name: string }).name);
  // One program for all components: building it is most of the cost.
  const analyzer = new Analyzer(dir, "taskstack", pkg, new Set(names));
  const state = analyzer as unknown as AnalyzerState;
  return names.map((name) => {
    state.componentNames = new Set([name]);
    state.components = {};
    state.typeDefinitions = {};
    state.dependencies = [];
    try {
      const result = analyzer.analyze();
      return {
        component: name,
        rejection: undefined,
        inputs: Object.keys(result.components[name]?.inputs ?? {}).length,
      };
    } catch (err) {
      return { component: name, rejection: (err as Error).message.split("\n")[0], inputs: 0 };
    }
  });
}

if (require.main === module) {
  const results = analyzeComponents();
  for (const r of results) {
    console.log(
      r.rejection === undefined
        ? `component-analyzer: ${r.component}: accepted (${r.inputs} inputs)`
        : `component-analyzer: ${r.component}: REJECTED: ${r.rejection}`,
    );
  }
  const rejected = results.filter((r) => r.rejection !== undefined).length;
  console.log(`component-analyzer: ${results.length - rejected} accepted, ${rejected} rejected`);
  if (rejected > 0) process.exit(1);
}
