import * as fs from "node:fs";
import * as path from "node:path";
import { TaskstackInputError } from "../components/shared/errors";

// `out/<stack>/` holds exactly one run's files. A run writes into a temporary folder beside it
// and moves that into place only when it exits 0; a run that fails (exit 1 or 2) removes
// `out/<stack>/`, so no earlier run's plan, manifests or RabbitMQ files pass for this run's, and a
// renamed RabbitMQ cluster or a removed CronJob leaves nothing behind.

export interface OutDir {
  /** `<out>/<stack>`, where the files end up. */
  readonly target: string;
  /** The temporary folder this run writes into. */
  readonly staging: string;
  /** Moves this run's files into place, replacing the previous run's. */
  commit(): void;
  /** Drops this run's files and the previous run's; true when a previous run's were there. */
  discard(): boolean;
}

/**
 * Claims `<outRoot>/<stack>/` for this run. A folder there that holds files but no plan.json was
 * not written by taskstack: it is refused rather than replaced.
 */
export function claimOutDir(outRoot: string, stack: string, display: string): OutDir {
  const target = path.join(outRoot, stack);
  if (fs.existsSync(target)) {
    const entries = fs.statSync(target).isDirectory() ? fs.readdirSync(target) : ["(a file)"];
    if (entries.length > 0 && !entries.includes("plan.json")) {
      throw new TaskstackInputError([
        `--out: expected ${display} to be taskstack's own folder (with a plan.json) or absent, got one holding ${entries.slice(0, 3).join(", ")}${entries.length > 3 ? ", …" : ""} (choose another --out)`,
      ]);
    }
  }
  fs.mkdirSync(outRoot, { recursive: true });
  const staging = fs.mkdtempSync(path.join(outRoot, `.${stack}.partial-`));
  return {
    target,
    staging,
    commit() {
      const old = `${staging}.old`;
      const had = fs.existsSync(target);
      if (had) fs.renameSync(target, old);
      fs.renameSync(staging, target);
      if (had) fs.rmSync(old, { recursive: true, force: true });
    },
    discard() {
      fs.rmSync(staging, { recursive: true, force: true });
      const had = fs.existsSync(target);
      fs.rmSync(target, { recursive: true, force: true });
      return had;
    },
  };
}
