// `npm run bench -- --entry-points`: what a consumer pays to use taskstack, per entry point.
// For `taskstack` (every component) and each per-cloud entry (`taskstack/gcp`, …), against the
// compiled package in dist/ (built first): the time and heap to `require` it in a fresh Node
// process, the provider SDKs that loads, and what `tsc` spends type-checking a one-line program
// that imports it (files, memory, time), as a consumer's project compiles it.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { formatTable } from "./measure";

const repo = path.resolve(__dirname, "..");

interface EntryRow {
  readonly entry: string;
  readonly requireMs: number;
  readonly requireHeapMb: number;
  readonly modules: number;
  readonly sdks: string;
  readonly tscFiles: number;
  readonly tscMemoryMb: number;
  readonly tscSeconds: number;
}

const entries = [
  { entry: "taskstack", file: "dist/components/index.js", use: "messaging.PubSubTopic" },
  { entry: "taskstack/gcp", file: "dist/components/gcp.js", use: "PubSubTopic" },
  { entry: "taskstack/kubernetes", file: "dist/components/kubernetes.js", use: "RabbitMqCluster" },
  { entry: "taskstack/aws", file: "dist/components/aws.js", use: "HttpsStaticSite" },
] as const;

function requireCost(
  file: string,
): Pick<EntryRow, "requireMs" | "requireHeapMb" | "modules" | "sdks"> {
  const code = `
    const t0 = process.hrtime.bigint();
    require(${JSON.stringify(path.join(repo, file))});
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const files = Object.keys(require.cache);
    const sdks = [...new Set(files.map((f) => /node_modules\\/(@pulumi\\/[a-z]+)\\//.exec(f)?.[1]).filter(Boolean))].sort();
    console.log(JSON.stringify({ ms, heap: process.memoryUsage().heapUsed / 1048576, modules: files.length, sdks }));`;
  const samples = [0, 1, 2].map(() => {
    const run = spawnSync(process.execPath, ["-e", code], { cwd: repo, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`require ${file} failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as { ms: number; heap: number; modules: number; sdks: string[] };
  });
  samples.sort((a, b) => a.ms - b.ms);
  const median = samples[1]!;
  return {
    requireMs: Math.round(median.ms),
    requireHeapMb: Math.round(median.heap),
    modules: median.modules,
    sdks: median.sdks.map((s) => s.replace("@pulumi/", "")).join(" "),
  };
}

function tscCost(
  entry: string,
  use: string,
): Pick<EntryRow, "tscFiles" | "tscMemoryMb" | "tscSeconds"> {
  // A consumer project inside the repository, so node_modules resolves as in a real install; the
  // package name maps to dist/ as its exports map does.
  const dir = fs.mkdtempSync(path.join(repo, "out", "bench-consumer-"));
  try {
    const binding = use.includes(".") ? use.split(".")[0]! : use;
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      `import { ${binding} } from "${entry}";\nexport const used = ${use};\n`,
    );
    const sub = entry === "taskstack" ? "index" : entry.replace("taskstack/", "");
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: "es2020",
          module: "commonjs",
          moduleResolution: "node",
          noEmit: true,
          types: [],
          paths: { [entry]: [path.join(repo, "dist", "components", `${sub}.d.ts`)] },
        },
        files: ["index.ts"],
      }),
    );
    const run = spawnSync(
      process.execPath,
      [
        path.join(repo, "node_modules", "typescript", "bin", "tsc"),
        "-p",
        dir,
        "--extendedDiagnostics",
      ],
      { cwd: dir, encoding: "utf8" },
    );
    const read = (label: string): number => {
      const match = new RegExp(`^${label}:\\s+([\\d.]+)`, "m").exec(run.stdout);
      if (!match)
        throw new Error(`tsc printed no "${label}" for ${entry}:\n${run.stdout}${run.stderr}`);
      return Number(match[1]);
    };
    return {
      tscFiles: read("Files"),
      tscMemoryMb: Math.round(read("Memory used") / 1024),
      tscSeconds: read("Total time"),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function benchEntryPoints(): void {
  process.stderr.write("entry points: building dist/ (npm run build)\n");
  const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: repo, stdio: "inherit" });
  if (build.status !== 0) throw new Error("npm run build failed");
  fs.mkdirSync(path.join(repo, "out"), { recursive: true });
  const rows: EntryRow[] = entries.map(({ entry, file, use }) => {
    process.stderr.write(`entry points: measuring ${entry}\n`);
    return { entry, ...requireCost(file), ...tscCost(entry, use) };
  });
  const root = rows[0]!;
  console.log("\nWhat a consumer pays per entry point (require: median of 3 fresh processes):\n");
  console.log(
    formatTable(
      [
        "entry",
        "require ms",
        "x root",
        "heap MB",
        "modules",
        "provider SDKs loaded",
        "tsc files",
        "tsc MB",
        "tsc s",
        "x root",
      ],
      rows.map((r) => [
        r.entry,
        String(r.requireMs),
        (r.requireMs / root.requireMs).toFixed(2),
        String(r.requireHeapMb),
        String(r.modules),
        r.sdks,
        String(r.tscFiles),
        String(r.tscMemoryMb),
        r.tscSeconds.toFixed(2),
        (r.tscSeconds / root.tscSeconds).toFixed(2),
      ]),
    ),
  );
}
