import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messaging, workers } from "../../components";
import * as schemas from "../../components/schemas";
import { revealSecrets, runProgram } from "../../testing";
import type { Plan } from "../../testing";
import { celeryBroker } from "../../examples/celery-broker";
import { AmqpConnection } from "./amqp";
import {
  Cluster,
  inside,
  missingPrerequisites,
  mountTreeProc,
  nodeDir,
  run,
  runtime,
  waitFor,
} from "./rabbitmq-nodes";
import type { RabbitNode } from "./rabbitmq-nodes";

// `npm run test:rabbitmq` with TASKSTACK_DEBIAN13_TREE set (scripts/ci/rabbitmq.sh does): a real
// RabbitMQ 4.0.5 node booted on RabbitMqCluster's rendered files, and real Celery 5.5.2 workers
// started exactly as CeleryWorkerPool's Deployment says (its command, args and environment; the
// ConfigMap's bootstrap module written unchanged at its mount path), in Debian 13's tree, each in
// the node's network namespace, as the pods' uid 65532. The probes are the manifest's own
// commands, run verbatim in the same tree. Observations go to out/celery-worker.json.
//
// What differs from a cluster, each announced here: one node (dev's size), so the peer-discovery
// lines are dropped; the broker URL's host is the node's address instead of the Service's DNS
// name; the definitions path is the node's scratch directory; and the node's default consumer
// timeout is 5 s with a 1 s channel tick (RabbitMQ's are 30 min and 60 s), so "a task longer than
// the broker's consumer timeout" takes seconds.

const missing =
  runtime.tree === undefined
    ? "TASKSTACK_DEBIAN13_TREE is not set (Celery 5.5 and RabbitMQ 4.0 come from Debian 13's tree: bash scripts/ci/debian13-tree.sh)"
    : missingPrerequisites();
if (missing) {
  const line = "!".repeat(100);
  console.warn(
    `\n${line}\n!!! SKIP (real part absent): the real Celery worker suite did not run: ${missing}\n!!! This is NOT a pass.\n${line}\n`,
  );
}

const vhost = "tasks";
const work = "celery-work";
const untimed = "celery-untimed";
const dead = "celery-dead";
const deliveryLimit = 2;
const timeLimit = 20;
const workerUid = 65532;
/** The node's default consumer timeout here, standing in for RabbitMQ's 30 minutes. */
const brokerDefaultTimeoutMs = 5_000;

const appSource = `"""The Celery app the real-worker suite runs: each task notes what it did in RUNS."""
import os
import time

from celery import Celery

RUNS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "runs.log")
app = Celery("tasksapp")


def note(line):
    with open(RUNS, "a") as f:
        f.write(line + "\\n")


@app.task(name="add")
def add(a, b):
    note("add %d" % (a + b))
    return a + b


@app.task(name="sleep")
def sleep(seconds, tag):
    note("start %s" % tag)
    time.sleep(seconds)
    note("end %s" % tag)


@app.task(name="crash")
def crash(tag):
    # What an OOM kill or a segfault does to the process running the task.
    note("crash %s" % tag)
    os._exit(1)
`;

interface Rendered {
  readonly conf: string;
  readonly enabledPlugins: string;
  readonly definitions: string;
  readonly cookie: string;
  readonly amqpUrl: string;
  readonly appPassword: string;
  readonly bootstrap: string;
  readonly containers: Record<string, Container>;
}

interface Container {
  readonly command: string[];
  readonly args: string[];
  readonly env: { name: string; value?: string; valueFrom?: unknown }[];
  readonly startupProbe: { exec: { command: string[] } };
  readonly livenessProbe: { exec: { command: string[] } };
  readonly grace: number;
}

function secretText(plan: Plan, name: string, key: string): string {
  const data = revealSecrets(plan.get("kubernetes:core/v1:Secret", name).inputs["stringData"]);
  return (data as Record<string, string>)[key] as string;
}

const pool = {
  namespace: "tasks",
  image: "ghcr.io/acme/shop-worker:2.3.0",
  app: "tasksapp:app",
  brokerUrlSecret: { name: "broker-broker" },
  queues: [work, untimed].map((name) => ({
    name,
    taskTimeLimitSeconds: timeLimit,
    concurrency: 1,
    resources: {
      requests: { cpu: "100m", memory: "256Mi" },
      limits: { cpu: "1", memory: "512Mi" },
    },
  })),
};

