// `npm run readme`: refreshes README.md's sample plan from a fresh `taskstack plan dev`, the same
// run `npm start` makes. test/readme.test.ts fails while the README's sample is stale.
import * as fs from "node:fs";
import * as path from "node:path";
import { main } from "../cli/main";

const root = path.resolve(__dirname, "..");
export const readmePath = path.join(root, "README.md");
const begin = "<!-- npm start: begin (npm run readme refreshes this block) -->";
const end = "<!-- npm start: end -->";

/** What `npm start` prints for the dev stack (after npm's own banner), and its exit code. */
export async function devPlanOutput(): Promise<{ readonly code: number; readonly text: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    const code = await main(["plan", "dev"], root);
    return { code, text: lines.join("\n") };
  } finally {
    console.log = log;
  }
}

/**
 * The README's sample: the heading line and the first resources of the tree, one resource of
 * each kind a reviewer reads first (a queue, a Scheduler job, the RabbitMQ StatefulSet, a PDB, a
 * CronJob) with its key settings, then the summary and policy lines and what was written, as
 * printed. Computed from the output, so the README stays true as components are added without
 * anyone editing the sample by hand.
 */
export function planExcerpt(output: string): string {
  const lines = output.split("\n");
  const treeStart = lines.findIndex((l) => l.startsWith(" +  pulumi:pulumi:Stack"));
  const head = lines.slice(treeStart, treeStart + 8);
  const block = (name: string): string[] => {
    const at = lines.findIndex((l) => l.startsWith(" +") && l.endsWith(` ${name}`));
    if (at < 0) return [];
    const next = lines.findIndex((l, i) => i > at && (l.startsWith(" +") || l === ""));
    // Next runs change every day; the README's prose says where they are.
    return [" …", ...lines.slice(at, next).filter((l) => !/^[\s│]+next runs: \d/.test(l))];
  };
  const shown = [
    "partner-chunks-queue",
    "nightly-settlement-job",
    "celery-broker-statefulset",
    "shop-celery-fast-pdb",
    "nightly-report-cronjob",
  ].flatMap(block);
  const summary = lines.filter((l) => /^(Resources|Policies): |^ {2}disabled: /.test(l));
  const wrote = lines.slice(lines.findIndex((l) => l.startsWith("Wrote ")));
  return ["```", ...head, ...shown, " …", ...summary, "", ...wrote, "```"].join("\n");
}

/** The sample block as it stands in a README text. */
export function readmeExcerpt(readme: string): string | undefined {
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) return undefined;
  return readme.slice(from + begin.length, to).trim();
}

async function refresh(): Promise<void> {
  const { code, text } = await devPlanOutput();
  if (code !== 0) throw new Error(`taskstack plan dev exited ${code}; fix that first`);
  const readme = fs.readFileSync(readmePath, "utf8");
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md: no "${begin}" … "${end}" block`);
  const next = `${readme.slice(0, from + begin.length)}\n\n${planExcerpt(text)}\n\n${readme.slice(to)}`;
  fs.writeFileSync(readmePath, next);
  console.error(
    next === readme ? "README.md: sample plan already current" : "README.md: sample plan refreshed",
  );
}

if (require.main === module) {
  refresh().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
}
