import { execFile, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// Three Debian rabbitmq-server nodes, each in a network namespace of its own, joined by veth pairs
// on a bridge this harness creates (10.77.0.0/24, refused if something else on the host routes
// it). Only namespaces, links and processes named with our prefix are touched: `teardown()`
// removes all of them even after a failure, and a run that was killed before its teardown (a
// machine restart, a CI timeout) leaves them to the next run, which removes them first. A lock
// file holding the running suite's pid keeps two runs from sharing one network.

export const serverBin = "/usr/lib/rabbitmq/bin/rabbitmq-server";
export const ctlBin = "/usr/lib/rabbitmq/bin/rabbitmqctl";

/**
 * Where the nodes' Debian lives: the host (Debian 12's RabbitMQ 3.10.8) or, when
 * `TASKSTACK_DEBIAN13_TREE` names one, a Debian 13 tree (RabbitMQ 4.0.5, Celery 5.5.2) built by
 * scripts/ci/debian13-tree.sh, every process run through `chroot`. Scratch directories then live
 * inside the tree, and the processes see them by their path there.
 */
export interface Runtime {
  /** The tree's root, or undefined for the host. */
  readonly tree: string | undefined;
}

export const runtime: Runtime = { tree: process.env["TASKSTACK_DEBIAN13_TREE"] || undefined };

/** A host path as the processes see it (inside the tree when there is one). */
export function inside(hostPath: string): string {
  return runtime.tree === undefined ? hostPath : hostPath.slice(runtime.tree.length);
}

/** `[file, ...args]` run inside the tree when there is one. */
export function rooted(file: string, args: readonly string[]): string[] {
  return runtime.tree === undefined ? [file, ...args] : ["chroot", runtime.tree, file, ...args];
}

/** The scratch root: the tree's /var/tmp, or the host's temporary directory. */
export function scratchParent(): string {
  return runtime.tree === undefined ? os.tmpdir() : path.join(runtime.tree, "var", "tmp");
}

/**
 * Mounts what a container has and the tree lacks: /proc (Erlang and Python read it) and a
 * writable /dev/shm (Celery's prefork pool keeps its semaphores there; a pod has a 64 MiB tmpfs).
 */
export async function mountTreeProc(): Promise<void> {
  if (runtime.tree === undefined) return;
  const proc = path.join(runtime.tree, "proc");
  if ((await run("mountpoint", ["-q", proc])).code !== 0) {
    await must("mount", ["-t", "proc", "proc", proc]);
  }
  const shm = path.join(runtime.tree, "dev", "shm");
  if ((await run("mountpoint", ["-q", shm])).code !== 0) {
    await must("mount", ["-t", "tmpfs", "-o", "size=64m,mode=1777", "tmpfs", shm]);
  }
}

/** Unmounts what {@link mountTreeProc} mounted; never throws. */
export async function unmountTree(): Promise<void> {
  if (runtime.tree === undefined) return;
  for (const dir of [path.join("dev", "shm"), "proc"]) {
    await run("umount", ["-l", path.join(runtime.tree, dir)]);
  }
}
const prefix = "tsrmq";
const subnet = "10.77.0";
const bridge = `${prefix}-br0`;
const hostAddress = `${subnet}.254`;
const lockFile = path.join(fs.existsSync("/run") ? "/run" : os.tmpdir(), "taskstack-rabbitmq.lock");

/** Why this machine cannot run the suite, or undefined when it can. */
export function missingPrerequisites(): string | undefined {
  const root = runtime.tree ?? "";
  if (runtime.tree !== undefined && !fs.existsSync(path.join(root, serverBin))) {
    return `the Debian 13 tree ${runtime.tree} has no ${serverBin} (bash scripts/ci/debian13-tree.sh builds it; .ci/run does)`;
  }
  if (!fs.existsSync(path.join(root, serverBin))) {
    return `${serverBin} is not installed (apt-get install -y rabbitmq-server; .ci/run does)`;
  }
  if (process.getuid?.() !== 0) return "network namespaces need root";
  for (const bin of ["/usr/sbin/ip", "/usr/sbin/iptables"]) {
    if (!fs.existsSync(bin)) return `${bin} is missing (apt-get install -y iproute2 iptables)`;
  }
  return undefined;
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command with a hard time limit; never throws, the caller decides what a failure means. */
export function run(
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      [...args],
      {
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 30_000,
        killSignal: "SIGKILL",
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 124) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

export async function must(file: string, args: readonly string[]): Promise<string> {
  const r = await run(file, args);
  if (r.code !== 0)
    throw new Error(`${file} ${args.join(" ")} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** Polls `check` until it returns a value, at most `timeoutMs`; the error names what was awaited. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Stands for a node's own directory in the files `Cluster.start` writes. */
export const nodeDir = "@NODE_DIR@";

export interface NodeFiles {
  /** rabbitmq.conf as the node reads it (`@NODE_DIR@` becomes the node's directory). */
  readonly conf: string;
  readonly enabledPlugins: string;
  readonly definitions: string;
}

export class RabbitNode {
  process: ChildProcess | undefined;
  /** Erlang arguments the rendered pod passes (RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS). */
  erlArgs = "";
  constructor(
    readonly index: number,
    readonly dir: string,
  ) {}
  get netns(): string {
    return `${prefix}-n${this.index}`;
  }
  get hostLink(): string {
    return `${prefix}-h${this.index}`;
  }
  get address(): string {
    return `${subnet}.${this.index}`;
  }
  get name(): string {
    return `rabbit@${this.address}`;
  }
  get logFile(): string {
    return path.join(this.dir, "server.log");
  }

  env(): NodeJS.ProcessEnv {
    return {
      // The container runs the CLI tools as they are on its PATH; Debian wraps its /usr/sbin ones.
      PATH: `/usr/lib/rabbitmq/bin:${process.env["PATH"] ?? ""}`,
      LANG: "C.UTF-8",
      HOME: inside(path.join(this.dir, "home")),
      RABBITMQ_USE_LONGNAME: "true",
      RABBITMQ_NODENAME: this.name,
      RABBITMQ_CONFIG_FILE: inside(path.join(this.dir, "rabbitmq.conf")),
      RABBITMQ_MNESIA_BASE: inside(path.join(this.dir, "mnesia")),
      RABBITMQ_LOG_BASE: inside(path.join(this.dir, "log")),
      RABBITMQ_DIST_PORT: "25672",
      RABBITMQ_ENABLED_PLUGINS_FILE: inside(path.join(this.dir, "enabled_plugins")),
      // The pod's own arguments, then short ticks so a cut link is noticed in seconds, as in
      // design.md's verified setup.
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: [this.erlArgs, "-kernel net_ticktime 8"]
        .filter(Boolean)
        .join(" "),
    };
  }

  /** rabbitmqctl (or another CLI) against this node, run inside its namespace. */
  ctl(args: readonly string[], timeoutMs = 30_000, bin = ctlBin): Promise<CommandResult> {
    return run(
      "ip",
      ["netns", "exec", this.netns, ...rooted(bin, ["--longnames", "-n", this.name, ...args])],
      { env: this.env(), timeoutMs },
    );
  }

  /** A command inside the node's namespace. */
  exec(file: string, args: readonly string[], timeoutMs = 10_000): Promise<CommandResult> {
    return run("ip", ["netns", "exec", this.netns, ...rooted(file, args)], {
      env: this.env(),
      timeoutMs,
    });
  }
}

export class Cluster {
  readonly nodes: RabbitNode[];
  private networkCreated = false;
  private lockHeld = false;

  constructor(
    readonly root: string,
    size: number,
  ) {
    this.nodes = Array.from(
      { length: size },
      (_, i) => new RabbitNode(i + 1, path.join(root, `n${i + 1}`)),
    );
  }

  static create(size: number): Cluster {
    return new Cluster(fs.mkdtempSync(path.join(scratchParent(), "taskstack-rabbitmq-")), size);
  }

  /**
   * Bridge, one namespace and veth pair per node. Takes the lock, removes what a killed run of
   * this suite left behind, and refuses a subnet something else on the host routes.
   */
  async createNetwork(): Promise<void> {
    acquireLock();
    this.lockHeld = true;
    await mountTreeProc();
    const removed = await removeLeftovers();
    if (removed.length > 0) {
      console.warn(`removed what an earlier, interrupted run left behind: ${removed.join(", ")}`);
    }
    const routes = await must("ip", ["-4", "route", "show"]);
    if (routes.includes(`${subnet}.`)) {
      throw new Error(`the host already routes ${subnet}.0/24; refusing to touch it:\n${routes}`);
    }
    this.networkCreated = true;
    await must("ip", ["link", "add", bridge, "type", "bridge"]);
    await must("ip", ["addr", "add", `${hostAddress}/24`, "dev", bridge]);
    await must("ip", ["link", "set", bridge, "up"]);
    for (const n of this.nodes) {
      const peer = `${prefix}-p${n.index}`;
      await must("ip", ["netns", "add", n.netns]);
      await must("ip", ["link", "add", n.hostLink, "type", "veth", "peer", "name", peer]);
      await must("ip", ["link", "set", peer, "netns", n.netns]);
      await must("ip", ["link", "set", n.hostLink, "master", bridge]);
      await must("ip", ["link", "set", n.hostLink, "up"]);
      await must("ip", ["-n", n.netns, "addr", "add", `${n.address}/24`, "dev", peer]);
      await must("ip", ["-n", n.netns, "link", "set", peer, "up"]);
      await must("ip", ["-n", n.netns, "link", "set", "lo", "up"]);
    }
  }

  /** Writes each node's files and starts all nodes at once, as Parallel pod management does. */
  start(files: NodeFiles, cookie: string, erlArgs = ""): void {
    for (const n of this.nodes) {
      for (const sub of ["home", "mnesia", "log"])
        fs.mkdirSync(path.join(n.dir, sub), { recursive: true });
      fs.writeFileSync(path.join(n.dir, "home", ".erlang.cookie"), cookie, { mode: 0o600 });
      fs.writeFileSync(
        path.join(n.dir, "rabbitmq.conf"),
        files.conf.replaceAll(nodeDir, inside(n.dir)),
      );
      fs.writeFileSync(path.join(n.dir, "enabled_plugins"), files.enabledPlugins);
      fs.writeFileSync(path.join(n.dir, "definitions.json"), files.definitions, { mode: 0o600 });
      const log = fs.openSync(n.logFile, "a");
      n.erlArgs = erlArgs;
      n.process = spawn("ip", ["netns", "exec", n.netns, ...rooted(serverBin, [])], {
        env: n.env(),
        stdio: ["ignore", log, log],
      });
      fs.closeSync(log);
    }
  }

  /** Cuts `node` off from every other node (not from this test process): iptables in its namespace. */
  async isolate(node: RabbitNode): Promise<void> {
    for (const other of this.nodes) {
      if (other === node) continue;
      await must("ip", [
        "netns",
        "exec",
        node.netns,
        "iptables",
        "-A",
        "INPUT",
        "-s",
        other.address,
        "-j",
        "DROP",
      ]);
      await must("ip", [
        "netns",
        "exec",
        node.netns,
        "iptables",
        "-A",
        "OUTPUT",
        "-d",
        other.address,
        "-j",
        "DROP",
      ]);
    }
  }

  async heal(node: RabbitNode): Promise<void> {
    await must("ip", ["netns", "exec", node.netns, "iptables", "-F", "INPUT"]);
    await must("ip", ["netns", "exec", node.netns, "iptables", "-F", "OUTPUT"]);
  }

  /**
   * Stops every node (politely, then by the pids of processes in our namespaces), deletes the
   * namespaces, links and bridge, and the scratch directory unless `keep` is set. Never throws.
   */
  async teardown(keep = false): Promise<string[]> {
    const problems: string[] = [];
    await Promise.all(
      this.nodes.map(async (n) => {
        if (!n.process) return;
        if (n.process.exitCode === null) await n.ctl(["stop"], 30_000);
      }),
    );
    for (const n of this.nodes) {
      if (!this.networkCreated) break;
      if (n.process && n.process.exitCode === null) n.process.kill("SIGKILL");
      const problem = await deleteNamespace(n.netns);
      if (problem !== undefined) problems.push(problem);
      await run("ip", ["link", "delete", n.hostLink]);
    }
    if (this.networkCreated) await run("ip", ["link", "delete", bridge]);
    if (this.lockHeld) {
      fs.rmSync(lockFile, { force: true });
      this.lockHeld = false;
    }
    if (!keep) fs.rmSync(this.root, { recursive: true, force: true });
    await unmountTree();
    return problems;
  }
}

/** Kills every process in namespace `ns` and deletes it; what went wrong, or undefined. */
async function deleteNamespace(ns: string): Promise<string | undefined> {
  const pids = await run("ip", ["netns", "pids", ns]);
  for (const pid of pids.stdout.split(/\s+/).filter(Boolean)) {
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  const del = await run("ip", ["netns", "delete", ns]);
  return del.code !== 0 && !del.stderr.includes("No such file") ? del.stderr.trim() : undefined;
}

/** Whether `pid` is a live Node process (a pid reused by something else after a restart is not). */
function liveNodeProcess(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("node");
  } catch {
    return false;
  }
}

/** Takes the suite's lock; a lock whose process is gone is stale and taken over. */
function acquireLock(): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = Number(fs.readFileSync(lockFile, "utf8").trim());
    if (
      Number.isInteger(holder) &&
      holder > 0 &&
      holder !== process.pid &&
      liveNodeProcess(holder)
    ) {
      throw new Error(
        `another real-RabbitMQ suite (pid ${holder}) holds ${lockFile}; run one at a time`,
      );
    }
    fs.rmSync(lockFile, { force: true });
  }
  throw new Error(`could not take ${lockFile}`);
}

/**
 * Stops processes in, and deletes, the namespaces and links named with our prefix. Only called
 * with the lock held, so they belong to a run that is no longer alive.
 */
async function removeLeftovers(): Promise<string[]> {
  const removed: string[] = [];
  const namespaces = (await must("ip", ["netns", "list"]))
    .split("\n")
    .map((line) => line.split(" ")[0] ?? "")
    .filter((name) => name.startsWith(`${prefix}-`));
  for (const ns of namespaces) {
    const problem = await deleteNamespace(ns);
    if (problem !== undefined) throw new Error(`could not delete namespace ${ns}: ${problem}`);
    removed.push(`namespace ${ns}`);
  }
  const links = (await must("ip", ["-o", "link", "show"]))
    .split("\n")
    .map((line) => (line.split(": ")[1] ?? "").split("@")[0] ?? "")
    .filter((name) => name.startsWith(`${prefix}-`));
  // Host ends of veth pairs vanish with their namespaced peers; the bridge goes last.
  for (const link of links.sort((a, b) => Number(a === bridge) - Number(b === bridge))) {
    const del = await run("ip", ["link", "delete", link]);
    if (del.code === 0) removed.push(`link ${link}`);
  }
  return removed;
}