async function render(appDir: string): Promise<Rendered> {
  const plan = await runProgram(() => {
    new messaging.RabbitMqCluster("broker", {
      namespace: "tasks",
      version: "4.0.5",
      replicas: 1,
      memory: "512Mi",
      storage: "2Gi",
      vhost,
      exchanges: [{ name: "dlx" }],
      queues: [
        {
          name: work,
          deadLetterExchange: "dlx",
          deadLetterRoutingKey: dead,
          deliveryLimit,
          // What a stack file derives from the pool: time limit × (prefetch + 1) + 60 s.
          consumerTimeoutSeconds: schemas.requiredConsumerTimeoutSeconds(pool.queues[0]!),
        },
        // The same queue as before consumer timeouts were derived: the broker's default applies.
        { name: untimed },
        { name: dead, bindings: [{ exchange: "dlx" }] },
      ],
    });
    new workers.CeleryWorkerPool("shop", { ...pool, env: { PYTHONPATH: appDir } });
  });
  const config = plan.get("kubernetes:core/v1:ConfigMap", "broker-config").inputs["data"] as Record<
    string,
    string
  >;
  const containers: Record<string, Container> = {};
  for (const queue of [work, untimed]) {
    const spec = (
      plan.get("kubernetes:apps/v1:Deployment", `shop-${queue}-deployment`).inputs as {
        spec: {
          template: {
            spec: { terminationGracePeriodSeconds: number; containers: Omit<Container, "grace">[] };
          };
        };
      }
    ).spec.template.spec;
    containers[queue] = { ...spec.containers[0]!, grace: spec.terminationGracePeriodSeconds };
  }
  const url = secretText(plan, "broker-broker-secret", "url");
  return {
    conf: config["rabbitmq.conf"] as string,
    enabledPlugins: config["enabled_plugins"] as string,
    definitions: secretText(plan, "broker-definitions-secret", "definitions.json"),
    cookie: secretText(plan, "broker-erlang-cookie-secret", ".erlang.cookie"),
    amqpUrl: url,
    appPassword: /^amqp:\/\/app:([^@]+)@/.exec(url)?.[1] as string,
    bootstrap: (
      plan.get("kubernetes:core/v1:ConfigMap", "shop-celery-bootstrap").inputs["data"] as Record<
        string,
        string
      >
    )["taskstack_celery.py"] as string,
    containers,
  };
}

/** One node: the peer-discovery lines go (nothing to discover), the definitions path moves. */
function singleNodeConf(conf: string): string {
  return conf
    .split("\n")
    .filter((line) => !line.startsWith("cluster_formation.peer_discovery_backend"))
    .filter((line) => !line.startsWith("cluster_formation.k8s."))
    .map((line) =>
      line.startsWith("load_definitions = ")
        ? `load_definitions = ${nodeDir}/definitions.json`
        : line,
    )
    .join("\n");
}

interface Observations {
  rabbitmq?: string;
  celery?: string;
  policy?: Record<string, unknown>;
  firstTaskMs?: number;
  probes?: Record<string, number>;
  sigterm?: { taskFinished: boolean; exitCode: number | null; drainMs: number; graceMs: number };
  poison?: { deliveryLimit: number; runs: number; deadLettered: number; leftInQueue: number };
  readmeDeadLettered?: number;
  consumerTimeout?: {
    brokerDefaultMs: number;
    policyMs: number;
    withPolicy: { taskFinished: boolean; channelClosed: boolean; workerAlive: boolean };
    control: { channelClosed: boolean };
  };
}

const observed: Observations = {};

class Worker {
  readonly log: string;
  process: ChildProcess | undefined;
  exited: Promise<number | null> = Promise.resolve(null);
  constructor(
    readonly node: RabbitNode,
    readonly scratch: string,
    readonly name: string,
  ) {
    this.log = path.join(scratch, `${name}.log`);
  }

  /** The Deployment's container, started as the kubelet would: command, args, env. */
  start(c: Container, brokerUrl: string): void {
    const env: NodeJS.ProcessEnv = {
      PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
      LANG: "C.UTF-8",
      HOME: "/tmp",
    };
    for (const e of c.env) {
      if (e.value !== undefined) env[e.name] = e.value;
      else if (e.name === workers.brokerUrlEnv) env[e.name] = brokerUrl;
    }
    const out = fs.openSync(this.log, "a");
    this.process = spawn(
      "ip",
      [
        "netns",
        "exec",
        this.node.netns,
        "chroot",
        `--userspec=${workerUid}:${workerUid}`,
        runtime.tree as string,
        ...c.command,
        ...c.args,
      ],
      { env, stdio: ["ignore", out, out] },
    );
    fs.closeSync(out);
    const child = this.process;
    this.exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  }

