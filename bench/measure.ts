import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Wall-clock milliseconds of `fn`, with its result. */
export async function timed<T>(
  fn: () => Promise<T>,
): Promise<{ readonly ms: number; readonly value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

// `npm run bench` cannot pass --expose-gc to tsx, so obtain gc() the documented-but-unofficial way:
// collecting between runs keeps one variant's garbage from being billed to the next.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Full garbage collection, so each measured run starts from the same heap. */
export function collectGarbage(): void {
  gc();
}

/** A plain-text table with right-aligned columns. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => c.padStart(widths[i] as number)).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/**
 * Samples the heap while something runs; `stop()` returns the peak growth in bytes over the heap
 * at the start (call `collectGarbage()` first so the start is clean).
 */
export function trackHeap(): { stop(): number } {
  const start = process.memoryUsage().heapUsed;
  let peak = start;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 25);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak - start;
    },
  };
}

/**
 * Samples the live heap (after a full collection) every `every` calls of the returned `sample`,
 * and once more on `stop()`; `stop()` returns the peak growth in bytes over the heap at the start.
 * Slow (each sample is a full GC): use it in a run that is not timed.
 */
export function trackLiveHeap(every: number): { sample(n: number): void; stop(): number } {
  collectGarbage();
  const start = process.memoryUsage().heapUsed;
  let peak = start;
  const measure = (): void => {
    collectGarbage();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  return {
    sample(n) {
      if (n % every === 0) measure();
    },
    stop() {
      measure();
      return peak - start;
    },
  };
}
