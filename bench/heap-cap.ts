// `npm run bench` runs this in a child process, with the V8 heap capped by `--max-old-space-size`:
// `node --import tsx bench/heap-cap.ts <topics>` plans the scale program (after a warm-up) and prints
// `{ baselineMb, resources }` as JSON. With 0 topics it only reports the heap after the warm-up,
// which the parent adds the per-resource budget to. Running out of heap crashes the child: the
// budget was not enough.
import { collectGarbage } from "./measure";
import { planWithEngine, resourcesPerTopic } from "./scale";

async function main(topics: number): Promise<void> {
  process.setSourceMapsEnabled(false);
  await planWithEngine(5);
  collectGarbage();
  const baselineMb = process.memoryUsage().heapUsed / (1024 * 1024);
  const plan = topics > 0 ? await planWithEngine(topics) : undefined;
  const registered = plan ? plan.resources.filter((r) => r.custom).length : 0;
  if (topics > 0 && registered !== topics * resourcesPerTopic) {
    throw new Error(
      `heap-cap: planned ${registered} resources, expected ${topics * resourcesPerTopic}`,
    );
  }
  process.stdout.write(`${JSON.stringify({ baselineMb, resources: registered })}\n`);
}

main(Number(process.argv[2] ?? "0")).catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