  text(): string {
    return fs.existsSync(this.log) ? fs.readFileSync(this.log, "utf8") : "";
  }

  async ready(): Promise<void> {
    await waitFor(`${this.name} to report ready`, 60_000, async () =>
      / ready\.$/m.test(this.text()) ? true : undefined,
    );
  }

  alive(): boolean {
    return this.process !== undefined && this.process.exitCode === null;
  }

  async stop(): Promise<void> {
    if (!this.alive()) return;
    this.process?.kill("SIGTERM");
    const code = await Promise.race([
      this.exited,
      new Promise<"late">((r) => setTimeout(() => r("late"), 60_000)),
    ]);
    if (code === "late") this.process?.kill("SIGKILL");
  }
}

describe.skipIf(missing !== undefined)(
  "real Celery 5.5 workers from CeleryWorkerPool on a real RabbitMQ 4.0 node",
  () => {
    const cluster = Cluster.create(1);
    const node = cluster.nodes[0] as RabbitNode;
    const scratch = path.join(cluster.root, "app");
    let rendered: Rendered;
    let brokerUrl: string;
    const started: Worker[] = [];
    const worker = (name: string): Worker => {
      const w = new Worker(node, scratch, name);
      started.push(w);
      return w;
    };
    const runs = (): string[] => {
      const file = path.join(scratch, "runs.log");
      return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
    };
    const inTree = (args: string[], timeoutMs = 30_000) =>
      run(
        "ip",
        [
          "netns",
          "exec",
          node.netns,
          "chroot",
          `--userspec=${workerUid}:${workerUid}`,
          runtime.tree as string,
          ...args,
        ],
        {
          env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C.UTF-8", HOME: "/tmp" },
          timeoutMs,
        },
      );
    /** A producer configured as the README asks: the same bootstrap module, so quorum declares. */
    const send = async (queue: string, task: string, args: unknown[]): Promise<void> => {
      const r = await run(
        "ip",
        [
          "netns",
          "exec",
          node.netns,
          "chroot",
          `--userspec=${workerUid}:${workerUid}`,
          runtime.tree as string,
          "python3",
          "-c",
          `import json, sys; from taskstack_celery import app; app.send_task(sys.argv[1], json.loads(sys.argv[2]), queue=sys.argv[3])`,
          task,
          JSON.stringify(args),
          queue,
        ],
        {
          env: {
            PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
            LANG: "C.UTF-8",
            HOME: "/tmp",
            PYTHONPATH: `/etc/taskstack/celery:${inside(scratch)}`,
            CELERY_BROKER_URL: brokerUrl,
          },
          timeoutMs: 30_000,
        },
      );
      if (r.code !== 0) throw new Error(`sending ${task} failed: ${r.stderr}`);
    };
    /** rabbitmqctl's answer, retried while a loaded machine makes the CLI time out. */
    const ctlOut = (args: string[]): Promise<string> =>
      waitFor(`rabbitmqctl ${args.join(" ")}`, 120_000, async () => {
        const r = await node.ctl(args, 60_000);
        return r.code === 0 ? r.stdout : undefined;
      });
    const messagesIn = async (queue: string, vh = vhost): Promise<number> => {
      const out = await ctlOut([
        "-q",
        "list_queues",
        "-p",
        vh,
        "name",
        "messages",
        "--no-table-headers",
      ]);
      const line = out.split("\n").find((l) => l.split("\t")[0] === queue);
      return Number(line?.split("\t")[1] ?? NaN);
    };

    beforeAll(async () => {
      fs.mkdirSync(scratch, { recursive: true, mode: 0o777 });
      fs.chmodSync(cluster.root, 0o755);
      fs.chmodSync(scratch, 0o777);
      fs.writeFileSync(path.join(scratch, "tasksapp.py"), appSource);
      rendered = await render(inside(scratch));
      // The ConfigMap's module, unchanged, where the Deployment mounts it.
      const mount = path.join(runtime.tree as string, "etc", "taskstack", "celery");
      fs.mkdirSync(mount, { recursive: true });
      fs.writeFileSync(path.join(mount, "taskstack_celery.py"), rendered.bootstrap, {
        mode: 0o444,
      });
      await mountTreeProc();
      await cluster.createNetwork();
      cluster.start(
        {
          conf: singleNodeConf(rendered.conf),
          enabledPlugins: rendered.enabledPlugins,
          definitions: rendered.definitions,
        },
        rendered.cookie,
        `-rabbit consumer_timeout ${brokerDefaultTimeoutMs} -rabbit channel_tick_interval 1000`,
      );
      await waitFor("the node to boot", 120_000, async () =>
        (await node.ctl(["-q", "await_startup"], 60_000)).code === 0 ? true : undefined,
      );
      brokerUrl = rendered.amqpUrl.replace(/@[^:/]+:/, `@${node.address}:`);
      observed.rabbitmq = (await ctlOut(["-q", "eval", "rabbit_misc:version()."])).trim();
      observed.celery = (await inTree(["celery", "--version"])).stdout.trim();
      const policies = await ctlOut(["-q", "list_policies", "-p", vhost, "--no-table-headers"]);
      // vhost, name, pattern, apply-to, definition, priority
      const line = policies
        .split("\n")
        .map((l: string) => l.split("\t"))
        .find((cols: string[]) => cols[1] === `taskstack-queue-${work}`);
      observed.policy = line ? (JSON.parse(line[4] as string) as Record<string, unknown>) : {};
    }, 240_000);

    afterAll(async () => {
      for (const w of started) await w.stop();
      const problems = await cluster.teardown(process.env["TASKSTACK_KEEP_RABBITMQ"] === "1");
      fs.rmSync(path.join(runtime.tree as string, "tmp", "celery-worker-heartbeat"), {
        force: true,
      });
      fs.mkdirSync("out", { recursive: true });
      fs.writeFileSync("out/celery-worker.json", `${JSON.stringify(observed, null, 2)}\n`);
      console.log(`real Celery worker suite observed:\n${JSON.stringify(observed, null, 2)}`);
      if (problems.length > 0) console.warn(`teardown problems:\n${problems.join("\n")}`);
    }, 180_000);

    it("runs Debian 13's RabbitMQ 4.0.5 and Celery 5.5.2, with the queue's policy applied", () => {
      expect(observed.rabbitmq).toBe('"4.0.5"');
      expect(observed.celery).toMatch(/^5\.5\.2 /);
      expect(observed.policy).toEqual({
        "dead-letter-exchange": "dlx",
        "dead-letter-routing-key": dead,
        "delivery-limit": deliveryLimit,
        "consumer-timeout": (timeLimit * 2 + 60) * 1000,
      });
    });

    it("runs a task on a worker started as the Deployment says; its own probes pass while it runs and fail once it stopped", async () => {
      const c = rendered.containers[work] as Container;
      const probe = async (command: string[]) => (await inTree(command)).code;
      expect(await probe(c.startupProbe.exec.command)).not.toBe(0);
      const w = worker("probed");
      const t0 = Date.now();
      w.start(c, brokerUrl);
      await w.ready();
      const startup = await probe(c.startupProbe.exec.command);
      await send(work, "add", [2, 3]);
      await waitFor("the add task to run", 30_000, async () =>
        runs().includes("add 5") ? true : undefined,
      );
      observed.firstTaskMs = Date.now() - t0;
      // The bootstep touches the file every 10 s: after 12 s it is still fresh.
      await new Promise((r) => setTimeout(r, 12_000));
      const liveness = await probe(c.livenessProbe.exec.command);
      await w.stop();
      const afterStop = await probe(c.livenessProbe.exec.command);
      observed.probes = { startup, liveness, afterStop, workerExit: (await w.exited) ?? -1 };
      expect(observed.probes).toEqual({ startup: 0, liveness: 0, afterStop: 1, workerExit: 0 });
    }, 180_000);

    it("finishes the running task on SIGTERM, acks it, and exits within its grace period", async () => {
      const c = rendered.containers[work] as Container;
      const w = worker("sigterm");
      w.start(c, brokerUrl);
      await w.ready();
      await send(work, "sleep", [8, "drain"]);
      await waitFor("the long task to start", 30_000, async () =>
        runs().includes("start drain") ? true : undefined,
      );
      const t0 = Date.now();
      w.process?.kill("SIGTERM");
      const exitCode = await w.exited;
      const drainMs = Date.now() - t0;
      observed.sigterm = {
        taskFinished: runs().includes("end drain"),
        exitCode,
        drainMs,
        graceMs: c.grace * 1000,
      };
      expect(observed.sigterm.taskFinished).toBe(true);
      expect(exitCode).toBe(0);
      expect(drainMs).toBeLessThan(c.grace * 1000);
      // Acked once it finished: nothing is left to run twice. A quorum queue applies the ack
      // through its Raft log, so the count can lag the worker's exit by a moment; a message that
      // was returned instead stays, and fails this after 15 s.
      const left = await waitFor("the drained task's ack to reach the queue", 15_000, async () =>
        (await messagesIn(work)) === 0 ? 0 : undefined,
      ).catch(async () => messagesIn(work));
      expect(left).toBe(0);
    }, 180_000);

    it("dead-letters a task that keeps killing its worker after exactly the delivery limit's redeliveries", async () => {
      const c = rendered.containers[work] as Container;
      const w = worker("poison");
      w.start(c, brokerUrl);
      await w.ready();
      await send(work, "crash", ["poison"]);
      await waitFor("the poison task to reach the dead-letter queue", 120_000, async () =>
        (await messagesIn(dead)) === 1 ? true : undefined,
      );
      // Let a late redelivery show up, if the broker were to make one.
      await new Promise((r) => setTimeout(r, 3_000));
      observed.poison = {
        deliveryLimit,
        runs: runs().filter((l) => l === "crash poison").length,
        deadLettered: await messagesIn(dead),
        leftInQueue: await messagesIn(work),
      };
      await w.stop();
      // The first delivery and `delivery-limit` redeliveries; the next return dead-letters it.
      expect(observed.poison).toEqual({
        deliveryLimit,
        runs: deliveryLimit + 1,
        deadLettered: 1,
        leftInQueue: 0,
      });
    }, 240_000);

    it("keeps a worker whose task outlasts the broker's default consumer timeout, where the queue's policy covers it (and loses the channel where none does)", async () => {
      const withPolicy = worker("timed");
      withPolicy.start(rendered.containers[work] as Container, brokerUrl);
      await withPolicy.ready();
      await send(work, "sleep", [12, "timed"]);
      await waitFor("the timed task to end", 60_000, async () =>
        runs().includes("end timed") ? true : undefined,
      );
      await send(work, "add", [20, 22]);
      await waitFor("a task after it", 30_000, async () =>
        runs().includes("add 42") ? true : undefined,
      );
      const timedLog = withPolicy.text();
      const result = {
        taskFinished: true,
        channelClosed: /PRECONDITION_FAILED|acknowledgement on channel/.test(timedLog),
        workerAlive: withPolicy.alive(),
      };
      await withPolicy.stop();

      const control = worker("untimed");
      control.start(rendered.containers[untimed] as Container, brokerUrl);
      await control.ready();
      await send(untimed, "sleep", [12, "untimed"]);
      const closed = await waitFor("the control's channel to be closed", 40_000, async () =>
        /PRECONDITION_FAILED|acknowledgement on channel/.test(control.text()) ? true : undefined,
      ).catch(() => false);
      await control.stop();
      observed.consumerTimeout = {
        brokerDefaultMs: brokerDefaultTimeoutMs,
        policyMs: observed.policy?.["consumer-timeout"] as number,
        withPolicy: result,
        control: { channelClosed: closed },
      };
      expect(observed.consumerTimeout.withPolicy).toEqual({
        taskFinished: true,
        channelClosed: false,
        workerAlive: true,
      });
      expect(observed.consumerTimeout.control.channelClosed).toBe(true);
    }, 240_000);

    it("dead-letters a rejected message with the README's own definitions", async () => {
      const plan = await runProgram(celeryBroker);
      const definitions = JSON.parse(
        secretText(plan, "celery-broker-definitions-secret", "definitions.json"),
      ) as Record<string, unknown>;
      // Our node's users stay: the README's permissions name the same "app" user.
      delete definitions["users"];
      const file = path.join(cluster.root, "readme-definitions.json");
      fs.writeFileSync(file, JSON.stringify(definitions));
      const imported = await node.ctl(["-q", "import_definitions", inside(file)], 60_000);
      expect(imported.code).toBe(0);
      const amqp = await AmqpConnection.open(
        node.address,
        5672,
        "app",
        rendered.appPassword,
        "celery",
      );
      try {
        await amqp.confirmed(amqp.publish("celery-fast", "rejected by its consumer"), 10_000);
        const delivery = await amqp.get("celery-fast");
        expect(delivery?.body).toBe("rejected by its consumer");
        amqp.reject(delivery!.deliveryTag);
        await waitFor("the dead letter", 20_000, async () =>
          (await messagesIn("celery-dead-letter", "celery")) === 1 ? true : undefined,
        );
        observed.readmeDeadLettered = await messagesIn("celery-dead-letter", "celery");
        expect(observed.readmeDeadLettered).toBe(1);
      } finally {
        await amqp.close();
      }
    }, 120_000);
  },
);
